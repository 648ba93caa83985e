"""The events of a sovereignty handover, and its snapshot.

`HandoverEvents` names them all, for
[`SovereigntyHandover`][sharedsvc.SovereigntyHandover] to inherit
(``SovereigntyHandover.Proposed``). Each has an explicit, stable topic. A field added to an
event after 0.1.0 has a default (a withdrawal's ``ref``), so that an event stored before it
reads back with the default.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, TypeAlias
from uuid import UUID

from eventsourcing.domain import Aggregate

from sharedsvc.domain.aggregate import AggregateEvents, StateSnapshot
from sharedsvc.domain.dated import DatedEvent
from sharedsvc.domain.parties import in_place_of
from sharedsvc.domain.transfers import DataRole, StaffTransfer
from sharedsvc.domain.values import DecisionRef, Function, PartyId

if TYPE_CHECKING:
    from sharedsvc.domain.handover.aggregate import SovereigntyHandover

__all__ = [
    "ConsentGiven",
    "ConsentWithheld",
    "Created",
    "Effected",
    "HandoverEvent",
    "HandoverEvents",
    "HandoverSnapshot",
    "HandoverStatus",
    "PartySucceeded",
    "Proposed",
    "Recalled",
    "Withdrawn",
]


class HandoverStatus(StrEnum):
    """Where a handover stands: ``"proposed"`` until it is effected or withdrawn, then
    ``"recalled"`` after an effected one is recalled. A member is a ``str`` equal to its value."""

    PROPOSED = "proposed"
    EFFECTED = "effected"
    RECALLED = "recalled"
    WITHDRAWN = "withdrawn"


class HandoverEvent(DatedEvent):
    """Base of a handover's events."""


class Created(HandoverEvent, Aggregate.Created):
    """Base of the creation event (never triggered itself: see `Proposed`)."""

    TOPIC = "sharedsvc:SovereigntyHandover.Created"


class Proposed(Created):
    """A council proposed to hand one of its functions over."""

    TOPIC = "sharedsvc:SovereigntyHandover.Proposed"
    partnership_id: UUID
    from_party: PartyId
    function: Function
    staff: tuple[StaffTransfer, ...]
    assets: tuple[str, ...]
    data_role: DataRole | None
    rationale: str | None
    ref: DecisionRef | None
    from_parties: tuple[PartyId, ...] = ()  # of a combined service; empty: from_party alone

    def apply(self, agg: SovereigntyHandover) -> None:
        agg._initialise(
            partnership_id=self.partnership_id,
            from_party=self.from_party,
            from_parties=self.from_parties or (self.from_party,),
            function=self.function,
            staff=self.staff,
            assets=self.assets,
            data_role=self.data_role,
            rationale=self.rationale,
            proposed_on=self.on,
            last_on=self.on,
        )


class ConsentGiven(HandoverEvent):
    TOPIC = "sharedsvc:SovereigntyHandover.ConsentGiven"
    party: PartyId
    ref: DecisionRef | None

    def apply(self, agg: SovereigntyHandover) -> None:
        agg.withheld.pop(self.party, None)
        agg.consents[self.party] = self.ref


class ConsentWithheld(HandoverEvent):
    TOPIC = "sharedsvc:SovereigntyHandover.ConsentWithheld"
    party: PartyId
    reason: str | None
    ref: DecisionRef | None

    def apply(self, agg: SovereigntyHandover) -> None:
        agg.consents.pop(self.party, None)
        agg.withheld[self.party] = self.reason


class Withdrawn(HandoverEvent):
    TOPIC = "sharedsvc:SovereigntyHandover.Withdrawn"
    by: PartyId
    reason: str | None
    ref: DecisionRef | None = None

    def apply(self, agg: SovereigntyHandover) -> None:
        agg.status = HandoverStatus.WITHDRAWN


class Effected(HandoverEvent):
    TOPIC = "sharedsvc:SovereigntyHandover.Effected"
    by: PartyId
    ref: DecisionRef | None

    def apply(self, agg: SovereigntyHandover) -> None:
        agg.status = HandoverStatus.EFFECTED
        agg.effected_on = self.on


class Recalled(HandoverEvent):
    """A from-party took its share of the function back (``by``), or the partnership's
    dissolution returned every share (``by`` is ``None``). The handover is recalled once no
    share is left pooled."""

    TOPIC = "sharedsvc:SovereigntyHandover.Recalled"
    by: PartyId | None
    reason: str | None
    ref: DecisionRef | None

    def apply(self, agg: SovereigntyHandover) -> None:
        returned = () if self.by is None else (*agg.returned, self.by)
        if self.by is None or set(agg.from_parties) <= set(returned):
            agg.status = HandoverStatus.RECALLED
            agg.recalled_on = self.on
        else:
            agg.returned = returned


class PartySucceeded(HandoverEvent):
    """A party was succeeded (written with the partnership's succession, on each handover it
    consented to while proposed, or whose function it cedes): its consent counts for each of
    ``inheriting`` (its successors that had not answered), and, if it is the council that
    cedes the function, its ``successors`` cede it instead."""

    TOPIC = "sharedsvc:SovereigntyHandover.PartySucceeded"
    predecessor: PartyId
    successors: tuple[PartyId, ...]
    inheriting: tuple[PartyId, ...]
    consent: DecisionRef | None
    ref: DecisionRef | None

    def apply(self, agg: SovereigntyHandover) -> None:
        for heir in self.inheriting:
            agg.consents[heir] = self.consent
        ceding = agg.from_parties or (agg.from_party,)
        if self.predecessor in ceding:
            agg.from_parties = in_place_of(ceding, self.predecessor, self.successors)
            agg.ceded_by = agg.from_parties
            if self.predecessor in agg.consents:  # its own consent to cede stands for them
                for heir in self.successors:
                    if heir not in agg.withheld:  # an absorbing party that withheld keeps it
                        agg.consents.setdefault(heir, agg.consents[self.predecessor])


class HandoverSnapshot(StateSnapshot):
    """A handover's state at a version."""

    TOPIC = "sharedsvc:SovereigntyHandover.Snapshot"


class HandoverEvents(AggregateEvents):
    """The handover's events, inherited by
    [`SovereigntyHandover`][sharedsvc.SovereigntyHandover]."""

    Event: TypeAlias = HandoverEvent
    Created: TypeAlias = Created
    Proposed: TypeAlias = Proposed
    ConsentGiven: TypeAlias = ConsentGiven
    ConsentWithheld: TypeAlias = ConsentWithheld
    Withdrawn: TypeAlias = Withdrawn
    Effected: TypeAlias = Effected
    Recalled: TypeAlias = Recalled
    PartySucceeded: TypeAlias = PartySucceeded
    Snapshot: TypeAlias = HandoverSnapshot
