"""The one leaf encoding: the reference (``leaf_bytes``) is pinned by a known answer, and every
fast path that hashes leaves (``leaf_hasher``, the Merkle log's ``digest``, the verification
scan) gives the reference's leaf hashes on arbitrary events, however the store returned them."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from uuid import UUID

from hypothesis import given
from hypothesis import strategies as st

from sharedsvc.integrity.leaves import leaf_bytes, leaf_hasher
from sharedsvc.integrity.merkle import leaf_hash, tree_root
from sharedsvc.integrity.rows import MerkleLog, id_bytes, state_bytes
from sharedsvc.integrity.scanning import scan

KNOWN_ID = UUID("12345678-1234-5678-1234-567812345678")
KNOWN_STATE = '{"name":"Scé"}'.encode()
KNOWN_LEAF = bytes.fromhex(
    "12345678123456781234567812345678"  # the id's 16 bytes
    "0000000000000003"  # version 3, 8 bytes big-endian
    "0000001c"  # the topic's length, 28, 4 bytes big-endian
    "7368617265647376633a506172746e6572736869702e466f726d6564"  # the topic
    "7b226e616d65223a225363c3a9227d"  # the state, to the end
)
KNOWN_HASH = bytes.fromhex("63d4d538514fd7860e7e25395688d6a623bf1344fb16802e8fc4ecddcd91da31")

topics = st.text(max_size=40) | st.sampled_from(
    [
        "sharedsvc:Partnership.Formed",
        "sharedsvc:Partnership.StageChanged",
        "sharedsvc:Dispute.Raised",
    ]
)
versions = st.integers(min_value=0, max_value=2**64 - 1)
states = st.binary(max_size=300)
# an id as a store may return it: a UUID (PostgreSQL, memory), its hex (SQLite), or, in a store
# altered by hand, any text
stored_ids = st.uuids() | st.uuids().map(lambda u: u.hex) | st.text(max_size=20)
# a state as a store may return it: bytes, a memoryview (PostgreSQL), or text put there by hand
stored_states = states | states.map(memoryview) | st.text(max_size=50)


def test_the_reference_encoding_is_what_the_stored_checkpoints_were_taken_with() -> None:
    leaf = leaf_bytes(KNOWN_ID.bytes, 3, "sharedsvc:Partnership.Formed", KNOWN_STATE)
    assert KNOWN_LEAF == leaf
    assert KNOWN_HASH == leaf_hash(leaf)


@given(st.binary(min_size=16, max_size=16), versions, topics, states)
def test_the_fast_path_hashes_as_the_reference(
    originator_id: bytes, version: int, topic: str, state: bytes
) -> None:
    expected = leaf_hash(leaf_bytes(originator_id, version, topic, state))
    hasher = leaf_hasher()
    assert expected == hasher(originator_id, version, topic, state)
    assert expected == hasher(originator_id, version, topic, state)  # the topic remembered


class _Rows:
    """A store's events as given, without a log of leaves."""

    def __init__(self, rows: list[tuple[Any, ...]]) -> None:
        self.rows = rows
        self.logged_leaves: list[tuple[int, int, bytes]] = []

    def pages(self, after: int = 0) -> Iterator[list[tuple[Any, ...]]]:
        for start in range(0, len(self.rows), 3):  # small pages: several per example
            yield self.rows[start : start + 3]

    def leaf_pages(self) -> Iterator[list[tuple[int, bytes]]]:
        return iter([])

    def logged(self) -> tuple[int, int]:
        return 0, 0

    def extend(self, leaves_of: Any) -> None:
        self.logged_leaves = leaves_of(self.rows, 0)


raw_rows = st.lists(st.tuples(stored_ids, versions, topics, stored_states), max_size=12).map(
    lambda rows: [(position, *row) for position, row in enumerate(rows, start=1)]
)


def _reference(rows: list[tuple[Any, ...]]) -> list[bytes]:
    return [
        leaf_hash(leaf_bytes(id_bytes(stored_id), version, topic, state_bytes(state)))
        for _, stored_id, version, topic, state in rows
    ]


@given(raw_rows)
def test_the_merkle_log_hashes_stored_rows_as_the_reference(rows: list[tuple[Any, ...]]) -> None:
    stored = _Rows(rows)
    log = MerkleLog(stored)  # type: ignore[arg-type]  # a fake of the adapter's EventRows
    assert _reference(rows) == [log.digest(row) for row in log.rows()]
    log.extend()  # as a checkpoint logs them
    assert _reference(rows) == [leaf for _, _, leaf in stored.logged_leaves]


@given(raw_rows)
def test_the_verification_scan_hashes_stored_rows_as_the_reference(
    rows: list[tuple[Any, ...]],
) -> None:
    expected = tree_root(_reference(rows))
    log = MerkleLog(_Rows(rows))  # type: ignore[arg-type]  # a fake of the adapter's EventRows
    against: Any = type("Prefix", (), {"size": len(rows)})()  # only its size is read
    found = scan(log, None, against, False, 100, None, compare_log=False)
    assert len(rows) == found.count
    assert expected == found.tree.root()
