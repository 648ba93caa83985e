"""Checkpoints of a store, and the proofs a store gives against them: that an event is in a
checkpoint's tree (inclusion), and that an older checkpoint's tree is a prefix of a newer one's
(consistency)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

from eventsourcing.persistence import ApplicationRecorder

from sharedsvc.domain.errors import NotFound, RuleViolation, TamperDetected
from sharedsvc.domain.validators import whole
from sharedsvc.integrity.merkle import (
    MerkleAccumulator,
    consistency_ranges,
    inclusion_ranges,
    range_roots,
    verify_consistency_path,
    verify_inclusion_path,
)
from sharedsvc.integrity.problems import checkpoint_of
from sharedsvc.integrity.records import Checkpoint, ConsistencyProof, InclusionProof
from sharedsvc.integrity.rows import MerkleLog, open_log

__all__ = ["prove_consistency", "prove_inclusion", "take_checkpoint"]


def take_checkpoint(
    recorder: ApplicationRecorder, *, sign_with: Any = None, at: datetime | None = None
) -> Checkpoint:
    """Log the leaves of the events stored since the last checkpoint, and return the
    checkpoint of everything logged: its size, root, time and last position."""
    log = open_log(recorder)
    logged = log.extend()
    if logged is not None:  # the first checkpoint: the tree was built as the leaves were logged
        accumulator, last = logged
    else:
        accumulator, last = MerkleAccumulator(), 0
        for page in log.leaf_pages():  # a page at a time: whole subtrees a level at a time
            accumulator.extend_block([digest for _, digest in page])
            last = page[-1][0]  # the last position is the checkpoint's
    checkpoint = Checkpoint(accumulator.size, accumulator.root(), at or datetime.now(UTC), last)
    return checkpoint if sign_with is None else checkpoint.sign(sign_with)


def _leaf_sources(log: MerkleLog, size: int) -> Iterator[Callable[[], Iterator[bytes]]]:
    """Where to read the first ``size`` leaf hashes from: the log when it holds them (fast),
    then the stored events themselves."""
    if log.logged()[0] >= size:
        yield lambda: (digest for _, digest in log.leaves())
    yield lambda: (log.digest(row) for row in log.rows())


def prove_inclusion(
    recorder: ApplicationRecorder, position: int, checkpoint: Checkpoint
) -> InclusionProof:
    """The proof that the event at global ``position`` is in the tree of ``checkpoint``.

    Raises [`NotFound`][sharedsvc.NotFound] when no event is stored there or the checkpoint does not
    cover it, and [`TamperDetected`][sharedsvc.TamperDetected] when the stored event no longer
    hashes to a leaf of the checkpoint's tree (no proof can then be honest). An intact event is
    proved even when others were altered: it is still in the tree."""
    checkpoint_of(checkpoint)
    whole(position, "a position")
    log = open_log(recorder)
    row = log.row_at(position)
    if row is None:
        raise NotFound(f"no event is stored at position {position}")
    leaf = log.digest(row)
    logged_index = log.logged_index(position)
    attempts: list[tuple[int, Callable[[], Iterator[bytes]]]] = []
    if logged_index is not None and log.logged()[0] >= checkpoint.size:
        attempts.append((logged_index, lambda: (digest for _, digest in log.leaves())))
    index = log.count_before(position)
    attempts.append((index, lambda: (log.digest(stored) for stored in log.rows())))
    for index, source in attempts:
        if index >= checkpoint.size:
            raise NotFound(
                f"the event at position {position} is leaf {index}, after the checkpoint's "
                f"{checkpoint.size} leaves: take a newer checkpoint"
            )
        try:
            path = range_roots(source(), inclusion_ranges(index, checkpoint.size))
        except ValueError:
            continue
        if verify_inclusion_path(leaf, index, checkpoint.size, path, checkpoint.root):
            return InclusionProof(index, checkpoint.size, leaf, path, position)
    raise TamperDetected(
        f"the event at position {position} is not in the checkpointed tree as stored now: "
        "the store was altered"
    )


def prove_consistency(
    recorder: ApplicationRecorder, old: Checkpoint, new: Checkpoint
) -> ConsistencyProof:
    """The proof that ``old``'s tree is a prefix of ``new``'s.

    Raises [`TamperDetected`][sharedsvc.TamperDetected] when the store cannot prove it: the events
    logged before ``old`` were changed before ``new`` was taken, or either checkpoint is not this
    store's."""
    checkpoint_of(old, "old")
    checkpoint_of(new, "new")
    if old.size > new.size:
        raise RuleViolation(
            "invalid", f"the old checkpoint ({old.size} events) is larger than the new one"
        )
    log = open_log(recorder)
    ranges = consistency_ranges(old.size, new.size)
    for source in _leaf_sources(log, new.size):
        try:
            path = range_roots(source(), ranges)
        except ValueError:
            continue
        if verify_consistency_path(old.size, new.size, old.root, new.root, path):
            return ConsistencyProof(old.size, new.size, path)
    raise TamperDetected(
        f"the checkpoints of {old.size} and {new.size} events are not consistent with each "
        "other and this store: the record was rewritten between them, or one is not this store's"
    )
