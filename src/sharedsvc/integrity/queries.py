"""The integrity queries of [`SharedServices`][sharedsvc.SharedServices], as a mixin over any
eventsourcing application (it needs only ``recorder`` and ``mapper``)."""

from __future__ import annotations

from typing import Any, TextIO
from uuid import UUID

from eventsourcing.persistence import ApplicationRecorder, Mapper

from sharedsvc.integrity import verification
from sharedsvc.integrity.problems import Progress
from sharedsvc.integrity.records import (
    Checkpoint,
    ConsistencyProof,
    InclusionProof,
    IntegrityReport,
)

__all__ = ["IntegrityQueries"]


class IntegrityQueries:
    """Checkpoints, verification and proofs over the application's store."""

    recorder: ApplicationRecorder
    mapper: Mapper[UUID]

    def checkpoint(self, *, sign_with: Any = None) -> Checkpoint:
        """Log every event stored since the last checkpoint in the store's Merkle log and
        return ``Checkpoint(size, root, at)`` for all of them, to publish somewhere else.

        ``sign_with`` (an Ed25519 private key, or its 32 raw bytes) signs it."""
        return verification.take_checkpoint(self.recorder, sign_with=sign_with)

    def verify(
        self,
        against: Checkpoint | None = None,
        *,
        strict: bool = False,
        decode: bool | None = None,
        progress: Progress | None = None,
    ) -> IntegrityReport:
        """Check the store and return an [`IntegrityReport`][sharedsvc.IntegrityReport].

        Always: positions strictly increasing and each aggregate's versions contiguous. With
        ``against``: the store still holds exactly the events the checkpoint covers (an
        altered byte, a deleted, inserted or reordered event, a cut-off tail are each found,
        with their position where the store's Merkle log can say). Without: every event is
        decoded too (``decode`` overrides either default). ``strict=True`` raises
        [`TamperDetected`][sharedsvc.TamperDetected] instead of returning a report that is not ok.
        """
        return verification.verify_store(
            self.recorder, self.mapper, against, strict=strict, decode=decode, progress=progress
        )

    def prove(self, position: int, checkpoint: Checkpoint) -> InclusionProof:
        """``InclusionProof(index, size, leaf_hash, path)`` of the event at global
        ``position`` in the tree of ``checkpoint``; any RFC 9162 verifier accepts it."""
        return verification.prove_inclusion(self.recorder, position, checkpoint)

    def prove_consistency(self, old: Checkpoint, new: Checkpoint) -> ConsistencyProof:
        """``ConsistencyProof(old_size, new_size, path)``: ``old``'s tree is a prefix of
        ``new``'s, so nothing recorded before ``old`` was changed."""
        return verification.prove_consistency(self.recorder, old, new)

    def export_events(self, out: TextIO, *, after: int = 0) -> int:
        """Write the stored events, as stored, one JSON line each, for offline verification
        with [`verify_exported`][sharedsvc.integrity.verify_exported]; returns how many."""
        return verification.export_events(self.recorder, out, after=after)
