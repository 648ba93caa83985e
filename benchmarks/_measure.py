"""What the benchmark scripts here share: timing, peak memory and the facts of the machine.

Usage from a benchmark script in this directory::

    from _measure import machine_facts, peak_mb, reset_peak, timed

Memory is resident memory read from ``/proc/self/status`` (Linux): :func:`reset_peak` resets
the kernel's high-water mark to the resident size now (writing 5 to ``/proc/self/clear_refs``)
and returns that size; :func:`peak_mb` reads the high-water mark (``VmHWM``) afterwards. Unlike
``tracemalloc`` it counts what SQLite allocates in C (its page cache, the rows ``fetchmany``
returns) and costs nothing while the work runs. Measure in a fresh process, so that the parent's
work stays out of the figure. Without ``/proc`` the peak falls back to ``ru_maxrss``, which
cannot be reset (and which a child on Linux inherits from its parent).
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import json
import os
import platform
import resource
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from importlib.metadata import version as package_version
from pathlib import Path
from typing import Any

__all__ = [
    "load_average",
    "machine_facts",
    "peak_mb",
    "quarter_path",
    "rate",
    "reset_peak",
    "timed",
]


SELECT = (
    "SELECT rowid, originator_id, originator_version, topic, state FROM stored_events "
    "ORDER BY rowid"
)
"""What the floors read: every stored event in notification order, as eventsourcing stores it."""
FLAT_SLACK = 1.25
FLAT_MB = 4.0
"""Memory counts as flat when the larger store's growth is within 25% or 4 MB of the smaller's."""


def alternate(
    rounds: int, first: Callable[[], float], second: Callable[[], float]
) -> list[tuple[float, float]]:
    """``rounds`` pairs of timings, taken in the order AB, BA, AB, ..."""
    pairs = []
    for r in range(rounds):
        if r % 2 == 0:
            a = first()
            b = second()
        else:
            b = second()
            a = first()
        pairs.append((a, b))
    return pairs


def timed(work: Callable[[], Any]) -> tuple[float, Any]:
    """Seconds ``work()`` takes, after a collection so that none is left pending, and its
    result."""
    gc.collect()
    start = time.perf_counter()
    result = work()
    return time.perf_counter() - start, result


# --------------------------------------------------------------------------------- memory --


def _status_mb(field: str) -> float | None:
    """A size from ``/proc/self/status`` (Linux) in MB, or None where there is none."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 2**10  # kB
    except (OSError, ValueError, IndexError):
        pass
    return None


def reset_peak() -> float:
    """Reset the kernel's high-water mark of resident memory to the resident size now (Linux
    >= 4.0), and return that size."""
    with contextlib.suppress(OSError):  # not Linux (>= 4.0): the peak then includes the past
        Path("/proc/self/clear_refs").write_text("5")
    now = _status_mb("VmRSS")
    return peak_mb() if now is None else now


def peak_mb() -> float:
    """The high-water mark of resident memory: ``VmHWM`` where there is one, else
    ``ru_maxrss`` (which, in a child process on Linux, includes its parent's high-water mark)."""
    peak = _status_mb("VmHWM")
    if peak is not None:
        return peak
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return maxrss / 2**20 if sys.platform == "darwin" else maxrss / 2**10  # bytes / KiB


# --------------------------------------------------------------------------------- report --


def load_average() -> str:
    try:
        return ", ".join(f"{load:.2f}" for load in os.getloadavg())
    except OSError:  # not every platform has one
        return "unknown"


def machine_facts(path: Path) -> list[str]:
    with sqlite3.connect(path) as db:
        journal = db.execute("PRAGMA journal_mode").fetchone()[0]
        synchronous = db.execute("PRAGMA synchronous").fetchone()[0]
    db.close()
    return [
        f"python {platform.python_version()} ({platform.python_implementation()}), "
        f"{platform.system()} {platform.machine()}, cpu count {os.cpu_count()}",
        f"eventsourcing {package_version('eventsourcing')}, sharedsvc "
        f"{package_version('sharedsvc')}, sqlite {sqlite3.sqlite_version} "
        f"(journal_mode={journal}, synchronous={synchronous} as a new connection sees them)",
    ]


def rate(events: int, seconds: float) -> str:
    return f"{events / seconds / 1000:,.0f}k ev/s"


def quarter_path(path: Path, events: int) -> Path:
    """Where the smaller store beside ``path`` is kept (memory is measured on both)."""
    return path.with_name(f"{path.stem}-quarter-{events}{path.suffix}")


def memory_in_subprocess(
    script: str, what: str, path: Path, stdin: str | None = None
) -> dict[str, float]:
    """Run ``script --memory-of WHAT --store PATH`` in a fresh process and return the JSON
    object it prints last (its peak memory and what it checked)."""
    child = subprocess.run(
        [sys.executable, script, "--memory-of", what, "--store", str(path)],
        input=stdin,
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, float] = json.loads(child.stdout.strip().splitlines()[-1])
    return result


def arguments(description: str, rounds: str, memory_of: tuple[str, ...]) -> argparse.ArgumentParser:
    """The options every store benchmark takes."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--events", type=int, help="events in the store (default 1,000,000)")
    parser.add_argument("--rounds", type=int, help=f"{rounds} (default 5)")
    parser.add_argument("--quick", action="store_true", help="a smoke run of a few seconds")
    parser.add_argument("--store", type=Path, help="the store's file, reused if it matches")
    parser.add_argument("--memory-of", choices=memory_of, help=argparse.SUPPRESS)
    return parser
