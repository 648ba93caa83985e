"""The read models' store on PostgreSQL (needs the ``postgres`` extra: psycopg)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from eventsourcing.persistence import Tracking
from eventsourcing.postgres import PostgresTrackingRecorder
from psycopg.rows import tuple_row
from psycopg.sql import SQL, Identifier

from sharedsvc.projections.builder import Rows
from sharedsvc.projections.store import CREATE, SQLReadStore, T

__all__ = ["PostgresReadStore"]


class PostgresReadStore(SQLReadStore, PostgresTrackingRecorder):
    """The read models in the PostgreSQL database (and schema) of the events."""

    p = "%s"

    def __init__(self, datastore: Any, **kwargs: Any) -> None:
        super().__init__(datastore, **kwargs)
        schema = self.datastore.schema
        for statement in CREATE:
            qualified = statement.format(without_rowid="").replace(f" {T}", f' "{schema}".{T}')
            self.sql_create_statements.append(SQL(qualified).format())

    def _query(self, statement: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        with self.datastore.get_connection() as conn, conn.cursor(row_factory=tuple_row) as cursor:
            cursor.execute(f'SET search_path TO "{self.datastore.schema}"')
            cursor.execute(statement, tuple(params))
            return list(cursor.fetchall())

    def apply(self, rows: Rows, tracking: Tracking) -> None:
        with self.datastore.transaction(commit=True) as cursor:
            cursor.execute(f'SET LOCAL search_path TO "{self.datastore.schema}"')
            self._write(cursor, rows)
            self._insert_tracking(cursor, tracking)

    def clear(self) -> None:
        with self.datastore.transaction(commit=True) as cursor:
            cursor.execute(f'SET LOCAL search_path TO "{self.datastore.schema}"')
            self._empty(cursor)
            cursor.execute(
                SQL("DELETE FROM {}.{} WHERE application_name = %s").format(
                    Identifier(self.datastore.schema), Identifier(self.tracking_table_name)
                ),
                (self.name,),
            )

    def _has_table(self, name: str) -> bool:
        found = self._query("SELECT to_regclass(%s)", (f'"{self.datastore.schema}".{name}',))
        return found[0][0] is not None

    def _drop_tables(self) -> None:
        with self.datastore.transaction(commit=True) as cursor:
            cursor.execute(f'SET LOCAL search_path TO "{self.datastore.schema}"')
            self._drop(cursor)

    def _execute(self, statement: str) -> None:
        with self.datastore.transaction(commit=True) as cursor:
            cursor.execute(f'SET LOCAL search_path TO "{self.datastore.schema}"')
            cursor.execute(statement)

    def position(self) -> int:
        return self.max_tracking_id(self.name) or 0
