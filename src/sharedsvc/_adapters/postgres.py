"""eventsourcing's PostgreSQL tracking recorder, for tables of sharedsvc's own beside the events
(needs the ``postgres`` extra: psycopg; imported only for a PostgreSQL store).

As `sharedsvc._adapters.tracking` for SQLite: a transaction that commits a batch of rows
with its tracking record, in the database and schema of the events.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any, Self

from eventsourcing.persistence import Tracking
from eventsourcing.postgres import PostgresTrackingRecorder
from psycopg.rows import tuple_row
from psycopg.sql import SQL, Identifier

from sharedsvc._adapters.locks import creating_tables, lock_key, take_in
from sharedsvc._adapters.stores import datastore_of

__all__ = ["PostgresTracking"]


class PostgresTracking(PostgresTrackingRecorder):
    """A tracking recorder in the PostgreSQL database (and schema) of the events, with tables
    of its own (`own_tables`, created with the tracking table)."""

    def __init__(self, datastore: Any, **kwargs: Any) -> None:
        super().__init__(datastore, **kwargs)
        self._within = threading.local()  # the cursor of this thread's writing(), if any
        for statement in self.own_tables():
            self.sql_create_statements.append(SQL(statement).format())

    @classmethod
    def beside(cls, recorder: object, **kwargs: Any) -> Self:
        """The recorder in the database of ``recorder``'s events."""
        return cls(datastore_of(recorder), **kwargs)

    @property
    def schema(self) -> str:
        """The schema of the events (and of this recorder's tables)."""
        return str(self.datastore.schema)

    def own_tables(self) -> list[str]:
        """The statements that create this recorder's own tables (names qualified by
        `schema`)."""
        return []

    def query(self, statement: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """All rows of one query (``%s`` placeholders, names resolved in `schema`); in
        `writing`, in its transaction (which sees what it wrote and holds its lock)."""
        within = getattr(self._within, "cursor", None)
        if within is not None:
            within.execute(statement, tuple(params))
            return [tuple(row.values()) for row in within.fetchall()]
        with self.datastore.get_connection() as conn, conn.cursor(row_factory=tuple_row) as cursor:
            cursor.execute(SQL("SET search_path TO {}").format(Identifier(self.schema)))
            cursor.execute(statement, tuple(params))
            return list(cursor.fetchall())

    def create_table(self) -> None:
        """Create the tables, one process at a time (see `creating_tables`)."""
        with creating_tables(self):
            super().create_table()

    @contextmanager
    def writing(self, tracking: Tracking | None = None, *, lock: str = "") -> Iterator[Any]:
        """A transaction's cursor (``%s`` placeholders, names resolved in `schema`);
        ``tracking``, if given, is recorded at its end, so that it commits with what was
        written or not at all. With ``lock``, the transaction first waits for the lock of
        that name (the one `sharedsvc._adapters.locks.held` holds across transactions)
        and holds it to its end."""
        with self.datastore.transaction(commit=True) as cursor:
            if lock:
                take_in(cursor, lock_key(self.schema, lock))
            cursor.execute(SQL("SET LOCAL search_path TO {}").format(Identifier(self.schema)))
            outer, self._within.cursor = getattr(self._within, "cursor", None), cursor
            try:
                yield cursor
            finally:
                self._within.cursor = outer
            if tracking is not None:
                self._insert_tracking(cursor, tracking)

    def record_position(self, cursor: Any, tracking: Tracking) -> None:
        """Within `writing`: record ``tracking`` (the position this transaction brings
        the follower to)."""
        self._insert_tracking(cursor, tracking)

    def position_in(self, cursor: Any, application_name: str) -> int:
        """Within `writing`: the position reached in ``application_name``'s log."""
        cursor.execute(self.max_tracking_id_statement, (application_name,))
        row = cursor.fetchone()
        found = None if row is None else (row["max"] if isinstance(row, dict) else row[0])
        return int(found or 0)

    def forget_position(self, cursor: Any, application_name: str) -> None:
        """Within `writing`: forget the position reached in ``application_name``'s log."""
        cursor.execute(
            SQL("DELETE FROM {}.{} WHERE application_name = %s").format(
                Identifier(self.schema), Identifier(self.tracking_table_name)
            ),
            (application_name,),
        )

    def has_table(self, name: str) -> bool:
        """Whether `schema` has a table called ``name``."""
        found = self.query("SELECT to_regclass(%s)", (f'"{self.schema}".{name}',))
        return found[0][0] is not None
