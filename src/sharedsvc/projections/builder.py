"""The read models' rows, computed from stored events decoded once into plain JSON values.

This is the read side's fast path: no domain event objects, no value objects. Each stored event
is decoded with ``orjson`` and dispatched on its topic; what the read models keep of a value is
its stored (transcoded) JSON, which the application's transcoder turns back into the value when
a read model is queried. Three read models are fed:

* **trail**: one row per event of a partnership, its handovers and its disputes: where it is in
  the log, whose it is, its name, legal date and recorded time (the audit trail's index; its
  sentences are written when the trail is read, so that improving one needs no replay);
* **compromises**: one row per concession or ceded function (the compromise ledger);
* **versions**: for each field of each partnership, one row per change of its value, with the
  event, legal date, effective date and recorded time of the change (a versioned release).

The builder remembers what later events need (which partnership a handover or dispute belongs
to, the decision references of approvals and consents, the latest value of each field). A
``Memory`` supplies what it has not seen itself, from the read store, so a follower that
restarts carries on where it stopped.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, NamedTuple, Protocol

import orjson

__all__ = [
    "CEDED",
    "CONCEDED",
    "CompromiseRow",
    "Memory",
    "ReadModelBuilder",
    "Rows",
    "TrailRow",
    "VersionRow",
]

CONCEDED, CEDED = "conceded", "ceded"
PARTNERSHIP, HANDOVER, DISPUTE = "partnership", "handover", "dispute"
_P, _H, _D = "sharedsvc:Partnership.", "sharedsvc:SovereigntyHandover.", "sharedsvc:Dispute."

TERMS_FIELDS = ("cost_pools", "scope", "notice", "governance", "casting_vote", "host", "sla")


class TrailRow(NamedTuple):
    position: int
    partnership: str
    aggregate: str
    kind: str
    version: int
    event: str
    on: str
    recorded_at: str


class CompromiseRow(NamedTuple):
    position: int
    seq: int
    partnership: str
    party: str
    kind: str
    subject: str
    wanted: str
    accepted: str
    rationale: str | None
    ref: str | None
    on: str
    event: str
    source: str


class VersionRow(NamedTuple):
    position: int
    partnership: str
    field: str
    value: str
    event: str
    on: str
    effective: str
    recorded_at: str


class Owner(NamedTuple):
    """Whose a handover or dispute is, and for a handover what its ledger entry needs."""

    partnership: str
    kind: str
    info: str | None


class Rows:
    """What one batch of events adds to the read store."""

    __slots__ = ("compromises", "owners", "refs", "trail", "versions")

    def __init__(self) -> None:
        self.trail: list[TrailRow] = []
        self.compromises: list[CompromiseRow] = []
        self.versions: list[VersionRow] = []
        self.owners: list[tuple[str, str, str, str | None]] = []
        self.refs: list[tuple[str, str, str | None]] = []


class Memory(Protocol):
    """Where the builder finds what it has not seen itself (the read store)."""

    def owner(self, aggregate: str) -> Owner | None: ...

    def ref(self, source: str, party: str) -> str | bool | None: ...

    def latest(self, partnership: str) -> dict[str, str]: ...


class _Forgetful:
    """The memory of a read store that is empty (a replay from the start)."""

    def owner(self, aggregate: str) -> Owner | None:
        return None

    def ref(self, source: str, party: str) -> str | bool | None:
        return False

    def latest(self, partnership: str) -> dict[str, str]:
        return {}


def _dump(value: Any) -> str:
    return orjson.dumps(value).decode()


def _data(value: Any) -> Any:
    """The payload of a transcoded value (``{"_type_": ..., "_data_": ...}``)."""
    return value["_data_"] if isinstance(value, dict) and "_type_" in value else value


def _hex(value: Any) -> str:
    return str(_data(value))


class ReadModelBuilder:
    """Turns stored events into read-model rows (see the module)."""

    def __init__(self, memory: Memory | None = None) -> None:
        self.memory: Memory = memory or _Forgetful()
        self._owners: dict[str, Owner | None] = {}
        self._refs: dict[tuple[str, str], str | None] = {}
        self._latest: dict[str, dict[str, str]] = {}
        self._handlers: dict[str, Callable[[Rows, int, str, dict[str, Any], str], None]] = {
            _P + "Formed": self._formed,
            _P + "VariationApproved": self._approved,
            _P + "VariationAdopted": self._adopted,
            _P + "PartyAdmitted": self._admitted,
            _P + "PartyWithdrew": self._withdrew,
            _P + "StageChanged": self._stage,
            _P + "Dissolved": self._dissolved,
            _H + "Proposed": self._handover_proposed,
            _H + "ConsentGiven": self._consent,
            _H + "Effected": self._effected,
            _D + "Raised": self._raised,
            _D + "Settled": self._settled,
            _D + "Determined": self._settled,
        }

    # --- the one entry point ----------------------------------------------------------------

    def add(
        self, rows: Rows, position: int, originator: str, version: int, topic: str, state: bytes
    ) -> None:
        """Add the rows of one stored event (``originator`` as 32 hex digits)."""
        data: dict[str, Any] | None = None
        if topic.startswith(_P):
            partnership, kind = originator, PARTNERSHIP
        elif topic.startswith((_H, _D)):
            if topic.endswith((".Proposed", ".Raised")):
                data = orjson.loads(state)
                partnership = _hex(data["partnership_id"])
                kind = HANDOVER if topic.startswith(_H) else DISPUTE
                self._own(rows, originator, partnership, kind, data)
            else:
                owner = self._owner(originator)
                if owner is None:
                    return  # not one of ours (or its opening event was never stored)
                partnership, kind = owner.partnership, owner.kind
        else:
            return  # another application's aggregate sharing the store
        if data is None:
            data = orjson.loads(state)
        name = topic.rpartition(".")[2]
        on = _data(data["on"])
        rows.trail.append(
            TrailRow(
                position,
                partnership,
                originator,
                kind,
                version,
                name,
                on,
                _data(data["timestamp"]),
            )
        )
        handler = self._handlers.get(topic)
        if handler is not None:
            handler(rows, position, partnership, data, on)

    def add_all(self, events: Iterable[tuple[int, str, int, str, bytes]]) -> Rows:
        """The rows of several stored events, in log order."""
        rows = Rows()
        for position, originator, version, topic, state in events:
            self.add(rows, position, originator, version, topic, state)
        return rows

    # --- what later events need ---------------------------------------------------------------

    def _own(self, rows: Rows, aggregate: str, partnership: str, kind: str, data: Any) -> None:
        info = None
        if kind == HANDOVER:
            function = _data(data["function"])
            info = _dump(
                {
                    "from_party": data["from_party"],
                    "function": function["id"],
                    "name": function["name"],
                    "rationale": data.get("rationale"),
                    "ref": data.get("ref"),
                }
            )
        self._owners[aggregate] = Owner(partnership, kind, info)
        rows.owners.append((aggregate, partnership, kind, info))

    def _owner(self, aggregate: str) -> Owner | None:
        try:
            return self._owners[aggregate]
        except KeyError:
            owner = self._owners[aggregate] = self.memory.owner(aggregate)
            return owner

    def _remember_ref(self, rows: Rows, source: str, party: str, ref: Any) -> None:
        text = None if ref is None else _dump(ref)
        self._refs[(source, party)] = text
        rows.refs.append((source, party, text))

    def _ref(self, source: str, party: str) -> str | None:
        try:
            return self._refs[(source, party)]
        except KeyError:
            found = self.memory.ref(source, party)
            return None if found is False else found  # type: ignore[return-value]

    def _fields(self, partnership: str) -> dict[str, str]:
        fields = self._latest.get(partnership)
        if fields is None:
            fields = self._latest[partnership] = dict(self.memory.latest(partnership))
        return fields

    def _set(
        self,
        rows: Rows,
        position: int,
        partnership: str,
        data: dict[str, Any],
        field: str,
        value: Any,
        effective: str,
    ) -> None:
        text = _dump(value)
        fields = self._fields(partnership)
        if fields.get(field) == text:
            return
        fields[field] = text
        rows.versions.append(
            VersionRow(
                position,
                partnership,
                field,
                text,
                "",  # filled in by _event below
                _data(data["on"]),
                effective,
                _data(data["timestamp"]),
            )
        )

    def _terms(
        self, rows: Rows, position: int, partnership: str, data: dict[str, Any], effective: str
    ) -> None:
        terms = _data(data["terms"])
        for field in TERMS_FIELDS:
            self._set(rows, position, partnership, data, field, terms.get(field), effective)

    # --- handlers -----------------------------------------------------------------------------

    def _formed(self, rows: Rows, position: int, pid: str, data: dict[str, Any], on: str) -> None:
        start = len(rows.versions)
        self._set(rows, position, pid, data, "name", data["name"], on)
        self._set(rows, position, pid, data, "stage", data["stage"], on)
        parties = [_data(party)["id"] for party in data["parties"]]
        self._set(rows, position, pid, data, "parties", parties, on)
        self._terms(rows, position, pid, data, on)
        self._name_versions(rows, start, "Formed")

    def _approved(self, rows: Rows, position: int, pid: str, data: dict[str, Any], on: str) -> None:
        self._remember_ref(rows, _hex(data["variation_id"]), data["party"], data.get("ref"))

    def _adopted(self, rows: Rows, position: int, pid: str, data: dict[str, Any], on: str) -> None:
        variation = _hex(data["variation_id"])
        start = len(rows.versions)
        self._terms(rows, position, pid, data, _data(data["effective"]))
        self._name_versions(rows, start, "VariationAdopted")
        self._concessions(rows, position, pid, data, on, "VariationAdopted", variation, True)

    def _admitted(self, rows: Rows, position: int, pid: str, data: dict[str, Any], on: str) -> None:
        parties = orjson.loads(self._fields(pid).get("parties", "[]"))
        parties.append(_data(data["party"])["id"])
        start = len(rows.versions)
        self._set(rows, position, pid, data, "parties", parties, _data(data["effective"]))
        self._name_versions(rows, start, "PartyAdmitted")

    def _withdrew(self, rows: Rows, position: int, pid: str, data: dict[str, Any], on: str) -> None:
        parties = orjson.loads(self._fields(pid).get("parties", "[]"))
        parties = [party for party in parties if party != data["party"]]
        start = len(rows.versions)
        self._set(rows, position, pid, data, "parties", parties, on)
        self._set(rows, position, pid, data, "cost_pools", data["cost_pools"], on)
        self._name_versions(rows, start, "PartyWithdrew")

    def _stage(self, rows: Rows, position: int, pid: str, data: dict[str, Any], on: str) -> None:
        start = len(rows.versions)
        self._set(rows, position, pid, data, "stage", data["to"], on)
        self._name_versions(rows, start, "StageChanged")

    def _dissolved(
        self, rows: Rows, position: int, pid: str, data: dict[str, Any], on: str
    ) -> None:
        start = len(rows.versions)
        effective = _data(data["effective"])
        self._set(rows, position, pid, data, "dissolved", effective, effective)
        self._name_versions(rows, start, "Dissolved")

    def _handover_proposed(
        self, rows: Rows, position: int, pid: str, data: dict[str, Any], on: str
    ) -> None:
        pass  # its owner row was written by add()

    def _consent(self, rows: Rows, position: int, pid: str, data: dict[str, Any], on: str) -> None:
        handover = rows.trail[-1].aggregate
        self._remember_ref(rows, handover, data["party"], data.get("ref"))

    def _effected(self, rows: Rows, position: int, pid: str, data: dict[str, Any], on: str) -> None:
        handover = rows.trail[-1].aggregate
        owner = self._owner(handover)
        if owner is None or owner.info is None:
            return
        info = orjson.loads(owner.info)
        party = info["from_party"]
        ref = self._ref(handover, party)
        if ref is None and info["ref"] is not None:
            ref = _dump(info["ref"])
        rows.compromises.append(
            CompromiseRow(
                position,
                0,
                pid,
                party,
                CEDED,
                info["function"],
                _dump(f"kept by {party}: {info['name']}"),
                _dump("held by the shared service"),
                info["rationale"],
                ref,
                on,
                "Effected",
                handover,
            )
        )

    def _raised(self, rows: Rows, position: int, pid: str, data: dict[str, Any], on: str) -> None:
        pass  # its owner row was written by add()

    def _settled(self, rows: Rows, position: int, pid: str, data: dict[str, Any], on: str) -> None:
        dispute = rows.trail[-1].aggregate
        name = rows.trail[-1].event
        self._concessions(rows, position, pid, data, on, name, dispute, False)

    def _concessions(
        self,
        rows: Rows,
        position: int,
        pid: str,
        data: dict[str, Any],
        on: str,
        event: str,
        source: str,
        with_refs: bool,
    ) -> None:
        for seq, concession in enumerate(data.get("concessions") or ()):
            c = _data(concession)
            party = c["party"]
            rows.compromises.append(
                CompromiseRow(
                    position,
                    seq,
                    pid,
                    party,
                    CONCEDED,
                    c["subject"],
                    _dump(c.get("wanted")),
                    _dump(c.get("accepted")),
                    c.get("rationale"),
                    self._ref(source, party) if with_refs else None,
                    on,
                    event,
                    source,
                )
            )

    @staticmethod
    def _name_versions(rows: Rows, start: int, event: str) -> None:
        for index in range(start, len(rows.versions)):
            rows.versions[index] = rows.versions[index]._replace(event=event)
