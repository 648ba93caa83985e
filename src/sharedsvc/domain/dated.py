"""What every aggregate's events share: the legal date ``on`` of the act, normalised values,
and one recorded time per command."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from typing import Any

from eventsourcing.domain import Aggregate, datetime_now_with_tzinfo

from sharedsvc.domain.values import freeze

__all__ = ["DatedEvent", "stamp"]


class DatedEvent(Aggregate.Event):
    """Base of sharedsvc's events: each carries the legal date ``on`` of its act, besides
    eventsourcing's recording ``timestamp``, and applying it sets the aggregate's
    ``last_on``."""

    on: date

    @property
    def ahead(self) -> bool:
        """Whether the event was recorded ahead of its legal date ``on``, as a consequence
        scheduled by an earlier act (a dissolution's returns, dated on its effective date).
        Such an event does not move the aggregate's ``last_on``, and a view as of an earlier
        date leaves it out without stopping there."""
        return False

    def mutate(self, aggregate: Any) -> Any:
        agg: Any = super().mutate(aggregate)
        if not self.ahead:
            agg.last_on = self.on
        return agg

    def __post_init__(self) -> None:
        super().__post_init__()
        self.normalise()

    def normalise(self) -> None:
        """Turn lists into tuples and mappings into ``immutabledict``s, so that an event read
        back from JSON equals the event that was written (called on construction, and by
        `SharedServicesMapper` on decoding)."""
        for field in dataclasses.fields(self):
            value = getattr(self, field.name)
            frozen = freeze(value)
            if frozen is not value:
                object.__setattr__(self, field.name, frozen)


def stamp(at: datetime | None, *aggregates: Any) -> datetime:
    """The recorded time of a command: ``at`` (or now), never before the latest recorded time
    of any aggregate it writes to, so that recorded times never go backwards."""
    moments: list[datetime] = [datetime_now_with_tzinfo() if at is None else at]
    moments += [aggregate.modified_on for aggregate in aggregates]
    return max(moments)
