"""The events of the working relationship: readiness assessed, targets set and outcomes
recorded against them. None of them changes the terms."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, TypeAlias
from uuid import UUID

from immutabledict import immutabledict

from sharedsvc.domain.aggregate import AggregateEvents
from sharedsvc.domain.partnership.events.base import PartnershipEvent
from sharedsvc.domain.readiness import AreaScore
from sharedsvc.domain.targets import Outcome, Target
from sharedsvc.domain.values import DecisionRef, Money, PartyId

if TYPE_CHECKING:
    from sharedsvc.domain.partnership.aggregate import Partnership

__all__ = ["OutcomeRecorded", "ReadinessAssessed", "RelationshipEvents", "TargetSet"]


class ReadinessAssessed(PartnershipEvent):
    """``by`` assessed ``party``'s readiness: ``scores`` by area (some or all of the
    policy's areas), each a whole number from 0 to 5."""

    TOPIC = "sharedsvc:Partnership.ReadinessAssessed"
    party: PartyId
    scores: immutabledict[str, int]
    by: PartyId
    ref: DecisionRef | None

    def apply(self, agg: Partnership) -> None:
        for area, score in self.scores.items():
            latest = AreaScore(self.party, area, score, self.on)
            agg.readiness[latest.key] = latest


class TargetSet(PartnershipEvent):
    """``by`` set the target ``target_id``: ``amount`` of ``kind`` by ``due``, binding ``party``
    (``None``: the partnership)."""

    TOPIC = "sharedsvc:Partnership.TargetSet"
    target_id: UUID
    kind: str
    amount: Money
    due: date
    party: PartyId | None
    by: PartyId
    ref: DecisionRef | None

    def apply(self, agg: Partnership) -> None:
        agg.targets[self.target_id] = self.target

    @property
    def target(self) -> Target:
        """The record of the target this event set."""
        return Target(
            self.target_id, self.kind, self.amount, self.due, self.party, self.by, self.on,
            self.ref,
        )  # fmt: skip


class OutcomeRecorded(PartnershipEvent):
    """``by`` recorded ``amount`` achieved against the target ``target_id``."""

    TOPIC = "sharedsvc:Partnership.OutcomeRecorded"
    target_id: UUID
    amount: Money
    by: PartyId
    ref: DecisionRef | None

    def apply(self, agg: Partnership) -> None:
        target = agg.targets[self.target_id]
        agg.targets[self.target_id] = target.with_outcome(self.outcome)

    @property
    def outcome(self) -> Outcome:
        """The record of this outcome."""
        return Outcome(self.amount, self.by, self.on, self.ref)


class RelationshipEvents(AggregateEvents):
    """This module's part of `sharedsvc.domain.partnership.events.PartnershipEvents`."""

    ReadinessAssessed: TypeAlias = ReadinessAssessed
    TargetSet: TypeAlias = TargetSet
    OutcomeRecorded: TypeAlias = OutcomeRecorded
