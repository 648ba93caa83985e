"""The building blocks every deriver of obligations shares (see
`sharedsvc.projections.deadlines`): the book of obligations being derived, what the derivers
of one partnership share while the log is read, and the base of a deriver."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date, timedelta
from typing import Any
from uuid import UUID

import attrs

from sharedsvc.domain.policy import Policy
from sharedsvc.domain.values import PartyId

__all__ = ["Book", "Deriver", "Handler", "Pending", "Reading", "due_after"]


Handler = Callable[[Any, int], None]
"""What a deriver does with an event it reads: ``handler(event, position)``."""


def due_after(day: date, days: int) -> date:
    """``days`` after ``day``; the last date there is if that is beyond it."""
    try:
        return day + timedelta(days=days)
    except OverflowError:
        return date.max


@attrs.define
class Pending:
    """An obligation while the log is read: open until it is met or lapses."""

    kind: str
    party: PartyId | None
    due: date
    source: int
    met_on: date | None = None
    lapsed_on: date | None = None

    @property
    def open(self) -> bool:
        """Whether it is neither met nor lapsed."""
        return self.met_on is None and self.lapsed_on is None

    def meet(self, on: date) -> None:
        """Met on ``on``, if it is still open."""
        if self.open:
            self.met_on = on

    def lapse(self, on: date) -> None:
        """Lapsed on ``on``, if it is still open."""
        if self.open:
            self.lapsed_on = on


@attrs.define
class Book:
    """Every obligation opened so far, in the order they were opened."""

    entries: list[Pending] = attrs.Factory(list)

    def open(self, kind: str, party: PartyId | None, due: date, source: int) -> Pending:
        """Open an obligation of ``kind`` for ``party``, due on ``due``, from the act at
        ``source`` in the log."""
        pending = Pending(kind, party, due, source)
        self.entries.append(pending)
        return pending

    def pass_on(self, pending: Pending, heirs: Iterable[PartyId], on: date) -> list[Pending]:
        """A succession on ``on``: ``pending`` lapses, and each of ``heirs`` owes the same
        (same kind, due date and source). Returns what the heirs owe."""
        pending.lapse(on)
        return [self.open(pending.kind, heir, pending.due, pending.source) for heir in heirs]

    def lapse_all(self, on: date) -> None:
        """Lapse every open obligation on ``on``."""
        for pending in self.entries:
            pending.lapse(on)


@attrs.define
class Reading:
    """What the derivers of one partnership share: its id and policy, the book, and its
    active parties as the log has been read so far (kept by the reader, after the derivers
    have read each event)."""

    partnership_id: UUID
    policy: Policy
    book: Book = attrs.Factory(Book)
    active: list[PartyId] = attrs.Factory(list)


class Deriver:
    """Base of a deriver: reads the events `handlers` names and keeps obligations in the
    reading's book."""

    def __init__(self, reading: Reading) -> None:
        self.reading = reading
        self.book = reading.book
        self.policy = reading.policy

    def handlers(self) -> Mapping[type[Any], Handler]:
        """Event class -> what to do with an event of it."""
        raise NotImplementedError
