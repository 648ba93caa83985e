"""The audit trail, on every store.

The main history is the demo's: the Camden / Islington / Haringey shared ICT service, 2015-2018,
with two handovers, a dispute settled at the chief executives' rung and a dissolution, all entered
today (so every legal date is years before its recorded time). The tests read what the trail
should hold from the store itself (its notification log and the aggregates' events), not from the
module under test.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta, timezone
from itertools import pairwise
from typing import Any
from uuid import UUID, uuid4

import pytest
from handover_harness import SERVICE_DESK, pool
from harness import (
    Business,
    InMemoryStore,
    OpenApp,
    PostgresStore,
    SQLiteStore,
    StoreContract,
    form_pair,
)

from sharedsvc import DecisionRef, NotFound, RuleViolation, SharedServices, Stage, persistence
from sharedsvc.demo import build_shared_digital
from sharedsvc.domain.partnership import events as pev
from sharedsvc.projections import audit
from sharedsvc.projections.audit import AuditEntry

DEMO_EVENTS = 50

DEMO_ACTS = [
    ("partnership", "Formed", None),
    ("partnership", "VariationProposed", "camden"),
    ("partnership", "PositionStated", "haringey"),
    ("partnership", "VariationApproved", "camden"),
    ("partnership", "VariationApproved", "haringey"),
    ("partnership", "VariationApproved", "islington"),
    ("partnership", "VariationAdopted", None),
    ("partnership", "PartyAdmitted", None),
    ("partnership", "StageChanged", "camden"),
    ("handover", "Proposed", "islington"),
    ("handover", "Proposed", "haringey"),
    ("dispute", "Raised", "haringey"),
    ("dispute", "DecisionDeferred", "haringey"),
    ("partnership", "ActDeferred", "haringey"),
    ("dispute", "PositionStated", "haringey"),
    ("dispute", "PositionStated", "islington"),
    ("dispute", "Escalated", "haringey"),
    ("dispute", "Escalated", "islington"),
    ("dispute", "SettlementProposed", "islington"),
    ("dispute", "SettlementAccepted", "islington"),
    ("dispute", "SettlementAccepted", "haringey"),
    ("dispute", "Settled", None),
    ("partnership", "ActReleased", None),
    *[("handover", "ConsentGiven", p) for p in ("camden", "islington", "haringey")],
    ("handover", "Effected", "camden"),
    ("partnership", "FunctionPooled", "camden"),
    *[("handover", "ConsentGiven", p) for p in ("camden", "islington", "haringey")],
    ("handover", "Effected", "camden"),
    ("partnership", "FunctionPooled", "camden"),
    ("partnership", "VariationProposed", "haringey"),
    ("partnership", "PositionStated", "camden"),
    ("partnership", "VariationApproved", "haringey"),
    ("partnership", "VariationApproved", "islington"),
    ("partnership", "VariationApproved", "camden"),
    ("partnership", "VariationAdopted", None),
    ("partnership", "StageChanged", "camden"),
    ("partnership", "VariationProposed", "camden"),
    ("partnership", "VariationApproved", "camden"),
    ("partnership", "VariationApproved", "haringey"),
    ("partnership", "VariationApproved", "islington"),
    ("partnership", "VariationAdopted", None),
    ("partnership", "FunctionReturned", None),
    ("partnership", "FunctionReturned", None),
    ("partnership", "Dissolved", None),
    ("handover", "Recalled", None),
    ("handover", "Recalled", None),
]
"""The demo's acts in the order of the log: whose event, its name, and the acting party."""

AGREED = DecisionRef("Islington Executive", "ICT moves into Camden", date(2018, 1, 4))


def log(app: SharedServices) -> list[Any]:
    """Every notification in the store, read straight from its recorder."""
    return list(app.recorder.select_notifications(start=1, limit=100_000))


def parts_of(app: SharedServices, pid: UUID) -> set[UUID]:
    """The partnership and every handover and dispute raised in it, found from the events the
    partnership recorded (functions pooled, acts deferred) and from the handover and dispute
    creation events in the log."""
    ids = {pid}
    for event in app.events.get(pid):
        if isinstance(event, pev.FunctionPooled):
            ids.add(event.handover_id)
        elif isinstance(event, pev.ActDeferred):
            ids.add(event.dispute_id)
    return ids


def where(entries: list[AuditEntry]) -> list[tuple[int, UUID, int]]:
    return [(e.position, e.aggregate_id, e.version) for e in entries]


class CountingMapper:
    """A mapper that decodes with the application's and notes whose events it decoded."""

    def __init__(self, mapper: Any) -> None:
        self.mapper = mapper
        self.decoded: list[UUID] = []

    def to_domain_event(self, stored: Any) -> Any:
        self.decoded.append(stored.originator_id)
        return self.mapper.to_domain_event(stored)


class AuditTrailContract(StoreContract):
    @pytest.fixture
    def demo(self, app: SharedServices) -> tuple[UUID, datetime, datetime]:
        """The demo history, and the times just before and just after it was recorded."""
        before = datetime.now(UTC)
        pid = build_shared_digital(app)
        return pid, before, datetime.now(UTC)

    # --- the whole trail ------------------------------------------------------------------------

    def test_every_event_of_the_partnership_its_handovers_and_disputes_appears_once_in_order(
        self, app: SharedServices, demo: tuple[UUID, datetime, datetime]
    ) -> None:
        pid = demo[0]
        trail = app.audit_trail(pid)
        ids = parts_of(app, pid)
        assert 4 == len(ids)  # the partnership, two handovers, one dispute
        expected = [
            (n.id, n.originator_id, n.originator_version)
            for n in log(app)
            if n.originator_id in ids
        ]
        assert DEMO_EVENTS == len(expected)
        assert expected == where(trail)
        positions = [e.position for e in trail]
        assert all(a < b for a, b in pairwise(positions))

    def test_each_entry_names_its_event_aggregate_and_acting_party(
        self, app: SharedServices, demo: tuple[UUID, datetime, datetime]
    ) -> None:
        trail = app.audit_trail(demo[0])
        assert DEMO_ACTS == [(e.aggregate, e.event, e.actor) for e in trail]
        assert all(isinstance(e, AuditEntry) for e in trail)

    def test_entries_carry_the_legal_date_and_the_time_it_was_recorded(
        self, app: SharedServices, demo: tuple[UUID, datetime, datetime]
    ) -> None:
        pid, before, after = demo
        trail = app.audit_trail(pid)
        assert date(2015, 9, 24) == trail[0].on
        assert date(2018, 12, 31) == trail[-1].on
        assert [date(2018, 4, 1), date(2018, 4, 1)] == [
            e.on for e in trail if e.event == "Effected"
        ]
        for entry in trail:
            assert UTC == entry.recorded_at.tzinfo
            assert before <= entry.recorded_at <= after
        recorded = [e.recorded_at for e in trail]
        assert sorted(recorded) == recorded
        events = {(e.originator_id, e.originator_version): e for e in app.events.get(pid)}
        for entry in trail:
            if entry.aggregate == "partnership":
                stored = events[(entry.aggregate_id, entry.version)]
                assert (stored.on, stored.timestamp) == (entry.on, entry.recorded_at)

    def test_decision_references_are_those_recorded_and_missing_ones_are_marked(
        self, app: SharedServices, demo: tuple[UUID, datetime, datetime]
    ) -> None:
        trail = app.audit_trail(demo[0])
        assert (
            DecisionRef("Islington Executive", "shared ICT and digital service", date(2015, 9, 24))
            == trail[0].ref
        )
        approvals = [(e.actor, e.ref) for e in trail if e.event == "VariationApproved"]
        assert (
            "haringey",
            DecisionRef("Haringey Cabinet", "joining Shared Digital", date(2016, 3, 15)),
        ) == approvals[1]
        assert all(ref is not None for _, ref in approvals)
        consents = [(e.actor, e.ref) for e in trail if e.event == "ConsentGiven"]
        expected_consents = [("camden", None), ("islington", AGREED), ("haringey", None)]
        assert expected_consents * 2 == consents
        assert [AGREED, None] == [e.ref for e in trail if e.event == "Proposed"]
        marked = [(e.position, e.event, e.actor) for e in trail if e.unreferenced]
        expected_marks = [("StageChanged", "camden")]
        expected_marks += [("ConsentGiven", "camden"), ("ConsentGiven", "haringey")] * 2
        expected_marks += [("StageChanged", "camden")]
        assert expected_marks == [(name, actor) for _, name, actor in marked]
        for entry in trail:
            assert entry.unreferenced == entry.summary.endswith("[no decision reference]")

    def test_a_proposals_decision_reference_is_in_its_entry_and_its_summary(
        self, app: SharedServices
    ) -> None:
        pid = form_pair(app)
        board = DecisionRef("Camden Cabinet", "CAB/2016/7", date(2016, 1, 4))
        app.propose_variation(
            pid, by="camden", changes={"sla": "99% availability"}, ref=board, on=date(2016, 1, 8)
        )
        [proposal] = [e for e in app.audit_trail(pid) if e.event == "VariationProposed"]
        assert (board, False) == (proposal.ref, proposal.unreferenced)
        assert proposal.summary.endswith(" (Camden Cabinet, CAB/2016/7, decided 2016-01-04)")

    def test_summaries_give_names_amounts_rungs_and_stages_in_words(
        self, app: SharedServices, demo: tuple[UUID, datetime, datetime]
    ) -> None:
        trail = app.audit_trail(demo[0])
        summaries = {(e.event, e.position): e.summary for e in trail}
        by_event: dict[str, list[str]] = {}
        for (event, _), summary in sorted(summaries.items(), key=lambda item: item[0][1]):
            by_event.setdefault(event, []).append(summary)
        assert by_event["Formed"] == [
            "London Borough of Camden and London Borough of Islington formed Shared Digital at "
            "the co-operating stage, hosted by London Borough of Camden; cost pools "
            "ict-and-digital (equal shares: camden 50%, islington 50%) (Islington Executive, "
            "shared ICT and digital service)"
        ]
        assert "admit London Borough of Haringey" in by_event["VariationProposed"][0]
        joining = app.variations(demo[0])[0].id.hex[:8]
        assert (
            f"London Borough of Haringey admitted as a party by variation {joining}, effective "
            "2016-10-01"
        ) == by_event["PartyAdmitted"][0]
        assert by_event["StageChanged"][1].startswith(
            "London Borough of Camden moved the partnership back from combining to co-operating"
        )
        assert (
            "from directors to chief executives: directors referred it"
            in (by_event["Escalated"][1])
        )
        assert "48 staff under TUPE" in by_event["Proposed"][0]
        assert by_event["Settled"][0].endswith(
            "settled on transfer date: 2018-04-01, consultation: extended by four weeks; "
            "London Borough of Haringey conceded transfer date"
        )
        assert by_event["Dissolved"][0].endswith(
            "effective 2018-12-31; final account: camden £0.00, islington £0.00, haringey £0.00"
        )
        assert (
            "Islington ICT infrastructure and support went back from the shared service to "
            "London Borough of Islington: the partnership is dissolved"
        ) == by_event["Recalled"][0]

    def test_exit_costs_read_in_pounds(self, app: SharedServices) -> None:
        business = Business(app)
        trail = app.audit_trail(business.pid)[:4]  # then the business's savings target
        assert ["Formed", "VariationProposed", "WithdrawalNoticeServed", "ExitCostsDetermined"] == [
            e.event for e in trail
        ]
        assert (
            "London Borough of Camden determined London Borough of Islington's exit costs at "
            "£250,000.00 [no decision reference]"
        ) == trail[-1].summary
        assert "camden" == trail[-1].actor

    # --- bounds -------------------------------------------------------------------------------

    def test_dates_bound_the_legal_date_inclusively_without_reordering(
        self, app: SharedServices, demo: tuple[UUID, datetime, datetime]
    ) -> None:
        pid = demo[0]
        trail = app.audit_trail(pid)
        window = app.audit_trail(pid, since=date(2018, 1, 4), until=date(2018, 3, 1))
        # The consents of 20 February were recorded after the first handover took effect on
        # 1 April: they are in the window, the handover's effect is not.
        assert [*trail[9:26], *trail[28:31]] == window
        assert [date(2018, 1, 4), date(2018, 2, 20)] == [window[0].on, window[-1].on]
        assert trail[:9] == app.audit_trail(pid, until=date(2016, 10, 1))
        assert trail[-7:] == app.audit_trail(pid, since=date(2018, 11, 22))
        assert [] == app.audit_trail(pid, since=date(2019, 1, 1))
        one_day = app.audit_trail(pid, since=date(2018, 2, 15), until=date(2018, 2, 15))
        assert 4 == len(one_day)

    def test_a_history_entered_late_is_dated_then_and_recorded_now(
        self, app: SharedServices, demo: tuple[UUID, datetime, datetime]
    ) -> None:
        pid, before, after = demo
        formed = app.audit_trail(pid, until=date(2015, 12, 31))
        assert 1 == len(formed)
        assert date(2015, 9, 24) == formed[0].on
        assert before <= formed[0].recorded_at <= after
        everything = app.audit_trail(pid)
        assert everything == app.audit_trail(pid, since=before, until=after)
        assert [] == app.audit_trail(pid, until=before)
        assert [] == app.audit_trail(pid, since=after + timedelta(microseconds=1))
        assert everything == app.audit_trail(pid, since=date(2015, 9, 24), until=after)

    def test_datetimes_bound_the_recorded_time(self, app: SharedServices) -> None:
        pid = form_pair(app, on=date(2015, 9, 24))
        first_cut = datetime.now(UTC)
        vid = app.propose_variation(pid, by="camden", changes={"sla": "99.5%"}, on=date(2016, 1, 4))
        app.approve_variation(pid, vid, party="camden", on=date(2016, 1, 4))
        app.approve_variation(pid, vid, party="islington", on=date(2016, 1, 5))
        second_cut = datetime.now(UTC)
        app.change_stage(pid, to=Stage.COLLABORATING, by="islington", on=date(2016, 2, 1))
        trail = app.audit_trail(pid)
        assert 6 == len(trail)
        assert trail[:1] == app.audit_trail(pid, until=first_cut)
        assert trail[1:] == app.audit_trail(pid, since=first_cut)
        assert trail[1:5] == app.audit_trail(pid, since=first_cut, until=second_cut)
        assert trail[5:] == app.audit_trail(pid, since=second_cut)
        naive = second_cut.replace(tzinfo=None)
        assert trail[5:] == app.audit_trail(pid, since=naive)
        elsewhere = second_cut.astimezone(timezone(timedelta(hours=5, minutes=30)))
        assert trail[:5] == app.audit_trail(pid, until=elsewhere)
        at_a_time = trail[3].recorded_at
        assert trail[3:5] == app.audit_trail(pid, since=at_a_time, until=at_a_time)
        mixed = app.audit_trail(pid, since=date(2016, 1, 5), until=second_cut)
        assert trail[3:5] == mixed

    def test_bounds_that_are_not_dates_or_datetimes_are_refused(
        self, app: SharedServices, demo: tuple[UUID, datetime, datetime]
    ) -> None:
        pid = demo[0]
        position = app.highest_position()
        for bounds in (
            {"since": "2016-01-01"},
            {"until": 20160101},
            {"since": True},
            {"until": date(2016, 1, 1).toordinal()},
        ):
            with pytest.raises(RuleViolation) as caught:
                app.audit_trail(pid, **bounds)  # type: ignore[arg-type]
            assert "invalid-value" == caught.value.rule
            name = next(iter(bounds))
            assert f"{name} must be a date (to bound legal dates) or a datetime" in str(
                caught.value
            )
            with pytest.raises(RuleViolation):
                app.iter_audit_trail(pid, **bounds)  # type: ignore[arg-type]
        assert position == app.highest_position()

    def test_a_window_that_ends_before_it_starts_is_refused(
        self, app: SharedServices, demo: tuple[UUID, datetime, datetime]
    ) -> None:
        pid, before, after = demo
        for since, until in ((date(2018, 1, 2), date(2018, 1, 1)), (after, before)):
            with pytest.raises(RuleViolation) as caught:
                app.audit_trail(pid, since=since, until=until)
            assert "invalid-value" == caught.value.rule
            assert "swap them" in str(caught.value)

    # --- which partnership --------------------------------------------------------------------

    def test_trails_of_two_partnerships_in_one_store_do_not_mix(self, app: SharedServices) -> None:
        other = form_pair(app, name="North London Shared Services", on=date(2014, 4, 1))
        pid = build_shared_digital(app)
        hid = pool(app, other, SERVICE_DESK, by="islington", on=date(2019, 1, 7))
        did = app.raise_dispute(
            other, by="camden", against=["islington"], subject="recharges", on=date(2019, 2, 1)
        )
        app.withdraw_dispute(did, by="camden", on=date(2019, 2, 4))
        ours, theirs = app.audit_trail(pid), app.audit_trail(other)
        assert DEMO_ACTS == [(e.aggregate, e.event, e.actor) for e in ours]
        assert [
            ("partnership", "Formed", other),
            ("handover", "Proposed", hid),
            ("handover", "ConsentGiven", hid),
            ("handover", "ConsentGiven", hid),
            ("handover", "Effected", hid),
            ("partnership", "FunctionPooled", other),
            ("dispute", "Raised", did),
            ("dispute", "Withdrawn", did),
        ] == [(e.aggregate, e.event, e.aggregate_id) for e in theirs]
        assert set() == {e.aggregate_id for e in ours} & {e.aggregate_id for e in theirs}
        assert [n.id for n in log(app)] == sorted(e.position for e in [*ours, *theirs])
        assert "North London Shared Services" in theirs[0].summary

    def test_the_trail_of_an_unknown_partnership_is_not_found(
        self, app: SharedServices, demo: tuple[UUID, datetime, datetime]
    ) -> None:
        with pytest.raises(NotFound):
            app.audit_trail(uuid4())
        with pytest.raises(NotFound):
            app.iter_audit_trail(uuid4())
        with pytest.raises(NotFound):
            app.audit_trail("not an id")  # type: ignore[arg-type]
        handover_id = next(iter(parts_of(app, demo[0]) - {demo[0]}))
        with pytest.raises(NotFound):
            app.audit_trail(handover_id)

    # --- reading -------------------------------------------------------------------------------

    def test_the_trail_reads_the_same_a_page_at_a_time(
        self,
        app: SharedServices,
        demo: tuple[UUID, datetime, datetime],
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        pid = demo[0]
        other = form_pair(app, name="Another", on=date(2019, 1, 1))
        whole = app.audit_trail(pid)
        for page in (1, 3, DEMO_EVENTS, DEMO_EVENTS + 1):
            monkeypatch.setattr(persistence, "PAGE", page)
            assert whole == app.audit_trail(pid)
            assert 1 == len(app.audit_trail(other))

    def test_the_trail_decodes_only_events_that_may_be_the_partnerships(
        self, app: SharedServices
    ) -> None:
        pid = form_pair(app, name="Ours")
        other = form_pair(app, name="Theirs")
        for year in range(2016, 2026):  # another partnership's busy history
            app.change_stage(other, to=Stage.COLLABORATING, by="camden", on=date(year, 1, 4))
            app.change_stage(other, to=Stage.CO_OPERATING, by="camden", on=date(year, 6, 1))
        theirs = pool(app, other, SERVICE_DESK, by="camden", on=date(2026, 1, 5))
        app.withdraw_dispute(
            app.raise_dispute(
                other, by="camden", against=["islington"], subject="x", on=date(2026, 2, 2)
            ),
            by="camden",
            on=date(2026, 2, 3),
        )
        app.change_stage(pid, to=Stage.COLLABORATING, by="islington", on=date(2016, 1, 4))
        mapper = CountingMapper(app.mapper)
        trail = audit.audit_entries(app.recorder, mapper, pid)  # type: ignore[arg-type]
        assert ["Formed", "StageChanged"] == [e.event for e in trail]
        decoded = mapper.decoded
        # Our two events, and the opening events of their handover and dispute, to see whose
        # they are; nothing else of theirs.
        assert 4 == len(decoded)
        assert [pid, pid] == [oid for oid in decoded if oid == pid]
        assert theirs in decoded

    def test_an_iterated_trail_ends_where_the_log_ended_when_it_was_asked_for(
        self, app: SharedServices
    ) -> None:
        pid = form_pair(app)
        entries: Iterator[AuditEntry] = app.iter_audit_trail(pid)
        app.change_stage(pid, to=Stage.COLLABORATING, by="camden", on=date(2016, 1, 4))
        assert ["Formed"] == [e.event for e in entries]
        assert ["Formed", "StageChanged"] == [e.event for e in app.audit_trail(pid)]

    def test_a_fresh_application_reads_the_same_trail(
        self, reopen: OpenApp, app: SharedServices, demo: tuple[UUID, datetime, datetime]
    ) -> None:
        pid = demo[0]
        assert app.audit_trail(pid) == reopen().audit_trail(pid)


class TestAuditTrailInMemory(InMemoryStore, AuditTrailContract):
    pass


class TestAuditTrailOnSQLite(SQLiteStore, AuditTrailContract):
    pass


@pytest.mark.postgres
class TestAuditTrailOnPostgres(PostgresStore, AuditTrailContract):
    pass
