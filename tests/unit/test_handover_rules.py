"""Every rule of a sovereignty handover, on the aggregates themselves, with no store.

Each test forms a :class:`Partnership` and calls :class:`SovereigntyHandover`'s commands with
it, as the application does. A refused command raises a :class:`RuleViolation` naming the rule,
adds no pending event to the handover or to the partnership, and leaves both as they were.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from councils import CAMDEN, HARINGEY, ISLINGTON

from sharedsvc import (
    CostPool,
    DataRole,
    DecisionRef,
    Dispute,
    Function,
    HandoverView,
    Money,
    NotAuthorised,
    Notice,
    Partnership,
    PartnershipView,
    Party,
    Policy,
    PooledFunction,
    RuleViolation,
    SovereigntyHandover,
    StaffArrangement,
    StaffTransfer,
    Stage,
    Terms,
)

FORMED = date(2015, 9, 24)
PROPOSED = date(2016, 1, 4)
CONSENTED = date(2016, 1, 18)
EFFECTIVE = date(2016, 2, 1)
LATER = date(2016, 3, 1)

DESK = Function("ict.service-desk", "ICT service desk", category="back-office")
TAX = Function("revenues.council-tax", "Council tax collection", category="back-office")
CENTRE = Function("customer.contact-centre", "Customer contact centre", category="front-line")
BRAND = Function("brand.shared-digital", "The Shared Digital brand", category="identity")


def decision(party: str, on: date = CONSENTED) -> DecisionRef:
    return DecisionRef(f"{party.title()} Cabinet", f"CAB/{on.year}/1", on)


def partnership(
    *parties: Party,
    stage: Stage = Stage.CO_OPERATING,
    host: str | None = "camden",
    policy: Policy | None = None,
) -> Partnership:
    """Camden (host) and Islington unless ``parties`` says otherwise, formed on FORMED."""
    members = parties or (CAMDEN, ISLINGTON)
    return Partnership.form(
        "Shared Digital",
        parties=members,
        terms=Terms(
            cost_pools=(CostPool.equal("ict", members),), host=host, notice=Notice(months=6)
        ),
        stage=stage,
        on=FORMED,
        policy=policy,
    )


def propose(
    p: Partnership, function: Function = DESK, by: str = "islington"
) -> SovereigntyHandover:
    return SovereigntyHandover.propose(p, function=function, by=by, on=PROPOSED)


def consented(
    p: Partnership, function: Function = DESK, by: str = "islington"
) -> SovereigntyHandover:
    """A handover of ``function`` every active party has consented to."""
    handover = propose(p, function, by)
    for party in p.active:
        handover.consent(p, party=party, ref=decision(party), on=CONSENTED)
    return handover


def effected(
    p: Partnership, function: Function = DESK, by: str = "islington"
) -> SovereigntyHandover:
    handover = consented(p, function, by)
    handover.effect(p, on=EFFECTIVE)
    return handover


def refused(
    aggregates: tuple[Any, ...], rule: str, command: Callable[..., object], /, *args: Any,
    **kwargs: Any,
) -> RuleViolation:  # fmt: skip
    """Call ``command``; check it is refused for ``rule`` and adds no pending event to any of
    ``aggregates`` (a partnership and a handover), whose views are unchanged."""

    def look() -> list[tuple[int, Any]]:
        return [
            (
                len(agg.pending_events),
                PartnershipView.of(agg) if isinstance(agg, Partnership) else HandoverView.of(agg),
            )
            for agg in aggregates
        ]

    before = look()
    with pytest.raises(RuleViolation) as caught:
        command(*args, **kwargs)
    expected_type = NotAuthorised if rule in {"members-only", "acts-for-itself"} else RuleViolation
    assert expected_type is type(caught.value), caught.value
    assert rule == caught.value.rule, caught.value
    assert before == look()
    return caught.value


def names(aggregate: Any) -> list[str]:
    return [type(event).__name__ for event in aggregate.pending_events]


# ----------------------------------------------------------------------------- proposing --


def test_a_proposal_records_the_function_with_its_staff_assets_and_data_role() -> None:
    p = partnership()
    staff = (StaffTransfer(StaffArrangement.S113, 12), StaffTransfer(StaffArrangement.TUPE, 3))
    handover = SovereigntyHandover.propose(
        p, function=DESK, by="islington", staff=staff, assets=["telephony"],
        data_role=DataRole.HOST_PROCESSOR, on=PROPOSED,
    )  # fmt: skip
    view = HandoverView.of(handover)
    assert (DESK, "islington", staff, ("telephony",), DataRole.HOST_PROCESSOR) == (
        view.function,
        view.from_party,
        view.staff,
        view.assets,
        view.data_role,
    )
    assert ("proposed", {}) == (view.status, view.consents)
    assert ["Proposed"] == names(handover)
    assert ["Formed"] == names(p)


@pytest.mark.parametrize("count", [0, -1, True, 1.5])
def test_a_staff_transfer_moves_one_or_more_people(count: Any) -> None:
    with pytest.raises(RuleViolation) as caught:
        StaffTransfer(StaffArrangement.TUPE, count)
    assert "invalid-value" == caught.value.rule


def test_a_non_member_cannot_propose_a_handover() -> None:
    p = partnership()
    refused((p,), "members-only", SovereigntyHandover.propose, p, function=DESK, by="hackney",
            on=PROPOSED)  # fmt: skip


def test_a_council_cannot_propose_a_function_it_already_pooled() -> None:
    p = partnership()
    held = effected(p)
    error = refused(
        (p,), "one-holder-per-function", SovereigntyHandover.propose, p, function=DESK,
        by="islington", on=LATER,
    )  # fmt: skip
    assert str(held.id) in error.message
    SovereigntyHandover.propose(p, function=DESK, by="camden", on=LATER)


# ------------------------------------------------------------------------------ consents --


def test_consenting_twice_is_refused() -> None:
    p = partnership()
    handover = consented(p)
    refused((p, handover), "consent-once", handover.consent, p, party="camden", on=LATER)


def test_a_consent_cannot_be_withheld_once_the_handover_took_effect() -> None:
    p = partnership()
    handover = effected(p)
    error = refused(
        (p, handover), "consent-once", handover.withhold_consent, p, party="camden", on=LATER
    )
    assert "recall" in error.message


def test_a_party_that_withheld_consent_can_consent_later() -> None:
    p = partnership()
    handover = propose(p)
    handover.withhold_consent(p, party="camden", reason="consult staff first", on=CONSENTED)
    assert {"camden": "consult staff first"} == HandoverView.of(handover).withheld
    handover.consent(p, party="camden", ref=decision("camden"), on=LATER)
    view = HandoverView.of(handover)
    assert ({"camden": decision("camden")}, {}) == (view.consents, view.withheld)


@pytest.mark.parametrize("command", ["consent", "withhold_consent"])
def test_a_non_member_neither_consents_nor_withholds(command: str) -> None:
    p = partnership()
    handover = propose(p)
    refused((p, handover), "members-only", getattr(handover, command), p, party="hackney",
            on=CONSENTED)  # fmt: skip


@pytest.mark.parametrize("command", ["consent", "withhold_consent"])
def test_a_party_neither_consents_nor_withholds_on_behalf_of_another(command: str) -> None:
    p = partnership()
    handover = propose(p)
    refused((p, handover), "acts-for-itself", getattr(handover, command), p, party="camden",
            by="islington", on=CONSENTED)  # fmt: skip


def test_a_handover_act_dated_before_its_latest_act_is_refused() -> None:
    p = partnership()
    handover = propose(p)
    handover.consent(p, party="camden", on=CONSENTED)
    refused((p, handover), "dates-in-order", handover.consent, p, party="islington",
            on=PROPOSED)  # fmt: skip
    refused((p, handover), "dates-in-order", handover.withhold_consent, p, party="islington",
            on=PROPOSED)  # fmt: skip


# ----------------------------------------------------------------------------- effecting --


def test_effecting_needs_the_consent_of_every_active_party() -> None:
    p = partnership(CAMDEN, ISLINGTON, HARINGEY, stage=Stage.COLLABORATING)
    handover = propose(p)
    handover.consent(p, party="camden", on=CONSENTED)
    handover.consent(p, party="islington", on=CONSENTED)
    error = refused((p, handover), "handover-needs-every-consent", handover.effect, p,
                    on=EFFECTIVE)  # fmt: skip
    assert "haringey has not consented" in error.message


def test_a_withheld_consent_keeps_the_handover_from_taking_effect() -> None:
    p = partnership()
    handover = consented(p)
    handover.withhold_consent(p, party="camden", reason="not yet", on=CONSENTED)
    refused((p, handover), "handover-needs-every-consent", handover.effect, p, on=EFFECTIVE)


def test_a_member_admitted_after_the_consents_must_consent_too() -> None:
    p = partnership()
    handover = consented(p)
    vid = p.propose_variation(
        by="camden",
        changes={"cost_pools": (CostPool.equal("ict", [CAMDEN, ISLINGTON, HARINGEY]),)},
        admit=[HARINGEY],
        on=CONSENTED,
    )
    for party in ("camden", "islington", "haringey"):
        p.approve_variation(vid, party=party, on=CONSENTED)
    refused((p, handover), "handover-needs-every-consent", handover.effect, p, on=EFFECTIVE)
    handover.consent(p, party="haringey", on=EFFECTIVE)
    handover.effect(p, on=EFFECTIVE)


def test_a_consent_given_by_a_member_that_has_left_does_not_count_for_one_still_missing() -> None:
    # Consents are matched to the members by name, not counted: Haringey's consent is still on
    # the handover after it left, but it stands for nobody now.
    p = partnership(CAMDEN, ISLINGTON, HARINGEY)
    handover = propose(p)
    handover.consent(p, party="haringey", on=CONSENTED)
    effective = p.serve_withdrawal_notice(party="haringey", on=CONSENTED)
    p.determine_exit_costs(party="haringey", amount=Money("10.00"), by="camden", on=CONSENTED)
    p.settle_exit_payment(party="haringey", amount=Money("10.00"), on=CONSENTED)
    p.complete_withdrawal(party="haringey", on=effective)
    handover.consent(p, party="islington", on=effective)
    assert {"haringey", "islington"} == set(handover.consents)
    error = refused((p, handover), "handover-needs-every-consent", handover.effect, p,
                    on=effective)  # fmt: skip
    assert "camden has not consented" in error.message
    handover.consent(p, party="camden", on=effective)
    handover.effect(p, on=effective)
    assert "effected" == handover.status


@pytest.mark.parametrize(
    ("function", "below", "minimum"),
    [
        (DESK, Stage.COMMUNICATING, Stage.CO_OPERATING),
        (CENTRE, Stage.COORDINATING, Stage.COLLABORATING),
        (BRAND, Stage.COLLABORATING, Stage.COMBINING),
    ],
    ids=["back-office", "front-line", "identity"],
)
def test_a_function_is_pooled_only_at_or_past_its_categorys_minimum_stage(
    function: Function, below: Stage, minimum: Stage
) -> None:
    p = partnership(stage=below)
    handover = consented(p, function)
    refused((p, handover), "stage-minimum-for-function", handover.effect, p, on=EFFECTIVE)
    p.change_stage(to=minimum, by="camden", on=EFFECTIVE)
    handover.effect(p, on=EFFECTIVE)
    assert [function] == [pooled.function for pooled in p.pooled.values()]


def test_a_partnerships_own_policy_sets_the_minimums() -> None:
    policy = Policy(
        stage_minimums={"back-office": Stage.COMBINING}, default_minimum=Stage.COMMUNICATING
    )
    p = partnership(stage=Stage.COMMUNICATING, policy=policy)
    desk = consented(p, DESK)
    refused((p, desk), "stage-minimum-for-function", desk.effect, p, on=EFFECTIVE)
    uncategorised = consented(p, Function("legal.advice", "Legal advice", category="legal"))
    uncategorised.effect(p, on=EFFECTIVE)


def test_a_function_already_held_is_not_pooled_by_a_second_handover() -> None:
    p = partnership()
    first, second = consented(p), consented(p)
    first.effect(p, on=EFFECTIVE)
    error = refused((p, second), "one-holder-per-function", second.effect, p, on=EFFECTIVE)
    assert str(first.id) in error.message


def test_two_councils_each_pool_their_own_function_of_the_same_id() -> None:
    p = partnership()
    camdens, islingtons = consented(p, DESK, "camden"), consented(p, DESK, "islington")
    camdens.effect(p, on=EFFECTIVE)
    islingtons.effect(p, on=EFFECTIVE)
    assert [
        PooledFunction("camden", DESK, camdens.id, EFFECTIVE),
        PooledFunction("islington", DESK, islingtons.id, EFFECTIVE),
    ] == list(p.pooled.values())


def test_effecting_writes_effected_and_function_pooled_at_one_recorded_time() -> None:
    p = partnership()
    handover = consented(p)
    handover.effect(p, on=EFFECTIVE)
    [effected_event] = handover.pending_events[-1:]
    [pooled_event] = p.pending_events[-1:]
    assert ("Effected", "FunctionPooled") == (
        type(effected_event).__name__,
        type(pooled_event).__name__,
    )
    assert effected_event.timestamp == pooled_event.timestamp
    assert ("camden", EFFECTIVE) == (effected_event.by, effected_event.on)
    assert "effected" == handover.status


def test_effecting_is_refused_while_a_dispute_defers_the_handover() -> None:
    p = partnership()
    handover = consented(p)
    dispute = Dispute.raise_(
        p, by="camden", against=["islington"], subject="staff terms", act=handover.id,
        defer=True, on=CONSENTED,
    )  # fmt: skip
    error = refused((p, handover), "deferred-act-frozen", handover.effect, p, on=EFFECTIVE)
    assert str(dispute.id) in error.message


def test_effecting_is_refused_on_a_date_before_the_partnerships_latest_act() -> None:
    p = partnership()
    handover = consented(p)
    p.change_stage(to=Stage.COORDINATING, by="camden", on=LATER)
    refused((p, handover), "dates-in-order", handover.effect, p, on=EFFECTIVE)


def test_a_non_member_cannot_effect_a_handover() -> None:
    p = partnership()
    handover = consented(p)
    refused((p, handover), "members-only", handover.effect, p, on=EFFECTIVE, by="hackney")


def test_without_a_host_effecting_names_who_effects_the_handover() -> None:
    p = partnership(host=None)
    handover = consented(p)
    error = refused((p, handover), "invalid-value", handover.effect, p, on=EFFECTIVE)
    assert "no host" in str(error), error
    handover.effect(p, on=EFFECTIVE, by="camden")
    assert "camden" == handover.pending_events[-1].by


# --------------------------------------------------------------------------- withdrawing --


def test_only_the_proposer_withdraws_a_handover() -> None:
    p = partnership()
    handover = consented(p)
    refused((p, handover), "acts-for-itself", handover.withdraw, p, by="camden", on=LATER)
    handover.withdraw(p, by="islington", on=LATER)
    assert "withdrawn" == handover.status


@pytest.mark.parametrize("status", ["withdrawn", "effected"])
def test_a_handover_no_longer_proposed_takes_no_more_acts(status: str) -> None:
    p = partnership()
    handover = consented(p)
    if status == "withdrawn":
        handover.withdraw(p, by="islington", on=EFFECTIVE)
    else:
        handover.effect(p, on=EFFECTIVE)
    for command, kwargs in [
        (handover.consent, {"party": "camden"}),
        (handover.effect, {}),
        (handover.withdraw, {"by": "islington"}),
    ]:
        error = refused((p, handover), "handover-closed", command, p, on=LATER, **kwargs)
        assert status in error.message


# ----------------------------------------------------------------------------- recalling --


def test_recalling_returns_the_function_at_one_recorded_time() -> None:
    p = partnership()
    handover = effected(p)
    handover.recall(p, by="islington", reason="service levels missed", on=LATER)
    assert ("Recalled", "FunctionReturned") == (names(handover)[-1], names(p)[-1])
    assert handover.pending_events[-1].timestamp == p.pending_events[-1].timestamp
    assert ({}, "recalled") == (p.pooled, handover.status)


@pytest.mark.parametrize(
    ("by", "rule"), [("camden", "acts-for-itself"), ("hackney", "members-only")]
)
def test_only_the_council_that_handed_a_function_over_recalls_it(by: str, rule: str) -> None:
    p = partnership()
    handover = effected(p)
    refused((p, handover), rule, handover.recall, p, by=by, on=LATER)


def test_a_handover_not_in_effect_cannot_be_recalled() -> None:
    p = partnership()
    handover = consented(p)
    refused((p, handover), "handover-closed", handover.recall, p, by="islington", on=LATER)


def test_a_recall_dated_before_the_handover_took_effect_is_refused() -> None:
    p = partnership()
    handover = effected(p)
    refused((p, handover), "dates-in-order", handover.recall, p, by="islington", on=CONSENTED)


def test_a_stage_change_below_a_pooled_functions_minimum_is_refused() -> None:
    p = partnership(stage=Stage.COLLABORATING)
    centre = effected(p, CENTRE)
    error = refused((p,), "stage-minimum-for-function", p.change_stage, to=Stage.COORDINATING,
                    by="camden", on=LATER)  # fmt: skip
    assert "customer.contact-centre of islington" in error.message
    centre.recall(p, by="islington", on=LATER)
    p.change_stage(to=Stage.COORDINATING, by="camden", on=LATER)


def test_a_withdrawal_is_not_completed_while_the_leavers_functions_are_pooled() -> None:
    p = partnership(CAMDEN, ISLINGTON, HARINGEY, stage=Stage.COLLABORATING)
    desk, tax = consented(p, DESK), consented(p, TAX)
    desk.effect(p, on=EFFECTIVE)
    tax.effect(p, on=EFFECTIVE)
    effective = p.serve_withdrawal_notice(party="islington", on=LATER)
    p.determine_exit_costs(party="islington", amount=Money("10.00"), by="camden", on=LATER)
    p.settle_exit_payment(party="islington", amount=Money("10.00"), on=LATER)
    error = refused((p,), "functions-returned-before-leaving", p.complete_withdrawal,
                    party="islington", on=effective)  # fmt: skip
    assert "ict.service-desk, revenues.council-tax" in error.message
    desk.recall(p, by="islington", on=effective)
    tax.recall(p, by="islington", on=effective)
    p.complete_withdrawal(party="islington", on=effective)


def test_an_adopted_dissolution_returns_every_pooled_function_and_the_handover_is_recalled() -> (
    None
):
    p = partnership()
    camdens, islingtons = consented(p, DESK, "camden"), consented(p, TAX, "islington")
    camdens.effect(p, on=EFFECTIVE)
    islingtons.effect(p, on=EFFECTIVE)
    vid = p.propose_variation(by="camden", dissolve=True, on=LATER)
    p.approve_variation(vid, party="camden", on=LATER)
    p.approve_variation(vid, party="islington", on=LATER)
    returned = [e for e in p.pending_events if type(e).__name__ == "FunctionReturned"]
    assert [camdens.id, islingtons.id] == [event.handover_id for event in returned]
    assert {} == p.pooled
    at = returned[0].timestamp
    camdens.recall(p, by=None, reason="dissolved", on=LATER, at=at)
    assert ("recalled", "Recalled", "FunctionReturned") == (
        camdens.status,
        names(camdens)[-1],
        names(p)[-2],
    )
    assert 2 == len(returned) == names(p).count("FunctionReturned")


def test_a_function_of_a_council_that_has_left_is_not_pooled() -> None:
    p = partnership(CAMDEN, ISLINGTON, HARINGEY, stage=Stage.COLLABORATING)
    handover = propose(p)
    effective = p.serve_withdrawal_notice(party="islington", on=CONSENTED)
    p.determine_exit_costs(party="islington", amount=Money("10.00"), by="camden", on=CONSENTED)
    p.settle_exit_payment(party="islington", amount=Money("10.00"), on=CONSENTED)
    p.complete_withdrawal(party="islington", on=effective)
    for party in ("camden", "haringey"):
        handover.consent(p, party=party, on=effective)
    error = refused((p, handover), "members-only", handover.effect, p, on=effective)
    assert "'islington'" in error.message


def test_a_deferral_is_reported_before_the_consents_still_missing() -> None:
    p = partnership()
    handover = propose(p)
    dispute = Dispute.raise_(
        p, by="camden", against=["islington"], subject="staff terms", act=handover.id,
        defer=True, on=CONSENTED,
    )  # fmt: skip
    error = refused((p, handover), "deferred-act-frozen", handover.effect, p, on=EFFECTIVE)
    assert str(dispute.id) in error.message
