"""Obligations and balance, derived from the record: hand-built histories with the exact
obligations and balances they make, on every store."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID, uuid4

import pytest
from harness import (
    CAMDEN,
    HARINGEY,
    ISLINGTON,
    NORTH_ISLINGTON,
    SOUTH_ISLINGTON,
    InMemoryStore,
    OpenApp,
    PostgresStore,
    SQLiteStore,
    StoreContract,
    adopt,
    form_pair,
    form_trio,
    ref,
    terms_for,
)

from sharedsvc import (
    Balance,
    Function,
    Money,
    NotFound,
    Obligation,
    Policy,
    RuleViolation,
    Rung,
    SharedServices,
    dump_scenario,
    loads_scenario,
)
from sharedsvc.acts import Note
from sharedsvc.projections import obligation_entries
from sharedsvc.projections.deadlines import DERIVERS
from sharedsvc.projections.deriving import Deriver, Handler, Pending, Reading, due_after

DESK = Function("ict.service-desk", "ICT service desk", category="back-office")
PAYROLL = Function("hr.payroll", "Payroll", category="back-office")
ORDER = ref("Parliament", "SI 2022/331", date(2022, 3, 17))
VESTING = date(2023, 4, 1)


def ob(
    kind: str,
    party: str | None,
    due: date,
    status: str,
    source: int,
    met_on: date | None = None,
    late: bool = False,
) -> Obligation:
    return Obligation(kind, party, due, status, source, met_on, late)


def balance(
    conceded: int = 0,
    conceded_to: dict[str, int] | None = None,
    received_from: dict[str, int] | None = None,
    ceded: int = 0,
    kept: int = 0,
    missed: int = 0,
    disputes_raised: int = 0,
) -> Balance:
    return Balance(
        conceded, conceded_to or {}, received_from or {}, ceded, kept, missed, disputes_raised
    )


class ObligationsContract(StoreContract):
    # --------------------------------------------------------- withdrawals and exits --

    def test_a_notice_and_its_exit_costs_are_owed_then_met_on_time_or_late(
        self, app: SharedServices
    ) -> None:
        pid = form_trio(app)
        app.serve_withdrawal_notice(pid, party="islington", on=date(2017, 1, 10))
        notice = app.highest_position()
        app.determine_exit_costs(
            pid, party="islington", amount=Money("1000"), by="camden", on=date(2017, 6, 1)
        )
        costs = app.highest_position()
        assert [
            ob("exit-payment", "islington", date(2017, 8, 30), "open", costs),
            ob("withdrawal", "islington", date(2018, 3, 31), "open", notice),
        ] == app.obligations(pid, as_of=date(2017, 8, 30))
        assert "overdue" == app.obligations(pid, as_of=date(2017, 8, 31))[0].status
        assert [ob("withdrawal", "islington", date(2018, 3, 31), "open", notice)] == (
            app.obligations(pid, as_of=date(2017, 5, 31))
        )
        assert [] == app.obligations(pid, as_of=date(2017, 1, 9))
        app.settle_exit_payment(pid, party="islington", amount=Money("1000"), on=date(2017, 9, 15))
        app.complete_withdrawal(pid, party="islington", on=date(2018, 3, 31))
        paid, left = date(2017, 9, 15), date(2018, 3, 31)
        done = [
            ob("exit-payment", "islington", date(2017, 8, 30), "met", costs, paid, True),
            ob("withdrawal", "islington", date(2018, 3, 31), "met", notice, left),
        ]
        assert done == app.obligations(pid, as_of=date(2019, 1, 1))  # a former party's stay
        assert "islington" not in app.partnership(pid).active_parties
        assert balance(kept=1, missed=1) == app.balance(pid, as_of=date(2019, 1, 1))["islington"]
        assert balance(missed=1) == app.balance(pid, as_of=date(2017, 9, 1))["islington"]

    def test_a_retracted_notice_and_costs_determined_again_lapse(self, app: SharedServices) -> None:
        pid = form_trio(app)
        app.serve_withdrawal_notice(pid, party="haringey", on=date(2017, 2, 1))
        notice = app.highest_position()
        app.determine_exit_costs(
            pid, party="haringey", amount=Money("10"), by="camden", on=date(2017, 2, 2)
        )
        first = app.highest_position()
        app.determine_exit_costs(
            pid, party="haringey", amount=Money("20"), by="islington", on=date(2017, 3, 1)
        )
        second = app.highest_position()
        app.retract_withdrawal_notice(pid, party="haringey", on=date(2018, 5, 1))
        assert [
            ob("exit-payment", "haringey", date(2017, 5, 3), "lapsed", first),
            ob("exit-payment", "haringey", date(2017, 5, 30), "overdue", second),
            ob("withdrawal", "haringey", date(2018, 3, 31), "overdue", notice),
        ] == app.obligations(pid, as_of=date(2018, 4, 30))
        assert ["lapsed"] * 3 == [o.status for o in app.obligations(pid, as_of=date(2018, 5, 1))]
        assert balance() == app.balance(pid, as_of=date(2018, 5, 1))["haringey"]

    def test_a_dissolution_lapses_what_is_still_owed(self, app: SharedServices) -> None:
        pid = form_pair(app)
        app.serve_withdrawal_notice(pid, party="islington", on=date(2016, 1, 4))
        notice = app.highest_position()
        vid = app.propose_variation(pid, by="camden", dissolve=True, on=date(2016, 2, 1))
        app.approve_variation(pid, vid, party="camden", on=date(2016, 2, 1))
        app.approve_variation(pid, vid, party="islington", on=date(2016, 2, 3))
        assert [ob("withdrawal", "islington", date(2017, 3, 31), "open", notice)] == (
            app.obligations(pid, as_of=date(2016, 2, 2))
        )
        assert [ob("withdrawal", "islington", date(2017, 3, 31), "lapsed", notice)] == (
            app.obligations(pid, as_of=date(2016, 2, 3))
        )

    # ------------------------------------------------------------------- handovers --

    def test_a_handover_awaits_every_partys_answer_within_the_policys_days(
        self, app: SharedServices
    ) -> None:
        pid = form_trio(app)
        hid = app.propose_handover(pid, function=DESK, by="islington", on=date(2017, 1, 5))
        proposal = app.highest_position()
        app.consent_to_handover(hid, party="camden", on=date(2017, 1, 20))
        app.withhold_consent(hid, party="islington", reason="not yet", on=date(2017, 4, 1))
        due = date(2017, 3, 6)  # 60 days after the proposal
        assert [
            ob("consent", "camden", due, "met", proposal, date(2017, 1, 20)),
            ob("consent", "islington", due, "met", proposal, date(2017, 4, 1), True),
            ob("consent", "haringey", due, "overdue", proposal),
        ] == app.obligations(pid, as_of=date(2017, 4, 1))
        assert "open" == app.obligations(pid, as_of=due)[2].status
        app.withdraw_handover(hid, by="islington", on=date(2017, 5, 1))
        assert (
            ob("consent", "haringey", due, "lapsed", proposal)
            == (app.obligations(pid, as_of=date(2017, 5, 1))[2])
        )
        assert {
            "camden": balance(kept=1),
            "islington": balance(missed=1),
            "haringey": balance(),
        } == app.balance(pid, as_of=date(2017, 5, 1))
        assert {  # neither has answered: both overdue
            "camden": balance(kept=1),
            "islington": balance(missed=1),
            "haringey": balance(missed=1),
        } == app.balance(pid, as_of=date(2017, 3, 31))

    def test_a_party_admitted_while_a_handover_waits_is_awaited_from_its_admission(
        self, app: SharedServices
    ) -> None:
        pid = form_pair(app)
        hid = app.propose_handover(pid, function=DESK, by="camden", on=date(2016, 1, 4))
        proposal = app.highest_position()
        app.consent_to_handover(hid, party="camden", on=date(2016, 1, 4))
        app.consent_to_handover(hid, party="islington", on=date(2016, 1, 5))
        terms = terms_for(CAMDEN, ISLINGTON, HARINGEY)
        every = ["camden", "islington", "haringey"]
        adopt(
            app, pid, by="camden", on=date(2016, 2, 1), approvers=every, admit=[HARINGEY],
            changes={"cost_pools": terms.cost_pools},
        )  # fmt: skip
        assert (
            ob("consent", "haringey", date(2016, 4, 1), "open", proposal)
            == (app.obligations(pid, as_of=date(2016, 2, 1))[-1])
        )
        assert 2 == len(app.obligations(pid, as_of=date(2016, 1, 31)))

    def test_an_effected_handover_counts_as_ceded(self, app: SharedServices) -> None:
        pid = form_trio(app)
        hid = app.propose_handover(pid, function=DESK, by="haringey", on=date(2017, 1, 5))
        for party in ("camden", "islington", "haringey"):
            app.consent_to_handover(hid, party=party, on=date(2017, 1, 6))
        app.effect_handover(hid, on=date(2017, 2, 1))
        assert ["met"] * 3 == [o.status for o in app.obligations(pid)]
        assert balance(ceded=1, kept=1) == app.balance(pid)["haringey"]
        assert balance() == app.balance(pid, as_of=date(2017, 1, 5))["haringey"]
        assert [] == app.compromises(pid, as_of=date(2017, 1, 31))["haringey"]
        assert ["ceded"] == [
            e.kind for e in app.compromises(pid, as_of=date(2017, 2, 1))["haringey"]
        ]

    # -------------------------------------------------------------------- disputes --

    def test_a_dispute_owes_each_disputing_party_an_escalation_at_each_rung(
        self, app: SharedServices
    ) -> None:
        pid = form_with(app, Policy(rung_days={Rung.OFFICERS: 30}))
        did = app.raise_dispute(
            pid, by="islington", against=["camden"], subject="fees", on=date(2016, 1, 10)
        )
        raised = app.highest_position()
        app.escalate_dispute(did, by="camden", reason="stuck", on=date(2016, 3, 1))
        escalated = app.highest_position()
        app.state_dispute_position(
            did, party="islington", position={"fee": 50}, on=date(2016, 3, 2)
        )
        app.state_dispute_position(did, party="camden", position={"fee": 100}, on=date(2016, 3, 2))
        app.propose_settlement(did, by="camden", terms={"fee": 80}, on=date(2016, 4, 1))
        app.accept_settlement(did, party="islington", on=date(2016, 4, 5))
        app.accept_settlement(did, party="camden", on=date(2016, 4, 10))
        first, second = date(2016, 2, 9), date(2016, 5, 30)
        assert [
            ob("escalation", "islington", first, "overdue", raised),
            ob("escalation", "camden", first, "overdue", raised),
        ] == app.obligations(pid, as_of=date(2016, 2, 10))
        assert [
            ob("escalation", "islington", first, "met", raised, date(2016, 3, 1), True),
            ob("escalation", "camden", first, "met", raised, date(2016, 3, 1), True),
            ob("escalation", "islington", second, "met", escalated, date(2016, 4, 10)),
            ob("escalation", "camden", second, "met", escalated, date(2016, 4, 10)),
        ] == app.obligations(pid, as_of=date(2016, 12, 31))
        assert {
            "camden": balance(conceded=1, received_from={"islington": 1}, kept=1, missed=1),
            "islington": balance(
                conceded=1, conceded_to={"camden": 1}, kept=1, missed=1, disputes_raised=1
            ),
        } == app.balance(pid, as_of=date(2016, 12, 31))
        assert {"camden": balance(missed=1), "islington": balance(disputes_raised=1, missed=1)} == (
            app.balance(pid, as_of=date(2016, 4, 9))
        )

    def test_a_withdrawn_dispute_lapses_and_a_determination_counts_to_nobody(
        self, app: SharedServices
    ) -> None:
        pid = form_with(app, Policy(ladder=(Rung.OFFICERS, Rung.ARBITRATION)))
        gone = app.raise_dispute(
            pid, by="camden", against=["islington"], subject="sla", on=date(2016, 1, 4)
        )
        app.withdraw_dispute(gone, by="camden", on=date(2016, 1, 5))
        did = app.raise_dispute(
            pid, by="islington", against=["camden"], subject="fees", on=date(2016, 1, 6)
        )
        app.state_dispute_position(
            did, party="islington", position={"fee": 50}, on=date(2016, 1, 7)
        )
        app.state_dispute_position(did, party="camden", position={"fee": 100}, on=date(2016, 1, 7))
        app.escalate_dispute(did, by="islington", reason="arbitrate", on=date(2016, 2, 1))
        app.determine_dispute(did, arbiter="A. Arbiter", terms={"fee": 75}, on=date(2016, 3, 1))
        statuses = [(o.party, o.status, o.late) for o in app.obligations(pid)]
        assert [("camden", "lapsed", False), ("islington", "lapsed", False)] == statuses[:2]
        assert [("islington", "met", False), ("camden", "met", False)] * 2 == statuses[2:]
        assert {
            "camden": balance(conceded=1, kept=2, disputes_raised=1),
            "islington": balance(conceded=1, kept=2, disputes_raised=1),
        } == app.balance(pid)

    # ------------------------------------------------------------------ succession --

    def test_a_successor_owes_what_its_predecessor_owed_and_the_predecessors_lapse(
        self, app: SharedServices
    ) -> None:
        pid = form_trio(app)
        app.serve_withdrawal_notice(pid, party="islington", on=date(2022, 12, 1))
        notice = app.highest_position()
        app.determine_exit_costs(
            pid, party="islington", amount=Money("100"), by="camden", on=date(2023, 1, 10)
        )
        costs = app.highest_position()
        hid = app.propose_handover(pid, function=DESK, by="camden", on=date(2023, 2, 1))
        proposal = app.highest_position()
        app.consent_to_handover(hid, party="camden", on=date(2023, 2, 2))
        app.consent_to_handover(hid, party="haringey", on=date(2023, 2, 3))
        other = app.propose_handover(pid, function=PAYROLL, by="haringey", on=date(2023, 2, 4))
        app.consent_to_handover(other, party="islington", on=date(2023, 2, 5))
        app.raise_dispute(
            pid, by="haringey", against=["islington"], subject="fees", on=date(2023, 3, 1)
        )
        raised = app.highest_position()
        app.succeed(
            pid, party="islington", successors=[NORTH_ISLINGTON, SOUTH_ISLINGTON], on=VESTING,
            ref=ORDER,
        )  # fmt: skip
        consent_due, other_due = date(2023, 4, 2), date(2023, 4, 5)
        found = app.obligations(pid, as_of=VESTING)
        on_payroll = [o for o in found if o.due == other_due]
        assert {"camden", "islington", "haringey"} == {o.party for o in on_payroll}
        assert [o for o in found if o.due != other_due] == [
            ob("consent", "camden", consent_due, "met", proposal, date(2023, 2, 2)),
            ob("consent", "islington", consent_due, "lapsed", proposal),
            ob("consent", "haringey", consent_due, "met", proposal, date(2023, 2, 3)),
            ob("consent", "north-islington", consent_due, "open", proposal),
            ob("consent", "south-islington", consent_due, "open", proposal),
            ob("exit-payment", "islington", date(2023, 4, 10), "lapsed", costs),
            ob("exit-payment", "north-islington", date(2023, 4, 10), "open", costs),
            ob("exit-payment", "south-islington", date(2023, 4, 10), "open", costs),
            ob("escalation", "haringey", date(2023, 5, 30), "open", raised),
            ob("escalation", "islington", date(2023, 5, 30), "lapsed", raised),
            ob("escalation", "north-islington", date(2023, 5, 30), "open", raised),
            ob("escalation", "south-islington", date(2023, 5, 30), "open", raised),
            ob("withdrawal", "islington", date(2024, 3, 31), "lapsed", notice),
            ob("withdrawal", "north-islington", date(2024, 3, 31), "open", notice),
            ob("withdrawal", "south-islington", date(2024, 3, 31), "open", notice),
        ]
        before = app.obligations(pid, as_of=date(2023, 3, 31))
        assert not [o for o in before if o.party in ("north-islington", "south-islington")]
        assert "open" == next(o.status for o in before if o.kind == "withdrawal")
        app.settle_exit_payment(
            pid, party="north-islington", amount=Money("50"), on=date(2023, 4, 3)
        )
        paid = app.obligations(pid, as_of=date(2023, 4, 3))
        assert ob("exit-payment", "north-islington", date(2023, 4, 10), "met", costs,
                  date(2023, 4, 3)) in paid  # fmt: skip
        assert set(app.balance(pid)) == {
            "camden",
            "islington",
            "haringey",
            "north-islington",
            "south-islington",
        }

    # ------------------------------------------------------------------- targets --

    def test_a_target_is_owed_by_its_party_and_met_only_by_an_outcome_at_or_above_it_in_time(
        self, app: SharedServices
    ) -> None:
        pid = form_trio(app)
        savings = app.set_target(
            pid, kind="savings", amount=Money("6000000"), due=date(2018, 3, 31),
            by="camden", on=date(2017, 4, 1),
        )  # fmt: skip
        first = app.highest_position()
        app.set_target(
            pid, kind="staff-moved", amount=Money("40"), due=date(2018, 6, 30),
            party="islington", by="camden", on=date(2017, 4, 2),
        )  # fmt: skip
        second = app.highest_position()
        app.record_outcome(
            pid, target=savings, amount=Money("5999999.99"), by="camden", on=date(2018, 3, 1)
        )
        assert [
            ob("savings", None, date(2018, 3, 31), "open", first),
            ob("staff-moved", "islington", date(2018, 6, 30), "open", second),
        ] == app.obligations(pid, as_of=date(2018, 3, 2))
        app.record_outcome(
            pid, target=savings, amount=Money("6100000"), by="camden", on=date(2018, 3, 31)
        )
        assert [
            ob("savings", None, date(2018, 3, 31), "met", first, date(2018, 3, 31)),
            ob("staff-moved", "islington", date(2018, 6, 30), "overdue", second),
        ] == app.obligations(pid, as_of=date(2018, 7, 1))
        assert balance(missed=1) == app.balance(pid, as_of=date(2018, 7, 1))["islington"]

    def test_an_outcome_after_the_due_date_does_not_meet_the_target(
        self, app: SharedServices
    ) -> None:
        pid = form_trio(app)
        target = app.set_target(
            pid, kind="savings", amount=Money("100"), due=date(2018, 3, 31), by="camden",
            on=date(2017, 4, 1),
        )  # fmt: skip
        source = app.highest_position()
        app.record_outcome(pid, target=target, amount=Money("500"), by="camden",
                           on=date(2018, 4, 1))  # fmt: skip
        assert [ob("savings", None, date(2018, 3, 31), "overdue", source)] == app.obligations(
            pid, as_of=date(2018, 4, 2)
        )
        assert None is app.targets(pid)[0].met_on

    def test_a_target_binding_a_succeeded_party_passes_to_each_successor(
        self, app: SharedServices
    ) -> None:
        pid = form_trio(app)
        app.set_target(
            pid, kind="savings", amount=Money("100"), due=date(2023, 12, 31),
            party="islington", by="camden", on=date(2023, 1, 5),
        )  # fmt: skip
        source = app.highest_position()
        app.succeed(
            pid, party="islington", successors=[NORTH_ISLINGTON, SOUTH_ISLINGTON], on=VESTING,
            ref=ORDER,
        )  # fmt: skip
        assert [
            ob("savings", "islington", date(2023, 12, 31), "lapsed", source),
            ob("savings", "north-islington", date(2023, 12, 31), "open", source),
            ob("savings", "south-islington", date(2023, 12, 31), "open", source),
        ] == app.obligations(pid, as_of=VESTING)

    # -------------------------------------------------------------- the policy kept --

    def test_a_policy_with_deadlines_of_its_own_is_stored_and_read_back(
        self, app: SharedServices, reopen: OpenApp
    ) -> None:
        policy = Policy(
            ladder=(Rung.OFFICERS, Rung.MEDIATION, Rung.ARBITRATION),
            rung_days={Rung.OFFICERS: 21, Rung.ARBITRATION: 180},
            exit_payment_days=30,
            consent_days=45,
        )
        pid = form_with(app, policy)
        assert policy == reopen().partnership(pid).policy
        again = SharedServices.in_memory()
        assert policy == again.partnership(loads_scenario(again, dump_scenario(app, pid))).policy

    # ------------------------------------------------------------------ bad input --

    def test_an_as_of_that_is_not_a_date_is_refused(self, app: SharedServices) -> None:
        pid = form_pair(app)
        for wrong in ("2016-01-01", datetime(2016, 1, 1), 20160101):
            for query in (app.obligations, app.balance, app.compromises):
                with pytest.raises(RuleViolation) as refused:
                    query(pid, as_of=wrong)  # type: ignore[arg-type]
                assert "invalid-value" == refused.value.rule

    def test_an_unknown_partnership_is_not_found(self, app: SharedServices) -> None:
        form_pair(app)
        for query in (app.obligations, app.balance):
            with pytest.raises(NotFound):
                query(uuid4())

    def test_as_of_none_is_today(
        self, app: SharedServices, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        pid = form_pair(app)
        app.serve_withdrawal_notice(pid, party="islington", on=date(2016, 1, 4))
        monkeypatch.setattr(app, "_today", lambda: date(2016, 1, 3))
        assert [] == app.obligations(pid)
        monkeypatch.setattr(app, "_today", lambda: date(2017, 4, 1))
        assert ["overdue"] == [o.status for o in app.obligations(pid)]
        assert balance(missed=1) == app.balance(pid)["islington"]


class Responses(Deriver):
    """A deriver of a kind of its own, as a target's will be: a statutory note is to be
    answered by the party it concerns within 30 days, and a later note by that party meets it."""

    def __init__(self, reading: Reading) -> None:
        super().__init__(reading)
        self.waiting: dict[str, Pending] = {}

    def handlers(self) -> dict[type[Any], Handler]:
        return {Note.records: self.noted}

    def noted(self, event: Any, position: int) -> None:
        if Note.read(event, "by") in self.waiting:
            self.waiting.pop(Note.read(event, "by")).meet(event.on)
        party = Note.read(event, "party")
        if party is not None:
            due = due_after(event.on, 30)
            self.waiting[party] = self.book.open("response", party, due, position)


def test_a_kind_of_obligation_plugs_in_as_one_more_deriver() -> None:
    app = SharedServices.in_memory()
    pid = form_pair(app)
    app.note(
        pid, kind="statutory", text="s114", party="islington", by="camden", on=date(2016, 1, 4)
    )
    asked = app.highest_position()
    app.note(pid, kind="audit", text="plan", by="islington", on=date(2016, 3, 1))
    view = app.partnership(pid)
    found = obligation_entries(
        app.recorder, app.mapper, view.id, view.policy, date(2016, 3, 1), (*DERIVERS, Responses)
    )
    assert [
        ob("response", "islington", date(2016, 2, 3), "met", asked, date(2016, 3, 1), True)
    ] == (found)
    assert [] == app.obligations(pid, as_of=date(2016, 3, 1))


def form_with(app: SharedServices, policy: Policy) -> UUID:
    return app.form_partnership(
        "Shared Digital", parties=[CAMDEN, ISLINGTON], terms=terms_for(CAMDEN, ISLINGTON),
        on=date(2015, 9, 24), policy=policy,
    )  # fmt: skip


class TestObligationsInMemory(InMemoryStore, ObligationsContract):
    pass


class TestObligationsOnSQLite(SQLiteStore, ObligationsContract):
    pass


@pytest.mark.postgres
class TestObligationsOnPostgres(PostgresStore, ObligationsContract):
    pass
