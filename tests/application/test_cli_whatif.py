"""``sharedsvc whatif PARTNERSHIP --at DATE SCENARIO``: the acts of a file taken on a fork,
the record's later acts replayed there, and the comparison printed; the store is untouched."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from cli_harness import sharedsvc

NAME = "Shared Digital"
WITHDRAWN = """\
[[acts]]
act = "withdraw_handover"
on = 2018-01-09
by = "islington"
handover = "h1"
"""


@pytest.fixture
def store(tmp_path: Path) -> Path:
    path = tmp_path / "store.db"
    assert 0 == sharedsvc("demo", "--db", str(path)).code
    return path


def write(tmp_path: Path, text: str = WITHDRAWN) -> str:
    path = tmp_path / "whatif.toml"
    path.write_text(text, encoding="utf-8")
    return str(path)


def stored(path: Path) -> str:
    ran = sharedsvc("verify", "--db", str(path))
    assert 0 == ran.code, ran.err
    return sharedsvc("export", "--db", str(path)).out


def test_whatif_prints_what_no_longer_stands_and_the_differences(
    store: Path, tmp_path: Path
) -> None:
    before = stored(store)
    ran = sharedsvc(
        "whatif", NAME, "--at", "2018-01-09", write(tmp_path), "--as-of", "2018-06-01",
        "--db", str(store),
    )  # fmt: skip
    assert 0 == ran.code, ran.err
    assert "forked on 2018-01-09, with 1 act(s)" in ran.out
    assert "Replayed 26 later act(s) of the record: 14 stand, 12 no longer stand." in ran.out
    assert "raise_dispute" in ran.out
    assert "dispute-shape" in ran.out
    assert "handover-closed" in ran.out
    assert "Differences on 2018-06-01 (record -> fork):" in ran.out
    assert "pooled_functions: only in base: ict.infrastructure from islington" in ran.out
    assert before == stored(store)  # nothing reached the store


def test_whatif_as_json_has_its_documented_keys(store: Path, tmp_path: Path) -> None:
    ran = sharedsvc(
        "whatif", NAME, "--at", "2018-01-09", write(tmp_path), "--as-of", "2018-06-01",
        "--json", "--db", str(store),
    )  # fmt: skip
    assert 0 == ran.code, ran.err
    data: dict[str, Any] = json.loads(ran.out)
    assert {"partnership", "name", "at", "acts", "replayed", "comparison"} == set(data)
    assert (data["name"], data["at"], data["acts"]) == (NAME, "2018-01-09", 1)
    first = data["replayed"][0]
    assert {"position", "act", "on", "outcome"} == set(first)
    assert (first["act"], first["outcome"]) == ("raise_dispute", "dispute-shape")
    assert data["comparison"]["as_of"] == "2018-06-01"
    fields = [d["field"] for d in data["comparison"]["differences"]]
    assert fields == ["pooled_functions", "obligations"]
    assert {"field", "base", "fork"} == set(data["comparison"]["differences"][0])


def test_without_replay_the_fork_is_compared_as_the_file_left_it(
    store: Path, tmp_path: Path
) -> None:
    ran = sharedsvc(
        "whatif", NAME, "--at", "2018-01-09", write(tmp_path), "--no-replay", "--json",
        "--db", str(store),
    )  # fmt: skip
    data = json.loads(ran.out)
    assert data["replayed"] is None
    assert "stage" in [d["field"] for d in data["comparison"]["differences"]]


def test_an_empty_file_and_a_fork_at_the_end_agree_with_the_record(
    store: Path, tmp_path: Path
) -> None:
    ran = sharedsvc("whatif", NAME, "--at", "2030-01-01", write(tmp_path, ""), "--db", str(store))
    assert 0 == ran.code, ran.err
    assert "The fork and the record agree as it stands." in ran.out


def test_refusals_are_one_line(store: Path, tmp_path: Path) -> None:
    early = sharedsvc("whatif", NAME, "--at", "2018-01-10", write(tmp_path), "--db", str(store))
    assert "[dates-in-order]" in early.refused()
    assert "act 0 (withdraw_handover, line 1)" in early.err
    before = sharedsvc("whatif", NAME, "--at", "2015-01-01", write(tmp_path), "--db", str(store))
    assert "nothing to fork on 2015-01-01" in before.refused()
    bad = write(tmp_path, '[partnership]\nname = "x"\n')
    assert (
        "[scenario-format]"
        in sharedsvc("whatif", NAME, "--at", "2018-01-09", bad, "--db", str(store)).refused()
    )
    unknown = write(tmp_path, WITHDRAWN.replace('"h1"', '"h9"'))
    assert (
        "h9"
        in sharedsvc("whatif", NAME, "--at", "2018-01-09", unknown, "--db", str(store)).refused()
    )
    assert (
        "nobody"
        in sharedsvc(
            "whatif", "nobody", "--at", "2018-01-09", write(tmp_path), "--db", str(store)
        ).refused()
    )
    usage = sharedsvc("whatif", NAME, write(tmp_path), "--db", str(store))
    assert "--at" in usage.refused(code=2)


@pytest.mark.postgres
def test_whatif_on_a_postgres_store(
    store: Path, postgres_db: dict[str, Any], tmp_path: Path
) -> None:
    url = (
        f"postgresql://{postgres_db['user']}:{postgres_db['password']}@"
        f"{postgres_db['host']}:{postgres_db['port']}/{postgres_db['dbname']}"
    )
    history = tmp_path / "demo.toml"
    history.write_text(sharedsvc("export", NAME, "--db", str(store)).out, encoding="utf-8")
    assert 0 == sharedsvc("load", str(history), "--postgres", url).code
    ran = sharedsvc(
        "whatif", NAME, "--at", "2018-01-09", write(tmp_path), "--json", "--postgres", url
    )
    assert 0 == ran.code, ran.err
    assert json.loads(ran.out)["replayed"][0]["outcome"] == "dispute-shape"
