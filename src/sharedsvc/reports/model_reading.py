"""What [`gather`][sharedsvc.reports.gather] reads beside the report's own values: its
progress, and the pieces taken straight from the trail and the events (the handovers and
disputes the trail names, approval dates, successions' shares, where the report's time ends).

This module draws nothing and must not import matplotlib.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from typing import TYPE_CHECKING, Any
from uuid import UUID

from immutabledict import immutabledict

from sharedsvc import acts
from sharedsvc.domain.values import PartyId
from sharedsvc.domain.views import PartnershipView
from sharedsvc.projections.audit import AuditEntry

if TYPE_CHECKING:
    from sharedsvc.reports.model import Membership

__all__ = ["GATHER_STEPS", "approval_dates", "inherited", "named", "steps", "until"]

GATHER_STEPS = 8
"""The parts [`gather`][sharedsvc.reports.gather] reports to its ``progress`` as it reads them:
the trail, the partnership's events, its variations, handovers, disputes, compromises, cost
shares, and the rest (notes and standing)."""


def steps(progress: Callable[[int], None] | None) -> Callable[[], None]:
    """A function that tells ``progress`` one more part is read."""
    count = 0

    def done() -> None:
        nonlocal count
        count += 1
        if progress is not None:
            progress(count)

    return done


def named(trail: Iterable[AuditEntry], aggregate: str) -> list[UUID]:
    """The ids of the ``aggregate``\\ s the trail names, in the order it first names them."""
    return list(dict.fromkeys(e.aggregate_id for e in trail if e.aggregate == aggregate))


def approval_dates(events: Iterable[Any]) -> immutabledict[UUID, immutabledict[str, date]]:
    """Each variation -> each party that approved it -> the date of its latest approval."""
    found: dict[UUID, dict[str, date]] = {}
    for e in events:
        if isinstance(e, acts.ApproveVariation.records):
            found.setdefault(e.variation_id, {})[e.party] = e.on
    return immutabledict((vid, immutabledict(dates)) for vid, dates in found.items())


def inherited(events: Iterable[Any]) -> dict[UUID, dict[str, tuple[PartyId, date]]]:
    """Each handover -> each party that took over a share of its pooled function by
    succession -> the council it took it from and the vesting day."""
    found: dict[UUID, dict[str, tuple[PartyId, date]]] = {}
    for e in events:
        if isinstance(e, acts.Succeed.records):
            for pooled in e.pooled:
                found.setdefault(pooled.handover_id, {})[pooled.from_party] = (
                    e.predecessor,
                    e.on,
                )
    return found


def until(
    view: PartnershipView, trail: Iterable[AuditEntry], memberships: Iterable[Membership]
) -> date:
    """Where a report's time runs to: the dissolution, or else the latest date the record
    names (a scheduled variation's effect, a pending notice's effect included)."""
    dates = [view.formed_on, view.last_on, *(e.on for e in trail)]
    if view.dissolved_on is not None:
        dates.append(view.dissolved_on)
    else:
        dates += [v.effective for v in view.scheduled_variations if v.effective is not None]
        dates += [
            m.notice_effective
            for m in memberships
            if m.notice_effective is not None and m.left is None and m.notice_retracted_on is None
        ]
    return max(dates)
