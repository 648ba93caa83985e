"""Which store a command uses: ``--db``/``--postgres`` on the command line, else
``SHAREDSVC_DB``/``SHAREDSVC_POSTGRES``, else ``./sharedsvc.db``, the file ``demo`` records."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from cli_harness import EXAMPLE, EXAMPLE_EVENTS, load_example, sharedsvc


def names(ran_out: str) -> list[str]:
    return [row["name"] for row in json.loads(ran_out)]


@pytest.fixture
def two_stores(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """``env.db`` with the example; ``option.db`` with it under another name."""
    monkeypatch.chdir(tmp_path)
    load_example(tmp_path / "env.db")
    renamed = tmp_path / "other.toml"
    renamed.write_text(
        EXAMPLE.read_text(encoding="utf-8").replace('"Shared Digital"', '"Other"', 1),
        encoding="utf-8",
    )
    assert 0 == sharedsvc("load", str(renamed), "--db", str(tmp_path / "option.db")).code
    return tmp_path / "env.db", tmp_path / "option.db"


def test_the_environment_variable_names_the_store(two_stores: tuple[Path, Path]) -> None:
    env_db, _ = two_stores
    ran = sharedsvc("list", "--json", env={"SHAREDSVC_DB": str(env_db)})
    assert (0, ["Shared Digital"]) == (ran.code, names(ran.out))


def test_the_option_beats_the_environment_variable(two_stores: tuple[Path, Path]) -> None:
    env_db, option_db = two_stores
    ran = sharedsvc("list", "--json", "--db", str(option_db), env={"SHAREDSVC_DB": str(env_db)})
    assert (0, ["Other"]) == (ran.code, names(ran.out))


def test_db_on_the_command_line_beats_postgres_in_the_environment(
    two_stores: tuple[Path, Path],
) -> None:
    _, option_db = two_stores
    ran = sharedsvc(
        "list",
        "--json",
        "--db",
        str(option_db),
        env={"SHAREDSVC_POSTGRES": "postgresql://nobody@127.0.0.1:9/none"},
    )
    assert (0, ["Other"]) == (ran.code, names(ran.out))


def test_both_stores_at_one_level_are_a_usage_error(two_stores: tuple[Path, Path]) -> None:
    env_db, option_db = two_stores
    both = sharedsvc("list", "--db", str(option_db), "--postgres", "postgresql://x@h/d")
    assert "not both" in both.refused(2)
    line = sharedsvc(
        "list",
        env={"SHAREDSVC_DB": str(env_db), "SHAREDSVC_POSTGRES": "postgresql://x@h/d"},
    ).refused(2)
    assert "SHAREDSVC_DB" in line
    assert "SHAREDSVC_POSTGRES" in line


def test_without_option_or_variable_the_default_file_is_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    line = sharedsvc("list").refused()
    assert "no store at sharedsvc.db" in line
    load_example(tmp_path / "sharedsvc.db")
    ran = sharedsvc("list", "--json")
    assert (0, ["Shared Digital"]) == (ran.code, names(ran.out))


def test_demo_records_the_store_every_other_command_reads_by_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert 0 == sharedsvc("demo").code
    assert (tmp_path / "sharedsvc.db").is_file()
    assert not (tmp_path / "sharedsvc-demo.db").exists()
    listed = sharedsvc("list", "--json")
    assert (0, ["Shared Digital"]) == (listed.code, names(listed.out))
    shown = sharedsvc("show", "Shared Digital")
    assert 0 == shown.code
    assert "dissolved on 2018-12-31" in shown.out


def test_demo_honours_the_environment_variable(tmp_path: Path) -> None:
    ran = sharedsvc("demo", env={"SHAREDSVC_DB": str(tmp_path / "mine.db")})
    assert 0 == ran.code, ran.err
    assert (tmp_path / "mine.db").is_file()


def test_demo_does_not_replace_a_store_that_holds_other_records(
    two_stores: tuple[Path, Path],
) -> None:
    _, option_db = two_stores
    before = option_db.read_bytes()
    line = sharedsvc("demo", "--db", str(option_db)).refused()
    assert "holds other records" in line
    assert before == option_db.read_bytes()


def test_demo_records_afresh_over_its_own_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert 0 == sharedsvc("demo").code
    assert 0 == sharedsvc("demo").code
    listed = sharedsvc("list", "--json")
    assert ["Shared Digital"] == names(listed.out)


@pytest.mark.postgres
def test_the_postgres_variable_names_a_postgres_store(
    postgres_db: dict[str, Any], tmp_path: Path
) -> None:
    url = (
        f"postgresql://{postgres_db['user']}:{postgres_db['password']}@"
        f"{postgres_db['host']}:{postgres_db['port']}/{postgres_db['dbname']}"
    )
    env = {"SHAREDSVC_POSTGRES": url}
    loaded = sharedsvc("load", str(EXAMPLE), env=env)
    assert 0 == loaded.code, loaded.err
    assert loaded.out.endswith(f": {EXAMPLE_EVENTS} events.\n")
    assert not (tmp_path / "sharedsvc.db").exists()
    listed = sharedsvc("list", "--json", env=env)
    assert (0, ["Shared Digital"]) == (listed.code, names(listed.out))
    again = sharedsvc("load", str(EXAMPLE), env=env)
    assert "already" in again.refused()
