"""The public strategies in ``sharedsvc.testing`` draw what they promise.

Valid strategies draw values the constructors accept (rebuilding a value from its own fields
re-runs every validator) and honour their narrowing arguments; invalid strategies draw input
that the constructors refuse.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from sharedsvc import RuleViolation
from sharedsvc import testing as strategies
from sharedsvc.domain.policy import Policy
from sharedsvc.domain.readiness import AreaScore, ReadinessGate
from sharedsvc.domain.records import PooledFunction, Succession, Variation, Withdrawal
from sharedsvc.domain.targets import Outcome, Target
from sharedsvc.domain.transfers import DataRole, StaffArrangement, StaffTransfer
from sharedsvc.domain.values import (
    HUNDRED,
    Basis,
    Concession,
    CostPool,
    DecisionRef,
    Function,
    Governance,
    Money,
    Notice,
    Party,
    Rung,
    Stage,
    Terms,
    party_id,
)
from sharedsvc.persistence import ATTRS_TYPES, ENUM_TYPES
from sharedsvc.testing import strategies as strategies_module

COUNCILS = ["camden", "haringey", "islington"]

VALUE_STRATEGIES: dict[str, type] = {
    "parties": Party,
    "money": Money,
    "decision_refs": DecisionRef,
    "bases": Basis,
    "cost_pools": CostPool,
    "notices": Notice,
    "governances": Governance,
    "functions": Function,
    "terms": Terms,
    "stages": Stage,
    "rungs": Rung,
    "concessions": Concession,
    "policies": Policy,
    "dates": date,
    "variations": Variation,
    "withdrawals": Withdrawal,
    "pooled_functions": PooledFunction,
    "successions": Succession,
    "readiness_gates": ReadinessGate,
    "area_scores": AreaScore,
    "targets": Target,
    "outcomes": Outcome,
    "staff_transfers": StaffTransfer,
    "staff_arrangements": StaffArrangement,
    "data_roles": DataRole,
}


def rebuilt(value: Any) -> Any:
    """``value`` constructed again from its fields, through every converter and validator."""
    return attrs.evolve(value)


# --- the public surface --------------------------------------------------------------------


def test_the_package_exports_exactly_the_strategies_module_names() -> None:
    machines = ["PartnershipMachine"]
    histories = ["History", "HistoryIds", "Ref", "Step", "histories"]
    assert sorted([*strategies_module.__all__, *machines, *histories]) == sorted(strategies.__all__)
    assert sorted(strategies.__all__) == strategies.__all__
    for name in strategies_module.__all__:
        assert getattr(strategies_module, name) is getattr(strategies, name)


def test_every_stored_value_type_has_a_strategy() -> None:
    assert {*ATTRS_TYPES, *ENUM_TYPES} <= set(VALUE_STRATEGIES.values())


def test_every_strategy_can_be_called_without_arguments() -> None:
    callables = [name for name in strategies_module.__all__ if not name.startswith("DEFAULT_")]
    others = {"party_ids", "invalid_cost_pool_shares", "invalid_party_ids"}
    others |= {"unknown_party_ids", "dates_out_of_order", "unknown_readiness_areas"}
    others |= {"invalid_readiness_scores", "invalid_target_amounts"}
    assert {*VALUE_STRATEGIES, *others} == set(callables)
    for name in callables:
        assert isinstance(getattr(strategies, name)(), st.SearchStrategy)


@pytest.mark.parametrize("name", list(VALUE_STRATEGIES))
@given(data=st.data())
def test_a_valid_strategy_draws_values_its_constructor_accepts(
    name: str, data: st.DataObject
) -> None:
    value = data.draw(getattr(strategies, name)())
    assert VALUE_STRATEGIES[name] is type(value)
    if attrs.has(type(value)):
        assert value == rebuilt(value)


# --- narrowing arguments -------------------------------------------------------------------


@given(strategies.party_ids())
def test_party_ids_are_lowercase_slugs(value: str) -> None:
    assert value == party_id(value)


@given(strategies.parties(ids=COUNCILS))
def test_parties_can_be_narrowed_to_given_ids(party: Party) -> None:
    assert party.id in COUNCILS


@given(strategies.parties(ids=st.sampled_from(["adur", "worthing"])))
def test_parties_can_take_their_ids_from_a_strategy(party: Party) -> None:
    assert party.id in {"adur", "worthing"}


@given(strategies.money(min_value=Decimal("-10"), max_value=10, currency="EUR"))
def test_money_stays_within_its_bounds_and_currency(money: Money) -> None:
    assert Decimal(-10) <= money.amount <= Decimal(10)
    assert "EUR" == money.currency
    assert money.amount == money.amount.quantize(Decimal("0.01"))


@given(strategies.money(currency=None, places=0))
def test_money_can_draw_any_currency_in_whole_units(money: Money) -> None:
    assert money.amount == money.amount.to_integral_value()


@given(strategies.decision_refs(min_date=date(2015, 1, 1), max_date=date(2015, 12, 31)))
def test_decision_refs_are_decided_within_the_given_dates(ref: DecisionRef) -> None:
    assert date(2015, 1, 1) <= ref.decided_on <= date(2015, 12, 31)


@given(strategies.dates(min_value=date(2019, 3, 1), max_value=date(2019, 3, 31)))
def test_dates_stay_within_their_bounds(day: date) -> None:
    assert date(2019, 3, 1) <= day <= date(2019, 3, 31)


@given(strategies.dates())
def test_dates_default_to_2000_to_2040(day: date) -> None:
    assert strategies.DEFAULT_MIN_DATE <= day <= strategies.DEFAULT_MAX_DATE
    assert (date(2000, 1, 1), date(2040, 12, 31)) == (
        strategies.DEFAULT_MIN_DATE,
        strategies.DEFAULT_MAX_DATE,
    )


@given(strategies.cost_pools())
def test_cost_pools_default_to_two_to_six_parties_sharing_exactly_100(pool: CostPool) -> None:
    assert 2 <= len(pool.shares) <= 6
    assert HUNDRED == sum(pool.shares.values())


@given(strategies.cost_pools(parties=COUNCILS))
def test_cost_pools_cover_exactly_the_given_parties_in_order(pool: CostPool) -> None:
    assert COUNCILS == list(pool.shares)


@given(strategies.cost_pools(basis=Basis.POPULATION, name="revenues", places=4))
def test_cost_pools_can_be_narrowed_by_basis_name_and_places(pool: CostPool) -> None:
    assert (Basis.POPULATION, "revenues") == (pool.basis, pool.name)
    assert all(-4 == share.as_tuple().exponent for share in pool.shares.values())


@given(strategies.cost_pools(basis=Basis.EQUAL))
def test_equal_cost_pools_are_split_as_the_library_splits_them(pool: CostPool) -> None:
    assert CostPool.equal(pool.name, list(pool.shares)) == pool


@given(strategies.functions(category="front-line"))
def test_functions_can_be_narrowed_to_a_category(function: Function) -> None:
    assert "front-line" == function.category


@given(strategies.terms(parties=COUNCILS))
def test_terms_have_pools_covering_exactly_the_given_parties(terms: Terms) -> None:
    assert all(set(COUNCILS) == pool.parties for pool in terms.cost_pools)
    assert terms.host is None or terms.host in COUNCILS


@given(strategies.terms())
def test_terms_by_default_share_one_set_of_parties_with_a_host_among_them(terms: Terms) -> None:
    assert 1 == len({pool.parties for pool in terms.cost_pools})
    assert 2 <= len(terms.parties) <= 6
    assert terms.host is None or terms.host in terms.parties


@given(strategies.terms(host=None))
def test_terms_can_be_drawn_without_a_host(terms: Terms) -> None:
    assert None is terms.host


@given(strategies.terms(parties=COUNCILS, host="islington"))
def test_terms_can_name_their_host(terms: Terms) -> None:
    assert "islington" == terms.host


@given(strategies.terms(host="camden"))
def test_terms_with_a_host_but_no_parties_make_the_host_a_party(terms: Terms) -> None:
    assert "camden" == terms.host
    assert "camden" in terms.parties
    assert 2 <= len(terms.parties) <= 6


@given(strategies.concessions(parties=COUNCILS))
def test_concessions_are_real_compromises_by_the_given_parties(concession: Concession) -> None:
    assert concession.party in COUNCILS
    assert concession.wanted != concession.accepted


@given(strategies.policies())
def test_policy_minimums_are_stages_of_its_continuum(policy: Policy) -> None:
    assert set(policy.stage_minimums.values()) <= set(policy.continuum)
    assert policy.default_minimum in policy.continuum
    assert len(set(policy.continuum)) == len(policy.continuum)


@given(strategies.notices(), strategies.dates())
def test_notices_take_effect_on_or_after_service(notice: Notice, served_on: date) -> None:
    assert served_on <= notice.effective_date(served_on)


@given(strategies.withdrawals())
def test_withdrawals_are_paid_only_once_their_costs_are_determined(withdrawal: Withdrawal) -> None:
    assert withdrawal.served_on <= withdrawal.effective
    assert (withdrawal.exit_costs is None) == (withdrawal.determined_by is None)
    assert withdrawal.paid is None or withdrawal.exit_costs is not None


@given(strategies.variations())
def test_variations_are_coherent_with_their_status(variation: Variation) -> None:
    assert set(variation.changes) <= set(Terms.field_names())
    assert variation.dissolve or variation.changes
    if variation.admit:
        pools = variation.changes["cost_pools"]
        assert all(set(variation.admitted_ids) <= pool.parties for pool in pools)
    if variation.status == "open":
        assert (None, None, ()) == (
            variation.closed_on,
            variation.rejected_by,
            variation.approved_by,
        )
    else:
        assert variation.closed_on is not None
        assert variation.proposed_on <= variation.closed_on
    if variation.status == "adopted":
        assert set(variation.approved_by) == set(variation.approvals)
    if variation.status == "rejected":
        assert variation.rejected_by is not None
        assert variation.rejected_by not in variation.approvals
    for stated in variation.positions.values():
        assert stated
        assert set(stated) <= set(variation.changes)


# --- invalid input -------------------------------------------------------------------------


@given(strategies.invalid_cost_pool_shares())
def test_invalid_shares_are_refused_for_not_summing_to_100(shares: dict[str, Decimal]) -> None:
    assert shares
    assert all(share >= 0 for share in shares.values())
    with pytest.raises(RuleViolation) as raised:
        CostPool("ict", Basis.USAGE, shares)
    assert "shares-sum-to-100" == raised.value.rule


@given(strategies.invalid_party_ids())
def test_invalid_party_ids_are_refused(value: str) -> None:
    assert isinstance(value, str)
    with pytest.raises(RuleViolation) as raised:
        party_id(value)
    assert "invalid-value" == raised.value.rule
    with pytest.raises(RuleViolation):
        Party(value, "A council")


# --- misused arguments ---------------------------------------------------------------------

MISUSES = [
    pytest.param(lambda: strategies.cost_pools(parties=[]), id="no parties"),
    pytest.param(lambda: strategies.cost_pools(parties="camden"), id="parties as one string"),
    pytest.param(lambda: strategies.cost_pools(parties=["a", "a"]), id="repeated party"),
    pytest.param(lambda: strategies.cost_pools(parties=["Camden"]), id="bad party id"),
    pytest.param(lambda: strategies.cost_pools(places=7), id="seven places"),
    pytest.param(lambda: strategies.cost_pools(name=" "), id="blank pool name"),
    pytest.param(lambda: strategies.cost_pools(basis="equal"), id="basis as a string"),
    pytest.param(lambda: strategies.terms(parties=COUNCILS, host="adur"), id="host not a party"),
    pytest.param(lambda: strategies.terms(host=42), id="host not an id"),
    pytest.param(lambda: strategies.money(currency="pounds"), id="bad currency"),
    pytest.param(lambda: strategies.functions(category="Front Line"), id="bad category"),
    pytest.param(lambda: strategies.parties(ids=[]), id="no ids"),
]


@pytest.mark.parametrize("misuse", MISUSES)
def test_a_misused_argument_is_refused_when_the_strategy_is_built(misuse: Any) -> None:
    with pytest.raises(InvalidArgument):
        misuse()
