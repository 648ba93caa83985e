"""``sharedsvc checkpoint``, ``verify``, ``prove`` and ``export``: what they print and the exit
codes a script relies on (0 intact, 1 tampered or refused, 2 usage)."""

from __future__ import annotations

import io
import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
)

from sharedsvc import Checkpoint, InclusionProof
from sharedsvc.cli import main
from sharedsvc.integrity import generate_key, verify_inclusion


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    return main(list(argv), out=out), out.getvalue()


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    assert 0 == run("demo", "--db", "store.db")[0]
    return tmp_path / "store.db"


def test_a_checkpoint_verifies_and_proves(store: Path, tmp_path: Path) -> None:
    code, text = run("checkpoint", "--db", str(store))
    assert 0 == code
    checkpoint = Checkpoint.from_json(text)
    assert 50 == checkpoint.size
    (tmp_path / "cp.json").write_text(text)

    code, text = run("verify", "--db", str(store), "--checkpoint", "cp.json")
    assert (0, "intact: 50 events checked against the checkpoint of 50 events\n") == (code, text)

    code, text = run("prove", "7", "--db", str(store), "--checkpoint", "cp.json")
    assert 0 == code
    proof = InclusionProof.from_json(text)
    assert (6, 50, 7) == (proof.index, proof.size, proof.position)
    assert verify_inclusion(proof, checkpoint)


def test_tampering_exits_1_with_a_one_line_reason(
    store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert 0 == run("checkpoint", "--db", str(store), "--output", "cp.json")[0]
    with sqlite3.connect(store) as connection:
        connection.execute("DELETE FROM stored_events WHERE rowid = 12")
    capsys.readouterr()
    code, text = run("verify", "--db", str(store), "--checkpoint", "cp.json")
    assert 1 == code
    assert text.startswith("TAMPERED: 49 events checked against the checkpoint of 50 events")
    assert "position 12: an event logged here is no longer stored [missing]" in text
    err = capsys.readouterr().err
    assert 1 == len(err.splitlines())
    assert err.startswith("sharedsvc: TAMPERED:")
    assert "Traceback" not in err
    # without a checkpoint, the store's own log still disagrees
    assert 1 == run("verify", "--db", str(store))[0]
    assert 1 == run("prove", "12", "--db", str(store), "--checkpoint", "cp.json")[0]


def test_an_auditor_checks_an_export_without_the_store(store: Path, tmp_path: Path) -> None:
    assert 0 == run("checkpoint", "--db", str(store), "--output", "cp.json")[0]
    code, text = run("export", "--db", str(store), "--output", "events.jsonl")
    assert (0, "Exported 50 events to events.jsonl.\n") == (code, text)
    store.unlink()  # the auditor has only the export and the checkpoint
    code, text = run("verify", "--events", "events.jsonl", "--checkpoint", "cp.json")
    assert (0, "intact: 50 events checked against the checkpoint of 50 events\n") == (code, text)

    lines = (tmp_path / "events.jsonl").read_text().splitlines()
    record = json.loads(lines[20])
    record["topic"] = record["topic"] + "x"
    lines[20] = json.dumps(record)
    (tmp_path / "edited.jsonl").write_text("\n".join(lines) + "\n")
    assert 1 == run("verify", "--events", "edited.jsonl", "--checkpoint", "cp.json")[0]


def test_signed_checkpoints_are_checked_with_the_public_key(store: Path, tmp_path: Path) -> None:
    key, other = generate_key(), generate_key()
    (tmp_path / "key.pem").write_bytes(
        key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption())
    )
    for name, holder in (("pub.pem", key), ("other.pem", other)):
        (tmp_path / name).write_bytes(
            holder.public_key().public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo)
        )
    assert (
        0
        == run("checkpoint", "--db", str(store), "--sign-key", "key.pem", "--output", "cp.json")[0]
    )
    assert Checkpoint.from_json((tmp_path / "cp.json").read_text()).signature is not None
    good = ("verify", "--db", str(store), "--checkpoint", "cp.json", "--public-key", "pub.pem")
    assert 0 == run(*good)[0]
    assert 1 == run(*good[:-1], "other.pem")[0]
    (tmp_path / "bad.pem").write_text("not a key")
    assert 1 == run("checkpoint", "--db", str(store), "--sign-key", "bad.pem")[0]


def test_bad_input_is_refused_cleanly(store: Path, tmp_path: Path) -> None:
    assert 2 == run("verify", "--db", str(store), "--checkpoint", "missing.json")[0]
    (tmp_path / "junk.json").write_text("{not json")
    assert 1 == run("verify", "--db", str(store), "--checkpoint", "junk.json")[0]
    (tmp_path / "events.jsonl").write_text("")
    assert 1 == run("verify", "--events", "events.jsonl")[0]  # an export needs a checkpoint
    assert 1 == run("verify", "--db", "nowhere.db")[0]


def test_usage_errors_exit_2(store: Path) -> None:
    for argv in (["prove", "seven", "--checkpoint", "cp.json"], ["prove", "7"]):
        result = subprocess.run(
            [sys.executable, "-m", "sharedsvc.cli", *argv],
            capture_output=True,
            text=True,
            check=False,
        )
        assert 2 == result.returncode, result.stderr
