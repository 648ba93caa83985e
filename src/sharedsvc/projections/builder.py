"""The read models' rows, computed from stored events decoded once into plain JSON values.

This is the read side's fast path: no domain event objects, no value objects. Each stored event
is decoded with ``orjson`` and dispatched on its topic, in a table built once from the catalogue
of acts (`sharedsvc.acts`: the events its acts record, and their consequences); what the
read models keep of a value is its stored (transcoded) JSON, which the application's
transcoder turns back into the value when a read model is queried. These read models are fed:

* **trail**: one entry per event of a partnership, its handovers and its disputes: where it is
  in the log, whose it is, its name and legal date (the audit trail's index; its sentences are
  written when the trail is read, so that improving one needs no replay);
* **compromises**: one row per concession or ceded function (the compromise ledger);
* **versions**: for each field of each partnership, one row per change of its value, with the
  event, legal date, effective date and recorded time of the change (a versioned release).
* **sovereignty**: for each party, one row per function it ceded, got back, inherited or
  holds as host (`sharedsvc.projections.builder_sovereignty`, which keeps them).
* **partnerships**: one row per partnership as it stands (name, stage, members, dissolution),
  to find one by name and list them all (`sharedsvc.projections.builder_index`).

The builder remembers what later events need (which partnership a handover or dispute belongs
to, a handover's proposal and the parties it hands over from, which a succession changes while
it is proposed, the decision references of approvals, consents and settlement acceptances
(`sharedsvc.projections.open_refs`), the latest value of each field). A ``Memory`` supplies
what it has not seen itself, from the read store, so a follower that restarts carries on where
it stopped.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from typing import Any

import orjson

from sharedsvc._adapters.rows import RawRow
from sharedsvc._adapters.wire import DATA, legal_date
from sharedsvc._adapters.wire import payload as _data
from sharedsvc.acts import (
    ApproveVariation,
    ChangeStage,
    CompleteWithdrawal,
    FormPartnership,
    RejectVariation,
    WithdrawDispute,
    WithdrawHandover,
    openings,
)
from sharedsvc.domain.errors import EventNotApplied
from sharedsvc.projections.builder_events import (
    Event,
    Forgetful,
    Handler,
    Known,
    concessions_of,
    every_one,
    reason,
)
from sharedsvc.projections.builder_events import dump as _dump
from sharedsvc.projections.builder_events import hex_of as _hex
from sharedsvc.projections.builder_index import IndexFollower
from sharedsvc.projections.builder_sovereignty import SovereigntyFollower
from sharedsvc.projections.ledger import (
    ACCEPTANCE,
    ADOPTION,
    APPROVAL,
    CEDED,
    CONCEDED,
    CONSENT,
    DETERMINATION,
    EFFECT,
    SETTLEMENT,
    SUCCESSION,
    Compromise,
    dispute_closed,
    handover_effected,
    handover_succeeded,
    variation_adopted,
)
from sharedsvc.projections.open_refs import OpenRefs
from sharedsvc.projections.rows import CompromiseRow, Memory, Owner, Rows, TrailRow, VersionRow

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

PARTNERSHIP, HANDOVER, DISPUTE = "partnership", "handover", "dispute"
_P, _H, _D = "sharedsvc:Partnership.", "sharedsvc:SovereigntyHandover.", "sharedsvc:Dispute."

_event = partial(tuple.__new__, Event)  # an `Event` without its constructor's Python call

TERMS_FIELDS = ("cost_pools", "scope", "notice", "governance", "casting_vote", "host", "sla")

OPENINGS = {topic: act.source("pid") for topic, act in openings().items()}
"""The topics of the events that open a handover or a dispute, and the field of each that
names the partnership it belongs to."""


class ReadModelBuilder:
    """Turns stored events into read-model rows (see the module)."""

    def __init__(self, memory: Memory | None = None) -> None:
        self.memory: Memory = memory or Forgetful()
        self._owners: dict[str, Owner | None] = {}
        self._refs = OpenRefs(self.memory)  # of open variations, handovers and disputes
        self._latest: dict[str, dict[str, str]] = {}
        self._handlers: dict[str, Handler] = {
            FormPartnership.records.TOPIC: self._formed,
            APPROVAL.TOPIC: self._approved,
            ADOPTION.TOPIC: self._adopted,
            RejectVariation.records.TOPIC: self._rejected,
            ApproveVariation.consequence("party").TOPIC: self._admitted,
            CompleteWithdrawal.records.TOPIC: self._withdrew,
            ChangeStage.records.TOPIC: self._stage,
            ApproveVariation.consequence("final_account").TOPIC: self._dissolved,
            CONSENT.TOPIC: self._consent,
            SUCCESSION.TOPIC: self._succeeded,
            EFFECT.TOPIC: self._effected,
            WithdrawHandover.records.TOPIC: self._closed,
            ACCEPTANCE.TOPIC: self._accepted,
            SETTLEMENT.TOPIC: self._settled,
            DETERMINATION.TOPIC: self._determined,
            WithdrawDispute.records.TOPIC: self._closed,
        }
        self.sovereignty = SovereigntyFollower(self.memory)
        self.index = IndexFollower(self.memory)
        self._topics: dict[str, Known] = {}
        self._dates: dict[str, str] = {}  # the legal dates seen (a few thousand in decades)

    def _topic(self, topic: str) -> Known:
        """What a topic is: whose events (None: not ours), the event's name, its handler, and
        the field naming the partnership when it opens a handover or dispute (None if not)."""
        kind = (
            PARTNERSHIP
            if topic.startswith(_P)
            else HANDOVER
            if topic.startswith(_H)
            else DISPUTE
            if topic.startswith(_D)
            else None
        )
        handler = every_one(
            self._handlers.get(topic),
            self.sovereignty.handlers.get(topic),
            self.index.handlers.get(topic),
        )
        known = self._topics[topic] = (kind, topic.rpartition(".")[2], handler, OPENINGS.get(topic))
        return known

    # --- the one entry point ----------------------------------------------------------------

    def add(
        self, rows: Rows, position: int, originator: str, version: int, topic: str, state: bytes
    ) -> None:
        """Add the rows of one stored event (``originator`` as 32 hex digits);
        `sharedsvc.EventNotApplied` if it cannot."""
        self.add_page(rows, ((position, originator, version, topic, state),))

    def add_page(self, rows: Rows, page: Iterable[RawRow]) -> None:
        """Add the rows of stored events in log order: (position, originator as 32 hex digits,
        version, topic, state as bytes) each; `sharedsvc.EventNotApplied` for an event it
        cannot apply, with those before it added. An event no handler follows is not decoded:
        the trail needs only its legal date (`legal_date`). The loop runs once per event."""
        topics, owners, trail, loads = self._topics, self._owners, rows.trail, orjson.loads
        dates = self._dates
        row: RawRow = ()
        try:
            for row in page:
                position, originator, version, topic, state = row
                kind, name, handler, opening = topics.get(topic) or self._topic(topic)
                if kind is None:
                    continue  # another application's aggregate sharing the store
                data: Any = None
                on = legal_date(state) if handler is None and opening is None else None
                if on is None:
                    data = loads(state)
                if kind == PARTNERSHIP:
                    partnership, aggregate = originator, None
                elif opening is not None:
                    partnership = data[opening][DATA]
                    self._own(rows, originator, partnership, kind, data)
                    aggregate = originator
                else:
                    owner = owners.get(originator) or self._owner(originator)
                    if owner is None:
                        continue  # not one of ours (or its opening event was never stored)
                    partnership, aggregate = owner.partnership, originator
                on = on or data["on"][DATA]  # from the decoded state if not from the bytes
                on = dates.setdefault(on, on)  # one string per date: a batch holds many
                entries = trail.get(partnership)
                if entries is None:
                    entries = trail[partnership] = []
                entries.append((position, aggregate, version, name, on))
                if handler is not None:
                    at = data["timestamp"][DATA]
                    handler(_event((rows, position, partnership, originator, name, data, on, at)))
        except Exception as error:
            raise EventNotApplied(row[0], row[3], reason(error)) from error

    def add_all(self, events: Iterable[tuple[int, str, int, str, bytes]]) -> Rows:
        """The rows of several stored events, in log order."""
        rows = Rows()
        self.add_page(rows, events)
        return self.flush(rows)

    # --- what later events need ---------------------------------------------------------------

    def _own(self, rows: Rows, aggregate: str, partnership: str, kind: str, data: Any) -> None:
        info = None
        if kind == HANDOVER:
            function = _data(data["function"])
            proposal = {
                "from_party": data["from_party"],
                "function": function["id"],
                "name": function["name"],
                "rationale": data.get("rationale"),
                "ref": data.get("ref"),
            }
            if data.get("from_parties"):  # a combined service: every one of them cedes it
                proposal["from_parties"] = data["from_parties"]
            info = _dump(proposal)
        self._owners[aggregate] = Owner(partnership, kind, info)
        rows.owners.append((aggregate, partnership, kind, info))

    def _owner(self, aggregate: str) -> Owner | None:
        if aggregate in self._owners:
            return self._owners[aggregate]
        owner = self._owners[aggregate] = self.memory.owner(aggregate)
        return owner

    def flush(self, rows: Rows) -> Rows:
        """Add to ``rows`` the decision references of approvals and consents still open at
        the end of a batch (those closed within it never reach the store); returns ``rows``.
        Call it before the batch is written."""
        self._refs.flush(rows)
        self.sovereignty.flush(rows)
        self.index.flush(rows)
        return rows

    def _fields(self, partnership: str) -> dict[str, str]:
        """The latest value of each field of a partnership, as JSON text (compact to keep:
        this is what grows with the number of partnerships)."""
        fields = self._latest.get(partnership)
        if fields is None:
            fields = self._latest[partnership] = dict(self.memory.latest(partnership))
        return fields

    def _set(self, e: Event, field: str, value: Any, effective: str) -> None:
        text = _dump(value)
        fields = self._fields(e.partnership)
        if fields.get(field) == text:
            return
        fields[field] = text
        e.rows.versions.setdefault(e.partnership, []).append(
            (e.position, field, text, e.name, e.on, effective, e.recorded_at)
        )

    def _terms(self, e: Event, terms: dict[str, Any], effective: str) -> None:
        # `_set` for each field of the terms, written out: an adoption sets seven
        fields = self._fields(e.partnership)
        get, dumps, versions = terms.get, orjson.dumps, None
        for field in TERMS_FIELDS:
            text = dumps(get(field)).decode()
            if fields.get(field) == text:
                continue
            fields[field] = text
            if versions is None:
                versions = e.rows.versions.setdefault(e.partnership, [])
            versions.append((e.position, field, text, e.name, e.on, effective, e.recorded_at))

    # --- handlers -----------------------------------------------------------------------------

    def _formed(self, e: Event) -> None:
        data = e.data
        self._set(e, "name", data["name"], e.on)
        self._set(e, "stage", data["stage"], e.on)
        self._set(e, "parties", [_data(party)["id"] for party in data["parties"]], e.on)
        self._terms(e, _data(data["terms"]), e.on)

    def _approved(self, e: Event) -> None:
        data = e.data
        self._refs.remember(data["variation_id"][DATA], data["party"], data.get("ref"))

    def _adopted(self, e: Event) -> None:
        variation = _hex(e.data["variation_id"])
        effective = _data(e.data["effective"])
        if e.data.get("name") is not None:  # a rename
            self._set(e, "name", e.data["name"], effective)
        self._terms(e, _data(e.data["terms"]), effective)
        concessions = e.data.get("concessions")
        if concessions:  # most variations record none: nothing to do for them
            made = variation_adopted(
                concessions_of(concessions), partial(self._refs.ref, variation)
            )
            self._compromises(e, variation, made)
        self._refs.forget(e.rows, variation)

    def _rejected(self, e: Event) -> None:
        self._refs.forget(e.rows, _hex(e.data["variation_id"]))

    def _admitted(self, e: Event) -> None:
        parties = orjson.loads(self._fields(e.partnership).get("parties", "[]"))
        parties.append(_data(e.data["party"])["id"])
        self._set(e, "parties", parties, _data(e.data["effective"]))

    def _withdrew(self, e: Event) -> None:
        parties = orjson.loads(self._fields(e.partnership).get("parties", "[]"))
        self._set(e, "parties", [party for party in parties if party != e.data["party"]], e.on)
        self._set(e, "cost_pools", e.data["cost_pools"], e.on)

    def _stage(self, e: Event) -> None:
        self._set(e, "stage", e.data["to"], e.on)

    def _dissolved(self, e: Event) -> None:
        effective = _data(e.data["effective"])
        self._set(e, "dissolved", effective, effective)

    def _consent(self, e: Event) -> None:
        self._refs.remember(e.aggregate, e.data["party"], e.data.get("ref"))

    def _succeeded(self, e: Event) -> None:
        """A party of the handover was succeeded: while it is proposed, the consent the
        predecessor gave counts for the successors it passes to, and a ceding predecessor's
        successors cede the function in its place (its owner row says so from now on)."""
        owner = self._owner(e.aggregate)
        if owner is None or owner.info is None:
            return
        info, data = orjson.loads(owner.info), e.data
        ceding = info.get("from_parties") or [info["from_party"]]
        handed = handover_succeeded(
            ceding, data["predecessor"], data["successors"], data["inheriting"],
            data.get("consent"),
        )  # fmt: skip
        for party, ref in handed.consents.items():
            self._refs.remember(e.aggregate, party, ref)
        if list(handed.ceding) != list(ceding):
            info["from_parties"] = list(handed.ceding)
            text = _dump(info)
            self._owners[e.aggregate] = Owner(owner.partnership, owner.kind, text)
            e.rows.owners.append((e.aggregate, owner.partnership, owner.kind, text))

    def _effected(self, e: Event) -> None:
        self._ceded(e)
        self._refs.forget(e.rows, e.aggregate)

    def _closed(self, e: Event) -> None:
        self._refs.forget(e.rows, e.aggregate)

    def _ceded(self, e: Event) -> None:
        owner = self._owner(e.aggregate)
        if owner is None or owner.info is None:
            return
        info = orjson.loads(owner.info)
        offered = info["ref"]
        made = handover_effected(
            info["from_party"],
            info["function"],
            info["name"],
            info["rationale"],
            None if offered is None else _dump(offered),
            partial(self._refs.ref, e.aggregate),
            info.get("from_parties", ()),
        )
        self._compromises(e, e.aggregate, made)

    def _accepted(self, e: Event) -> None:
        self._refs.remember(e.aggregate, e.data["party"], e.data.get("ref"))

    def _settled(self, e: Event) -> None:
        concessions = e.data.get("concessions")
        if concessions:
            made = dispute_closed(concessions_of(concessions), partial(self._refs.ref, e.aggregate))
            self._compromises(e, e.aggregate, made)
        self._refs.forget(e.rows, e.aggregate)

    def _determined(self, e: Event) -> None:
        concessions = e.data.get("concessions")
        if concessions:
            self._compromises(e, e.aggregate, dispute_closed(concessions_of(concessions)))
        self._refs.forget(e.rows, e.aggregate)

    def _compromises(self, e: Event, source: str, made: Iterable[Compromise]) -> None:
        """The ledger's rows of the entries an event made (the rules are
        `sharedsvc.projections.ledger`'s), their values and references as JSON text."""
        append = e.rows.compromises.append
        for seq, (party, kind, subject, wanted, accepted, rationale, ref) in enumerate(made):
            append(
                (
                    e.position, seq, e.partnership, party, kind, subject, _dump(wanted),
                    _dump(accepted), rationale, ref, e.on, e.name, source,
                )
            )  # fmt: skip
