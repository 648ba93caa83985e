"""The stored events as stored, and the log of their leaf hashes, for each kind of store.

Integrity reads below eventsourcing's mapper: the rows exactly as the recorder wrote them, in
notification order, decoded by nothing. Beside the events each store keeps the *Merkle log*, one
row per leaf ``(leaf_index, position, leaf_hash)``, appended when a checkpoint is taken. The log
is bookkeeping, not trusted: verification checks it against the checkpoint before using it to
say where the store differs.
"""

from __future__ import annotations

import sqlite3
import struct
from abc import ABC, abstractmethod
from bisect import bisect_left
from collections.abc import Iterator
from hashlib import sha256
from typing import Any
from uuid import UUID

from eventsourcing.persistence import ApplicationRecorder

__all__ = ["LEAVES_TABLE", "PAGE", "Leaf", "MerkleLog", "Row", "leaf_bytes", "open_log"]

PAGE = 8192
"""Rows per page: a power of two, so that verification builds each page's subtree whole."""
LEAVES_TABLE = "sharedsvc_merkle_leaves"

Row = tuple[int, bytes, int, str, bytes]
"""A stored event as stored: position, originator id (16 bytes), version, topic, state."""
Leaf = tuple[int, bytes]
"""A logged leaf: the position of its event and its leaf hash."""

VERSION_STRUCT = struct.Struct(">Q")
LENGTH_STRUCT = struct.Struct(">I")


def leaf_bytes(originator_id: bytes, version: int, topic: str, state: bytes) -> bytes:
    """The canonical encoding of a stored event, the input of its leaf hash.

    ``originator_id`` (the UUID's 16 bytes) || ``version`` (8 bytes, unsigned big-endian) ||
    the length of the topic's UTF-8 bytes (4 bytes, big-endian) || the topic || the stored
    state bytes, to the end. Every part is fixed-width or length-prefixed, so two different
    events never encode the same.
    """
    encoded = topic.encode()
    return (
        originator_id
        + VERSION_STRUCT.pack(version)
        + LENGTH_STRUCT.pack(len(encoded))
        + encoded
        + state
    )


class _Digester:
    """Leaf hashes of rows, reusing each topic's encoded bytes (topics repeat)."""

    __slots__ = ("_topics",)

    def __init__(self) -> None:
        self._topics: dict[str, bytes] = {}

    def __call__(self, row: Row) -> bytes:
        _, originator_id, version, topic, state = row
        encoded = self._topics.get(topic)
        if encoded is None:
            raw = topic.encode()
            encoded = self._topics[topic] = LENGTH_STRUCT.pack(len(raw)) + raw
        return sha256(
            b"\x00" + originator_id + VERSION_STRUCT.pack(version) + encoded + state
        ).digest()


def id_bytes(stored: object) -> bytes:
    """The 16 bytes of a stored originator id (a UUID, or its hex as SQLite keeps it); an id
    that is not a UUID (the store was altered) is hashed as its text, and never matches."""
    if isinstance(stored, UUID):
        return stored.bytes
    text = str(stored)
    try:
        raw = bytes.fromhex(text)
    except ValueError:
        return text.encode()
    return raw if len(raw) == 16 else text.encode()


def state_bytes(stored: object) -> bytes:
    """The stored state's bytes (a store edited by hand may hold text where bytes were)."""
    return stored.encode() if isinstance(stored, str) else bytes(stored)  # type: ignore[call-overload]


class MerkleLog(ABC):
    """A store's events in notification order and its log of leaf hashes."""

    digest = staticmethod(_Digester())

    @abstractmethod
    def pages(self, after: int = 0) -> Iterator[list[tuple[Any, ...]]]:
        """The stored events after ``after`` in notification order, a page at a time, as
        the store returns them: (position, originator id as stored, version, topic, state)."""

    def rows(self, after: int = 0) -> Iterator[Row]:
        """The stored events after ``after`` in notification order, ids as 16 bytes."""
        for page in self.pages(after):
            for position, originator_id, version, topic, state in page:
                yield position, id_bytes(originator_id), version, topic, state_bytes(state)

    @abstractmethod
    def row_at(self, position: int) -> Row | None:
        """The stored event at ``position``, if there is one."""

    @abstractmethod
    def count_before(self, position: int) -> int:
        """How many stored events come before ``position``."""

    @abstractmethod
    def leaf_pages(self) -> Iterator[list[Leaf]]:
        """The logged leaves in leaf order, a page at a time."""

    def leaves(self) -> Iterator[Leaf]:
        """The logged leaves in leaf order."""
        for page in self.leaf_pages():
            yield from page

    @abstractmethod
    def logged(self) -> tuple[int, int]:
        """How many leaves are logged, and the position of the last one (0 if none)."""

    @abstractmethod
    def extend(self) -> None:
        """Log the leaf of every stored event after the last one logged, in one transaction
        (a leaf already logged at an index is kept: concurrent checkpoints log the same)."""

    @abstractmethod
    def logged_index(self, position: int) -> int | None:
        """The leaf index the log gave the event at ``position``, if it logged one."""


class _SQLLog(MerkleLog):
    """A SQL store, read a page at a time by position (keyset paging): no transaction stays
    open between pages, so a reader that stops early leaves nothing behind."""

    position = "rowid"  # the column holding the notification id
    events = LEAVES = ""  # the qualified names of the two tables

    @abstractmethod
    def _fetch(self, statement: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        """All rows of one query in a short transaction (none if the leaves table is missing)."""

    def _row_query(self, where: str, *, paged: bool = False) -> str:
        return (
            f"SELECT {self.position}, originator_id, originator_version, topic, state "
            f"FROM {self.events} WHERE {self.position} {where} ORDER BY {self.position}"
            + (f" LIMIT {PAGE}" if paged else "")
        )

    def pages(self, after: int = 0) -> Iterator[list[tuple[Any, ...]]]:
        statement = self._row_query("> {p}", paged=True)
        while page := self._fetch(statement, (after,)):
            yield page
            after = page[-1][0]

    def row_at(self, position: int) -> Row | None:
        for pos, originator_id, version, topic, state in self._fetch(
            self._row_query("= {p}"), (position,)
        ):
            return pos, id_bytes(originator_id), version, topic, state_bytes(state)
        return None

    def count_before(self, position: int) -> int:
        statement = f"SELECT COUNT(*) FROM {self.events} WHERE {self.position} < {{p}}"
        return int(self._fetch(statement, (position,))[0][0])

    def logged_index(self, position: int) -> int | None:
        statement = f"SELECT leaf_index FROM {self.LEAVES} WHERE position = {{p}}"
        for (index,) in self._fetch(statement, (position,)):
            return int(index)
        return None

    def leaf_pages(self) -> Iterator[list[Leaf]]:
        statement = (
            f"SELECT leaf_index, position, leaf_hash FROM {self.LEAVES} "
            f"WHERE leaf_index >= {{p}} ORDER BY leaf_index LIMIT {PAGE}"
        )
        start = 0
        while page := self._fetch(statement, (start,)):
            yield [(position, bytes(digest)) for _, position, digest in page]
            start = page[-1][0] + 1

    def logged(self) -> tuple[int, int]:
        for count, last in self._fetch(f"SELECT COUNT(*), MAX(position) FROM {self.LEAVES}"):
            return int(count), int(last or 0)
        return 0, 0

    def _new_leaves(self, page: list[tuple[Any, ...]], first_index: int) -> list[tuple[Any, ...]]:
        digest = self.digest
        return [
            (first_index + i, p, digest((p, id_bytes(o), v, t, state_bytes(s))))
            for i, (p, o, v, t, s) in enumerate(page)
        ]


class _SQLiteLog(_SQLLog):
    def __init__(self, recorder: Any) -> None:
        self.datastore = recorder.datastore
        self.events = recorder.events_table_name
        self.LEAVES = LEAVES_TABLE

    def _fetch(self, statement: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        with self.datastore.transaction(commit=False) as cursor:
            raw: sqlite3.Cursor = cursor.sqlite_cursor
            raw.row_factory = None
            try:
                raw.execute(statement.replace("{p}", "?"), params)
            except sqlite3.OperationalError as error:
                if "no such table" in str(error):
                    return []
                raise
            return raw.fetchall()

    def extend(self) -> None:
        with self.datastore.transaction(commit=True) as cursor:
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
            while page := raw.execute(select, (last,)).fetchall():
                raw.executemany(insert, self._new_leaves(page, count))
                count, last = count + len(page), page[-1][0]


class _PostgresLog(_SQLLog):
    position = "notification_id"

    def __init__(self, recorder: Any) -> None:
        self.datastore = recorder.datastore
        schema = self.datastore.schema
        self.events = f'"{schema}"."{recorder.events_table_name}"'
        self.LEAVES = f'"{schema}"."{LEAVES_TABLE}"'
        self.qualified_leaves = self.LEAVES

    def _fetch(self, statement: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        from psycopg.rows import tuple_row

        with self.datastore.get_connection() as conn:
            if self.LEAVES in statement and not self._has_leaves(conn):
                return []
            with conn.cursor(row_factory=tuple_row) as cursor:
                cursor.execute(statement.replace("{p}", "%s"), params)
                return list(cursor.fetchall())

    def _has_leaves(self, conn: Any) -> bool:
        row = conn.execute("SELECT to_regclass(%s) AS t", (self.qualified_leaves,)).fetchone()
        return row is not None and row["t"] is not None

    def extend(self) -> None:
        from psycopg.rows import tuple_row

        insert = (
            f"INSERT INTO {self.LEAVES} SELECT * FROM "
            "unnest(%s::bigint[], %s::bigint[], %s::bytea[]) ON CONFLICT DO NOTHING"
        )
        select = self._row_query("> %s", paged=True)
        with self.datastore.get_connection() as conn, conn.transaction():
            cursor = conn.cursor(row_factory=tuple_row)
            cursor.execute(
                f"CREATE TABLE IF NOT EXISTS {self.LEAVES} (leaf_index bigint PRIMARY KEY, "
                "position bigint NOT NULL UNIQUE, leaf_hash bytea NOT NULL)"
            )
            cursor.execute(f"SELECT COUNT(*), MAX(position) FROM {self.LEAVES}")
            count, last = cursor.fetchone() or (0, 0)
            last = last or 0
            while page := cursor.execute(select, (last,)).fetchall():
                leaves = self._new_leaves(page, count)
                cursor.execute(insert, tuple(list(column) for column in zip(*leaves, strict=True)))
                count, last = count + len(page), page[-1][0]


class _MemoryLog(MerkleLog):
    """The in-memory store: events through the recorder, the log kept beside it."""

    def __init__(self, recorder: Any) -> None:
        self.recorder = recorder
        if not hasattr(recorder, "sharedsvc_merkle_leaves"):
            recorder.sharedsvc_merkle_leaves = []
        self._leaves: list[Leaf] = recorder.sharedsvc_merkle_leaves

    def pages(self, after: int = 0) -> Iterator[list[tuple[Any, ...]]]:
        while page := self.recorder.select_notifications(
            start=after, limit=PAGE, inclusive_of_start=False
        ):
            yield [(n.id, n.originator_id, n.originator_version, n.topic, n.state) for n in page]
            after = page[-1].id

    def row_at(self, position: int) -> Row | None:
        for n in self.recorder.select_notifications(start=position, limit=1, stop=position):
            return n.id, id_bytes(n.originator_id), n.originator_version, n.topic, n.state
        return None

    def count_before(self, position: int) -> int:
        return sum(1 for row in self.rows() if row[0] < position)

    def logged_index(self, position: int) -> int | None:
        index = bisect_left(self._leaves, position, key=lambda leaf: leaf[0])
        if index < len(self._leaves) and self._leaves[index][0] == position:
            return index
        return None

    def leaf_pages(self) -> Iterator[list[Leaf]]:
        leaves = list(self._leaves)
        for start in range(0, len(leaves), PAGE):
            yield leaves[start : start + PAGE]

    def logged(self) -> tuple[int, int]:
        return len(self._leaves), self._leaves[-1][0] if self._leaves else 0

    def extend(self) -> None:
        last = self._leaves[-1][0] if self._leaves else 0
        self._leaves.extend((row[0], self.digest(row)) for row in self.rows(after=last))


def open_log(recorder: ApplicationRecorder) -> MerkleLog:
    """The Merkle log of the store behind ``recorder`` (SQLite, PostgreSQL or in memory)."""
    module = type(recorder).__module__
    if module.startswith("eventsourcing.sqlite"):
        return _SQLiteLog(recorder)
    if module.startswith("eventsourcing.postgres"):
        return _PostgresLog(recorder)
    if module.startswith("eventsourcing.popo"):
        return _MemoryLog(recorder)
    raise TypeError(f"sharedsvc cannot read the events of a {type(recorder).__name__} directly")
