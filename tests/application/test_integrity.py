"""Checkpoints, verification and proofs through the application, on every store.

Expected roots are computed here from the rows as the store returns them through eventsourcing's
own ``select_notifications``, with the leaf encoding written out in the test, so a change to the
canonical leaf (which would silently invalidate every checkpoint ever published) fails a test.
"""

from __future__ import annotations

import io
import json
import struct
from datetime import date
from hashlib import sha256
from typing import Any
from uuid import UUID

import pytest
from harness import (
    HARINGEY,
    InMemoryStore,
    OpenApp,
    PostgresStore,
    SQLiteStore,
    StoreContract,
    build_shared_digital,
    form_pair,
)

from sharedsvc import (
    Checkpoint,
    ConsistencyProof,
    InclusionProof,
    IntegrityReport,
    NotFound,
    RuleViolation,
    SharedServices,
    Stage,
    TamperDetected,
)
from sharedsvc.integrity import (
    EMPTY_ROOT,
    generate_key,
    read_exported_events,
    verify_consistency,
    verify_exported,
    verify_inclusion,
)


def expected_leaf_hashes(app: SharedServices) -> list[tuple[int, bytes]]:
    """(position, leaf hash) of every stored event, computed from the spec in the docs."""
    leaves = []
    for n in app.recorder.select_notifications(start=None, limit=1_000_000):
        topic = n.topic.encode()
        leaf = (
            UUID(str(n.originator_id)).bytes
            + struct.pack(">Q", n.originator_version)
            + struct.pack(">I", len(topic))
            + topic
            + n.state
        )
        leaves.append((n.id, sha256(b"\x00" + leaf).digest()))
    return leaves


def mth(hashes: list[bytes]) -> bytes:
    """RFC 9162's MTH over leaf hashes, recursively."""
    if not hashes:
        return sha256(b"").digest()
    if len(hashes) == 1:
        return hashes[0]
    k = 1
    while k * 2 < len(hashes):
        k *= 2
    return sha256(b"\x01" + mth(hashes[:k]) + mth(hashes[k:])).digest()


class IntegrityContract(StoreContract):
    @pytest.fixture
    def pid(self, app: SharedServices) -> UUID:
        return build_shared_digital(app)

    def test_an_empty_store_checkpoints_to_the_empty_root(self, app: SharedServices) -> None:
        checkpoint = app.checkpoint()
        assert (0, EMPTY_ROOT, 0) == (checkpoint.size, checkpoint.root, checkpoint.position)
        report = app.verify(against=checkpoint)
        assert report.ok
        assert 0 == report.checked

    def test_the_checkpoint_is_the_rfc_root_of_the_stored_events(
        self, app: SharedServices, pid: UUID
    ) -> None:
        leaves = expected_leaf_hashes(app)
        checkpoint = app.checkpoint()
        assert len(leaves) == checkpoint.size == 21
        assert mth([digest for _, digest in leaves]) == checkpoint.root
        assert leaves[-1][0] == checkpoint.position
        assert checkpoint.at.tzinfo is not None

    def test_an_untouched_store_verifies_with_and_without_a_checkpoint(
        self, app: SharedServices, pid: UUID
    ) -> None:
        assert app.verify().ok  # before any checkpoint: internal consistency and decoding
        checkpoint = app.checkpoint()
        form_pair(app, name="Later business")  # growth after a checkpoint is not tampering
        for report in (app.verify(), app.verify(against=checkpoint), app.verify(decode=True)):
            assert isinstance(report, IntegrityReport)
            assert report.ok, str(report)
            assert 22 == report.checked  # 21 of the history, 1 forming the pair
            assert () == report.problems
        assert app.verify(against=checkpoint, strict=True).ok

    def test_every_event_has_an_inclusion_proof_that_verifies(
        self, app: SharedServices, pid: UUID
    ) -> None:
        checkpoint = app.checkpoint()
        leaves = expected_leaf_hashes(app)
        for index, (position, digest) in enumerate(leaves):
            proof = app.prove(position, checkpoint)
            assert isinstance(proof, InclusionProof)
            assert (index, checkpoint.size, digest, position) == (
                proof.index,
                proof.size,
                proof.leaf_hash,
                proof.position,
            )
            assert all(isinstance(node, bytes) and 32 == len(node) for node in proof.path)
            assert verify_inclusion(proof, checkpoint)
            assert verify_inclusion(proof, checkpoint.root)
            other = leaves[(index + 1) % len(leaves)][1]
            assert not verify_inclusion(
                InclusionProof(proof.index, proof.size, other, proof.path), checkpoint
            )

    def test_proofs_survive_json(self, app: SharedServices, pid: UUID) -> None:
        old = app.checkpoint()
        form_pair(app, name="Later business")
        new = app.checkpoint()
        proof = app.prove(3, new)
        assert proof == InclusionProof.from_json(proof.to_json())
        consistency = app.prove_consistency(old, new)
        assert consistency == ConsistencyProof.from_json(consistency.to_json())
        assert new == Checkpoint.from_json(new.to_json())
        assert json.loads(new.to_json())["root"] == new.root.hex()

    def test_consistency_between_every_pair_of_checkpoints(
        self, app: SharedServices, pid: UUID
    ) -> None:
        checkpoints = [app.checkpoint()]
        for n in range(3):
            form_pair(app, name=f"Later business {n}")
            checkpoints.append(app.checkpoint())
        for i, old in enumerate(checkpoints):
            for new in checkpoints[i:]:
                proof = app.prove_consistency(old, new)
                assert (old.size, new.size) == (proof.old_size, proof.new_size)
                assert verify_consistency(proof, old, new)
                if old.size < new.size:
                    assert not verify_consistency(proof, new, old)
        with pytest.raises(RuleViolation, match="larger than the new one"):
            app.prove_consistency(checkpoints[-1], checkpoints[0])

    def test_a_checkpoint_from_another_store_is_not_consistent(
        self, app: SharedServices, pid: UUID
    ) -> None:
        ours = app.checkpoint()
        other = SharedServices.in_memory()
        build_shared_digital(other)
        form_pair(other, name="Elsewhere")
        theirs = other.checkpoint()
        with pytest.raises(TamperDetected, match="not consistent"):
            app.prove_consistency(ours, theirs)

    def test_proving_what_is_not_there_is_refused(self, app: SharedServices, pid: UUID) -> None:
        checkpoint = app.checkpoint()
        with pytest.raises(NotFound, match="no event is stored at position 9999"):
            app.prove(9999, checkpoint)
        later = form_pair(app, name="Later business")
        assert later
        with pytest.raises(NotFound, match="take a newer checkpoint"):
            app.prove(checkpoint.position + 1, checkpoint)
        with pytest.raises(RuleViolation, match="whole number"):
            app.prove("3", checkpoint)  # type: ignore[arg-type]
        with pytest.raises(RuleViolation, match="must be a Checkpoint"):
            app.prove(3, {"size": 1})  # type: ignore[arg-type]
        with pytest.raises(RuleViolation, match="must be a Checkpoint"):
            app.verify(against="checkpoint.json")  # type: ignore[arg-type]

    def test_a_forged_checkpoint_is_reported_not_trusted(
        self, app: SharedServices, pid: UUID
    ) -> None:
        real = app.checkpoint()
        forged = Checkpoint(real.size, sha256(b"forged").digest(), real.at, real.position)
        report = app.verify(against=forged)
        assert not report.ok
        assert ["root-mismatch"] == [problem.kind for problem in report.problems]
        with pytest.raises(TamperDetected) as raised:
            app.verify(against=forged, strict=True)
        assert raised.value.report == report
        bigger = Checkpoint(real.size + 5, real.root, real.at)
        assert ["truncated"] == [p.kind for p in app.verify(against=bigger).problems]

    def test_signed_checkpoints_verify_only_with_the_right_key(
        self, app: SharedServices, pid: UUID
    ) -> None:
        key, stranger = generate_key(), generate_key()
        checkpoint = app.checkpoint(sign_with=key)
        assert checkpoint.signature is not None
        assert 64 == len(checkpoint.signature)
        assert checkpoint.verify_signature(key.public_key())
        assert not checkpoint.verify_signature(stranger.public_key())
        read_back = Checkpoint.from_json(checkpoint.to_json())
        assert read_back.verify_signature(key.public_key())
        import attrs

        moved = attrs.evolve(read_back, size=read_back.size - 1)
        assert not moved.verify_signature(key.public_key())
        assert not app.checkpoint().verify_signature(key.public_key())  # unsigned

    def test_an_auditor_verifies_an_export_offline(self, app: SharedServices, pid: UUID) -> None:
        checkpoint = app.checkpoint()
        out = io.StringIO()
        assert 21 == app.export_events(out)
        lines = out.getvalue().splitlines()
        events = list(read_exported_events(lines))
        assert verify_exported(events, checkpoint).ok
        proof = app.prove(events[4].position, checkpoint)
        assert verify_inclusion(proof, checkpoint, event=events[4])
        assert not verify_inclusion(proof, checkpoint, event=events[5])
        import attrs

        edited = [*events[:4], attrs.evolve(events[4], state=events[4].state + b" "), *events[5:]]
        report = verify_exported(edited, checkpoint)
        assert ["root-mismatch"] == [problem.kind for problem in report.problems]
        assert ["truncated"] == [p.kind for p in verify_exported(events[:-1], checkpoint).problems]

    def test_a_fresh_application_verifies_what_another_checkpointed(
        self, reopen: OpenApp, app: SharedServices, pid: UUID
    ) -> None:
        checkpoint = app.checkpoint()
        again = reopen()
        assert again.verify(against=checkpoint).ok
        assert again.checkpoint().root == checkpoint.root  # nothing new: the same tree
        form_pair(app, name="Later business", on=date(2019, 1, 1))
        assert again.verify(against=checkpoint).ok
        assert again.checkpoint().size == checkpoint.size + 1


class TestIntegrityInMemory(InMemoryStore, IntegrityContract):
    pass


class TestIntegrityOnSQLite(SQLiteStore, IntegrityContract):
    pass


@pytest.mark.postgres
class TestIntegrityOnPostgres(PostgresStore, IntegrityContract):
    def test_leaves_count_events_not_positions_when_the_sequence_skips(
        self, app: SharedServices, pid: UUID, postgres_db: dict[str, Any]
    ) -> None:
        import psycopg

        pair = form_pair(app, name="Gaps")
        table = app.recorder.events_table_name  # type: ignore[attr-defined]
        # an insert that fails on the primary key, as a losing concurrent writer's does
        with (
            psycopg.connect(**postgres_db, autocommit=True) as connection,
            pytest.raises(psycopg.errors.UniqueViolation),
        ):
            connection.execute(
                f"INSERT INTO {table} (originator_id, originator_version, topic, state) "
                f"SELECT originator_id, originator_version, topic, state FROM {table} "
                "WHERE originator_id = %s",
                (pair,),
            )
        app.change_stage(pair, to=Stage.COLLABORATING, by="camden", on=date(2016, 1, 1))
        positions = [position for position, _ in expected_leaf_hashes(app)]
        assert positions[-1] - positions[-2] > 1, positions[-3:]  # there is a gap
        checkpoint = app.checkpoint()
        assert len(positions) == checkpoint.size
        assert positions[-1] == checkpoint.position
        for index, position in enumerate(positions):
            proof = app.prove(position, checkpoint)
            assert index == proof.index
            assert verify_inclusion(proof, checkpoint)
        assert app.verify(against=checkpoint).ok


def test_haringey_is_a_party_of_the_history_these_tests_use() -> None:
    # guards the fixture: a history without its admission would not reach 21 events
    app = SharedServices.in_memory()
    pid = build_shared_digital(app)
    assert HARINGEY.id in app.partnership(pid).parties
