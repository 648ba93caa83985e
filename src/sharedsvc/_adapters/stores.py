"""Which kind of store a recorder belongs to, and what sharedsvc keeps beside an in-memory one.

eventsourcing chooses the store by configuration (``PERSISTENCE_MODULE``); a recorder says which
by the module its class comes from. An in-memory store has no database to hold sharedsvc's own
tables, so what would be a table (the Merkle log, the read models) is kept as an attribute of
the recorder, living and dying with it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal, TypeVar

__all__ = ["KEPT_PREFIX", "MODULES", "Kind", "datastore_of", "kept_beside", "store_kind"]

Kind = Literal["sqlite", "postgres", "memory"]

MODULES: dict[str, Kind] = {
    "eventsourcing.sqlite": "sqlite",
    "eventsourcing.postgres": "postgres",
    "eventsourcing.popo": "memory",
}
"""eventsourcing's persistence modules, by the kind of store each is."""

KEPT_PREFIX = "sharedsvc_"
"""The prefix of the attributes sharedsvc attaches to an in-memory recorder."""

T = TypeVar("T")


def store_kind(recorder: object) -> Kind | None:
    """The kind of store ``recorder`` writes to (None: a persistence module sharedsvc does not
    know, such as a third-party one)."""
    module = type(recorder).__module__
    for prefix, kind in MODULES.items():
        if module == prefix or module.startswith(prefix + "."):
            return kind
    return None


def datastore_of(recorder: object) -> Any:
    """The connection pool of a SQL recorder (SQLite, PostgreSQL), through which a recorder of
    sharedsvc's own tables shares the events' database."""
    return recorder.datastore  # type: ignore[attr-defined]  # SQL recorders only


def kept_beside(recorder: object, name: str, make: Callable[[], T]) -> T:
    """What sharedsvc keeps under ``name`` beside an in-memory ``recorder``, made by ``make``
    the first time it is asked for."""
    attribute = KEPT_PREFIX + name
    kept: T | None = getattr(recorder, attribute, None)
    if kept is None:
        kept = make()
        setattr(recorder, attribute, kept)
    return kept
