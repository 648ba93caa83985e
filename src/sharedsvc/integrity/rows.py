"""The stored events as stored, and the log of their leaf hashes, for each kind of store.

Integrity reads below eventsourcing's mapper: the rows exactly as the recorder wrote them, in
notification order, decoded by nothing (`sharedsvc._adapters.rows` reads them). Beside the
events each store keeps the *Merkle log*, one row per leaf ``(leaf_index, position, leaf_hash)``,
appended when a checkpoint is taken. The log is bookkeeping, not trusted: verification checks it
against the checkpoint before using it to say where the store differs.
"""

from __future__ import annotations

from collections.abc import Iterator
from hashlib import sha256

from eventsourcing.persistence import ApplicationRecorder

from sharedsvc._adapters.rows import (
    LEAVES_TABLE,
    EventRows,
    RawRow,
    event_rows,
    id_bytes,
    state_bytes,
)
from sharedsvc.integrity.leaves import (
    LENGTH_STRUCT,
    VERSION_STRUCT,
    leaf_bytes,
    leaf_hasher,
    topic_field,
)
from sharedsvc.integrity.merkle import LEAF_PREFIX, MerkleAccumulator

__all__ = [
    "LEAVES_TABLE",
    "LENGTH_STRUCT",
    "PAGE",
    "VERSION_STRUCT",
    "Leaf",
    "MerkleLog",
    "Row",
    "id_bytes",
    "leaf_bytes",
    "open_log",
    "sound",
    "state_bytes",
]

PAGE = 8192
"""Rows per page: a power of two, so that verification builds each page's subtree whole."""

Row = tuple[int, bytes, int, str, bytes]
"""A stored event as stored: position, originator id (16 bytes), version, topic, state."""
Leaf = tuple[int, bytes]
"""A logged leaf: the position of its event and its leaf hash."""

MAX_VERSION = 2**64 - 1
"""The largest version a leaf can encode (8 bytes, unsigned)."""


def sound(version: object, topic: object, state: object) -> tuple[int, str, bytes, str | None]:
    """A stored event's version, topic and state, as a leaf encodes them, and what is wrong
    with them, if anything (a store edited by hand may hold NULLs, a negative version, or a
    topic that is not UTF-8 text): the parts that are malformed are replaced by what a leaf
    can encode (version 0, the topic's bytes read leniently, no state), so that a malformed
    event still has a leaf, which no checkpoint of the sound event matches."""
    if (
        type(version) is int
        and type(topic) is str
        and 0 < version <= MAX_VERSION
        and isinstance(state, bytes | memoryview | str)
    ):
        return version, topic, state_bytes(state), None
    wrong: list[str] = []
    if type(version) is not int or not 0 < version <= MAX_VERSION:
        wrong.append("no version" if version is None else f"the version {version!r}")
        version = 0
    if topic is None:
        wrong.append("no topic")
        topic = ""
    elif not isinstance(topic, str):
        wrong.append("a topic that is not UTF-8 text")
        topic = bytes(topic).decode("utf-8", "replace") if isinstance(topic, bytes) else ""
    if isinstance(state, bytes | memoryview | str):
        state = state_bytes(state)
    else:
        wrong.append("no state" if state is None else "a state that is not bytes")
        state = b""
    assert isinstance(version, int)
    return version, topic, state, "the stored event has " + " and ".join(wrong)


class MerkleLog:
    """A store's events in notification order and its log of leaf hashes."""

    def __init__(self, stored: EventRows) -> None:
        self.stored = stored
        self.hasher = leaf_hasher()
        self._ids: dict[object, bytes] = {}  # each stored id -> 0x00 || its bytes
        self._fields: dict[str, bytes] = {}  # each topic -> its field in a leaf
        self._tree: MerkleAccumulator | None = None  # the tree of a log `extend` began
        self._last = 0  # the position of its last leaf

    def digest(self, row: Row) -> bytes:
        """The leaf hash of a stored event."""
        _, originator_id, version, topic, state = row
        return self.hasher(originator_id, version, topic, state)

    def pages(self, after: int = 0) -> Iterator[list[RawRow]]:
        """The stored events after ``after`` in notification order, a page at a time, as
        the store returns them: (position, originator id as stored, version, topic, state)."""
        return self.stored.pages(after)

    def rows(self, after: int = 0) -> Iterator[Row]:
        """The stored events after ``after`` in notification order, ids as 16 bytes."""
        for page in self.stored.pages(after):
            for position, originator_id, version, topic, state in page:
                yield position, id_bytes(originator_id), *sound(version, topic, state)[:3]

    def row_at(self, position: int) -> Row | None:
        """The stored event at ``position``, if there is one."""
        row = self.stored.row_at(position)
        if row is None:
            return None
        pos, originator_id, version, topic, state = row
        return pos, id_bytes(originator_id), *sound(version, topic, state)[:3]

    def count_before(self, position: int) -> int:
        """How many stored events come before ``position``."""
        return self.stored.count_before(position)

    def leaf_pages(self) -> Iterator[list[Leaf]]:
        """The logged leaves in leaf order, a page at a time."""
        return self.stored.leaf_pages()

    def leaves(self) -> Iterator[Leaf]:
        """The logged leaves in leaf order."""
        for page in self.stored.leaf_pages():
            yield from page

    def logged(self) -> tuple[int, int]:
        """How many leaves are logged, and the position of the last one (0 if none)."""
        return self.stored.logged()

    def logged_index(self, position: int) -> int | None:
        """The leaf index the log gave the event at ``position``, if it logged one."""
        return self.stored.logged_index(position)

    def extend(self) -> tuple[MerkleAccumulator, int] | None:
        """Log the leaf of every stored event after the last one logged, in one transaction
        (a leaf already logged at an index is kept: concurrent checkpoints log the same).

        When the log was empty (the store's first checkpoint), returns the tree of the leaves
        it logged and the position of the last, so that they need not be read back; else
        None."""
        self._tree = None
        self.stored.extend(self._new_leaves)
        tree, self._tree = self._tree, None
        return None if tree is None else (tree, self._last)

    def _new_leaves(self, page: list[RawRow], first_index: int) -> list[tuple[int, int, bytes]]:
        # the leaf hash written out (as in the verification scan): ids and topics repeat, so
        # each id's ``0x00 || bytes`` and each topic's field are encoded once
        ids, fields, pack, join = self._ids, self._fields, VERSION_STRUCT.pack, b"".join
        leaves: list[tuple[int, int, bytes]] = []
        append = leaves.append
        for index, (p, o, v, t, s) in enumerate(page, start=first_index):
            prefix = ids.get(o)
            if prefix is None:
                prefix = ids[o] = LEAF_PREFIX + id_bytes(o)
            if (
                type(v) is not int
                or not 0 < v <= MAX_VERSION
                or type(t) is not str
                or type(s) is not bytes
            ):
                v, t, s = sound(v, t, s)[:3]
            field = fields.get(t)
            if field is None:
                field = fields[t] = topic_field(t)
            append((index, p, sha256(join((prefix, pack(v), field, s))).digest()))
        # a log begun by this transaction: its tree is built as it is logged
        tree = self._tree = MerkleAccumulator() if first_index == 0 else self._tree
        if tree is not None and tree.size == first_index and leaves:
            tree.extend_block([leaf for _, _, leaf in leaves])
            self._last = leaves[-1][1]
        return leaves


def open_log(recorder: ApplicationRecorder) -> MerkleLog:
    """The Merkle log of the store behind ``recorder`` (SQLite, PostgreSQL or in memory)."""
    return MerkleLog(event_rows(recorder, page=PAGE))
