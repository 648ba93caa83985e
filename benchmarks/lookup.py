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
import secrets
import shutil
import statistics
import sys
import tempfile
from datetime import date
from pathlib import Path
from uuid import UUID

from _measure import alternate, load_average, machine_facts, timed
from _store import ensure_store

from sharedsvc import DecisionRef, PartnershipSummary, SharedServices

RENAMED_ON = date(2030, 1, 1)  # after every date the store's histories hold


def rename(app: SharedServices, pid: UUID, name: str) -> None:
    """Give the partnership ``pid`` the name ``name`` by a variation its parties adopt."""
    parties = app.partnership(pid).active_parties
    ref = DecisionRef("Joint Committee", "JC/2030/1", RENAMED_ON)
    vid = app.propose_variation(
        pid, by=parties[0], changes={"name": name}, rationale="a unique name", on=RENAMED_ON
    )
    for party in parties:
        app.approve_variation(pid, vid, party=party, ref=ref, on=RENAMED_ON)


Measured = tuple[
    float, list[PartnershipSummary], str, str, list[int], list[tuple[float, float]],
    list[tuple[float, float, float]], list[float], list[float], list[float], str,
]  # fmt: skip


def measure(path: Path, rounds: int) -> Measured | None:
    """Everything the rounds time on the store at ``path`` (None: the index is wrong)."""
    app = SharedServices.sqlite(path)
    try:
        caught_up, _ = timed(lambda: next(app.iter_partnerships()))
        first = next(app.iter_partnerships())
        pid, name, party = first.id, first.name, first.active_parties[0]
        named = app.partnerships_matching(name)
        if PartnershipSummary.of_view(app.partnership(pid)) not in named:
            print(f"the index disagrees with the view of {pid}")
            return None

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

        unique = f"{name} {secrets.token_hex(4)}"
        rename(app, pid, unique)
        next(app.iter_partnerships())  # the read models catch up, untimed
        if [s.id for s in app.partnerships_matching(unique)] != [pid]:
            print(f"the index does not find {pid} by its unique name {unique!r}")
            return None

        def by_unique_name() -> float:
            return timed(lambda: app.partnership(app.partnerships_matching(unique)[0].id))[0]

        def by_id_uncached() -> float:
            fresh = SharedServices.sqlite(path)
            try:
                fresh.recorder.max_notification_id()  # open the connection, untimed
                return timed(lambda: fresh.partnership(pid))[0]
            finally:
                fresh.close()

        by_unique_name(), by_id_uncached()  # warm up
        unique_pairs = []
        for r in range(rounds):
            sides = [by_unique_name, by_id, by_id_uncached]
            order = sides[r % 3 :] + sides[: r % 3]
            took = {side: side() for side in order}
            unique_pairs.append(tuple(took[side] for side in sides))
    finally:
        app.close()
    return (caught_up, named, name, party, counts, pairs, unique_pairs,  # type: ignore[return-value]
            listed, first_rows, sovereignty, unique)  # fmt: skip


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
    with tempfile.TemporaryDirectory(prefix="sharedsvc-lookup-") as tmp:
        # a copy, so that the rename below leaves the cached store as _store.py built it
        path = Path(tmp) / built.path.name
        copied, _ = timed(lambda: shutil.copyfile(built.path, path))
        measured = measure(path, rounds)
    if measured is None:
        return 1
    (caught_up, named, name, party, counts, pairs, unique_pairs, listed, first_rows,
     sovereignty, unique) = measured  # fmt: skip
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
    print(f"  copied to a temporary file (the unique name goes there) in {copied:.1f} s")
    print(f"  by-id {id_s * 1000:.2f} ms, by-name {named_s * 1000:.2f} ms")
    print(f"ratio by-name/by-id: {ratio:.2f} (a name {len(named)} partnerships share)")
    u_name, u_id, u_cold = (statistics.median(row[i] for row in unique_pairs) for i in range(3))
    print(
        f"  a unique name ({unique!r}, the first partnership renamed by a variation): "
        f"by-name {u_name * 1000:.2f} ms; by-id {u_id * 1000:.2f} ms from the aggregate "
        f"cache, {u_cold * 1000:.2f} ms on a fresh application (no cache)"
    )
    u_ratio = statistics.median(row[0] / row[1] for row in unique_pairs)
    u_ratio_cold = statistics.median(row[0] / row[2] for row in unique_pairs)
    print(f"ratio by-name-unique/by-id: {u_ratio:.2f} (target <= 3)")
    print(f"ratio by-name-unique/by-id-uncached: {u_ratio_cold:.2f}")
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
