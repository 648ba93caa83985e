"""Verifying a store against a checkpoint, against floor C timed in the same run.

Run from the repository root with the library installed::

    python benchmarks/verify.py [--events N] [--rounds R] [--quick] [--store PATH]

The store is a SQLite file of N events (default 1,000,000: 1,000 partnerships of about 1,000
events each, with their handovers) made by ``benchmarks/_store.py`` from histories that
sharedsvc's own verbs recorded; it is cached at ``--store PATH`` (default under ``$TMPDIR``)
and reused by later runs. A second store of N/4 events, beside it, is used for memory only.

The ratio, with a target of at least 0.7 (issue 15; 0.5 before it)
    verify/floor-C: the events per second of ``app.verify(against=cp)`` on
    ``SharedServices.sqlite(path)`` over those of floor C (``../shared/PERFORMANCE.md``). Floor
    C is plain ``sqlite3`` on the same file: ``SELECT rowid, originator_id,
    originator_version, topic, state FROM stored_events ORDER BY rowid`` read in pages of
    10,000 with ``fetchmany`` and one ``hashlib.sha256(state).digest()`` per row: reading
    every stored event once and hashing its bytes once, the least any verification of the
    store can do in Python. ``cp`` is taken once with ``app.checkpoint()`` before the rounds;
    ``verify`` then does its whole job each time: it streams the rows in notification order,
    hashes each event's canonical encoding (RFC 9162 leaf hash), rebuilds the Merkle root and
    checks each aggregate's versions; only when the root differs from the checkpoint's does it
    make a second pass that merges the events with the store's Merkle log to locate the
    difference (an intact store, as here, needs one pass). Its report must be ``ok`` (the
    script exits 1 if not: then the figures mean nothing).

    In each round floor C and verify run once each, in turns (AB, BA, AB, ...), after a
    collection so that none is left pending; the ratio is the median of the per-round ratios
    and each events-per-second figure is the median over rounds. A first untimed run of each
    warms the page cache, so both read from memory.

For information
    - the checkpoint: the first ``app.checkpoint()`` on the store (the script drops the
      integrity log first, so it hashes and logs all N leaves, as on a store never
      checkpointed), then a second one with nothing new to log (it re-reads the log for the
      root); each timed once, as events per second and as a ratio to floor C.
    - ``app.verify(against=cp, decode=True)``: the same, decoding every event through the
      application's mapper as well; timed once.
    - memory: the peak resident set size of verification, in a fresh process for each store
      (N/4 and N events). The process imports sharedsvc, opens the application, reads the
      checkpoint, resets the kernel's high-water mark of its resident memory (writing 5 to
      ``/proc/self/clear_refs``) and notes its resident size; then it verifies and reads the
      high-water mark (``VmHWM`` in ``/proc/self/status``). The growth is the difference.
      Resident memory, unlike ``tracemalloc``, counts what SQLite allocates in C (its page
      cache, the rows ``fetchmany`` returns) and costs nothing while verification runs; a
      fresh process keeps the parent's work (building stores, the rounds) out of it. The
      child's ``ru_maxrss`` is no substitute on Linux: it starts from the parent's high-water
      mark (it read 56 MB at every store size here); it is the fallback without ``/proc``. Floor
      C is measured the same way for comparison. Memory is flat when the growth at N is
      within 25% (or 4 MB) of the growth at N/4; it is not judged when N/4 is under two pages
      of 10,000 rows (``--quick``), since both sides hold up to two pages at a time.

The exit code is 0 whether or not the target is met.
"""

from __future__ import annotations

import gc
import hashlib
import json
import sqlite3
import statistics
import sys
import time
from pathlib import Path

from _measure import (
    FLAT_MB,
    FLAT_SLACK,
    SELECT,
    alternate,
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

from sharedsvc import Checkpoint, SharedServices
from sharedsvc.integrity.rows import LEAVES_TABLE

TARGET = 0.7  # issue 15
FIRST_TARGET = 0.5  # the first checkpoint of the store, against floor C (issue 15)
PAGE = 10_000  # rows per fetchmany, as sharedsvc's integrity reader pages them


# ------------------------------------------------------------------------------- the work --


def floor_c(db: sqlite3.Connection) -> int:
    """Floor C: every stored event read in notification order, its state hashed once (the
    loop is written out, as in floor B, so that no call per row slows the floor)."""
    sha256 = hashlib.sha256
    count = 0
    cursor = db.execute(SELECT)
    while page := cursor.fetchmany(PAGE):
        for _, _, _, _, state in page:
            sha256(state).digest()
        count += len(page)
    cursor.close()
    return count


def drop_log(path: Path) -> None:
    """Forget every checkpoint taken on the store (the next one logs every leaf again)."""
    with sqlite3.connect(path) as db:
        db.execute(f"DROP TABLE IF EXISTS {LEAVES_TABLE}")
    db.close()


# --------------------------------------------------------------------------------- memory --


def measure_memory(what: str, path: Path, checkpoint_json: str) -> dict[str, float]:
    """In this (fresh) process: resident size before ``what`` runs on the store, and the
    high-water mark after."""
    if what == "verify":
        app = SharedServices.sqlite(path)
        checkpoint = Checkpoint.from_json(checkpoint_json)
        app.recorder.max_notification_id()  # open the connection
        gc.collect()
        before = reset_peak()
        report = app.verify(against=checkpoint)
        peak = peak_mb()
        ok, checked = report.ok, report.checked
        app.close()
    else:
        db = sqlite3.connect(path)
        db.execute("SELECT 1").fetchone()
        gc.collect()
        before = reset_peak()
        checked = floor_c(db)
        peak = peak_mb()
        ok = True
        db.close()
    return {"before": before, "peak": peak, "ok": float(ok), "checked": float(checked)}


# --------------------------------------------------------------------------------- report --


def main(argv: list[str] | None = None) -> int:
    parser = arguments(__doc__.split("\n\n")[0], "alternating rounds", ("verify", "floor"))
    args = parser.parse_args(argv)
    if args.memory_of:  # the child process of a memory measurement
        result = measure_memory(args.memory_of, args.store, sys.stdin.read())
        print(json.dumps(result))
        return 0
    events = args.events or (20_000 if args.quick else 1_000_000)
    rounds = args.rounds or (2 if args.quick else 5)
    path = args.store or default_path(events)
    started, load_before = time.perf_counter(), load_average()

    built = ensure_store(path, events=events)
    quarter = ensure_store(quarter_path(path, events // 4), events=events // 4)
    facts = machine_facts(path)
    contents = describe(path)

    # The checkpoint, timed as a first one and as one with nothing new to log.
    drop_log(path)
    app = SharedServices.sqlite(path)
    app.recorder.max_notification_id()  # open the connection, untimed
    first_seconds, checkpoint = timed(app.checkpoint)
    again_seconds, again = timed(app.checkpoint)
    assert (again.size, again.root) == (checkpoint.size, checkpoint.root)

    floor_db = sqlite3.connect(path)
    reports = []

    def floor_round() -> float:
        seconds, count = timed(lambda: floor_c(floor_db))
        assert count == events, count
        return seconds

    def verify_round() -> float:
        seconds, report = timed(lambda: app.verify(against=checkpoint))
        reports.append(report)
        return seconds

    floor_round(), verify_round()  # warm up: page cache, statement caches
    pairs = alternate(rounds, floor_round, verify_round)
    decode_seconds, decoded = timed(lambda: app.verify(against=checkpoint, decode=True))
    floor_db.close()
    app.close()

    memory: dict[str, dict[int, dict[str, float]]] = {"verify": {}, "floor": {}}
    for store in (quarter, built):
        store_app = SharedServices.sqlite(store.path)
        store_checkpoint = store_app.checkpoint()  # untimed: logs the leaves if not yet logged
        store_app.close()
        for what in ("verify", "floor"):
            memory[what][store.events] = memory_in_subprocess(
                __file__, what, store.path, store_checkpoint.to_json()
            )

    # ------------------------------------------------------------------------- the report --
    ratios = [floor / verify for floor, verify in pairs]
    ratio = statistics.median(ratios)
    floor_seconds = statistics.median(floor for floor, _ in pairs)
    verify_seconds = statistics.median(verify for _, verify in pairs)
    all_ok = all(r.ok and r.checked == events for r in reports) and decoded.ok
    all_ok = all_ok and all(m["ok"] for m in memory["verify"].values())

    print(
        f"benchmarks/verify.py{' --quick' if args.quick else ''}: N={events:,} events, "
        f"{rounds} rounds, floor C and verify taking turns; median of rounds"
    )
    for fact in facts:
        print(f"  {fact}")
    print(f"  load average (1, 5, 15 min): {load_before} before, {load_average()} after")
    how = "reused" if built.reused else f"built in {built.seconds:.1f} s"
    print(f"Store: {built.path} ({how}), {built.partnerships:,} partnerships")
    for line in contents:
        print(f"  {line}")
    how = "reused" if quarter.reused else f"built in {quarter.seconds:.1f} s"
    print(f"  for memory only: {quarter.path} ({how}), {quarter.events:,} events")
    print("Ratio: app.verify(against=cp) vs floor C (SELECT in notification order + SHA-256)")
    print(f"  verify/floor-C: {ratio:.2f}")
    print(
        f"    median: verify {rate(events, verify_seconds)} ({verify_seconds:.2f} s), "
        f"floor C {rate(events, floor_seconds)} ({floor_seconds:.2f} s)"
    )
    print(f"    per-round ratios: {', '.join(f'{r:.2f}' for r in ratios)}")
    print(f"    reports: {'all ok' if all_ok else 'NOT OK'}; last: {reports[-1]}")
    print("For information")
    print(
        f"  first checkpoint (hashes and logs {checkpoint.size:,} leaves): "
        f"{rate(events, first_seconds)} ({first_seconds:.2f} s), "
        f"{floor_seconds / first_seconds:.2f} of floor C"
    )
    print(
        f"  checkpoint with nothing new to log (re-reads the log): "
        f"{rate(events, again_seconds)} ({again_seconds:.2f} s), "
        f"{floor_seconds / again_seconds:.2f} of floor C"
    )
    print(
        f"  verify(against=cp, decode=True): {rate(events, decode_seconds)} "
        f"({decode_seconds:.2f} s), {floor_seconds / decode_seconds:.2f} of floor C, "
        f"{'ok' if decoded.ok else 'NOT OK'}"
    )
    print("Memory: peak RSS in a fresh process (growth over the RSS before the work starts)")
    growth: dict[str, list[float]] = {}
    for what, label in (("verify", "verify"), ("floor", "floor C")):
        cells, growth[what] = [], []
        for n, m in sorted(memory[what].items()):
            grew = m["peak"] - m["before"]
            growth[what].append(grew)
            cells.append(f"{n:,} events: peak {m['peak']:.1f} MB (+{grew:.1f} MB)")
        print(f"  {label}: {'; '.join(cells)}")
    small, large = growth["verify"]
    if quarter.events < 2 * PAGE:
        verdict = "not judged: the smaller store is under two pages"
    elif large <= max(small * FLAT_SLACK, small + FLAT_MB):
        verdict = f"flat: within 25% or {FLAT_MB:.0f} MB"
    else:
        verdict = f"NOT flat: more than 25% and {FLAT_MB:.0f} MB apart"
    met = "met" if ratio >= TARGET else "MISSED"
    print(f"Summary ({time.perf_counter() - started:.0f} s)")
    print(f"  ratio verify/floor-C: {ratio:.2f} (target >= {TARGET}: {met})")
    first = floor_seconds / first_seconds
    first_met = "met" if first >= FIRST_TARGET else "MISSED"
    print(f"  ratio first-checkpoint/floor-C: {first:.2f} (target >= {FIRST_TARGET}: {first_met})")
    print(
        f"  memory of verify: +{small:.1f} MB at {quarter.events:,} events, +{large:.1f} MB at "
        f"{events:,} ({verdict})"
    )
    if not all_ok:
        print("  verification reported problems: the store is not intact, the figures are void")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
