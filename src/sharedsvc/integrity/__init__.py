"""Tamper evidence for the record: a Merkle log over the stored events (RFC 9162 section 2.1),
checkpoints to publish elsewhere, inclusion and consistency proofs, and verification.

The application's [`checkpoint`][sharedsvc.SharedServices.checkpoint], ``verify``, ``prove`` and
``prove_consistency`` are the usual way in; the functions here that take no store
([`verify_inclusion`][sharedsvc.integrity.verify_inclusion],
[`verify_consistency`][sharedsvc.integrity.verify_consistency],
[`verify_exported`][sharedsvc.integrity.verify_exported]) are what an auditor runs offline, from a
checkpoint, a proof and an export of the events.
"""

from __future__ import annotations

from sharedsvc.integrity.leaves import leaf_bytes
from sharedsvc.integrity.merkle import (
    EMPTY_ROOT,
    MerkleAccumulator,
    leaf_hash,
    node_hash,
    tree_root,
    verify_consistency_path,
    verify_inclusion_path,
)
from sharedsvc.integrity.queries import IntegrityQueries
from sharedsvc.integrity.records import (
    Checkpoint,
    ConsistencyProof,
    ExportedEvent,
    InclusionProof,
    IntegrityReport,
    Problem,
)
from sharedsvc.integrity.signing import generate_key, public_key_of
from sharedsvc.integrity.verification import (
    export_events,
    prove_consistency,
    prove_inclusion,
    read_exported_events,
    take_checkpoint,
    verify_consistency,
    verify_exported,
    verify_inclusion,
    verify_store,
)

__all__ = [
    "EMPTY_ROOT",
    "Checkpoint",
    "ConsistencyProof",
    "ExportedEvent",
    "InclusionProof",
    "IntegrityQueries",
    "IntegrityReport",
    "MerkleAccumulator",
    "Problem",
    "export_events",
    "generate_key",
    "leaf_bytes",
    "leaf_hash",
    "node_hash",
    "prove_consistency",
    "prove_inclusion",
    "public_key_of",
    "read_exported_events",
    "take_checkpoint",
    "tree_root",
    "verify_consistency",
    "verify_consistency_path",
    "verify_exported",
    "verify_inclusion",
    "verify_inclusion_path",
    "verify_store",
]
