"""Drawing the timeline of a long history, against the demo's timeline timed in the same run.

Run from the repository root with the library and its ``timeline`` extra installed::

    python benchmarks/timeline.py [--variations N] [--rounds R] [--quick]

A partnership of three councils records N adopted variations (default 150), one every 20
days, through the public API in an in-memory store; the demo's history (``sharedsvc demo``)
is recorded beside it. Each round gathers each report (:func:`sharedsvc.reports.gather`) and
draws each timeline as a PNG at the default resolution and as SVG, into memory, the two
partnerships taking turns (AB, BA, ...) after an untimed warm-up of each. The script prints
the median seconds of each step, the ratio long/demo of the PNG drawing (the demo's picture
is the baseline: what the machine takes to draw a small timeline now), how many badges and
key lines the long picture has (its variations are grouped where they crowd: see
``sharedsvc.reports.timeline_marks``) and its size in pixels. The target: the long PNG drawn
in a few seconds on a 2-core machine, whatever the ratio. Exit code 0 either way.
"""

from __future__ import annotations

import argparse
import io
import os
import platform
import re
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date, timedelta
from importlib.metadata import version as package_version
from typing import Any
from uuid import UUID

from matplotlib.text import Text

from sharedsvc import CostPool, Party, SharedServices, Terms
from sharedsvc.demo import build_shared_digital
from sharedsvc.reports import gather
from sharedsvc.reports.timeline import draw_timeline, timeline_figure

COUNCILS = ("camden", "islington", "haringey")
BADGE = re.compile(r"^\d+(\N{EN DASH}\d+)?$")  # a variation's number, or a group's range


def record_long_history(app: SharedServices, variations: int) -> UUID:
    """Three councils and ``variations`` adopted variations of the service levels, one every
    20 days from 2010."""
    start = date(2010, 1, 4)
    pid = app.form_partnership(
        "Long Shared Service",
        parties=[Party(c, f"{c.title()} Council") for c in COUNCILS],
        terms=Terms(cost_pools=(CostPool.equal("all", COUNCILS),), host="camden"),
        on=start,
    )
    for number in range(variations):
        on = start + timedelta(days=20 * (number + 1))
        vid = app.propose_variation(
            pid, by="camden", changes={"sla": f"level {number}"}, on=on,
            rationale=f"service level review {number}",
        )  # fmt: skip
        for council in COUNCILS:
            app.approve_variation(pid, vid, party=council, on=on)
    return pid


def seconds(step: Callable[[], Any]) -> float:
    began = time.perf_counter()
    step()
    return time.perf_counter() - began


def steps(app: SharedServices, pid: UUID) -> dict[str, Callable[[], Any]]:
    report = gather(app, pid)
    return {
        "gather": lambda: gather(app, pid),
        "png": lambda: draw_timeline(report, io.BytesIO(), format="png"),
        "svg": lambda: draw_timeline(report, io.BytesIO(), format="svg"),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--variations", type=int, default=150)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="30 variations, one round")
    args = parser.parse_args(argv)
    variations, rounds = (30, 1) if args.quick else (args.variations, args.rounds)
    print(
        f"python {platform.python_version()}, matplotlib {package_version('matplotlib')}, "
        f"cpu count {os.cpu_count()}, load average {os.getloadavg()[0]:.1f}"
    )
    app = SharedServices.in_memory()
    began = time.perf_counter()
    long_pid = record_long_history(app, variations)
    print(f"recorded {variations} variations in {time.perf_counter() - began:.1f} s")
    sides = {"long": steps(app, long_pid), "demo": steps(app, build_shared_digital(app))}
    for side in sides.values():  # warm-up: fonts, matplotlib's caches
        for step in side.values():
            step()
    timings: dict[tuple[str, str], list[float]] = {}
    for round_ in range(rounds):
        order = ("long", "demo") if round_ % 2 == 0 else ("demo", "long")
        for name in order:
            for step_name, step in sides[name].items():
                timings.setdefault((name, step_name), []).append(seconds(step))
    median = {key: statistics.median(values) for key, values in timings.items()}
    for (name, step_name), value in sorted(median.items()):
        print(f"{name} {step_name}: {value:.2f} s (median of {rounds})")
    print(f"ratio long-png/demo-png: {median['long', 'png'] / median['demo', 'png']:.2f}")
    figure = timeline_figure(gather(app, long_pid))
    texts = [t for t in figure.findobj(Text) if isinstance(t, Text) and t.get_text()]
    badges = [t for t in texts if BADGE.match(t.get_text()) and t.get_bbox_patch() is not None]
    size = draw_timeline(gather(app, long_pid), io.BytesIO(), format="png")
    print(
        f"long picture: {size[0]} x {size[1]} px, {len(texts)} texts, {len(badges) // 2} "
        f"badges above the lanes (each with its line in the key) for {variations} variations"
    )
    app.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
