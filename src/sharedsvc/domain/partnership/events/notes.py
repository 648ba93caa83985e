"""The events that record outside events, which explain later acts and change no terms."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeAlias

from sharedsvc.domain.aggregate import AggregateEvents
from sharedsvc.domain.partnership.events.base import PartnershipEvent
from sharedsvc.domain.values import DecisionRef, PartyId

if TYPE_CHECKING:
    from sharedsvc.domain.partnership.aggregate import Partnership

__all__ = ["NoteEvents", "NoteRecorded"]


class NoteRecorded(PartnershipEvent):
    """A member recorded an outside event that explains later acts; it changes no terms."""

    TOPIC = "sharedsvc:Partnership.NoteRecorded"
    kind: str
    text: str
    party: PartyId | None
    by: PartyId
    ref: DecisionRef | None

    def apply(self, agg: Partnership) -> None:
        pass


class NoteEvents(AggregateEvents):
    """This module's part of `sharedsvc.domain.partnership.events.PartnershipEvents`."""

    NoteRecorded: TypeAlias = NoteRecorded
