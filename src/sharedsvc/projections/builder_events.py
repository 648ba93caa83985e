"""What the read models' builder hands its handlers: one stored event, decoded once into plain
JSON values, with where it is in the log and whose it is (`Event`); and the memory of a read
store that is empty (`Forgetful`), for a replay from the start. The builder is
`sharedsvc.projections.builder`; the handlers of each read model live beside it by subject
(the sovereignty map's in `sharedsvc.projections.builder_sovereignty`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

import orjson

from sharedsvc._adapters.wire import payload as _data
from sharedsvc.projections.ledger import UNRECORDED, ConcessionFields
from sharedsvc.projections.rows import Owner, PartnershipRow, Rows, SovereigntyState

__all__ = [
    "Event",
    "Forgetful",
    "Handler",
    "Known",
    "concessions_of",
    "dump",
    "every_one",
    "hex_of",
    "reason",
]


class Forgetful:
    """The memory of a read store that is empty (a replay from the start)."""

    def owner(self, aggregate: str) -> Owner | None:
        return None

    def ref(self, source: str, party: str) -> str | bool | None:
        return UNRECORDED

    def latest(self, partnership: str) -> dict[str, str]:
        return {}

    def ref_sources(self) -> set[str]:
        return set()

    def sovereignty_state(self, partnership: str) -> SovereigntyState | None:
        return None

    def partnership_row(self, partnership: str) -> PartnershipRow | None:
        return None


def dump(value: Any) -> str:
    """A plain JSON value as compact JSON text (as the read models keep values)."""
    return orjson.dumps(value).decode()


def hex_of(value: Any) -> str:
    """An id as the stored JSON holds it (a transcoded UUID), as 32 hex digits."""
    return str(_data(value))


class Event(NamedTuple):
    """What a handler is given: the batch's rows, where the event is and whose it is."""

    rows: Rows
    position: int
    partnership: str
    aggregate: str
    name: str
    data: dict[str, Any]
    on: str
    recorded_at: str


Handler = Callable[[Event], None]

Known = tuple[str | None, str, Handler | None, str | None]
"""What the builder knows of a topic: whose events (None: not ours), the event's name, its
handler (None: no read model but the trail follows it) and the field naming the partnership
when it opens a handover or dispute."""


def reason(error: Exception) -> str:
    """Why an event could not be applied: the error's type, and its message if it has one."""
    text = str(error)
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


def every_one(*handlers: Handler | None) -> Handler | None:
    """One handler for an event that several read models follow (None: none does)."""
    found = [handler for handler in handlers if handler is not None]
    if len(found) <= 1:
        return found[0] if found else None

    def every(e: Event) -> None:
        for handler in found:
            handler(e)

    return every


def concessions_of(stored: list[Any]) -> list[ConcessionFields]:
    """Concessions as an event's stored JSON holds them, as the ledger's rules take them."""
    fields = []
    for concession in stored:
        c = _data(concession)
        fields.append(
            (c["party"], c["subject"], c.get("wanted"), c.get("accepted"), c.get("rationale"))
        )
    return fields
