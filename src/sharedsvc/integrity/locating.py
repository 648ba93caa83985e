"""Where a store differs from its checkpoint: the merge of the stored events with the Merkle log
kept beside them, and the verdict on which of the two was changed.

The log is trusted only when its leaves hash to the checkpoint's root; then each difference
between it and the store is named by position (missing, altered, inserted, truncated).
"""

from __future__ import annotations

from collections.abc import Iterator

from sharedsvc.integrity.merkle import MerkleAccumulator
from sharedsvc.integrity.problems import Problems
from sharedsvc.integrity.records import Checkpoint

__all__ = ["MERGE_KINDS", "LoggedLeaves", "compare_with_checkpoint"]

MERGE_KINDS = frozenset({"missing", "altered", "inserted", "truncated"})
"""The kinds of problem the merge with the log names (void when the log is not trusted)."""


class LoggedLeaves:
    """The logged leaves within a checkpoint, merged by position with the store's events."""

    def __init__(self, leaves: Iterator[tuple[int, bytes]], size: int) -> None:
        self._leaves = leaves
        self._left = size
        self.mismatches = 0
        self.current: tuple[int, bytes] | None = None
        self._advance()

    def _advance(self) -> None:
        if self._left:
            self.current = next(self._leaves, None)
            self._left -= 1
        else:
            self.current = None

    def compare(
        self, position: int, leaf: bytes, problems: Problems, tree: MerkleAccumulator
    ) -> None:
        while self.current is not None and self.current[0] < position:
            problems.add("missing", self.current[0], "an event logged here is no longer stored")
            self.mismatches += 1
            tree.append(self.current[1])
            self._advance()
        if self.current is None:
            return
        if self.current[0] == position:
            if self.current[1] != leaf:
                problems.add("altered", position, "the stored event differs from the one logged")
                self.mismatches += 1
            tree.append(self.current[1])
            self._advance()
        else:
            problems.add("inserted", position, "an event that was never logged here")
            self.mismatches += 1

    def finish(self, problems: Problems, tree: MerkleAccumulator, stored: int) -> None:
        """The logged leaves the store ran out before: the tail was cut off."""
        current = self.current
        if current is None:
            return
        first, missing = current[0], 0
        while current is not None:
            tree.append(current[1])
            missing += 1
            self._advance()
            current = self.current
        problems.add(
            "truncated",
            first,
            f"the store ends here: {missing} logged events from this position on are gone "
            f"({stored} stored)",
        )
        self.mismatches += 1


def compare_with_checkpoint(
    checkpoint: Checkpoint,
    store_tree: MerkleAccumulator,
    log_tree: MerkleAccumulator,
    stored: int,
    position_at_size: int,
    problems: Problems,
    mismatches: int,
) -> None:
    """Judge the store (its tree ``store_tree`` of ``stored`` events) and its log (``log_tree``)
    against ``checkpoint``, keeping the merge's findings only where the log is trusted."""
    log_trusted = log_tree.size == checkpoint.size and log_tree.root() == checkpoint.root
    store_intact = stored >= checkpoint.size and store_tree.root() == checkpoint.root
    if store_intact:
        if checkpoint.position and position_at_size != checkpoint.position:
            problems.add(
                "renumbered",
                position_at_size,
                f"the checkpoint's last event was at position {checkpoint.position}",
            )
        if mismatches or (log_tree.size and not log_trusted):
            # the events are as checkpointed; what differs is the log kept beside them
            problems.found = [p for p in problems.found if p.kind not in MERGE_KINDS]
            problems.add("log-altered", None, "the Merkle log kept in the store was altered")
        return
    if log_trusted and mismatches:
        return  # the merge has already said where
    problems.found = [p for p in problems.found if p.kind not in MERGE_KINDS]
    if stored < checkpoint.size:
        problems.add(
            "truncated",
            None,
            f"the store holds {stored} events, the checkpoint covers {checkpoint.size}",
        )
    else:
        problems.add(
            "root-mismatch",
            None,
            f"the first {checkpoint.size} stored events do not hash to the checkpoint's root "
            "(the Merkle log was altered too, so the change cannot be located)",
        )
