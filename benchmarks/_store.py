"""A realistic SQLite store of sharedsvc events, built in seconds and cached, for benchmarks.

Usage from a benchmark script in this directory::

    from _store import ensure_store
    built = ensure_store(path, events=1_000_000)   # reuses ``path`` if it already matches

or from the shell (builds, or reuses, then checks the store and prints what it holds)::

    python benchmarks/_store.py --events 1000000 --store /tmp/sharedsvc-bench/events-1000000.db

What the store holds
    ``events`` events (exactly) of 1,000 partnership histories -- fewer when ``events`` is under
    1,000,000: ``events // 1000`` histories of about 1,000 events each, so that a bigger store
    has more partnerships, not longer ones (pass ``partnerships=`` to choose). Each history is
    a partnership and the sovereignty handover of one of its functions: formation, variations
    proposed, positions stated, approved by every party and adopted with the concessions that
    adoption computes, variations rejected, stage changes back and forth, withdrawal notices
    served and retracted, a handover proposed, consented to and effected. The histories are
    made by sharedsvc's own verbs, so every topic, every state and every rule is the real one;
    the mean stored event is about 580 bytes, as in the figures of ``PERFORMANCE.md``.

How it is built fast
    Running the verbs for a million events would take an hour (a command costs about 0.3 ms in
    memory and more on a file). Instead a few *template* histories (``TEMPLATES`` shapes:
    different councils, numbers of parties, cost pools, service levels and mixes of moves) are
    made by the real application on an in-memory store, once. Each partnership of the store is
    a copy of one template, cut at a command boundary to its length, written with:

    - fresh ids: every UUID of the template -- the originator id of each aggregate and every
      ``uuid_hex`` inside the stored state (variation ids, the handover's partnership id, the
      partnership's handover id) -- is replaced by a fresh one per copy, consistently, so
      references between a copy's aggregates hold and no two copies share an id;
    - fresh recorded times: each command's ``timestamp`` (all events a command saved share one)
      is replaced by a time that increases along the whole log, a fixed step per command;
    - the template's legal dates, party ids, terms and texts, byte for byte.

    The copies' commands are interleaved along the log in a seeded random order (each
    partnership's own commands stay in order), as if the councils had been working side by
    side; the events of one command stay together, as one save writes them.

    The rows are written with ``executemany`` of eventsourcing's own insert statement
    (``recorder.insert_events_statement``: ``originator_id`` as the UUID's hex, version, topic,
    state) into the ``stored_events`` table that ``SharedServices.sqlite`` created, in pages of
    50,000 in one transaction each, so a row's ``rowid`` -- its notification id -- is its place
    in the log. That skips only eventsourcing's per-row ``execute`` and ``lastrowid``; the
    result is the table a live application would have written. The store holds no snapshots
    (eventsourcing then loads an aggregate from its events); a benchmark that wants them takes
    them with ``app.take_snapshot``.

Caching
    The store is built under ``path + ".building"`` and renamed to ``path`` when complete, with
    a small ``benchmark_store`` table saying what was asked for (builder version, events,
    partnerships, seed). :func:`ensure_store` reuses a file whose table matches the request and
    whose event count is right, and rebuilds it otherwise. Tables other code adds to the
    store (the integrity log) are left as they are.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import sqlite3
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

from sharedsvc import (
    CostPool,
    DecisionRef,
    Function,
    Party,
    SharedServices,
    Stage,
    Terms,
)

__all__ = ["BUILDER_VERSION", "BuiltStore", "check_store", "default_path", "ensure_store"]

BUILDER_VERSION = "1"
SEED = 20240401
PAGE = 50_000
EVENTS_PER_PARTNERSHIP = 1_000
MAX_PARTNERSHIPS = 1_000
TEMPLATES = 8
FIRST_RECORDED = datetime(2019, 4, 1, 9, 0, tzinfo=UTC)
STEP = timedelta(seconds=211)  # between commands along the log: 1M events span about 6 years

COUNCILS = (
    ("maidstone", "Maidstone Borough Council"),
    ("swale", "Swale Borough Council"),
    ("tunbridge-wells", "Tunbridge Wells Borough Council"),
    ("ashford", "Ashford Borough Council"),
    ("dover", "Dover District Council"),
    ("canterbury", "Canterbury City Council"),
    ("thanet", "Thanet District Council"),
    ("sevenoaks", "Sevenoaks District Council"),
    ("dartford", "Dartford Borough Council"),
    ("gravesham", "Gravesham Borough Council"),
    ("adur", "Adur District Council"),
    ("worthing", "Worthing Borough Council"),
)
SERVICES = (
    "Shared ICT",
    "Revenues and Benefits Partnership",
    "Legal Services",
    "Audit Partnership",
)
POOLS = ("ict", "revenues", "benefits", "legal", "hr", "audit")
BODIES = ("Joint Committee", "Shared Services Board", "Cabinet", "Full Council")
RATIONALES = (
    "Demand rose after the two service desks merged",
    "The annual review found it unaffordable",
    "Aligns the service with the corporate plan",
    "Asked for by the scrutiny committee",
)
REASONS = ("Not affordable this financial year", "Premature before the service review")
FUNCTION = Function("ict.service-desk", "ICT service desk", "back-office")


def service_level(k: int) -> str:
    return f"Service desk tickets answered within {k % 5 + 1} working days"


# ---------------------------------------------------------------------------- templates --


@dataclass(frozen=True)
class Row:
    """One stored event of a template: its aggregate (by the index of its id), version, topic,
    and its state cut around the recorded time and the ids in it."""

    aggregate: int
    version: int
    topic: str
    parts: tuple[bytes, ...]  # the state's literal pieces, between the slots
    slots: tuple[int, ...]  # for each gap: -1 for the recorded time, else a template id's index


@dataclass(frozen=True)
class Template:
    """A history made by the real application, as the commands that made it."""

    commands: tuple[tuple[Row, ...], ...]
    ids: int  # how many distinct UUIDs a copy needs


_UUID_HEX = re.compile(rb'"_type_":"uuid_hex","_data_":"([0-9a-f]{32})"')
_TIMESTAMP = re.compile(rb'^\{"timestamp":\{"_type_":"datetime_iso","_data_":"([^"]+)"\}')
_OTHER_ID = re.compile(rb"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


class _Shape:
    """The choices that make one template differ from another."""

    def __init__(self, index: int) -> None:
        rng = random.Random(SEED + index)
        chosen = rng.sample(COUNCILS, 3 + index % 2)
        self.parties = [Party(pid, name) for pid, name in chosen]
        self.ids = [pid for pid, _ in chosen]
        self.name = f"{chosen[0][1].rsplit(' ', 2)[0]} {SERVICES[index % len(SERVICES)]}"
        self.pools = rng.sample(POOLS, 2 + index // 7)
        self.body = BODIES[index % len(BODIES)]
        self.formed_on = date(2016 + index % 3, 4, 1)
        # weights of the moves: adopted variation, rejected one, stage change, notice
        self.weights = (45 + 5 * (index % 3), 8 + index % 4, 40, 4)
        self.positions = 0.25 + 0.1 * (index % 4)  # chance a variation draws a stated position
        self.rng = rng


def _record(shape: _Shape, length: int) -> tuple[SharedServices, list[tuple[int, int]]]:
    """Run a history of exactly ``length`` events (``length`` >= 3) on an in-memory app;
    returns the app and each command's (first, last) notification id. The last two commands
    are stage changes, one event each, so the history can also be cut at ``length - 1`` and
    ``length - 2`` events."""
    app = SharedServices.in_memory(IS_SNAPSHOTTING_ENABLED="n")
    rng, parties = shape.rng, shape.ids
    commands: list[tuple[int, int]] = []
    on = shape.formed_on
    k = 0

    def run(verb: str, *args: Any, **kwargs: Any) -> Any:
        before = app.recorder.max_notification_id() or 0
        result = getattr(app, verb)(*args, on=on, **kwargs)
        commands.append((before + 1, app.recorder.max_notification_id() or 0))
        return result

    def stored() -> int:
        return app.recorder.max_notification_id() or 0

    def ref() -> DecisionRef:
        return DecisionRef(shape.body, f"{shape.body[:2].upper()}/{on.year}/{k}", on)

    pools = tuple(CostPool.equal(name, parties) for name in shape.pools)
    terms = Terms(cost_pools=pools, host=parties[0], sla=service_level(0))
    pid = run("form_partnership", shape.name, parties=shape.parties, terms=terms, ref=ref())
    stage = Stage.CO_OPERATING
    handover_at = 20 + rng.randrange(30)
    handover: UUID | None = None
    cycle = 2 + len(parties) + 1  # propose, a position, every approval, the adoption
    while stored() < length - 2:
        k += 1
        on += timedelta(days=rng.choice((0, 1, 2, 3, 7, 14)))
        left = length - 2 - stored()
        if handover is None and stored() >= handover_at and left >= len(parties) + 2:
            proposer = parties[1 + k % (len(parties) - 1)]
            handover = run(
                "propose_handover", pid, function=FUNCTION, by=proposer,
                rationale=rng.choice(RATIONALES), ref=ref(),
            )  # fmt: skip
            for party in parties:
                run("consent_to_handover", handover, party=party, ref=ref())
            run("effect_handover", handover, ref=ref())
            continue
        move = rng.choices(("adopt", "reject", "stage", "notice"), shape.weights)[0]
        if move == "adopt" and left >= cycle:
            proposer = rng.choice(parties)
            vid = run(
                "propose_variation", pid, by=proposer, changes={"sla": service_level(k)},
                rationale=rng.choice(RATIONALES),
            )  # fmt: skip
            if rng.random() < shape.positions:
                other = rng.choice([p for p in parties if p != proposer])
                run("state_position", pid, vid, party=other, position={"sla": service_level(k + 1)})
            for party in rng.sample(parties, len(parties)):
                run("approve_variation", pid, vid, party=party, ref=ref())
        elif move == "reject" and left >= 2:
            proposer, rejecter = rng.sample(parties, 2)
            vid = run(
                "propose_variation", pid, by=proposer, changes={"sla": service_level(k)},
                rationale=rng.choice(RATIONALES),
            )  # fmt: skip
            run("reject_variation", pid, vid, party=rejecter, reason=rng.choice(REASONS), ref=ref())
        elif move == "notice" and left >= 2:
            party = rng.choice(parties[1:])
            run("serve_withdrawal_notice", pid, party=party, ref=ref())
            on += timedelta(days=rng.choice((7, 14, 28)))
            run("retract_withdrawal_notice", pid, party=party, ref=ref())
        else:
            stage = Stage.COORDINATING if stage is Stage.CO_OPERATING else Stage.CO_OPERATING
            run(
                "change_stage",
                pid,
                to=stage,
                by=rng.choice(parties),
                rationale=rng.choice(RATIONALES),
            )
    for _ in range(2):
        stage = Stage.COORDINATING if stage is Stage.CO_OPERATING else Stage.CO_OPERATING
        run("change_stage", pid, to=stage, by=parties[0], rationale=RATIONALES[0])
    assert stored() == length, (stored(), length)
    return app, commands


def _template(app: SharedServices, commands: list[tuple[int, int]]) -> Template:
    """The stored events of ``app``, split so that a copy can put its own ids and times in."""
    notifications = app.recorder.select_notifications(start=1, limit=commands[-1][1])
    aggregates: dict[UUID, int] = {}
    ids: dict[bytes, int] = {}
    for n in notifications:
        aggregates[n.originator_id] = ids.setdefault(n.originator_id.hex.encode(), len(ids))
        for match in _UUID_HEX.finditer(n.state):
            ids.setdefault(match.group(1), len(ids))
    rows: dict[int, Row] = {}
    for n in notifications:
        if _OTHER_ID.search(n.state):
            raise ValueError(f"{n.topic} holds a UUID outside a uuid_hex value: extend _store.py")
        stamp = _TIMESTAMP.match(n.state)
        if stamp is None:
            raise ValueError(f"{n.topic} does not begin with its timestamp: extend _store.py")
        cuts = [(stamp.start(1), stamp.end(1), -1)]
        cuts += [(m.start(1), m.end(1), ids[m.group(1)]) for m in _UUID_HEX.finditer(n.state)]
        parts, slots, at = [], [], 0
        for start, end, slot in cuts:
            parts.append(n.state[at:start])
            slots.append(slot)
            at = end
        parts.append(n.state[at:])
        rows[n.id] = Row(aggregates[n.originator_id], n.originator_version, n.topic,
                         tuple(parts), tuple(slots))  # fmt: skip
    grouped = tuple(tuple(rows[i] for i in range(first, last + 1)) for first, last in commands)
    return Template(grouped, len(ids))


def _prefix(template: Template, length: int) -> tuple[tuple[Row, ...], ...]:
    """The commands of ``template`` that make its first ``length`` events."""
    taken, total = [], 0
    for command in template.commands:
        if total + len(command) > length:
            break
        taken.append(command)
        total += len(command)
    if total != length:
        raise ValueError(f"a template cannot be cut at {length} events")
    return tuple(taken)


# ------------------------------------------------------------------------------ copying --


def _lengths(events: int, partnerships: int) -> list[int]:
    base, extra = divmod(events, partnerships)
    return [base + (1 if i < extra else 0) for i in range(partnerships)]


def _rows(
    templates: Sequence[Template], lengths: Sequence[int], rng: random.Random
) -> Iterator[tuple[str, int, str, bytes]]:
    """The stored events of the whole store, in log order: (id hex, version, topic, state)."""
    histories = [_prefix(templates[i % len(templates)], n) for i, n in enumerate(lengths)]
    ids: dict[int, tuple[list[str], list[bytes]]] = {}  # a copy's fresh ids, as text and bytes
    order = [i for i, history in enumerate(histories) for _ in history]
    rng.shuffle(order)
    cursor = [0] * len(histories)
    when = FIRST_RECORDED
    for i in order:
        if i not in ids:
            fresh = [uuid4().hex for _ in range(templates[i % len(templates)].ids)]
            ids[i] = (fresh, [h.encode() for h in fresh])
        fresh, encoded = ids[i]
        command = histories[i][cursor[i]]
        cursor[i] += 1
        when += STEP
        stamp = when.isoformat(timespec="microseconds").encode()
        for row in command:
            parts, slots = row.parts, row.slots
            pieces = [parts[0]]
            for slot, part in zip(slots, parts[1:], strict=True):
                pieces.append(stamp if slot < 0 else encoded[slot])
                pieces.append(part)
            yield fresh[row.aggregate], row.version, row.topic, b"".join(pieces)


# ---------------------------------------------------------------------------- the store --


@dataclass(frozen=True)
class BuiltStore:
    """A store ready to read: where, what it holds, and what building it cost."""

    path: Path
    events: int
    partnerships: int
    seconds: float  # to build it; 0.0 when a cached file was reused
    reused: bool


def default_path(events: int) -> Path:
    """Where a store of ``events`` events is cached unless a benchmark is told otherwise."""
    return Path(os.environ.get("TMPDIR", "/tmp")) / "sharedsvc-bench" / f"events-{events}.db"


def default_partnerships(events: int) -> int:
    return max(1, min(MAX_PARTNERSHIPS, events // EVENTS_PER_PARTNERSHIP))


def _wanted(events: int, partnerships: int) -> dict[str, str]:
    return {
        "builder": BUILDER_VERSION,
        "events": str(events),
        "partnerships": str(partnerships),
        "seed": str(SEED),
    }


def _matches(path: Path, wanted: dict[str, str]) -> bool:
    if not path.exists():
        return False
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
            found = dict(db.execute("SELECT key, value FROM benchmark_store").fetchall())
            count = db.execute("SELECT COUNT(*) FROM stored_events").fetchone()[0]
        db.close()
    except sqlite3.Error:
        return False
    return found == wanted and str(count) == wanted["events"]


def ensure_store(
    path: str | os.PathLike[str] | None = None,
    *,
    events: int,
    partnerships: int | None = None,
    log: Any = None,
) -> BuiltStore:
    """The store of ``events`` events at ``path``: reused when it matches, else built."""
    partnerships = partnerships or default_partnerships(events)
    target = Path(path) if path is not None else default_path(events)
    wanted = _wanted(events, partnerships)
    if _matches(target, wanted):
        return BuiltStore(target, events, partnerships, 0.0, reused=True)
    if events < 3 * partnerships:
        raise ValueError(f"{events} events are too few for {partnerships} partnerships (3 each)")
    started = time.perf_counter()
    target.parent.mkdir(parents=True, exist_ok=True)
    building = target.with_name(target.name + ".building")
    for stale in (building, *(Path(f"{building}{end}") for end in ("-wal", "-shm"))):
        stale.unlink(missing_ok=True)
    lengths = _lengths(events, partnerships)
    if log:
        log(f"building {events:,} events of {partnerships:,} partnerships at {target} ...")
    templates = [_template(*_record(_Shape(t), max(lengths))) for t in range(TEMPLATES)]
    app = SharedServices.sqlite(building)  # creates eventsourcing's tables, in WAL mode
    insert = app.recorder.insert_events_statement
    app.close()
    db = sqlite3.connect(building, isolation_level=None)
    db.execute("PRAGMA synchronous=OFF")
    rows = _rows(templates, lengths, random.Random(SEED))
    while True:
        page = [row for _, row in zip(range(PAGE), rows, strict=False)]
        if not page:
            break
        db.execute("BEGIN")
        db.executemany(insert, page)
        db.execute("COMMIT")
    db.execute("CREATE TABLE benchmark_store (key TEXT PRIMARY KEY, value TEXT)")
    db.executemany("INSERT INTO benchmark_store VALUES (?, ?)", wanted.items())
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    for end in ("-wal", "-shm"):
        Path(f"{target}{end}").unlink(missing_ok=True)
    building.replace(target)
    return BuiltStore(target, events, partnerships, time.perf_counter() - started, reused=False)


def check_store(path: str | os.PathLike[str], *, sample: int = 3) -> list[str]:
    """Open the store with ``SharedServices.sqlite`` and load ``sample`` partnerships (the
    first, the last, and between) and their handovers; returns a line about each. Raises if
    one cannot be loaded or does not hold as many events as its version says."""
    app = SharedServices.sqlite(path)
    try:
        pids = list(app.partnership_ids())
        picks = (round(i * (len(pids) - 1) / max(1, sample - 1)) for i in range(sample))
        chosen = list(dict.fromkeys(pids[i] for i in picks))
        lines = []
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
            for pid in chosen:
                view = app.partnership(pid)
                stored = db.execute(
                    "SELECT COUNT(*) FROM stored_events WHERE originator_id = ?", (pid.hex,)
                ).fetchone()[0]
                if stored != view.version:
                    raise AssertionError(f"{pid}: version {view.version}, {stored} events stored")
                handovers = [app.handover(p.handover_id) for p in view.pooled_functions]
                lines.append(
                    f"{view.name!r}: {len(view.parties)} parties, {view.stage.value}, "
                    f"version {view.version}, {len(app.variations(pid))} variations, "
                    f"handovers: {', '.join(h.status for h in handovers) or 'none'}"
                )
        db.close()
        return lines
    finally:
        app.close()


def describe(path: str | os.PathLike[str]) -> list[str]:
    """What the store holds: events, aggregates, mean stored size, the mix of topics."""
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
        count, aggregates, mean = db.execute(
            "SELECT COUNT(*), COUNT(DISTINCT originator_id), AVG(LENGTH(state)) FROM stored_events"
        ).fetchone()
        topics = db.execute(
            "SELECT topic, COUNT(*) FROM stored_events GROUP BY topic ORDER BY COUNT(*) DESC"
        ).fetchall()
    db.close()
    mix = ", ".join(f"{topic.split(':', 1)[-1]} {n / count:.1%}" for topic, n in topics)
    return [
        f"{count:,} events of {aggregates:,} aggregates, mean stored state {mean:.0f} B",
        f"topics: {mix}",
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--partnerships", type=int)
    parser.add_argument("--store", type=Path, help="the file (default: under $TMPDIR)")
    args = parser.parse_args(argv)
    built = ensure_store(args.store, events=args.events, partnerships=args.partnerships, log=print)
    how = "reused" if built.reused else f"built in {built.seconds:.1f} s"
    print(f"{built.path}: {how}")
    for line in describe(built.path) + check_store(built.path):
        print(f"  {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
