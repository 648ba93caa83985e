"""The leaf of a stored event: its canonical encoding
([`leaf_bytes`][sharedsvc.integrity.leaf_bytes], the reference) and the fast way to hash many
(`leaf_hasher`), which builds the same bytes from the same parts.

A test checks the fast path against the reference on arbitrary events
(``tests/unit/test_leaves.py``).
"""

from __future__ import annotations

import struct
from collections.abc import Callable
from hashlib import sha256

from sharedsvc.integrity.merkle import LEAF_PREFIX

__all__ = [
    "LENGTH_STRUCT",
    "VERSION_STRUCT",
    "LeafHasher",
    "leaf_bytes",
    "leaf_hasher",
    "topic_field",
]

LeafHasher = Callable[[bytes, int, str, bytes], bytes]
"""The leaf hash of a stored event from its originator id (16 bytes), version, topic and
state."""

VERSION_STRUCT = struct.Struct(">Q")
LENGTH_STRUCT = struct.Struct(">I")


def topic_field(topic: str) -> bytes:
    """The topic as it is encoded in a leaf: the length of its UTF-8 bytes (4 bytes,
    big-endian), then those bytes."""
    encoded = topic.encode()
    return LENGTH_STRUCT.pack(len(encoded)) + encoded


def leaf_bytes(originator_id: bytes, version: int, topic: str, state: bytes) -> bytes:
    """The canonical encoding of a stored event, the input of its leaf hash.

    ``originator_id`` (the UUID's 16 bytes) || ``version`` (8 bytes, unsigned big-endian) ||
    the length of the topic's UTF-8 bytes (4 bytes, big-endian) || the topic || the stored
    state bytes, to the end. Every part is fixed-width or length-prefixed, so two different
    events never encode the same.
    """
    return originator_id + VERSION_STRUCT.pack(version) + topic_field(topic) + state


def leaf_hasher() -> LeafHasher:
    """A function giving the leaf hash (RFC 9162: SHA-256 of 0x00 ||
    [`leaf_bytes`][sharedsvc.integrity.leaf_bytes]) of a stored event, for hashing many: the same
    bytes from the same parts, each topic's field encoded once (topics repeat) and every lookup
    bound once (it runs once per event)."""
    topics: dict[str, bytes] = {}
    pack_version = VERSION_STRUCT.pack
    join = b"".join

    def leaf_hash_of(originator_id: bytes, version: int, topic: str, state: bytes) -> bytes:
        encoded = topics.get(topic)
        if encoded is None:
            encoded = topics[topic] = topic_field(topic)
        return sha256(
            join((LEAF_PREFIX, originator_id, pack_version(version), encoded, state))
        ).digest()

    return leaf_hash_of
