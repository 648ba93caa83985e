"""``verify`` reports a malformed stored event (a NULL state, version or topic, a negative
version, a topic that is not UTF-8) as a problem at its position, instead of raising; a
checkpoint and a proof of another event still work on such a store. The rows are written with
plain SQL, behind the application's back, on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from sharedsvc import CostPool, Party, SharedServices, Stage, Terms

Execute = Callable[[str, tuple[Any, ...]], None]

# What each attack sets, on which column; the value is written with plain SQL.
ATTACKS: dict[str, tuple[str, str]] = {
    "null state": ("state", "NULL"),
    "null version": ("originator_version", "NULL"),
    "negative version": ("originator_version", "-3"),
    "null topic": ("topic", "NULL"),
}


def record(app: SharedServices) -> list[int]:
    """A short history; returns the positions of its events."""
    parties = [Party("camden", "Camden"), Party("islington", "Islington")]
    pool = CostPool.equal("core", ["camden", "islington"])
    pid = app.form_partnership(
        "Malformed", parties=parties, terms=Terms(cost_pools=(pool,)), on=date(2015, 1, 5),
        stage=Stage.CO_OPERATING,
    )  # fmt: skip
    app.note(pid, kind="minute", text="first", by="camden", on=date(2015, 2, 1))
    app.note(pid, kind="minute", text="second", by="camden", on=date(2015, 3, 1))
    return [entry.position for entry in app.audit_trail(pid)]


def check_reported(app: SharedServices, victim: int, others: list[int]) -> None:
    report = app.verify()
    assert not report.ok
    malformed = [p for p in report.problems if p.kind == "malformed"]
    assert [p.position for p in malformed] == [victim], report.problems
    checkpoint = app.checkpoint()  # does not raise either
    assert checkpoint.size == len(others) + 1
    for position in others:
        assert app.prove(position, checkpoint).index >= 0


class MalformedRowsContract:
    """The same attacks on every SQL store (``store`` gives an app and a raw SQL door)."""

    position = "rowid"

    @pytest.fixture
    def store(self) -> Iterator[tuple[SharedServices, Execute, str]]:
        raise NotImplementedError

    @pytest.mark.parametrize("attack", sorted(ATTACKS))
    def test_a_malformed_row_is_reported_at_its_position(
        self, store: tuple[SharedServices, Execute, str], attack: str
    ) -> None:
        app, execute, table = store
        positions = record(app)
        victim = positions[1]
        column, value = ATTACKS[attack]
        execute(f"UPDATE {table} SET {column} = {value} WHERE {self.position} = {victim}", ())
        check_reported(app, victim, [p for p in positions if p != victim])


class TestMalformedRowsOnSQLite(MalformedRowsContract):
    @pytest.fixture
    def store(self, tmp_path: Path) -> Iterator[tuple[SharedServices, Execute, str]]:
        path = tmp_path / "store.db"
        app = SharedServices.sqlite(path)
        connection = sqlite3.connect(path, isolation_level=None)

        def execute(statement: str, params: tuple[Any, ...]) -> None:
            connection.execute(statement, params)

        yield app, execute, "stored_events"
        connection.close()
        app.close()

    def test_a_topic_that_is_not_utf8_is_reported_at_its_position(
        self, store: tuple[SharedServices, Execute, str]
    ) -> None:
        app, execute, table = store
        positions = record(app)
        victim = positions[2]
        # A text value whose bytes are not UTF-8: SQLite keeps what it is given.
        execute(
            f"UPDATE {table} SET topic = CAST(X'736861726564737663ff3a4e6f7465' AS TEXT) "
            "WHERE rowid = ?",
            (victim,),
        )
        check_reported(app, victim, positions[:2])


@pytest.mark.postgres
class TestMalformedRowsOnPostgres(MalformedRowsContract):
    position = "notification_id"

    @pytest.fixture
    def store(self, postgres_db: dict[str, Any]) -> Iterator[tuple[SharedServices, Execute, str]]:
        import psycopg

        params = {k: postgres_db[k] for k in ("dbname", "host", "port", "user", "password")}
        app = SharedServices.postgres(**postgres_db)
        table = app.recorder.events_table_name  # type: ignore[attr-defined]
        with psycopg.connect(**params, autocommit=True) as connection:

            def execute(statement: str, params: tuple[Any, ...]) -> None:
                connection.execute(statement, params)  # type: ignore[arg-type]

            # An attacker with the database's keys drops the constraints first.
            (key,) = connection.execute(
                "SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass AND contype = 'p'",
                (table,),
            ).fetchone() or ("",)
            execute(f"ALTER TABLE {table} DROP CONSTRAINT {key}", ())
            for column in ("originator_version", "topic", "state"):
                execute(f"ALTER TABLE {table} ALTER COLUMN {column} DROP NOT NULL", ())
            try:
                yield app, execute, table
            finally:
                app.close()
