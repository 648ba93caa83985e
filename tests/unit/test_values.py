"""Value objects refuse invalid data at construction, with a rule code and a fix."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pytest
from immutabledict import immutabledict

from sharedsvc import RuleViolation, SharedServiceError
from sharedsvc.domain.values import (
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
    add_months,
    freeze,
    party_id,
)

POOL = CostPool.equal("ict", ["camden", "islington"])
DESK = Function("ict.service-desk", "ICT service desk", "back-office")


def refusal(make: Callable[[], object]) -> RuleViolation:
    """The RuleViolation that ``make`` raises (the test fails if it raises nothing)."""
    with pytest.raises(RuleViolation) as raised:
        make()
    return raised.value


# --- every validator -----------------------------------------------------------------------

INVALID_VALUES = [
    pytest.param(lambda: party_id("Camden"), id="party id with a capital"),
    pytest.param(lambda: party_id(""), id="empty party id"),
    pytest.param(lambda: party_id("a" * 65), id="party id of 65 characters"),
    pytest.param(lambda: party_id("mid_kent"), id="party id with an underscore"),
    pytest.param(lambda: party_id("-camden"), id="party id starting with a hyphen"),
    pytest.param(lambda: party_id(42), id="party id that is not a string"),
    pytest.param(lambda: Party("camden", ""), id="party without a name"),
    pytest.param(lambda: Party("camden", "Camden", kind="  "), id="party with a blank kind"),
    pytest.param(lambda: Money(1.5), id="money from a float"),
    pytest.param(lambda: Money(True), id="money from a bool"),
    pytest.param(lambda: Money("twelve"), id="money from words"),
    pytest.param(lambda: Money("NaN"), id="money that is not a number"),
    pytest.param(lambda: Money(Decimal("Infinity")), id="infinite money"),
    pytest.param(lambda: Money(None), id="money from None"),
    pytest.param(lambda: Money(1, "gbp"), id="lowercase currency"),
    pytest.param(lambda: Money(1, "POUND"), id="currency that is not three letters"),
    pytest.param(lambda: DecisionRef("", "CAB/1", date(2015, 3, 11)), id="decision without body"),
    pytest.param(lambda: DecisionRef("Cabinet", " ", date(2015, 3, 11)), id="blank reference"),
    pytest.param(
        lambda: DecisionRef("Cabinet", "CAB/1", datetime(2015, 3, 11)), id="decided on a datetime"
    ),
    pytest.param(lambda: DecisionRef("Cabinet", "CAB/1", "2015-03-11"), id="decided on a string"),
    pytest.param(lambda: CostPool("", Basis.EQUAL, {"a": 100}), id="pool without a name"),
    pytest.param(lambda: CostPool("ict", "equal", {"a": 100}), id="pool with a string basis"),
    pytest.param(lambda: CostPool("ict", Basis.USAGE, [("a", 100)]), id="shares not a mapping"),
    pytest.param(lambda: CostPool("ict", Basis.USAGE, {}), id="pool without shares"),
    pytest.param(
        lambda: CostPool("ict", Basis.USAGE, {"a": 110, "b": -10}), id="pool with a negative share"
    ),
    pytest.param(
        lambda: CostPool("ict", Basis.USAGE, {"a": 50.0, "b": 50}), id="pool with a float share"
    ),
    pytest.param(lambda: CostPool("ict", Basis.USAGE, {"A": 100}), id="share of a bad party id"),
    pytest.param(lambda: Notice(months=-1), id="negative notice"),
    pytest.param(lambda: Notice(months=121), id="notice over ten years"),
    pytest.param(lambda: Notice(months=True), id="notice of a bool"),
    pytest.param(lambda: Notice(months=6.0), id="notice of a float"),
    pytest.param(lambda: Notice(aligned_to_year_end="yes"), id="aligned given as a string"),
    pytest.param(lambda: Notice(year_end=(2, 29)), id="year end on 29 February"),
    pytest.param(lambda: Notice(year_end=(13, 1)), id="year end in month 13"),
    pytest.param(lambda: Notice(year_end=(3, 31, 1)), id="year end of three numbers"),
    pytest.param(lambda: Notice(year_end=("3", "31")), id="year end of strings"),
    pytest.param(lambda: Function("ICT desk", "ICT", "back-office"), id="function id with space"),
    pytest.param(lambda: Function("ict.", "ICT", "back-office"), id="function id ending in a dot"),
    pytest.param(lambda: Function("ict.desk", "", "back-office"), id="function without a name"),
    pytest.param(lambda: Function("ict.desk", "ICT", "Back Office"), id="category not a slug"),
    pytest.param(lambda: Function("ict.desk", "ICT", "back.office"), id="category with a dot"),
    pytest.param(lambda: Terms(cost_pools=()), id="terms without cost pools"),
    pytest.param(lambda: Terms(cost_pools=POOL), id="terms with a pool not in a sequence"),
    pytest.param(lambda: Terms(cost_pools=(POOL, POOL)), id="terms repeating a pool name"),
    pytest.param(lambda: Terms((POOL,), scope=DESK), id="scope not a sequence"),
    pytest.param(lambda: Terms((POOL,), scope=("ict",)), id="scope holding a string"),
    pytest.param(lambda: Terms((POOL,), scope=(DESK, DESK)), id="scope repeating a function"),
    pytest.param(lambda: Terms((POOL,), notice=6), id="notice that is not a Notice"),
    pytest.param(lambda: Terms((POOL,), governance="company"), id="governance as a string"),
    pytest.param(lambda: Terms((POOL,), casting_vote=1), id="casting vote that is not a bool"),
    pytest.param(lambda: Terms((POOL,), host="Camden"), id="host that is not a party id"),
    pytest.param(lambda: Terms((POOL,), sla=""), id="empty sla"),
    pytest.param(lambda: Concession("Camden", "notice", 6, 12), id="concession by a bad party"),
    pytest.param(lambda: Concession("camden", " ", 6, 12), id="concession without a subject"),
]


@pytest.mark.parametrize("make", INVALID_VALUES)
def test_an_invalid_value_is_refused_as_an_invalid_value(make: Callable[[], object]) -> None:
    error = refusal(make)
    assert "invalid-value" == error.rule
    assert f"[invalid-value] {error.message}" == str(error)


def test_a_rule_violation_is_also_a_value_error_and_a_shared_service_error() -> None:
    with pytest.raises(ValueError, match="not a party id") as raised:
        party_id("Camden")
    assert isinstance(raised.value, SharedServiceError)


def test_a_refused_party_id_says_what_a_party_id_looks_like() -> None:
    assert "use a lowercase slug such as 'camden'" in refusal(lambda: party_id("Camden")).message


def test_a_year_end_that_is_not_a_pair_is_refused_as_an_invalid_value() -> None:
    assert "invalid-value" == refusal(lambda: Notice(year_end=5)).rule  # type: ignore[arg-type]


def test_a_cost_pool_that_is_not_a_cost_pool_is_refused_as_an_invalid_value() -> None:
    error = refusal(lambda: Terms(cost_pools=("ict",)))  # type: ignore[arg-type]
    assert "invalid-value" == error.rule


# --- cost pools ----------------------------------------------------------------------------


def test_shares_that_sum_to_99_99_are_refused_with_the_sum_and_the_fix() -> None:
    error = refusal(
        lambda: CostPool("ict", Basis.USAGE, {"a": "33.33", "b": "33.33", "c": "33.33"})
    )
    assert "shares-sum-to-100" == error.rule
    assert "sum to 99.99, not 100: add 0.01 to one share" in error.message
    assert isinstance(error, ValueError)


def test_shares_that_sum_to_100_01_are_refused_with_the_sum_and_the_fix() -> None:
    error = refusal(lambda: CostPool("ict", Basis.USAGE, {"a": "50.01", "b": "50"}))
    assert "shares-sum-to-100" == error.rule
    assert "sum to 100.01, not 100: take 0.01 from one share" in error.message


def test_shares_may_be_given_as_strings_ints_or_decimals() -> None:
    pool = CostPool("ict", Basis.FIXED, {"a": "12.5", "b": 50, "c": Decimal("37.5")})
    assert {"a": Decimal("12.5"), "b": Decimal(50), "c": Decimal("37.5")} == dict(pool.shares)
    assert {Decimal} == {type(share) for share in pool.shares.values()}


def test_a_zero_share_is_a_share() -> None:
    pool = CostPool("ict", Basis.USAGE, {"a": 100, "b": 0})
    assert frozenset({"a", "b"}) == pool.parties


# --- money ---------------------------------------------------------------------------------


@pytest.mark.parametrize("amount", ["12.50", 12, Decimal("12.5")], ids=["str", "int", "Decimal"])
def test_money_accepts_a_string_an_int_or_a_decimal(amount: Any) -> None:
    money = Money(amount)
    assert Decimal(amount) == money.amount
    assert Decimal is type(money.amount)
    assert "GBP" == money.currency


def test_money_adds_and_subtracts_in_one_currency() -> None:
    assert Money("3.30") == Money("1.10") + Money("2.20")
    assert Money("-1.10") == Money("1.10") - Money("2.20")


@pytest.mark.parametrize("combine", [Money.__add__, Money.__sub__], ids=["add", "subtract"])
def test_money_refuses_to_mix_currencies(combine: Callable[[Money, Money], Money]) -> None:
    error = refusal(lambda: combine(Money(1, "GBP"), Money(1, "EUR")))
    assert "invalid-value" == error.rule
    assert "cannot combine GBP with EUR: convert first" == error.message


def test_money_reads_as_currency_and_amount_to_the_penny() -> None:
    assert "GBP 1,234.50" == str(Money("1234.5"))


# --- notice --------------------------------------------------------------------------------


def test_the_default_notice_is_six_months_to_the_next_31_march() -> None:
    assert Notice(months=6, aligned_to_year_end=True, year_end=(3, 31)) == Notice()


@pytest.mark.parametrize(
    ("served_on", "expected"),
    [
        (date(2018, 1, 10), date(2019, 3, 31)),
        (date(2018, 9, 30), date(2019, 3, 31)),
        (date(2018, 10, 1), date(2020, 3, 31)),
        (date(2018, 9, 29), date(2019, 3, 31)),
    ],
)
def test_notice_takes_effect_at_the_year_end_on_or_after_six_months(
    served_on: date, expected: date
) -> None:
    assert expected == Notice().effective_date(served_on)


def test_notice_served_with_no_months_on_a_year_end_takes_effect_that_day() -> None:
    assert date(2019, 3, 31) == Notice(months=0).effective_date(date(2019, 3, 31))


def test_notice_can_align_to_another_year_end() -> None:
    notice = Notice(year_end=(12, 31))
    assert date(2018, 12, 31) == notice.effective_date(date(2018, 1, 10))
    assert date(2019, 12, 31) == notice.effective_date(date(2018, 7, 1))


def test_unaligned_notice_adds_months_clamped_to_the_end_of_a_shorter_month() -> None:
    notice = Notice(aligned_to_year_end=False)
    assert date(2020, 2, 29) == notice.effective_date(date(2019, 8, 31))
    assert date(2019, 3, 10) == notice.effective_date(date(2018, 9, 10))


def test_adding_months_clamps_to_the_last_day_and_crosses_years() -> None:
    assert date(2019, 2, 28) == add_months(date(2019, 1, 31), 1)
    assert date(2020, 1, 31) == add_months(date(2019, 12, 31), 1)
    assert date(2029, 3, 31) == add_months(date(2019, 3, 31), 120)


def test_a_year_end_given_as_a_list_is_kept_as_a_tuple() -> None:
    assert (3, 31) == Notice(year_end=[3, 31]).year_end  # type: ignore[arg-type]


def test_a_year_end_on_29_february_is_refused_because_not_every_year_has_one() -> None:
    error = refusal(lambda: Notice(year_end=(2, 29)))
    assert "invalid-value" == error.rule
    assert "not a (month, day) that every year has" in error.message


# --- stages and rungs ----------------------------------------------------------------------


def test_stages_are_ordered_from_co_existing_to_combining() -> None:
    expected = [
        Stage.CO_EXISTING,
        Stage.COMMUNICATING,
        Stage.CO_OPERATING,
        Stage.COORDINATING,
        Stage.COLLABORATING,
        Stage.COMBINING,
    ]
    assert expected == list(Stage)
    assert expected == sorted(set(expected))
    assert Stage.CO_OPERATING < Stage.COLLABORATING
    assert Stage.COMBINING > Stage.COORDINATING
    assert Stage.CO_OPERATING <= Stage.CO_OPERATING
    assert Stage.CO_OPERATING >= Stage.CO_OPERATING
    assert not Stage.COMBINING < Stage.CO_EXISTING


def test_rungs_are_ordered_from_officers_to_arbitration() -> None:
    expected = [
        Rung.OFFICERS,
        Rung.DIRECTORS,
        Rung.CHIEF_EXECUTIVES,
        Rung.JOINT_COMMITTEE,
        Rung.MEDIATION,
        Rung.ARBITRATION,
    ]
    assert expected == list(Rung)
    assert expected == sorted(set(expected))
    assert Rung.MEDIATION < Rung.ARBITRATION
    assert not Rung.ARBITRATION <= Rung.OFFICERS


def test_a_stage_cannot_be_compared_with_a_rung() -> None:
    with pytest.raises(TypeError):
        _ = Stage.CO_EXISTING < Rung.OFFICERS  # type: ignore[operator]


# --- terms ---------------------------------------------------------------------------------


def test_terms_need_only_cost_pools() -> None:
    terms = Terms(cost_pools=[POOL])
    assert (POOL,) == terms.cost_pools
    assert ((), Notice(), Governance.JOINT_COMMITTEE, False, None, None) == (
        terms.scope,
        terms.notice,
        terms.governance,
        terms.casting_vote,
        terms.host,
        terms.sla,
    )


def test_terms_refuse_two_pools_of_the_same_name() -> None:
    other = CostPool("ict", Basis.USAGE, {"camden": 60, "islington": 40})
    error = refusal(lambda: Terms(cost_pools=(POOL, other)))
    assert "invalid-value" == error.rule
    assert "cost pool names must be unique: ['ict', 'ict']" == error.message


def test_evolving_terms_applies_the_changes_and_leaves_the_old_terms_alone() -> None:
    before = Terms(cost_pools=(POOL,))
    after = before.evolve({"notice": Notice(months=12), "host": "camden"})
    assert (Notice(months=12), "camden") == (after.notice, after.host)
    assert (Notice(), None) == (before.notice, before.host)


def test_evolving_terms_refuses_a_field_that_is_not_a_term() -> None:
    error = refusal(lambda: Terms(cost_pools=(POOL,)).evolve({"notice_months": 12}))
    assert "variation-shape" == error.rule
    assert error.message.startswith("'notice_months' not a term of the agreement: change one of")
    assert "cost_pools" in error.message


def test_evolving_terms_reports_an_unknown_field_under_the_rule_it_is_given() -> None:
    error = refusal(lambda: Terms(cost_pools=(POOL,)).evolve({"colour": "red"}, rule="settle"))
    assert "settle" == error.rule


def test_evolving_terms_validates_the_new_values() -> None:
    error = refusal(lambda: Terms(cost_pools=(POOL,)).evolve({"cost_pools": ()}))
    assert "invalid-value" == error.rule


def test_the_parties_of_terms_are_everyone_with_a_share_in_any_pool() -> None:
    legal = CostPool.equal("legal", ["camden", "haringey"])
    assert frozenset({"camden", "islington", "haringey"}) == Terms((POOL, legal)).parties


# --- freezing and concessions --------------------------------------------------------------


def test_freeze_turns_nested_lists_and_dicts_into_tuples_and_immutabledicts() -> None:
    frozen = freeze({"a": [1, {"b": [2, 3]}], "c": {4, 5}, "d": "text"})
    assert (
        immutabledict({"a": (1, immutabledict({"b": (2, 3)})), "c": frozenset({4, 5}), "d": "text"})
        == frozen
    )
    assert immutabledict is type(frozen)
    assert tuple is type(frozen["a"])
    assert immutabledict is type(frozen["a"][1])
    assert tuple is type(frozen["a"][1]["b"])


def test_freeze_leaves_values_that_are_not_collections_alone() -> None:
    assert POOL is freeze(POOL)
    assert "text" == freeze("text")


def test_concessions_compare_equal_however_their_values_were_given() -> None:
    given_as_lists = Concession("camden", "notice", [6, {"m": [3, 31]}], {"months": 12})
    given_frozen = Concession(
        "camden", "notice", (6, immutabledict({"m": (3, 31)})), immutabledict({"months": 12})
    )
    assert given_frozen == given_as_lists
    assert hash(given_frozen) == hash(given_as_lists)


def test_a_concession_names_its_party_by_id_even_when_given_a_party() -> None:
    concession = Concession(Party("camden", "London Borough of Camden"), "sla", None, "gold")
    assert "camden" == concession.party
