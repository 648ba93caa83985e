"""The command line's choices that no other test pinned down: ``show --known-at`` reads the
store as it was recorded then, a name two partnerships share is refused rather than resolved to
one of them, and ``--db`` names the store even when eventsourcing's environment variables are
set. Each test here was seen to fail with the choice broken in the source."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path
from uuid import UUID

import pytest

from sharedsvc import CostPool, Party, SharedServices, Stage, Terms
from sharedsvc.cli import main

CAMDEN, ISLINGTON = Party("camden", "Camden"), Party("islington", "Islington")


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    return main(list(argv), out=out), out.getvalue()


def form(app: SharedServices, name: str) -> UUID:
    return app.form_partnership(
        name,
        parties=[CAMDEN, ISLINGTON],
        terms=Terms(cost_pools=(CostPool.equal("ict", ["camden", "islington"]),)),
        stage=Stage.CO_OPERATING,
        on=date(2015, 9, 24),
    )


def stage_row(text: str) -> str:
    [row] = [line.strip() for line in text.splitlines() if line.strip().startswith("stage")]
    return row


def test_show_known_at_reads_the_partnership_as_recorded_then(tmp_path: Path) -> None:
    store = tmp_path / "store.db"
    app = SharedServices.sqlite(store)
    try:
        pid = form(app, "Shared Digital")
        [formed] = app.events.get(pid)
        app.change_stage(pid, to=Stage.COLLABORATING, by="camden", on=date(2016, 1, 4))
    finally:
        app.close()
    code, now = run("show", "Shared Digital", "--db", str(store))
    assert 0 == code
    assert stage_row(now).endswith("collaborating")
    moment = formed.timestamp.isoformat()
    code, then = run("show", "Shared Digital", "--db", str(store), "--known-at", moment)
    assert 0 == code
    assert stage_row(then).endswith("co-operating")
    assert "(as recorded at " in then.splitlines()[0]


def test_a_name_two_partnerships_share_is_refused_and_their_ids_are_not(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = tmp_path / "store.db"
    app = SharedServices.sqlite(store)
    try:
        first, second = form(app, "Shared Legal"), form(app, "Shared Legal")
        app.change_stage(second, to=Stage.COLLABORATING, by="camden", on=date(2016, 1, 4))
    finally:
        app.close()
    capsys.readouterr()
    assert (1, "") == run("show", "Shared Legal", "--db", str(store))
    [refusal] = capsys.readouterr().err.splitlines()  # one line; its wording is the CLI's
    assert refusal.startswith("sharedsvc: 2 partnerships ")
    assert "'Shared Legal'" in refusal
    for pid, stage in ((first, "co-operating"), (second, "collaborating")):
        code, text = run("show", str(pid), "--db", str(store))
        assert 0 == code
        assert stage_row(text).endswith(stage)
    assert (1, "") == run("show", "Shared Nothing", "--db", str(store))
    [refusal] = capsys.readouterr().err.splitlines()
    assert refusal.startswith("sharedsvc: no partnership")
    assert "'Shared Nothing'" in refusal


def test_db_names_the_store_even_when_the_environment_names_another(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    named, other = tmp_path / "named.db", tmp_path / "other.db"
    for path, name in ((named, "Named Store"), (other, "Environment Store")):
        app = SharedServices.sqlite(path)
        try:
            form(app, name)
        finally:
            app.close()
    monkeypatch.setenv("PERSISTENCE_MODULE", "eventsourcing.sqlite")
    monkeypatch.setenv("SQLITE_DBNAME", str(other))
    code, text = run("list")
    assert 0 == code
    assert "Environment Store" in text  # without --db, the environment chooses
    code, text = run("list", "--db", str(named))
    assert 0 == code
    assert "Named Store" in text
    assert "Environment Store" not in text
