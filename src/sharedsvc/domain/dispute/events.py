"""The events of a dispute, and its snapshot.

`DisputeEvents` names them all, for [`Dispute`][sharedsvc.Dispute] to inherit
(``Dispute.Escalated``). Each has an explicit, stable topic. A field added to an event after
0.1.0 has a default (the decision reference ``ref`` of every act), so that an event stored
before it reads back with the default (eventsourcing reads a stored event's state as its
attributes, and a field missing from it falls back to the class's default).
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Any, TypeAlias
from uuid import UUID

from eventsourcing.domain import Aggregate
from immutabledict import immutabledict

from sharedsvc.domain.aggregate import AggregateEvents, StateSnapshot
from sharedsvc.domain.dated import DatedEvent
from sharedsvc.domain.values import Concession, DecisionRef, PartyId, Rung

if TYPE_CHECKING:
    from sharedsvc.domain.dispute.aggregate import Dispute

__all__ = [
    "Created",
    "DecisionDeferred",
    "Determined",
    "DisputeEvent",
    "DisputeEvents",
    "DisputeSnapshot",
    "DisputeStatus",
    "Escalated",
    "MediatorAppointed",
    "PartySucceeded",
    "PositionStated",
    "Raised",
    "Settled",
    "SettlementAccepted",
    "SettlementProposed",
    "Withdrawn",
]


class DisputeStatus(StrEnum):
    """Where a dispute stands: ``"open"`` until it is settled, determined or withdrawn. A member
    is a ``str`` equal to its value."""

    OPEN = "open"
    SETTLED = "settled"
    DETERMINED = "determined"
    WITHDRAWN = "withdrawn"


class DisputeEvent(DatedEvent):
    """Base of a dispute's events."""


class Created(DisputeEvent, Aggregate.Created):
    """Base of the creation event (never triggered itself: see `Raised`)."""

    TOPIC = "sharedsvc:Dispute.Created"


class Raised(Created):
    """A party raised a dispute against others, at the ladder's lowest rung."""

    TOPIC = "sharedsvc:Dispute.Raised"
    partnership_id: UUID
    raised_by: PartyId
    against: tuple[PartyId, ...]
    subject: str
    act: UUID | None
    ladder: tuple[Rung, ...]
    ref: DecisionRef | None = None

    def apply(self, agg: Dispute) -> None:
        agg._initialise(
            partnership_id=self.partnership_id,
            raised_by=self.raised_by,
            parties=(self.raised_by, *self.against),
            subject=self.subject,
            act=self.act,
            ladder=self.ladder,
            rung=self.ladder[0],
            rungs=[(self.ladder[0], self.on, None)],
            last_on=self.on,
        )


class DecisionDeferred(DisputeEvent):
    TOPIC = "sharedsvc:Dispute.DecisionDeferred"
    act: UUID

    def apply(self, agg: Dispute) -> None:
        agg.deferred = True


class Escalated(DisputeEvent):
    TOPIC = "sharedsvc:Dispute.Escalated"
    by: PartyId
    from_rung: Rung
    to: Rung
    reason: str | None
    ref: DecisionRef | None = None

    def apply(self, agg: Dispute) -> None:
        agg.rung = self.to
        agg.rungs.append((self.to, self.on, self.reason))


class PositionStated(DisputeEvent):
    TOPIC = "sharedsvc:Dispute.PositionStated"
    party: PartyId
    position: immutabledict[str, Any]
    ref: DecisionRef | None = None

    def apply(self, agg: Dispute) -> None:
        agg.positions[self.party] = self.position


class SettlementProposed(DisputeEvent):
    TOPIC = "sharedsvc:Dispute.SettlementProposed"
    by: PartyId
    terms: immutabledict[str, Any]
    ref: DecisionRef | None = None

    def apply(self, agg: Dispute) -> None:
        agg.proposal = self.terms
        agg.accepted = []


class SettlementAccepted(DisputeEvent):
    TOPIC = "sharedsvc:Dispute.SettlementAccepted"
    party: PartyId
    ref: DecisionRef | None = None

    def apply(self, agg: Dispute) -> None:
        agg.accepted.append(self.party)


class Settled(DisputeEvent):
    TOPIC = "sharedsvc:Dispute.Settled"
    terms: immutabledict[str, Any]
    concessions: tuple[Concession, ...]

    def apply(self, agg: Dispute) -> None:
        agg.status = DisputeStatus.SETTLED
        agg.closed_on = self.on
        agg.outcome = self.terms
        agg.concessions = self.concessions


class MediatorAppointed(DisputeEvent):
    TOPIC = "sharedsvc:Dispute.MediatorAppointed"
    mediator: str
    by: PartyId
    ref: DecisionRef | None = None

    def apply(self, agg: Dispute) -> None:
        agg.mediator = self.mediator


class Determined(DisputeEvent):
    TOPIC = "sharedsvc:Dispute.Determined"
    arbiter: str
    terms: immutabledict[str, Any]
    concessions: tuple[Concession, ...]
    ref: DecisionRef | None = None

    def apply(self, agg: Dispute) -> None:
        agg.status = DisputeStatus.DETERMINED
        agg.closed_on = self.on
        agg.outcome = self.terms
        agg.concessions = self.concessions


class Withdrawn(DisputeEvent):
    TOPIC = "sharedsvc:Dispute.Withdrawn"
    by: PartyId
    reason: str | None
    ref: DecisionRef | None = None

    def apply(self, agg: Dispute) -> None:
        agg.status = DisputeStatus.WITHDRAWN
        agg.closed_on = self.on


class PartySucceeded(DisputeEvent):
    """A disputing party was succeeded (written with the partnership's succession): its
    successors take its place, with its stated position; its acceptance lapses."""

    TOPIC = "sharedsvc:Dispute.PartySucceeded"
    predecessor: PartyId
    successors: tuple[PartyId, ...]
    ref: DecisionRef | None

    def apply(self, agg: Dispute) -> None:
        parties: list[PartyId] = []
        for party in agg.parties:
            for heir in self.successors if party == self.predecessor else (party,):
                if heir not in parties:
                    parties.append(heir)
        agg.parties = tuple(parties)
        if agg.raised_by == self.predecessor:
            agg.raised_by = self.successors[0]
        position = agg.positions.pop(self.predecessor, None)
        if position is not None:
            for heir in self.successors:
                agg.positions.setdefault(heir, position)
        agg.accepted = [party for party in agg.accepted if party != self.predecessor]


class DisputeSnapshot(StateSnapshot):
    """A dispute's state at a version."""

    TOPIC = "sharedsvc:Dispute.Snapshot"


class DisputeEvents(AggregateEvents):
    """The dispute's events, inherited by [`Dispute`][sharedsvc.Dispute]."""

    Event: TypeAlias = DisputeEvent
    Created: TypeAlias = Created
    Raised: TypeAlias = Raised
    DecisionDeferred: TypeAlias = DecisionDeferred
    Escalated: TypeAlias = Escalated
    PositionStated: TypeAlias = PositionStated
    SettlementProposed: TypeAlias = SettlementProposed
    SettlementAccepted: TypeAlias = SettlementAccepted
    Settled: TypeAlias = Settled
    MediatorAppointed: TypeAlias = MediatorAppointed
    Determined: TypeAlias = Determined
    Withdrawn: TypeAlias = Withdrawn
    PartySucceeded: TypeAlias = PartySucceeded
    Snapshot: TypeAlias = DisputeSnapshot
