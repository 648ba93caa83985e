"""Verification streams the store: the memory it takes does not grow with the store.

Two SQLite stores are grown from copies of the demo's stored events (fresh aggregate ids for
each copy), one four times the other; both span several pages of the reader. The peak of
Python allocations during ``verify(against=checkpoint)`` and ``checkpoint()`` is measured with
tracemalloc. What may grow with the store is the consistency check's one entry per aggregate;
the events' own bytes (tens of megabytes here) must not be held.
"""

from __future__ import annotations

import sqlite3
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any
from uuid import uuid4

from sharedsvc import SharedServices
from sharedsvc.demo import build_shared_digital
from sharedsvc.integrity.rows import PAGE


def grown_store(path: Path, events: int) -> SharedServices:
    app = SharedServices.sqlite(path)
    build_shared_digital(app)
    with sqlite3.connect(path) as connection:
        template = connection.execute(
            "SELECT originator_id, originator_version, topic, state FROM stored_events "
            "ORDER BY rowid"
        ).fetchall()
        rows: list[tuple[Any, ...]] = []
        while len(rows) + len(template) < events:
            fresh: dict[str, str] = {}
            for originator_id, version, topic, state in template:
                new_id = fresh.setdefault(originator_id, uuid4().hex)
                rows.append((new_id, version, topic, state))
        connection.executemany("INSERT INTO stored_events VALUES (?, ?, ?, ?)", rows)
    return app


def peak(action: Callable[[], object]) -> int:
    tracemalloc.start()
    try:
        action()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_verification_memory_stays_flat_as_the_store_grows(tmp_path: Path) -> None:
    small_events, large_events = 2 * PAGE, 8 * PAGE
    peaks = {}
    for name, events in (("small", small_events), ("large", large_events)):
        app = grown_store(tmp_path / f"{name}.db", events)
        try:
            checkpoint_peak = peak(app.checkpoint)
            checkpoint = app.checkpoint()
            assert checkpoint.size >= events - 50
            verify_peak = peak(lambda app=app, cp=checkpoint: app.verify(against=cp))
            assert app.verify(against=checkpoint).ok
        finally:
            app.close()
        peaks[name] = (checkpoint_peak, verify_peak)
    state_bytes = 500 * (large_events - small_events)  # what holding the events would cost
    for index, what in enumerate(("checkpoint", "verify")):
        small, large = peaks["small"][index], peaks["large"][index]
        growth = large - small
        # aggregates grow 4x too (about 2 per 21 events, ~150 bytes each in the version map)
        allowance = 2 * 150 * (large_events - small_events) // 21 + 2_000_000
        assert growth < allowance, (what, small, large)
        assert growth < state_bytes // 10, (what, small, large)
