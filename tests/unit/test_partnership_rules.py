"""Every rule the Partnership aggregate enforces, one refusal at a time, with no store.

Each test builds an aggregate with :meth:`Partnership.form` and calls its commands directly. A
refused command raises a :class:`RuleViolation` naming the rule, triggers no event and leaves the
aggregate as it was.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

import pytest
from councils import CAMDEN, HARINGEY, ISLINGTON

from sharedsvc import (
    Basis,
    CostPool,
    Money,
    NotAuthorised,
    Notice,
    Partnership,
    PartnershipView,
    Party,
    Policy,
    RuleViolation,
    Stage,
    Terms,
)

FORMED = date(2015, 9, 24)
ON = date(2016, 1, 4)
NOTICE = Notice(months=6, year_end=(3, 31))


def equal_terms(*parties: Party | str, host: str | None = None) -> Terms:
    return Terms(cost_pools=(CostPool.equal("ict", parties),), host=host, notice=NOTICE)


def pair(*, host: str | None = "camden", policy: Policy | None = None) -> Partnership:
    """Camden (host) and Islington, formed on :data:`FORMED`."""
    return Partnership.form(
        "Shared Digital",
        parties=[CAMDEN, ISLINGTON],
        terms=equal_terms(CAMDEN, ISLINGTON, host=host),
        stage=Stage.CO_OPERATING,
        on=FORMED,
        policy=policy,
    )


def trio() -> Partnership:
    """Camden (host), Islington and Haringey."""
    return Partnership.form(
        "Shared Digital",
        parties=[CAMDEN, ISLINGTON, HARINGEY],
        terms=equal_terms(CAMDEN, ISLINGTON, HARINGEY, host="camden"),
        stage=Stage.COLLABORATING,
        on=FORMED,
    )


def refused(
    aggregate: Partnership, rule: str, command: Callable[..., object], /, *args: Any, **kwargs: Any
) -> RuleViolation:
    """Call ``command`` and check it is refused for ``rule`` and leaves ``aggregate`` as it was."""
    pending, view = len(aggregate.pending_events), PartnershipView.of(aggregate)
    with pytest.raises(RuleViolation) as caught:
        command(*args, **kwargs)
    expected_type = NotAuthorised if rule in {"members-only", "acts-for-itself"} else RuleViolation
    assert expected_type is type(caught.value), caught.value
    assert rule == caught.value.rule, caught.value
    assert pending == len(aggregate.pending_events)
    assert view == PartnershipView.of(aggregate)
    return caught.value


def refused_formation(rule: str, **kwargs: Any) -> RuleViolation:
    arguments: dict[str, Any] = {
        "parties": [CAMDEN, ISLINGTON],
        "terms": equal_terms(CAMDEN, ISLINGTON),
        "stage": Stage.CO_OPERATING,
        "on": FORMED,
        **kwargs,
    }
    with pytest.raises(RuleViolation) as caught:
        Partnership.form("Shared Digital", **arguments)
    assert rule == caught.value.rule, caught.value
    return caught.value


def serve_and_settle(partnership: Partnership, party: str, on: date = ON) -> date:
    """Serve ``party``'s notice and settle its exit costs; returns the effective date."""
    effective = partnership.serve_withdrawal_notice(party=party, on=on)
    remaining = next(p for p in partnership.active if p != party)
    partnership.determine_exit_costs(party=party, amount=Money("100.00"), by=remaining, on=on)
    partnership.settle_exit_payment(party=party, amount=Money("100.00"), on=on)
    return effective


def admission(partnership: Partnership, on: date = ON) -> UUID:
    """Propose admitting Haringey with an equal pool over all three."""
    return partnership.propose_variation(
        by="camden",
        changes={"cost_pools": (CostPool.equal("ict", [*partnership.active, "haringey"]),)},
        admit=[HARINGEY],
        on=on,
    )


# ----------------------------------------------------------------------- shares-sum-to-100 --


@pytest.mark.parametrize("islington", ["49.99", "50.01", "0"])
def test_a_cost_pool_whose_shares_do_not_sum_to_100_is_refused(islington: str) -> None:
    with pytest.raises(RuleViolation) as caught:
        CostPool("ict", Basis.FIXED, {"camden": Decimal("50"), "islington": Decimal(islington)})
    assert "shares-sum-to-100" == caught.value.rule


def test_a_cost_pool_whose_shares_sum_to_exactly_100_is_accepted() -> None:
    pool = CostPool("ict", Basis.FIXED, {"camden": Decimal("66.67"), "islington": "33.33"})
    assert Decimal(100) == sum(pool.shares.values())


# ------------------------------------------------------------- shares-cover-active-parties --


def test_a_formation_whose_pools_leave_out_a_founder_is_refused() -> None:
    refused_formation(
        "shares-cover-active-parties",
        parties=[CAMDEN, ISLINGTON, HARINGEY],
        terms=equal_terms(CAMDEN, ISLINGTON),
    )


def test_a_variation_whose_pools_leave_out_a_member_is_refused() -> None:
    partnership = trio()
    refused(
        partnership,
        "shares-cover-active-parties",
        partnership.propose_variation,
        by="camden",
        changes={"cost_pools": (CostPool.equal("ict", ["camden", "islington"]),)},
        on=ON,
    )


def test_an_admission_whose_pools_leave_out_the_joiner_is_refused() -> None:
    partnership = pair()
    refused(
        partnership,
        "shares-cover-active-parties",
        partnership.propose_variation,
        by="camden",
        changes={"cost_pools": (CostPool.equal("ict", ["camden", "islington"]),)},
        admit=[HARINGEY],
        on=ON,
    )


def test_an_admission_whose_pools_cover_the_joiner_is_accepted() -> None:
    partnership = pair()
    vid = admission(partnership)
    assert "open" == partnership.variations[vid].status  # open ones are kept


def test_a_variation_whose_pools_no_longer_fit_the_members_is_refused_at_adoption() -> None:
    partnership = trio()
    vid = partnership.propose_variation(
        by="camden",
        changes={"cost_pools": (CostPool.equal("ict", ["camden", "islington", "haringey"]),)},
        on=ON,
    )
    effective = serve_and_settle(partnership, "islington")
    partnership.complete_withdrawal(party="islington", on=effective)
    partnership.approve_variation(vid, party="camden", on=effective)
    refused(
        partnership,
        "shares-cover-active-parties",
        partnership.approve_variation,
        vid,
        party="haringey",
        on=effective,
    )


# --------------------------------------------------------------------- two-or-more-parties --


def test_a_partnership_of_one_party_cannot_be_formed() -> None:
    refused_formation("two-or-more-parties", parties=[CAMDEN], terms=equal_terms(CAMDEN))


def test_a_withdrawal_that_would_leave_one_party_is_refused() -> None:
    partnership = pair(host=None)
    effective = serve_and_settle(partnership, "islington")
    refused(
        partnership,
        "two-or-more-parties",
        partnership.complete_withdrawal,
        party="islington",
        on=effective,
    )


# -------------------------------------------------------------------------- host-is-active --


def test_a_formation_hosted_by_a_body_that_is_not_a_founder_is_refused() -> None:
    refused_formation("host-is-active", terms=equal_terms(CAMDEN, ISLINGTON, host="haringey"))


def test_a_variation_naming_a_host_that_is_not_a_member_is_refused() -> None:
    partnership = pair()
    refused(
        partnership,
        "host-is-active",
        partnership.propose_variation,
        by="islington",
        changes={"host": "haringey"},
        on=ON,
    )


def test_the_host_cannot_complete_its_withdrawal() -> None:
    partnership = trio()
    effective = serve_and_settle(partnership, "camden")
    refused(
        partnership, "host-is-active", partnership.complete_withdrawal, party="camden", on=effective
    )


# ---------------------------------------------------------- members-only / acts-for-itself --


def test_a_body_that_is_not_a_member_cannot_act() -> None:
    partnership = pair()
    refused(
        partnership,
        "members-only",
        partnership.change_stage,
        to=Stage.COLLABORATING,
        by="haringey",
        on=ON,
    )


def test_a_former_member_cannot_act() -> None:
    partnership = trio()
    effective = serve_and_settle(partnership, "islington")
    partnership.complete_withdrawal(party="islington", on=effective)
    refused(
        partnership,
        "members-only",
        partnership.serve_withdrawal_notice,
        party="islington",
        on=effective,
    )


def test_a_party_cannot_act_on_behalf_of_another() -> None:
    partnership = pair()
    vid = partnership.propose_variation(by="camden", changes={"sla": "24x7"}, on=ON)
    refused(
        partnership,
        "acts-for-itself",
        partnership.approve_variation,
        vid,
        party="islington",
        by="camden",
        on=ON,
    )


def test_a_party_naming_itself_as_the_actor_may_act() -> None:
    partnership = pair()
    vid = partnership.propose_variation(by="camden", changes={"sla": "24x7"}, on=ON)
    assert not partnership.approve_variation(vid, party="islington", by="islington", on=ON)


# ---------------------------------------------------------- variation-needs-every-approval --


def test_a_variation_is_not_adopted_until_every_party_and_the_joiner_approved() -> None:
    partnership = pair()
    vid = admission(partnership)
    terms = partnership.terms
    for party in ("islington", "camden"):
        pending = len(partnership.pending_events)
        assert partnership.approve_variation(vid, party=party, on=ON) is False
        assert pending + 1 == len(partnership.pending_events)
        assert terms == partnership.terms
        assert "open" == partnership.variations[vid].status  # open ones are kept
    assert partnership.approve_variation(vid, party="haringey", on=ON) is True
    assert ["camden", "islington", "haringey"] == partnership.active
    assert ["VariationApproved", "VariationAdopted", "PartyAdmitted"] == [
        type(event).__name__ for event in partnership.pending_events[-3:]
    ]


# ------------------------------------------------------------ approve-once / variation-closed --


def test_a_party_cannot_approve_a_variation_twice() -> None:
    partnership = pair()
    vid = partnership.propose_variation(by="camden", changes={"sla": "24x7"}, on=ON)
    partnership.approve_variation(vid, party="camden", on=ON)
    refused(partnership, "approve-once", partnership.approve_variation, vid, party="camden", on=ON)


def test_a_rejected_variation_takes_no_further_acts() -> None:
    partnership = pair()
    vid = partnership.propose_variation(by="camden", changes={"sla": "24x7"}, on=ON)
    partnership.reject_variation(vid, party="islington", on=ON)
    refused(
        partnership, "variation-closed", partnership.approve_variation, vid, party="camden", on=ON
    )


def test_an_adopted_variation_takes_no_further_acts() -> None:
    partnership = pair()
    vid = partnership.propose_variation(by="camden", changes={"sla": "24x7"}, on=ON)
    partnership.approve_variation(vid, party="camden", on=ON)
    partnership.approve_variation(vid, party="islington", on=ON)
    refused(
        partnership,
        "variation-closed",
        partnership.reject_variation,
        vid,
        party="islington",
        on=ON,
    )


# ------------------------------------------------------------------------- variation-shape --


@pytest.mark.parametrize(
    "proposal",
    [
        pytest.param({"changes": {"budget": Money("5000000")}}, id="unknown term"),
        pytest.param({}, id="empty"),
        pytest.param({"dissolve": True, "changes": {"sla": "24x7"}}, id="dissolve with changes"),
        pytest.param({"changes": {"sla": "24x7"}, "final_account": {}}, id="account, no dissolve"),
        pytest.param({"admit": [ISLINGTON], "changes": {"sla": "24x7"}}, id="member as joiner"),
    ],
)
def test_a_variation_of_the_wrong_shape_is_refused(proposal: dict[str, Any]) -> None:
    partnership = pair()
    refused(
        partnership,
        "variation-shape",
        partnership.propose_variation,
        by="camden",
        on=ON,
        **proposal,
    )


# --------------------------------------------------------- stage-in-continuum / stage-changes --


@pytest.mark.parametrize("to", [Stage.COMBINING, "collaborating"])
def test_a_stage_outside_the_agreed_continuum_is_refused(to: Any) -> None:
    policy = Policy(continuum=(Stage.CO_OPERATING, Stage.COORDINATING, Stage.COLLABORATING))
    partnership = pair(policy=policy)
    refused(partnership, "stage-in-continuum", partnership.change_stage, to=to, by="camden", on=ON)


def test_a_partnership_cannot_be_formed_at_a_stage_outside_its_continuum() -> None:
    refused_formation(
        "stage-in-continuum",
        stage=Stage.CO_EXISTING,
        policy=Policy(continuum=(Stage.CO_OPERATING, Stage.COLLABORATING)),
    )


def test_a_stage_change_to_the_current_stage_is_refused() -> None:
    partnership = pair()
    refused(
        partnership,
        "stage-changes",
        partnership.change_stage,
        to=Stage.CO_OPERATING,
        by="camden",
        on=ON,
    )


# --------------------------------------------------------------- notice-served / notice-period --


def test_notice_cannot_be_served_twice() -> None:
    partnership = trio()
    partnership.serve_withdrawal_notice(party="islington", on=ON)
    refused(
        partnership, "notice-served", partnership.serve_withdrawal_notice, party="islington", on=ON
    )


def test_a_notice_never_served_cannot_be_retracted() -> None:
    partnership = trio()
    refused(
        partnership,
        "notice-served",
        partnership.retract_withdrawal_notice,
        party="islington",
        on=ON,
    )


def test_a_withdrawal_without_notice_cannot_be_completed() -> None:
    partnership = trio()
    refused(partnership, "notice-period", partnership.complete_withdrawal, party="islington", on=ON)


def test_a_withdrawal_cannot_be_completed_before_its_notice_takes_effect() -> None:
    partnership = trio()
    effective = serve_and_settle(partnership, "islington")
    assert date(2017, 3, 31) == effective
    refused(
        partnership,
        "notice-period",
        partnership.complete_withdrawal,
        party="islington",
        on=date(2017, 3, 30),
    )


# ------------------------------------------------------------- exit-costs / exit-paid-before --


def test_a_leaver_cannot_determine_its_own_exit_costs() -> None:
    partnership = trio()
    partnership.serve_withdrawal_notice(party="islington", on=ON)
    refused(
        partnership,
        "exit-costs",
        partnership.determine_exit_costs,
        party="islington",
        amount=Money("1.00"),
        by="islington",
        on=ON,
    )


def test_exit_costs_cannot_be_paid_before_they_are_determined() -> None:
    partnership = trio()
    partnership.serve_withdrawal_notice(party="islington", on=ON)
    error = refused(
        partnership,
        "exit-costs",
        partnership.settle_exit_payment,
        party="islington",
        amount=Money("1.00"),
        on=ON,
    )
    assert "not determined" in error.message


def test_exit_costs_are_paid_in_the_amount_determined() -> None:
    partnership = trio()
    partnership.serve_withdrawal_notice(party="islington", on=ON)
    partnership.determine_exit_costs(party="islington", amount=Money("1.00"), by="camden", on=ON)
    refused(
        partnership,
        "exit-costs",
        partnership.settle_exit_payment,
        party="islington",
        amount=Money("0.99"),
        on=ON,
    )


def test_exit_costs_are_paid_in_the_currency_determined() -> None:
    partnership = trio()
    partnership.serve_withdrawal_notice(party="islington", on=ON)
    partnership.determine_exit_costs(party="islington", amount=Money("1.00"), by="camden", on=ON)
    error = refused(
        partnership,
        "exit-costs",
        partnership.settle_exit_payment,
        party="islington",
        amount=Money("1.00", "EUR"),
        on=ON,
    )
    assert "owes GBP 1.00, not EUR 1.00" in error.message
    partnership.settle_exit_payment(party="islington", amount=Money("1.00"), on=ON)


def test_exit_costs_are_paid_once() -> None:
    partnership = trio()
    serve_and_settle(partnership, "islington")
    refused(
        partnership,
        "exit-costs",
        partnership.settle_exit_payment,
        party="islington",
        amount=Money("100.00"),
        on=ON,
    )


def test_exit_costs_already_paid_are_not_determined_again() -> None:
    partnership = trio()
    serve_and_settle(partnership, "islington")
    refused(
        partnership,
        "exit-costs",
        partnership.determine_exit_costs,
        party="islington",
        amount=Money("200.00"),
        by="camden",
        on=ON,
    )


def test_a_withdrawal_cannot_be_completed_before_the_exit_payment() -> None:
    partnership = trio()
    effective = partnership.serve_withdrawal_notice(party="islington", on=ON)
    partnership.determine_exit_costs(party="islington", amount=Money("1.00"), by="camden", on=ON)
    refused(
        partnership,
        "exit-paid-before-leaving",
        partnership.complete_withdrawal,
        party="islington",
        on=effective,
    )


# -------------------------------------------------------------------------- dates-in-order --


def _business() -> tuple[Partnership, UUID]:
    partnership = trio()
    vid = partnership.propose_variation(by="camden", changes={"sla": "24x7"}, on=ON)
    partnership.serve_withdrawal_notice(party="islington", on=ON)
    partnership.determine_exit_costs(party="islington", amount=Money("1.00"), by="camden", on=ON)
    return partnership, vid


EARLIER = date(2016, 1, 3)
Command = tuple[Callable[..., object], dict[str, Any]]


def dated_commands(p: Partnership, vid: UUID) -> dict[str, Command]:
    """Every command of the partnership, with arguments that are valid apart from the date."""
    return {
        "propose_variation": (p.propose_variation, {"by": "camden", "changes": {"sla": "9-5"}}),
        "state_position": (
            p.state_position,
            {"variation_id": vid, "party": "haringey", "position": {"sla": "9-5"}},
        ),
        "approve_variation": (p.approve_variation, {"variation_id": vid, "party": "camden"}),
        "reject_variation": (p.reject_variation, {"variation_id": vid, "party": "haringey"}),
        "change_stage": (p.change_stage, {"to": Stage.COMBINING, "by": "camden"}),
        "serve_withdrawal_notice": (p.serve_withdrawal_notice, {"party": "haringey"}),
        "retract_withdrawal_notice": (p.retract_withdrawal_notice, {"party": "islington"}),
        "determine_exit_costs": (
            p.determine_exit_costs,
            {"party": "islington", "amount": Money("2.00"), "by": "haringey"},
        ),
        "settle_exit_payment": (
            p.settle_exit_payment,
            {"party": "islington", "amount": Money("1.00")},
        ),
        "complete_withdrawal": (p.complete_withdrawal, {"party": "islington"}),
    }


COMMANDS = list(dated_commands(*_business()))


@pytest.mark.parametrize("command", COMMANDS)
def test_a_command_dated_before_the_latest_act_is_refused(command: str) -> None:
    partnership, vid = _business()
    method, kwargs = dated_commands(partnership, vid)[command]
    refused(partnership, "dates-in-order", method, on=EARLIER, **kwargs)


def test_a_variation_cannot_take_effect_before_it_is_proposed() -> None:
    partnership = pair()
    refused(
        partnership,
        "dates-in-order",
        partnership.propose_variation,
        by="camden",
        changes={"sla": "24x7"},
        effective=EARLIER,
        on=ON,
    )


# ------------------------------------------------------------------- partnership-dissolved --


def test_a_dissolved_partnership_takes_no_further_acts() -> None:
    partnership = pair()
    open_variation = partnership.propose_variation(by="camden", changes={"sla": "24x7"}, on=ON)
    ending = partnership.propose_variation(by="camden", dissolve=True, on=ON)
    partnership.approve_variation(ending, party="camden", on=ON)
    partnership.approve_variation(ending, party="islington", on=ON)
    assert ON == partnership.dissolved_on
    refused(
        partnership,
        "partnership-dissolved",
        partnership.change_stage,
        to=Stage.COMBINING,
        by="camden",
        on=ON,
    )
    refused(
        partnership,
        "partnership-dissolved",
        partnership.approve_variation,
        open_variation,
        party="camden",
        on=ON,
    )


# --------------------------------------------------------------------------- invalid-value --


def test_a_malformed_party_id_is_refused() -> None:
    partnership = pair()
    error = refused(
        partnership, "invalid-value", partnership.serve_withdrawal_notice, party="Islington", on=ON
    )
    assert "slug" in error.message


def test_money_given_as_a_float_is_refused() -> None:
    with pytest.raises(RuleViolation) as caught:
        Money(0.1)  # type: ignore[arg-type]
    assert "invalid-value" == caught.value.rule
    assert "float" in caught.value.message


def test_a_legal_date_given_as_a_datetime_is_refused() -> None:
    partnership = pair()
    refused(
        partnership,
        "invalid-value",
        partnership.change_stage,
        to=Stage.COLLABORATING,
        by="camden",
        on=datetime(2016, 1, 4, 9, 30),
    )


def test_changes_that_are_not_a_mapping_are_refused_as_a_misshapen_variation() -> None:
    partnership = pair()
    changes = [("sla", "24x7")]
    refused(partnership, "variation-shape", partnership.propose_variation, by="camden",
            changes=changes, on=ON)  # fmt: skip


def test_a_single_party_given_to_admit_instead_of_a_list_is_refused() -> None:
    partnership = pair()
    refused(partnership, "invalid-value", partnership.propose_variation, by="camden",
            admit=HARINGEY, on=ON)  # fmt: skip
