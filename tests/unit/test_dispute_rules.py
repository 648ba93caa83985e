"""Every rule of a dispute, on the aggregates themselves, with no store.

Each test forms a :class:`Partnership` and raises a :class:`Dispute` in it, as the application
does. A refused command raises a :class:`RuleViolation` naming the rule, adds no pending event to
the dispute or the partnership, and leaves both as they were.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any
from uuid import UUID

import pytest
from councils import CAMDEN, HARINGEY, ISLINGTON

from sharedsvc import (
    Concession,
    CostPool,
    Dispute,
    DisputeView,
    NotAuthorised,
    Notice,
    Partnership,
    PartnershipView,
    Policy,
    RuleViolation,
    Rung,
    RungReached,
    Stage,
    Terms,
)

FORMED = date(2016, 10, 1)
RAISED = date(2017, 4, 3)
LATER = date(2017, 6, 5)
SETTLED = date(2017, 9, 4)


def trio(policy: Policy | None = None) -> Partnership:
    """Camden (host), Islington and Haringey."""
    parties = (CAMDEN, ISLINGTON, HARINGEY)
    return Partnership.form(
        "Shared Digital",
        parties=parties,
        terms=Terms(
            cost_pools=(CostPool.equal("ict", parties),), host="camden", notice=Notice(months=6)
        ),
        stage=Stage.COLLABORATING,
        on=FORMED,
        policy=policy,
    )


def raised(p: Partnership, *, act: UUID | None = None, defer: bool = False) -> Dispute:
    """Islington's dispute with Camden over recharges (Haringey stays out of it)."""
    return Dispute.raise_(
        p, by="islington", against=["camden"], subject="ICT recharges", act=act, defer=defer,
        on=RAISED,
    )  # fmt: skip


def climb(dispute: Dispute, to: Rung, on: date = LATER) -> None:
    while dispute.rung != to:
        dispute.escalate(by="islington", on=on)


def refused(
    aggregates: tuple[Any, ...], rule: str, command: Callable[..., object], /, *args: Any,
    **kwargs: Any,
) -> RuleViolation:  # fmt: skip
    """Call ``command``; check it is refused for ``rule`` and adds no pending event to any of
    ``aggregates`` (a partnership, a dispute), whose views are unchanged."""

    def look() -> list[tuple[int, Any]]:
        return [
            (
                len(agg.pending_events),
                PartnershipView.of(agg) if isinstance(agg, Partnership) else DisputeView.of(agg),
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


# ------------------------------------------------------------------------------- raising --


def test_a_dispute_is_raised_at_the_lowest_rung_of_the_partnerships_ladder() -> None:
    p = trio()
    dispute = Dispute.raise_(
        p, by="islington", against=["camden", "haringey"], subject="ICT recharges", on=RAISED
    )
    view = DisputeView.of(dispute)
    assert (("islington", "camden", "haringey"), Rung.OFFICERS, "open") == (
        view.parties,
        view.rung,
        view.status,
    )
    assert (RungReached(Rung.OFFICERS, RAISED, None),) == view.rungs
    assert (["Raised"], ["Formed"]) == (names(dispute), names(p))


@pytest.mark.parametrize(
    ("by", "against", "rule"),
    [
        ("islington", [], "dispute-shape"),
        ("islington", ["islington"], "dispute-shape"),
        ("islington", ["camden", "islington"], "dispute-shape"),
        ("islington", ["hackney"], "members-only"),
        ("hackney", ["camden"], "members-only"),
        ("islington", "camden", "invalid-value"),
    ],
    ids=["nobody", "itself", "itself-among-others", "a-non-member", "by-a-non-member", "a-string"],
)
def test_a_dispute_is_raised_by_a_member_against_one_or_more_other_members(
    by: str, against: Any, rule: str
) -> None:
    p = trio()
    refused((p,), rule, Dispute.raise_, p, by=by, against=against, subject="x", on=RAISED)


def test_deferring_needs_the_act_in_dispute() -> None:
    p = trio()
    refused((p,), "dispute-shape", Dispute.raise_, p, by="islington", against=["camden"],
            subject="x", defer=True, on=RAISED)  # fmt: skip


def test_deferring_freezes_the_act_on_the_partnership_at_one_recorded_time() -> None:
    p = trio()
    vid = p.propose_variation(by="camden", changes={"sla": "99.5%"}, on=RAISED)
    dispute = raised(p, act=vid, defer=True)
    assert ["Raised", "DecisionDeferred"] == names(dispute)
    assert "ActDeferred" == names(p)[-1]
    assert {vid: dispute.id} == PartnershipView.of(p).deferred
    assert dispute.pending_events[-1].timestamp == p.pending_events[-1].timestamp


def test_a_deferred_variation_cannot_be_approved_and_the_error_names_the_dispute() -> None:
    p = trio()
    vid = p.propose_variation(by="camden", changes={"sla": "99.5%"}, on=RAISED)
    dispute = raised(p, act=vid, defer=True)
    error = refused((p,), "deferred-act-frozen", p.approve_variation, vid, party="camden",
                    on=LATER)  # fmt: skip
    assert f"dispute {dispute.id}" in error.message


def test_an_act_already_deferred_is_not_deferred_again() -> None:
    p = trio()
    vid = p.propose_variation(by="camden", changes={"sla": "99.5%"}, on=RAISED)
    raised(p, act=vid, defer=True)
    refused((p,), "deferred-act-frozen", Dispute.raise_, p, by="haringey", against=["camden"],
            subject="y", act=vid, defer=True, on=RAISED)  # fmt: skip


def test_only_the_dispute_that_froze_an_act_releases_it() -> None:
    p = trio()
    vid = p.propose_variation(by="camden", changes={"sla": "99.5%"}, on=RAISED)
    dispute, other = raised(p, act=vid, defer=True), raised(p)
    refused((p,), "deferred-act-frozen", p.release_act, act=vid, dispute_id=other.id, on=LATER)
    p.release_act(act=vid, dispute_id=dispute.id, on=LATER)
    assert {} == PartnershipView.of(p).deferred
    p.approve_variation(vid, party="camden", on=LATER)


# ---------------------------------------------------------------------------- the ladder --


def test_each_escalation_climbs_exactly_one_rung_and_records_its_date_and_reason() -> None:
    dispute = raised(trio())
    assert Rung.DIRECTORS == dispute.escalate(by="islington", reason="stuck", on=LATER)
    assert Rung.CHIEF_EXECUTIVES == dispute.escalate(
        by="camden", to=Rung.CHIEF_EXECUTIVES, on=SETTLED
    )
    assert (
        RungReached(Rung.OFFICERS, RAISED, None),
        RungReached(Rung.DIRECTORS, LATER, "stuck"),
        RungReached(Rung.CHIEF_EXECUTIVES, SETTLED, None),
    ) == DisputeView.of(dispute).rungs


@pytest.mark.parametrize(
    "to", [Rung.JOINT_COMMITTEE, Rung.ARBITRATION, Rung.DIRECTORS, Rung.OFFICERS]
)
def test_escalating_to_any_rung_but_the_next_is_refused(to: Rung) -> None:
    p = trio()
    dispute = raised(p)
    dispute.escalate(by="islington", on=LATER)  # at directors: next is chief executives
    error = refused((p, dispute), "one-rung-at-a-time", dispute.escalate, by="islington", to=to,
                    on=LATER)  # fmt: skip
    assert "goes to chief-executives" in error.message


def test_a_dispute_at_the_top_rung_is_not_escalated() -> None:
    p = trio()
    dispute = raised(p)
    climb(dispute, Rung.ARBITRATION)
    refused((p, dispute), "one-rung-at-a-time", dispute.escalate, by="islington", on=LATER)


def test_the_ladder_is_the_partnerships_policy() -> None:
    policy = Policy(ladder=(Rung.OFFICERS, Rung.JOINT_COMMITTEE, Rung.ARBITRATION))
    dispute = raised(trio(policy))
    assert Rung.JOINT_COMMITTEE == dispute.escalate(by="islington", on=LATER)
    refused((dispute,), "determination-at-top-rung", dispute.determine, arbiter="CEDR",
            terms={"basis": "usage"}, on=LATER)  # fmt: skip
    assert Rung.ARBITRATION == dispute.escalate(by="islington", on=LATER)
    dispute.determine(arbiter="CEDR", terms={"basis": "usage"}, on=LATER)
    assert "determined" == dispute.status


@pytest.mark.parametrize(
    ("party", "rule"), [("haringey", "members-only"), ("hackney", "members-only")]
)
def test_only_a_disputing_party_escalates(party: str, rule: str) -> None:
    p = trio()
    dispute = raised(p)
    refused((p, dispute), rule, dispute.escalate, by=party, on=LATER)


def test_a_mediator_is_appointed_only_at_the_mediation_rung() -> None:
    dispute = raised(trio())
    climb(dispute, Rung.JOINT_COMMITTEE)
    refused((dispute,), "mediator-at-mediation", dispute.appoint_mediator, mediator="CEDR",
            by="camden", on=LATER)  # fmt: skip
    dispute.escalate(by="islington", on=LATER)
    dispute.appoint_mediator(mediator="CEDR", by="camden", on=LATER)
    assert "CEDR" == dispute.mediator


# ----------------------------------------------------------------------------- positions --


def test_a_position_is_stated_by_a_disputing_party_for_itself() -> None:
    dispute = raised(trio())
    refused((dispute,), "members-only", dispute.state_position, party="haringey",
            position={"basis": "usage"}, on=LATER)  # fmt: skip
    refused((dispute,), "acts-for-itself", dispute.state_position, party="camden",
            position={"basis": "usage"}, by="islington", on=LATER)  # fmt: skip
    refused((dispute,), "dispute-shape", dispute.state_position, party="camden", position={},
            on=LATER)  # fmt: skip


# ----------------------------------------------------------------------------- settlement --


def test_a_settlement_binds_only_once_every_disputing_party_accepted_it() -> None:
    dispute = Dispute.raise_(
        trio(), by="islington", against=["camden", "haringey"], subject="ICT recharges",
        on=RAISED,
    )  # fmt: skip
    dispute.state_position(party="islington", position={"basis": "usage"}, on=RAISED)
    dispute.state_position(party="camden", position={"basis": "equal", "cap": 5}, on=RAISED)
    dispute.state_position(party="haringey", position={"basis": "usage"}, on=RAISED)
    dispute.propose_settlement(by="camden", terms={"basis": "usage", "cap": 5}, on=LATER)
    assert dispute.accept_settlement(party="islington", on=LATER) is False
    assert dispute.accept_settlement(party="haringey", on=LATER) is False
    assert "open" == dispute.status
    assert dispute.accept_settlement(party="camden", on=LATER) is True
    assert ["SettlementAccepted", "Settled"] == names(dispute)[-2:]
    view = DisputeView.of(dispute)
    assert ("settled", {"basis": "usage", "cap": 5}) == (view.status, view.terms)
    assert (Concession("camden", "basis", "equal", "usage", "ICT recharges"),) == view.concessions


def test_a_concession_records_accepted_as_none_where_the_settlement_is_silent() -> None:
    dispute = raised(trio())
    dispute.state_position(party="camden", position={"cap": 5}, on=RAISED)
    dispute.propose_settlement(by="camden", terms={"basis": "usage"}, on=LATER)
    dispute.accept_settlement(party="islington", on=LATER)
    dispute.accept_settlement(party="camden", on=LATER)
    assert (Concession("camden", "cap", 5, None, "ICT recharges"),) == dispute.concessions


def test_a_new_proposal_sets_aside_the_acceptances_of_the_last() -> None:
    dispute = raised(trio())
    dispute.propose_settlement(by="camden", terms={"basis": "equal"}, on=LATER)
    dispute.accept_settlement(party="camden", on=LATER)
    dispute.propose_settlement(by="islington", terms={"basis": "usage"}, on=LATER)
    assert [] == dispute.accepted
    assert dispute.accept_settlement(party="islington", on=LATER) is False
    assert "open" == dispute.status


def test_accepting_twice_or_with_nothing_proposed_is_refused() -> None:
    dispute = raised(trio())
    rule = "settlement-needs-every-acceptance"
    refused((dispute,), rule, dispute.accept_settlement, party="camden", on=LATER)
    dispute.propose_settlement(by="camden", terms={"basis": "equal"}, on=LATER)
    dispute.accept_settlement(party="camden", on=LATER)
    refused((dispute,), rule, dispute.accept_settlement, party="camden", on=LATER)


def test_no_party_accepts_or_proposes_on_behalf_of_another_or_outside_the_dispute() -> None:
    dispute = raised(trio())
    refused((dispute,), "members-only", dispute.propose_settlement, by="haringey",
            terms={"basis": "equal"}, on=LATER)  # fmt: skip
    dispute.propose_settlement(by="camden", terms={"basis": "equal"}, on=LATER)
    refused((dispute,), "acts-for-itself", dispute.accept_settlement, party="camden",
            by="islington", on=LATER)  # fmt: skip
    refused((dispute,), "members-only", dispute.accept_settlement, party="haringey", on=LATER)


# -------------------------------------------------------------------------- determination --


def test_an_arbiter_determines_only_at_the_top_rung_and_binds_with_concessions() -> None:
    dispute = raised(trio())
    dispute.state_position(party="islington", position={"basis": "usage"}, on=RAISED)
    dispute.state_position(party="camden", position={"basis": "equal"}, on=RAISED)
    climb(dispute, Rung.MEDIATION)
    error = refused((dispute,), "determination-at-top-rung", dispute.determine, arbiter="CEDR",
                    terms={"basis": "equal"}, on=LATER)  # fmt: skip
    assert "mediation" in error.message
    dispute.escalate(by="camden", on=LATER)
    dispute.determine(arbiter="CEDR", terms={"basis": "equal"}, on=SETTLED)
    assert ("determined", {"basis": "equal"}) == (dispute.status, dispute.outcome)
    assert (Concession("islington", "basis", "usage", "equal", "ICT recharges"),) == (
        dispute.concessions
    )


# ---------------------------------------------------------------------------- withdrawing --


@pytest.mark.parametrize(
    ("by", "rule"), [("camden", "acts-for-itself"), ("haringey", "members-only")]
)
def test_only_the_party_that_raised_a_dispute_withdraws_it(by: str, rule: str) -> None:
    dispute = raised(trio())
    error = refused((dispute,), rule, dispute.withdraw, by=by, on=LATER)
    assert ("raised the dispute" in error.message) is (rule == "acts-for-itself")
    dispute.withdraw(by="islington", on=LATER)
    assert "withdrawn" == dispute.status


def close(dispute: Dispute, how: str) -> None:
    if how == "settled":
        dispute.propose_settlement(by="camden", terms={"basis": "equal"}, on=LATER)
        dispute.accept_settlement(party="camden", on=LATER)
        dispute.accept_settlement(party="islington", on=LATER)
    elif how == "determined":
        climb(dispute, Rung.ARBITRATION)
        dispute.determine(arbiter="CEDR", terms={"basis": "equal"}, on=LATER)
    else:
        dispute.withdraw(by="islington", on=LATER)


@pytest.mark.parametrize("how", ["settled", "determined", "withdrawn"])
def test_a_closed_dispute_takes_no_more_acts(how: str) -> None:
    dispute = raised(trio())
    close(dispute, how)
    assert how == dispute.status
    for command, kwargs in [
        (dispute.escalate, {"by": "islington"}),
        (dispute.state_position, {"party": "camden", "position": {"basis": "x"}}),
        (dispute.appoint_mediator, {"mediator": "CEDR", "by": "camden"}),
        (dispute.propose_settlement, {"by": "camden", "terms": {"basis": "x"}}),
        (dispute.accept_settlement, {"party": "camden"}),
        (dispute.determine, {"arbiter": "CEDR", "terms": {"basis": "x"}}),
        (dispute.withdraw, {"by": "islington"}),
    ]:
        refused((dispute,), "dispute-closed", command, on=SETTLED, **kwargs)


def test_a_dispute_act_dated_before_its_latest_act_is_refused() -> None:
    p = trio()
    p.change_stage(to=Stage.COMBINING, by="camden", on=LATER)
    refused((p,), "dates-in-order", Dispute.raise_, p, by="islington", against=["camden"],
            subject="x", on=RAISED)  # fmt: skip
    dispute = Dispute.raise_(p, by="islington", against=["camden"], subject="x", on=LATER)
    for command, kwargs in [
        (dispute.escalate, {"by": "islington"}),
        (dispute.state_position, {"party": "camden", "position": {"basis": "x"}}),
        (dispute.propose_settlement, {"by": "camden", "terms": {"basis": "x"}}),
        (dispute.withdraw, {"by": "islington"}),
    ]:
        refused((p, dispute), "dates-in-order", command, on=RAISED, **kwargs)
