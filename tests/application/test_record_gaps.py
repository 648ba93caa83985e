"""The record's other gaps (issue 12), on every store: a decision reference on every verb that
records an act (and a settlement's concessions on the authority of the acceptances), notes read
back with ``notes``, renames as variations, and the smaller faults (effecting a handover where
there is no host, a dispute against a non-member, a final account that leaves a party out).
"""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any
from uuid import UUID

import orjson
import pytest
from handover_harness import SERVICE_DESK, climb
from harness import (
    InMemoryStore,
    PostgresStore,
    SQLiteStore,
    StoreContract,
    assert_refused,
    form_pair,
    form_trio,
    ref,
)

from sharedsvc import (
    DecisionRef,
    Money,
    NoteEntry,
    NotFound,
    Rung,
    SharedServices,
    dump_scenario,
    loads_scenario,
)
from sharedsvc.reports import gather, render_markdown

ON = date(2017, 4, 3)
LATER = date(2017, 6, 1)


def decision(party: str, number: int, on: date = ON) -> DecisionRef:
    """The decision by which ``party`` took an act (numbers are made up)."""
    return ref(f"{party.title()} Cabinet", f"CAB/{number}", on)


def last_event(app: SharedServices, aggregate_id: UUID) -> Any:
    return list(app.events.get(aggregate_id))[-1]


def trail_of(app: SharedServices, pid: UUID, event: str) -> list[Any]:
    return [entry for entry in app.audit_trail(pid) if entry.event == event]


class RecordGapsContract(StoreContract):
    # --- ref= on every verb -------------------------------------------------------------

    def test_every_act_on_a_dispute_records_its_decision_reference(
        self, app: SharedServices
    ) -> None:
        pid = form_trio(app)
        made: dict[str, DecisionRef] = {}

        def take(event: str, did: UUID, who: str, act: Any, **kwargs: Any) -> None:
            made[event] = decision(who, len(made) + 1)
            act(did, **kwargs, ref=made[event], on=ON)
            assert made[event] == last_event(app, did).ref

        did = app.raise_dispute(
            pid, by="islington", against=["camden"], subject="fees", on=ON,
            ref=decision("islington", 0),
        )  # fmt: skip
        assert decision("islington", 0) == last_event(app, did).ref
        made["Raised"] = decision("islington", 0)
        take("PositionStated", did, "camden", app.state_dispute_position, party="camden",
             position={"fees": "fixed"})  # fmt: skip
        take("Escalated", did, "islington", app.escalate_dispute, by="islington", reason="stuck")
        climb(app, did, by="islington", to=Rung.MEDIATION, on=ON)
        take("MediatorAppointed", did, "camden", app.appoint_mediator, by="camden",
             mediator="ACAS")  # fmt: skip
        take("SettlementProposed", did, "islington", app.propose_settlement, by="islington",
             terms={"fees": "hourly"})  # fmt: skip
        take("SettlementAccepted", did, "camden", app.accept_settlement, party="camden")
        for event, given in made.items():
            entry = trail_of(app, pid, event)[0]
            assert given == entry.ref
            assert f"({given.body}, {given.reference})" in entry.summary

        climb(app, did, by="islington", to=Rung.ARBITRATION, on=ON)
        app.determine_dispute(did, arbiter="CEDR", terms={"fees": "hourly"}, on=ON,
                              ref=decision("camden", 98))  # fmt: skip
        assert decision("camden", 98) == last_event(app, did).ref
        other = app.raise_dispute(pid, by="camden", against=["haringey"], subject="x", on=ON)
        app.withdraw_dispute(other, by="camden", on=ON, ref=decision("camden", 99))
        assert decision("camden", 99) == last_event(app, other).ref
        assert decision("camden", 99) == trail_of(app, pid, "Withdrawn")[-1].ref

    def test_a_handover_withdrawn_and_a_position_on_a_variation_record_their_references(
        self, app: SharedServices
    ) -> None:
        pid = form_pair(app)
        hid = app.propose_handover(pid, function=SERVICE_DESK, by="islington", on=ON)
        app.withdraw_handover(hid, by="islington", on=ON, ref=decision("islington", 1))
        assert decision("islington", 1) == last_event(app, hid).ref
        vid = app.propose_variation(pid, by="camden", changes={"sla": "99%"}, on=ON)
        app.state_position(pid, vid, party="islington", position={"sla": "99.9%"}, on=ON,
                           ref=decision("islington", 2))  # fmt: skip
        assert decision("islington", 2) == last_event(app, pid).ref
        assert [decision("islington", 1), decision("islington", 2)] == [
            entry.ref for entry in app.audit_trail(pid)[-3:] if entry.ref is not None
        ]

    def test_a_settlements_concessions_rest_on_each_partys_acceptance(
        self, app: SharedServices
    ) -> None:
        pid = form_trio(app)
        did = app.raise_dispute(
            pid, by="islington", against=["camden", "haringey"], subject="recharges", on=ON
        )
        for party in ("islington", "camden", "haringey"):
            app.state_dispute_position(did, party=party, position={"basis": party}, on=ON)
        app.propose_settlement(did, by="islington", terms={"basis": "usage"}, on=ON)
        app.accept_settlement(did, party="islington", on=ON)
        app.accept_settlement(did, party="camden", on=ON, ref=decision("camden", 7))
        app.accept_settlement(did, party="haringey", on=LATER)  # none given
        ledger = app.compromises(pid)
        assert [(e.subject, e.ref) for e in ledger["camden"]] == [("basis", decision("camden", 7))]
        assert [(e.subject, e.ref) for e in ledger["haringey"]] == [("basis", None)]
        assert [(e.subject, e.ref) for e in ledger["islington"]] == [("basis", None)]
        models = app.read_models()
        models.catch_up()
        assert ledger == models.compromises(pid)

    def test_a_dispute_act_stored_without_a_reference_reads_back_with_none(
        self, app: SharedServices
    ) -> None:
        """As an event stored before the field was added: its stored state has no ``ref``."""
        pid = form_pair(app)
        did = app.raise_dispute(pid, by="islington", against=["camden"], subject="x", on=ON)
        app.escalate_dispute(did, by="islington", on=ON, ref=decision("islington", 1))
        (stored,) = [
            n
            for n in app.recorder.select_notifications(start=1, limit=100)
            if n.originator_id == did and n.topic.endswith(".Escalated")
        ]
        state = orjson.loads(stored.state)
        del state["ref"]
        event = app.mapper.to_domain_event(dataclasses.replace(stored, state=orjson.dumps(state)))
        assert event.ref is None  # type: ignore[attr-defined]
        assert Rung.DIRECTORS == event.to  # type: ignore[attr-defined]

    # --- notes --------------------------------------------------------------------------

    def test_notes_are_read_back_in_order_with_their_positions(self, app: SharedServices) -> None:
        pid = form_pair(app)
        other = form_pair(app, name="Shared Legal")
        s114 = decision("islington", 114, date(2018, 2, 2))
        app.note(pid, kind="statutory", text="Section 114 notice issued", party="islington",
                 by="camden", on=date(2018, 2, 2), ref=s114)  # fmt: skip
        app.note(other, kind="audit", text="Not ours", by="camden", on=date(2018, 3, 1))
        first = app.highest_position()
        app.note(pid, kind="election", text="No overall control", by="islington",
                 on=date(2018, 5, 4))  # fmt: skip
        second = app.highest_position()
        notes = app.notes(pid)
        assert [
            NoteEntry("statutory", "Section 114 notice issued", "islington", "camden",
                      date(2018, 2, 2), s114, first - 1),
            NoteEntry("election", "No overall control", None, "islington", date(2018, 5, 4),
                      None, second),
        ] == notes  # fmt: skip
        assert [e.position for e in app.audit_trail(pid) if e.event == "NoteRecorded"] == [
            n.position for n in notes
        ]
        assert notes[:1] == app.notes(pid, as_of=date(2018, 5, 3))
        recorded = [e.recorded_at for e in app.audit_trail(pid) if e.event == "NoteRecorded"]
        assert notes[:1] == app.notes(pid, known_at=recorded[0])
        with pytest.raises(NotFound):
            app.notes(UUID(int=7))

    # --- renames ------------------------------------------------------------------------

    def test_a_variation_renames_the_partnership_from_its_effective_date(
        self, app: SharedServices
    ) -> None:
        pid = form_pair(app)
        vid = app.propose_variation(
            pid, by="camden", changes={"name": "Shared Digital Services"},
            effective=date(2017, 10, 1), on=ON,
        )  # fmt: skip
        app.state_position(pid, vid, party="islington", position={"name": "Shared Digital"},
                           on=ON)  # fmt: skip
        assert "Shared Digital" == app.partnership(pid).name
        for party in ("camden", "islington"):
            app.approve_variation(pid, vid, party=party, on=LATER)
        assert "Shared Digital Services" == app.partnership(pid).name
        assert "Shared Digital" == app.partnership(pid, as_of=date(2017, 9, 30)).name
        assert "Shared Digital Services" == app.partnership(pid, as_of=date(2017, 10, 1)).name
        (adopted,) = trail_of(app, pid, "VariationAdopted")
        assert "the partnership is renamed Shared Digital Services" in adopted.summary
        (conceded,) = app.compromises(pid)["islington"]
        assert ("name", "Shared Digital", "Shared Digital Services") == (
            conceded.subject, conceded.wanted, conceded.accepted,
        )  # fmt: skip
        models = app.read_models()
        models.catch_up()
        assert ["Shared Digital", "Shared Digital Services"] == [
            v.value for v in models.versions(pid)["name"]
        ]
        report = gather(app, pid)
        assert [("Shared Digital", date(2015, 9, 24)), ("Shared Digital Services",
                date(2017, 10, 1))] == [(n.name, n.effective) for n in report.names]  # fmt: skip
        markdown = render_markdown(report).replace("\u2011", "-")  # dates' non-breaking hyphens
        assert "Shared Digital Services from 2017-10-01" in markdown

    def test_a_rename_round_trips_through_a_scenario_file(self, app: SharedServices) -> None:
        pid = form_pair(app)
        vid = app.propose_variation(
            pid, by="camden", changes={"name": "Shared Digital Services", "sla": "99%"}, on=ON
        )
        for party in ("camden", "islington"):
            app.approve_variation(pid, vid, party=party, on=ON)
        text = dump_scenario(app, pid)
        assert 'name = "Shared Digital Services"' in text
        fresh = SharedServices.in_memory()
        try:
            loaded = loads_scenario(fresh, text)
            assert "Shared Digital Services" == fresh.partnership(loaded).name
            assert text == dump_scenario(fresh, loaded)
        finally:
            fresh.close()

    @pytest.mark.parametrize(
        "changes", [{"name": ""}, {"name": "  "}, {"name": 7}, {"name": "Shared Digital"}]
    )
    def test_a_rename_to_no_name_or_the_same_name_is_refused(
        self, app: SharedServices, changes: dict[str, Any]
    ) -> None:
        pid = form_pair(app)
        rule = "variation-shape" if changes["name"] == "Shared Digital" else "invalid-value"
        assert_refused(app, rule, app.propose_variation, pid, by="camden", changes=changes, on=ON)

    # --- the smaller faults -------------------------------------------------------------

    def test_a_dispute_against_a_non_member_says_it_is_not_a_member(
        self, app: SharedServices
    ) -> None:
        pid = form_pair(app)
        error = assert_refused(
            app, "members-only", app.raise_dispute, pid, by="islington", against=["hackney"],
            subject="fees", on=ON,
        )  # fmt: skip
        assert "'hackney' is not a member of partnership 'Shared Digital'" in str(error)
        assert "cannot act" not in str(error)

    def test_a_final_account_must_name_every_current_party(self, app: SharedServices) -> None:
        pid = form_trio(app)
        error = assert_refused(
            app, "invalid-value", app.propose_variation, pid, by="camden", dissolve=True,
            final_account={"camden": Money("-10"), "islington": Money("10")}, on=ON,
        )  # fmt: skip
        assert "'haringey'" in str(error)
        every = {"camden": Money("-10"), "islington": Money("10"), "haringey": Money("0")}
        app.propose_variation(pid, by="camden", dissolve=True, final_account=every, on=ON)


class TestRecordGapsInMemory(InMemoryStore, RecordGapsContract):
    pass


class TestRecordGapsOnSQLite(SQLiteStore, RecordGapsContract):
    pass


@pytest.mark.postgres
class TestRecordGapsOnPostgres(PostgresStore, RecordGapsContract):
    pass
