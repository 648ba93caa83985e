"""The read side of ``sharedsvc``: list, load, export, audit, compromises, timeline, replay and
follow, with the exit codes a script relies on (0 done, 1 refused, 2 usage)."""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sharedsvc import SharedServices
from sharedsvc.cli import main
from sharedsvc.projections.read_models import ReadModels

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "camden-islington-haringey.toml"


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    return main(list(argv), out=out), out.getvalue()


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    code, text = run("load", str(EXAMPLE), "--db", "store.db")
    assert 0 == code
    assert text.startswith("Recorded Shared Digital (partnership ")
    assert text.endswith(": 50 events.\n")
    return tmp_path / "store.db"


def test_list_shows_a_table_of_partnerships(store: Path) -> None:
    code, text = run("list", "--db", str(store))
    assert 0 == code
    header, rule, row = text.splitlines()
    assert header.split() == ["id", "name", "stage", "parties", "status"]
    assert set(rule.replace(" ", "")) == {"-"}
    assert "Shared Digital" in row
    assert "camden, islington, haringey" in row
    assert row.rstrip().endswith("dissolved on 2018-12-31")


def test_a_bad_scenario_is_refused_and_records_nothing(
    tmp_path: Path, store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(EXAMPLE.read_text().replace('act = "approve_variation"', 'act = "approve"', 1))
    capsys.readouterr()
    code, _ = run("load", str(bad), "--db", str(store))
    assert 1 == code
    err = capsys.readouterr().err
    assert 1 == len(err.strip().splitlines())
    assert "bad.toml, act " in err
    app = SharedServices.sqlite(store)
    try:
        assert 50 == app.highest_position()
    finally:
        app.close()


def test_export_writes_a_scenario_that_loads_to_the_same_partnership(
    tmp_path: Path, store: Path
) -> None:
    code, text = run("export", "Shared Digital", "--db", str(store), "--output", "back.toml")
    assert 0 == code
    assert "back.toml" in text
    assert 0 == run("load", "back.toml", "--db", "copy.db")[0]
    original, copy = (
        run("show", "Shared Digital", "--db", str(store)),
        run("show", "Shared Digital", "--db", "copy.db"),
    )
    assert original == copy
    code, text = run("export", "--db", str(store))
    assert 0 == code
    lines = text.splitlines()
    assert 50 == len(lines)
    assert {"position", "originator_id", "version", "topic", "state"} == set(json.loads(lines[0]))


def test_audit_in_each_format(store: Path, tmp_path: Path) -> None:
    code, markdown = run("audit", "Shared Digital", "--db", str(store))
    assert 0 == code
    assert markdown.startswith("# Audit report: Shared Digital")
    code, table = run("audit", "Shared Digital", "--db", str(store), "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(table)))
    assert 50 == len(rows)
    assert "Formed" == rows[0]["event"]
    code, lines = run("audit", "Shared Digital", "--db", str(store), "--format", "jsonl")
    assert 50 == len(lines.splitlines())
    code, text = run(
        "audit", "Shared Digital", "--db", str(store), "--format", "html", "--output", "a.html"
    )
    assert (0, "Wrote the audit of 50 events to a.html.\n") == (code, text)
    assert (tmp_path / "a.html").read_text().lstrip().lower().startswith("<!doctype html>")
    assert 2 == run("audit", "Shared Digital", "--db", str(store), "--format", "pdf")[0]


def test_compromises_and_timeline(store: Path, tmp_path: Path) -> None:
    code, text = run("compromises", "Shared Digital", "--db", str(store))
    assert 0 == code
    assert "camden\n  2018-07-19  conceded governance" in text
    code, text = run("timeline", "Shared Digital", "--db", str(store), "--png", "t.png")
    assert 0 == code
    assert (tmp_path / "t.png").read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    assert 2 == run("timeline", "Shared Digital", "--db", str(store))[0]


def test_replay_rebuilds_the_read_models(store: Path) -> None:
    code, text = run("replay", "--db", str(store))
    assert 0 == code
    assert "Replayed 50 events: 50 trail rows, 5 compromises rows, 17 versions rows.\n" == text
    assert run("replay", "--db", str(store)) == (code, text)  # from scratch, again


# Bounds for a busy machine: they are waits on a condition, so a quick run never waits them out.
FOLLOWER_CATCHES_UP_SECONDS = 120
FOLLOWER_STOPS_SECONDS = 60


def test_follow_keeps_up_and_stops_cleanly_on_sigint(store: Path) -> None:
    # A long interval: once caught up, the follower waits for the next poll, which does not come
    # during the test, so the interrupt finds it waiting, not in the middle of a catch-up (the
    # test shows that following stops cleanly; how often it polls is another matter).
    follower = subprocess.Popen(
        [sys.executable, "-m", "sharedsvc.cli", "follow", "--db", str(store), "--interval", "600"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        app = SharedServices.sqlite(store)
        try:
            models = ReadModels(app)
            deadline = time.monotonic() + FOLLOWER_CATCHES_UP_SECONDS
            while models.position < 50:
                assert follower.poll() is None, f"the follower stopped: {follower.stderr.read()}"
                assert time.monotonic() < deadline, "the follower did not catch up"
                time.sleep(0.05)
        finally:
            app.close()
        follower.send_signal(signal.SIGINT)
        out, err = follower.communicate(timeout=FOLLOWER_STOPS_SECONDS)
    finally:
        if follower.poll() is None:  # the test failed: leave no follower behind
            follower.kill()
            follower.communicate()
    assert 0 == follower.returncode, err
    assert "Stopped at position 50." in out
