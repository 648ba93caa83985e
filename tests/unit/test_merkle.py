"""RFC 9162 section 2.1 behaviour of sharedsvc.integrity.merkle.

The expected values come from a direct transcription of the RFC's recursive definitions (MTH,
PATH, PROOF/SUBPROOF) written here, independently of the streaming code under test.
"""

from __future__ import annotations

from datetime import UTC, datetime
from hashlib import sha256

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sharedsvc import Checkpoint, InclusionProof
from sharedsvc.integrity import merkle, verify_inclusion

SIZES = range(1, 301)
AT = datetime(2024, 1, 1, tzinfo=UTC)


def _h(data: bytes) -> bytes:
    return sha256(data).digest()


def _k(n: int) -> int:
    k = 1
    while k * 2 < n:
        k *= 2
    return k


def mth(leaves: list[bytes]) -> bytes:
    """MTH(D[n]) of RFC 9162 2.1.1, over the leaf *inputs*."""
    if not leaves:
        return _h(b"")
    if len(leaves) == 1:
        return _h(b"\x00" + leaves[0])
    k = _k(len(leaves))
    return _h(b"\x01" + mth(leaves[:k]) + mth(leaves[k:]))


def path(m: int, leaves: list[bytes]) -> list[bytes]:
    """PATH(m, D[n]) of RFC 9162 2.1.3.1."""
    if len(leaves) == 1:
        return []
    k = _k(len(leaves))
    if m < k:
        return [*path(m, leaves[:k]), mth(leaves[k:])]
    return [*path(m - k, leaves[k:]), mth(leaves[:k])]


def subproof(m: int, leaves: list[bytes], whole: bool) -> list[bytes]:
    """SUBPROOF(m, D[n], b) of RFC 9162 2.1.4.1."""
    n = len(leaves)
    if m == n:
        return [] if whole else [mth(leaves)]
    k = _k(n)
    if m <= k:
        return [*subproof(m, leaves[:k], whole), mth(leaves[k:])]
    return [*subproof(m - k, leaves[k:], False), mth(leaves[:k])]


LEAVES = [f"event {i}".encode() for i in range(300)]
DIGESTS = [merkle.leaf_hash(leaf) for leaf in LEAVES]


def _inclusion(index: int, size: int) -> list[bytes]:
    return merkle.range_roots(DIGESTS[:size], merkle.inclusion_ranges(index, size))


def _consistency(old: int, new: int) -> list[bytes]:
    return merkle.range_roots(DIGESTS[:new], merkle.consistency_ranges(old, new))


def test_hashes_are_domain_separated_sha256() -> None:
    assert merkle.leaf_hash(b"x") == _h(b"\x00x")
    assert merkle.node_hash(b"a" * 32, b"b" * 32) == _h(b"\x01" + b"a" * 32 + b"b" * 32)
    assert merkle.tree_root([]) == _h(b"") == merkle.EMPTY_ROOT


def test_roots_of_1_to_300_leaves_match_the_recursive_definition() -> None:
    accumulator = merkle.MerkleAccumulator()
    for n in SIZES:
        accumulator.append(DIGESTS[n - 1])
        expected = mth(LEAVES[:n])
        assert expected == accumulator.root(), n
        assert expected == merkle.tree_root(DIGESTS[:n]), n


@pytest.mark.parametrize("size", [1, 2, 3, 4, 5, 7, 8, 9, 16, 17, 100, 255, 256, 257, 300])
def test_every_inclusion_proof_matches_the_rfc_and_verifies(size: int) -> None:
    root = mth(LEAVES[:size])
    for index in range(size):
        proof = _inclusion(index, size)
        assert path(index, LEAVES[:size]) == proof, (index, size)
        assert merkle.verify_inclusion_path(DIGESTS[index], index, size, proof, root)


def test_an_inner_node_is_never_accepted_as_a_leaf() -> None:
    # Second preimages (RFC 9162, 2.1.3.2): the root of a leaf and its first siblings, given as
    # the leaf hash with the rest of the leaf's path, leads to the root; a verifier must see
    # that the path ended below the top of the tree and refuse it, whatever index is claimed.
    for size in range(2, 18):
        root = merkle.tree_root(DIGESTS[:size])
        for index in range(size):
            ranges = merkle.inclusion_ranges(index, size)
            proof = _inclusion(index, size)
            low, high = index, index + 1
            for taken, (start, stop) in enumerate(ranges[:-1], start=1):
                low, high = min(low, start), max(high, stop)
                inner = merkle.tree_root(DIGESTS[low:high])
                rest = proof[taken:]
                for claimed in range(size):
                    assert not merkle.verify_inclusion_path(inner, claimed, size, rest, root), (
                        size,
                        index,
                        (low, high),
                        claimed,
                    )


def test_an_inner_node_proved_in_a_smaller_tree_is_refused_against_the_checkpoint() -> None:
    # Over the four leaves, the nodes (0, 1) and (2, 3) are the leaves of a tree of two with
    # the same root: only the checkpoint's size tells that tree from the real one.
    inner, sibling = merkle.tree_root(DIGESTS[0:2]), merkle.tree_root(DIGESTS[2:4])
    checkpoint = Checkpoint(size=4, root=merkle.tree_root(DIGESTS[:4]), at=AT)
    forged = InclusionProof(index=0, size=2, leaf_hash=inner, path=(sibling,))
    assert merkle.verify_inclusion_path(inner, 0, 2, [sibling], checkpoint.root)
    assert not verify_inclusion(forged, checkpoint)
    real = InclusionProof(index=0, size=4, leaf_hash=DIGESTS[0], path=tuple(_inclusion(0, 4)))
    assert verify_inclusion(real, checkpoint)


def test_every_inclusion_proof_up_to_64_leaves_verifies() -> None:
    for size in range(1, 65):
        root = merkle.tree_root(DIGESTS[:size])
        for index in range(size):
            proof = _inclusion(index, size)
            assert merkle.verify_inclusion_path(DIGESTS[index], index, size, proof, root)
            # ... and proves nothing about another leaf or another index
            other = (index + 1) % size
            if other != index:
                assert not merkle.verify_inclusion_path(DIGESTS[other], index, size, proof, root)
                assert not merkle.verify_inclusion_path(DIGESTS[index], other, size, proof, root)


def test_every_consistency_proof_up_to_64_leaves_matches_the_rfc_and_verifies() -> None:
    for new in range(1, 65):
        new_root = mth(LEAVES[:new])
        for old in range(1, new):
            proof = _consistency(old, new)
            assert subproof(old, LEAVES[:new], True) == proof, (old, new)
            old_root = mth(LEAVES[:old])
            assert merkle.verify_consistency_path(old, new, old_root, new_root, proof)
            assert not merkle.verify_consistency_path(old, new, new_root, old_root, proof)


@given(st.data())
def test_consistency_proofs_up_to_300_leaves(data: st.DataObject) -> None:
    new = data.draw(st.integers(2, 300), label="new")
    old = data.draw(st.integers(1, new - 1), label="old")
    proof = _consistency(old, new)
    assert subproof(old, LEAVES[:new], True) == proof
    assert merkle.verify_consistency_path(
        old, new, merkle.tree_root(DIGESTS[:old]), merkle.tree_root(DIGESTS[:new]), proof
    )


def test_equal_sizes_and_the_empty_tree_need_no_proof() -> None:
    root = merkle.tree_root(DIGESTS[:5])
    assert [] == merkle.consistency_ranges(5, 5) == merkle.consistency_ranges(0, 5)
    assert merkle.verify_consistency_path(5, 5, root, root, [])
    assert not merkle.verify_consistency_path(5, 5, root, merkle.EMPTY_ROOT, [])
    assert merkle.verify_consistency_path(0, 5, merkle.EMPTY_ROOT, root, [])
    assert not merkle.verify_consistency_path(0, 5, root, root, [])
    assert not merkle.verify_consistency_path(3, 5, merkle.tree_root(DIGESTS[:3]), root, [])


def _flip(value: bytes, bit: int) -> bytes:
    flipped = bytearray(value)
    flipped[bit // 8] ^= 1 << (bit % 8)
    return bytes(flipped)


@given(st.data())
def test_flipping_any_bit_of_an_inclusion_proof_root_or_leaf_fails(data: st.DataObject) -> None:
    size = data.draw(st.integers(2, 300), label="size")
    index = data.draw(st.integers(0, size - 1), label="index")
    proof = _inclusion(index, size)
    root = merkle.tree_root(DIGESTS[:size])
    assert merkle.verify_inclusion_path(DIGESTS[index], index, size, proof, root)
    bit = data.draw(st.integers(0, 255), label="bit")
    target = data.draw(st.sampled_from(["leaf", "root", "path"]), label="target")
    leaf, bad_path = DIGESTS[index], list(proof)
    if target == "leaf":
        leaf = _flip(leaf, bit)
    elif target == "root":
        root = _flip(root, bit)
    else:
        at = data.draw(st.integers(0, len(proof) - 1), label="at")
        bad_path[at] = _flip(bad_path[at], bit)
    assert not merkle.verify_inclusion_path(leaf, index, size, bad_path, root)


@given(st.data())
def test_flipping_any_bit_of_a_consistency_proof_or_root_fails(data: st.DataObject) -> None:
    new = data.draw(st.integers(2, 300), label="new")
    old = data.draw(st.integers(1, new - 1), label="old")
    proof = _consistency(old, new)
    old_root, new_root = merkle.tree_root(DIGESTS[:old]), merkle.tree_root(DIGESTS[:new])
    bit = data.draw(st.integers(0, 255), label="bit")
    target = data.draw(st.sampled_from(["old", "new", "path"]), label="target")
    if target == "old":
        old_root = _flip(old_root, bit)
    elif target == "new":
        new_root = _flip(new_root, bit)
    else:
        at = data.draw(st.integers(0, len(proof) - 1), label="at")
        proof[at] = _flip(proof[at], bit)
    assert not merkle.verify_consistency_path(old, new, old_root, new_root, proof)


def test_malformed_proofs_are_refused_not_crashed_on() -> None:
    root = merkle.tree_root(DIGESTS[:8])
    proof = _inclusion(3, 8)
    assert not merkle.verify_inclusion_path(DIGESTS[3], 3, 8, [*proof, proof[0]], root)
    assert not merkle.verify_inclusion_path(DIGESTS[3], 3, 8, proof[:-1], root)
    assert not merkle.verify_inclusion_path(DIGESTS[3], 8, 8, proof, root)
    assert not merkle.verify_inclusion_path(DIGESTS[3], -1, 8, proof, root)
    assert not merkle.verify_inclusion_path(DIGESTS[3], 3, 8, [p[:31] for p in proof], root)
    assert not merkle.verify_consistency_path(5, 3, root, root, proof)
    with pytest.raises(ValueError, match="not in a tree"):
        merkle.inclusion_ranges(8, 8)
    with pytest.raises(ValueError, match="no consistency proof"):
        merkle.consistency_ranges(9, 8)
    with pytest.raises(ValueError, match="fewer leaves"):
        merkle.range_roots(DIGESTS[:4], merkle.inclusion_ranges(3, 8))


@given(st.lists(st.sampled_from([1, 2, 3, 4, 8, 16, 32, 5]), max_size=12))
def test_adding_blocks_of_leaves_gives_the_same_root_as_one_at_a_time(blocks: list[int]) -> None:
    accumulator, added = merkle.MerkleAccumulator(), 0
    for block in blocks:
        if added + block > len(DIGESTS):
            break
        accumulator.extend_block(DIGESTS[added : added + block])
        added += block
        assert mth(LEAVES[:added]) == accumulator.root()
        assert added == accumulator.size
