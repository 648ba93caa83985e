"""Succession and reorganisation: a council abolished and replaced by successor councils on a
vesting day, in one partnership (``succeed``) or in every partnership it is in (``reorganise``),
on every store."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

import pytest
from harness import (
    CAMDEN,
    HARINGEY,
    ISLINGTON,
    InMemoryStore,
    OpenApp,
    PostgresStore,
    SQLiteStore,
    StoreContract,
    assert_refused,
    form_pair,
    form_trio,
    ref,
)
from test_scenario import record, round_trip

from sharedsvc import (
    Basis,
    CostPool,
    Function,
    Money,
    NotFound,
    Party,
    SharedServices,
    Stage,
    Succession,
    Terms,
    dump_scenario,
)
from sharedsvc.invariants import check_handover, check_partnership
from sharedsvc.reports import gather, render_markdown, write_timeline

VESTING = date(2023, 4, 1)
ORDER = ref("Parliament", "SI 2022/331", date(2022, 3, 17))
NORTH = Party("north-camden", "North Camden Council")
SOUTH = Party("south-camden", "South Camden Council")
DESK = Function("ict.service-desk", "ICT service desk", category="back-office")
BEFORE = date(2022, 6, 1)


def shares(app: SharedServices, pid: UUID, pool: str = "ict") -> dict[str, Decimal]:
    for cost_pool in app.partnership(pid).terms.cost_pools:
        if cost_pool.name == pool:
            return dict(cost_pool.shares)
    raise KeyError(pool)


def basis(app: SharedServices, pid: UUID, pool: str = "ict") -> Basis:
    return next(p.basis for p in app.partnership(pid).terms.cost_pools if p.name == pool)


def succeed_camden(app: SharedServices, pid: UUID, **kwargs: Any) -> None:
    app.succeed(pid, party="camden", successors=[NORTH, SOUTH], on=VESTING, ref=ORDER, **kwargs)


class SuccessionContract(StoreContract):
    # ------------------------------------------------------------- the partnership --

    def test_in_a_partnership_of_two_the_successors_take_the_place_shares_and_hosting(
        self, app: SharedServices
    ) -> None:
        pid = form_pair(app)
        succeed_camden(app, pid)
        view = app.partnership(pid)
        assert ("north-camden", "south-camden", "islington") == view.active_parties
        assert {"camden", "islington", "north-camden", "south-camden"} == set(view.parties)
        assert "north-camden" == view.host
        assert {"north-camden": 25, "south-camden": 25, "islington": 50} == shares(app, pid)
        assert Basis.FIXED is basis(app, pid)
        assert {
            "camden": Succession(("north-camden", "south-camden"), {"north-camden": 1,
                                 "south-camden": 1}, VESTING, ORDER)
        } == view.successions  # fmt: skip
        assert {} == dict(view.exits)
        assert [] == check_partnership(view)
        assert ("camden", "islington") == app.partnership(pid, as_of=BEFORE).active_parties
        assert {} == dict(app.partnership(pid, as_of=BEFORE).successions)

    def test_a_succession_is_an_act_of_law_with_no_concession_and_one_audit_line(
        self, app: SharedServices
    ) -> None:
        pid = form_pair(app)
        succeed_camden(app, pid)
        assert all(entries == [] for entries in app.compromises(pid).values())
        last = app.audit_trail(pid)[-1]
        assert ("PartySucceeded", None, ORDER) == (last.event, last.actor, last.ref)
        assert last.summary.startswith(
            "London Borough of Camden succeeded by North Camden Council and South Camden Council"
        )

    def test_the_split_divides_every_pool_by_weight_under_the_rounding_rule(
        self, app: SharedServices
    ) -> None:
        pid = form_trio(app)  # ict in thirds (camden 33.34), revenues 50 / 20 / 30 by usage
        succeed_camden(app, pid, split={"north-camden": Decimal(2), "south-camden": 1})
        ict = {"north-camden": "22.23", "south-camden": "11.11", "islington": "33.33"}
        assert {**ict, "haringey": "33.33"} == {p: str(s) for p, s in shares(app, pid).items()}
        revenues = {"north-camden": "33.33", "south-camden": "16.67", "islington": "20"}
        assert {**revenues, "haringey": "30"} == {
            p: str(s) for p, s in shares(app, pid, "revenues").items()
        }
        assert Basis.FIXED is basis(app, pid)
        assert Basis.USAGE is basis(app, pid, "revenues")
        for pool in app.partnership(pid).terms.cost_pools:
            assert 100 == sum(pool.shares.values())

    def test_an_equal_pool_that_stays_equal_stays_equal(self, app: SharedServices) -> None:
        pid = form_trio(app)
        app.succeed(pid, party="camden", successors=[NORTH], on=VESTING)
        assert Basis.EQUAL is basis(app, pid)
        assert CostPool.equal("ict", ["north-camden", "islington", "haringey"]).shares == (
            shares(app, pid)
        )

    def test_a_view_as_of_a_date_divides_the_shares_then_in_force(
        self, app: SharedServices
    ) -> None:
        pid = form_pair(app)
        later = CostPool("ict", Basis.FIXED, {"camden": 60, "islington": 40})
        vid = app.propose_variation(
            pid, by="camden", changes={"cost_pools": (later,)}, effective=date(2024, 1, 1),
            on=BEFORE,
        )  # fmt: skip
        for party in ("camden", "islington"):
            app.approve_variation(pid, vid, party=party, on=BEFORE)
        succeed_camden(app, pid)
        assert {"north-camden": 30, "south-camden": 30, "islington": 40} == shares(app, pid)
        dated = app.partnership(pid, as_of=date(2023, 6, 1)).terms.cost_pools[0].shares
        assert {"north-camden": 25, "south-camden": 25, "islington": 50} == dict(dated)

    def test_a_current_party_may_absorb_the_predecessor(self, app: SharedServices) -> None:
        pid = form_trio(app)
        app.succeed(pid, party="islington", successors=[HARINGEY], on=VESTING)
        view = app.partnership(pid)
        assert ("camden", "haringey") == view.active_parties
        assert "London Borough of Haringey" == view.parties["haringey"].name
        assert {"camden": Decimal("33.34"), "haringey": Decimal("66.66")} == shares(app, pid)
        assert {"camden": 50, "haringey": 50} == shares(app, pid, "revenues")

    def test_a_predecessor_never_acts_after_its_vesting_day(self, app: SharedServices) -> None:
        pid = form_pair(app)
        succeed_camden(app, pid)
        assert_refused(
            app, "members-only", app.change_stage, pid, to=Stage.COLLABORATING, by="camden",
            on=VESTING,
        )  # fmt: skip
        assert_refused(app, "members-only", app.serve_withdrawal_notice, pid, party="camden",
                       on=VESTING)  # fmt: skip

    # --------------------------------------------------------------- what passes --

    def test_pooled_functions_pass_to_every_successor_and_any_of_them_recalls_them(
        self, app: SharedServices
    ) -> None:
        pid = form_trio(app)
        hid = app.propose_handover(pid, function=DESK, by="camden", on=BEFORE)
        for party in ("camden", "islington", "haringey"):
            app.consent_to_handover(hid, party=party, on=BEFORE)
        app.effect_handover(hid, on=BEFORE)
        succeed_camden(app, pid)
        pooled = app.partnership(pid).pooled_functions
        assert [("north-camden", hid, VESTING), ("south-camden", hid, VESTING)] == [
            (p.from_party, p.handover_id, p.since) for p in pooled
        ]
        assert app.partnership(pid, as_of=BEFORE).pooled_functions[0].from_party == "camden"
        # the successors cede it as a combined service: each recall returns its own share
        app.recall_handover(hid, by="south-camden", on=VESTING)
        assert ["north-camden"] == [p.from_party for p in app.partnership(pid).pooled_functions]
        assert "effected" == app.handover(hid).status
        app.recall_handover(hid, by="north-camden", on=VESTING)
        assert () == app.partnership(pid).pooled_functions
        assert "recalled" == app.handover(hid).status

    def test_a_dissolution_returns_the_function_from_every_successor(
        self, app: SharedServices
    ) -> None:
        pid = form_pair(app)
        hid = app.propose_handover(pid, function=DESK, by="camden", on=BEFORE)
        for party in ("camden", "islington"):
            app.consent_to_handover(hid, party=party, on=BEFORE)
        app.effect_handover(hid, on=BEFORE)
        succeed_camden(app, pid)
        vid = app.propose_variation(pid, by="islington", dissolve=True, on=VESTING)
        for party in ("islington", "north-camden", "south-camden"):
            app.approve_variation(pid, vid, party=party, on=VESTING)
        assert () == app.partnership(pid).pooled_functions
        assert "recalled" == app.handover(hid).status
        events = [e.event for e in app.audit_trail(pid)[-4:]]
        assert ["Dissolved", "FunctionReturned", "FunctionReturned", "Recalled"] == sorted(events)

    def test_a_handover_the_predecessor_proposed_cedes_from_each_successor(
        self, app: SharedServices
    ) -> None:
        pid = form_trio(app)
        hid = app.propose_handover(pid, function=DESK, by="camden", on=BEFORE)
        app.consent_to_handover(hid, party="islington", on=BEFORE)
        succeed_camden(app, pid)
        assert ("north-camden", "south-camden") == app.handover(hid).ceded_by
        assert {"islington"} == set(app.handover(hid).consents)
        assert_refused(app, "acts-for-itself", app.withdraw_handover, hid, by="haringey",
                       on=VESTING)  # fmt: skip
        for party in ("haringey", "north-camden", "south-camden"):
            app.consent_to_handover(hid, party=party, on=VESTING)
        app.effect_handover(hid, on=VESTING)
        assert ["north-camden", "south-camden"] == [
            p.from_party for p in app.partnership(pid).pooled_functions
        ]
        assert [] == check_handover(app.handover(hid))
        assert ("north-camden", "south-camden") == app.handover(hid).from_parties
        for party in ("north-camden", "south-camden"):
            app.recall_handover(hid, by=party, on=VESTING)
        assert () == app.partnership(pid).pooled_functions

    def test_a_successor_withdraws_a_handover_the_predecessor_proposed(
        self, app: SharedServices
    ) -> None:
        pid = form_pair(app)
        hid = app.propose_handover(pid, function=DESK, by="camden", on=BEFORE)
        succeed_camden(app, pid)
        app.withdraw_handover(hid, by="south-camden", on=VESTING)
        assert "withdrawn" == app.handover(hid).status

    def test_consent_not_given_is_awaited_from_each_successor(self, app: SharedServices) -> None:
        pid = form_trio(app)
        hid = app.propose_handover(pid, function=DESK, by="islington", on=BEFORE)
        for party in ("islington", "haringey"):
            app.consent_to_handover(hid, party=party, on=BEFORE)
        succeed_camden(app, pid)
        error = assert_refused(
            app, "handover-needs-every-consent", app.effect_handover, hid, on=VESTING
        )
        assert "north-camden, south-camden have not consented" in str(error)
        app.consent_to_handover(hid, party="north-camden", on=VESTING)
        app.consent_to_handover(hid, party="south-camden", on=VESTING)
        app.effect_handover(hid, on=VESTING)

    def test_a_notice_and_its_exit_costs_pass_divided_to_the_penny(
        self, app: SharedServices
    ) -> None:
        pid = form_trio(app)
        effective = app.serve_withdrawal_notice(pid, party="camden", on=BEFORE)
        costs = Money("1000.00")
        app.determine_exit_costs(pid, party="camden", amount=costs, by="islington", on=BEFORE)
        app.succeed(
            pid, party="camden", successors=[NORTH, SOUTH], on=VESTING,
            split={"north-camden": 1, "south-camden": 2},
        )  # fmt: skip
        exits = app.partnership(pid).exits
        assert {"north-camden", "south-camden"} == set(exits)
        assert {effective} == {w.effective for w in exits.values()}
        assert Money("333.33") == exits["north-camden"].exit_costs
        assert Money("666.67") == exits["south-camden"].exit_costs

    def test_in_an_open_variation_the_predecessors_approval_lapses(
        self, app: SharedServices
    ) -> None:
        pid = form_pair(app)
        vid = app.propose_variation(pid, by="islington", changes={"sla": "99%"}, on=BEFORE)
        app.approve_variation(pid, vid, party="camden", on=BEFORE)
        succeed_camden(app, pid)
        assert {} == dict(app.partnership(pid).open_variations[vid].approvals)
        assert {} == dict(app.variation(pid, vid).approvals)
        assert not app.approve_variation(pid, vid, party="islington", on=VESTING)
        assert not app.approve_variation(pid, vid, party="north-camden", on=VESTING)
        assert app.approve_variation(pid, vid, party="south-camden", on=VESTING)
        adopted = app.variation(pid, vid)
        assert ("north-camden", "south-camden", "islington") == adopted.approved_by

    def test_in_an_open_dispute_the_successors_take_its_place(self, app: SharedServices) -> None:
        pid = form_pair(app)
        did = app.raise_dispute(pid, by="camden", against=["islington"], subject="fees", on=BEFORE)
        app.state_dispute_position(did, party="camden", position={"fees": "low"}, on=BEFORE)
        app.propose_settlement(did, by="islington", terms={"fees": "mid"}, on=BEFORE)
        app.accept_settlement(did, party="camden", on=BEFORE)
        succeed_camden(app, pid)
        view = app.dispute(did)
        assert ("north-camden", "south-camden", "islington") == view.parties
        assert "north-camden" == view.raised_by
        assert {"fees": "low"} == view.positions["south-camden"]
        assert () == view.accepted
        for party in ("islington", "north-camden"):
            assert not app.accept_settlement(did, party=party, on=VESTING)
        assert app.accept_settlement(did, party="south-camden", on=VESTING)
        assert {"north-camden", "south-camden"} == {c.party for c in app.dispute(did).concessions}

    # ------------------------------------------------------------------ refusals --

    @pytest.mark.parametrize(
        ("successors", "split", "rule"),
        [
            ([], None, "succession-shape"),
            ([NORTH, NORTH], None, "succession-shape"),
            ([CAMDEN], None, "succession-shape"),
            ([NORTH], {"south-camden": 1}, "succession-shape"),
            ([NORTH, SOUTH], {"north-camden": 1}, "succession-shape"),
            ([NORTH, SOUTH], {"north-camden": -1, "south-camden": 2}, "succession-shape"),
            ([NORTH, SOUTH], {"north-camden": 0, "south-camden": 0}, "succession-shape"),
            ([NORTH], {"north-camden": 0.5}, "invalid-value"),
            ([NORTH], {"north-camden": True}, "invalid-value"),
            (NORTH, None, "invalid-value"),
            (["north-camden"], None, "invalid-value"),
        ],
    )
    def test_a_malformed_succession_is_refused(
        self, app: SharedServices, successors: Any, split: Any, rule: str
    ) -> None:
        pid = form_trio(app)
        assert_refused(
            app, rule, app.succeed, pid, party="camden", successors=successors, split=split,
            on=VESTING,
        )  # fmt: skip

    def test_a_former_partys_id_is_refused_for_a_successor_and_a_joiner(
        self, app: SharedServices
    ) -> None:
        pid = form_trio(app)
        app.succeed(pid, party="islington", successors=[Party("islington-2", "I2")], on=BEFORE)
        assert_refused(
            app, "party-ids-unique", app.succeed, pid, party="camden", successors=[ISLINGTON],
            on=VESTING,
        )  # fmt: skip
        pools = (CostPool.equal("ict", ["camden", "islington-2", "haringey", "islington"]),)
        assert_refused(
            app, "party-ids-unique", app.propose_variation, pid, by="camden",
            changes={"cost_pools": pools}, admit=[ISLINGTON], on=VESTING,
        )  # fmt: skip

    def test_absorption_leaving_fewer_than_two_parties_is_refused(
        self, app: SharedServices
    ) -> None:
        pid = form_pair(app)
        error = assert_refused(
            app, "two-or-more-parties", app.succeed, pid, party="camden", successors=[ISLINGTON],
            on=VESTING,
        )  # fmt: skip
        assert "dissolve the partnership, or vary it" in str(error)

    def test_a_succession_dated_before_the_latest_act_or_of_a_non_member_is_refused(
        self, app: SharedServices
    ) -> None:
        pid = form_pair(app, on=VESTING)
        assert_refused(
            app, "dates-in-order", app.succeed, pid, party="camden", successors=[NORTH],
            on=BEFORE,
        )  # fmt: skip
        assert_refused(
            app, "members-only", app.succeed, pid, party="haringey", successors=[NORTH],
            on=VESTING,
        )  # fmt: skip

    def test_a_dispute_left_with_one_party_refuses_the_succession(
        self, app: SharedServices
    ) -> None:
        pid = form_trio(app)
        app.raise_dispute(pid, by="camden", against=["islington"], subject="fees", on=BEFORE)
        assert_refused(
            app, "dispute-shape", app.succeed, pid, party="camden", successors=[ISLINGTON],
            on=VESTING,
        )  # fmt: skip

    def test_a_successor_already_pooling_the_function_is_refused(self, app: SharedServices) -> None:
        pid = form_trio(app)
        for by in ("camden", "islington"):
            hid = app.propose_handover(pid, function=DESK, by=by, on=BEFORE)
            for party in ("camden", "islington", "haringey"):
                app.consent_to_handover(hid, party=party, on=BEFORE)
            app.effect_handover(hid, on=BEFORE)
        assert_refused(
            app, "one-holder-per-function", app.succeed, pid, party="camden",
            successors=[ISLINGTON], on=VESTING,
        )  # fmt: skip

    def test_a_successor_serving_notice_of_its_own_is_refused_the_predecessors(
        self, app: SharedServices
    ) -> None:
        pid = form_trio(app)
        for party in ("camden", "islington"):
            app.serve_withdrawal_notice(pid, party=party, on=BEFORE)
        assert_refused(
            app, "notice-served", app.succeed, pid, party="camden", successors=[ISLINGTON],
            on=VESTING,
        )  # fmt: skip

    def test_a_successor_named_by_an_open_admission_is_refused(self, app: SharedServices) -> None:
        pid = form_pair(app)
        pools = (CostPool.equal("ict", ["camden", "islington", "north-camden"]),)
        app.propose_variation(
            pid, by="islington", changes={"cost_pools": pools}, admit=[NORTH], on=BEFORE
        )
        assert_refused(
            app, "party-ids-unique", app.succeed, pid, party="camden", successors=[NORTH],
            on=VESTING,
        )  # fmt: skip

    # -------------------------------------------------------------- reorganise --

    def test_reorganise_succeeds_the_party_in_every_partnership_in_one_save(
        self, app: SharedServices
    ) -> None:
        pair, trio = form_pair(app), form_trio(app)
        other = app.form_partnership(
            "Elsewhere", parties=[ISLINGTON, HARINGEY],
            terms=form_terms(ISLINGTON, HARINGEY), on=BEFORE,
        )  # fmt: skip
        before = app.highest_position()
        pids = app.reorganise(party="camden", successors=[NORTH, SOUTH], on=VESTING, ref=ORDER)
        assert [pair, trio] == pids
        assert 2 == app.highest_position() - before
        recorded = {app.audit_trail(pid)[-1].recorded_at for pid in pids}
        assert 1 == len(recorded)
        for pid in pids:
            assert "camden" in app.partnership(pid).successions
        assert {} == dict(app.partnership(other).successions)

    def test_reorganise_records_nothing_if_one_partnership_refuses(
        self, app: SharedServices
    ) -> None:
        form_pair(app)
        form_trio(app)
        assert_refused(
            app, "two-or-more-parties", app.reorganise, party="camden", successors=[ISLINGTON],
            on=VESTING,
        )  # fmt: skip

    def test_reorganise_a_party_in_no_partnership_is_not_found(self, app: SharedServices) -> None:
        form_pair(app)
        with pytest.raises(NotFound):
            app.reorganise(party="barchester", successors=[NORTH], on=VESTING)

    def test_a_succession_reads_back_the_same_from_another_application(
        self, app: SharedServices, reopen: OpenApp
    ) -> None:
        pid = form_trio(app)
        succeed_camden(app, pid, split={"north-camden": 3, "south-camden": 1})
        assert app.partnership(pid) == reopen().partnership(pid)


def test_a_history_with_a_succession_round_trips_through_a_scenario_file() -> None:
    app = SharedServices.in_memory()
    pid = form_trio(app)
    hid = app.propose_handover(pid, function=DESK, by="camden", on=BEFORE)
    app.consent_to_handover(hid, party="islington", on=BEFORE)
    did = app.raise_dispute(pid, by="camden", against=["haringey"], subject="fees", on=BEFORE)
    app.state_dispute_position(did, party="camden", position={"fees": "low"}, on=BEFORE)
    succeed_camden(app, pid, split={"north-camden": Decimal("2.5"), "south-camden": 1})
    text = dump_scenario(app, pid)
    assert 'act = "succeed"' in text
    recorded, again = round_trip(text)
    assert record(app, pid) == recorded
    assert text == again


def test_the_reports_show_the_seat_handed_over() -> None:
    app = SharedServices.in_memory()
    pid = form_pair(app)
    succeed_camden(app, pid, split={"north-camden": 3, "south-camden": 1})
    report = gather(app, pid)
    camden = next(m for m in report.memberships if m.party == "camden")
    assert (VESTING, ("north-camden", "south-camden")) == (camden.left, camden.successors)
    assert {"camden"} == {m.predecessor for m in report.memberships if not m.founder}
    text = render_markdown(report).replace("\u2011", "-")  # dates' non-breaking hyphens
    assert (
        "| London Borough of Camden | North Camden Council and South Camden Council | "
        + ("2023-04-01 | North Camden Council 3, South Camden Council 1 | Parliament, SI 2022/331")
        in text
    )
    assert "succeeded London Borough of Camden" in text
    assert "London Borough of Camden succeeded by North Camden Council" in text  # cost shares
    pytest.importorskip("matplotlib")
    picture = io.BytesIO()
    write_timeline(app, pid, picture, format="svg")
    svg = picture.getvalue().decode()
    assert "succeeded 1 Apr 2023 by North Camden and South Camden" in svg
    assert "seat handed to successors" in svg


def test_the_audit_report_names_who_ceded_a_function_and_who_inherited_it() -> None:
    app = SharedServices.in_memory()
    pid = form_pair(app)
    hid = app.propose_handover(pid, function=DESK, by="camden", on=BEFORE)
    for party in ("camden", "islington"):
        app.consent_to_handover(hid, party=party, on=BEFORE)
    app.effect_handover(hid, on=BEFORE)
    succeed_camden(app, pid)
    text = render_markdown(gather(app, pid)).replace("\u2011", "-")
    assert "### ICT service desk from London Borough of Camden\n" in text
    for heir in ("North Camden Council", "South Camden Council"):
        assert f"- **Inherited by {heir}:** 2023-04-01, from London Borough of Camden\n" in text, (
            heir
        )


def form_terms(*parties: Party) -> Terms:
    return Terms(cost_pools=(CostPool.equal("ict", parties),))


class TestSuccessionInMemory(InMemoryStore, SuccessionContract):
    pass


class TestSuccessionOnSQLite(SQLiteStore, SuccessionContract):
    pass


@pytest.mark.postgres
class TestSuccessionOnPostgres(PostgresStore, SuccessionContract):
    pass
