"""A PARTNERSHIP on the command line: its id, a unique prefix of its id (as ``list`` and the
reports print it), or its unique name; anything ambiguous is refused with the candidates; and
``show --known-at`` reads the record as it stood at a recorded time."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from cli_harness import load_example, sharedsvc

from sharedsvc import PartnershipSummary, SharedServices


@pytest.fixture
def twice(tmp_path: Path) -> Path:
    """A store with the example loaded twice: two partnerships of one name."""
    db = tmp_path / "s.db"
    load_example(db)
    load_example(db, "--as-new")
    return db


def ids(db: Path) -> list[str]:
    return [row["id"] for row in json.loads(sharedsvc("list", "--json", "--db", str(db)).out)]


def test_the_short_id_list_prints_names_the_partnership(twice: Path) -> None:
    listed = sharedsvc("list", "--db", str(twice))
    first, second = ids(twice)
    assert first[:8] in listed.out
    ran = sharedsvc("show", first[:8], "--db", str(twice), "--json")
    assert (0, first) == (ran.code, json.loads(ran.out)["id"])
    audit = sharedsvc("audit", second[:8], "--db", str(twice), "--format", "jsonl")
    assert 0 == audit.code
    rows = [json.loads(line) for line in audit.out.splitlines()]
    partnership_rows = {row["aggregate_id"] for row in rows if row["aggregate"] == "partnership"}
    assert {second} == partnership_rows


def test_a_prefix_with_dashes_and_capitals_is_accepted(twice: Path) -> None:
    first, _ = ids(twice)
    ran = sharedsvc("show", first[:13].upper(), "--db", str(twice), "--json")
    assert (0, first) == (ran.code, json.loads(ran.out)["id"])


def test_an_ambiguous_four_character_prefix_lists_both(
    twice: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = ids(twice)
    import sharedsvc.cli._refs as refs

    # Two partnerships whose ids share a prefix are rare by chance: make the match certain
    # (the index of partnerships answers the prefix, then the command checks each match).
    monkeypatch.setattr(refs, "_is_prefix", lambda ref, uid: ref == "abcd")
    matching = SharedServices.partnerships_matching

    def every_id_begins_abcd(
        app: SharedServices, name: str, *, id_prefix: str = ""
    ) -> list[PartnershipSummary]:
        if id_prefix == "abcd":
            return list(app.iter_partnerships())
        return matching(app, name, id_prefix=id_prefix)

    monkeypatch.setattr(SharedServices, "partnerships_matching", every_id_begins_abcd)
    line = sharedsvc("show", "abcd", "--db", str(twice)).refused()
    assert "2 partnerships match the name or id 'abcd'" in line
    assert first[:8] in line
    assert second[:8] in line
    assert "Shared Digital" in line


def test_an_ambiguous_name_is_refused_with_both_ids(twice: Path) -> None:
    first, second = ids(twice)
    line = sharedsvc("show", "Shared Digital", "--db", str(twice)).refused()
    assert "2 partnerships match the name 'Shared Digital'" in line
    assert first[:8] in line
    assert second[:8] in line


def test_a_prefix_too_short_to_trust_is_not_taken(twice: Path) -> None:
    first, _ = ids(twice)
    assert "no partnership has" in sharedsvc("show", first[:3], "--db", str(twice)).refused()


def test_show_known_at_reads_the_record_as_it_stood(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    load_example(db)
    (pid,) = ids(db)
    app = SharedServices.sqlite(db)
    try:
        trail = list(app.iter_audit_trail(pid))
    finally:
        app.close()
    formed = trail[0].recorded_at
    dissolved = next(entry for entry in trail if entry.event == "Dissolved").recorded_at
    tick = timedelta(microseconds=1)

    def show_known_at(moment: datetime) -> str:
        ran = sharedsvc("show", pid[:8], "--db", str(db), "--known-at", moment.isoformat())
        assert 0 == ran.code, ran.err
        return ran.out

    just_before = show_known_at(dissolved - tick)
    assert f"(as recorded at {(dissolved - tick).isoformat(timespec='seconds')})" in just_before
    assert "status:        in force" in just_before
    assert "dissolved on 2018-12-31" in show_known_at(dissolved)
    line = sharedsvc("show", pid, "--db", str(db), "--known-at", (formed - tick).isoformat())
    assert "did not exist yet" in line.refused()
    assert "is not a time" in sharedsvc("show", pid, "--known-at", "yesterday").refused(2)
