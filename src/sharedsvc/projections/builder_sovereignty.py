"""The sovereignty map's rows, kept by the read models' builder as the events arrive.

For each party, one row per function it ceded to a partnership (``ceded``), got back
(``returned``), inherited from a council it succeeded (``inherited``), or holds for the others
as a partnership's host (``hosted``); each row with the date it began (``since``) and, once it
ended, the date it ended (``until``). Only the partnership's own events are needed, read
through the catalogue of acts (`sharedsvc.acts`):

* formed: the partnership's name, stage and host;
* a change of stage; an adopted variation: a rename, a change of host (from its effective date);
* a function pooled (a handover effected): its ceding party's ``ceded`` row, and the host's
  ``hosted`` row when the host is another party;
* a function returned (a recall, or a dissolution on its effective date): the ceding party's
  row becomes ``returned`` until that date, the host's ``hosted`` row ends then;
* a succession: the predecessor's rows (and the host's rows for its functions) end on the
  vesting day, and each successor ``inherited`` each function from that day; hosting passes
  with it.

Rows change after they are written (an entry that ends), so a batch keeps the latest form of
each (`sharedsvc.projections.rows.Rows.sovereignty`), and the store upserts it. What the
builder needs to carry on (a partnership's host, its pooled functions, the rows still open)
is kept per partnership in the store too (`sharedsvc.projections.rows.SovereigntyState`), so a
follower that restarts carries on where it stopped.
"""

from __future__ import annotations

from typing import Any, Final

import orjson

from sharedsvc._adapters.wire import payload as _data
from sharedsvc.acts import ChangeStage, EffectHandover, FormPartnership, RecallHandover, Succeed
from sharedsvc.projections.builder_events import Event, Handler, dump
from sharedsvc.projections.ledger import ADOPTION
from sharedsvc.projections.rows import Memory, Rows, SovereigntyState

__all__ = ["CEDED", "HOSTED", "INHERITED", "RETURNED", "STATUSES", "SovereigntyFollower"]

CEDED: Final = "ceded"
RETURNED: Final = "returned"
HOSTED: Final = "hosted"
INHERITED: Final = "inherited"
STATUSES: Final = (CEDED, RETURNED, HOSTED, INHERITED)

Span = list[Any]
"""An entry: [party, opened (position), seq, status, whose share it is, since, until]."""


class SovereigntyFollower:
    """Keeps the sovereignty map's rows (see the module); `handlers` by event topic.

    A partnership's hosts are kept as a timeline (host, from which date), since a change of
    host adopted today may take effect later: a function pooled meanwhile is hosted by the old
    host until then and by the new one from then; a later act dated before that (a recall, a
    succession, another change of host) ends the hosting then, and an entry that would have
    begun after it is dropped (it never began)."""

    def __init__(self, memory: Memory) -> None:
        self.memory = memory
        # partnership -> {"formed", "name", "stage", "hosts": [[host, since]...],
        #                 "pooled": {key: {"from", "function", "held": span, "hosting": [span...]}}}
        self._states: dict[str, dict[str, Any] | None] = {}
        self._dirty: set[str] = set()
        self._at = (0, 0)  # the position of the event being handled, and its next seq
        self.handlers: dict[str, Handler] = {
            FormPartnership.records.TOPIC: self._formed,
            ChangeStage.records.TOPIC: self._stage,
            ADOPTION.TOPIC: self._adopted,
            EffectHandover.consequence("from_party").TOPIC: self._pooled,
            RecallHandover.consequence("from_party").TOPIC: self._returned,
            Succeed.records.TOPIC: self._succeeded,
        }

    # --- the state of each partnership --------------------------------------------------------

    def _state(self, partnership: str) -> dict[str, Any] | None:
        if partnership in self._states:
            return self._states[partnership]
        kept = self.memory.sovereignty_state(partnership)
        state = None
        if kept is not None:
            state = orjson.loads(kept.state)
            state.update(formed=kept.formed, name=kept.name, stage=kept.stage)
        self._states[partnership] = state
        return state

    def _changing(self, e: Event) -> dict[str, Any] | None:
        state = self._state(e.partnership)
        if state is not None:
            self._dirty.add(e.partnership)
        return state

    def flush(self, rows: Rows) -> None:
        """Add to ``rows`` the state of each partnership changed since the last flush."""
        for partnership in self._dirty:
            state = self._states[partnership]
            if state is None:  # pragma: no cover - only partnerships with a state are dirty
                continue
            carried = {key: state[key] for key in ("hosts", "pooled")}
            kept = SovereigntyState(state["formed"], state["name"], state["stage"], dump(carried))
            rows.sovereignty_state[partnership] = (partnership, *kept)
        self._dirty.clear()

    # --- the entries --------------------------------------------------------------------------

    def _open(
        self, e: Event, party: str, status: str, owner: str, function: str, since: str,
        until: str | None = None,
    ) -> Span:  # fmt: skip
        position, seq = self._at if self._at[0] == e.position else (e.position, 0)
        self._at = (position, seq + 1)
        span = [party, position, seq, status, owner, since, until]
        self._row(e, span, function)
        return span

    @staticmethod
    def _row(e: Event, span: Span, function: str) -> None:
        party, opened, seq, status, owner, since, until = span
        key = (party, e.partnership, opened, seq)
        e.rows.sovereignty[key] = (
            party, e.partnership, opened, seq, status, owner, function, since, until,
        )  # fmt: skip

    def _end(self, e: Event, pooled: dict[str, Any], on: str, status: str | None = None) -> None:
        """The entries of a pooled function end on ``on``: its council's (as ``status``, if
        given), and its hosts' (those that would begin after ``on`` never began)."""
        held = pooled["held"]
        held[6] = on
        if status is not None:
            held[3] = status
        self._row(e, held, pooled["function"])
        self._cut(e, pooled, on)

    def _cut(self, e: Event, pooled: dict[str, Any], on: str) -> None:
        """The hosting of a pooled function ends on ``on``."""
        hosting = pooled["hosting"]
        while hosting and hosting[-1][5] > on:
            party, opened, seq = hosting.pop()[:3]
            e.rows.sovereignty[(party, e.partnership, opened, seq)] = None  # dropped
        if hosting and (hosting[-1][6] is None or hosting[-1][6] > on):
            hosting[-1][6] = on
            self._row(e, hosting[-1], pooled["function"])

    def _pool(
        self, e: Event, state: dict[str, Any], party: str, function: Any, since: str, status: str
    ) -> None:
        """``party``'s share of ``function`` (stored JSON) is pooled from ``since``: its entry,
        and one for each host it will have (by the timeline) other than ``party``."""
        text = dump(function)
        hosts = state["hosts"]
        hosting = []
        for index, (host, start) in enumerate(hosts):
            end = hosts[index + 1][1] if index + 1 < len(hosts) else None
            if host not in (None, party) and (end is None or end > since):
                begins = max(start, since)
                hosting.append(self._open(e, host, HOSTED, party, text, begins, end))
        state["pooled"][f"{party}/{_data(function)['id']}"] = {
            "from": party,
            "function": text,
            "held": self._open(e, party, status, party, text, since),
            "hosting": hosting,
        }

    def _host(self, e: Event, state: dict[str, Any], host: str | None, on: str) -> None:
        """The partnership's host becomes ``host`` from ``on``."""
        hosts = state["hosts"]
        if host == hosts[-1][0]:
            return
        hosts[:] = [[held, since] for held, since in hosts if since < on]
        hosts.append([host, on])
        while len(hosts) > 1 and hosts[1][1] <= e.on:  # what no later act can reach
            del hosts[0]
        for pooled in state["pooled"].values():
            self._cut(e, pooled, on)
            if host is not None and host != pooled["from"]:
                owner, function = pooled["from"], pooled["function"]
                pooled["hosting"].append(self._open(e, host, HOSTED, owner, function, on))

    # --- handlers -----------------------------------------------------------------------------

    def _formed(self, e: Event) -> None:
        data = e.data
        self._states[e.partnership] = {
            "formed": e.position,
            "name": dump(data["name"]),
            "stage": dump(data["stage"]),
            "hosts": [[_data(data["terms"]).get("host"), e.on]],
            "pooled": {},
        }
        self._dirty.add(e.partnership)

    def _stage(self, e: Event) -> None:
        state = self._changing(e)
        if state is not None:
            state["stage"] = dump(e.data["to"])

    def _adopted(self, e: Event) -> None:
        state = self._changing(e)
        if state is None:
            return
        if e.data.get("name") is not None:  # a rename
            state["name"] = dump(e.data["name"])
        host = _data(e.data["terms"]).get("host")
        self._host(e, state, host, _data(e.data["effective"]))

    def _pooled(self, e: Event) -> None:
        state = self._changing(e)
        if state is not None:
            self._pool(e, state, e.data["from_party"], e.data["function"], e.on, CEDED)

    def _returned(self, e: Event) -> None:
        state = self._changing(e)
        if state is None:
            return
        key = f"{e.data['from_party']}/{_data(e.data['function'])['id']}"
        pooled = state["pooled"].pop(key, None)
        if pooled is not None:
            self._end(e, pooled, e.on, RETURNED)

    def _succeeded(self, e: Event) -> None:
        state = self._changing(e)
        if state is None:
            return
        predecessor = e.data["predecessor"]
        for key, pooled in list(state["pooled"].items()):
            if pooled["from"] == predecessor:  # passed on: its entries end on the vesting day
                self._end(e, pooled, e.on)
                del state["pooled"][key]
        self._host(e, state, e.data["host"], e.on)
        for inherited in e.data["pooled"]:
            held = _data(inherited)
            since = _data(held["since"])
            self._pool(e, state, held["from_party"], held["function"], since, INHERITED)
