"""What every partnership event shares: the base event, the creation base, and the snapshot."""

from __future__ import annotations

from typing import TypeAlias

from eventsourcing.domain import Aggregate

from sharedsvc.domain.aggregate import AggregateEvents, StateSnapshot
from sharedsvc.domain.dated import DatedEvent

__all__ = ["BaseEvents", "Created", "PartnershipEvent", "PartnershipSnapshot"]


class PartnershipEvent(DatedEvent):
    """Base of the partnership's events: each carries its legal date ``on``."""


class Created(PartnershipEvent, Aggregate.Created):
    """Base of the creation event (never triggered itself: the formation's event, in
    `sharedsvc.domain.partnership.events.formation`, is)."""

    TOPIC = "sharedsvc:Partnership.Created"


class PartnershipSnapshot(StateSnapshot):
    """The partnership's state at a version, stored so that loading skips older events."""

    TOPIC = "sharedsvc:Partnership.Snapshot"


class BaseEvents(AggregateEvents):
    """The classes eventsourcing looks for on every aggregate: its base event, its creation
    base and its snapshot."""

    Event: TypeAlias = PartnershipEvent
    Created: TypeAlias = Created
    Snapshot: TypeAlias = PartnershipSnapshot
