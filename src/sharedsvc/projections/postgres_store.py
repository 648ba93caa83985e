"""The read models' store on PostgreSQL (needs the ``postgres`` extra: psycopg)."""

from __future__ import annotations

from sharedsvc._adapters.locks import creating_tables
from sharedsvc._adapters.postgres import PostgresTracking
from sharedsvc.projections.store import CREATE, SQLReadStore, T

__all__ = ["PostgresReadStore"]


class PostgresReadStore(SQLReadStore, PostgresTracking):
    """The read models in the PostgreSQL database (and schema) of the events."""

    p = "%s"
    kind = "postgres"

    def open(self) -> None:
        """As `SQLReadStore.open`, one process at a time (creating tables at once
        collides in PostgreSQL's catalogue)."""
        with creating_tables(self):
            super().open()

    def _schema(self) -> str:
        return self.schema

    def own_tables(self) -> list[str]:
        schema = self.schema
        return [
            statement.format(without_rowid="").replace(f" {T}", f' "{schema}".{T}')
            for statement in CREATE
        ]
