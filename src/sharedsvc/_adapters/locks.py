"""Locks that serialise work on one store across processes, and SQLite's immediate transaction.

A lock here is held across many transactions (a replay writes a batch per transaction) and is
let go when its holder ends, however it ends:

* **PostgreSQL**: a session-level advisory lock, taken on a connection of its own (not one of
  the pool's, which the holder's transactions need) and let go when that connection closes; a
  transaction-level advisory lock on the same key (`take_in`) waits for it.
* **SQLite** (a file): an exclusive transaction on a small database beside the store's
  (``<store>-lock``), held open while the lock is: SQLite's own file locking lets it go when
  the holder's process ends, on every platform SQLite runs on, and waits for it with its busy
  timeout. The store's own database is not locked, so commands go on being recorded.
* **SQLite in memory**, and anything else one process holds: a lock of this process.

A holder that cannot take the lock within ``wait`` seconds gets `LockTimeout`.
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from typing import Any
from urllib.parse import unquote, urlsplit
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.persistence import ApplicationRecorder, EventStore

from sharedsvc._adapters.stores import datastore_of

__all__ = [
    "LockTimeout",
    "TablesInTurn",
    "creating_tables",
    "held",
    "immediate",
    "lock_key",
    "sqlite_lock_path",
    "tables_key",
    "take_in",
]

TABLES_WAIT = 60.0
"""How long opening a PostgreSQL store waits for another process to finish creating tables."""


class LockTimeout(Exception):
    """The lock was not taken within the time allowed."""


def lock_key(*parts: str) -> int:
    """A PostgreSQL advisory lock key (a signed 64-bit number) for ``parts``."""
    digest = hashlib.blake2b("\x1f".join(("sharedsvc", *parts)).encode(), digest_size=8)
    return int.from_bytes(digest.digest(), "big", signed=True)


# --- in this process --------------------------------------------------------------------------

_LOCAL: dict[str, threading.Lock] = {}
_LOCAL_GUARD = threading.Lock()


@contextmanager
def _held_locally(name: str, wait: float) -> Iterator[None]:
    with _LOCAL_GUARD:
        lock = _LOCAL.setdefault(name, threading.Lock())
    if not lock.acquire(timeout=max(wait, 0.0)):
        raise LockTimeout(f"{name} is held by another thread of this process")
    try:
        yield
    finally:
        lock.release()


# --- SQLite -----------------------------------------------------------------------------------


def sqlite_lock_path(db_name: str) -> str | None:
    """The lock file beside a SQLite database (None for a database in memory)."""
    if ":memory:" in db_name or "mode=memory" in db_name:
        return None
    if db_name.startswith("file:"):
        parts = urlsplit(db_name)
        return unquote(parts.path) + "-lock"
    return db_name + "-lock"


@contextmanager
def _sqlite_held(db_name: str, name: str, wait: float) -> Iterator[None]:
    path = sqlite_lock_path(db_name)
    if path is None:
        with _held_locally(f"{db_name}:{name}", wait):
            yield
        return
    conn = sqlite3.connect(path, timeout=max(wait, 0.0), isolation_level=None)
    try:
        try:
            conn.execute("BEGIN EXCLUSIVE")
        except sqlite3.OperationalError as error:
            if "locked" in str(error) or "busy" in str(error):
                raise LockTimeout(f"{path} is held by another process") from error
            raise
        try:
            yield
        finally:
            conn.rollback()
    finally:
        conn.close()


# --- PostgreSQL -------------------------------------------------------------------------------


def _pg_connect(datastore: Any) -> Any:
    """A connection of its own, made as the datastore's pool makes one (autocommit)."""
    import psycopg

    pool = datastore.pool
    kwargs = dict(pool.kwargs or {})
    kwargs.pop("row_factory", None)
    password_func = getattr(pool, "get_password_func", None)
    if password_func is not None:
        kwargs["password"] = password_func()
    return psycopg.connect(pool.conninfo, autocommit=True, **kwargs)


_HELD = threading.local()


@contextmanager
def _pg_held(datastore: Any, key: int, wait: float) -> Iterator[None]:
    from psycopg import errors

    held_here: set[tuple[int, int]] = _HELD.__dict__.setdefault("keys", set())
    mine = (id(datastore), key)
    if mine in held_here:  # this thread holds it already: taking it again is a no-op
        yield
        return
    conn = _pg_connect(datastore)
    try:
        if wait <= 0:
            row = conn.execute("SELECT pg_try_advisory_lock(%s)", (key,)).fetchone()
            if not row or not row[0]:
                raise LockTimeout("the lock is held by another session")
        else:
            conn.execute(f"SET lock_timeout = '{max(1, int(wait * 1000))}ms'")
            try:
                conn.execute("SELECT pg_advisory_lock(%s)", (key,))
            except errors.LockNotAvailable as error:
                raise LockTimeout("the lock is held by another session") from error
        held_here.add(mine)
        try:
            yield
        finally:
            held_here.discard(mine)
    finally:
        conn.close()  # lets the lock go


def take_in(cursor: Any, key: int) -> None:
    """Within a PostgreSQL transaction: wait for the lock ``key`` and hold it to its end."""
    cursor.execute("SELECT pg_advisory_xact_lock(%s)", (key,))


# --- whichever the store ----------------------------------------------------------------------


@contextmanager
def held(recorder: object, kind: str | None, name: str, schema: str, wait: float) -> Iterator[None]:
    """Hold the lock ``name`` of the store behind ``recorder`` (``kind``: sqlite, postgres,
    memory), waiting at most ``wait`` seconds for it (`LockTimeout`)."""
    if kind == "postgres":
        with _pg_held(datastore_of(recorder), lock_key(schema, name), wait):
            yield
    elif kind == "sqlite":
        with _sqlite_held(datastore_of(recorder).pool.db_name, name, wait):
            yield
    else:
        with _held_locally(f"{id(recorder)}:{name}", wait):
            yield


def creating_tables(owner: object) -> Any:
    """A context in which an eventsourcing factory or recorder (``owner``) creates tables: on
    PostgreSQL, one process at a time (concurrent ``CREATE ... IF NOT EXISTS`` collide in the
    catalogue: a duplicate ``pg_type`` row, ``tuple concurrently updated``). Taken again by a
    thread that holds it, it is a no-op."""
    datastore = getattr(owner, "datastore", None)
    if datastore is not None and type(datastore).__module__.startswith("eventsourcing.postgres"):
        return _pg_held(datastore, tables_key(str(datastore.schema)), TABLES_WAIT)
    return nullcontext()


def tables_key(schema: str) -> int:
    """The key of the lock under which tables are created in ``schema`` (a transaction that
    creates one may take it with `take_in`)."""
    return lock_key(schema, "tables")


@contextmanager
def immediate(datastore: Any) -> Iterator[Any]:
    """A SQLite write transaction begun ``IMMEDIATE``: it takes the write lock first, waiting
    up to the busy timeout (and retrying within it), so that what it reads is not overtaken by
    another writer before it writes (a deferred transaction that reads first then fails at once
    with ``database is locked``). Yields eventsourcing's cursor; commits at the end."""
    timeout = float(datastore.pool.lock_timeout or 5)
    with datastore.get_connection(commit=True) as conn:
        cursor = conn.cursor()
        deadline = time.monotonic() + timeout
        while True:
            try:
                cursor.execute("BEGIN IMMEDIATE")
                break
            except sqlite3.OperationalError as error:
                busy = "locked" in str(error) or "busy" in str(error)
                if not busy or time.monotonic() >= deadline:
                    raise
                time.sleep(0.01)
        try:
            yield cursor
        except BaseException:
            conn.rollback()
            raise
        conn.commit()


class TablesInTurn(Application[UUID]):
    """An application whose store's tables are created one process at a time (on PostgreSQL;
    see `creating_tables`), so that any number of processes may open a store at once."""

    def construct_recorder(self) -> ApplicationRecorder:
        with creating_tables(self.factory):
            return super().construct_recorder()

    def construct_snapshot_store(self) -> EventStore[UUID]:
        with creating_tables(self.factory):
            return super().construct_snapshot_store()
