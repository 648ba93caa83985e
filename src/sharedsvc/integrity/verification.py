"""Checkpoints, verification and proofs over a store's events (one import for all of them).

Leaf ``i`` of the tree is the ``i``-th stored event in notification order (from 0), whatever
gaps the positions have; its leaf is [`leaf_bytes`][sharedsvc.integrity.leaf_bytes] of the event
exactly as stored. Everything streams: memory does not grow with the number of events (only
with the number of aggregates, whose versions the consistency check follows).

The work is split by responsibility: `scanning` verifies a store,
`locating` says where it differs from a checkpoint,
`proofs` takes checkpoints and proves against them, and
`offline` is what an auditor runs without the store.
"""

from __future__ import annotations

from sharedsvc.integrity.offline import (
    export_events,
    read_exported_events,
    verify_consistency,
    verify_exported,
    verify_inclusion,
)
from sharedsvc.integrity.problems import PROBLEM_LIMIT
from sharedsvc.integrity.proofs import prove_consistency, prove_inclusion, take_checkpoint
from sharedsvc.integrity.scanning import verify_store

__all__ = [
    "PROBLEM_LIMIT",
    "export_events",
    "prove_consistency",
    "prove_inclusion",
    "read_exported_events",
    "take_checkpoint",
    "verify_consistency",
    "verify_exported",
    "verify_inclusion",
    "verify_store",
]
