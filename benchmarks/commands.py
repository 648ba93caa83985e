"""What one SharedServices command costs, against floors timed in the same run.

Run from the repository root with the library installed::

    python benchmarks/commands.py [--commands N] [--rounds R] [--quick]

Two ratios with a target, and two for information, each taken on fresh SQLite files
(eventsourcing's default for a file: WAL mode) in a temporary directory:

Ratio A -- commands / plain eventsourcing.
    N commands on one partnership through ``SharedServices.sqlite(path)``, against N saves of a
    plain ``eventsourcing`` aggregate through a plain ``Application`` that has the same cache
    settings (maximum size, fast-forward, deep copy from the cache) and the same persistence
    module. Each plain command is ``repository.get`` -> one method -> ``save``. The measured
    command mix is a variation cycle: one party proposes a variation, then each of the three
    parties approves it, and the third approval adopts it (4 commands, 5 events). The plain
    aggregate records the same events one for one, with payloads of about the same size (the
    script prints both means, read back from the stores). Its state is only what its own
    checks need, so it is the cheapest honest floor. It takes no snapshots (plain eventsourcing's
    default), so SharedServices' snapshotting counts as SharedServices' cost. A ratio for
    ``change_stage`` commands is printed for information.

Ratio B -- command on 10,000 events of history / command on 10.
    The same variation cycle on a partnership whose history holds 10,000 events and on one
    that holds 10 (a fresh one each round). The history is made by the domain's own commands
    (19 variation cycles and 5 stage changes in every 100 events), saved 100 events at a time
    with snapshotting switched off to build it quickly; then the snapshot that a live
    application would hold at version 10,000 is taken. From there on snapshots are taken as
    usual (every 100 events), and each measured batch spans whole snapshot intervals, so both
    partnerships take the same number of snapshots. The script also times a fresh
    application (cold cache) loading each partnership once: a cold load at 10,000 events
    against one at 10 has a target of at most 1.5 (issue 15; the snapshot must not grow
    with closed business).

Within each round the two sides take turns unit by unit (one variation cycle or one stage
change of A, then of B, then B, then A ...), each timed on its own; each figure is the median of
the per-round ratios, so that noise on a shared machine falls on both sides alike and cancels.
"""

from __future__ import annotations

import argparse
import gc
import os
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

from _measure import alternate, load_average, machine_facts
from eventsourcing.application import Application
from eventsourcing.domain import Aggregate, event
from eventsourcing.persistence import JSONTranscoder, Transcoding

from sharedsvc import CostPool, DecisionRef, Party, SharedServices, Stage, Terms
from sharedsvc.application import project_events

TARGET = 1.3
COLD_TARGET = 1.5  # a cold load on a long history against one on a short (issue 15)
PARTY_IDS = ("north-kent", "south-downs", "east-vale")
ON = date(2024, 4, 1)
REF = DecisionRef("Joint Committee", "JC/2024/17", ON)
RATIONALE = "Demand rose after the two service desks merged"
STAGES = (Stage.COORDINATING, Stage.CO_OPERATING)  # a fresh partnership is co-operating
SNAPSHOT_EVERY = 100
SMALL_HISTORY = 10


def service_level(k: int) -> str:
    return f"Service desk tickets answered within {k % 5 + 1} working days"


# -------------------------------------------------------------------------- sharedsvc side --


def form(app: SharedServices) -> UUID:
    parties = [Party(pid, pid.replace("-", " ").title() + " Council") for pid in PARTY_IDS]
    pools = (CostPool.equal("ict", PARTY_IDS), CostPool.equal("finance", PARTY_IDS))
    terms = Terms(cost_pools=pools, host=PARTY_IDS[0], sla=service_level(1))
    return app.form_partnership("Kent Shared ICT", parties=parties, terms=terms, on=ON)


def ours_variation_cycle(app: SharedServices, pid: UUID, k: int) -> None:
    vid = app.propose_variation(
        pid, by=PARTY_IDS[k % 3], changes={"sla": service_level(k)}, rationale=RATIONALE, on=ON
    )
    for party in PARTY_IDS:
        app.approve_variation(pid, vid, party=party, ref=REF, on=ON)


def cycles(app: SharedServices, pid: UUID, offset: int) -> Callable[[int], None]:
    """Variation cycle number ``offset + k`` on ``pid``, as a function of ``k``."""
    return lambda k: ours_variation_cycle(app, pid, offset + k)


def ours_stage_change(app: SharedServices, pid: UUID, k: int) -> None:
    app.change_stage(pid, to=STAGES[k % 2], by=PARTY_IDS[k % 3], rationale=RATIONALE, on=ON)


def build_history(path: Path, events: int) -> UUID:
    """A partnership whose history holds exactly ``events`` events, made by its own commands."""
    app = SharedServices.sqlite(path, IS_SNAPSHOTTING_ENABLED="n")
    pid = form(app)
    partnership: Any = app.repository.get(pid, projector_func=project_events)
    k = 0
    while partnership.version < events:
        if partnership.version + 5 <= events and k % 24 < 19:
            vid = partnership.propose_variation(
                by=PARTY_IDS[k % 3], changes={"sla": service_level(k)}, rationale=RATIONALE, on=ON
            )
            for party in PARTY_IDS:
                partnership.approve_variation(vid, party=party, ref=REF, on=ON)
        else:
            to = Stage.CO_OPERATING if partnership.stage is Stage.COORDINATING else STAGES[0]
            partnership.change_stage(to=to, by=PARTY_IDS[k % 3], rationale=RATIONALE, on=ON)
        k += 1
        if len(partnership.pending_events) >= SNAPSHOT_EVERY or partnership.version >= events:
            app.save(partnership)
    app.close()
    if events % SNAPSHOT_EVERY == 0:  # the snapshot a live application would have taken
        app = SharedServices.sqlite(path)
        app.take_snapshot(pid, version=events, projector_func=project_events)
        app.close()
    return pid


# ------------------------------------------------------------------------------ plain side --


class DateAsISO(Transcoding):
    """A date as ``YYYY-MM-DD``: what a plain eventsourcing application registers for dates."""

    type = date
    name = "date_iso"

    def encode(self, obj: date) -> str:
        return obj.isoformat()

    def decode(self, data: str) -> date:
        return date.fromisoformat(data)


class PlainApplication(Application[UUID]):
    """eventsourcing's Application with a transcoding for dates, as its docs show."""

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        transcoder.register(DateAsISO())


PLAIN_REF = {"body": REF.body, "reference": REF.reference, "decided_on": REF.decided_on}

# sharedsvc's stored events tag each typed value ({"_type_": "sharedsvc.Variation", ...}); the
# plain events hold the same values as plain JSON. So that both sides store about the same
# bytes, each plain event carries a ``minute`` of the length of the tags it lacks.
_MINUTES = "Minuted by the Joint Committee, meeting of 1 April 2024, item 7. " * 8
MINUTE = {"proposed": _MINUTES[:140], "approved": _MINUTES[:34], "adopted": _MINUTES[:340],
          "stage": _MINUTES[:66]}  # fmt: skip


def plain_terms(sla: str) -> dict[str, Any]:
    third = {pid: Decimal("33.33") for pid in PARTY_IDS} | {PARTY_IDS[0]: Decimal("33.34")}
    return {
        "cost_pools": [
            {"name": name, "basis": "equal", "shares": dict(third)} for name in ("ict", "finance")
        ],
        "scope": [],
        "notice": {"months": 6, "aligned_to_year_end": True, "year_end": [3, 31]},
        "governance": "joint-committee",
        "casting_vote": False,
        "host": PARTY_IDS[0],
        "sla": sla,
    }


class PlainAgreement(Aggregate):
    """The floor: the same events as a partnership's, on a plain eventsourcing aggregate that
    keeps only what its own checks need and copies itself with the default ``deepcopy``."""

    @event("Formed")
    def __init__(self, name: str, parties: list[dict[str, Any]], terms: dict[str, Any], on: date):
        self.stage = "co-operating"
        self.sla = terms["sla"]
        self.open_variation: UUID | None = None
        self.proposed_sla: str | None = None
        self.approvals: list[str] = []

    def propose(self, *, by: str, sla: str, rationale: str, on: date) -> UUID:
        variation_id = uuid4()
        variation: dict[str, Any] = {
            "id": variation_id, "proposed_by": by, "proposed_on": on, "changes": {"sla": sla},
            "admit": [], "dissolve": False, "final_account": None, "rationale": rationale,
            "effective": None, "ref": None, "positions": {}, "approvals": {}, "status": "open",
            "closed_on": None, "rejected_by": None, "reason": None, "concessions": [],
            "approved_by": [],
        }  # fmt: skip
        self._proposed(variation=variation, on=on, minute=MINUTE["proposed"])
        return variation_id

    @event("VariationProposed")
    def _proposed(self, variation: dict[str, Any], on: date, minute: str) -> None:
        self.open_variation = variation["id"]
        self.proposed_sla = variation["changes"]["sla"]
        self.approvals = []

    def approve(self, variation_id: UUID, *, party: str, ref: dict[str, Any], on: date) -> bool:
        if variation_id != self.open_variation or party in self.approvals:
            raise ValueError(f"{party} cannot approve {variation_id}")
        self._approved(
            variation_id=variation_id, party=party, ref=ref, on=on, minute=MINUTE["approved"]
        )
        if len(self.approvals) < len(PARTY_IDS):
            return False
        self._adopted(
            variation_id=variation_id, terms=plain_terms(self.proposed_sla or ""),
            effective=on, concessions=[], approved_by=list(PARTY_IDS), on=on,
            minute=MINUTE["adopted"],
        )  # fmt: skip
        return True

    @event("VariationApproved")
    def _approved(
        self, variation_id: UUID, party: str, ref: dict[str, Any], on: date, minute: str
    ) -> None:
        self.approvals.append(party)

    @event("VariationAdopted")
    def _adopted(
        self, variation_id: UUID, terms: dict[str, Any], effective: date,
        concessions: list[Any], approved_by: list[str], on: date, minute: str,
    ) -> None:  # fmt: skip
        self.sla = terms["sla"]
        self.open_variation = None

    def change_stage(self, *, to: str, by: str, rationale: str, on: date) -> None:
        if to == self.stage:
            raise ValueError(f"already {to}")
        self._stage_changed(
            from_stage=self.stage, to=to,
            by=by, rationale=rationale, ref=None, on=on, minute=MINUTE["stage"],
        )  # fmt: skip

    @event("StageChanged")
    def _stage_changed(
        self, from_stage: str, to: str, by: str, rationale: str, ref: Any, on: date, minute: str
    ) -> None:
        self.stage = to


def plain_application(path: Path, like: SharedServices) -> PlainApplication:
    """A plain Application on ``path`` with the cache settings ``like`` actually runs with."""
    env = {
        "PERSISTENCE_MODULE": like.env.get("PERSISTENCE_MODULE") or "eventsourcing.sqlite",
        "SQLITE_DBNAME": os.fspath(path),
        **cache_settings(like),
    }
    return PlainApplication(env=env)


def cache_settings(like: SharedServices) -> dict[str, str]:
    """The aggregate cache settings ``like`` actually runs with, as environment variables."""
    repository = like.repository
    env = {
        "AGGREGATE_CACHE_FASTFORWARD": "y" if repository.fastforward else "n",
        "AGGREGATE_CACHE_FASTFORWARD_SKIPPING": "y" if repository.fastforward_skipping else "n",
        "DEEPCOPY_FROM_AGGREGATE_CACHE": "y" if repository.deepcopy_from_cache else "n",
    }
    if repository.cache is not None:
        env["AGGREGATE_CACHE_MAXSIZE"] = str(getattr(repository.cache, "maxsize", 0))
    return env


def plain_form(app: Application[UUID]) -> UUID:
    parties = [{"id": pid, "name": pid.replace("-", " ").title() + " Council"} for pid in PARTY_IDS]
    agreement = PlainAgreement("Kent Shared ICT", parties, plain_terms(service_level(1)), ON)
    app.save(agreement)
    return agreement.id


def plain_variation_cycle(app: Application[UUID], aid: UUID, k: int) -> None:
    agreement: PlainAgreement = app.repository.get(aid)
    vid = agreement.propose(by=PARTY_IDS[k % 3], sla=service_level(k), rationale=RATIONALE, on=ON)
    app.save(agreement)
    for party in PARTY_IDS:
        agreement = app.repository.get(aid)
        agreement.approve(vid, party=party, ref=PLAIN_REF, on=ON)
        app.save(agreement)


def plain_stage_change(app: Application[UUID], aid: UUID, k: int) -> None:
    agreement: PlainAgreement = app.repository.get(aid)
    agreement.change_stage(to=STAGES[k % 2].value, by=PARTY_IDS[k % 3], rationale=RATIONALE, on=ON)
    app.save(agreement)


# ------------------------------------------------------------------------------- measuring --


@dataclass
class Workload:
    name: str
    ours: Callable[[SharedServices, UUID, int], None]
    plain: Callable[[Application[UUID], UUID, int], None]
    commands: int  # per unit of work
    events: int  # per unit of work


VARIATION_CYCLE = Workload(
    "variation cycle (propose + 3 approvals, the last adopts)",
    ours_variation_cycle, plain_variation_cycle, commands=4, events=5,
)  # fmt: skip
STAGE_CHANGE = Workload(
    "change_stage (alternating two stages)", ours_stage_change, plain_stage_change, 1, 1
)


def timed(work: Callable[[], object]) -> float:
    """Seconds that ``work()`` takes, after a collection so that none is left pending."""
    gc.collect()
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def interleaved(
    units: int, first: Callable[[int], None], second: Callable[[int], None]
) -> tuple[float, float]:
    """Total seconds of ``first(k)`` and of ``second(k)`` for each ``k`` below ``units``, taken
    in turns (AB, BA, AB, ...) so that a change in the machine's load falls on both alike."""
    gc.collect()
    clock = time.perf_counter
    a = b = 0.0
    for k in range(units):
        if k % 2 == 0:
            t0 = clock()
            first(k)
            t1 = clock()
            second(k)
            t2 = clock()
            a, b = a + (t1 - t0), b + (t2 - t1)
        else:
            t0 = clock()
            second(k)
            t1 = clock()
            first(k)
            t2 = clock()
            a, b = a + (t2 - t1), b + (t1 - t0)
    return a, b


def stored_sizes(path: Path) -> tuple[int, float, float]:
    """(events after each aggregate's first, their mean stored state size, mean snapshot size)."""
    with sqlite3.connect(path) as db:
        count, mean = db.execute(
            "SELECT COUNT(*), AVG(LENGTH(state)) FROM stored_events WHERE originator_version > 1"
        ).fetchone()
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master")}
        snapshot = 0.0
        if "stored_snapshots" in tables:
            snapshot = db.execute("SELECT AVG(LENGTH(state)) FROM stored_snapshots").fetchone()[0]
    db.close()
    return count, mean or 0.0, snapshot or 0.0


@dataclass
class Result:
    label: str
    ratio: float
    ours_us: float
    floor_us: float
    ratios: list[float]
    notes: list[str]


def ratio_a(workdir: Path, workload: Workload, commands: int, rounds: int) -> Result:
    tag = "a-" + workload.name.split()[0]
    ours = SharedServices.sqlite(workdir / f"{tag}-sharedsvc.db")
    plain = plain_application(workdir / f"{tag}-plain.db", ours)
    units = max(1, commands // workload.commands)
    done = 0

    def one_round(units: int) -> tuple[float, float]:
        """Fresh aggregates on both sides, loaded into the caches untimed, then timed."""
        nonlocal done
        pid, aid = form(ours), plain_form(plain)
        ours.repository.get(pid, projector_func=project_events)
        plain.repository.get(aid)
        done += units * workload.commands
        return interleaved(
            units,
            lambda k: workload.ours(ours, pid, k),
            lambda k: workload.plain(plain, aid, k),
        )

    one_round(min(units, 20))  # warm up: imports, statement caches, page cache
    pairs = [one_round(units) for _ in range(rounds)]
    ours.close()
    plain.close()

    n_ours, size_ours, snap_ours = stored_sizes(workdir / f"{tag}-sharedsvc.db")
    n_plain, size_plain, _ = stored_sizes(workdir / f"{tag}-plain.db")
    ratios = [a / b for a, b in pairs]
    per = units * workload.commands
    return Result(
        f"commands/plain-eventsourcing [{workload.name}]",
        statistics.median(ratios),
        statistics.median(a for a, _ in pairs) / per * 1e6,
        statistics.median(b for _, b in pairs) / per * 1e6,
        ratios,
        [
            f"{per} commands per side per round ({units} x {workload.commands}), "
            f"{workload.events / workload.commands:.2f} events per command",
            f"events stored after creation: sharedsvc {n_ours} "
            f"({n_ours / done:.2f}/command), plain {n_plain} ({n_plain / done:.2f}/command)",
            f"mean stored event size: sharedsvc {size_ours:.0f} B, plain {size_plain:.0f} B "
            f"(ratio {size_ours / size_plain:.2f})",
            f"sharedsvc snapshots (every {SNAPSHOT_EVERY} events): mean {snap_ours:,.0f} B; "
            "plain takes none",
        ],
    )


def ratio_b(workdir: Path, history: int, batch: int, rounds: int) -> tuple[Result, Result]:
    big_path, small_path = workdir / "b-big.db", workdir / "b-small.db"
    started = time.perf_counter()
    big_pid = build_history(big_path, history)
    built = time.perf_counter() - started
    small_pids = [build_history(small_path, SMALL_HISTORY) for _ in range(rounds + 2)]
    cold_small_pid, warm_up_pid, small_pids = small_pids[0], small_pids[1], small_pids[2:]

    # Cold loads first, while the big partnership is exactly ``history`` events long.
    def cold(path: Path, pid: UUID) -> Callable[[], float]:
        def load() -> float:
            app = SharedServices.sqlite(path)
            app.recorder.max_notification_id()  # open the connection, untimed
            seconds = timed(lambda: app.repository.get(pid, projector_func=project_events))
            app.close()
            return seconds

        return load

    cold(big_path, big_pid)(), cold(small_path, cold_small_pid)()
    cold_pairs = alternate(rounds, cold(big_path, big_pid), cold(small_path, cold_small_pid))

    big = SharedServices.sqlite(big_path)
    small = SharedServices.sqlite(small_path)
    units = max(1, batch // VARIATION_CYCLE.commands)
    ours_variation_cycle(big, big_pid, 0)  # into the cache; warms the connection
    ours_variation_cycle(small, warm_up_pid, 0)
    pairs = []
    for r in range(rounds):
        pid, offset = small_pids[r], 1 + r * units  # a fresh short history each round
        small.repository.get(pid, projector_func=project_events)  # into the cache, untimed
        pairs.append(interleaved(units, cycles(big, big_pid, offset), cycles(small, pid, 0)))
    big.close()
    small.close()

    per = units * VARIATION_CYCLE.commands
    ratios = [a / b for a, b in pairs]
    _, _, snap_big = stored_sizes(big_path)
    with sqlite3.connect(big_path) as db:
        kinds = db.execute(
            "SELECT topic, COUNT(*) FROM stored_events WHERE originator_id = ? "
            "AND originator_version <= ? GROUP BY topic ORDER BY COUNT(*) DESC",
            (big_pid.hex, history),
        ).fetchall()
    db.close()
    mix = ", ".join(f"{n} {topic.rsplit('.', 1)[-1]}" for topic, n in kinds)
    command = Result(
        f"command@{history}/command@{SMALL_HISTORY}",
        statistics.median(ratios),
        statistics.median(a for a, _ in pairs) / per * 1e6,
        statistics.median(b for _, b in pairs) / per * 1e6,
        ratios,
        [
            f"command: {VARIATION_CYCLE.name}; {per} commands "
            f"({per * VARIATION_CYCLE.events // VARIATION_CYCLE.commands} events) per side per "
            "round, so each batch takes the same number of snapshots on both sides",
            f"the {history}-event history ({built:.1f} s to build): {mix}",
            f"the {SMALL_HISTORY}-event partnership is a fresh one each round",
            f"mean snapshot size in the big store: {snap_big:,.0f} B",
        ],
    )
    cold_ratios = [a / b for a, b in cold_pairs]
    load = Result(
        f"cold load@{history}/cold load@{SMALL_HISTORY}",
        statistics.median(cold_ratios),
        statistics.median(a for a, _ in cold_pairs) * 1e6,
        statistics.median(b for _, b in cold_pairs) * 1e6,
        cold_ratios,
        ["a fresh application's first repository.get (latest snapshot + later events)"],
    )
    return command, load


# ---------------------------------------------------------------------------------- report --


def show(result: Result, *, absolute: tuple[str, str]) -> None:
    print(f"  {result.label}: {result.ratio:.2f}")
    print(
        f"    median per {absolute[0]}: {result.ours_us:,.0f} us vs {result.floor_us:,.0f} us "
        f"({absolute[1]})"
    )
    print(f"    per-round ratios: {', '.join(f'{r:.2f}' for r in result.ratios)}")
    for note in result.notes:
        print(f"    {note}")


def verdict(ratio: float) -> str:
    return f"(target <= {TARGET}: {'met' if ratio <= TARGET else 'MISSED'})"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--commands", type=int, help="commands per side per round (ratio A)")
    parser.add_argument("--rounds", type=int, help="alternating rounds per figure")
    parser.add_argument("--history", type=int, default=10_000, help="events in the long history")
    parser.add_argument("--quick", action="store_true", help="a smoke run of a few seconds")
    args = parser.parse_args(argv)
    commands = args.commands or (80 if args.quick else 800)
    rounds = args.rounds or (3 if args.quick else 9)
    batch = 80 if args.quick else 160  # ratio B: 100 or 200 events, whole snapshot intervals

    started, load_before = time.perf_counter(), load_average()
    with tempfile.TemporaryDirectory(prefix="sharedsvc-bench-") as tmp:
        workdir = Path(tmp)
        a_main = ratio_a(workdir, VARIATION_CYCLE, commands, rounds)
        a_stage = ratio_a(workdir, STAGE_CHANGE, commands, rounds)
        b_command, b_load = ratio_b(workdir, args.history, batch, rounds)
        facts = machine_facts(workdir / "a-variation-sharedsvc.db")

    print(
        f"benchmarks/commands.py{' --quick' if args.quick else ''}: N={commands} commands "
        f"per side per round, {rounds} rounds, sides taking turns unit by unit; median of rounds"
    )
    for fact in facts:
        print(f"  {fact}")
    print(f"  load average (1, 5, 15 min): {load_before} before, {load_average()} after")
    print("Ratio A: SharedServices commands vs plain eventsourcing with the same cache settings")
    show(a_main, absolute=("command", "sharedsvc vs plain"))
    show(a_stage, absolute=("command", "sharedsvc vs plain; for information"))
    print("Ratio B: the same command on a long history vs a short one")
    show(b_command, absolute=("command", f"@{args.history} vs @{SMALL_HISTORY}"))
    show(b_load, absolute=("load", f"@{args.history} vs @{SMALL_HISTORY}"))
    print(f"Summary ({time.perf_counter() - started:.0f} s)")
    print(f"  ratio commands/plain-eventsourcing: {a_main.ratio:.2f} {verdict(a_main.ratio)}")
    print(
        f"  ratio command@{args.history}/command@{SMALL_HISTORY}: {b_command.ratio:.2f} "
        f"{verdict(b_command.ratio)}"
    )
    print(f"  ratio change_stage/plain-eventsourcing: {a_stage.ratio:.2f} (information)")
    cold_met = "met" if b_load.ratio <= COLD_TARGET else "MISSED"
    print(
        f"  ratio cold-load@{args.history}/cold-load@{SMALL_HISTORY}: {b_load.ratio:.2f} "
        f"(target <= {COLD_TARGET}, issue 15: {cold_met})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
