"""The audit trail: every event of a partnership, its handovers and disputes, in log order.

It pages through the store's global event log, as the log stood when the trail was asked for,
decoding only the events that may belong to the partnership (its own, and the opening event of
every handover and dispute, to learn which belong to it). What it keeps while it reads is about
the one partnership (`Narrator`), so a trail can be
streamed from a store of many partnerships and millions of events.

Bounds. ``since`` and ``until`` each take a ``date`` or a ``datetime``, or ``None`` for no bound:

* a ``date`` bounds the legal date ``on`` of the act;
* a ``datetime`` bounds the time the event was recorded (a naive one is read as UTC).

Both ends are inclusive, and the two kinds combine: ``since=date(2016, 1, 1),
until=datetime(2024, 5, 1)`` is every act dated 2016 or later that was on record by 1 May 2024.
Bounds never change the order of the trail, which is always the order of the log: history
entered late (a 2015 decision recorded today) comes where it was recorded.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID

import attrs
from eventsourcing.persistence import ApplicationRecorder, Mapper

from sharedsvc.domain.errors import RuleViolation
from sharedsvc.domain.validators import shown
from sharedsvc.domain.values import INVALID, DecisionRef
from sharedsvc.persistence import notifications
from sharedsvc.projections.audit_narrator import Narrator

__all__ = ["AuditEntry", "audit_entries", "audit_entries_of"]


@attrs.frozen
class AuditEntry:
    """One event of a partnership's audit trail.

    ``position`` is the event's place in the store's global log; ``on`` the legal date of the
    act and ``recorded_at`` when it was recorded (UTC); ``actor`` the party that acted (an
    arbiter's name for a determination; ``None`` for joint acts and their consequences, such as
    a formation or an adoption); ``ref`` the decision reference recorded with the act; ``event``
    the event's name (its class's, as its topic ends) and ``summary`` one line a person can
    read.
    ``aggregate`` says whose event it is (``"partnership"``, ``"handover"`` or ``"dispute"``),
    ``aggregate_id`` and ``version`` which one and where in its history. ``unreferenced`` marks
    an act that normally carries a decision reference and has none (see
    `NEEDS_AUTHORITY`).
    """

    position: int
    on: date
    recorded_at: datetime
    actor: str | None
    ref: DecisionRef | None
    event: str
    summary: str
    aggregate_id: UUID
    aggregate: str
    version: int
    unreferenced: bool


Bound = date | datetime | None


def _bound(value: object, name: str) -> Bound:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value
    if isinstance(value, date):
        return value
    raise RuleViolation(
        INVALID,
        f"{name} must be a date (to bound legal dates) or a datetime (to bound recorded times), "
        f"not {shown(value)}",
    )


@attrs.frozen
class _Window:
    """The bounds of a trail, checked when the trail is asked for."""

    since: Bound
    until: Bound

    @classmethod
    def of(cls, since: object, until: object) -> _Window:
        low, high = _bound(since, "since"), _bound(until, "until")
        if low is not None and high is not None and _before(high, low):
            raise RuleViolation(
                INVALID,
                f"since ({low.isoformat()}) is after until ({high.isoformat()}): "
                "the window is empty; swap them",
            )
        return cls(low, high)

    def holds(self, on: date, recorded_at: datetime) -> bool:
        """Whether an event dated ``on`` and recorded at ``recorded_at`` is in the window."""
        if self.since is not None and _before(_pick(self.since, on, recorded_at), self.since):
            return False
        return self.until is None or not _before(self.until, _pick(self.until, on, recorded_at))


def _pick(bound: date, on: date, recorded_at: datetime) -> date:
    """What ``bound`` bounds: the recorded time for a datetime, else the legal date."""
    return recorded_at if isinstance(bound, datetime) else on


def _before(first: date, second: date) -> bool:
    """Whether ``first`` comes before ``second``; a date and a datetime never compare (they
    bound different things), so neither comes before the other."""
    if isinstance(first, datetime) != isinstance(second, datetime):
        return False
    return first < second


def audit_entries(
    recorder: ApplicationRecorder,
    mapper: Mapper[UUID],
    partnership_id: UUID,
    *,
    since: date | datetime | None = None,
    until: date | datetime | None = None,
) -> Iterator[AuditEntry]:
    """Every event of the partnership, its handovers and its disputes, in log order, within
    ``since`` and ``until`` (see the module for their meaning).

    The bounds are checked at once (a bad one raises [`RuleViolation`][sharedsvc.RuleViolation]);
    the entries are read lazily, a page of the log at a time, up to the end of the log as it stood
    when this was called."""
    window = _Window.of(since, until)
    stop = recorder.max_notification_id() or 0
    return _follow(recorder, mapper, partnership_id, window, stop)


def _follow(
    recorder: ApplicationRecorder,
    mapper: Mapper[UUID],
    partnership_id: UUID,
    window: _Window,
    stop: int,
) -> Iterator[AuditEntry]:
    narrator = Narrator(partnership_id)
    for notification in notifications(recorder, stop=stop):
        oid = notification.originator_id
        if not isinstance(oid, UUID):
            oid = UUID(str(oid))
        if not narrator.may_concern(oid, notification.topic):
            continue
        event: Any = mapper.to_domain_event(notification)
        if not narrator.follows(event):
            continue
        recorded_at = event.timestamp.astimezone(UTC)
        if not window.holds(event.on, recorded_at):
            continue
        yield _entry(notification.id, event, narrator)


def _entry(position: int, event: Any, narrator: Narrator) -> AuditEntry:
    said = narrator.describe(event)
    return AuditEntry(
        position=position,
        on=event.on,
        recorded_at=event.timestamp.astimezone(UTC),
        actor=said.actor,
        ref=said.ref,
        event=type(event).__name__,
        summary=said.summary,
        aggregate_id=event.originator_id,
        aggregate=said.aggregate,
        version=event.originator_version,
        unreferenced=said.unreferenced,
    )


def audit_entries_of(
    recorder: ApplicationRecorder,
    mapper: Mapper[UUID],
    partnership_id: UUID,
    index: Iterable[Any],
) -> Iterator[AuditEntry]:
    """The trail of the events an index names (rows with ``position``, ``aggregate_id`` as 32
    hex digits and ``version``, as the read models keep them), read aggregate by aggregate
    rather than by scanning the log, and narrated in log order."""
    positions = {(row.aggregate_id, row.version): row.position for row in index}
    found: list[tuple[int, Any]] = []
    for aggregate in dict.fromkeys(aggregate for aggregate, _ in positions):
        for stored in recorder.select_events(UUID(aggregate)):
            position = positions.get((aggregate, stored.originator_version))
            if position is not None:
                found.append((position, stored))
    found.sort(key=lambda item: item[0])
    narrator = Narrator(partnership_id)
    for position, stored in found:
        event: Any = mapper.to_domain_event(stored)
        if narrator.follows(event):
            yield _entry(position, event, narrator)
