"""Sovereignty handovers and disputes through the verbs of SharedServices, on every store.

:class:`HandoverDisputeAppContract` is written once and run on the in-memory store, on SQLite
and on PostgreSQL by the subclasses at the end of the module. Every command goes through a
public verb; the tests read the stored events (``app.events``) only to check what a command
wrote, and together with what.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any
from uuid import UUID

import attrs
import pytest
from handover_harness import (
    BRAND,
    CONTACT_CENTRE,
    COUNCIL_TAX,
    LEGAL_ADVICE,
    SERVICE_DESK,
    climb,
    consent_all,
    consent_ref,
    event_names,
    last_events,
    pool,
    refused,
)
from harness import (
    CAMDEN,
    HARINGEY,
    ISLINGTON,
    NON_MEMBER,
    InMemoryStore,
    OpenApp,
    PostgresStore,
    SQLiteStore,
    StoreContract,
    adopt,
    form_pair,
    form_trio,
    ref,
)

from sharedsvc import (
    Concession,
    ConcurrencyConflict,
    CostPool,
    DataRole,
    DisputeView,
    Function,
    HandoverView,
    Money,
    NotFound,
    Partnership,
    Policy,
    PooledFunction,
    Rung,
    RungReached,
    SharedServices,
    StaffArrangement,
    StaffTransfer,
    Stage,
)

PROPOSED = date(2017, 1, 9)
CONSENTED = date(2017, 1, 23)
EFFECTIVE = date(2017, 2, 1)
LATER = date(2017, 3, 1)
RAISED = date(2017, 4, 3)
SETTLED = date(2017, 9, 4)
BOARD = ref("Shared Digital Board", "SDB/2017/02", EFFECTIVE)


def timeless(view: HandoverView | DisputeView) -> HandoverView | DisputeView:
    """``view`` without the query's own ``as_of`` / ``known_at``, to compare with another."""
    return attrs.evolve(view, as_of=None, known_at=None)


def proposed(app: SharedServices, pid: UUID, function: Function = SERVICE_DESK, **kw: Any) -> UUID:
    """Islington (unless ``by`` says otherwise) proposes to hand ``function`` over."""
    arguments: dict[str, Any] = {"by": "islington", "on": PROPOSED, **kw}
    return app.propose_handover(pid, function=function, **arguments)


def ready(app: SharedServices, pid: UUID, function: Function = SERVICE_DESK, **kw: Any) -> UUID:
    """A handover of ``function`` that every active party has consented to."""
    hid = proposed(app, pid, function, **kw)
    consent_all(app, hid, app.partnership(pid).active_parties, on=CONSENTED)
    return hid


def settle(app: SharedServices, did: UUID, *, on: date = SETTLED) -> None:
    """Camden proposes terms and every disputing party accepts them."""
    app.propose_settlement(did, by="camden", terms={"sla": "99.9% availability"}, on=on)
    for party in app.dispute(did).parties:
        app.accept_settlement(did, party=party, on=on)


def determine(app: SharedServices, did: UUID, *, on: date = SETTLED) -> None:
    """The dispute climbs to arbitration and an arbiter determines it."""
    climb(app, did, by=app.dispute(did).raised_by, to=Rung.ARBITRATION, on=on)
    app.determine_dispute(did, arbiter="CEDR", terms={"sla": "99.9% availability"}, on=on)


def withdraw(app: SharedServices, did: UUID, *, on: date = SETTLED) -> None:
    """The party that raised the dispute withdraws it."""
    app.withdraw_dispute(did, by=app.dispute(did).raised_by, reason="agreed informally", on=on)


CLOSINGS: dict[str, tuple[str, Callable[..., None]]] = {
    "settled": ("Settled", settle),
    "determined": ("Determined", determine),
    "withdrawn": ("Withdrawn", withdraw),
}
"""Each way a dispute closes: the dispute's event, and a helper that closes it so."""


class HandoverDisputeAppContract(StoreContract):
    """What every store must do for handovers and disputes. Subclasses provide ``open_app``:
    a fixture returning a callable that opens a new application on the test's store."""

    # ------------------------------------------------------------------ proposing --

    def test_a_proposed_handover_records_the_staff_assets_and_data_role_that_go_with_it(
        self, app: SharedServices
    ) -> None:
        pid = form_pair(app)
        staff = (StaffTransfer(StaffArrangement.S113, 12), StaffTransfer(StaffArrangement.TUPE, 3))
        assets = ("service desk telephony", "ticketing system licences")
        hid = app.propose_handover(
            pid,
            function=SERVICE_DESK,
            by="islington",
            staff=staff,
            assets=assets,
            data_role=DataRole.HOST_PROCESSOR,
            rationale="one service desk for both boroughs",
            on=PROPOSED,
        )
        view = app.handover(hid)
        assert (hid, pid) == (view.id, view.partnership_id)
        assert SERVICE_DESK == view.function
        assert "islington" == view.from_party
        assert staff == view.staff
        assert assets == view.assets
        assert DataRole.HOST_PROCESSOR == view.data_role
        assert "one service desk for both boroughs" == view.rationale
        assert ({}, {}) == (view.consents, view.withheld)
        assert ("proposed", PROPOSED, None) == (view.status, view.proposed_on, view.effected_on)
        assert () == app.partnership(pid).pooled_functions

    def test_a_party_that_is_not_a_member_cannot_propose_a_handover(
        self, app: SharedServices
    ) -> None:
        pid = form_pair(app)
        refused(app, "members-only", proposed, app, pid, by=NON_MEMBER)

    # ------------------------------------------------------------------- consents --

    def test_each_party_consents_for_itself_with_its_decision_reference(
        self, app: SharedServices
    ) -> None:
        pid = form_trio(app)
        hid = proposed(app, pid, by="haringey")
        camden = consent_ref("camden", CONSENTED)
        app.consent_to_handover(hid, party="camden", ref=camden, on=CONSENTED)
        app.consent_to_handover(hid, party="haringey", on=CONSENTED)
        assert {"camden": camden, "haringey": None} == app.handover(hid).consents

    def test_a_party_that_withheld_consent_can_give_it_later(self, app: SharedServices) -> None:
        pid = form_pair(app)
        hid = proposed(app, pid)
        app.withhold_consent(hid, party="camden", reason="staff not consulted yet", on=CONSENTED)
        assert {"camden": "staff not consulted yet"} == app.handover(hid).withheld
        camden = consent_ref("camden", LATER)
        app.consent_to_handover(hid, party="camden", ref=camden, on=LATER)
        view = app.handover(hid)
        assert ({"camden": camden}, {}) == (view.consents, view.withheld)

    def test_withholding_consent_before_the_handover_took_effect_withdraws_a_consent_given(
        self, app: SharedServices
    ) -> None:
        pid = form_pair(app)
        hid = ready(app, pid)
        app.withhold_consent(hid, party="islington", reason="cabinet changed its mind", on=LATER)
        assert ["camden"] == list(app.handover(hid).consents)
        error = refused(app, "handover-needs-every-consent", app.effect_handover, hid, on=LATER)
        assert "islington" in error.message

    def test_consenting_twice_is_refused(self, app: SharedServices) -> None:
        pid = form_pair(app)
        hid = ready(app, pid)
        refused(app, "consent-once", app.consent_to_handover, hid, party="camden", on=LATER)

    def test_consent_cannot_be_withheld_once_the_handover_took_effect(
        self, app: SharedServices
    ) -> None:
        pid = form_pair(app)
        hid = pool(app, pid, SERVICE_DESK, by="islington", on=EFFECTIVE)
        refused(app, "consent-once", app.withhold_consent, hid, party="camden", on=LATER)
        refused(app, "handover-closed", app.consent_to_handover, hid, party="camden", on=LATER)

    @pytest.mark.parametrize("verb", ["consent_to_handover", "withhold_consent"])
    def test_a_party_that_is_not_a_member_neither_consents_nor_withholds_consent(
        self, app: SharedServices, verb: str
    ) -> None:
        pid = form_pair(app)
        hid = proposed(app, pid)
        refused(app, "members-only", getattr(app, verb), hid, party=NON_MEMBER, on=CONSENTED)

    @pytest.mark.parametrize("verb", ["consent_to_handover", "withhold_consent"])
    def test_no_party_consents_or_withholds_consent_on_behalf_of_another(
        self, app: SharedServices, verb: str
    ) -> None:
        pid = form_pair(app)
        hid = proposed(app, pid)
        refused(
            app, "acts-for-itself", getattr(app, verb), hid, party="camden", by="islington",
            on=CONSENTED,
        )  # fmt: skip

    # ------------------------------------------------------------------- effecting --

    def test_a_handover_takes_effect_only_once_every_active_party_consented(
        self, app: SharedServices
    ) -> None:
        pid = form_trio(app)
        hid = proposed(app, pid)
        consent_all(app, hid, ["camden", "islington"], on=CONSENTED)
        error = refused(app, "handover-needs-every-consent", app.effect_handover, hid, on=EFFECTIVE)
        assert "haringey" in error.message
        consent_all(app, hid, ["haringey"], on=CONSENTED)
        app.effect_handover(hid, on=EFFECTIVE)
        assert ("effected", EFFECTIVE) == (app.handover(hid).status, app.handover(hid).effected_on)

    def test_a_handover_without_any_consent_does_not_take_effect(self, app: SharedServices) -> None:
        pid = form_pair(app)
        hid = proposed(app, pid)
        error = refused(app, "handover-needs-every-consent", app.effect_handover, hid, on=EFFECTIVE)
        assert "camden, islington have not consented" in error.message

    @pytest.mark.parametrize(
        ("function", "below", "minimum"),
        [
            (SERVICE_DESK, Stage.COMMUNICATING, Stage.CO_OPERATING),
            (CONTACT_CENTRE, Stage.COORDINATING, Stage.COLLABORATING),
            (BRAND, Stage.COLLABORATING, Stage.COMBINING),
            (LEGAL_ADVICE, Stage.COMMUNICATING, Stage.CO_OPERATING),
        ],
        ids=["back-office", "front-line", "identity", "uncategorised"],
    )
    def test_a_function_is_pooled_only_at_or_past_its_categorys_minimum_stage(
        self, app: SharedServices, function: Function, below: Stage, minimum: Stage
    ) -> None:
        pid = form_pair(app, stage=below)
        hid = ready(app, pid, function)
        error = refused(app, "stage-minimum-for-function", app.effect_handover, hid, on=EFFECTIVE)
        assert f"pooled from {minimum.value}" in error.message
        app.change_stage(pid, to=minimum, by="camden", on=EFFECTIVE)
        app.effect_handover(hid, on=EFFECTIVE)
        assert [function] == [p.function for p in app.partnership(pid).pooled_functions]

    def test_a_partnership_with_its_own_policy_pools_by_its_own_minimums(
        self, app: SharedServices
    ) -> None:
        policy = Policy(
            stage_minimums={"back-office": Stage.COORDINATING, "front-line": Stage.COORDINATING},
            default_minimum=Stage.COLLABORATING,
        )
        pid = form_pair(app, stage=Stage.CO_OPERATING, policy=policy)
        desk = ready(app, pid, SERVICE_DESK)
        centre = ready(app, pid, CONTACT_CENTRE)
        advice = ready(app, pid, LEGAL_ADVICE)
        refused(app, "stage-minimum-for-function", app.effect_handover, desk, on=EFFECTIVE)
        app.change_stage(pid, to=Stage.COORDINATING, by="camden", on=EFFECTIVE)
        app.effect_handover(desk, on=EFFECTIVE)
        app.effect_handover(centre, on=EFFECTIVE)  # front-line: the default would refuse
        refused(app, "stage-minimum-for-function", app.effect_handover, advice, on=EFFECTIVE)
        app.change_stage(pid, to=Stage.COLLABORATING, by="camden", on=LATER)
        app.effect_handover(advice, on=LATER)
        assert [SERVICE_DESK, CONTACT_CENTRE, LEGAL_ADVICE] == [
            p.function for p in app.partnership(pid).pooled_functions
        ]

    def test_a_council_cannot_hand_over_a_function_it_already_pooled(
        self, app: SharedServices
    ) -> None:
        pid = form_pair(app)
        hid = pool(app, pid, SERVICE_DESK, by="islington", on=EFFECTIVE)
        error = refused(app, "one-holder-per-function", proposed, app, pid, SERVICE_DESK, on=LATER)
        assert str(hid) in error.message

    def test_of_two_handovers_of_one_function_only_the_first_to_take_effect_pools_it(
        self, app: SharedServices
    ) -> None:
        pid = form_pair(app)
        first, second = ready(app, pid), ready(app, pid)
        app.effect_handover(first, on=EFFECTIVE)
        refused(app, "one-holder-per-function", app.effect_handover, second, on=EFFECTIVE)
        assert [first] == [p.handover_id for p in app.partnership(pid).pooled_functions]

    def test_two_councils_may_each_pool_their_own_service_desk(self, app: SharedServices) -> None:
        pid = form_pair(app)
        camdens = pool(app, pid, SERVICE_DESK, by="camden", on=EFFECTIVE)
        islingtons = pool(app, pid, SERVICE_DESK, by="islington", on=EFFECTIVE)
        assert (
            PooledFunction("camden", SERVICE_DESK, camdens, EFFECTIVE),
            PooledFunction("islington", SERVICE_DESK, islingtons, EFFECTIVE),
        ) == app.partnership(pid).pooled_functions

    def test_effecting_writes_effected_and_function_pooled_in_one_save_at_one_recorded_time(
        self, app: SharedServices
    ) -> None:
        pid = form_pair(app)
        hid = ready(app, pid)
        position = app.highest_position()
        app.effect_handover(hid, on=EFFECTIVE, ref=BOARD)
        [effected], [pooled] = last_events(app, hid, 1), last_events(app, pid, 1)
        assert ("Effected", "FunctionPooled") == (
            type(effected).__name__,
            type(pooled).__name__,
        )
        assert effected.timestamp == pooled.timestamp
        assert ("camden", BOARD, EFFECTIVE) == (effected.by, effected.ref, effected.on)
        assert (hid, "islington", SERVICE_DESK, EFFECTIVE) == (
            pooled.handover_id,
            pooled.from_party,
            pooled.function,
            pooled.on,
        )
        assert position + 2 == app.highest_position()
        assert (PooledFunction("islington", SERVICE_DESK, hid, EFFECTIVE),) == (
            app.partnership(pid).pooled_functions
        )

    def test_the_host_effects_a_handover_unless_another_member_is_named(
        self, app: SharedServices
    ) -> None:
        pid = form_pair(app, host="camden")
        by_default, named = ready(app, pid, SERVICE_DESK), ready(app, pid, COUNCIL_TAX)
        app.effect_handover(by_default, on=EFFECTIVE)
        app.effect_handover(named, on=EFFECTIVE, by="islington")
        assert ["camden", "islington"] == [
            last_events(app, hid, 1)[0].by for hid in (by_default, named)
        ]

    def test_without_a_host_effecting_names_who_effects_the_handover(
        self, app: SharedServices
    ) -> None:
        pid = form_pair(app, host=None)
        hid = ready(app, pid)
        error = refused(app, "invalid-value", app.effect_handover, hid, on=EFFECTIVE)
        assert "no host" in str(error), error
        app.effect_handover(hid, on=EFFECTIVE, by="camden")
        assert "camden" == last_events(app, hid, 1)[0].by

    def test_a_party_that_is_not_a_member_cannot_effect_a_handover(
        self, app: SharedServices
    ) -> None:
        pid = form_pair(app)
        hid = ready(app, pid)
        refused(app, "members-only", app.effect_handover, hid, on=EFFECTIVE, by=NON_MEMBER)

    def test_a_party_admitted_after_the_others_consented_must_consent_too(
        self, app: SharedServices
    ) -> None:
        pid = form_pair(app)
        hid = ready(app, pid)
        refused(app, "members-only", app.consent_to_handover, hid, party="haringey", on=CONSENTED)
        adopt(
            app,
            pid,
            by="camden",
            on=CONSENTED,
            approvers=["camden", "islington", "haringey"],
            changes={"cost_pools": (CostPool.equal("ict", [CAMDEN, ISLINGTON, HARINGEY]),)},
            admit=[HARINGEY],
        )
        error = refused(app, "handover-needs-every-consent", app.effect_handover, hid, on=EFFECTIVE)
        assert "haringey has not consented" in error.message
        consent_all(app, hid, ["haringey"], on=EFFECTIVE)
        app.effect_handover(hid, on=EFFECTIVE)
        assert "effected" == app.handover(hid).status

    def test_a_handover_effected_against_a_stale_copy_of_the_partnership_records_nothing(
        self, app: SharedServices
    ) -> None:
        pid = form_pair(app)
        hid = ready(app, pid)
        handover, stale = app.repository.get(hid), app.repository.get(pid)
        adopt(
            app,
            pid,
            by="camden",
            on=CONSENTED,
            approvers=["camden", "islington", "haringey"],
            changes={"cost_pools": (CostPool.equal("ict", [CAMDEN, ISLINGTON, HARINGEY]),)},
            admit=[HARINGEY],
        )
        position, before = app.highest_position(), app.handover(hid)
        handover.effect(stale, on=EFFECTIVE)  # the stale copy does not know Haringey
        with pytest.raises(ConcurrencyConflict):
            app._commit(handover, stale)
        assert position == app.highest_position()
        assert before == app.handover(hid)
        assert () == app.partnership(pid).pooled_functions

    def test_a_writer_that_read_before_a_party_was_admitted_cannot_effect_the_handover(
        self, app: SharedServices, reopen: OpenApp
    ) -> None:
        pid = form_pair(app)
        hid = ready(app, pid)
        other = reopen()
        handover, partnership = app.repository.get(hid), app.repository.get(pid)
        adopt(
            other,
            pid,
            by="camden",
            on=CONSENTED,
            approvers=["camden", "islington", "haringey"],
            changes={"cost_pools": (CostPool.equal("ict", [CAMDEN, ISLINGTON, HARINGEY]),)},
            admit=[HARINGEY],
        )
        position = other.highest_position()
        handover.effect(partnership, on=EFFECTIVE)
        with pytest.raises(ConcurrencyConflict):
            app._commit(handover, partnership)
        assert position == app.highest_position()
        assert "proposed" == other.handover(hid).status
        refused(app, "handover-needs-every-consent", app.effect_handover, hid, on=EFFECTIVE)

    # ------------------------------------------------------------------ withdrawing --

    def test_the_proposer_withdraws_a_handover_before_it_takes_effect(
        self, app: SharedServices
    ) -> None:
        pid = form_pair(app)
        hid = ready(app, pid)
        app.withdraw_handover(hid, by="islington", reason="moving to a cloud service", on=LATER)
        assert "withdrawn" == app.handover(hid).status
        refused(app, "handover-closed", app.effect_handover, hid, on=LATER)
        refused(app, "handover-closed", app.withhold_consent, hid, party="camden", on=LATER)
        refused(app, "handover-closed", app.withdraw_handover, hid, by="islington", on=LATER)

    @pytest.mark.parametrize(
        ("by", "rule"), [("camden", "acts-for-itself"), (NON_MEMBER, "members-only")]
    )
    def test_only_the_proposer_withdraws_a_handover(
        self, app: SharedServices, by: str, rule: str
    ) -> None:
        pid = form_pair(app)
        hid = proposed(app, pid)
        refused(app, rule, app.withdraw_handover, hid, by=by, on=LATER)

    def test_a_handover_in_effect_cannot_be_withdrawn(self, app: SharedServices) -> None:
        pid = form_pair(app)
        hid = pool(app, pid, SERVICE_DESK, by="islington", on=EFFECTIVE)
        refused(app, "handover-closed", app.withdraw_handover, hid, by="islington", on=LATER)

    # -------------------------------------------------------------------- recalling --

    def test_recalling_a_handover_returns_the_function_in_the_same_save(
        self, app: SharedServices
    ) -> None:
        pid = form_pair(app)
        hid = pool(app, pid, SERVICE_DESK, by="islington", on=EFFECTIVE)
        app.recall_handover(hid, by="islington", reason="service levels missed", on=LATER)
        [recalled], [returned] = last_events(app, hid, 1), last_events(app, pid, 1)
        assert ("Recalled", "FunctionReturned") == (
            type(recalled).__name__,
            type(returned).__name__,
        )
        assert recalled.timestamp == returned.timestamp
        assert (hid, "islington", SERVICE_DESK, LATER) == (
            returned.handover_id,
            returned.from_party,
            returned.function,
            returned.on,
        )
        assert "recalled" == app.handover(hid).status
        assert () == app.partnership(pid).pooled_functions
        again = proposed(app, pid, SERVICE_DESK, on=LATER)
        assert "proposed" == app.handover(again).status

    @pytest.mark.parametrize(
        ("by", "rule"), [("camden", "acts-for-itself"), (NON_MEMBER, "members-only")]
    )
    def test_only_the_council_that_handed_a_function_over_recalls_it(
        self, app: SharedServices, by: str, rule: str
    ) -> None:
        pid = form_pair(app)
        hid = pool(app, pid, SERVICE_DESK, by="islington", on=EFFECTIVE)
        refused(app, rule, app.recall_handover, hid, by=by, on=LATER)

    def test_a_handover_not_in_effect_cannot_be_recalled(self, app: SharedServices) -> None:
        pid = form_pair(app)
        hid = ready(app, pid)
        refused(app, "handover-closed", app.recall_handover, hid, by="islington", on=LATER)

    def test_a_stage_change_below_a_pooled_functions_minimum_is_refused_until_it_is_recalled(
        self, app: SharedServices
    ) -> None:
        pid = form_trio(app)  # collaborating
        centre = pool(app, pid, CONTACT_CENTRE, by="haringey", on=EFFECTIVE)
        pool(app, pid, SERVICE_DESK, by="haringey", on=EFFECTIVE)
        error = refused(
            app, "stage-minimum-for-function", app.change_stage, pid, to=Stage.COORDINATING,
            by="camden", on=LATER,
        )  # fmt: skip
        assert "customer.contact-centre of haringey needs collaborating" in error.message
        assert "ict.service-desk" not in error.message
        app.change_stage(pid, to=Stage.COMBINING, by="camden", on=LATER)
        app.change_stage(pid, to=Stage.COLLABORATING, by="camden", on=LATER)
        app.recall_handover(centre, by="haringey", on=LATER)
        app.change_stage(pid, to=Stage.CO_OPERATING, by="camden", on=LATER)
        assert Stage.CO_OPERATING == app.partnership(pid).stage
        refused(
            app, "stage-minimum-for-function", app.change_stage, pid, to=Stage.COMMUNICATING,
            by="camden", on=LATER,
        )  # fmt: skip

    def test_a_council_cannot_complete_its_withdrawal_while_its_functions_are_pooled(
        self, app: SharedServices
    ) -> None:
        pid = form_trio(app)
        desk = pool(app, pid, SERVICE_DESK, by="islington", on=EFFECTIVE)
        tax = pool(app, pid, COUNCIL_TAX, by="islington", on=EFFECTIVE)
        camdens = pool(app, pid, SERVICE_DESK, by="camden", on=EFFECTIVE)
        effective = app.serve_withdrawal_notice(pid, party="islington", on=LATER)
        owed = Money("90000.00")
        app.determine_exit_costs(pid, party="islington", amount=owed, by="camden", on=LATER)
        app.settle_exit_payment(pid, party="islington", amount=owed, on=LATER)
        error = refused(
            app, "functions-returned-before-leaving", app.complete_withdrawal, pid,
            party="islington", on=effective,
        )  # fmt: skip
        assert "ict.service-desk, revenues.council-tax" in error.message
        app.recall_handover(desk, by="islington", on=effective)
        error = refused(
            app, "functions-returned-before-leaving", app.complete_withdrawal, pid,
            party="islington", on=effective,
        )  # fmt: skip
        assert "ict.service-desk" not in error.message
        app.recall_handover(tax, by="islington", on=effective)
        app.complete_withdrawal(pid, party="islington", on=effective)
        view = app.partnership(pid)
        assert ("camden", "haringey") == view.active_parties
        assert [camdens] == [p.handover_id for p in view.pooled_functions]

    def test_a_dissolution_returns_every_pooled_function_and_recalls_its_handover_in_one_save(
        self, app: SharedServices
    ) -> None:
        pid = form_pair(app)
        camdens = pool(app, pid, SERVICE_DESK, by="camden", on=EFFECTIVE)
        islingtons = pool(app, pid, COUNCIL_TAX, by="islington", on=EFFECTIVE)
        vid = app.propose_variation(pid, by="camden", dissolve=True, on=LATER)
        app.approve_variation(pid, vid, party="camden", on=LATER)
        position = app.highest_position()
        assert app.approve_variation(pid, vid, party="islington", on=LATER)
        assert position + 7 == app.highest_position()
        written = last_events(app, pid, 5)
        assert [
            "VariationApproved",
            "VariationAdopted",
            "FunctionReturned",
            "FunctionReturned",
            "Dissolved",
        ] == [type(event).__name__ for event in written]
        assert [camdens, islingtons] == [event.handover_id for event in written[2:4]]
        recalls = [last_events(app, hid, 1)[0] for hid in (camdens, islingtons)]
        assert ["Recalled", "Recalled"] == [type(event).__name__ for event in recalls]
        assert [None, None] == [event.by for event in recalls]
        assert {written[0].timestamp} == {e.timestamp for e in [*written, *recalls]}
        assert ["recalled", "recalled"] == [app.handover(h).status for h in (camdens, islingtons)]
        view = app.partnership(pid)
        assert (True, ()) == (view.dissolved, view.pooled_functions)

    def test_a_dissolution_returns_and_recalls_on_its_effective_date(
        self, app: SharedServices
    ) -> None:
        pid = form_pair(app)
        desk = pool(app, pid, SERVICE_DESK, by="camden", on=EFFECTIVE)
        ends = date(2017, 6, 30)
        vid = adopt(
            app, pid, by="camden", on=LATER, approvers=["camden", "islington"], dissolve=True,
            effective=ends,
        )  # fmt: skip
        returned = last_events(app, pid, 2)[0]
        recalled = last_events(app, desk, 1)[0]
        assert ("FunctionReturned", ends) == (type(returned).__name__, returned.on)
        assert ("Recalled", ends) == (type(recalled).__name__, recalled.on)
        # between adoption and effect: still pooled, the dissolution scheduled
        meanwhile = app.partnership(pid, as_of=date(2017, 5, 1))
        assert [desk] == [p.handover_id for p in meanwhile.pooled_functions]
        assert (None, (vid,)) == (meanwhile.dissolved_on, meanwhile.scheduled)
        assert "effected" == app.handover(desk, as_of=date(2017, 5, 1)).status
        # from the effective date on: returned, recalled, dissolved
        ended = app.partnership(pid, as_of=ends)
        assert ((), ends, ()) == (ended.pooled_functions, ended.dissolved_on, ended.scheduled)
        assert "recalled" == app.handover(desk, as_of=ends).status
        latest = app.partnership(pid)
        assert ((), ends, LATER) == (latest.pooled_functions, latest.dissolved_on, latest.last_on)
        # meanwhile the partnership takes no act but notes
        refused(
            app, "dissolution-pending", app.change_stage, pid, to=Stage.COORDINATING,
            by="camden", on=date(2017, 5, 1),
        )  # fmt: skip
        refused(app, "dissolution-pending", proposed, app, pid, COUNCIL_TAX, on=date(2017, 5, 1))
        refused(
            app, "partnership-dissolved", app.serve_withdrawal_notice, pid, party="islington",
            on=ends,
        )  # fmt: skip
        app.note(pid, kind="audit", text="Final accounts audited", by="camden", on=date(2017, 5, 2))
        assert [desk] == [
            p.handover_id for p in app.partnership(pid, as_of=date(2017, 5, 2)).pooled_functions
        ]
        trail = app.audit_trail(pid)
        assert [ends] == [e.on for e in trail if e.event == "FunctionReturned"]

    # ------------------------------------------------------------ combined services --

    def test_a_combined_service_pools_each_from_partys_share_under_one_handover(
        self, app: SharedServices
    ) -> None:
        pid = form_trio(app)
        hid = app.propose_handover(
            pid, function=SERVICE_DESK, by="islington", from_parties=["camden", "islington"],
            on=PROPOSED,
        )  # fmt: skip
        view = app.handover(hid)
        assert (("islington", "camden"), "islington") == (view.from_parties, view.from_party)
        assert "combined from London Borough of Islington and London Borough of Camden" in (
            app.audit_trail(pid)[-1].summary
        )
        consent_all(app, hid, ["camden", "islington"], on=CONSENTED)
        refused(app, "handover-needs-every-consent", app.effect_handover, hid, on=EFFECTIVE)
        app.consent_to_handover(hid, party="haringey", on=CONSENTED)
        app.effect_handover(hid, on=EFFECTIVE)
        assert [
            PooledFunction("islington", SERVICE_DESK, hid, EFFECTIVE),
            PooledFunction("camden", SERVICE_DESK, hid, EFFECTIVE),
        ] == list(app.partnership(pid).pooled_functions)
        # a recall by one of them returns its own share only
        refused(
            app, "acts-for-itself", app.recall_handover, hid, by="haringey", on=LATER,
        )  # fmt: skip
        app.recall_handover(hid, by="camden", reason="back in house", on=LATER)
        assert [("islington", hid)] == [
            (p.from_party, p.handover_id) for p in app.partnership(pid).pooled_functions
        ]
        view = app.handover(hid)
        assert ("effected", ("camden",)) == (view.status, view.returned)
        refused(app, "handover-closed", app.recall_handover, hid, by="camden", on=LATER)
        app.recall_handover(hid, by="islington", on=LATER)
        assert ((), "recalled") == (
            app.partnership(pid).pooled_functions, app.handover(hid).status
        )  # fmt: skip

    def test_a_combined_service_is_refused_when_badly_named(self, app: SharedServices) -> None:
        pid = form_trio(app)
        pool(app, pid, SERVICE_DESK, by="camden", on=PROPOSED)
        for rule, by, parties in [
            ("invalid-value", "islington", ["islington", "haringey", "islington"]),
            ("members-only", "islington", ["islington", "enfield"]),
            ("acts-for-itself", "islington", ["camden", "haringey"]),
            ("one-holder-per-function", "islington", ["islington", "camden"]),
        ]:
            refused(
                app, rule, app.propose_handover, pid, function=SERVICE_DESK, by=by,
                from_parties=parties, on=CONSENTED,
            )  # fmt: skip

    def test_a_dissolution_returns_every_share_of_a_combined_service_and_recalls_it_once(
        self, app: SharedServices
    ) -> None:
        pid = form_pair(app)
        hid = app.propose_handover(
            pid, function=SERVICE_DESK, by="camden", from_parties=["camden", "islington"],
            on=PROPOSED,
        )  # fmt: skip
        consent_all(app, hid, ["camden", "islington"], on=CONSENTED)
        app.effect_handover(hid, on=EFFECTIVE)
        adopt(app, pid, by="camden", on=LATER, approvers=["camden", "islington"], dissolve=True)
        returned = [e for e in last_events(app, pid, 3) if type(e).__name__ == "FunctionReturned"]
        assert ["camden", "islington"] == [e.from_party for e in returned]
        assert ["Effected", "Recalled"] == [type(e).__name__ for e in last_events(app, hid, 2)]
        assert "recalled" == app.handover(hid).status

    def test_a_handover_act_dated_before_its_latest_act_is_refused(
        self, app: SharedServices
    ) -> None:
        pid = form_pair(app)
        hid = proposed(app, pid, on=CONSENTED)
        day_before = CONSENTED - timedelta(days=1)
        refused(app, "dates-in-order", app.consent_to_handover, hid, party="camden", on=day_before)
        refused(app, "dates-in-order", proposed, app, pid, COUNCIL_TAX, on=date(2015, 9, 23))
        consent_all(app, hid, ["camden", "islington"], on=LATER)
        refused(app, "dates-in-order", app.effect_handover, hid, on=EFFECTIVE)
        app.effect_handover(hid, on=LATER)
        refused(app, "dates-in-order", app.recall_handover, hid, by="islington", on=EFFECTIVE)

    def test_effecting_is_refused_on_a_date_before_the_partnerships_latest_act(
        self, app: SharedServices
    ) -> None:
        pid = form_pair(app)
        hid = ready(app, pid)
        app.change_stage(pid, to=Stage.COORDINATING, by="camden", on=LATER)
        refused(app, "dates-in-order", app.effect_handover, hid, on=EFFECTIVE)

    # --------------------------------------------------------------- handover views --

    def test_a_handover_as_of_a_date_shows_the_consents_given_by_then(
        self, app: SharedServices
    ) -> None:
        pid = form_pair(app)
        hid = proposed(app, pid)
        camden = consent_all(app, hid, ["camden"], on=CONSENTED)
        consent_all(app, hid, ["islington"], on=EFFECTIVE)
        app.effect_handover(hid, on=LATER)
        assert ("proposed", {}) == (
            app.handover(hid, as_of=PROPOSED).status,
            app.handover(hid, as_of=PROPOSED).consents,
        )
        assert camden == app.handover(hid, as_of=EFFECTIVE - timedelta(days=1)).consents
        assert "proposed" == app.handover(hid, as_of=EFFECTIVE).status
        assert ("effected", LATER) == (
            app.handover(hid, as_of=LATER).status,
            app.handover(hid, as_of=LATER).effected_on,
        )
        assert app.handover(hid) == timeless(app.handover(hid, as_of=LATER))
        with pytest.raises(NotFound):
            app.handover(hid, as_of=PROPOSED - timedelta(days=1))

    def test_a_handover_known_at_a_time_holds_the_events_recorded_by_then(
        self, app: SharedServices
    ) -> None:
        pid = form_pair(app)
        hid = pool(app, pid, SERVICE_DESK, by="islington", on=EFFECTIVE)
        events = list(app.events.get(hid))
        assert ["Proposed", "ConsentGiven", "ConsentGiven", "Effected"] == event_names(app, hid)
        for moment in sorted({event.timestamp for event in events}):
            expected = max(e.originator_version for e in events if e.timestamp <= moment)
            view = app.handover(hid, known_at=moment)
            assert (expected, moment) == (view.version, view.known_at)
        with pytest.raises(NotFound):
            app.handover(hid, known_at=events[0].timestamp - timedelta(microseconds=1))

    def test_an_unknown_handover_or_dispute_is_not_found(self, app: SharedServices) -> None:
        pid = form_pair(app)
        with pytest.raises(NotFound):
            app.handover(pid)
        with pytest.raises(NotFound):
            app.dispute(pid)
        with pytest.raises(NotFound):
            app.consent_to_handover(pid, party="camden", on=CONSENTED)

    # ----------------------------------------------------------------- raising disputes --

    def test_a_dispute_is_raised_against_one_or_more_other_parties_at_the_lowest_rung(
        self, app: SharedServices
    ) -> None:
        pid = form_trio(app)
        did = app.raise_dispute(
            pid, by="islington", against=["camden", "haringey"], subject="ICT recharges",
            on=RAISED,
        )  # fmt: skip
        view = app.dispute(did)
        assert (did, pid) == (view.id, view.partnership_id)
        assert ("islington", ("islington", "camden", "haringey")) == (view.raised_by, view.parties)
        assert ("ICT recharges", None, False) == (view.subject, view.act, view.deferred)
        assert (Rung.OFFICERS, (RungReached(Rung.OFFICERS, RAISED, None),)) == (
            view.rung,
            view.rungs,
        )
        assert ("open", {}, None, ()) == (view.status, view.positions, view.proposal, view.accepted)
        assert {} == app.partnership(pid).deferred

    @pytest.mark.parametrize(
        ("by", "against", "rule"),
        [
            ("islington", [], "dispute-shape"),
            ("islington", ["islington"], "dispute-shape"),
            ("islington", ["camden", "islington"], "dispute-shape"),
            ("islington", [NON_MEMBER], "members-only"),
            (NON_MEMBER, ["camden"], "members-only"),
        ],
        ids=["nobody", "itself", "itself-among-others", "a-non-member", "by-a-non-member"],
    )
    def test_a_dispute_is_raised_by_a_member_against_other_members(
        self, app: SharedServices, by: str, against: list[str], rule: str
    ) -> None:
        pid = form_pair(app)
        refused(
            app, rule, app.raise_dispute, pid, by=by, against=against, subject="recharges",
            on=RAISED,
        )  # fmt: skip

    def test_deferring_needs_the_act_in_dispute(self, app: SharedServices) -> None:
        pid = form_pair(app)
        refused(
            app, "dispute-shape", app.raise_dispute, pid, by="islington", against=["camden"],
            subject="recharges", defer=True, on=RAISED,
        )  # fmt: skip

    def test_a_handover_in_effect_cannot_be_disputed_as_an_act_to_defer(
        self, app: SharedServices
    ) -> None:
        pid = form_pair(app)
        hid = pool(app, pid, SERVICE_DESK, by="islington", on=EFFECTIVE)
        refused(
            app, "dispute-shape", app.raise_dispute, pid, by="camden", against=["islington"],
            subject="service desk", act=hid, defer=True, on=RAISED,
        )  # fmt: skip

    def test_an_act_already_taken_can_be_named_in_a_dispute_that_defers_nothing(
        self, app: SharedServices
    ) -> None:
        pid = form_pair(app)
        hid = pool(app, pid, SERVICE_DESK, by="islington", on=EFFECTIVE)
        vid = app.propose_variation(pid, by="camden", changes={"sla": "24x7"}, on=RAISED)
        for party in ("camden", "islington"):
            app.approve_variation(pid, vid, party=party, on=RAISED)
        for act in (hid, vid):
            did = app.raise_dispute(
                pid, by="camden", against=["islington"], subject="after the fact", act=act,
                on=RAISED,
            )  # fmt: skip
            assert (act, False) == (app.dispute(did).act, app.dispute(did).deferred)
        assert {} == app.partnership(pid).deferred

    # ------------------------------------------------------------------- deferring --

    def test_a_deferred_variation_cannot_be_approved_and_the_error_names_the_dispute(
        self, app: SharedServices
    ) -> None:
        pid = form_pair(app)
        vid = app.propose_variation(pid, by="camden", changes={"sla": "99.5% uptime"}, on=RAISED)
        app.approve_variation(pid, vid, party="camden", on=RAISED)
        did = app.raise_dispute(
            pid, by="islington", against=["camden"], subject="service levels", act=vid,
            defer=True, on=RAISED,
        )  # fmt: skip
        assert ({vid: did}, True, vid) == (
            app.partnership(pid).deferred,
            app.dispute(did).deferred,
            app.dispute(did).act,
        )
        [deferred] = last_events(app, did, 1)
        [frozen] = last_events(app, pid, 1)
        assert ("DecisionDeferred", "ActDeferred") == (
            type(deferred).__name__,
            type(frozen).__name__,
        )
        assert (vid, did, deferred.timestamp) == (frozen.act, frozen.dispute_id, frozen.timestamp)
        error = refused(
            app, "deferred-act-frozen", app.approve_variation, pid, vid, party="islington",
            on=SETTLED,
        )  # fmt: skip
        assert f"dispute {did}" in error.message

    def test_a_deferred_handover_cannot_take_effect_and_the_error_names_the_dispute(
        self, app: SharedServices
    ) -> None:
        pid = form_pair(app)
        hid = ready(app, pid)
        did = app.raise_dispute(
            pid, by="camden", against=["islington"], subject="staff terms", act=hid,
            defer=True, on=RAISED,
        )  # fmt: skip
        assert {hid: did} == app.partnership(pid).deferred
        error = refused(app, "deferred-act-frozen", app.effect_handover, hid, on=SETTLED)
        assert f"dispute {did}" in error.message

    def test_a_deferred_act_stays_frozen_in_a_partnership_loaded_from_its_snapshot(
        self, app: SharedServices, reopen: OpenApp
    ) -> None:
        pid = form_pair(app)
        hid = ready(app, pid)
        did = app.raise_dispute(
            pid, by="camden", against=["islington"], subject="staff terms", act=hid,
            defer=True, on=RAISED,
        )  # fmt: skip
        back_and_forth = [Stage.COLLABORATING, Stage.CO_OPERATING]
        while app.partnership(pid).version < Partnership.snapshot_every + 1:
            stage = back_and_forth[app.partnership(pid).version % 2]
            app.change_stage(pid, to=stage, by="camden", on=RAISED)
        assert app.snapshots is not None
        assert [Partnership.snapshot_every] == [
            snapshot.originator_version for snapshot in app.snapshots.get(pid)
        ]
        fresh = reopen()  # no cache: the partnership is read from its snapshot and one event
        assert {hid: did} == fresh.partnership(pid).deferred
        error = refused(fresh, "deferred-act-frozen", fresh.effect_handover, hid, on=SETTLED)
        assert f"dispute {did}" in error.message
        fresh.withdraw_dispute(did, by="camden", on=SETTLED)
        fresh.effect_handover(hid, on=SETTLED)
        assert "effected" == reopen().handover(hid).status

    def test_naming_an_act_without_deferring_it_leaves_it_free(self, app: SharedServices) -> None:
        pid = form_pair(app)
        hid = ready(app, pid)
        did = app.raise_dispute(
            pid, by="camden", against=["islington"], subject="staff terms", act=hid, on=RAISED
        )
        assert (hid, False, {}) == (
            app.dispute(did).act,
            app.dispute(did).deferred,
            app.partnership(pid).deferred,
        )
        app.effect_handover(hid, on=RAISED)

    def test_an_act_already_deferred_cannot_be_deferred_by_a_second_dispute(
        self, app: SharedServices
    ) -> None:
        pid = form_pair(app)
        hid = ready(app, pid)
        app.raise_dispute(
            pid, by="camden", against=["islington"], subject="staff", act=hid, defer=True,
            on=RAISED,
        )  # fmt: skip
        refused(
            app, "deferred-act-frozen", app.raise_dispute, pid, by="islington",
            against=["camden"], subject="assets", act=hid, defer=True, on=RAISED,
        )  # fmt: skip

    @pytest.mark.parametrize("closing", list(CLOSINGS))
    def test_closing_a_dispute_releases_the_deferred_variation_in_the_same_save_without_amending_it(
        self, app: SharedServices, closing: str
    ) -> None:
        event_name, close = CLOSINGS[closing]
        pid = form_pair(app)
        vid = app.propose_variation(pid, by="camden", changes={"sla": "99.5% uptime"}, on=RAISED)
        app.approve_variation(pid, vid, party="camden", on=RAISED)
        did = app.raise_dispute(
            pid, by="islington", against=["camden"], subject="service levels", act=vid,
            defer=True, on=RAISED,
        )  # fmt: skip
        close(app, did)
        [closed], [released] = last_events(app, did, 1), last_events(app, pid, 1)
        assert (event_name, "ActReleased") == (type(closed).__name__, type(released).__name__)
        assert (vid, did, SETTLED) == (released.act, released.dispute_id, released.on)
        assert closed.timestamp == released.timestamp
        assert ({}, False) == (app.partnership(pid).deferred, app.dispute(did).deferred)
        assert app.approve_variation(pid, vid, party="islington", on=SETTLED)
        assert "99.5% uptime" == app.partnership(pid).terms.sla
        assert {"sla": "99.5% uptime"} == app.variation(pid, vid).changes

    @pytest.mark.parametrize("closing", list(CLOSINGS))
    def test_closing_a_dispute_releases_the_deferred_handover_without_amending_it(
        self, app: SharedServices, closing: str
    ) -> None:
        event_name, close = CLOSINGS[closing]
        pid = form_pair(app)
        hid = ready(app, pid)
        did = app.raise_dispute(
            pid, by="camden", against=["islington"], subject="staff terms", act=hid,
            defer=True, on=RAISED,
        )  # fmt: skip
        before = app.handover(hid)
        close(app, did)
        assert event_name == event_names(app, did)[-1]
        assert "ActReleased" == event_names(app, pid)[-1]
        assert before == app.handover(hid)
        app.effect_handover(hid, on=SETTLED)
        assert [hid] == [p.handover_id for p in app.partnership(pid).pooled_functions]

    def test_settling_on_a_date_before_the_partnerships_latest_act_is_refused_and_records_nothing(
        self, app: SharedServices
    ) -> None:
        pid = form_pair(app)
        vid = app.propose_variation(pid, by="camden", changes={"sla": "99.5% uptime"}, on=RAISED)
        did = app.raise_dispute(
            pid, by="islington", against=["camden"], subject="service levels", act=vid,
            defer=True, on=RAISED,
        )  # fmt: skip
        app.propose_settlement(did, by="camden", terms={"sla": "99%"}, on=RAISED)
        app.accept_settlement(did, party="camden", on=RAISED)
        app.change_stage(pid, to=Stage.COORDINATING, by="camden", on=SETTLED)
        # The dispute's own dates are in order; the partnership's would not be.
        error = refused(
            app, "dates-in-order", app.accept_settlement, did, party="islington",
            on=date(2017, 6, 1),
        )  # fmt: skip
        assert "the release is dated 2017-06-01" in error.message
        assert ("open", ("camden",)) == (app.dispute(did).status, app.dispute(did).accepted)
        assert app.accept_settlement(did, party="islington", on=SETTLED)

    def test_a_dispute_closed_without_deferring_writes_nothing_on_the_partnership(
        self, app: SharedServices
    ) -> None:
        pid = form_pair(app)
        did = app.raise_dispute(
            pid, by="islington", against=["camden"], subject="service levels", on=RAISED
        )
        version = app.partnership(pid).version
        settle(app, did)
        assert version == app.partnership(pid).version

    # ----------------------------------------------------------------------- the ladder --

    def test_a_dispute_climbs_the_ladder_one_rung_at_a_time_recording_each_date_and_reason(
        self, app: SharedServices
    ) -> None:
        pid = form_pair(app)
        did = app.raise_dispute(
            pid, by="islington", against=["camden"], subject="recharges", on=RAISED
        )
        expected = [RungReached(Rung.OFFICERS, RAISED, None)]
        for month, rung in enumerate(list(Rung)[1:], start=5):
            on, reason = date(2017, month, 1), f"no agreement below {rung.value}"
            by = "camden" if month % 2 else "islington"
            to = rung if month == 6 else None
            assert rung == app.escalate_dispute(did, by=by, reason=reason, on=on, to=to)
            expected.append(RungReached(rung, on, reason))
            assert (rung, tuple(expected)) == (app.dispute(did).rung, app.dispute(did).rungs)
        error = refused(
            app, "one-rung-at-a-time", app.escalate_dispute, did, by="islington", on=SETTLED
        )
        assert "top rung" in error.message

    @pytest.mark.parametrize(
        "to", [Rung.CHIEF_EXECUTIVES, Rung.ARBITRATION, Rung.OFFICERS], ids=["skip", "jump", "down"]
    )
    def test_escalating_to_anything_but_the_next_rung_is_refused(
        self, app: SharedServices, to: Rung
    ) -> None:
        pid = form_pair(app)
        did = app.raise_dispute(
            pid, by="islington", against=["camden"], subject="recharges", on=RAISED
        )
        error = refused(
            app, "one-rung-at-a-time", app.escalate_dispute, did, by="islington", to=to,
            on=SETTLED,
        )  # fmt: skip
        assert "goes to directors" in error.message

    def test_escalating_down_is_refused(self, app: SharedServices) -> None:
        pid = form_pair(app)
        did = app.raise_dispute(
            pid, by="islington", against=["camden"], subject="recharges", on=RAISED
        )
        climb(app, did, by="islington", to=Rung.JOINT_COMMITTEE, on=RAISED)
        for lower in (Rung.OFFICERS, Rung.CHIEF_EXECUTIVES, Rung.JOINT_COMMITTEE):
            refused(
                app, "one-rung-at-a-time", app.escalate_dispute, did, by="camden", to=lower,
                on=SETTLED,
            )  # fmt: skip

    @pytest.mark.parametrize(
        "verb",
        ["escalate", "state_position", "propose_settlement", "accept_settlement", "mediator"],
    )
    def test_only_a_disputing_party_acts_in_a_dispute(self, app: SharedServices, verb: str) -> None:
        pid = form_trio(app)
        did = app.raise_dispute(
            pid, by="islington", against=["camden"], subject="recharges", on=RAISED
        )
        climb(app, did, by="islington", to=Rung.MEDIATION, on=RAISED)
        app.propose_settlement(did, by="camden", terms={"recharge": "usage"}, on=RAISED)
        acts: dict[str, Callable[[str], object]] = {
            "escalate": lambda p: app.escalate_dispute(did, by=p, on=SETTLED),
            "state_position": lambda p: app.state_dispute_position(
                did, party=p, position={"recharge": "equal"}, on=SETTLED
            ),
            "propose_settlement": lambda p: app.propose_settlement(
                did, by=p, terms={"recharge": "equal"}, on=SETTLED
            ),
            "accept_settlement": lambda p: app.accept_settlement(did, party=p, on=SETTLED),
            "mediator": lambda p: app.appoint_mediator(did, mediator="CEDR", by=p, on=SETTLED),
        }
        error = refused(app, "members-only", acts[verb], "haringey")
        assert "not a party to this dispute" in error.message
        refused(app, "members-only", acts[verb], NON_MEMBER)

    @pytest.mark.parametrize("verb", ["state_dispute_position", "accept_settlement"])
    def test_no_party_acts_in_a_dispute_on_behalf_of_another(
        self, app: SharedServices, verb: str
    ) -> None:
        pid = form_pair(app)
        did = app.raise_dispute(
            pid, by="islington", against=["camden"], subject="recharges", on=RAISED
        )
        app.propose_settlement(did, by="camden", terms={"recharge": "usage"}, on=RAISED)
        extra = {"position": {"recharge": "equal"}} if verb == "state_dispute_position" else {}
        refused(
            app, "acts-for-itself", getattr(app, verb), did, party="islington", by="camden",
            on=SETTLED, **extra,
        )  # fmt: skip

    def test_a_mediator_is_appointed_only_at_the_mediation_rung(self, app: SharedServices) -> None:
        pid = form_pair(app)
        did = app.raise_dispute(
            pid, by="islington", against=["camden"], subject="recharges", on=RAISED
        )
        climb(app, did, by="islington", to=Rung.JOINT_COMMITTEE, on=RAISED)
        error = refused(
            app, "mediator-at-mediation", app.appoint_mediator, did, mediator="CEDR",
            by="camden", on=SETTLED,
        )  # fmt: skip
        assert "joint-committee" in error.message
        app.escalate_dispute(did, by="islington", on=SETTLED)
        app.appoint_mediator(did, mediator="CEDR", by="camden", on=SETTLED)
        assert ("CEDR", Rung.MEDIATION) == (app.dispute(did).mediator, app.dispute(did).rung)
        app.escalate_dispute(did, by="islington", on=SETTLED)
        refused(
            app, "mediator-at-mediation", app.appoint_mediator, did, mediator="ACAS",
            by="camden", on=SETTLED,
        )  # fmt: skip

    # ------------------------------------------------------------- settling, determining --

    def test_a_settlement_binds_once_every_disputing_party_accepted_it_the_proposer_too(
        self, app: SharedServices
    ) -> None:
        pid = form_trio(app)
        did = app.raise_dispute(
            pid, by="islington", against=["camden", "haringey"], subject="ICT recharges",
            on=RAISED,
        )  # fmt: skip
        positions = {
            "islington": {"recharge": "usage"},
            "camden": {"recharge": "equal"},
            "haringey": {"recharge": "usage", "review": "annual"},
        }
        for party, position in positions.items():
            app.state_dispute_position(did, party=party, position=position, on=RAISED)
        terms = {"recharge": "usage", "review": "every two years"}
        app.propose_settlement(did, by="camden", terms=terms, on=SETTLED)
        assert app.accept_settlement(did, party="islington", on=SETTLED) is False
        assert app.accept_settlement(did, party="haringey", on=SETTLED) is False
        view = app.dispute(did)
        assert ("open", ("islington", "haringey"), terms) == (
            view.status,
            view.accepted,
            view.proposal,
        )
        assert positions == view.positions
        assert app.accept_settlement(did, party="camden", on=SETTLED) is True
        view = app.dispute(did)
        assert ("settled", terms) == (view.status, view.terms)
        assert (
            Concession("camden", "recharge", "equal", "usage", "ICT recharges"),
            Concession("haringey", "review", "annual", "every two years", "ICT recharges"),
        ) == view.concessions
        assert ["SettlementAccepted", "Settled"] == event_names(app, did)[-2:]

    def test_a_new_proposal_sets_aside_the_acceptances_of_the_last(
        self, app: SharedServices
    ) -> None:
        pid = form_pair(app)
        did = app.raise_dispute(
            pid, by="islington", against=["camden"], subject="recharges", on=RAISED
        )
        app.propose_settlement(did, by="camden", terms={"recharge": "equal"}, on=RAISED)
        app.accept_settlement(did, party="camden", on=RAISED)
        app.propose_settlement(did, by="islington", terms={"recharge": "usage"}, on=SETTLED)
        assert ((), {"recharge": "usage"}) == (app.dispute(did).accepted, app.dispute(did).proposal)
        assert app.accept_settlement(did, party="islington", on=SETTLED) is False
        assert app.accept_settlement(did, party="camden", on=SETTLED) is True
        assert {"recharge": "usage"} == app.dispute(did).terms

    def test_accepting_twice_or_before_any_proposal_is_refused(self, app: SharedServices) -> None:
        pid = form_pair(app)
        did = app.raise_dispute(
            pid, by="islington", against=["camden"], subject="recharges", on=RAISED
        )
        rule = "settlement-needs-every-acceptance"
        refused(app, rule, app.accept_settlement, did, party="camden", on=RAISED)
        app.propose_settlement(did, by="camden", terms={"recharge": "equal"}, on=RAISED)
        app.accept_settlement(did, party="camden", on=RAISED)
        refused(app, rule, app.accept_settlement, did, party="camden", on=RAISED)

    def test_an_arbiter_determines_a_dispute_only_at_the_top_rung_with_binding_concessions(
        self, app: SharedServices
    ) -> None:
        pid = form_pair(app)
        did = app.raise_dispute(
            pid, by="islington", against=["camden"], subject="recharges", on=RAISED
        )
        app.state_dispute_position(did, party="islington", position={"basis": "usage"}, on=RAISED)
        app.state_dispute_position(did, party="camden", position={"basis": "equal"}, on=RAISED)
        climb(app, did, by="camden", to=Rung.MEDIATION, on=RAISED)
        error = refused(
            app, "determination-at-top-rung", app.determine_dispute, did, arbiter="CEDR",
            terms={"basis": "population"}, on=SETTLED,
        )  # fmt: skip
        assert "arbitration" in error.message
        app.escalate_dispute(did, by="camden", on=SETTLED)
        app.determine_dispute(did, arbiter="CEDR", terms={"basis": "population"}, on=SETTLED)
        view = app.dispute(did)
        assert ("determined", {"basis": "population"}) == (view.status, view.terms)
        assert (
            Concession("islington", "basis", "usage", "population", "recharges"),
            Concession("camden", "basis", "equal", "population", "recharges"),
        ) == view.concessions
        [determined] = last_events(app, did, 1)
        assert ("Determined", "CEDR") == (type(determined).__name__, determined.arbiter)

    @pytest.mark.parametrize(
        ("by", "rule"),
        [("camden", "acts-for-itself"), ("haringey", "members-only"), (NON_MEMBER, "members-only")],
    )
    def test_only_the_party_that_raised_a_dispute_withdraws_it(
        self, app: SharedServices, by: str, rule: str
    ) -> None:
        pid = form_trio(app)
        did = app.raise_dispute(
            pid, by="islington", against=["camden"], subject="recharges", on=RAISED
        )
        refused(app, rule, app.withdraw_dispute, did, by=by, on=SETTLED)
        app.withdraw_dispute(did, by="islington", on=SETTLED)
        assert "withdrawn" == app.dispute(did).status

    @pytest.mark.parametrize("closing", list(CLOSINGS))
    def test_a_closed_dispute_takes_no_more_acts(self, app: SharedServices, closing: str) -> None:
        pid = form_pair(app)
        did = app.raise_dispute(
            pid, by="islington", against=["camden"], subject="recharges", on=RAISED
        )
        CLOSINGS[closing][1](app, did)
        assert closing == app.dispute(did).status
        on = SETTLED + timedelta(days=1)
        acts: list[tuple[Callable[..., object], dict[str, Any]]] = [
            (app.state_dispute_position, {"party": "camden", "position": {"sla": "99%"}}),
            (app.escalate_dispute, {"by": "camden"}),
            (app.appoint_mediator, {"mediator": "CEDR", "by": "camden"}),
            (app.propose_settlement, {"by": "camden", "terms": {"sla": "99%"}}),
            (app.accept_settlement, {"party": "camden"}),
            (app.determine_dispute, {"arbiter": "CEDR", "terms": {"sla": "99%"}}),
            (app.withdraw_dispute, {"by": "islington"}),
        ]
        for verb, arguments in acts:
            error = refused(app, "dispute-closed", verb, did, on=on, **arguments)
            assert closing in error.message

    def test_a_dispute_act_dated_before_its_latest_act_is_refused(
        self, app: SharedServices
    ) -> None:
        pid = form_pair(app)
        app.change_stage(pid, to=Stage.COORDINATING, by="camden", on=RAISED)
        day_before = RAISED - timedelta(days=1)
        refused(
            app, "dates-in-order", app.raise_dispute, pid, by="islington", against=["camden"],
            subject="recharges", on=day_before,
        )  # fmt: skip
        did = app.raise_dispute(
            pid, by="islington", against=["camden"], subject="recharges", on=SETTLED
        )
        before = SETTLED - timedelta(days=1)
        refused(app, "dates-in-order", app.escalate_dispute, did, by="islington", on=before)
        refused(
            app, "dates-in-order", app.state_dispute_position, did, party="camden",
            position={"sla": "99%"}, on=before,
        )  # fmt: skip
        refused(
            app, "dates-in-order", app.propose_settlement, did, by="camden",
            terms={"sla": "99%"}, on=before,
        )  # fmt: skip
        refused(app, "dates-in-order", app.withdraw_dispute, did, by="islington", on=before)

    # ---------------------------------------------------------------- dispute views --

    def test_a_dispute_as_of_a_date_stands_on_the_rung_it_had_reached_by_then(
        self, app: SharedServices
    ) -> None:
        pid = form_pair(app)
        did = app.raise_dispute(
            pid, by="islington", against=["camden"], subject="recharges", on=RAISED
        )
        app.escalate_dispute(did, by="islington", reason="officers stuck", on=date(2017, 5, 2))
        app.escalate_dispute(did, by="camden", reason="directors stuck", on=date(2017, 6, 5))
        settle(app, did)
        assert Rung.OFFICERS == app.dispute(did, as_of=date(2017, 5, 1)).rung
        assert Rung.DIRECTORS == app.dispute(did, as_of=date(2017, 5, 2)).rung
        on_the_eve = app.dispute(did, as_of=SETTLED - timedelta(days=1))
        assert ("open", Rung.CHIEF_EXECUTIVES) == (on_the_eve.status, on_the_eve.rung)
        assert "settled" == app.dispute(did, as_of=SETTLED).status
        assert app.dispute(did) == timeless(app.dispute(did, as_of=SETTLED))
        with pytest.raises(NotFound):
            app.dispute(did, as_of=RAISED - timedelta(days=1))

    def test_a_dispute_known_at_a_time_holds_the_events_recorded_by_then(
        self, app: SharedServices
    ) -> None:
        pid = form_pair(app)
        vid = app.propose_variation(pid, by="camden", changes={"sla": "99.5% uptime"}, on=RAISED)
        did = app.raise_dispute(
            pid, by="islington", against=["camden"], subject="service levels", act=vid,
            defer=True, on=RAISED,
        )  # fmt: skip
        app.escalate_dispute(did, by="islington", on=RAISED)
        withdraw(app, did)
        events = list(app.events.get(did))
        for moment in sorted({event.timestamp for event in events}):
            expected = max(e.originator_version for e in events if e.timestamp <= moment)
            assert expected == app.dispute(did, known_at=moment).version
        deferring = events[1].timestamp
        assert True is app.dispute(did, known_at=deferring).deferred
        assert {vid: did} == app.partnership(pid, known_at=deferring).deferred
        assert {} == app.partnership(pid).deferred

    # --------------------------------------------------------------------------- reload --

    def test_a_fresh_application_on_the_same_store_sees_the_same_handovers_and_disputes(
        self, app: SharedServices, reopen: OpenApp
    ) -> None:
        pid = form_trio(app)
        waiting = ready(app, pid, COUNCIL_TAX, by="camden")
        effected = pool(
            app, pid, SERVICE_DESK, by="islington", on=EFFECTIVE,
            staff=[StaffTransfer(StaffArrangement.TUPE, 4)], assets=["telephony"],
            data_role=DataRole.JOINT_CONTROLLERS,
        )  # fmt: skip
        recalled = pool(app, pid, CONTACT_CENTRE, by="haringey", on=EFFECTIVE)
        app.recall_handover(recalled, by="haringey", reason="brought back in house", on=LATER)
        app.withhold_consent(waiting, party="haringey", reason="not yet", on=LATER)
        frozen = app.raise_dispute(
            pid, by="haringey", against=["camden"], subject="council tax", act=waiting,
            defer=True, on=RAISED,
        )  # fmt: skip
        app.state_dispute_position(frozen, party="haringey", position={"staff": 4}, on=RAISED)
        climb(app, frozen, by="haringey", to=Rung.MEDIATION, on=RAISED)
        app.appoint_mediator(frozen, mediator="CEDR", by="camden", on=RAISED)
        settled = app.raise_dispute(
            pid, by="camden", against=["islington", "haringey"], subject="recharges", on=RAISED
        )
        app.state_dispute_position(
            settled, party="islington", position={"basis": "usage", "cap": None}, on=RAISED
        )
        settle(app, settled)
        fresh = reopen()
        for hid in (effected, recalled, waiting):
            assert app.handover(hid) == fresh.handover(hid)
            assert app.handover(hid, as_of=EFFECTIVE) == fresh.handover(hid, as_of=EFFECTIVE)
        for did in (frozen, settled):
            assert app.dispute(did) == fresh.dispute(did)
            assert app.dispute(did, as_of=RAISED) == fresh.dispute(did, as_of=RAISED)
        assert app.partnership(pid) == fresh.partnership(pid)
        assert {waiting: frozen} == fresh.partnership(pid).deferred
        refused(fresh, "deferred-act-frozen", fresh.effect_handover, waiting, on=SETTLED)


# --------------------------------------------------------------------------- the stores --


class TestHandoversDisputesInMemory(InMemoryStore, HandoverDisputeAppContract):
    pass


class TestHandoversDisputesOnSQLite(SQLiteStore, HandoverDisputeAppContract):
    pass


@pytest.mark.postgres
class TestHandoversDisputesOnPostgres(PostgresStore, HandoverDisputeAppContract):
    pass
