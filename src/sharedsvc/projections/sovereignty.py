"""The sovereignty map of a council across every partnership in the store.

[`SharedServices.sovereignty`][sharedsvc.SharedServices.sovereignty] answers it from the read
models (their sovereignty rows, kept by `sharedsvc.projections.builder_sovereignty` as the
events arrive: one indexed query by party), or, where the store keeps no read models or they
are being rebuilt, by following the partnerships' events from the start of the log with the same
rules (`rows_from_log`). Both give the same map.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any
from uuid import UUID

import attrs
import orjson
from eventsourcing.persistence import ApplicationRecorder, Mapper

from sharedsvc._adapters.rows import id_hex
from sharedsvc._adapters.wire import DATA, decode_value
from sharedsvc.domain.values import Function, PartyId, Stage, freeze
from sharedsvc.persistence import notifications
from sharedsvc.projections.builder_events import Event, Forgetful
from sharedsvc.projections.builder_sovereignty import SovereigntyFollower
from sharedsvc.projections.rows import Rows, SovereigntyRow

__all__ = ["SovereigntyEntry", "SovereigntyMap", "rows_from_log", "sovereignty_map"]


@attrs.frozen
class SovereigntyEntry:
    """One function in a council's sovereignty map.

    ``status`` says how the council stands to it in the partnership ``partnership_id`` (named
    ``partnership``, at stage ``stage``: both as the partnership stands now):

    - ``"ceded"``: it handed the function (its own share, for a service combined from several
      councils) over to the shared service on ``since``;
    - ``"returned"``: it had ceded (or inherited) it on ``since`` and got it back on ``until``
      (a recall, or the dissolution of the partnership, on its effective date);
    - ``"inherited"``: it succeeded the council that had ceded it, and it counts as ceded by
      this council from the vesting day ``since``;
    - ``"hosted"``: as the partnership's host it holds the share of ``from_party``, another
      council, from ``since`` (when it was pooled, or when this council became host: a change
      of host counts from its effective date) until ``until`` (when it was returned or passed
      to a successor, or when hosting passed to another council).

    ``from_party`` is the council whose share of the function it is: the council itself,
    except for a ``hosted`` entry. ``until`` is None while the entry lasts. A ``ceded`` or
    ``inherited`` entry with an ``until`` ended because the council was succeeded on that
    vesting day: its successors inherited the function (each has an ``inherited`` entry from
    that day). A ``hosted`` entry may have an ``until`` in the future: a change of host
    adopted to take effect on that day.
    """

    partnership_id: UUID
    partnership: str
    stage: Stage
    function: Function
    status: str
    since: date
    until: date | None = None
    from_party: PartyId | None = None

    def __str__(self) -> str:
        until = "" if self.until is None else f" until {self.until.isoformat()}"
        whose = "" if self.status != "hosted" else f" of {self.from_party}"
        return (
            f"{self.status} {self.function.id} ({self.function.name}){whose}"
            f" in {self.partnership} [{self.stage.value}]: since {self.since.isoformat()}{until}"
        )


def _entries(value: Iterable[SovereigntyEntry]) -> tuple[SovereigntyEntry, ...]:
    return tuple(value)


@attrs.frozen
class SovereigntyMap:
    """What ``party`` has ceded, got back, inherited and hosts, across every partnership in
    the store: its entries in the order the partnerships were formed, then by the date each
    began (``since``), then in the order they were recorded. Empty for a party that has
    none (or is a party of no partnership)."""

    party: PartyId
    entries: tuple[SovereigntyEntry, ...] = attrs.field(converter=_entries)

    def of(self, status: str) -> tuple[SovereigntyEntry, ...]:
        """The entries with ``status`` (``"ceded"``, ``"returned"``, ``"hosted"``,
        ``"inherited"``)."""
        return tuple(entry for entry in self.entries if entry.status == status)

    def lines(self) -> list[str]:
        """The map as lines a person can read: a heading, then one line per entry."""
        if not self.entries:
            return [f"{self.party}: nothing ceded, returned, inherited or hosted"]
        return [f"{self.party}:", *(f"  {entry}" for entry in self.entries)]

    def __str__(self) -> str:
        return "\n".join(self.lines())


def sovereignty_map(
    party: PartyId, rows: Iterable[SovereigntyRow], mapper: Mapper[UUID]
) -> SovereigntyMap:
    """``party``'s map from its rows (as the read store gives them, in order)."""

    def decode(text: str) -> Any:
        return freeze(decode_value(mapper, text))

    return SovereigntyMap(
        party,
        [
            SovereigntyEntry(
                UUID(row.partnership),
                decode(row.name),
                decode(row.stage),
                decode(row.function),
                row.status,
                date.fromisoformat(row.since),
                None if row.until is None else date.fromisoformat(row.until),
                PartyId(row.from_party),
            )
            for row in rows
        ],
    )


def rows_from_log(recorder: ApplicationRecorder, party: str) -> list[SovereigntyRow]:
    """``party``'s rows computed from the events, from the start of the log, without the
    read store (what the read models would give, in the same order)."""
    follower = SovereigntyFollower(Forgetful())
    rows = Rows()
    for notification in notifications(recorder, topics=[*follower.handlers]):
        data = orjson.loads(notification.state)
        partnership = id_hex(notification.originator_id)
        name = notification.topic.rpartition(".")[2]
        on, recorded_at = data["on"][DATA], data["timestamp"][DATA]
        event = Event(rows, notification.id, partnership, partnership, name, data, on, recorded_at)
        follower.handlers[notification.topic](event)
    follower.flush(rows)
    states = {state[0]: state for state in rows.sovereignty_state.values()}
    found = []
    for row in rows.sovereignty.values():
        if row is not None and row[0] == party and row[1] in states:
            _, formed, name, stage, _ = states[row[1]]
            found.append(SovereigntyRow._make((*row, formed, name, stage)))
    return sorted(found, key=lambda r: (r.formed, r.since, r.opened, r.seq))
