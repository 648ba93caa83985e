"""Targets a partnership sets itself (savings by a date...), and the outcomes recorded against
them: promises made, and whether they were kept."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from uuid import UUID

import attrs

from sharedsvc.domain.values import DecisionRef, Money, PartyId

__all__ = ["Outcome", "Target"]


@attrs.frozen
class Outcome:
    """What was achieved against a target: ``amount``, recorded by ``by`` on ``on``."""

    amount: Money
    by: PartyId
    on: date
    ref: DecisionRef | None = None


def _outcomes(value: Iterable[Outcome]) -> tuple[Outcome, ...]:
    return tuple(value)


@attrs.frozen
class Target:
    """A target of ``kind`` (``"savings"``...): ``amount`` by ``due``, set by ``by`` on ``on``,
    binding ``party`` (``None``: the partnership as a whole); ``outcomes`` are those recorded
    against it, oldest first."""

    id: UUID
    kind: str
    amount: Money
    due: date
    party: PartyId | None
    by: PartyId
    on: date
    ref: DecisionRef | None = None
    outcomes: tuple[Outcome, ...] = attrs.field(default=(), converter=_outcomes)

    @property
    def met_on(self) -> date | None:
        """The date of the first outcome that meets the target (an amount at or above the
        target's, dated on or before its due date); ``None`` if none has."""
        for outcome in self.outcomes:
            if outcome.on <= self.due and outcome.amount.amount >= self.amount.amount:
                return outcome.on
        return None

    def with_outcome(self, outcome: Outcome) -> Target:
        """This target with ``outcome`` recorded against it."""
        return attrs.evolve(self, outcomes=(*self.outcomes, outcome))
