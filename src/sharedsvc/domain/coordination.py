"""Acts that write to more than one aggregate, and the unit of work they write through.

A handover that takes effect pools its function on the partnership; a dispute that defers an act
freezes it on the partnership, and releases it when it is settled, determined or withdrawn; a
dissolution returns every pooled function and recalls the handovers that pooled them; a succession
passes a party's place in open handovers and disputes to its successors. Each of these
writes events to two or more aggregates with one recorded time, saved together or not at all. The
aggregates come from a [`Unit`][sharedsvc.acts.Unit], which the application provides (loading from
its store, and saving what changed in one go); this module only says which aggregates an act
involves and in what order it acts on them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from datetime import date, datetime
from typing import Any, Protocol, TypeVar
from uuid import UUID

from sharedsvc.domain.dispute import Dispute
from sharedsvc.domain.errors import NotFound, RuleViolation
from sharedsvc.domain.handover import HandoverStatus, SovereigntyHandover
from sharedsvc.domain.partnership import Partnership
from sharedsvc.domain.values import DecisionRef, Party

__all__ = [
    "Unit",
    "check_disputed_act",
    "recall_dissolved",
    "release_if_resolved",
    "succeed_within",
    "with_partnership",
]

A = TypeVar("A", SovereigntyHandover, Dispute)


class Unit(Protocol):
    """The aggregates one act reads and writes, loaded once each; what changed is saved in one
    go when the act is done, and nothing is saved if it raises."""

    def partnership(self, pid: object) -> Partnership:
        """The partnership ``pid`` (``NotFound`` if there is none)."""

    def handover(self, hid: object) -> SovereigntyHandover:
        """The handover ``hid`` (``NotFound`` if there is none)."""

    def dispute(self, did: object) -> Dispute:
        """The dispute ``did`` (``NotFound`` if there is none)."""

    def add(self, aggregate: Any) -> UUID:
        """A new aggregate the act made, saved first; returns its id."""

    def now(self) -> datetime:
        """The one recorded time of the act's events, never before the latest recorded time
        of any aggregate loaded so far."""

    def uuid(self, value: object, what: str) -> UUID:
        """``value`` as an id (``NotFound`` naming ``what`` if it cannot be one)."""

    def partnership_ids(self) -> Iterator[UUID]:
        """The id of every partnership in the store, in the order they were formed."""

    def opened_within(self, pid: UUID) -> Iterator[UUID]:
        """The id of every handover and dispute opened within the partnership ``pid``."""


def with_partnership(unit: Unit, aggregate: A) -> tuple[A, Partnership]:
    """A handover or dispute, and the partnership it belongs to."""
    return aggregate, unit.partnership(aggregate.partnership_id)


def recall_dissolved(unit: Unit, partnership: Partnership) -> None:
    """Recall the handovers whose functions the act just returned by dissolving ``partnership``,
    dated and recorded as the returns."""
    returns = {event.handover_id: event for event in partnership.returns_pending()}
    for event in returns.values():  # once a handover, whatever the shares it pooled
        handover = unit.handover(event.handover_id)
        if handover.status is HandoverStatus.RECALLED:  # pooled from several successors
            continue
        handover.recall(partnership, by=None, reason=event.reason, on=event.on, at=event.timestamp)


def check_disputed_act(unit: Unit, partnership: Partnership, act: object, defer: bool) -> UUID:
    """``act`` as the id of a variation or handover of ``partnership``; to defer it, one not yet
    taken (a variation awaiting approval, a handover not yet in effect)."""
    uid = unit.uuid(act, "act")
    if uid in partnership.variations or (not defer and uid in partnership.closed):
        return uid
    try:
        handover = unit.handover(uid)
    except NotFound:
        raise NotFound(
            f"{uid} is neither an open variation nor a handover of this partnership"
        ) from None
    if handover.partnership_id != partnership.id or (
        defer and handover.status is not HandoverStatus.PROPOSED
    ):
        raise RuleViolation(
            "dispute-shape",
            f"handover {uid} is {handover.status}"
            + ("" if handover.partnership_id == partnership.id else " in another partnership")
            + ": only an act not yet taken can be disputed and deferred",
        )
    return uid


def release_if_resolved(dispute: Dispute, partnership: Partnership) -> None:
    """Once ``dispute`` is resolved, release the act it deferred, dated and recorded with the
    dispute's last event."""
    if dispute.resolved and dispute.deferred and dispute.act in partnership.deferred:
        assert dispute.act is not None
        last: Any = dispute.pending_events[-1]
        partnership.release_act(
            act=dispute.act, dispute_id=dispute.id, on=last.on, at=last.timestamp
        )


def succeed_within(
    unit: Unit,
    partnership: Partnership,
    *,
    party: str,
    successors: Iterable[Party],
    split: Mapping[str, object] | None,
    on: date,
    ref: DecisionRef | None,
) -> None:
    """Succeed ``party`` in ``partnership`` and in its open handovers and disputes, with one
    recorded time (the partnership checks the succession; each handover and dispute then
    passes the party's place to its successors)."""
    others: list[SovereigntyHandover | Dispute] = []
    for uid in unit.opened_within(partnership.id):
        try:
            others.append(unit.handover(uid))
        except NotFound:
            others.append(unit.dispute(uid))
    moment = unit.now()
    partnership.succeed(party=party, successors=successors, split=split, on=on, ref=ref, at=moment)
    event = partnership.pending_events[-1]
    heirs = tuple(heir.id for heir in event.successors)  # type: ignore[attr-defined]
    for other in others:
        other.succeed(
            predecessor=event.predecessor,  # type: ignore[attr-defined]
            successors=heirs,
            on=on,
            ref=event.ref,  # type: ignore[attr-defined]
            at=moment,
        )
