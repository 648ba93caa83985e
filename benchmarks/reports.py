"""The audit report and timeline of a long, busy partnership, against reading its record.

Run from the repository root with the library and its ``timeline`` extra installed::

    python benchmarks/reports.py [--events N] [--rounds R] [--quick] [--store PATH]

A partnership of four councils records about N events (default 1,000) through the public API
in a SQLite file: variations of the service level and of the cost pools (proposed, with
positions, approved and adopted, or rejected), stage changes, withdrawal notices served and
retracted, readiness assessments, targets and their outcomes, outside events noted, disputes
raised, escalated and settled, handovers proposed, consented to, effected and recalled. Each
round, on a fresh application over the file, times the baseline -- reading the partnership's
own events and its audit trail, what any report must read -- and then gathering the report
(`sharedsvc.reports.gather`), writing it as Markdown and as HTML, and drawing the timeline as
PNG and SVG, the two sides taking turns (AB, BA, ...) after an untimed warm-up. The script
prints the median seconds of each step and the ratio of the whole audit (gather + HTML) and
of the timeline (gather + PNG) to the baseline. The target: both in a few seconds on a
2-core machine. Exit code 0 either way.
"""

from __future__ import annotations

import argparse
import io
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from importlib.metadata import version as package_version
from pathlib import Path
from typing import Any
from uuid import UUID

from sharedsvc import CostPool, Function, Money, Party, SharedServices, Stage, Terms
from sharedsvc.reports import gather, render_html, render_markdown
from sharedsvc.reports.timeline import draw_timeline

COUNCILS = ("maidstone", "swale", "ashford", "dover")
AREAS = ("trust", "power-sharing", "business-buy-in", "political-backing")


def record_busy_history(app: SharedServices, events: int, seed: int = 15) -> UUID:
    """A partnership of four councils with about ``events`` events of every kind of business
    (see the module's docstring), one act every few days from 2012."""
    rng = random.Random(seed)
    on = date(2012, 4, 2)
    pools = (CostPool.equal("ict", COUNCILS), CostPool.equal("revenues", COUNCILS))
    pid = app.form_partnership(
        "Mid Kent Shared Services",
        parties=[Party(c, f"{c.title()} Borough Council") for c in COUNCILS],
        terms=Terms(cost_pools=pools, host="maidstone", sla="level 0"),
        on=on,
    )
    stage, k, targets = Stage.CO_OPERATING, 0, []
    functions, pooled = 0, []

    def count() -> int:
        return app.partnership(pid).version

    moves = ("sla", "pools", "reject", "stage", "notice", "assess", "target", "note")
    weights = (30, 4, 6, 12, 3, 8, 4, 3)
    while count() < events:
        k += 1
        on += timedelta(days=rng.choice((1, 2, 3, 7, 14)))
        if k % 60 == 0:
            raiser, other = rng.sample(COUNCILS, 2)
            did = app.raise_dispute(pid, by=raiser, against=[other], subject=f"recharge {k}", on=on)
            app.escalate_dispute(did, by=raiser, reason="no agreement", on=on + timedelta(days=3))
            app.propose_settlement(did, by=other, terms={"refund": f"{k}"}, on=on + timedelta(4))
            on += timedelta(days=5)
            for party in (raiser, other):
                app.accept_settlement(did, party=party, on=on)
            continue
        if k % 90 == 45:
            functions += 1
            if pooled:  # the one before goes back in house
                held = pooled.pop()
                app.recall_handover(held, by=app.handover(held).from_party, reason="back", on=on)
            hid = app.propose_handover(
                pid,
                function=Function(f"ict.f{functions}", f"Function {functions}", "back-office"),
                by=rng.choice(COUNCILS),
                on=on,
            )
            for party in COUNCILS:
                app.consent_to_handover(hid, party=party, on=on)
            on += timedelta(days=30)
            app.effect_handover(hid, on=on)
            if functions % 2 == 0:
                pooled.append(hid)
            continue
        move = rng.choices(moves, weights)[0]
        if move in ("sla", "pools", "reject"):
            proposer = rng.choice(COUNCILS)
            if move == "pools":
                shares = [25, 25, 25, 25]
                shares[k % 4] += 10
                shares[(k + 1) % 4] -= 10
                changes: dict[str, Any] = {
                    "cost_pools": (
                        CostPool("ict", pools[0].basis, dict(zip(COUNCILS, shares, strict=True))),
                        pools[1],
                    )
                }
            else:
                changes = {"sla": f"level {k}"}
            vid = app.propose_variation(
                pid, by=proposer, changes=changes, rationale=f"review {k}", on=on
            )
            if rng.random() < 0.3:
                other = rng.choice([c for c in COUNCILS if c != proposer])
                app.state_position(pid, vid, party=other, position={"sla": f"level {k}+"}, on=on)
            if move == "reject":
                app.reject_variation(pid, vid, party=rng.choice(COUNCILS), reason="not now", on=on)
            else:
                for party in rng.sample(COUNCILS, len(COUNCILS)):
                    app.approve_variation(pid, vid, party=party, on=on)
        elif move == "stage":
            stage = Stage.COORDINATING if stage is Stage.CO_OPERATING else Stage.CO_OPERATING
            app.change_stage(pid, to=stage, by=rng.choice(COUNCILS), rationale=f"step {k}", on=on)
        elif move == "notice":
            party = rng.choice(COUNCILS[1:])
            app.serve_withdrawal_notice(pid, party=party, on=on)
            on += timedelta(days=10)
            app.retract_withdrawal_notice(pid, party=party, on=on)
        elif move == "assess":
            party = rng.choice(COUNCILS)
            app.assess_readiness(
                pid, party=party, scores={a: rng.randint(1, 5) for a in AREAS}, on=on
            )
        elif move == "target":
            if targets and rng.random() < 0.5:
                app.record_outcome(
                    pid,
                    target=targets.pop(0),
                    amount=Money(f"{rng.randint(1, 9)}00000"),
                    by="maidstone",
                    on=on,
                )
            else:
                targets.append(
                    app.set_target(
                        pid,
                        kind="savings",
                        amount=Money("500000"),
                        due=on + timedelta(days=365),
                        by="maidstone",
                        on=on,
                    )
                )
        else:
            app.note(pid, kind="audit", text=f"internal audit finding {k}", by="swale", on=on)
    return pid


def seconds(step: Callable[[], Any]) -> float:
    began = time.perf_counter()
    step()
    return time.perf_counter() - began


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="300 events, one round")
    parser.add_argument("--store", type=Path, help="the SQLite file (default: a temporary one)")
    args = parser.parse_args(argv)
    events, rounds = (300, 1) if args.quick else (args.events, args.rounds)
    print(
        f"python {platform.python_version()}, eventsourcing {package_version('eventsourcing')}, "
        f"matplotlib {package_version('matplotlib')}, cpu count {os.cpu_count()}, "
        f"load average {os.getloadavg()[0]:.1f}"
    )
    with tempfile.TemporaryDirectory() as scratch:
        path = args.store or Path(scratch) / "reports.db"
        path.unlink(missing_ok=True)
        writer = SharedServices.sqlite(path)
        began = time.perf_counter()
        pid = record_busy_history(writer, events)
        recorded = writer.partnership(pid).version
        writer.close()
        print(
            f"recorded {recorded} events of the partnership in {time.perf_counter() - began:.1f} s"
        )
        app = SharedServices.sqlite(path)
        report = gather(app, pid)
        steps: dict[str, Callable[[], Any]] = {
            "read events+trail": lambda: (
                list(app.events.get(pid)),
                list(app.iter_audit_trail(pid)),
            ),
            "gather": lambda: gather(app, pid),
            "markdown": lambda: render_markdown(report),
            "html": lambda: render_html(report),
            "png": lambda: draw_timeline(report, io.BytesIO(), format="png"),
            "svg": lambda: draw_timeline(report, io.BytesIO(), format="svg"),
        }
        baseline, measured = ["read events+trail"], [s for s in steps if s != "read events+trail"]
        for step in steps.values():  # warm-up: fonts, matplotlib's caches, SQLite's pages
            step()
        timings: dict[str, list[float]] = {name: [] for name in steps}
        for round_ in range(rounds):
            order = baseline + measured if round_ % 2 == 0 else measured + baseline
            for name in order:
                timings[name].append(seconds(steps[name]))
        app.close()
    median = {name: statistics.median(values) for name, values in timings.items()}
    for name, value in median.items():
        print(f"{name}: {value:.3f} s (median of {rounds})")
    read = median["read events+trail"]
    audit = median["gather"] + median["html"]
    picture = median["gather"] + median["png"]
    print(f"trail entries: {len(report.trail)}, variations: {len(report.variations)}")
    print(f"audit (gather + html): {audit:.2f} s; timeline (gather + png): {picture:.2f} s")
    print(f"ratio audit/read: {audit / read:.1f}")
    print(f"ratio timeline/read: {picture / read:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
