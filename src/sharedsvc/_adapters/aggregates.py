"""What the domain needs of eventsourcing's aggregates beyond their public API.

eventsourcing keeps an aggregate's id, version, recorded times and pending events in private
attributes (``_id``, ``_version``, ``_created_on``, ``_modified_on``, ``_pending_events``).
Two things reach them: the cheap copy the aggregate cache hands out for each command, and the
upcaster that reads the snapshots sharedsvc wrote before it used eventsourcing's own snapshot
state. ``tests/unit/test_adapters_aggregates.py`` pins every name used here.

Imports only ``eventsourcing.domain`` and the standard library: the domain imports this module.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

from eventsourcing.domain import Aggregate

__all__ = [
    "PRIVATE_ATTRIBUTES",
    "RECORDED_TIMES",
    "copy_aggregate",
    "create",
    "upcast_v1_snapshot_state",
]

A = TypeVar("A", bound=Aggregate)

PRIVATE_ATTRIBUTES = ("_id", "_version", "_created_on", "_modified_on", "_pending_events")
"""The attributes eventsourcing's ``Aggregate`` keeps in its ``__dict__`` besides the state."""

RECORDED_TIMES = {"created_on": "_created_on", "modified_on": "_modified_on"}
"""The keys of the recorded times in a version 1 snapshot state -> their attributes."""


def create(kind: type[A], event_class: type[Any], **kwargs: Any) -> A:
    """A new aggregate of ``kind``, created by triggering ``event_class`` with ``kwargs``
    (eventsourcing's ``Aggregate._create``, the one way to create an aggregate from a creation
    event of one's own class)."""
    return kind._create(event_class, **kwargs)


def copy_aggregate(aggregate: A, containers: Iterable[str]) -> A:
    """A copy of ``aggregate`` for one command, as the aggregate cache hands out.

    The copy shares every attribute value with the original except the ``containers`` named
    (dicts and lists its events update in place), which are copied one level deep, and it has
    no pending events. An aggregate that keeps only immutable values in its containers is thus
    copied at a cost that does not grow with the values' size, and a refused or failed command
    on the copy cannot corrupt the original."""
    state = dict(vars(aggregate))
    for name in containers:
        state[name] = state[name].copy()
    state["_pending_events"] = []
    copy = object.__new__(type(aggregate))
    object.__setattr__(copy, "__dict__", state)
    return copy


def upcast_v1_snapshot_state(state: dict[str, Any]) -> None:
    """Turn a version 1 snapshot state (written field by field, with the recorded times under
    ``created_on`` and ``modified_on``) into eventsourcing's shape, in place: the fields are
    written the same way in both versions."""
    for old, new in RECORDED_TIMES.items():
        state[new] = state.pop(old)
