"""What a what-if fork costs: forking and comparing a partnership of N events, against
reading the same events, timed in the same run.

Run from the repository root with the library installed::

    python benchmarks/whatif.py [--events N] [--rounds R] [--quick]

The partnership is the one ``commands.py`` builds (by the domain's own commands: variation
cycles and stage changes among three councils, all on one date), N events (10,000 unless
said) in a SQLite file in a temporary directory. Each round times, after a collection:

- **fork**: ``app.fork(pid, at=day)`` on the date of every act, so that the whole history is
  read back as acts and every act taken again on the in-memory fork, through the same rules;
- **compare**: ``app.compare(pid, fork)`` (both views and both obligation lists);
- **read**: the baseline, reading the partnership's events from the store and decoding them
  (the scenario writer's reader, which ``fork`` reads through too) on a fresh application.

It prints the median seconds of each, the ratios fork/read and compare/read (medians of the
per-round ratios; fork and read take turns), and checks that the fork agrees with the record
(the script exits 1 if not). No figure is asserted: the numbers are for people to read.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

from _measure import alternate, load_average, machine_facts, timed
from commands import ON, build_history

from sharedsvc import SharedServices
from sharedsvc._scenario.log import partnership_log


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=10_000, help="events in the history")
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds")
    parser.add_argument("--quick", action="store_true", help="a smoke run of a few seconds")
    args = parser.parse_args(argv)
    events, rounds = (1_000, 1) if args.quick else (args.events, args.rounds)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "history.db"
        pid = build_history(path, events)
        for line in machine_facts(path):
            print(line)
        print(f"load average before: {load_average()}")
        app = SharedServices.sqlite(path)
        forks: list[Any] = []

        def fork() -> float:
            seconds, made = timed(lambda: app.fork(pid, at=ON))
            forks.append(made)
            return seconds

        def read() -> float:
            fresh = SharedServices.sqlite(path)
            try:
                seconds, read_back = timed(lambda: list(partnership_log(fresh, pid)))
            finally:
                fresh.close()
            assert len(read_back) == events, len(read_back)
            return seconds

        pairs = alternate(rounds, fork, read)
        compares = []
        agree = True
        for made in forks:
            seconds, comparison = timed(lambda made=made: app.compare(pid, made))
            compares.append(seconds)
            agree = agree and comparison.same and made.highest_position() == events
            made.close()
        app.close()
    fork_s = statistics.median(a for a, _ in pairs)
    read_s = statistics.median(b for _, b in pairs)
    compare_s = statistics.median(compares)
    print(f"history: {events:,} events, {rounds} round(s); load average after: {load_average()}")
    print(f"fork:    {fork_s:.3f} s (median)")
    print(f"compare: {compare_s:.3f} s (median)")
    print(f"read:    {read_s:.3f} s (median; the baseline)")
    print(f"ratio fork/read: {statistics.median(a / b for a, b in pairs):.1f}")
    print(f"ratio compare/read: {compare_s / read_s:.2f}")
    print("forks: every one agrees with the record" if agree else "forks: A FORK DISAGREES")
    return 0 if agree else 1


if __name__ == "__main__":
    sys.exit(main())
