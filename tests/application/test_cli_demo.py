"""The ``sharedsvc`` command: the demo, and showing a partnership from a store."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest

from sharedsvc.cli import main


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    return main(list(argv), out=out), out.getvalue()


def test_the_demo_records_the_history_and_shows_three_dates_and_the_concessions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, text = run("demo")
    assert 0 == code
    assert (tmp_path / "sharedsvc.db").is_file()
    assert "Shared Digital as of 2016-01-01" in text
    assert "Shared Digital as of 2017-06-01" in text
    assert "Shared Digital as of 2018-11-01" in text
    assert "camden 33.34%, islington 33.33%, haringey 33.33%" in text
    assert "dissolved on 2018-12-31" in text
    assert "\nharingey\n  2016-08-22  conceded cost pools: wanted ict-and-digital (usage)" in text
    assert "\ncamden\n  2018-07-19  conceded governance: wanted joint committee" in text
    assert "conceded transfer date: wanted 2018-10-01; accepted 2018-04-01" in text
    assert "ceded Islington ICT infrastructure and support (ict.infrastructure)" in text
    assert "; returned to the council on 2018-12-31 [" in text  # the dissolution's effective date
    assert "Islington ICT infrastructure and support from islington since 2018-04-01" in text


def test_the_demo_can_be_run_twice_and_starts_afresh(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    first = run("demo")
    second = run("demo")
    assert (0, 0) == (first[0], second[0])
    code, text = run("show", "Shared Digital", "--db", "sharedsvc.db")
    assert 0 == code
    assert "dissolved on 2018-12-31" in text


def test_show_reads_the_demo_store_as_of_a_date(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    run("demo")
    code, text = run("show", "Shared Digital", "--db", "sharedsvc.db", "--as-of", "2016-01-01")
    assert 0 == code
    assert "camden 50%, islington 50%" in text
    assert "haringey" not in text


def test_show_refuses_an_unknown_partnership_with_exit_code_1_and_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    run("demo")
    capsys.readouterr()
    code, _ = run("show", "No Such Partnership", "--db", "sharedsvc.db")
    assert 1 == code
    err = capsys.readouterr().err
    assert 1 == len(err.strip().splitlines())
    assert "No Such Partnership" in err


def test_a_missing_store_is_refused_rather_than_created(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _ = run("show", "anything", "--db", str(tmp_path / "absent.db"))
    assert 1 == code
    assert not (tmp_path / "absent.db").exists()
    assert "no store" in capsys.readouterr().err


def test_bad_usage_exits_with_code_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert 2 == run("show", "x", "--as-of", "not-a-date")[0]
    assert "'not-a-date' is not a date like 2017-06-01" in capsys.readouterr().err
    assert 2 == run("no-such-command")[0]
    assert 2 == run("show")[0]


def test_the_installed_console_script_runs_the_demo(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "sharedsvc.cli", "demo"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert 0 == result.returncode, result.stderr
    assert "Compromises" in result.stdout
