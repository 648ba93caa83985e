"""Replaying the read models streams the log: memory does not grow with the store.

Two SQLite stores are grown from copies of the demo's stored events (fresh aggregate ids for each
copy), one four times the other, and the read models are rebuilt in batches of two pages with
tracemalloc watching. What may grow is the builder's memory of each partnership (its owners and
the latest value of each field); the events and the rows written must not be held.
"""

from __future__ import annotations

import tracemalloc
from pathlib import Path

from test_integrity_memory import grown_store

from sharedsvc.integrity.rows import PAGE
from sharedsvc.projections.read_models import ReadModels


def test_replay_memory_stays_flat_as_the_store_grows(tmp_path: Path) -> None:
    small_events, large_events = 2 * PAGE, 8 * PAGE
    peaks = {}
    for name, events in (("small", small_events), ("large", large_events)):
        app = grown_store(tmp_path / f"{name}.db", events)
        try:
            models = ReadModels(app)
            tracemalloc.start()
            try:
                replayed = models.replay(batch=2 * PAGE)
                peaks[name] = tracemalloc.get_traced_memory()[1]
            finally:
                tracemalloc.stop()
            assert replayed >= events - 50
            assert replayed == models.store.count("trail")
        finally:
            app.close()
    growth = peaks["large"] - peaks["small"]
    copies = (large_events - small_events) // 50  # a copy of the demo: 50 events, 4 aggregates
    # what is remembered of a copy (a partnership's fields, its handovers' owners, and since the
    # second release its row of the partnership index and its sovereignty state) is a few KB,
    # against ~30 KB to hold its events: measured 3.8-4.2 KB a copy, in and out of the suite
    assert growth < 5_000 * copies + 1_000_000, peaks
    assert growth < 600 * (large_events - small_events) // 4, peaks
