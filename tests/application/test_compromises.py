"""The compromise ledger, entry by entry, on every store.

One history of the three-borough partnership holds variations with positions, handovers, a
dispute settled at the third rung (chief executives) and one determined by an arbiter, besides
business that compromises nothing (a withdrawn handover, a rejected variation, a withdrawn
dispute). A second partnership of two of the same councils runs interleaved with it. The tests
write down the ledger they expect as the history is recorded, each entry with the position of
the event that recorded it as the store's global log gives it.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any
from uuid import UUID, uuid4

import pytest
from handover_harness import (
    CONTACT_CENTRE,
    COUNCIL_TAX,
    SERVICE_DESK,
    climb,
    consent_ref,
    refused,
)
from harness import (
    InMemoryStore,
    OpenApp,
    PostgresStore,
    SQLiteStore,
    StoreContract,
    form_pair,
    form_trio,
    ref,
)

from sharedsvc import (
    CompromiseEntry,
    DecisionRef,
    Function,
    NotFound,
    Notice,
    Rung,
    SharedServices,
)
from sharedsvc.projections.compromises import PAGE, TOPICS
from sharedsvc.projections.read_models import ReadModels

Ledger = dict[str, list[CompromiseEntry]]


def approval_ref(party: str, on: date) -> DecisionRef:
    """The decision by which ``party`` approved a variation on ``on``."""
    return ref(f"{party.title()} Executive", f"EXE/{on:%Y%m%d}/{party[:3].upper()}", on)


def kept(party: str, function: Function) -> str:
    """What the ledger says a council wanted of a function it ceded: to keep it."""
    return f"kept by {party}: {function.name}"


def recorded(app: SharedServices, aggregate_id: UUID, name: str) -> int:
    """The global position of an aggregate's latest event, checked to be named ``name``: read
    from the store's notification log, not from the ledger under test."""
    version = list(app.events.get(aggregate_id))[-1].originator_version
    notifications = [
        n
        for n in app.recorder.select_notifications(start=1, limit=10_000)
        if n.originator_id == aggregate_id and n.originator_version == version
    ]
    assert 1 == len(notifications)
    assert notifications[0].topic.endswith(f".{name}"), notifications[0].topic
    return notifications[0].id


class History:
    """Records histories through the verbs and writes down the ledgers it expects, one per
    partnership."""

    def __init__(self, app: SharedServices) -> None:
        self.app = app
        self.expected: dict[UUID, Ledger] = {}

    def expect(
        self, pid: UUID, party: str, kind: str, subject: str, wanted: Any, accepted: Any, *,
        rationale: str | None, ref: DecisionRef | None, on: date, source: UUID, event: str,
    ) -> None:  # fmt: skip
        """Expect an entry recorded by the latest event of the partnership (for an adopted
        variation) or of ``source`` (a handover or a dispute)."""
        writer = pid if event == "VariationAdopted" else source
        position = recorded(self.app, writer, event)
        entry = CompromiseEntry(
            party, kind, subject, wanted, accepted, rationale, ref, on, position, event, source
        )
        self.expected.setdefault(pid, {}).setdefault(party, []).append(entry)

    # --- the acts ---------------------------------------------------------------------

    def vary(
        self,
        pid: UUID,
        *,
        by: str,
        changes: dict[str, Any],
        positions: dict[str, dict[str, Any]],
        approvers: list[str],
        rationale: str,
        on: date,
    ) -> tuple[UUID, dict[str, DecisionRef]]:
        """Propose, state positions, and approve in the order given; the last adopts."""
        app = self.app
        vid = app.propose_variation(pid, by=by, changes=changes, rationale=rationale, on=on)
        for party, position in positions.items():
            app.state_position(pid, vid, party=party, position=position, on=on)
        refs = {party: approval_ref(party, on) for party in approvers}
        adopted = [
            app.approve_variation(pid, vid, party=party, ref=refs[party], on=on)
            for party in approvers
        ]
        assert [False] * (len(approvers) - 1) + [True] == adopted
        return vid, refs

    def hand_over(
        self, pid: UUID, function: Any, *, by: str, rationale: str, on: date
    ) -> tuple[UUID, dict[str, DecisionRef]]:
        """Propose (with the proposer's own decision to offer it), have every active party
        consent (the proposer second), effect. The ledger must name the proposer's consent."""
        app = self.app
        offer = ref(f"{by.title()} Leader", "offer", on)
        hid = app.propose_handover(
            pid, function=function, by=by, rationale=rationale, ref=offer, on=on
        )
        others = [p for p in app.partnership(pid).active_parties if p != by]
        parties = [*others[:1], by, *others[1:]]
        refs = {party: consent_ref(party, on) for party in parties}
        for party in parties:
            app.consent_to_handover(hid, party=party, ref=refs[party], on=on)
        app.effect_handover(hid, on=on)
        return hid, refs


def record(app: SharedServices) -> tuple[UUID, UUID, Ledger, Ledger, dict[str, Any]]:
    """Record both histories; returns the two partnership ids, their expected ledgers and the
    ids of what was recorded."""
    h = History(app)
    pid = form_trio(app)  # Camden hosts; collaborating since 1 October 2016
    ids: dict[str, Any] = {}

    # 1. Camden proposes a service level; Islington wanted a higher one and concedes; Haringey
    # wanted what was adopted and concedes nothing.
    on = date(2017, 1, 9)
    v1, refs = h.vary(
        pid,
        by="camden",
        changes={"sla": "99.5% availability"},
        positions={
            "islington": {"sla": "99.9% availability"},
            "haringey": {"sla": "99.5% availability"},
        },
        approvers=["islington", "camden", "haringey"],
        rationale="a service level the desk can meet",
        on=on,
    )
    h.expect(
        pid, "islington", "conceded", "sla", "99.9% availability", "99.5% availability",
        rationale="a service level the desk can meet", ref=refs["islington"], on=on,
        source=v1, event="VariationAdopted",
    )  # fmt: skip
    ids["v1"] = v1

    # 2. Haringey cedes its council tax collection.
    on = date(2017, 2, 13)
    tax, refs = h.hand_over(
        pid, COUNCIL_TAX, by="haringey", rationale="economies of scale in collection", on=on
    )
    h.expect(
        pid, "haringey", "ceded", "revenues.council-tax", kept("haringey", COUNCIL_TAX),
        "held by the shared service", rationale="economies of scale in collection",
        ref=refs["haringey"], on=on, source=tax, event="Effected",
    )  # fmt: skip
    ids["tax"] = tax

    # Meanwhile, a second partnership of Camden and Islington compromises too.
    other = form_pair(app, name="Shared Legal", on=on)
    legal_v, refs = h.vary(
        other,
        by="camden",
        changes={"sla": "48-hour turnaround"},
        positions={"islington": {"sla": "24-hour turnaround"}},
        approvers=["camden", "islington"],
        rationale="what the team can do",
        on=on,
    )
    h.expect(
        other, "islington", "conceded", "sla", "24-hour turnaround", "48-hour turnaround",
        rationale="what the team can do", ref=refs["islington"], on=on, source=legal_v,
        event="VariationAdopted",
    )  # fmt: skip
    other_desk, refs = h.hand_over(
        other, SERVICE_DESK, by="camden", rationale="one legal help desk", on=on
    )
    h.expect(
        other, "camden", "ceded", "ict.service-desk", kept("camden", SERVICE_DESK),
        "held by the shared service", rationale="one legal help desk", ref=refs["camden"],
        on=on, source=other_desk, event="Effected",
    )  # fmt: skip
    other_dispute = app.raise_dispute(
        other, by="islington", against=["camden"], subject="legal fees", on=on
    )
    app.state_dispute_position(other_dispute, party="camden", position={"fees": "fixed"}, on=on)
    app.propose_settlement(other_dispute, by="islington", terms={"fees": "hourly"}, on=on)
    for party in ("islington", "camden"):
        app.accept_settlement(other_dispute, party=party, on=on)
    h.expect(
        other, "camden", "conceded", "fees", "fixed", "hourly", rationale="legal fees",
        ref=None, on=on, source=other_dispute, event="Settled",
    )  # fmt: skip
    ids.update(other_desk=other_desk, other_dispute=other_dispute)

    # 3. Islington proposes twelve months' notice: Camden wanted six, Haringey nine.
    on = date(2017, 3, 6)
    v2, refs = h.vary(
        pid,
        by="islington",
        changes={"notice": Notice(months=12)},
        positions={
            "camden": {"notice": Notice(months=6)},
            "haringey": {"notice": Notice(months=9)},
        },
        approvers=["islington", "camden", "haringey"],
        rationale="time to plan an exit",
        on=on,
    )
    for party, months in (("camden", 6), ("haringey", 9)):
        h.expect(
        pid,     party, "conceded", "notice", Notice(months=months), Notice(months=12),
            rationale="time to plan an exit", ref=refs[party], on=on, source=v2,
            event="VariationAdopted",
        )  # fmt: skip
    ids["v2"] = v2

    # Business that compromises nothing: a withdrawn handover, a rejected variation with a
    # position stated, a withdrawn dispute with positions stated.
    withdrawn = app.propose_handover(pid, function=CONTACT_CENTRE, by="islington", on=on)
    app.consent_to_handover(withdrawn, party="camden", on=on)
    app.withdraw_handover(withdrawn, by="islington", on=on)
    rejected = app.propose_variation(pid, by="haringey", changes={"sla": "99%"}, on=on)
    app.state_position(pid, rejected, party="camden", position={"sla": "99.9%"}, on=on)
    app.approve_variation(pid, rejected, party="haringey", on=on)
    app.reject_variation(pid, rejected, party="camden", on=on)
    dropped = app.raise_dispute(pid, by="camden", against=["islington"], subject="fees", on=on)
    app.state_dispute_position(dropped, party="islington", position={"fees": "none"}, on=on)
    app.propose_settlement(dropped, by="camden", terms={"fees": "some"}, on=on)
    app.accept_settlement(dropped, party="camden", on=on)
    app.withdraw_dispute(dropped, by="camden", on=on)
    ids.update(withdrawn=withdrawn, rejected=rejected, dropped=dropped)

    # 4. Islington disputes the ICT recharges with Camden and Haringey; it is settled at the
    # third rung, the chief executives, on Islington's terms.
    raised = date(2017, 4, 3)
    dispute = app.raise_dispute(
        pid, by="islington", against=["camden", "haringey"], subject="ICT recharges", on=raised
    )
    for party, basis in (("islington", "usage"), ("camden", "equal"), ("haringey", "population")):
        app.state_dispute_position(dispute, party=party, position={"basis": basis}, on=raised)
    app.escalate_dispute(dispute, by="islington", reason="officers disagree", on=date(2017, 5, 2))
    app.escalate_dispute(dispute, by="camden", reason="directors disagree", on=date(2017, 6, 5))
    assert Rung.CHIEF_EXECUTIVES == app.dispute(dispute).rung
    app.propose_settlement(dispute, by="camden", terms={"basis": "usage"}, on=date(2017, 6, 19))
    on = date(2017, 6, 26)
    accepted = {party: approval_ref(party, on) for party in ("islington", "haringey", "camden")}
    for party, decision in accepted.items():
        app.accept_settlement(dispute, party=party, ref=decision, on=on)
    assert ("settled", Rung.CHIEF_EXECUTIVES) == (
        app.dispute(dispute).status,
        app.dispute(dispute).rung,
    )
    for party, basis in (("camden", "equal"), ("haringey", "population")):
        h.expect(
        pid,     party, "conceded", "basis", basis, "usage", rationale="ICT recharges",
            ref=accepted[party], on=on, source=dispute, event="Settled",
        )  # fmt: skip
    ids["dispute"] = dispute

    # 5. Haringey proposes a casting vote; Camden wanted none.
    on = date(2017, 7, 3)
    v3, refs = h.vary(
        pid,
        by="haringey",
        changes={"casting_vote": True},
        positions={"camden": {"casting_vote": False}},
        approvers=["haringey", "islington", "camden"],
        rationale="break deadlocks in the joint committee",
        on=on,
    )
    h.expect(
        pid, "camden", "conceded", "casting_vote", False, True,
        rationale="break deadlocks in the joint committee", ref=refs["camden"], on=on,
        source=v3, event="VariationAdopted",
    )  # fmt: skip
    ids["v3"] = v3

    # 6. Camden cedes its service desk.
    on = date(2017, 8, 1)
    desk, refs = h.hand_over(pid, SERVICE_DESK, by="camden", rationale="one desk", on=on)
    h.expect(
        pid, "camden", "ceded", "ict.service-desk", kept("camden", SERVICE_DESK),
        "held by the shared service", rationale="one desk", ref=refs["camden"], on=on,
        source=desk, event="Effected",
    )  # fmt: skip
    ids["desk"] = desk

    # 7. Haringey and Islington go to arbitration over the data role; the arbiter determines it
    # Haringey's way. Islington accepted terms proposed on the way, which settled nothing: the
    # determination, not that acceptance, is the authority for what Islington conceded.
    raised = date(2017, 9, 4)
    arbitrated = app.raise_dispute(
        pid, by="haringey", against=["islington"], subject="data sharing", on=raised
    )
    app.state_dispute_position(
        arbitrated, party="haringey", position={"role": "joint-controllers"}, on=raised
    )
    app.state_dispute_position(
        arbitrated, party="islington", position={"role": "host-processor"}, on=raised
    )
    app.propose_settlement(arbitrated, by="islington", terms={"role": "host-processor"}, on=raised)
    app.accept_settlement(
        arbitrated, party="islington", ref=approval_ref("islington", raised), on=raised
    )
    climb(app, arbitrated, by="haringey", to=Rung.ARBITRATION, on=raised)
    on = date(2017, 12, 1)
    app.determine_dispute(arbitrated, arbiter="CEDR", terms={"role": "joint-controllers"}, on=on)
    h.expect(
        pid, "islington", "conceded", "role", "host-processor", "joint-controllers",
        rationale="data sharing", ref=None, on=on, source=arbitrated, event="Determined",
    )  # fmt: skip
    ids["arbitrated"] = arbitrated

    return pid, other, h.expected[pid], h.expected[other], ids


class CompromiseLedgerContract(StoreContract):
    """What every store must do for the compromise ledger."""

    @pytest.fixture
    def history(self, app: SharedServices) -> tuple[UUID, UUID, Ledger, Ledger, dict[str, Any]]:
        return record(app)

    def test_each_partys_compromises_are_listed_entry_by_entry(
        self, app: SharedServices, history: tuple[UUID, UUID, Ledger, Ledger, dict[str, Any]]
    ) -> None:
        pid, _, expected, _, _ = history
        ledger = app.compromises(pid)
        assert ["camden", "haringey", "islington"] == sorted(ledger)
        for party in ("camden", "haringey", "islington"):
            assert expected[party] == ledger[party], party
        assert expected == ledger

    def test_each_partys_entries_follow_the_global_log_strictly(
        self, app: SharedServices, history: tuple[UUID, UUID, Ledger, Ledger, dict[str, Any]]
    ) -> None:
        pid = history[0]
        for party, entries in app.compromises(pid).items():
            positions = [entry.position for entry in entries]
            assert sorted(set(positions)) == positions, party
            assert all(0 < position <= app.highest_position() for position in positions)

    def test_every_concession_of_a_variation_settlement_or_determination_appears_exactly_once(
        self, app: SharedServices, history: tuple[UUID, UUID, Ledger, Ledger, dict[str, Any]]
    ) -> None:
        pid, _, _, _, ids = history
        recorded_concessions = Counter(
            (c.party, c.subject, c.wanted, c.accepted, c.rationale, source)
            for source, concessions in [
                *((v.id, v.concessions) for v in app.variations(pid)),
                *((d, app.dispute(d).concessions) for d in (ids["dispute"], ids["arbitrated"])),
            ]
            for c in concessions
        )
        assert 7 == sum(recorded_concessions.values())
        listed = Counter(
            (e.party, e.subject, e.wanted, e.accepted, e.rationale, e.source)
            for entries in app.compromises(pid).values()
            for e in entries
            if e.kind == "conceded"
        )
        assert recorded_concessions == listed
        ceded = [e.source for es in app.compromises(pid).values() for e in es if e.kind == "ceded"]
        assert sorted([ids["tax"], ids["desk"]]) == sorted(ceded)

    def test_business_that_compromised_nothing_is_not_in_the_ledger(
        self, app: SharedServices, history: tuple[UUID, UUID, Ledger, Ledger, dict[str, Any]]
    ) -> None:
        pid, _, _, _, ids = history
        sources = {e.source for es in app.compromises(pid).values() for e in es}
        assert set() == sources & {ids["withdrawn"], ids["rejected"], ids["dropped"]}

    def test_another_partnerships_compromises_stay_in_its_own_ledger(
        self, app: SharedServices, history: tuple[UUID, UUID, Ledger, Ledger, dict[str, Any]]
    ) -> None:
        pid, other, _, other_expected, ids = history
        other_ledger = app.compromises(other)
        assert other_expected == other_ledger
        theirs = {e.source for es in other_ledger.values() for e in es}
        ours = {e.source for es in app.compromises(pid).values() for e in es}
        assert set() == theirs & ours
        assert {ids["other_desk"], ids["other_dispute"]} <= theirs

    def test_the_ledger_of_an_unknown_partnership_is_not_found(
        self, app: SharedServices, history: tuple[UUID, UUID, Ledger, Ledger, dict[str, Any]]
    ) -> None:
        with pytest.raises(NotFound):
            app.compromises(uuid4())
        with pytest.raises(NotFound):
            app.compromises(history[4]["dispute"])

    def test_a_ledger_read_by_a_fresh_application_is_the_same(
        self,
        apps: OpenApp,
        app: SharedServices,
        history: tuple[UUID, UUID, Ledger, Ledger, dict[str, Any]],
    ) -> None:
        if not self.shares_store:
            pytest.skip("an in-memory store lives and dies with its one application")
        pid, other, expected, _, _ = history
        fresh = apps()
        assert expected == fresh.compromises(pid)
        assert app.compromises(other) == fresh.compromises(other)

    def test_a_ledger_longer_than_a_page_of_the_log_lists_every_concession_once(
        self, app: SharedServices
    ) -> None:
        pid, on = form_pair(app), date(2016, 1, 4)
        for _ in range(2):  # an approval each, so that a page ends on an adoption
            vid = app.propose_variation(pid, by="camden", changes={"sla": "rejected"}, on=on)
            app.approve_variation(pid, vid, party="camden", on=on)
            app.reject_variation(pid, vid, party="islington", on=on)
        for number in range(PAGE // 2 + 10):  # the ledger reads three events of each
            vid = app.propose_variation(pid, by="camden", changes={"sla": f"v{number}"}, on=on)
            app.state_position(pid, vid, party="islington", position={"sla": "none"}, on=on)
            app.approve_variation(pid, vid, party="islington", on=on)
            app.approve_variation(pid, vid, party="camden", on=on)
        first_page = app.recorder.select_notifications(start=1, limit=PAGE, topics=TOPICS)
        assert first_page[-1].topic.endswith(".VariationAdopted")
        ledger = app.compromises(pid)
        assert ["islington"] == [party for party, entries in ledger.items() if entries]
        assert [] == ledger["camden"]
        assert [f"v{number}" for number in range(PAGE // 2 + 10)] == [
            entry.accepted for entry in ledger["islington"]
        ]
        positions = [entry.position for entry in ledger["islington"]]
        assert sorted(set(positions)) == positions

    def test_a_refused_handover_leaves_the_ledger_as_it_was(
        self, app: SharedServices, history: tuple[UUID, UUID, Ledger, Ledger, dict[str, Any]]
    ) -> None:
        pid, _, expected, _, ids = history
        refused(app, "handover-closed", app.effect_handover, ids["withdrawn"], on=date(2018, 1, 1))
        assert expected == app.compromises(pid)

    def test_a_combined_service_is_ceded_by_each_from_party_on_its_own_consent(
        self, app: SharedServices
    ) -> None:
        pid, proposed, consented = form_trio(app), date(2017, 1, 9), date(2017, 1, 23)
        models = ReadModels(app)
        hid = app.propose_handover(
            pid, function=SERVICE_DESK, by="islington", from_parties=["camden", "islington"],
            rationale="one desk", ref=ref("Islington Executive", "EXE/1", proposed), on=proposed,
        )  # fmt: skip
        models.catch_up()  # a follower that stops here knows the proposal only from its store
        refs = {
            "islington": consent_ref("islington", consented),
            "camden": None,  # consents without a reference: none, not the proposal's
            "haringey": consent_ref("haringey", consented),
        }
        for party, decision in refs.items():
            app.consent_to_handover(hid, party=party, ref=decision, on=consented)
        ReadModels(app).catch_up()  # another follower: the consents are kept in the store
        app.effect_handover(hid, on=date(2017, 2, 1))
        position = recorded(app, hid, "Effected")
        ledger = app.compromises(pid)
        assert {
            party: [
                CompromiseEntry(
                    party, "ceded", SERVICE_DESK.id, kept(party, SERVICE_DESK),
                    "held by the shared service", "one desk", refs[party], date(2017, 2, 1),
                    position, "Effected", hid,
                )
            ]
            for party in ("islington", "camden")
        } | {"haringey": []} == ledger  # fmt: skip
        fresh = ReadModels(app)  # a third follower, from what its predecessors stored
        fresh.catch_up()
        assert ledger == fresh.compromises(pid)
        fresh.replay()
        assert ledger == fresh.compromises(pid)


class TestCompromisesInMemory(InMemoryStore, CompromiseLedgerContract):
    pass


class TestCompromisesOnSQLite(SQLiteStore, CompromiseLedgerContract):
    pass


@pytest.mark.postgres
class TestCompromisesOnPostgres(PostgresStore, CompromiseLedgerContract):
    pass
