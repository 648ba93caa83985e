"""``sharedsvc load``: a failed load leaves no store behind, and loading a partnership the
store holds already is refused unless ``--as-new`` or ``--replace`` says what to do."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_harness import EXAMPLE, EXAMPLE_EVENTS, load_example, sharedsvc

from sharedsvc import SharedServices


def listed(db: Path) -> list[dict[str, str]]:
    ran = sharedsvc("list", "--json", "--db", str(db))
    assert 0 == ran.code, ran.err
    rows: list[dict[str, str]] = json.loads(ran.out)
    return rows


def events_in(db: Path) -> int:
    app = SharedServices.sqlite(db)
    try:
        return app.highest_position()
    finally:
        app.close()


@pytest.fixture
def refused_act(tmp_path: Path) -> Path:
    """The example with an act the library refuses."""
    bad = tmp_path / "bad.toml"
    text = EXAMPLE.read_text(encoding="utf-8")
    bad.write_text(text.replace('act = "approve_variation"', 'act = "approve"', 1), "utf-8")
    return bad


def test_a_failed_load_into_a_new_file_leaves_no_store(tmp_path: Path, refused_act: Path) -> None:
    line = sharedsvc("load", str(refused_act), "--db", str(tmp_path / "new.db")).refused()
    assert "bad.toml, act " in line
    assert [] == sorted(path.name for path in tmp_path.glob("new.db*"))


def test_a_failed_load_into_an_existing_store_keeps_it(tmp_path: Path, refused_act: Path) -> None:
    db = tmp_path / "kept.db"
    load_example(db, "--as-new")
    other = tmp_path / "other.toml"
    other.write_text(refused_act.read_text("utf-8").replace('"Shared Digital"', '"Other"', 1))
    sharedsvc("load", str(other), "--db", str(db)).refused()
    assert EXAMPLE_EVENTS == events_in(db)


def test_loading_the_same_partnership_twice_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    load_example(db)
    line = sharedsvc("load", str(EXAMPLE), "--db", str(db)).refused()
    assert "'Shared Digital' already" in line
    assert "--as-new" in line
    assert "--replace" in line
    assert EXAMPLE_EVENTS == events_in(db)
    assert 1 == len(listed(db))


def test_a_duplicate_that_is_also_faulty_reports_the_fault(
    tmp_path: Path, refused_act: Path
) -> None:
    db = tmp_path / "s.db"
    load_example(db)
    assert "bad.toml, act " in sharedsvc("load", str(refused_act), "--db", str(db)).refused()


def test_as_new_records_it_again_beside_the_first(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    load_example(db)
    ran = load_example(db, "--as-new")
    assert ran.out.endswith(f": {EXAMPLE_EVENTS} events.\n")
    rows = listed(db)
    assert ["Shared Digital", "Shared Digital"] == [row["name"] for row in rows]
    assert rows[0]["id"] != rows[1]["id"]


def test_replace_starts_the_store_afresh_with_the_file(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    load_example(db)
    (first,) = listed(db)
    ran = load_example(db, "--replace")
    assert ran.out.startswith("Recorded Shared Digital (partnership ")
    (second,) = listed(db)
    assert first["id"] != second["id"]
    assert EXAMPLE_EVENTS == events_in(db)
    assert [] == [path.name for path in tmp_path.iterdir() if "replacing" in path.name]


def test_replace_refuses_to_discard_other_partnerships(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    other = tmp_path / "other.toml"
    other.write_text(EXAMPLE.read_text("utf-8").replace('"Shared Digital"', '"Other"', 1))
    assert 0 == sharedsvc("load", str(other), "--db", str(db)).code
    load_example(db)
    line = sharedsvc("load", str(EXAMPLE), "--db", str(db), "--replace").refused()
    assert "1 other partnership" in line
    assert 2 * EXAMPLE_EVENTS == events_in(db)


def test_replace_and_as_new_together_are_a_usage_error(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    assert "not both" in sharedsvc(
        "load", str(EXAMPLE), "--db", str(db), "--as-new", "--replace"
    ).refused(2)
    assert not db.exists()
