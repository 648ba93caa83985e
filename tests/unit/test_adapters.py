"""Pins every eventsourcing internal that ``sharedsvc._adapters`` relies on.

Each check names the internal, what it must be, and the adapter module that relies on it, so an
eventsourcing upgrade that changes one fails here first, saying which module to adapt. The
checks run against the installed eventsourcing: names and signatures directly, table layout and
wire format on real stores (SQLite and in memory here; PostgreSQL where a server answers).
"""

from __future__ import annotations

import inspect
import json
import sqlite3
from collections.abc import Callable, Iterator
from importlib.metadata import version
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import pytest
from eventsourcing.application import Application, ProcessingEvent
from eventsourcing.domain import Aggregate, event
from eventsourcing.persistence import IntegrityError, Mapper, Notification, Tracking
from eventsourcing.popo import POPOApplicationRecorder, POPOTrackingRecorder
from eventsourcing.sqlite import (
    SQLiteApplicationRecorder,
    SQLiteDatastore,
    SQLiteTrackingRecorder,
)

from sharedsvc._adapters import rows, snapshots, stores, tracking, wire
from sharedsvc._adapters.snapshots import SnapshotsInHand
from sharedsvc._adapters.tracking import MemoryTracking, SQLiteTracking

VERSION = version("eventsourcing")
EVENT_COLUMNS = ["originator_id", "originator_version", "topic", "state"]


def pinned(holds: object, internal: str, user: Any) -> None:
    """Fail, naming the internal and the adapter module that relies on it, unless ``holds``."""
    if not holds:
        pytest.fail(
            f"eventsourcing {VERSION} changed {internal}, which {user.__name__} relies on: "
            f"adapt that module (and this pin) to the new eventsourcing",
            pytrace=False,
        )


def positional(function: Callable[..., Any]) -> int:
    """How many positional parameters ``function`` takes besides ``self``."""
    kinds = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    parameters = list(inspect.signature(function).parameters.values())[1:]
    return sum(1 for parameter in parameters if parameter.kind in kinds)


class Tiny(Aggregate):
    """An aggregate with nothing but versions."""

    @event("Poked")
    def poke(self) -> None:
        pass


class Pinned(SnapshotsInHand):
    snapshotting_intervals = {Tiny: 2}  # noqa: RUF012 - eventsourcing's own class attribute


def poked(app: Application[UUID], times: int) -> Tiny:
    tiny = Tiny()
    for _ in range(times - 1):
        tiny.poke()
    app.save(tiny)
    return tiny


@pytest.fixture
def sqlite_app(tmp_path: Path) -> Iterator[Pinned]:
    app = Pinned(
        env={"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": str(tmp_path / "s.db")}
    )
    yield app
    app.close()


# --- snapshots.py ----------------------------------------------------------------------------


def test_save_snapshots_through_the_private_take_snapshots() -> None:
    take = getattr(Application, "_take_snapshots", None)
    pinned(callable(take), "Application._take_snapshots (gone)", snapshots)
    pinned(positional(take) == 1, "Application._take_snapshots(processing_event)", snapshots)
    pinned(
        "self._take_snapshots(processing_event)" in inspect.getsource(Application.save),
        "Application.save (no longer calls self._take_snapshots(processing_event))",
        snapshots,
    )
    processing = ProcessingEvent[UUID]()
    pinned(
        isinstance(processing.aggregates, dict) and isinstance(processing.events, list),
        "ProcessingEvent.aggregates (a dict) and .events (a list)",
        snapshots,
    )


def test_the_aggregate_in_hand_is_snapshotted_at_its_interval() -> None:
    app = Pinned(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    tiny = poked(app, 1)
    assert app.snapshots is not None
    assert [] == list(app.snapshots.get(tiny.id))  # version 1: no multiple of 2
    tiny.poke()
    tiny.poke()
    app.save(tiny)  # versions 2 and 3 at once: the aggregate in hand is at 3
    taken = [snapshot.originator_version for snapshot in app.snapshots.get(tiny.id)]
    pinned(
        [3] == taken,
        f"when Application.save snapshots (its _take_snapshots hook; snapshots taken: {taken})",
        snapshots,
    )


# --- stores.py --------------------------------------------------------------------------------


def test_each_recorder_says_its_store_by_its_module(sqlite_app: Pinned) -> None:
    memory = Pinned(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    pinned(
        "memory" == stores.store_kind(memory.recorder),
        f"the module of the in-memory recorder ({type(memory.recorder).__module__})",
        stores,
    )
    pinned(
        "sqlite" == stores.store_kind(sqlite_app.recorder),
        f"the module of the SQLite recorder ({type(sqlite_app.recorder).__module__})",
        stores,
    )
    pinned(
        isinstance(stores.datastore_of(sqlite_app.recorder), SQLiteDatastore),
        "the SQLite recorder's datastore attribute",
        stores,
    )


def test_an_in_memory_recorder_keeps_what_is_attached_to_it() -> None:
    recorder = POPOApplicationRecorder()
    kept = stores.kept_beside(recorder, "pinned", list)
    pinned(
        kept is stores.kept_beside(recorder, "pinned", list),
        "POPOApplicationRecorder (it no longer takes attributes)",
        stores,
    )


# --- rows.py: the events table as stored --------------------------------------------------------


def test_sqlite_keeps_events_in_a_rowid_table_of_the_expected_columns(
    sqlite_app: Pinned, tmp_path: Path
) -> None:
    tiny = poked(sqlite_app, 2)
    table = sqlite_app.recorder.events_table_name  # type: ignore[attr-defined]
    pinned(isinstance(table, str), "SQLiteApplicationRecorder.events_table_name", rows)
    db = sqlite3.connect(tmp_path / "s.db")
    try:
        columns = [row[1] for row in db.execute(f"PRAGMA table_info({table})")]
        pinned(EVENT_COLUMNS == columns, f"the columns of {table} (now {columns})", rows)
        found = db.execute(f"SELECT rowid, originator_id FROM {table} ORDER BY rowid").fetchall()
    finally:
        db.close()
    pinned(
        [1, 2] == [row[0] for row in found]
        and sqlite_app.recorder.max_notification_id() == found[-1][0],
        "SQLite's notification id (no longer the events table's rowid)",
        rows,
    )
    pinned({tiny.id.hex} == {row[1] for row in found}, "SQLite's originator_id (as 32 hex)", rows)


def test_the_sqlite_datastore_hands_out_a_raw_cursor(sqlite_app: Pinned) -> None:
    datastore = stores.datastore_of(sqlite_app.recorder)
    with datastore.transaction(commit=False) as cursor:
        pinned(
            isinstance(getattr(cursor, "sqlite_cursor", None), sqlite3.Cursor),
            "SQLiteDatastore.transaction(commit=...) (its cursor's sqlite_cursor)",
            rows,
        )


def test_the_in_memory_recorder_gives_notifications_in_pages() -> None:
    app = Pinned(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    tiny = poked(app, 3)
    stored = rows.event_rows(app.recorder, page=2)
    pages = list(stored.pages())
    pinned(
        [[1, 2], [3]] == [[row[0] for row in page] for page in pages],
        "POPOApplicationRecorder.select_notifications(start, limit, inclusive_of_start=False)",
        rows,
    )
    pinned(
        (3, tiny.id, 3) == stored.row_at(3)[:3],  # type: ignore[index]
        "Notification (its id, originator_id, originator_version, topic, state)",
        rows,
    )
    fields = set(Notification.__dataclass_fields__)
    pinned({"id", *EVENT_COLUMNS} <= fields, f"Notification's fields (now {sorted(fields)})", rows)


# --- tracking.py ------------------------------------------------------------------------------


def keeps_and_forgets_a_position(recorder: Any, store: str, user: Any) -> None:
    """``recorder``, a tracking recorder of ``store``, makes its table, keeps a position
    written with it, and forgets the position again."""
    recorder.create_table()
    with recorder.writing(Tracking("Pinned", 5)):
        pass
    assert 5 == recorder.max_tracking_id("Pinned")
    with recorder.writing() as cursor:
        recorder.forget_position(cursor, "Pinned")
    pinned(
        recorder.max_tracking_id("Pinned") is None,
        f"the {store} tracking table's columns (application_name, notification_id)",
        user,
    )


def test_the_sqlite_tracking_recorder(sqlite_app: Pinned) -> None:
    insert = getattr(SQLiteTrackingRecorder, "_insert_tracking", None)
    pinned(
        callable(insert) and positional(insert) == 2,
        "SQLiteTrackingRecorder._insert_tracking(cursor, tracking)",
        tracking,
    )
    recorder = SQLiteTracking.beside(sqlite_app.recorder)
    pinned(
        "INSERT INTO tracking " in recorder.insert_tracking_statement,
        "the SQLite tracking table's name (no longer 'tracking')",
        tracking,
    )
    keeps_and_forgets_a_position(recorder, "SQLite", tracking)


def test_the_in_memory_tracking_recorder() -> None:
    for name in ("_database_lock", "_max_tracking_ids"):
        pinned(hasattr(POPOTrackingRecorder(), name), f"POPOTrackingRecorder.{name}", tracking)
    for name in ("_assert_tracking_uniqueness", "_insert_tracking"):
        method = getattr(POPOTrackingRecorder, name, None)
        pinned(
            callable(method) and positional(method) == 1,
            f"POPOTrackingRecorder.{name}(tracking)",
            tracking,
        )
    recorder = MemoryTracking()
    with recorder.writing(Tracking("Pinned", 5)):
        pass
    assert 5 == recorder.max_tracking_id("Pinned")
    with pytest.raises(IntegrityError), recorder.writing(Tracking("Pinned", 5)):
        pass
    with recorder.writing():
        recorder.forget_position("Pinned")
    assert recorder.max_tracking_id("Pinned") is None


# --- wire.py ----------------------------------------------------------------------------------


def test_the_transcoder_writes_a_typed_value_as_type_and_data(sqlite_app: Pinned) -> None:
    transcoder = sqlite_app.mapper.transcoder
    pinned(isinstance(sqlite_app.mapper, Mapper), "Application.mapper", wire)
    uid = uuid4()
    encoded = json.loads(transcoder.encode({"id": uid}))
    pinned(
        {"id": {wire.TYPE: "uuid_hex", wire.DATA: uid.hex}} == encoded,
        f"the JSON transcoder's form of a typed value (now {encoded})",
        wire,
    )
    pinned(uid.hex == wire.payload(encoded["id"]), "the JSON transcoder's _data_ key", wire)
    pinned(
        uid == wire.decode_value(sqlite_app.mapper, json.dumps(encoded["id"])),
        "Mapper.transcoder.decode (of one value's stored JSON)",
        wire,
    )


# --- postgres.py and rows.py on PostgreSQL -------------------------------------------------------


@pytest.mark.postgres
def test_postgres_keeps_events_and_tracking_as_expected(postgres_db: dict[str, Any]) -> None:
    from eventsourcing.postgres import PostgresTrackingRecorder

    from sharedsvc._adapters import postgres
    from sharedsvc._adapters.postgres import PostgresTracking

    env = {
        "PERSISTENCE_MODULE": "eventsourcing.postgres",
        "POSTGRES_DBNAME": postgres_db["dbname"],
        "POSTGRES_HOST": postgres_db["host"],
        "POSTGRES_PORT": str(postgres_db["port"]),
        "POSTGRES_USER": postgres_db["user"],
        "POSTGRES_PASSWORD": postgres_db["password"],
    }
    app = Pinned(env=env)
    try:
        tiny = poked(app, 2)
        pinned(
            "postgres" == stores.store_kind(app.recorder),
            "the PostgreSQL recorder's module",
            stores,
        )
        datastore = stores.datastore_of(app.recorder)
        pinned(isinstance(datastore.schema, str), "PostgresDatastore.schema", rows)
        table = app.recorder.events_table_name  # type: ignore[attr-defined]
        with datastore.get_connection() as conn:
            columns = [
                row["column_name"]
                for row in conn.execute(
                    "SELECT column_name FROM information_schema.columns"
                    " WHERE table_schema = %s AND table_name = %s ORDER BY ordinal_position",
                    (datastore.schema, table),
                ).fetchall()
            ]
        pinned(
            [*EVENT_COLUMNS, "notification_id"] == columns,
            f"the columns of {table} (now {columns})",
            rows,
        )
        found = list(rows.event_rows(app.recorder, page=10).pages())
        pinned(
            [[(1, tiny.id, 1), (2, tiny.id, 2)]] == [[row[:3] for row in page] for page in found],
            "PostgreSQL's notification_id and originator_id (a uuid)",
            rows,
        )
        insert = getattr(PostgresTrackingRecorder, "_insert_tracking", None)
        pinned(
            callable(insert) and positional(insert) == 2,
            "PostgresTrackingRecorder._insert_tracking(cursor, tracking)",
            postgres,
        )
        recorder = PostgresTracking.beside(app.recorder, tracking_table_name="pinned_tracking")
        pinned(
            isinstance(recorder.sql_create_statements, list),
            "PostgresTrackingRecorder.sql_create_statements (a list)",
            postgres,
        )
        keeps_and_forgets_a_position(recorder, "PostgreSQL", postgres)
        assert recorder.has_table("pinned_tracking")
    finally:
        app.close()


def test_every_recorder_class_the_adapters_subclass_is_where_they_import_it_from() -> None:
    for cls, module in (
        (SQLiteApplicationRecorder, "eventsourcing.sqlite"),
        (SQLiteTrackingRecorder, "eventsourcing.sqlite"),
        (POPOApplicationRecorder, "eventsourcing.popo"),
        (POPOTrackingRecorder, "eventsourcing.popo"),
    ):
        pinned(module == cls.__module__, f"the module of {cls.__name__}", stores)
