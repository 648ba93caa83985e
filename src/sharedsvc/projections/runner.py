"""Following the log on PostgreSQL in a process of its own, with eventsourcing's runner.

``python -m sharedsvc.projections.runner`` (or ``sharedsvc follow``) runs
`ProjectionRunner` over `ReadModelProjection`: it
subscribes to the application's log (PostgreSQL's LISTEN/NOTIFY), hands each stored event to
the same `ReadModelBuilder` that the catch-up loop uses,
and commits its rows with the tracking record, one event at a time. The store is configured
from eventsourcing's environment variables (``PERSISTENCE_MODULE=eventsourcing.postgres``,
``POSTGRES_DBNAME`` ...). It runs until it is sent SIGTERM or SIGINT.

Each event's transaction first takes the read models' lock (the one a replay or a catch-up holds
while it works), so the runner waits while another process rebuilds them, then passes over
what that one applied. An event the read models cannot apply stops the runner with
`sharedsvc.EventNotApplied`; to pass over it, name its position in
``SHAREDSVC_SKIP_POSITIONS`` (comma-separated), and it is logged as skipped.
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Collection, Mapping
from typing import Any
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.persistence import Mapper, Tracking
from eventsourcing.projection import Projection, ProjectionRunner

from sharedsvc._adapters.locks import TablesInTurn
from sharedsvc._adapters.rows import id_hex
from sharedsvc.projections.builder import ReadModelBuilder, Rows
from sharedsvc.projections.postgres_store import PostgresReadStore
from sharedsvc.projections.read_models import skipping
from sharedsvc.projections.store import ReadStore

__all__ = ["SKIP_VARIABLE", "Follower", "RawMapper", "ReadModelProjection", "main", "run"]

SKIP_VARIABLE = "SHAREDSVC_SKIP_POSITIONS"
"""The environment variable naming the positions of events the runner is to pass over."""


class RawMapper(Mapper[UUID]):
    """Hands a stored event on as stored (position, id as hex, version, topic, state): the
    read models decode it themselves, once."""

    def to_domain_event(self, stored_event: Any) -> Any:
        return (
            stored_event.id,
            id_hex(stored_event.originator_id),
            stored_event.originator_version,
            stored_event.topic,
            bytes(stored_event.state),
        )


class Follower(TablesInTurn, Application[UUID]):
    """The application whose log the read models follow, as the runner subscribes to it: the
    same name (so the same tables and environment variables), raw events."""

    name = ReadStore.name

    def construct_mapper(self) -> Mapper[UUID]:
        return self.factory.mapper(transcoder=self.construct_transcoder(), mapper_class=RawMapper)


class ReadModelProjection(Projection[PostgresReadStore]):
    """The read models as an eventsourcing projection (one event per transaction)."""

    name = ReadStore.projection

    skip: Collection[int] = frozenset()
    """The positions of events to pass over (logged), as `run` is told."""

    def __init__(self, view: PostgresReadStore) -> None:
        super().__init__(view)
        self.builder = ReadModelBuilder(view)
        self.reached: int | None = None  # where this runner's builder left the read models

    def process_event(self, domain_event: Any, tracking: Tracking) -> None:
        view, position = self.view, tracking.notification_id
        with view.writing(lock=view.projection) as cursor:
            reached = view.position_in(cursor, view.name)
            if position <= reached:
                return  # a catch-up or a replay applied it while this runner waited
            if reached != self.reached:  # another wrote them since: remember nothing of ours
                self.builder = ReadModelBuilder(view)
            self.reached = None  # until this transaction commits
            rows = Rows()
            if position in self.skip:
                skipping(position, domain_event[3])
            else:
                self.builder.add(rows, position, *domain_event[1:])  # or EventNotApplied
            view.write(cursor, self.builder.flush(rows))
            view.record_position(cursor, tracking)
        self.reached = position


def run(env: Mapping[str, str] | None = None, *, skip: Collection[int] = ()) -> None:
    """Follow the log until SIGTERM or SIGINT, passing over the events at the positions in
    ``skip`` and in the environment's `SKIP_VARIABLE`."""
    env = dict(env or os.environ)
    listed = [item.strip() for item in env.get(SKIP_VARIABLE, "").split(",")]
    positions = frozenset(skip) | {int(item) for item in listed if item}
    projection = type(
        "ReadModelProjection",
        (ReadModelProjection,),
        {"name": ReadStore.projection, "skip": positions},
    )
    runner = ProjectionRunner(
        application_class=Follower,
        projection_class=projection,
        view_class=PostgresReadStore,
        env=env,
    )
    with runner:
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_: runner.stop())
        print("sharedsvc: following the log", file=sys.stderr, flush=True)
        runner.run_forever()


def main() -> None:
    run()


if __name__ == "__main__":
    main()
