"""The ids of what the domain makes: partnerships, variations, handovers, disputes, targets.

Every one comes from `new_id`: a fresh random UUID, unless the
caller asked, with `ids_given`, for the next ones to be ids it
chose. That seam is for re-enacting a record elsewhere (a what-if fork replays another store's
acts, and what an act made there keeps its id); no verb takes an id.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from uuid import UUID, uuid4

__all__ = ["ids_given", "new_id"]

_given: ContextVar[Iterator[UUID] | None] = ContextVar("sharedsvc_ids_given", default=None)


def new_id() -> UUID:
    """The id of something the domain is making: the next of the ids given, while
    `ids_given` holds some not yet used; a random one
    otherwise."""
    given = _given.get()
    if given is not None:
        chosen = next(given, None)
        if chosen is not None:
            return chosen
    return uuid4()


@contextmanager
def ids_given(ids: Iterable[UUID]) -> Iterator[None]:
    """Within the block, what the domain makes takes ``ids``, in order (then random ones
    again); in this thread or task only."""
    token = _given.set(iter(list(ids)))
    try:
        yield
    finally:
        _given.reset(token)
