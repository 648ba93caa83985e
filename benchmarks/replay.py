"""Rebuilding every read model from scratch, against floor B timed in the same run.

Run from the repository root with the library installed::

    python benchmarks/replay.py [--events N] [--rounds R] [--quick] [--store PATH]

The store is a SQLite file of N events (default 1,000,000: 1,000 partnerships of about 1,000
events each, with their handovers) made by ``benchmarks/_store.py`` from histories that
sharedsvc's own verbs recorded; it is cached at ``--store PATH`` (default under ``$TMPDIR``,
the same file ``verify.py`` uses) and reused by later runs. A second store of N/4 events,
beside it, is used for memory only. The read models are written into the store's file, beside
the events, as they are in use; the events are only read.

The ratio, with a target of at least 0.5 (issue 15)
    replay/floor-B: the events per second of ``ReadModels(SharedServices.sqlite(path))
    .replay()`` over those of floor B (``../shared/PERFORMANCE.md``). Floor B is plain
    ``sqlite3`` on the same file: ``SELECT rowid, originator_id, originator_version, topic,
    state FROM stored_events ORDER BY rowid`` read in pages of 10,000 with ``fetchmany`` and
    one ``orjson.loads(state)`` per row: reading every stored event once and decoding its JSON
    with the fastest decoder there is, and nothing else -- the least any read model built from
    the events' contents can do in Python. ``replay()`` does its whole job each time: it
    empties the read models (the audit trail's index, the compromise ledger, the versioned
    view, and the builder's memory of owners and decision references) and forgets their
    position, then streams the log a page at a time, dispatches each event on its topic,
    decodes it once if a read model follows it (the trail alone needs only its legal date, read
    from the stored bytes) and writes the rows to their tables, with the position reached, one
    transaction per batch (``sharedsvc.projections.read_models.BATCH`` events; the script
    prints it, and the page cache the read models ask SQLite for). After each replay the
    script checks that it read N events, that the trail holds one entry per event and that
    the position is the last event's. Read models an earlier run left in the store are
    dropped before the rounds (they may be of an older schema).

    In each round floor B, the replay and eventsourcing's path (below) run once each, in
    turns (ABC, BCA, CAB, ...), after a collection so that none is left pending; the ratio is
    the median of the per-round ratios and each events-per-second figure is the median over
    rounds. A first untimed run of each warms the page cache (so all read the events from
    memory) and gives every timed replay a full set of read models to empty first.

For information
    es-path/floor-B: eventsourcing's own read path, ``app.recorder.select_notifications`` in
    pages of 10,000 and ``app.mapper.to_domain_event`` for each notification, nothing else; its
    events per second over floor B's in the same round. It runs at about a tenth of floor B on
    this store, so it reads the first min(N, 200,000) events only (a full pass would add half
    a minute to every round); the script says how many.

Memory
    The peak resident set size of a replay, in a fresh process for each store (N/4 and N
    events): the process imports sharedsvc, opens the application and its read models, resets
    the kernel's high-water mark of its resident memory and notes its resident size; then it
    replays and reads the high-water mark (``_measure.py`` says how). The target is a peak
    under 100 MB at both sizes (issue 15), and flat: the growth over the resident size before
    the replay at N within 25% (or 4 MB) of the growth at N/4 (not judged when N/4 is under
    one batch, as with ``--quick``). Floor B is measured the same way for comparison. The
    peak includes SQLite's page cache, which the read models size while they write.

The exit code is 0 whether or not the targets are met, and 1 only if a replay did not rebuild
what it should (then the figures mean nothing).
"""

from __future__ import annotations

import gc
import json
import sqlite3
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import orjson
from _measure import (
    FLAT_MB,
    FLAT_SLACK,
    SELECT,
    arguments,
    load_average,
    machine_facts,
    memory_in_subprocess,
    peak_mb,
    quarter_path,
    rate,
    reset_peak,
    timed,
)
from _store import default_path, describe, ensure_store

from sharedsvc import SharedServices
from sharedsvc.projections.read_models import BATCH, ReadModels
from sharedsvc.projections.store import CACHE_KIB, ReadStore
from sharedsvc.projections.store import T as READ_MODEL_PREFIX

TARGET = 0.5  # issue 15
MEMORY_TARGET_MB = 100.0
PAGE = 10_000  # rows per fetchmany and per select_notifications
ES_PREFIX = 200_000  # events eventsourcing's path reads in a round


# ------------------------------------------------------------------------------- the work --


def floor_b(db: sqlite3.Connection) -> int:
    """Floor B: every stored event read in notification order, its state decoded once (the
    loop is written out, as in floor C, so that no call per row slows the floor)."""
    loads = orjson.loads
    count = 0
    cursor = db.execute(SELECT)
    while page := cursor.fetchmany(PAGE):
        for _, _, _, _, state in page:
            loads(state)
        count += len(page)
    cursor.close()
    return count


def eventsourcing_path(app: SharedServices, events: int) -> int:
    """eventsourcing's own read path over the first ``events`` events: notifications in
    pages, each mapped to its domain event."""
    recorder, to_domain_event = app.recorder, app.mapper.to_domain_event
    count, after = 0, 0
    while count < events:
        page = recorder.select_notifications(
            start=after, limit=min(PAGE, events - count), inclusive_of_start=False
        )
        if not page:
            break
        for notification in page:
            to_domain_event(notification)
        count += len(page)
        after = page[-1].id
    return count


def drop_read_models(path: Path) -> None:
    """Drop the read models an earlier run left in the store, and their position: they may be
    of an older schema, which opening the read models would not change."""
    with sqlite3.connect(path) as db:
        found = db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        tables = [name for (name,) in found]
        for name in tables:
            if name.startswith(READ_MODEL_PREFIX):
                db.execute(f"DROP TABLE IF EXISTS {name}")
        if "tracking" in tables:
            db.execute("DELETE FROM tracking WHERE application_name = ?", (ReadStore.name,))
    db.close()


def rebuilt(models: ReadModels, events: int, read: int) -> str | None:
    """What is wrong with the read models after a replay that read ``read`` events (None:
    nothing)."""
    counts = dict(models.iter_counts())
    if read != events:
        return f"replay read {read:,} events, not {events:,}"
    if counts["trail"] != events:
        return f"the trail holds {counts['trail']:,} entries, not one per event ({events:,})"
    if models.position != events:
        return f"the read models reached position {models.position:,}, not {events:,}"
    return None


def rotate(rounds: int, units: list[Callable[[], float]]) -> list[list[float]]:
    """``rounds`` timings of each unit, the units taking turns (ABC, BCA, CAB, ...); each
    row of the result is in the order of ``units``."""
    table = []
    for r in range(rounds):
        row = [0.0] * len(units)
        for k in range(len(units)):
            i = (r + k) % len(units)
            row[i] = units[i]()
        table.append(row)
    return table


# --------------------------------------------------------------------------------- memory --


def measure_memory(what: str, path: Path) -> dict[str, float]:
    """In this (fresh) process: resident size before ``what`` runs on the store, and the
    high-water mark after."""
    if what == "replay":
        app = SharedServices.sqlite(path)
        models = ReadModels(app)  # creates the tables if missing
        app.recorder.max_notification_id()  # open the connection
        gc.collect()
        before = reset_peak()
        read = models.replay()
        peak = peak_mb()
        wrong = rebuilt(models, read, read)
        app.close()
    else:
        db = sqlite3.connect(path)
        db.execute("SELECT 1").fetchone()
        gc.collect()
        before = reset_peak()
        read = floor_b(db)
        peak = peak_mb()
        wrong = None
        db.close()
    return {"before": before, "peak": peak, "ok": float(wrong is None), "read": float(read)}


# --------------------------------------------------------------------------------- report --


def main(argv: list[str] | None = None) -> int:
    parser = arguments(__doc__.split("\n\n")[0], "rounds of the three", ("replay", "floor"))
    args = parser.parse_args(argv)
    if args.memory_of:  # the child process of a memory measurement
        print(json.dumps(measure_memory(args.memory_of, args.store)))
        return 0
    events = args.events or (20_000 if args.quick else 1_000_000)
    rounds = args.rounds or (2 if args.quick else 5)
    path = args.store or default_path(events)
    prefix = min(events, ES_PREFIX)
    started, load_before = time.perf_counter(), load_average()

    built = ensure_store(path, events=events)
    quarter = ensure_store(quarter_path(path, events // 4), events=events // 4)
    facts = machine_facts(path)
    contents = describe(path)
    for store in (built, quarter):
        drop_read_models(store.path)

    app = SharedServices.sqlite(path)
    models = ReadModels(app)
    floor_db = sqlite3.connect(path)
    problems: list[str] = []

    def floor_round() -> float:
        seconds, read = timed(lambda: floor_b(floor_db))
        assert read == events, read
        return seconds

    def replay_round() -> float:
        seconds, read = timed(models.replay)
        wrong = rebuilt(models, events, read)
        if wrong:
            problems.append(wrong)
        return seconds

    def eventsourcing_round() -> float:
        seconds, read = timed(lambda: eventsourcing_path(app, prefix))
        assert read == prefix, read
        return seconds

    units = [floor_round, replay_round, eventsourcing_round]
    for unit in units:  # warm up: page cache, statement caches, a full set of read models
        unit()
    table = rotate(rounds, units)
    counts = dict(models.iter_counts())
    floor_db.close()
    app.close()

    memory: dict[str, dict[int, dict[str, float]]] = {"replay": {}, "floor": {}}
    for store in (quarter, built):
        for what in ("replay", "floor"):
            memory[what][store.events] = memory_in_subprocess(__file__, what, store.path)

    # ------------------------------------------------------------------------- the report --
    ratios = [floor / replay for floor, replay, _ in table]
    es_ratios = [(floor / events) / (es / prefix) for floor, _, es in table]
    ratio, es_ratio = statistics.median(ratios), statistics.median(es_ratios)
    medians = (statistics.median(column) for column in zip(*table, strict=True))
    floor_seconds, replay_seconds, es_seconds = medians
    problems += [
        f"the replay at {n:,} events in a fresh process rebuilt the read models wrongly"
        for n, m in memory["replay"].items()
        if not m["ok"]
    ]

    print(
        f"benchmarks/replay.py{' --quick' if args.quick else ''}: N={events:,} events, "
        f"{rounds} rounds, floor B, replay and eventsourcing's path taking turns; "
        "median of rounds"
    )
    for fact in facts:
        print(f"  {fact}")
    print(f"  load average (1, 5, 15 min): {load_before} before, {load_average()} after")
    how = "reused" if built.reused else f"built in {built.seconds:.1f} s"
    print(f"Store: {built.path} ({how}), {built.partnerships:,} partnerships")
    for line in contents:
        print(f"  {line}")
    print(
        "  read models after a replay: "
        + ", ".join(f"{name} {n:,} entries" for name, n in counts.items())
        + f"; written {BATCH:,} events per transaction, page cache {CACHE_KIB // 1024} MiB"
    )
    how = "reused" if quarter.reused else f"built in {quarter.seconds:.1f} s"
    print(f"  for memory only: {quarter.path} ({how}), {quarter.events:,} events")
    print("Ratio: ReadModels(app).replay() vs floor B (SELECT in notification order + orjson)")
    print(f"  replay/floor-B: {ratio:.2f}")
    print(
        f"    median: replay {rate(events, replay_seconds)} ({replay_seconds:.2f} s), "
        f"floor B {rate(events, floor_seconds)} ({floor_seconds:.2f} s)"
    )
    print(f"    per-round ratios: {', '.join(f'{r:.2f}' for r in ratios)}")
    print(f"    rebuilt: {'; '.join(problems) if problems else 'every replay complete'}")
    print("For information")
    print(
        f"  es-path/floor-B: {es_ratio:.2f} (select_notifications + mapper.to_domain_event, "
        f"on the first {prefix:,} events)"
    )
    print(
        f"    median: {rate(prefix, es_seconds)} ({es_seconds:.2f} s); "
        f"per-round ratios: {', '.join(f'{r:.2f}' for r in es_ratios)}"
    )
    print("Memory: peak RSS in a fresh process (growth over the RSS before the work starts)")
    growth: dict[str, list[float]] = {}
    peaks: list[float] = []
    for what, label in (("replay", "replay"), ("floor", "floor B")):
        cells, growth[what] = [], []
        for n, m in sorted(memory[what].items()):
            grew = m["peak"] - m["before"]
            growth[what].append(grew)
            if what == "replay":
                peaks.append(m["peak"])
            cells.append(f"{n:,} events: peak {m['peak']:.1f} MB (+{grew:.1f} MB)")
        print(f"  {label}: {'; '.join(cells)}")
    small, large = growth["replay"]
    if quarter.events < BATCH:
        flat = "flatness not judged: the smaller store is under one transaction"
    elif large <= max(small * FLAT_SLACK, small + FLAT_MB):
        flat = f"flat: growth within 25% or {FLAT_MB:.0f} MB"
    else:
        flat = f"NOT flat: growth more than 25% and {FLAT_MB:.0f} MB apart"
    under = "met" if max(peaks) < MEMORY_TARGET_MB else "MISSED"
    met = "met" if ratio >= TARGET else "MISSED"
    print(f"Summary ({time.perf_counter() - started:.0f} s)")
    print(f"  ratio replay/floor-B: {ratio:.2f} (target >= {TARGET}: {met})")
    print(f"  ratio es-path/floor-B: {es_ratio:.2f} (for information)")
    print(
        f"  memory of replay: peak {peaks[0]:.1f} MB at {quarter.events:,} events, "
        f"{peaks[1]:.1f} MB at {events:,} (target < {MEMORY_TARGET_MB:.0f} MB: {under}); "
        f"growth +{small:.1f} MB and +{large:.1f} MB ({flat})"
    )
    if problems:
        print("  a replay did not rebuild the read models: the figures are void")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
