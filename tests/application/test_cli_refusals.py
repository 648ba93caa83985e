"""Every error a user can cause gives one line on standard error, no traceback, and the exit
code a script relies on: 1 refused, 2 usage (click's own path and range checks)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from cli_harness import EXAMPLE, load_example, run_subprocess, sharedsvc


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    load_example(tmp_path / "store.db")
    return tmp_path / "store.db"


def test_a_missing_scenario_file_is_a_usage_error_and_makes_no_store(tmp_path: Path) -> None:
    line = sharedsvc("load", str(tmp_path / "absent.toml"), "--db", str(tmp_path / "s.db")).refused(
        2
    )
    assert "absent.toml" in line
    assert "does not exist" in line
    assert not (tmp_path / "s.db").exists()


def test_an_output_folder_that_does_not_exist_is_a_usage_error(store: Path, tmp_path: Path) -> None:
    for argv in (
        ("export", "--db", str(store), "--output", "nowhere/events.jsonl"),
        ("audit", "Shared Digital", "--db", str(store), "--output", "nowhere/a.md"),
        ("checkpoint", "--db", str(store), "--output", "nowhere/cp.json"),
        ("compromises", "Shared Digital", "--db", str(store), "--output", "nowhere/c.txt"),
    ):
        line = sharedsvc(*argv).refused(2)
        assert "there is no folder 'nowhere'" in line, argv
    assert not (tmp_path / "nowhere").exists()


def test_a_scenario_that_is_not_utf8_is_refused_and_makes_no_store(tmp_path: Path) -> None:
    latin = tmp_path / "latin.toml"
    latin.write_bytes(EXAMPLE.read_bytes().replace(b"Shared Digital", b"Shar\xe9d Digital", 1))
    line = sharedsvc("load", str(latin), "--db", str(tmp_path / "s.db")).refused()
    assert "latin.toml" in line
    assert "UTF-8" in line
    assert not (tmp_path / "s.db").exists()


def test_a_deeply_nested_scenario_is_refused_and_makes_no_store(tmp_path: Path) -> None:
    nested = tmp_path / "nested.toml"
    nested.write_text("x = " + "[" * 100_000 + "]" * 100_000 + "\n", encoding="utf-8")
    line = sharedsvc("load", str(nested), "--db", str(tmp_path / "s.db")).refused()
    assert "nested.toml" in line
    assert not (tmp_path / "s.db").exists()


def test_a_file_that_is_not_a_store_is_refused_in_one_line(tmp_path: Path) -> None:
    (tmp_path / "notes.db").write_text("not a database, just notes\n" * 200)
    line = sharedsvc("list", "--db", str(tmp_path / "notes.db")).refused()
    assert "store" in line


def test_a_folder_given_as_the_store_is_refused(tmp_path: Path) -> None:
    line = sharedsvc("list", "--db", str(tmp_path)).refused()
    assert "is a folder" in line


def test_an_unreachable_postgres_is_refused_quickly_with_its_cause() -> None:
    started = time.monotonic()
    # Port 9 (discard) on the loopback: nothing listens there, so the connection is refused.
    line = sharedsvc("list", "--postgres", "postgresql://postgres@127.0.0.1:9/test").refused()
    assert time.monotonic() - started < 20
    assert "127.0.0.1:9" in line
    assert "refused" in line.lower()


def test_a_postgres_url_that_is_not_one_is_a_usage_error() -> None:
    assert "postgresql://" in sharedsvc("list", "--postgres", "mysql://x/y").refused(2)
    assert "port" in sharedsvc("list", "--postgres", "postgresql://h:port/db").refused(2)


def test_bad_ids_and_names_are_refused_in_one_line(store: Path) -> None:
    for ref in ("No Such Partnership", "00000000", "0000-0000-zz"):
        line = sharedsvc("show", ref, "--db", str(store)).refused()
        assert repr(ref) in line
    line = sharedsvc("show", "00000000-0000-0000-0000-000000000000", "--db", str(store)).refused()
    assert "00000000-0000-0000-0000-000000000000" in line


def test_range_checks_refuse_a_negative_interval_and_position(store: Path) -> None:
    # In a subprocess with a timeout: an interval of -1 used to make follow spin for ever.
    for interval in ("-1", "0"):
        done = run_subprocess(
            "follow", "--db", str(store), "--interval", interval, cwd=store.parent, timeout=60
        )
        assert 2 == done.returncode, done.stderr
        assert "Traceback" not in done.stderr
        assert 1 == len(done.stderr.strip().splitlines())
        assert "--interval" in done.stderr
    (store.parent / "cp.json").write_text("{}")
    assert "POSITION" in sharedsvc("prove", "0", "--checkpoint", "cp.json").refused(2)


def test_missing_input_files_are_usage_errors(store: Path) -> None:
    for argv in (
        ("verify", "--db", str(store), "--checkpoint", "absent.json"),
        ("checkpoint", "--db", str(store), "--sign-key", "absent.pem"),
        ("prove", "1", "--db", str(store), "--checkpoint", "absent.json"),
    ):
        assert "absent." in sharedsvc(*argv).refused(2), argv


def test_usage_errors_are_one_line_that_says_where_help_is() -> None:
    line = sharedsvc("show", "x", "--as-of", "not-a-date").refused(2)
    assert "'not-a-date' is not a date like 2017-06-01" in line
    assert "sharedsvc show --help" in line
    assert "no-such-command" in sharedsvc("no-such-command").refused(2)
    assert "PARTNERSHIP" in sharedsvc("show").refused(2)
