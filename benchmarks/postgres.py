"""Commands, replay and verify on PostgreSQL, each against its baseline timed in the same run,
printed beside the same measures on SQLite.

Run from the repository root with the library installed and a PostgreSQL server at
127.0.0.1:5432 (user ``postgres``, trust)::

    python benchmarks/postgres.py [--commands N] [--events N] [--rounds R] [--quick]

Without a server there, it says so and exits 0. Otherwise it creates three databases of its
own (named ``sharedsvc_bench_<random>_...``) and drops them at the end, whatever happens:

commands/plain-eventsourcing
    N commands (variation cycles: a proposal and three approvals, the last adopting it) on a
    fresh partnership each round through ``SharedServices.postgres(db)``, against a plain
    ``eventsourcing`` Application on PostgreSQL doing the equivalent (``commands.py``'s plain
    aggregate, with the cache settings SharedServices runs with), the two taking turns unit by
    unit. The same is measured on SQLite files with ``commands.py``'s own function.
replay/floor-B
    The realistic store of ``_store.py`` (N events; 20,000 with ``--quick``) is built as a
    SQLite file in a temporary directory and copied, row for row in notification order, into
    eventsourcing's events table on PostgreSQL (``COPY``). ``ReadModels(app).replay()`` -- the
    read models on PostgreSQL, rebuilt by the same builder the projection runner
    (``sharedsvc follow``) feeds, ``BATCH`` events a transaction -- against floor B's analogue
    on PostgreSQL: ``SELECT notification_id, originator_id, originator_version, topic, state``
    in pages of 10,000 by notification id (as a recorder pages) and one ``orjson.loads`` per
    row. Both on SQLite as ``replay.py`` measures them, on the SQLite file.
verify/floor-C
    ``app.verify(against=cp)`` (``cp`` taken once before the rounds) against the same paged
    ``SELECT`` and one SHA-256 per event's stored bytes; the same on the SQLite file as
    ``verify.py`` measures it.
runner/plain-runner
    The read models following the log through eventsourcing's ``ProjectionRunner``, one event
    a transaction, as ``sharedsvc follow`` runs them, against the same runner with the
    cheapest projection plain eventsourcing allows (decode, ``insert_tracking``), each
    following the first ``--followed`` events of the store from an empty view (``_runner.py``).
    There is no runner on SQLite (its read models catch up in batches, as replay measures).

Each ratio is the median of per-round ratios, the two sides taking turns (AB, BA, ...) after an
untimed warm-up. Nothing is asserted about speed; the exit code is 1 only if a replay did not
rebuild what it should or a verification was not ``ok``.
"""

from __future__ import annotations

import argparse
import hashlib
import secrets
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import orjson
from _measure import SELECT, alternate, load_average, machine_facts, rate, timed
from _runner import runner_pairs
from _store import ensure_store
from commands import (
    VARIATION_CYCLE,
    PlainApplication,
    cache_settings,
    form,
    interleaved,
    ours_variation_cycle,
    plain_form,
    plain_variation_cycle,
    ratio_a,
)
from replay import drop_read_models, floor_b, rebuilt
from verify import drop_log, floor_c

from sharedsvc import SharedServices
from sharedsvc.projections.read_models import BATCH, ReadModels

HOST, PORT, USER, ADMIN_DB = "127.0.0.1", 5432, "postgres", "test"
PAGE = 10_000


# ------------------------------------------------------------------------------ the server --


def connect(dbname: str) -> Any:
    import psycopg

    return psycopg.connect(
        host=HOST, port=PORT, user=USER, dbname=dbname, connect_timeout=3, autocommit=True
    )


def server_problem() -> str | None:
    """Why there is no server to measure on (None: there is one)."""
    try:
        import psycopg  # noqa: F401
    except ImportError as error:
        return f"psycopg cannot be imported ({error}); install the 'postgres' extra"
    try:
        connect(ADMIN_DB).close()
    except Exception as error:
        return f"no PostgreSQL server at {HOST}:{PORT} (db {ADMIN_DB!r}, user {USER!r}): {error}"
    return None


class Databases:
    """Fresh databases for one run, dropped at its end."""

    def __init__(self) -> None:
        self.prefix = f"sharedsvc_bench_{secrets.token_hex(4)}"
        self.made: list[str] = []

    def new(self, tag: str) -> str:
        name = f"{self.prefix}_{tag}"
        with connect(ADMIN_DB) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
        self.made.append(name)
        return name

    def drop_all(self) -> None:
        with connect(ADMIN_DB) as admin:
            for name in self.made:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def pg_env(dbname: str) -> dict[str, str]:
    return {
        "PERSISTENCE_MODULE": "eventsourcing.postgres",
        "POSTGRES_DBNAME": dbname,
        "POSTGRES_HOST": HOST,
        "POSTGRES_PORT": str(PORT),
        "POSTGRES_USER": USER,
        "POSTGRES_PASSWORD": "",
    }


# ------------------------------------------------------------------------------- commands --


def commands_on_postgres(
    ours_db: str, plain_db: str, commands: int, rounds: int
) -> list[tuple[float, float]]:
    """(sharedsvc seconds, plain seconds) per round, for ``commands`` commands a side."""
    ours = SharedServices.postgres(ours_db)
    plain = PlainApplication(env=pg_env(plain_db) | cache_settings(ours))
    units = max(1, commands // VARIATION_CYCLE.commands)

    def one_round(units: int) -> tuple[float, float]:
        pid, aid = form(ours), plain_form(plain)
        ours.repository.get(pid)  # into the caches, untimed
        plain.repository.get(aid)
        return interleaved(
            units,
            lambda k: ours_variation_cycle(ours, pid, k),
            lambda k: plain_variation_cycle(plain, aid, k),
        )

    try:
        one_round(min(units, 20))  # warm up: connections, statement caches
        return [one_round(units) for _ in range(rounds)]
    finally:
        ours.close()
        plain.close()


# ---------------------------------------------------------------------- the store's copy --


def copy_store(path: Path, dbname: str) -> int:
    """Copy the SQLite store's events, in notification order, into eventsourcing's events
    table on PostgreSQL (created by opening the application)."""
    app = SharedServices.postgres(dbname)
    table = app.recorder.events_table_name
    app.close()
    source = sqlite3.connect(path)
    count = 0
    with connect(dbname) as pg, pg.cursor() as cursor:
        columns = "originator_id, originator_version, topic, state"
        with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for _, originator, version, topic, state in source.execute(SELECT):
                copy.write_row((originator, version, topic, state))
                count += 1
        cursor.execute(f"ANALYZE {table}")
    source.close()
    return count


def pg_pages(pg: Any, table: str) -> Iterator[list[tuple[Any, ...]]]:
    """The events table in pages of ``PAGE`` rows by notification id, as a recorder pages."""
    select = (
        "SELECT notification_id, originator_id, originator_version, topic, state "
        f"FROM {table} WHERE notification_id > %s ORDER BY notification_id LIMIT {PAGE}"
    )
    after = 0
    while page := pg.execute(select, (after,)).fetchall():
        yield page
        after = page[-1][0]


def pg_floor_b(pg: Any, table: str) -> int:
    loads, count = orjson.loads, 0
    for page in pg_pages(pg, table):
        for _, _, _, _, state in page:
            loads(state)
        count += len(page)
    return count


def pg_floor_c(pg: Any, table: str) -> int:
    sha256, count = hashlib.sha256, 0
    for page in pg_pages(pg, table):
        for _, _, _, _, state in page:
            sha256(state).digest()
        count += len(page)
    return count


# ------------------------------------------------------------------------------- measuring --


Pairs = list[tuple[float, float]]


def paired(
    rounds: int, ours: Callable[[], int], floor: Callable[[], int], events: int
) -> tuple[Pairs, list[str]]:
    """Seconds of ``ours`` and ``floor`` per round (turns, after a warm-up of each), and what
    went wrong (a side that did not read every event)."""
    wrong: list[str] = []

    def side(work: Callable[[], int]) -> Callable[[], float]:
        def run() -> float:
            seconds, count = timed(work)
            if count != events:
                wrong.append(f"read {count:,} events, not {events:,}")
            return seconds

        return run

    side(ours)(), side(floor)()
    return alternate(rounds, side(ours), side(floor)), wrong


def replay_pairs(
    app: SharedServices, floor: Callable[[], int], events: int, rounds: int
) -> tuple[Pairs, list[str]]:
    """replay vs floor B on ``app``'s store, and what went wrong."""
    models = ReadModels(app)
    read: list[int] = []

    def replay() -> int:
        read.append(models.replay())
        return read[-1]

    pairs, wrong = paired(rounds, replay, floor, events)
    problem = rebuilt(models, events, read[-1])
    return pairs, wrong + ([problem] if problem else [])


def show(label: str, pairs: Pairs, per: int, unit: str) -> float:
    """Print one ratio (median of per-round ratios of seconds: ours/baseline) and return it."""
    ratios = [a / b for a, b in pairs]
    ours_s = statistics.median(a for a, _ in pairs)
    base_s = statistics.median(b for _, b in pairs)
    ratio = statistics.median(ratios)
    if unit == "events":  # a rate: baseline seconds over ours, so that higher is better
        ratio = statistics.median(b / a for a, b in pairs)
        detail = f"{rate(per, ours_s)} vs {rate(per, base_s)}"
        rounds = ", ".join(f"{b / a:.2f}" for a, b in pairs)
    else:
        detail = f"{ours_s / per * 1e6:,.0f} us vs {base_s / per * 1e6:,.0f} us a command"
        rounds = ", ".join(f"{r:.2f}" for r in ratios)
    print(f"  {label}: {ratio:.2f} ({detail}; per round {rounds})")
    return ratio


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--commands", type=int, help="commands per side per round")
    parser.add_argument("--events", type=int, help="events in the store (default 100,000)")
    parser.add_argument("--rounds", type=int, help="alternating rounds per figure (default 5)")
    parser.add_argument(
        "--followed", type=int, help="events the projection runners follow (default 20,000)"
    )
    parser.add_argument("--quick", action="store_true", help="a smoke run of a few seconds")
    args = parser.parse_args(argv)
    problem = server_problem()
    if problem:
        print(f"benchmarks/postgres.py: skipped: {problem}")
        return 0
    commands = args.commands or (40 if args.quick else 400)
    events = args.events or (20_000 if args.quick else 100_000)
    rounds = args.rounds or (2 if args.quick else 5)
    followed = min(events, args.followed or (1_000 if args.quick else 20_000))
    started, load_before = time.perf_counter(), load_average()
    dbs = Databases()
    wrong: list[str] = []
    figures: dict[str, tuple[Pairs, int, str]] = {}
    with tempfile.TemporaryDirectory(prefix="sharedsvc-bench-pg-") as tmp:
        workdir = Path(tmp)
        try:
            pairs = commands_on_postgres(dbs.new("ours"), dbs.new("plain"), commands, rounds)
            per = max(1, commands // VARIATION_CYCLE.commands) * VARIATION_CYCLE.commands
            figures["commands pg"] = (pairs, per, "commands")
            sqlite_a = ratio_a(workdir, VARIATION_CYCLE, commands, rounds)

            built = ensure_store(workdir / "store.db", events=events)
            store_db = dbs.new("store")
            copied_s, copied = timed(lambda: copy_store(built.path, store_db))
            assert copied == events, copied

            pg_app = SharedServices.postgres(store_db)
            table = pg_app.recorder.events_table_name
            with connect(store_db) as pg:
                replay_pg, w = replay_pairs(pg_app, lambda: pg_floor_b(pg, table), events, rounds)
                wrong += w
                checkpoint = pg_app.checkpoint()
                verify_pg, w = verify_pairs(
                    pg_app, checkpoint, lambda: pg_floor_c(pg, table), events, rounds
                )
                wrong += w
            runner_pg = runner_pairs(pg_app, pg_env(store_db), followed, rounds)
            pg_app.close()
            figures["replay pg"] = (replay_pg, events, "events")
            figures["verify pg"] = (verify_pg, events, "events")

            drop_read_models(built.path)
            drop_log(built.path)
            sq_app = SharedServices.sqlite(built.path)
            sq = sqlite3.connect(built.path)
            replay_sq, w = replay_pairs(sq_app, lambda: floor_b(sq), events, rounds)
            wrong += w
            checkpoint = sq_app.checkpoint()
            verify_sq, w = verify_pairs(sq_app, checkpoint, lambda: floor_c(sq), events, rounds)
            wrong += w
            sq.close()
            sq_app.close()
            figures["replay sqlite"] = (replay_sq, events, "events")
            figures["verify sqlite"] = (verify_sq, events, "events")
            facts = machine_facts(built.path)
            with connect(store_db) as pg:
                server = pg.execute("SHOW server_version").fetchone()[0]
        finally:
            dbs.drop_all()

    print(
        f"benchmarks/postgres.py{' --quick' if args.quick else ''}: {commands} commands per "
        f"side per round, a store of {events:,} events, {rounds} rounds, sides taking turns; "
        "median of per-round ratios"
    )
    for fact in facts:
        print(f"  {fact}")
    print(f"  postgresql {server} at {HOST}:{PORT}; read models write {BATCH:,} events a batch")
    print(f"  load average (1, 5, 15 min): {load_before} before, {load_average()} after")
    print(f"  the store copied into PostgreSQL in {copied_s:.1f} s")
    print("PostgreSQL")
    ratio_pg = show("commands/plain-eventsourcing", *figures["commands pg"])
    replay_r = show("replay/floor-B (rates)", *figures["replay pg"])
    verify_r = show("verify/floor-C (rates)", *figures["verify pg"])
    runner_r = show("runner/plain-runner (rates)", runner_pg, followed, "events")
    print(
        f"    eventsourcing's ProjectionRunner following the first {followed:,} events, one "
        "transaction each: the read models' projection (sharedsvc follow) against one that "
        "only decodes and tracks each event"
    )
    print("SQLite (the same measures, same run)")
    print(
        f"  commands/plain-eventsourcing: {sqlite_a.ratio:.2f} ({sqlite_a.ours_us:,.0f} us vs "
        f"{sqlite_a.floor_us:,.0f} us a command; per round "
        f"{', '.join(f'{r:.2f}' for r in sqlite_a.ratios)})"
    )
    replay_s = show("replay/floor-B (rates)", *figures["replay sqlite"])
    verify_s = show("verify/floor-C (rates)", *figures["verify sqlite"])
    print(f"Summary ({time.perf_counter() - started:.0f} s)")
    print(
        f"  ratio commands/plain-eventsourcing: postgres {ratio_pg:.2f}, "
        f"sqlite {sqlite_a.ratio:.2f}"
    )
    print(f"  ratio replay/floor-B: postgres {replay_r:.2f}, sqlite {replay_s:.2f}")
    print(f"  ratio verify/floor-C: postgres {verify_r:.2f}, sqlite {verify_s:.2f}")
    print(f"  ratio runner/plain-runner: postgres {runner_r:.2f} (the runner is PostgreSQL's)")
    if wrong:
        print("wrong: " + "; ".join(wrong))
        return 1
    print("checked: every replay complete, every verification ok")
    return 0


def verify_pairs(
    app: SharedServices, checkpoint: Any, floor: Callable[[], int], events: int, rounds: int
) -> tuple[Pairs, list[str]]:
    """verify vs floor C on ``app``'s store; a report not ``ok`` counts as wrong."""
    reports: list[Any] = []

    def verify() -> int:
        reports.append(app.verify(against=checkpoint))
        return int(reports[-1].checked)

    pairs, wrong = paired(rounds, verify, floor, events)
    wrong += [f"a verification was not ok: {r}" for r in reports if not r.ok][:1]
    return pairs, wrong


if __name__ == "__main__":
    sys.exit(main())
