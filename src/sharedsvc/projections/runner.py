"""Following the log on PostgreSQL in a process of its own, with eventsourcing's runner.

``python -m sharedsvc.projections.runner`` (or ``sharedsvc follow``) runs
`ProjectionRunner` over `ReadModelProjection`: it
subscribes to the application's log (PostgreSQL's LISTEN/NOTIFY), hands each stored event to
the same `ReadModelBuilder` that the catch-up loop uses,
and commits its rows with the tracking record, one event at a time. The store is configured
from eventsourcing's environment variables (``PERSISTENCE_MODULE=eventsourcing.postgres``,
``POSTGRES_DBNAME`` ...). It runs until it is sent SIGTERM or SIGINT.
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Mapping
from typing import Any
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.persistence import Mapper, Tracking
from eventsourcing.projection import Projection, ProjectionRunner

from sharedsvc._adapters.rows import id_hex
from sharedsvc.projections.builder import ReadModelBuilder, Rows
from sharedsvc.projections.postgres_store import PostgresReadStore
from sharedsvc.projections.store import ReadStore

__all__ = ["Follower", "RawMapper", "ReadModelProjection", "main", "run"]


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


class Follower(Application[UUID]):
    """The application whose log the read models follow, as the runner subscribes to it: the
    same name (so the same tables and environment variables), raw events."""

    name = ReadStore.name

    def construct_mapper(self) -> Mapper[UUID]:
        return self.factory.mapper(transcoder=self.construct_transcoder(), mapper_class=RawMapper)


class ReadModelProjection(Projection[PostgresReadStore]):
    """The read models as an eventsourcing projection (one event per transaction)."""

    name = ReadStore.projection

    def __init__(self, view: PostgresReadStore) -> None:
        super().__init__(view)
        self.builder = ReadModelBuilder(view)

    def process_event(self, domain_event: Any, tracking: Tracking) -> None:
        rows = Rows()
        self.builder.add(rows, *domain_event)
        self.view.apply(self.builder.flush(rows), tracking)


def run(env: Mapping[str, str] | None = None) -> None:
    """Follow the log until SIGTERM or SIGINT."""
    runner = ProjectionRunner(
        application_class=Follower,
        projection_class=ReadModelProjection,
        view_class=PostgresReadStore,
        env=dict(env or os.environ),
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
