"""The notes of a partnership: outside events recorded to explain later acts (a section 114
notice, an election that changes political control, an audit finding).

A note changes no terms, so no view keeps it; [`note_entries`][sharedsvc.projections.note_entries]
reads the notes of one partnership from the global log (the events of the act
[`Note`][sharedsvc.acts.Note] records, found through the catalogue), so each knows its position.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from typing import Any
from uuid import UUID

import attrs
from eventsourcing.persistence import ApplicationRecorder, Mapper

from sharedsvc.acts import Note
from sharedsvc.domain.values import DecisionRef, PartyId
from sharedsvc.persistence import notifications

__all__ = ["NoteEntry", "note_entries"]


@attrs.frozen
class NoteEntry:
    """One note: an outside event of ``kind`` (``"statutory"``, ``"election"``...) told in
    ``text``, concerning ``party`` (``None``: the partnership as a whole), recorded by ``by``
    with its legal date ``on`` and decision reference ``ref``; ``position`` is its event's
    place in the store's global log."""

    kind: str
    text: str
    party: PartyId | None
    by: PartyId
    on: date
    ref: DecisionRef | None
    position: int


def note_entries(
    recorder: ApplicationRecorder,
    mapper: Mapper[UUID],
    partnership_id: UUID,
    *,
    as_of: date | None = None,
    known_at: datetime | None = None,
) -> Iterator[NoteEntry]:
    """The notes of the partnership in log order: those dated on or before ``as_of`` and
    recorded at or before ``known_at`` (an aware time), where given."""
    for notification in notifications(recorder, topics=[Note.records.TOPIC]):
        if notification.originator_id != partnership_id:
            continue
        event: Any = mapper.to_domain_event(notification)
        if as_of is not None and event.on > as_of:
            continue
        if known_at is not None and event.timestamp > known_at:
            continue
        yield NoteEntry(
            kind=Note.read(event, "kind"),
            text=Note.read(event, "text"),
            party=Note.read(event, "party"),
            by=Note.read(event, "by"),
            on=Note.read(event, "on"),
            ref=Note.read(event, "ref"),
            position=notification.id,
        )
