"""The partnerships' index, kept by the read models' builder as the events arrive.

One row per partnership (`sharedsvc.projections.rows.PartnershipRow`): where it was formed
in the log, its name, stage, members and the date its dissolution takes effect, as the
partnership's view stands now, so that a partnership can be found by name and every
partnership listed without reading its events. Only the partnership's own events are needed,
read through the catalogue of acts (`sharedsvc.acts`):

* formed: its name, stage and parties;
* a change of stage;
* an adopted variation: a rename; a party admitted; a dissolution (from its effective date);
* a withdrawal completed: the party leaves;
* a succession: the members after it, as the event records them.

A batch keeps the latest form of each row (`sharedsvc.projections.rows.Rows.partnerships`)
and the store upserts it; a follower that restarts reads the row back from the store.
"""

from __future__ import annotations

from typing import Any

import orjson

from sharedsvc._adapters.wire import payload as _data
from sharedsvc.acts import (
    ApproveVariation,
    ChangeStage,
    CompleteWithdrawal,
    FormPartnership,
    Succeed,
)
from sharedsvc.projections.builder_events import Event, Handler, dump
from sharedsvc.projections.ledger import ADOPTION
from sharedsvc.projections.rows import Memory, PartnershipRow, Rows

__all__ = ["IndexFollower"]


class IndexFollower:
    """Keeps the partnerships' index (see the module); `handlers` by event topic."""

    def __init__(self, memory: Memory) -> None:
        self.memory = memory
        self._rows: dict[str, dict[str, Any] | None] = {}  # partnership -> its row's fields
        self._dirty: set[str] = set()
        self.handlers: dict[str, Handler] = {
            FormPartnership.records.TOPIC: self._formed,
            ChangeStage.records.TOPIC: self._stage,
            ADOPTION.TOPIC: self._adopted,
            ApproveVariation.consequence("party").TOPIC: self._admitted,
            ApproveVariation.consequence("final_account").TOPIC: self._dissolved,
            CompleteWithdrawal.records.TOPIC: self._withdrew,
            Succeed.records.TOPIC: self._succeeded,
        }

    def _row(self, partnership: str) -> dict[str, Any] | None:
        if partnership in self._rows:
            return self._rows[partnership]
        kept = self.memory.partnership_row(partnership)
        row = None
        if kept is not None:
            row = kept._asdict()
            row["active"] = orjson.loads(kept.active)
        self._rows[partnership] = row
        return row

    def _changing(self, e: Event) -> dict[str, Any] | None:
        row = self._row(e.partnership)
        if row is not None:
            self._dirty.add(e.partnership)
        return row

    def flush(self, rows: Rows) -> None:
        """Add to ``rows`` the row of each partnership changed since the last flush."""
        for partnership in self._dirty:
            fields = self._rows[partnership]
            if fields is not None:  # pragma: no branch - only partnerships with a row are dirty
                rows.partnerships[partnership] = PartnershipRow(
                    **{**fields, "active": dump(fields["active"])}
                )
        self._dirty.clear()

    # --- handlers -----------------------------------------------------------------------------

    def _formed(self, e: Event) -> None:
        data = e.data
        self._rows[e.partnership] = {
            "partnership": e.partnership,
            "formed": e.position,
            "name": data["name"],
            "stage": _data(data["stage"]),
            "active": [_data(party)["id"] for party in data["parties"]],
            "dissolved": None,
        }
        self._dirty.add(e.partnership)

    def _stage(self, e: Event) -> None:
        row = self._changing(e)
        if row is not None:
            row["stage"] = _data(e.data["to"])

    def _adopted(self, e: Event) -> None:
        if e.data.get("name") is None:  # not a rename: nothing the index keeps changes
            return
        row = self._changing(e)
        if row is not None:
            row["name"] = e.data["name"]

    def _admitted(self, e: Event) -> None:
        row = self._changing(e)
        party = _data(e.data["party"])["id"]
        if row is not None and party not in row["active"]:
            row["active"].append(party)

    def _dissolved(self, e: Event) -> None:
        row = self._changing(e)
        if row is not None:
            row["dissolved"] = _data(e.data["effective"])

    def _withdrew(self, e: Event) -> None:
        row = self._changing(e)
        if row is not None and e.data["party"] in row["active"]:
            row["active"].remove(e.data["party"])

    def _succeeded(self, e: Event) -> None:
        row = self._changing(e)
        if row is not None:
            row["active"] = list(e.data["active"])
