"""Snapshots of the aggregate in hand, in place of eventsourcing's rebuild from the store.

eventsourcing's ``Application.save`` calls its private ``_take_snapshots`` after recording, and
that rebuilds each aggregate due a snapshot from the store. The aggregate just saved is already
in hand, at the version of its last event: `SnapshotsInHand` snapshots that one.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from eventsourcing.application import Application, ProcessingEvent

__all__ = ["SnapshotsInHand"]


class SnapshotsInHand(Application[UUID]):
    """An application that snapshots a saved aggregate when one of the events just saved
    brings it to a multiple of its type's interval (``snapshotting_intervals``), using the
    aggregate type's own ``Snapshot`` class."""

    def _take_snapshots(self, processing_event: ProcessingEvent[UUID]) -> None:
        if self.snapshots is None:
            return
        for aggregate in processing_event.aggregates.values():
            interval = self.snapshotting_intervals.get(type(aggregate))
            if interval and any(
                event.originator_id == aggregate.id and event.originator_version % interval == 0
                for event in processing_event.events
            ):
                # every aggregate with an interval has a Snapshot class (not in the protocol)
                snapshot: Any = type(aggregate).Snapshot.take(aggregate)  # type: ignore[attr-defined]
                self.snapshots.put([snapshot])
