"""What a partnership records of handovers and disputes: pooled functions and frozen acts.

The [`SovereigntyHandover`][sharedsvc.SovereigntyHandover] and
[`Dispute`][sharedsvc.Dispute] aggregates call these commands in the same save as
their own events, so that the partnership's record and theirs never disagree. They are methods
of [`Partnership`][sharedsvc.Partnership] (``self`` is the partnership).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from typing import TYPE_CHECKING
from uuid import UUID

from sharedsvc.domain.checks import require_date, require_member
from sharedsvc.domain.errors import RuleViolation
from sharedsvc.domain.partnership import events as ev
from sharedsvc.domain.records import PooledFunction
from sharedsvc.domain.values import Function, PartyId

if TYPE_CHECKING:
    from sharedsvc.domain.partnership.aggregate import Partnership

__all__ = [
    "check_not_deferred",
    "check_poolable",
    "defer_act",
    "pool_function",
    "pooled_by",
    "release_act",
    "return_function",
    "returns_pending",
]


def check_poolable(
    self: Partnership, from_party: PartyId, function: Function, handover_id: UUID
) -> None:
    """Refuse unless ``function`` of ``from_party`` can be pooled now: the partnership
    stands, the party is a member, no dispute freezes the handover, the stage is at or
    past the category's minimum, and nobody holds the function already."""
    self._refuse_if_closed()
    require_member(from_party, self.active, self._where)
    self.check_not_deferred(handover_id, "the handover")
    minimum = self.policy.minimum_stage(function.category)
    if self.stage < minimum:
        raise RuleViolation(
            "stage-minimum-for-function",
            f"{function.category} functions are pooled from {minimum.value}; the partnership "
            f"is {self.stage.value}: change stage first",
        )
    held = self.pooled.get(PooledFunction.key_of(from_party, function))
    if held is not None:
        raise RuleViolation(
            "one-holder-per-function",
            f"{function.id} of {from_party} is already pooled (handover {held.handover_id}, "
            f"since {held.since.isoformat()}): recall it first",
        )


def check_not_deferred(self: Partnership, act: UUID, what: str) -> None:
    """Rule ``deferred-act-frozen``: no open dispute has deferred ``act``."""
    dispute = self.deferred.get(act)
    if dispute is not None:
        raise RuleViolation(
            "deferred-act-frozen",
            f"{what} is deferred by dispute {dispute}: settle, determine or withdraw the "
            "dispute first",
        )


def pool_function(
    self: Partnership,
    *,
    handover_id: UUID,
    from_party: PartyId,
    function: Function,
    on: date,
    at: datetime | None = None,
) -> None:
    """Record that the shared service now holds ``function`` of ``from_party``."""
    self.check_poolable(from_party, function, handover_id)
    require_date(on, self.last_on, "the handover")
    self._trigger(
        ev.FunctionPooled, at, handover_id=handover_id, from_party=from_party,
        function=function, on=on,
    )  # fmt: skip


def pooled_by(self: Partnership, handover_id: UUID) -> PooledFunction | None:
    """The function pooled by the handover ``handover_id``, if it is still pooled."""
    for pooled in self.pooled.values():
        if pooled.handover_id == handover_id:
            return pooled
    return None


def return_function(
    self: Partnership,
    *,
    handover_id: UUID,
    reason: str | None,
    on: date,
    at: datetime | None = None,
    dissolution: UUID | None = None,
    from_party: PartyId | None = None,
) -> None:
    """Record that the function pooled by ``handover_id`` (``from_party``'s share of it, if
    given) went back to its council (on the effective date ``on`` of the dissolution
    ``dissolution``, if one returns it)."""
    pooled = self.pooled_by(handover_id)
    if from_party is not None:
        pooled = next(
            (p for p in self.pooled.values()
             if p.handover_id == handover_id and p.from_party == from_party),
            None,
        )  # fmt: skip
    if pooled is None:
        raise RuleViolation(
            "one-holder-per-function", f"handover {handover_id} has no function pooled"
        )
    require_date(on, self.last_on, "the recall")
    self._trigger(
        ev.FunctionReturned, at, handover_id=handover_id, from_party=pooled.from_party,
        function=pooled.function, reason=reason, dissolution=dissolution, on=on,
    )  # fmt: skip


def returns_pending(self: Partnership) -> Iterator[ev.FunctionReturned]:
    """The functions returned to their councils since the partnership was last saved (a
    dissolution returns every pooled function), as the events that return them."""
    return (event for event in self.pending_events if isinstance(event, ev.FunctionReturned))


def defer_act(
    self: Partnership, *, act: UUID, dispute_id: UUID, on: date, at: datetime | None = None
) -> None:
    """Freeze ``act`` until the dispute ``dispute_id`` is resolved."""
    self._refuse_if_closed(on)
    self.check_not_deferred(act, "the act")
    require_date(on, self.last_on, "the deferral")
    self._trigger(ev.ActDeferred, at, act=act, dispute_id=dispute_id, on=on)


def release_act(
    self: Partnership, *, act: UUID, dispute_id: UUID, on: date, at: datetime | None = None
) -> None:
    """Release ``act``, frozen by the dispute ``dispute_id``."""
    if self.deferred.get(act) != dispute_id:
        raise RuleViolation(
            "deferred-act-frozen", f"dispute {dispute_id} does not hold act {act} frozen"
        )
    require_date(on, self.last_on, "the release")
    self._trigger(ev.ActReleased, at, act=act, dispute_id=dispute_id, on=on)
