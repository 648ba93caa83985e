"""The partnership's side of handovers and disputes: functions pooled and returned, acts
deferred and released."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeAlias
from uuid import UUID

from sharedsvc.domain.aggregate import AggregateEvents
from sharedsvc.domain.partnership.events.base import PartnershipEvent
from sharedsvc.domain.records import PooledFunction
from sharedsvc.domain.values import Function, PartyId

if TYPE_CHECKING:
    from sharedsvc.domain.partnership.aggregate import Partnership

__all__ = ["ActDeferred", "ActReleased", "FunctionPooled", "FunctionReturned", "PoolingEvents"]


class FunctionPooled(PartnershipEvent):
    """A handover took effect: the shared service holds the function (written in the same save
    as the handover's own event)."""

    TOPIC = "sharedsvc:Partnership.FunctionPooled"
    handover_id: UUID
    from_party: PartyId
    function: Function

    def apply(self, agg: Partnership) -> None:
        pooled = PooledFunction(self.from_party, self.function, self.handover_id, self.on)
        agg.pooled[pooled.key] = pooled


class FunctionReturned(PartnershipEvent):
    """A pooled function went back to its council (written when its handover is recalled, or
    with a dissolution).

    ``dissolution`` is the id of the dissolving variation whose adoption wrote it: such a
    return is dated on the dissolution's effective date, recorded ahead of it (see
    `DatedEvent.ahead`), and in a view as of a date before that the function stays pooled.
    A return written by a dissolution before 0.2 has no ``dissolution`` and is dated on the
    adoption, as it was recorded."""

    TOPIC = "sharedsvc:Partnership.FunctionReturned"
    handover_id: UUID
    from_party: PartyId
    function: Function
    reason: str | None
    dissolution: UUID | None = None

    @property
    def ahead(self) -> bool:
        return self.dissolution is not None

    def apply(self, agg: Partnership) -> None:
        if self.dissolution is not None and self.dissolution in agg.scheduled:
            return  # a view as of a date before the dissolution took effect
        agg.pooled.pop(PooledFunction.key_of(self.from_party, self.function), None)


class ActDeferred(PartnershipEvent):
    """A dispute froze an act (a variation or a handover) until it is resolved."""

    TOPIC = "sharedsvc:Partnership.ActDeferred"
    act: UUID
    dispute_id: UUID

    def apply(self, agg: Partnership) -> None:
        agg.deferred[self.act] = self.dispute_id


class ActReleased(PartnershipEvent):
    """The dispute that froze an act was settled, determined or withdrawn."""

    TOPIC = "sharedsvc:Partnership.ActReleased"
    act: UUID
    dispute_id: UUID

    def apply(self, agg: Partnership) -> None:
        agg.deferred.pop(self.act, None)


class PoolingEvents(AggregateEvents):
    """This module's part of `sharedsvc.domain.partnership.events.PartnershipEvents`."""

    FunctionPooled: TypeAlias = FunctionPooled
    FunctionReturned: TypeAlias = FunctionReturned
    ActDeferred: TypeAlias = ActDeferred
    ActReleased: TypeAlias = ActReleased
