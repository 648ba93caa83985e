"""What finding a partnership by name and listing them all cost, against showing one by id,
timed in the same run on the same store.

Run from the repository root with the library installed::

    python benchmarks/lookup.py [--events N] [--rounds R] [--quick] [--store PATH]

The store is one of ``_store.py``'s realistic stores (N events, 1,000,000 unless said; 20,000
with ``--quick``; about 1,000 events a partnership), cached at ``--store PATH`` (default under
``$TMPDIR``). Its read models are brought up to date first (untimed in the rounds; the script
prints how long that took: on a store that never had them, a replay). Then each round times,
on one application, after a collection:

- **by-id**: ``app.partnership(pid)``, what ``sharedsvc show ID`` reads (the baseline);
- **by-name**: ``app.partnerships_matching(name)`` (the read models' index of partnerships,
  what ``sharedsvc show NAME`` resolves a name through), then ``app.partnership`` of it;
- **list**: ``app.iter_partnerships()`` read to the end (what ``sharedsvc list`` writes), and
  the time to its first row;
- **sovereignty**: ``app.sovereignty(party)`` for a party of the first partnership.

by-id and by-name take turns (AB, BA, ...); the ratios are medians of the per-round ratios to
by-id. The targets are by-name/by-id at most 3 and a list that streams (its first row long
before its last). No figure is asserted: the numbers are for people to read. The script exits
1 if the index disagrees with the partnership's view.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

from _measure import alternate, load_average, machine_facts, timed
from _store import ensure_store

from sharedsvc import PartnershipSummary, SharedServices


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, help="events in the store (default 1,000,000)")
    parser.add_argument("--rounds", type=int, help="alternating rounds (default 5)")
    parser.add_argument("--quick", action="store_true", help="a smoke run of a few seconds")
    parser.add_argument("--store", type=Path, help="the store's file (default: under $TMPDIR)")
    args = parser.parse_args(argv)
    events = args.events or (20_000 if args.quick else 1_000_000)
    rounds = args.rounds or (2 if args.quick else 5)
    built = ensure_store(args.store, events=events, log=print)
    for line in machine_facts(built.path):
        print(line)
    print(f"load average before: {load_average()}")
    app = SharedServices.sqlite(built.path)
    try:
        caught_up, _ = timed(lambda: next(app.iter_partnerships()))
        first = next(app.iter_partnerships())
        pid, name, party = first.id, first.name, first.active_parties[0]
        named = app.partnerships_matching(name)
        if PartnershipSummary.of_view(app.partnership(pid)) not in named:
            print(f"the index disagrees with the view of {pid}")
            return 1

        def by_id() -> float:
            return timed(lambda: app.partnership(pid))[0]

        def by_name() -> float:
            return timed(lambda: app.partnership(app.partnerships_matching(name)[0].id))[0]

        pairs = alternate(rounds, by_name, by_id)
        listed, first_rows, counts, sovereignty = [], [], [], []
        for _ in range(rounds):
            started = timed(lambda: next(app.iter_partnerships()))[0]
            seconds, count = timed(lambda: sum(1 for _ in app.iter_partnerships()))
            first_rows.append(started)
            listed.append(seconds)
            counts.append(count)
            sovereignty.append(timed(lambda: app.sovereignty(party))[0])
    finally:
        app.close()
    named_s = statistics.median(a for a, _ in pairs)
    id_s = statistics.median(b for _, b in pairs)
    ratio = statistics.median(a / b for a, b in pairs)
    list_s, first_s = statistics.median(listed), statistics.median(first_rows)
    sov_s = statistics.median(sovereignty)
    print(f"load average after: {load_average()}")
    print(
        f"benchmarks/lookup.py{' --quick' if args.quick else ''}: N={events:,} events, "
        f"{counts[0]:,} partnerships ({len(named)} named {name!r}), {rounds} rounds"
    )
    how = "reused" if built.reused else f"built in {built.seconds:.1f} s"
    print(f"  store: {built.path} ({how}); read models brought up to date in {caught_up:.2f} s")
    print(f"  by-id {id_s * 1000:.2f} ms, by-name {named_s * 1000:.2f} ms")
    print(f"ratio by-name/by-id: {ratio:.2f} (target <= 3)")
    print(
        f"  list: {counts[0]:,} partnerships in {list_s * 1000:.1f} ms, first row after "
        f"{first_s * 1000:.2f} ms"
    )
    print(f"ratio list/by-id: {list_s / id_s:.2f}")
    print(f"  sovereignty of {party!r}: {sov_s * 1000:.2f} ms")
    print(f"ratio sovereignty/by-id: {sov_s / id_s:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
