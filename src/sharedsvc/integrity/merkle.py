"""Merkle tree hashing, proofs and proof verification as RFC 9162 section 2.1 defines them.

Hashes are SHA-256 and 32-byte `bytes`. A leaf's hash is ``H(0x00 || leaf)`` and an inner
node's ``H(0x01 || left || right)``; the tree over ``n`` leaves splits at the largest power of two
smaller than ``n``. Nothing here knows about events or stores: these functions are what an
auditor needs to check a proof offline.

Proofs are built by one pass over the leaf hashes (an iterable, so a store of millions of events
can stream through): the hashes a proof needs are the roots of a few disjoint, ordered ranges of
leaves, and `range_roots` computes them as the leaves go by.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from hashlib import sha256

__all__ = [
    "EMPTY_ROOT",
    "HASH_SIZE",
    "MerkleAccumulator",
    "consistency_ranges",
    "inclusion_ranges",
    "leaf_hash",
    "node_hash",
    "range_roots",
    "root_from_inclusion",
    "tree_root",
    "verify_consistency_path",
    "verify_inclusion_path",
]

HASH_SIZE = 32
LEAF_PREFIX = b"\x00"
NODE_PREFIX = b"\x01"
EMPTY_ROOT = sha256(b"").digest()
"""The root of the tree of no leaves: the hash of the empty string."""


def leaf_hash(leaf: bytes) -> bytes:
    """The hash of one leaf: ``SHA-256(0x00 || leaf)``."""
    return sha256(LEAF_PREFIX + leaf).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """The hash of an inner node: ``SHA-256(0x01 || left || right)``."""
    return sha256(NODE_PREFIX + left + right).digest()


_NODE_START = sha256(NODE_PREFIX)
"""A hash that has taken in the node prefix and nothing else: copying it is cheaper than
starting a new hash for each of the many inner nodes (it is only ever copied)."""


def _parents(level: list[bytes]) -> list[bytes]:
    """The inner nodes over a level of an even number of hashes, pair by pair."""
    new = _NODE_START.copy
    parents: list[bytes] = []
    append = parents.append
    for left, right in zip(level[::2], level[1::2], strict=True):
        node = new()
        node.update(left)
        node.update(right)
        append(node.digest())
    return parents


def _split(n: int) -> int:
    """The largest power of two smaller than ``n`` (``n`` >= 2)."""
    return 1 << ((n - 1).bit_length() - 1)


class MerkleAccumulator:
    """The root of a growing tree, from its leaf hashes appended one at a time.

    It keeps one hash per set bit of the leaf count (the roots of the perfect subtrees the
    leaves so far make, largest first), so memory stays logarithmic in the number of leaves.
    """

    __slots__ = ("_stack", "size")

    def __init__(self) -> None:
        self._stack: list[bytes] = []
        self.size = 0

    def append(self, leaf_digest: bytes) -> None:
        """Add the next leaf, given its leaf hash."""
        node = leaf_digest
        count = self.size
        stack = self._stack
        while count & 1:
            node = sha256(NODE_PREFIX + stack.pop() + node).digest()
            count >>= 1
        stack.append(node)
        self.size += 1

    def extend(self, leaf_digests: Iterable[bytes]) -> None:
        """Add several leaves in order (what
        [`append`][sharedsvc.integrity.MerkleAccumulator.append] does, without a call per leaf)."""
        stack, size = self._stack, self.size
        for digest in leaf_digests:
            node, count = digest, size
            while count & 1:
                node = sha256(NODE_PREFIX + stack.pop() + node).digest()
                count >>= 1
            stack.append(node)
            size += 1
        self.size = size

    def extend_block(self, leaf_digests: list[bytes]) -> None:
        """Add several leaves; when they fill a whole perfect subtree (their number a power of
        two, and the leaves so far a multiple of it) its root is built a level at a time."""
        n = len(leaf_digests)
        if n < 2 or n & (n - 1) or self.size % n:
            self.extend(leaf_digests)
            return
        level = leaf_digests
        while len(level) > 1:
            level = _parents(level)
        # the subtree's root joins the stack as a node of its height, merging like a leaf
        node, count = level[0], self.size // n
        stack = self._stack
        while count & 1:
            node = sha256(NODE_PREFIX + stack.pop() + node).digest()
            count >>= 1
        stack.append(node)
        self.size += n

    def copy(self) -> MerkleAccumulator:
        """An accumulator with the same leaves so far, to grow separately."""
        twin = MerkleAccumulator()
        twin._stack = list(self._stack)
        twin.size = self.size
        return twin

    def root(self) -> bytes:
        """The root of the tree of the leaves appended so far."""
        if not self._stack:
            return EMPTY_ROOT
        stack = self._stack
        node = stack[-1]
        for left in reversed(stack[:-1]):
            node = sha256(NODE_PREFIX + left + node).digest()
        return node


def tree_root(leaf_digests: Iterable[bytes]) -> bytes:
    """The root of the tree over the given leaf hashes, in order."""
    accumulator = MerkleAccumulator()
    accumulator.extend(leaf_digests)
    return accumulator.root()


# --- which subtrees a proof needs ----------------------------------------------------------------


def inclusion_ranges(index: int, size: int) -> list[tuple[int, int]]:
    """The leaf ranges ``[start, stop)`` whose roots make the inclusion proof of leaf ``index``
    in a tree of ``size`` leaves, in the proof's order (RFC 9162 section 2.1.3.1)."""
    if not 0 <= index < size:
        raise ValueError(f"leaf {index} is not in a tree of {size} leaves")
    ranges: list[tuple[int, int]] = []
    start, stop = 0, size
    while stop - start > 1:
        middle = start + _split(stop - start)
        if index < middle:
            ranges.append((middle, stop))
            stop = middle
        else:
            ranges.append((start, middle))
            start = middle
    ranges.reverse()  # the sibling nearest the leaf comes first
    return ranges


def consistency_ranges(old_size: int, new_size: int) -> list[tuple[int, int]]:
    """The leaf ranges whose roots make the consistency proof between the trees of
    ``old_size`` and ``new_size`` leaves, in the proof's order (RFC 9162 section 2.1.4.1).

    Empty when the sizes are equal or the old tree is empty: nothing needs proving."""
    if not 0 <= old_size <= new_size:
        raise ValueError(f"no consistency proof from {old_size} leaves to {new_size}")
    ranges: list[tuple[int, int]] = []
    if old_size in (0, new_size):
        return ranges
    start, stop, m, whole_old_tree = 0, new_size, old_size, True
    while m != stop - start:
        k = _split(stop - start)
        if m <= k:
            ranges.append((start + k, stop))
            stop = start + k
        else:
            ranges.append((start, start + k))
            start, m, whole_old_tree = start + k, m - k, False
    if not whole_old_tree:
        ranges.append((start, stop))
    ranges.reverse()
    return ranges


def range_roots(leaf_digests: Iterable[bytes], ranges: Sequence[tuple[int, int]]) -> list[bytes]:
    """The root of each of ``ranges`` (disjoint ``[start, stop)`` leaf ranges), in the order
    given, from one pass over the leaf hashes; leaves outside every range are skipped."""
    order = sorted(range(len(ranges)), key=lambda i: ranges[i][0])
    roots: list[bytes] = [b""] * len(ranges)
    pending = iter(order)
    current = next(pending, None)
    accumulator = MerkleAccumulator()
    for index, digest in enumerate(leaf_digests):
        if current is None:
            break
        start, stop = ranges[current]
        if index < start:
            continue
        accumulator.append(digest)
        if index == stop - 1:
            roots[current] = accumulator.root()
            accumulator = MerkleAccumulator()
            current = next(pending, None)
    if current is not None:
        raise ValueError(f"fewer leaves than the range {ranges[current]} needs")
    return roots


# --- verification (RFC 9162 sections 2.1.3.2 and 2.1.4.2) -----------------------------------------


def root_from_inclusion(
    leaf_digest: bytes, index: int, size: int, path: Sequence[bytes]
) -> bytes | None:
    """The root that ``path`` leads to from leaf ``index`` of a tree of ``size`` leaves, or
    None when the path cannot be a proof for that leaf in that tree."""
    if not 0 <= index < size or any(len(p) != HASH_SIZE for p in path):
        return None
    fn, sn = index, size - 1
    node = leaf_digest
    for sibling in path:
        if sn == 0:
            return None
        if fn & 1 or fn == sn:
            node = node_hash(sibling, node)
            while not fn & 1 and fn:
                fn >>= 1
                sn >>= 1
        else:
            node = node_hash(node, sibling)
        fn >>= 1
        sn >>= 1
    return node if sn == 0 else None


def verify_inclusion_path(
    leaf_digest: bytes, index: int, size: int, path: Sequence[bytes], root: bytes
) -> bool:
    """Whether ``path`` proves that the leaf with hash ``leaf_digest`` is leaf ``index`` of the
    tree of ``size`` leaves whose root is ``root``."""
    return root_from_inclusion(leaf_digest, index, size, path) == root


def verify_consistency_path(
    old_size: int, new_size: int, old_root: bytes, new_root: bytes, path: Sequence[bytes]
) -> bool:
    """Whether ``path`` proves that the tree of ``old_size`` leaves with root ``old_root`` is
    a prefix of the tree of ``new_size`` leaves with root ``new_root``."""
    if not 0 <= old_size <= new_size or any(len(p) != HASH_SIZE for p in path):
        return False
    if old_size == new_size:
        return not path and old_root == new_root
    if old_size == 0:
        return not path and old_root == EMPTY_ROOT
    if not path:
        return False
    nodes = list(path)
    if old_size & (old_size - 1) == 0:  # a power of two: the old root is itself a node
        nodes.insert(0, old_root)
    fn, sn = old_size - 1, new_size - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    old_node = new_node = nodes[0]
    for sibling in nodes[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            old_node = node_hash(sibling, old_node)
            new_node = node_hash(sibling, new_node)
            while not fn & 1 and fn:
                fn >>= 1
                sn >>= 1
        else:
            new_node = node_hash(new_node, sibling)
        fn >>= 1
        sn >>= 1
    return sn == 0 and old_node == old_root and new_node == new_root
