"""The stored events exactly as eventsourcing's recorders wrote them, and the table of leaf
hashes sharedsvc keeps beside them, for each kind of store.

eventsourcing's table of events holds, per event, its position in the global log (SQLite's
``rowid``, PostgreSQL's ``notification_id``), ``originator_id`` (a UUID on PostgreSQL, its 32
hex digits as text on SQLite), ``originator_version``, ``topic`` and ``state`` (bytes; a
``memoryview`` from PostgreSQL). `EventRows` reads them in that form, a page at a time,
decoded by nothing: integrity hashes what is stored, and the read models decode it themselves.

Beside the events each store keeps the *Merkle log* (`LEAVES_TABLE`), one row per leaf
``(leaf_index, position, leaf_hash)``; what a leaf hash is, this module does not know: the
caller of `EventRows.extend` computes them.
"""

from __future__ import annotations

import sqlite3
from abc import ABC, abstractmethod
from bisect import bisect_left
from collections.abc import Callable, Iterator
from typing import Any
from uuid import UUID

from sharedsvc._adapters.locks import immediate, lock_key, take_in
from sharedsvc._adapters.stores import datastore_of, kept_beside, store_kind

__all__ = [
    "LEAVES_TABLE",
    "EventRows",
    "LeavesOf",
    "RawRow",
    "event_rows",
    "id_bytes",
    "id_hex",
    "state_bytes",
]

LEAVES_TABLE = "sharedsvc_merkle_leaves"

RawRow = tuple[Any, ...]
"""A stored event as the store returns it: position, originator id as stored, version, topic,
state as stored."""
LeavesOf = Callable[[list[RawRow], int], list[tuple[int, int, bytes]]]
"""Makes the logged leaves of a page of raw rows whose first is leaf ``first_index``:
``(leaf_index, position, leaf_hash)`` each."""


def id_bytes(stored: object) -> bytes:
    """The 16 bytes of a stored originator id (a UUID, or its hex as SQLite keeps it); an id
    that is not a UUID (the store was altered) is its text's bytes, and never matches."""
    if isinstance(stored, UUID):
        return stored.bytes
    text = str(stored)
    try:
        raw = bytes.fromhex(text)
    except ValueError:
        return text.encode()
    return raw if len(raw) == 16 else text.encode()


def id_hex(stored: object) -> str:
    """A stored originator id as 32 hex digits (as SQLite keeps it)."""
    return stored.hex if isinstance(stored, UUID) else str(stored)


def state_bytes(stored: object) -> bytes:
    """The stored state's bytes (a store edited by hand may hold text where bytes were)."""
    return stored.encode() if isinstance(stored, str) else bytes(stored)  # type: ignore[call-overload]  # bytes or a memoryview


class EventRows(ABC):
    """One store's events in notification order, and its log of leaf hashes."""

    def __init__(self, page: int) -> None:
        self.page = page

    @abstractmethod
    def pages(self, after: int = 0) -> Iterator[list[RawRow]]:
        """The stored events after position ``after`` in notification order, ``page`` at a
        time, as stored: (position, originator id, version, topic, state)."""

    @abstractmethod
    def row_at(self, position: int) -> RawRow | None:
        """The stored event at ``position``, as stored, if there is one."""

    @abstractmethod
    def count_before(self, position: int) -> int:
        """How many stored events come before ``position``."""

    @abstractmethod
    def leaf_pages(self) -> Iterator[list[tuple[int, bytes]]]:
        """The logged leaves in leaf order, a page at a time: (position, leaf hash)."""

    @abstractmethod
    def logged(self) -> tuple[int, int]:
        """How many leaves are logged, and the position of the last one (0 if none)."""

    @abstractmethod
    def logged_index(self, position: int) -> int | None:
        """The leaf index the log gave the event at ``position``, if it logged one."""

    @abstractmethod
    def extend(self, leaves_of: LeavesOf) -> None:
        """Log the leaves of every stored event after the last one logged, in one transaction
        (a leaf already logged at an index is kept: concurrent checkpoints log the same)."""


class _SQLRows(EventRows):
    """A SQL store, read a page at a time by position (keyset paging): no transaction stays
    open between pages, so a reader that stops early leaves nothing behind."""

    position = "rowid"  # the column holding the notification id
    events = leaves = ""  # the qualified names of the two tables

    @abstractmethod
    def _fetch(self, statement: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        """All rows of one query (``{p}`` the placeholder) in a short transaction (none if the
        leaves table is missing)."""

    def _row_query(self, where: str, *, paged: bool = False) -> str:
        return (
            f"SELECT {self.position}, originator_id, originator_version, topic, state "
            f"FROM {self.events} WHERE {self.position} {where} ORDER BY {self.position}"
            + (f" LIMIT {self.page}" if paged else "")
        )

    def pages(self, after: int = 0) -> Iterator[list[RawRow]]:
        statement = self._row_query("> {p}", paged=True)
        while page := self._fetch(statement, (after,)):
            yield page
            after = page[-1][0]

    def row_at(self, position: int) -> RawRow | None:
        for row in self._fetch(self._row_query("= {p}"), (position,)):
            return row
        return None

    def count_before(self, position: int) -> int:
        statement = f"SELECT COUNT(*) FROM {self.events} WHERE {self.position} < {{p}}"
        return int(self._fetch(statement, (position,))[0][0])

    def logged_index(self, position: int) -> int | None:
        statement = f"SELECT leaf_index FROM {self.leaves} WHERE position = {{p}}"
        for (index,) in self._fetch(statement, (position,)):
            return int(index)
        return None

    def leaf_pages(self) -> Iterator[list[tuple[int, bytes]]]:
        statement = (
            f"SELECT leaf_index, position, leaf_hash FROM {self.leaves} "
            f"WHERE leaf_index >= {{p}} ORDER BY leaf_index LIMIT {self.page}"
        )
        start = 0
        while page := self._fetch(statement, (start,)):
            yield [(position, bytes(digest)) for _, position, digest in page]
            start = page[-1][0] + 1

    def logged(self) -> tuple[int, int]:
        for count, last in self._fetch(f"SELECT COUNT(*), MAX(position) FROM {self.leaves}"):
            return int(count), int(last or 0)
        return 0, 0


def _text_or_bytes(data: bytes) -> str | bytes:
    """A SQLite text value as text, or as its bytes if they are not UTF-8."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data


def _fetch_all(raw: sqlite3.Cursor, statement: str, params: tuple[Any, ...]) -> list[Any]:
    """Every row of ``statement``; text that is not UTF-8 (in a store edited by hand) is read
    as its bytes, where SQLite's default would fail the whole query."""
    try:
        return raw.execute(statement, params).fetchall()
    except sqlite3.OperationalError as error:
        if "decode" not in str(error):
            raise
    connection = raw.connection
    factory = connection.text_factory
    connection.text_factory = _text_or_bytes
    try:
        return raw.execute(statement, params).fetchall()
    finally:
        connection.text_factory = factory


class _SQLiteRows(_SQLRows):
    def __init__(self, recorder: Any, page: int) -> None:
        super().__init__(page)
        self.datastore = datastore_of(recorder)
        self.events = recorder.events_table_name
        self.leaves = LEAVES_TABLE

    def _fetch(self, statement: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        with self.datastore.transaction(commit=False) as cursor:
            raw: sqlite3.Cursor = cursor.sqlite_cursor
            raw.row_factory = None
            try:
                return _fetch_all(raw, statement.replace("{p}", "?"), params)
            except sqlite3.OperationalError as error:
                if "no such table" in str(error):
                    return []
                raise

    def extend(self, leaves_of: LeavesOf) -> None:
        # IMMEDIATE: it reads the log, then writes; a deferred transaction whose snapshot
        # another writer overtook could not write at all ("database is locked", at once)
        with immediate(self.datastore) as cursor:
            raw: sqlite3.Cursor = cursor.sqlite_cursor
            raw.row_factory = None
            raw.execute(
                f"CREATE TABLE IF NOT EXISTS {LEAVES_TABLE} (leaf_index INTEGER PRIMARY KEY, "
                "position INTEGER NOT NULL UNIQUE, leaf_hash BLOB NOT NULL)"
            )
            count, last = raw.execute(
                f"SELECT COUNT(*), MAX(position) FROM {LEAVES_TABLE}"
            ).fetchone()
            select = self._row_query("> ?", paged=True)
            insert = f"INSERT OR IGNORE INTO {LEAVES_TABLE} VALUES (?, ?, ?)"
            last = last or 0
            while page := _fetch_all(raw, select, (last,)):
                raw.executemany(insert, leaves_of(page, count))
                count, last = count + len(page), page[-1][0]


class _PostgresRows(_SQLRows):
    position = "notification_id"

    def __init__(self, recorder: Any, page: int) -> None:
        super().__init__(page)
        self.datastore = datastore_of(recorder)
        schema = self.datastore.schema
        self.events = f'"{schema}"."{recorder.events_table_name}"'
        self.leaves = f'"{schema}"."{LEAVES_TABLE}"'

    def _fetch(self, statement: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        from psycopg.rows import tuple_row

        with self.datastore.get_connection() as conn:
            if self.leaves in statement and not self._has_leaves(conn):
                return []
            with conn.cursor(row_factory=tuple_row) as cursor:
                cursor.execute(statement.replace("{p}", "%s"), params)
                return list(cursor.fetchall())

    def _has_leaves(self, conn: Any) -> bool:
        row = conn.execute("SELECT to_regclass(%s) AS t", (self.leaves,)).fetchone()
        return row is not None and row["t"] is not None

    def extend(self, leaves_of: LeavesOf) -> None:
        from psycopg.rows import tuple_row

        insert = (
            f"INSERT INTO {self.leaves} SELECT * FROM "
            "unnest(%s::bigint[], %s::bigint[], %s::bytea[]) ON CONFLICT DO NOTHING"
        )
        select = self._row_query("> %s", paged=True)
        with self.datastore.get_connection() as conn, conn.transaction():
            cursor = conn.cursor(row_factory=tuple_row)
            # one checkpoint at a time: concurrent ones would collide creating the table
            take_in(cursor, lock_key(str(self.datastore.schema), LEAVES_TABLE))
            cursor.execute(
                f"CREATE TABLE IF NOT EXISTS {self.leaves} (leaf_index bigint PRIMARY KEY, "
                "position bigint NOT NULL UNIQUE, leaf_hash bytea NOT NULL)"
            )
            cursor.execute(f"SELECT COUNT(*), MAX(position) FROM {self.leaves}")
            count, last = cursor.fetchone() or (0, 0)
            last = last or 0
            while page := cursor.execute(select, (last,)).fetchall():
                leaves = leaves_of(page, count)
                cursor.execute(insert, tuple(list(column) for column in zip(*leaves, strict=True)))
                count, last = count + len(page), page[-1][0]


class _MemoryRows(EventRows):
    """The in-memory store: events through the recorder, the log kept beside it."""

    def __init__(self, recorder: Any, page: int) -> None:
        super().__init__(page)
        self.recorder = recorder
        self.kept: list[tuple[int, bytes]] = kept_beside(recorder, "merkle_leaves", list)

    def pages(self, after: int = 0) -> Iterator[list[RawRow]]:
        while page := self.recorder.select_notifications(
            start=after, limit=self.page, inclusive_of_start=False
        ):
            yield [(n.id, n.originator_id, n.originator_version, n.topic, n.state) for n in page]
            after = page[-1].id

    def row_at(self, position: int) -> RawRow | None:
        for n in self.recorder.select_notifications(start=position, limit=1, stop=position):
            return n.id, n.originator_id, n.originator_version, n.topic, n.state
        return None

    def count_before(self, position: int) -> int:
        return sum(1 for page in self.pages() for row in page if row[0] < position)

    def logged_index(self, position: int) -> int | None:
        kept = self.kept
        index = bisect_left(kept, position, key=lambda leaf: leaf[0])
        if index < len(kept) and kept[index][0] == position:
            return index
        return None

    def leaf_pages(self) -> Iterator[list[tuple[int, bytes]]]:
        leaves = list(self.kept)
        for start in range(0, len(leaves), self.page):
            yield leaves[start : start + self.page]

    def logged(self) -> tuple[int, int]:
        kept = self.kept
        return len(kept), kept[-1][0] if kept else 0

    def extend(self, leaves_of: LeavesOf) -> None:
        kept = self.kept
        for page in self.pages(kept[-1][0] if kept else 0):
            kept.extend((position, digest) for _, position, digest in leaves_of(page, len(kept)))


def event_rows(recorder: object, *, page: int) -> EventRows:
    """The events of the store behind ``recorder`` (SQLite, PostgreSQL or in memory), read
    ``page`` rows at a time."""
    kind = store_kind(recorder)
    if kind == "sqlite":
        return _SQLiteRows(recorder, page)
    if kind == "postgres":
        return _PostgresRows(recorder, page)
    if kind == "memory":
        return _MemoryRows(recorder, page)
    raise TypeError(f"sharedsvc cannot read the events of a {type(recorder).__name__} directly")
