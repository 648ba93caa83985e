"""Tampering with a real store, behind the application's back, is detected and located.

Each store (a SQLite file, a PostgreSQL schema) is filled once with two partnerships' histories
and checkpointed; a pristine copy of the events is kept beside them. For every example
Hypothesis picks an attack and its victim, the events are restored from the copy, the attack
is carried out with plain SQL, and the store is verified. Attacks: change one bit of a stored
event, delete one, insert one (shifting the positions after it, as a forger would), swap two,
cut off the tail. Every attack is detected, and the first problem reported is at the victim's
position; an untouched store is never reported.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any
from uuid import uuid4

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sharedsvc import Checkpoint, CostPool, Party, SharedServices, TamperDetected, Terms
from sharedsvc.demo import build_shared_digital

ATTACKS = ("flip", "delete", "insert", "swap", "truncate")


class Tamperer:
    """Plain-SQL access to a store's events table, with a pristine copy to restore from."""

    def __init__(self, execute: Any, placeholder: str, position: str, table: str) -> None:
        self._execute = execute
        self.p = placeholder
        self.position = position
        self.table = table

    def sql(self, statement: str, *params: Any) -> list[tuple[Any, ...]]:
        return self._execute(statement.replace("?", self.p), params)  # type: ignore[no-any-return]

    def keep_pristine(self) -> None:
        self.sql(f"CREATE TABLE pristine AS SELECT {self.position} AS pos, * FROM {self.table}")

    def restore(self) -> None:
        self.sql(f"DELETE FROM {self.table}")
        self.sql(
            f"INSERT INTO {self.table} ({self.position}, originator_id, originator_version, "
            "topic, state) SELECT pos, originator_id, originator_version, topic, state "
            "FROM pristine"
        )

    def positions(self) -> list[int]:
        rows = self.sql(f"SELECT {self.position} FROM {self.table} ORDER BY {self.position}")
        return [row[0] for row in rows]

    def row(self, position: int) -> tuple[Any, ...]:
        return self.sql(
            f"SELECT originator_id, originator_version, topic, state FROM {self.table} "
            f"WHERE {self.position} = ?",
            position,
        )[0]

    def put(self, position: int, row: tuple[Any, ...]) -> None:
        self.sql(
            f"INSERT INTO {self.table} ({self.position}, originator_id, originator_version, "
            "topic, state) VALUES (?, ?, ?, ?, ?)",
            position,
            *row,
        )

    def flip(self, position: int, offset: int, bit: int) -> None:
        state = bytearray(self.row(position)[3])
        state[offset % len(state)] ^= 1 << bit
        self.sql(
            f"UPDATE {self.table} SET state = ? WHERE {self.position} = ?", bytes(state), position
        )

    def delete(self, position: int) -> None:
        self.sql(f"DELETE FROM {self.table} WHERE {self.position} = ?", position)

    def insert(self, position: int, new_id: Any) -> None:
        _, _, topic, state = self.row(position)
        at = self.position
        self.sql(f"UPDATE {self.table} SET {at} = -{at} - 1 WHERE {at} >= ?", position)
        self.sql(f"UPDATE {self.table} SET {at} = -{at} WHERE {at} < 0")
        self.put(position, (new_id, 1, topic, state))

    def swap(self, first: int, second: int) -> None:
        one, other = self.row(first), self.row(second)
        self.delete(first)
        self.delete(second)
        self.put(first, other)
        self.put(second, one)

    def truncate(self, position: int) -> None:
        self.sql(f"DELETE FROM {self.table} WHERE {self.position} >= ?", position)


def record_history(app: SharedServices) -> Checkpoint:
    build_shared_digital(app)
    app.form_partnership(
        "North London Legal",
        parties=[Party("barnet", "Barnet"), Party("enfield", "Enfield")],
        terms=Terms(cost_pools=(CostPool.equal("legal", ["barnet", "enfield"]),)),
        on=date(2019, 4, 1),
    )
    return app.checkpoint()


class TamperingContract:
    """A store, its checkpoint, and a tamperer on it (subclasses provide the store)."""

    new_id: Any

    @pytest.fixture(scope="class")
    @classmethod
    def store(cls) -> Iterator[tuple[SharedServices, Checkpoint, Tamperer]]:
        raise NotImplementedError

    def test_an_untouched_store_is_never_reported(
        self, store: tuple[SharedServices, Checkpoint, Tamperer]
    ) -> None:
        app, checkpoint, tamperer = store
        tamperer.restore()
        assert app.verify(against=checkpoint).ok
        assert app.verify().ok

    # The one test runs on each store's class: that is the "differing executors" on purpose.
    @settings(max_examples=60, suppress_health_check=[HealthCheck.differing_executors])
    @given(data=st.data())
    def test_every_attack_is_detected_at_its_victim(
        self, store: tuple[SharedServices, Checkpoint, Tamperer], data: st.DataObject
    ) -> None:
        app, checkpoint, tamperer = store
        tamperer.restore()
        positions = tamperer.positions()
        attack = data.draw(st.sampled_from(ATTACKS), label="attack")
        victim = data.draw(st.sampled_from(positions), label="victim")
        if attack == "flip":
            offset = data.draw(st.integers(0, 10_000), label="offset")
            tamperer.flip(victim, offset, data.draw(st.integers(0, 7), label="bit"))
        elif attack == "delete":
            tamperer.delete(victim)
        elif attack == "insert":
            tamperer.insert(victim, self.new_id())
        elif attack == "swap":
            other = data.draw(st.sampled_from([p for p in positions if p != victim]), label="with")
            tamperer.swap(victim, other)
            victim = min(victim, other)
        else:
            tamperer.truncate(victim)

        report = app.verify(against=checkpoint)
        assert not report.ok
        placed = [problem.position for problem in report.problems if problem.position is not None]
        assert victim == min(placed), str(report)
        assert not app.verify().ok  # the store's own log also disagrees
        with pytest.raises(TamperDetected):
            app.verify(against=checkpoint, strict=True)


class TestTamperingOnSQLite(TamperingContract):
    @staticmethod
    def new_id() -> str:
        return uuid4().hex

    @pytest.fixture(scope="class")
    @classmethod
    def store(
        cls, tmp_path_factory: pytest.TempPathFactory
    ) -> Iterator[tuple[SharedServices, Checkpoint, Tamperer]]:
        path: Path = tmp_path_factory.mktemp("tampering") / "store.db"
        app = SharedServices.sqlite(path)
        checkpoint = record_history(app)
        connection = sqlite3.connect(path, isolation_level=None)

        def execute(statement: str, params: tuple[Any, ...]) -> list[tuple[Any, ...]]:
            return connection.execute(statement, params).fetchall()

        tamperer = Tamperer(execute, "?", "rowid", "stored_events")
        tamperer.keep_pristine()
        yield app, checkpoint, tamperer
        connection.close()
        app.close()


@pytest.mark.postgres
class TestTamperingOnPostgres(TamperingContract):
    new_id = staticmethod(uuid4)

    @pytest.fixture(scope="class")
    @classmethod
    def store(
        cls, postgres_params: dict[str, Any]
    ) -> Iterator[tuple[SharedServices, Checkpoint, Tamperer]]:
        import psycopg

        schema = "tampering"
        params = {k: postgres_params[k] for k in ("dbname", "host", "port", "user", "password")}
        with psycopg.connect(**params, autocommit=True) as connection:
            connection.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
            connection.execute(f"CREATE SCHEMA {schema}")
            app = SharedServices.postgres(**postgres_params, POSTGRES_SCHEMA=schema)
            try:
                checkpoint = record_history(app)

                def execute(statement: str, params: tuple[Any, ...]) -> list[tuple[Any, ...]]:
                    cursor = connection.execute(statement, params)
                    return cursor.fetchall() if cursor.description else []

                table = f"{schema}.{app.recorder.events_table_name}"  # type: ignore[attr-defined]
                tamperer = Tamperer(execute, "%s", "notification_id", table)
                tamperer.sql(f"SET search_path TO {schema}")
                tamperer.keep_pristine()
                yield app, checkpoint, tamperer
            finally:
                app.close()
                connection.execute(f"DROP SCHEMA {schema} CASCADE")


# --- what hashing alone cannot see: positions and versions -------------------------------------


@pytest.fixture
def sqlite_store(tmp_path: Path) -> Iterator[tuple[SharedServices, Checkpoint, Tamperer]]:
    """A SQLite store with the history above, its checkpoint, and a tamperer on it."""
    path = tmp_path / "store.db"
    app = SharedServices.sqlite(path)
    checkpoint = record_history(app)
    connection = sqlite3.connect(path, isolation_level=None)

    def execute(statement: str, params: tuple[Any, ...]) -> list[tuple[Any, ...]]:
        return connection.execute(statement, params).fetchall()

    yield app, checkpoint, Tamperer(execute, "?", "rowid", "stored_events")
    connection.close()
    app.close()


def problems_of(report: Any) -> list[tuple[str, int | None]]:
    return [(problem.kind, problem.position) for problem in report.problems]


def test_events_renumbered_in_order_are_reported_against_the_checkpoint(
    sqlite_store: tuple[SharedServices, Checkpoint, Tamperer],
) -> None:
    # The leaves hash the events, not their positions: the tree is the same, and only the
    # position the checkpoint recorded for its last event tells the renumbering.
    app, checkpoint, tamperer = sqlite_store
    tamperer.sql("UPDATE stored_events SET rowid = rowid + 1000")
    assert [("renumbered", checkpoint.position + 1000)] == problems_of(
        app.verify(against=checkpoint)
    )


def versions_of(tamperer: Tamperer, originator_id: Any) -> list[tuple[int, int]]:
    """(position, version) of each event of one aggregate, in log order."""
    rows = tamperer.sql(
        "SELECT rowid, originator_version FROM stored_events WHERE originator_id = ? "
        "ORDER BY rowid",
        originator_id,
    )
    return [(position, version) for position, version in rows]


@pytest.mark.parametrize("how", ["gap", "back"])
def test_an_aggregates_versions_out_of_sequence_are_reported_where_they_break(
    sqlite_store: tuple[SharedServices, Checkpoint, Tamperer], how: str
) -> None:
    app, checkpoint, tamperer = sqlite_store
    [(partnership,)] = tamperer.sql("SELECT originator_id FROM stored_events WHERE rowid = 1")
    events = versions_of(tamperer, partnership)
    (third, _), (fourth, _), (fifth, _) = events[2:5]
    if how == "gap":  # versions 4, 5, ... become 5, 6, ...: the fourth event jumps from 3 to 5
        tamperer.sql(
            "UPDATE stored_events SET originator_version = -originator_version - 1 "
            "WHERE originator_id = ? AND originator_version >= 4",
            partnership,
        )
        tamperer.sql(
            "UPDATE stored_events SET originator_version = -originator_version "
            "WHERE originator_id = ? AND originator_version < 0",
            partnership,
        )
        expected = [("version-gap", fourth)]
    else:  # versions 3 and 4 swap places: 2 to 4, back from 4 to 3, then 3 to 5
        tamperer.sql("UPDATE stored_events SET originator_version = 0 WHERE rowid = ?", third)
        tamperer.sql("UPDATE stored_events SET originator_version = 3 WHERE rowid = ?", fourth)
        tamperer.sql("UPDATE stored_events SET originator_version = 4 WHERE rowid = ?", third)
        expected = [("version-gap", third), ("version-gap", fourth), ("version-gap", fifth)]
    for report in (app.verify(), app.verify(against=checkpoint)):
        gaps = [found for found in problems_of(report) if found[0] == "version-gap"]
        assert expected == gaps, problems_of(report)
