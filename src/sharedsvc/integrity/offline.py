"""What an auditor runs without the store: checking proofs against checkpoints, and an export
of the events (one JSON line each, written here from a store) against a checkpoint."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TextIO
from uuid import UUID

from eventsourcing.persistence import ApplicationRecorder

from sharedsvc.domain.errors import RuleViolation, TamperDetected
from sharedsvc.domain.validators import shown
from sharedsvc.domain.values import INVALID
from sharedsvc.integrity.merkle import tree_root, verify_consistency_path, verify_inclusion_path
from sharedsvc.integrity.problems import PROBLEM_LIMIT, Problems, checkpoint_of
from sharedsvc.integrity.records import (
    Checkpoint,
    ConsistencyProof,
    ExportedEvent,
    InclusionProof,
    IntegrityReport,
)
from sharedsvc.integrity.rows import open_log

__all__ = [
    "export_events",
    "read_exported_events",
    "verify_consistency",
    "verify_exported",
    "verify_inclusion",
]


def _root_of(checkpoint_or_root: Checkpoint | bytes) -> bytes:
    if isinstance(checkpoint_or_root, Checkpoint):
        return checkpoint_or_root.root
    if isinstance(checkpoint_or_root, bytes):
        return checkpoint_or_root
    raise RuleViolation(
        INVALID, f"expected a Checkpoint or a root, not {shown(checkpoint_or_root)}"
    )


def verify_inclusion(
    proof: InclusionProof,
    checkpoint: Checkpoint | bytes,
    *,
    event: ExportedEvent | None = None,
) -> bool:
    """Whether ``proof`` shows its leaf in the tree of ``checkpoint`` (or of a bare root);
    given ``event``, also that the proof is about that event (its leaf hash matches)."""
    if isinstance(checkpoint, Checkpoint) and checkpoint.size != proof.size:
        return False
    if event is not None and event.leaf_hash() != proof.leaf_hash:
        return False
    return verify_inclusion_path(
        proof.leaf_hash, proof.index, proof.size, proof.path, _root_of(checkpoint)
    )


def verify_consistency(proof: ConsistencyProof, old: Checkpoint, new: Checkpoint) -> bool:
    """Whether ``proof`` shows that ``old``'s tree is a prefix of ``new``'s."""
    if (proof.old_size, proof.new_size) != (old.size, new.size):
        return False
    return verify_consistency_path(old.size, new.size, old.root, new.root, proof.path)


def export_events(recorder: ApplicationRecorder, out: TextIO, *, after: int = 0) -> int:
    """Write every stored event after ``after`` as one JSON line each (as stored, the state
    in base64), for verification without the store; returns how many were written."""
    count = 0
    for position, originator_id, version, topic, state in open_log(recorder).rows(after):
        if len(originator_id) != 16:
            raise TamperDetected(f"the event at position {position} has a malformed id")
        event = ExportedEvent(position, UUID(bytes=originator_id), version, topic, state)
        out.write(event.to_json() + "\n")
        count += 1
    return count


def read_exported_events(lines: Iterable[str]) -> Iterator[ExportedEvent]:
    """The events of an export written by [`export_events`][sharedsvc.integrity.export_events]
    (blank lines skipped)."""
    for line in lines:
        if line.strip():
            yield ExportedEvent.from_json(line)


def verify_exported(events: Iterable[ExportedEvent], checkpoint: Checkpoint) -> IntegrityReport:
    """Check, with no store, that an export begins with exactly the events ``checkpoint``
    covers: their tree's root must be the checkpoint's."""
    checkpoint_of(checkpoint)
    problems = Problems(PROBLEM_LIMIT)
    count, last = 0, 0

    def prefix() -> Iterator[bytes]:
        nonlocal count, last
        for event in events:
            if event.position <= last:
                problems.add("out-of-order", event.position, f"comes after position {last}")
            last = event.position
            count += 1
            if count <= checkpoint.size:
                yield event.leaf_hash()

    root = tree_root(prefix())
    if count < checkpoint.size:
        problems.add(
            "truncated", None, f"the export holds {count} events, the checkpoint {checkpoint.size}"
        )
    elif root != checkpoint.root:
        problems.add(
            "root-mismatch",
            None,
            f"the first {checkpoint.size} exported events do not hash to the checkpoint's root",
        )
    return problems.report(count, checkpoint)
