"""Following the log with eventsourcing's projection runner on PostgreSQL, for ``postgres.py``.

``sharedsvc follow`` runs eventsourcing's ``ProjectionRunner`` over the read models'
projection (``sharedsvc.projections.runner``): it subscribes to the log and commits each event
in a transaction of its own, with its tracking record. Its baseline is the cheapest projection
plain eventsourcing runs the same way: the same runner, subscription and raw events, and per
event only an ``orjson.loads`` of the stored state and eventsourcing's own
``insert_tracking`` in ``PostgresTrackingRecorder`` (one transaction an event, as the read
models' own). Each side follows the log from its start until it has processed the first
``events`` positions, timed from the runner's construction until the projection has
processed position ``events``; the read models are emptied, and the baseline given a new
tracking table, before each round.
"""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Callable
from typing import Any

import orjson
from _measure import alternate
from eventsourcing.persistence import Tracking
from eventsourcing.postgres import PostgresTrackingRecorder
from eventsourcing.projection import Projection, ProjectionRunner

from sharedsvc import SharedServices
from sharedsvc.projections.postgres_store import PostgresReadStore
from sharedsvc.projections.read_models import ReadModels
from sharedsvc.projections.runner import Follower, ReadModelProjection

__all__ = ["runner_pairs"]

WAIT = 1_800.0
"""Seconds a side may take to follow the events before the run is called wrong."""


class FloorProjection(Projection[PostgresTrackingRecorder]):
    """Decodes each stored state and records its tracking, and nothing else."""

    name = "sharedsvc_bench_floor"

    def process_event(self, domain_event: Any, tracking: Tracking) -> None:
        orjson.loads(domain_event[4])
        self.view.insert_tracking(tracking)


def follow(
    projection: type[Projection[Any]], view: type[Any], env: dict[str, str], events: int
) -> float:
    """Seconds for a runner of ``projection`` to process the first ``events`` positions (the
    projection says when, so that no polling interval is timed)."""
    done = threading.Event()

    def process_event(self: Any, domain_event: Any, tracking: Tracking) -> None:
        projection.process_event(self, domain_event, tracking)
        if tracking.notification_id >= events:
            done.set()

    timed = type(
        projection.__name__,
        (projection,),
        {"name": projection.name, "process_event": process_event},  # eventsourcing names it
    )
    started = time.perf_counter()
    with ProjectionRunner(
        application_class=Follower, projection_class=timed, view_class=view, env=env
    ) as runner:
        while not done.wait(0.5) and not runner.is_interrupted.is_set():
            if time.perf_counter() - started > WAIT:
                break
        seconds = time.perf_counter() - started
    if not done.is_set():  # the runner's own error, if it had one, was raised above
        raise RuntimeError(f"the runner did not reach position {events:,} in {WAIT:.0f} s")
    return seconds


def runner_pairs(
    app: SharedServices, env: dict[str, str], events: int, rounds: int
) -> list[tuple[float, float]]:
    """(read models' runner seconds, plain runner seconds) per round, for ``events`` events of
    ``app``'s store on PostgreSQL (``env`` configures the runners as ``sharedsvc follow``)."""
    models = ReadModels(app)
    tables = itertools.count()

    def ours() -> float:
        models.store.clear()
        seconds = follow(ReadModelProjection, PostgresReadStore, env, events)
        if models.position < events:
            raise RuntimeError(f"the read models reached {models.position:,}, not {events:,}")
        return seconds

    def plain() -> float:
        name = f"{FloorProjection.name}_{next(tables)}"  # a tracking table of its own
        floor = type("FloorProjection", (FloorProjection,), {"name": name})
        return follow(floor, PostgresTrackingRecorder, env, events)

    sides: tuple[Callable[[], float], Callable[[], float]] = (ours, plain)
    ours(), plain()  # warm up: connections, statements, the subscription
    pairs = alternate(rounds, *sides)
    models.store.clear()
    return pairs
