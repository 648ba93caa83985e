"""The state a partnership keeps, and the checks every one of its commands starts with.

The commands live in mixins by subject (:mod:`.variations`, :mod:`.withdrawals`) and in
:class:`~sharedsvc.domain.partnership.Partnership` itself; they share this base.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Self
from uuid import UUID

from immutabledict import immutabledict

from sharedsvc.domain.dated import copy_aggregate, stamp
from sharedsvc.domain.errors import NotFound, RuleViolation
from sharedsvc.domain.policy import Policy
from sharedsvc.domain.records import PooledFunction, Variation, Withdrawal
from sharedsvc.domain.rules import require_date, require_member, require_self
from sharedsvc.domain.values import (
    INVALID,
    DecisionRef,
    Money,
    Party,
    PartyId,
    Stage,
    Terms,
    party_id,
)

if TYPE_CHECKING:
    from sharedsvc.domain.partnership_events import PartnershipEvent

__all__ = ["PartnershipState", "check_money", "check_ref", "check_text"]


def check_ref(ref: object) -> DecisionRef | None:
    """``ref`` if it is a :class:`DecisionRef` or ``None``; otherwise refuse it."""
    if ref is not None and not isinstance(ref, DecisionRef):
        raise RuleViolation(INVALID, f"ref must be a DecisionRef or None, not {ref!r}")
    return ref


def check_text(value: object, what: str, *, optional: bool = True) -> str | None:
    """``value`` if it is a non-empty string (or ``None`` where optional); otherwise refuse it."""
    if value is None and optional:
        return None
    if not isinstance(value, str) or not value.strip():
        raise RuleViolation(INVALID, f"{what} must be a non-empty string, not {value!r}")
    return value


def check_money(amount: object, *, allow_negative: bool = False) -> Money:
    """``amount`` if it is :class:`Money` (not negative, unless allowed); otherwise refuse it."""
    if not isinstance(amount, Money):
        raise RuleViolation(INVALID, f"amount must be Money, not {amount!r}")
    if amount.amount < 0 and not allow_negative:
        raise RuleViolation(INVALID, f"amount {amount} is negative")
    return amount


class PartnershipState:
    """What a partnership knows, and the checks its commands share."""

    # Declared for type checkers only: annotations in the class body would make eventsourcing
    # turn the aggregate into a dataclass.
    if TYPE_CHECKING:
        id: UUID
        version: int
        modified_on: datetime
        name: str
        policy: Policy
        parties: dict[PartyId, Party]
        active: list[PartyId]
        terms: Terms
        stage: Stage
        formed_on: date
        last_on: date
        variations: dict[UUID, Variation]
        closed: dict[UUID, str]
        withdrawals: dict[PartyId, Withdrawal]
        pooled: dict[str, PooledFunction]
        deferred: dict[UUID, UUID]
        dissolved_on: date | None
        final_account: immutabledict[PartyId, Money] | None
        scheduled: dict[UUID, Variation]
        cutoff: date | None

        def trigger_event(self, event_class: type[Any], **kwargs: Any) -> None: ...

        def check_not_deferred(self, act: UUID, what: str) -> None: ...

    def takes_effect(self, effective: date) -> bool:
        """Whether a change effective on ``effective`` applies to this (possibly dated) state.

        Without a cutoff every adopted change applies; a view ``as_of`` a date sets the cutoff,
        and a variation effective later is kept in ``scheduled`` instead."""
        return self.cutoff is None or effective <= self.cutoff

    def __deepcopy__(self, memo: dict[int, Any]) -> Self:
        # The state keeps open business (and only the status of closed variations), so the
        # copy stays cheap however long the history is.
        return copy_aggregate(self)

    @property
    def _where(self) -> str:
        return f"partnership {self.name!r}"

    def _stamp(self, at: datetime | None) -> datetime:
        return stamp(at, self)

    def _trigger(self, event_class: type[PartnershipEvent], at: datetime | None, **kw: Any) -> None:
        self.trigger_event(event_class, timestamp=self._stamp(at), **kw)

    def _refuse_if_dissolved(self) -> None:
        if self.dissolved_on is not None:
            raise RuleViolation(
                "partnership-dissolved",
                f"{self._where} was dissolved on {self.dissolved_on.isoformat()}: it takes no acts",
            )

    def _begin(self, actor: object, on: date, what: str, *, by: object | None = None) -> PartyId:
        """The checks every command starts with: not dissolved, a member acting, dates in order."""
        self._refuse_if_dissolved()
        party = require_member(actor, self.active, self._where)
        require_self(party, by)
        require_date(on, self.last_on, what)
        return party

    def party(self, pid: str) -> Party:
        """The :class:`Party` with id ``pid`` (a current or former member)."""
        try:
            return self.parties[party_id(pid)]
        except KeyError:
            raise NotFound(f"{self._where} has no party {pid!r}") from None
