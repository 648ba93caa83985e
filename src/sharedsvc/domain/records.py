"""Records a partnership keeps of its open business: variations, withdrawals, pooled functions.

They are frozen: the aggregate replaces a record when an event changes it, so a view can hand
them out without copying.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from enum import StrEnum
from typing import Any
from uuid import UUID

import attrs
from immutabledict import immutabledict

from sharedsvc.domain.values import (
    Concession,
    DecisionRef,
    Function,
    Money,
    Party,
    PartyId,
    Terms,
    freeze,
)

__all__ = ["RENAME", "PooledFunction", "Succession", "Variation", "VariationStatus", "Withdrawal"]

RENAME = "name"
"""The key of a variation's ``changes`` (and of a position on it) that renames the
partnership: its new name, beside any terms the variation changes."""


class VariationStatus(StrEnum):
    """Where a variation stands. A member is a ``str`` equal to its value (``"adopted"``), so it
    is stored, and compared, as the plain string."""

    OPEN = "open"
    ADOPTED = "adopted"
    REJECTED = "rejected"


def _frozen_map(value: Mapping[Any, Any] | None) -> immutabledict[Any, Any]:
    return immutabledict() if value is None else freeze(value)


def _optional_map(value: Mapping[Any, Any] | None) -> immutabledict[Any, Any] | None:
    return None if value is None else freeze(value)


def _parties(value: Iterable[Party]) -> tuple[Party, ...]:
    return tuple(value)


def _concessions(value: Iterable[Concession]) -> tuple[Concession, ...]:
    return tuple(value)


def _party_ids(value: Iterable[PartyId]) -> tuple[PartyId, ...]:
    return tuple(value)


@attrs.frozen
class Variation:
    """A proposed change to the agreement and where it stands.

    ``changes`` maps [`Terms`][sharedsvc.Terms] field names to new values (and `RENAME`,
    ``"name"``, to the partnership's new name, for a rename); ``positions`` maps a
    party to the values it said it wanted; ``approvals`` maps a party to the decision reference
    of its approval (``None`` where it gave none). ``status`` is ``"open"``, ``"adopted"`` or
    ``"rejected"``. Once adopted, ``approved_by`` lists the parties whose approval adoption
    needed, and ``concessions`` what each conceded.
    """

    id: UUID
    proposed_by: PartyId
    proposed_on: date
    changes: immutabledict[str, Any] = attrs.field(converter=_frozen_map)
    admit: tuple[Party, ...] = attrs.field(converter=_parties)
    dissolve: bool
    final_account: immutabledict[PartyId, Money] | None = attrs.field(converter=_optional_map)
    rationale: str | None
    effective: date | None
    ref: DecisionRef | None = None
    positions: immutabledict[PartyId, immutabledict[str, Any]] = attrs.field(
        default=None, converter=_frozen_map
    )
    approvals: immutabledict[PartyId, DecisionRef | None] = attrs.field(
        default=None, converter=_frozen_map
    )
    status: VariationStatus = attrs.field(default=VariationStatus.OPEN, converter=VariationStatus)
    closed_on: date | None = None
    rejected_by: PartyId | None = None
    reason: str | None = None
    concessions: tuple[Concession, ...] = attrs.field(default=(), converter=_concessions)
    approved_by: tuple[PartyId, ...] = attrs.field(default=(), converter=_party_ids)

    @property
    def is_open(self) -> bool:
        """Whether the variation can still be approved or rejected."""
        return self.status is VariationStatus.OPEN

    @property
    def admitted_ids(self) -> tuple[PartyId, ...]:
        """The ids of the parties this variation admits."""
        return tuple(party.id for party in self.admit)

    def required(self, active: tuple[PartyId, ...]) -> tuple[PartyId, ...]:
        """Every party whose approval adoption needs: the active parties and every joiner."""
        return tuple(dict.fromkeys((*active, *self.admitted_ids)))

    @property
    def term_changes(self) -> immutabledict[str, Any]:
        """The changes of terms alone (``changes`` without a rename)."""
        return immutabledict((k, v) for k, v in self.changes.items() if k != RENAME)

    @property
    def renames(self) -> str | None:
        """The partnership's new name, if the variation renames it."""
        name: str | None = self.changes.get(RENAME)
        return name

    def concessions_for(self, adopted: Terms, name: str) -> tuple[Concession, ...]:
        """What each party conceded: every stated value that differs from the adopted one
        (``name``: the partnership's name once the variation is adopted)."""
        made = []
        for party, position in self.positions.items():
            for subject, wanted in position.items():
                value = name if subject == RENAME else getattr(adopted, subject)
                if wanted != value:
                    made.append(Concession(party, subject, wanted, value, self.rationale))
        return tuple(made)


@attrs.frozen
class Withdrawal:
    """A party's withdrawal: its notice, exit costs and exit payment, and ``completed_on``,
    the date the party left (``None`` while the withdrawal is in progress)."""

    party: PartyId
    served_on: date
    effective: date
    exit_costs: Money | None = None
    determined_by: PartyId | None = None
    paid: Money | None = None
    completed_on: date | None = None

    @property
    def settled(self) -> bool:
        """Whether the exit payment has been made."""
        return self.paid is not None


@attrs.frozen
class PooledFunction:
    """A function a party handed over to the shared service, held since ``since``."""

    from_party: PartyId
    function: Function
    handover_id: UUID
    since: date

    @staticmethod
    def key_of(from_party: str, function: Function) -> str:
        """The identity within a partnership of ``function`` of ``from_party``:
        ``"party/function-id"`` (one holder per function)."""
        return f"{from_party}/{function.id}"

    @property
    def key(self) -> str:
        """This function's identity within its partnership (see
        [`key_of`][sharedsvc.PooledFunction.key_of])."""
        return self.key_of(self.from_party, self.function)


def _weights(value: Mapping[Any, Any]) -> immutabledict[PartyId, Any]:
    return freeze(value)  # type: ignore[no-any-return]


@attrs.frozen
class Succession:
    """A party succeeded by others on a vesting day (a statutory reorganisation).

    ``successors`` are the ids of the parties that took its place, in the order given (the
    first takes over hosting); ``split`` maps each of them to its weight in the division of
    the predecessor's shares and exit costs; ``on`` is the vesting day and ``ref`` the order
    that made it (a structural changes order, say).
    """

    successors: tuple[PartyId, ...] = attrs.field(converter=_party_ids)
    split: immutabledict[PartyId, Any] = attrs.field(converter=_weights)
    on: date
    ref: DecisionRef | None = None
