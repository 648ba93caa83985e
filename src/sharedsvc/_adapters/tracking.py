"""eventsourcing's tracking recorders, for tables of sharedsvc's own kept beside the events.

A tracking recorder records the position a follower of the log has reached. sharedsvc's read
models subclass one so that a batch of rows and the position it brings them to are committed in
one transaction; the classes here give them that transaction, and the tracking record inside
it, without naming eventsourcing's private methods. (PostgreSQL's is in
`sharedsvc._adapters.postgres`, which needs psycopg.)
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager, nullcontext
from typing import Any, Self

from eventsourcing.persistence import Tracking
from eventsourcing.popo import POPOTrackingRecorder
from eventsourcing.sqlite import SQLiteTrackingRecorder

from sharedsvc._adapters.locks import held, immediate
from sharedsvc._adapters.stores import datastore_of

__all__ = ["LOCK_WAIT", "MemoryTracking", "SQLiteTracking", "reached_and_last"]

LOCK_WAIT = 3600.0
"""How long a transaction that takes a named lock waits for it (seconds)."""


class SQLiteTracking(SQLiteTrackingRecorder):
    """A tracking recorder in the SQLite database of the events, with tables of its own
    (`own_tables`: ``CREATE TABLE`` statements, created with the tracking table)."""

    @classmethod
    def beside(cls, recorder: object, **kwargs: Any) -> Self:
        """The recorder in the database of ``recorder``'s events."""
        return cls(datastore_of(recorder), **kwargs)

    def own_tables(self) -> list[str]:
        """The statements that create this recorder's own tables."""
        return []

    def construct_create_table_statements(self) -> list[str]:
        return [*super().construct_create_table_statements(), *self.own_tables()]

    def query(self, statement: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """All rows of one query, as tuples. One statement is a read transaction of its own
        (the connection is in autocommit mode), so none is begun around it."""
        with self.datastore.get_connection(commit=False) as conn:
            cursor = conn.cursor().sqlite_cursor
            try:
                cursor.row_factory = None  # plain tuples, not the connection's sqlite3.Row
                rows: list[tuple[Any, ...]] = cursor.execute(statement, tuple(params)).fetchall()
                return rows
            finally:
                cursor.close()

    def reached_and_last(self, application_name: str, recorder: object) -> tuple[int, int]:
        """The position reached in ``application_name``'s log, and the last position of the
        log of ``recorder`` (an application recorder in this database): one statement, so
        both are read from one snapshot of the database."""
        table = recorder.events_table_name  # type: ignore[attr-defined]  # SQLite's only
        ((reached, last),) = self.query(
            "SELECT (SELECT MAX(notification_id) FROM tracking WHERE application_name = ?),"
            f" (SELECT MAX(rowid) FROM {table})",
            (application_name,),
        )
        return reached or 0, last or 0

    @contextmanager
    def writing(self, tracking: Tracking | None = None, *, lock: str = "") -> Iterator[Any]:
        """A transaction's cursor (``?`` placeholders), begun ``IMMEDIATE`` (it holds the
        database's write lock throughout, so what it reads stays true until it commits);
        ``tracking``, if given, is recorded at its end, so that it commits with what was
        written or not at all. With ``lock``, it first waits for the lock of that name (the
        one `sharedsvc._adapters.locks.held` holds across transactions)."""
        with (
            held(self, "sqlite", lock, "", LOCK_WAIT) if lock else nullcontext(),
            immediate(self.datastore) as cursor,
        ):
            yield cursor
            if tracking is not None:
                self._insert_tracking(cursor, tracking)

    def position_in(self, cursor: Any, application_name: str) -> int:
        """Within `writing`: the position reached in ``application_name``'s log."""
        return self._max_tracking_id(application_name, cursor) or 0

    def forget_position(self, cursor: Any, application_name: str) -> None:
        """Within `writing`: forget the position reached in ``application_name``'s log."""
        cursor.execute("DELETE FROM tracking WHERE application_name = ?", (application_name,))

    def has_table(self, name: str) -> bool:
        """Whether the database has a table called ``name``."""
        found = self.query(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)
        )
        return bool(found)


class MemoryTracking(POPOTrackingRecorder):
    """A tracking recorder in memory, whose own tables are the subclass's to keep."""

    @contextmanager
    def writing(self, tracking: Tracking | None = None) -> Iterator[None]:
        """Hold the recorder's lock; ``tracking``, if given, is checked first (a position not
        after the one reached is refused) and recorded at the end."""
        with self._database_lock:
            if tracking is not None:
                self._assert_tracking_uniqueness(tracking)
            yield
            if tracking is not None:
                self._insert_tracking(tracking)

    def forget_position(self, application_name: str) -> None:
        """Within `writing`: forget the position reached in ``application_name``'s log."""
        self._max_tracking_ids.pop(application_name, None)

    def position_in(self, application_name: str) -> int:
        """Within `writing`: the position reached in ``application_name``'s log."""
        return self._max_tracking_ids.get(application_name) or 0


def reached_and_last(tracking: object, application_name: str, recorder: object) -> tuple[int, int]:
    """The position a tracking recorder (``tracking``) has reached in ``application_name``'s
    log, and the last position of ``recorder``'s log (0: none): one statement where they
    share a SQLite database, else the position first, then the log's end (so that a position
    not before the end means nothing was left to follow when the end was read)."""
    if isinstance(tracking, SQLiteTracking) and tracking.datastore is datastore_of(recorder):
        return tracking.reached_and_last(application_name, recorder)
    reached = tracking.max_tracking_id(application_name)  # type: ignore[attr-defined]
    last = recorder.max_notification_id()  # type: ignore[attr-defined]
    return reached or 0, last or 0
