"""Reading a store's global event log: a page at a time, and one partnership's part of it.

A partnership's history is its own events and those of its handovers and disputes, which are
separate aggregates; merged in the order of the global log they are the order the acts were taken
in. Handovers and disputes are found by their first event, which names the partnership: the event of
an act of the catalogue ([`sharedsvc.acts`][sharedsvc.acts]) that acts on the partnership and makes
something recorded under an id of its own.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from uuid import UUID

from sharedsvc.acts import Act, FormPartnership, openings
from sharedsvc.application import SharedServices
from sharedsvc.domain.errors import NotFound
from sharedsvc.persistence import notifications

__all__ = ["notifications", "partnership_log", "positioned_log"]

CREATED_WITH_A_PARTNERSHIP: dict[str, type[Act[Any]]] = openings()
"""The acts that make a handover or a dispute of a partnership, by their event's topic."""


def partnership_log(app: SharedServices, pid: UUID) -> Iterator[Any]:
    """The events of partnership ``pid`` and of its handovers and disputes, in log order, as
    the log stood when reading began (``NotFound`` for an unknown partnership)."""
    return (event for _, event in positioned_log(app, pid))


def positioned_log(app: SharedServices, pid: UUID) -> Iterator[tuple[int, Any]]:
    """`partnership_log` with each event's position in the store's global log."""
    pid = app.partnership(pid).id
    stop = app.recorder.max_notification_id()
    formations = notifications(app.recorder, stop=stop, topics=[FormPartnership.records.TOPIC])
    start = next((n.id for n in formations if n.originator_id == pid), None)
    if start is None:  # pragma: no cover - the view was read from the same store
        raise NotFound(f"partnership {pid} has no formation in the store's log")
    members = {pid}
    for notification in notifications(app.recorder, start=start, stop=stop):
        if notification.originator_id in members:
            yield notification.id, app.mapper.to_domain_event(notification)
        elif notification.topic in CREATED_WITH_A_PARTNERSHIP:
            event: Any = app.mapper.to_domain_event(notification)
            if CREATED_WITH_A_PARTNERSHIP[notification.topic].read(event, "pid") == pid:
                members.add(event.originator_id)
                yield notification.id, event
