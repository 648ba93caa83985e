"""Budgets and recharges: the financial year an agreement keeps, the checks a budget and a
year's usage pass, and the division of an amount into pennies by largest remainder.

A financial year is named by the calendar year it starts in: with the default year end of
31 March, ``2024`` runs from 1 April 2024 to 31 March 2025; with a year end of 31 December,
from 1 January to 31 December 2024.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

from sharedsvc.domain.errors import RuleViolation
from sharedsvc.domain.validators import shown
from sharedsvc.domain.values import Money, PartyId

__all__ = [
    "BUDGET_AMOUNT",
    "FINANCIAL_YEAR",
    "MONEY_RULES",
    "POOL_IN_TERMS",
    "USAGE_BASIS",
    "USAGE_PARTIES",
    "USAGE_QUANTITIES",
    "check_budget",
    "check_quantities",
    "check_year",
    "financial_year",
    "in_pennies",
]

POOL_IN_TERMS = "pool-in-terms"
"""A budget or usage names a cost pool of the agreement's terms."""
BUDGET_AMOUNT = "budget-amount"
"""A budget is an amount of money, not negative, in whole pennies."""
FINANCIAL_YEAR = "financial-year"
"""A budget or usage is for a financial year the partnership's life reaches."""
USAGE_BASIS = "usage-basis"
"""Usage is recorded only for a usage-based pool."""
USAGE_PARTIES = "usage-parties"
"""Usage names only parties of the partnership in the year it is for."""
USAGE_QUANTITIES = "usage-quantities"
"""Usage quantities are numbers, none negative, not all nothing."""

MONEY_RULES: Mapping[str, str] = {
    POOL_IN_TERMS: "a budget or usage names a cost pool of the terms as they stand",
    BUDGET_AMOUNT: "a budget is Money, not negative, in whole pennies",
    FINANCIAL_YEAR: "a budget or usage is for a financial year (by the calendar year it "
    "starts in) that ends on or after the partnership was formed",
    USAGE_BASIS: "usage is recorded only for a usage-based pool",
    USAGE_PARTIES: "usage names only members, or parties that left after the year began",
    USAGE_QUANTITIES: "usage quantities are whole numbers or decimals, none negative, not "
    "all nothing",
}
"""The rules of budgets and usage, by code, for the invariant catalogue
(`sharedsvc.invariants`)."""

PENNY = Decimal("0.01")
_LAST_YEAR = 9998  # the last financial year whose end a date can hold


def financial_year(year: int, year_end: tuple[int, int] = (3, 31)) -> tuple[date, date]:
    """The first and last day of the financial year that starts in ``year``, for an
    agreement whose year ends on ``year_end`` (month, day)."""
    month, day = year_end
    start = date(year - 1, month, day) + timedelta(days=1)
    if start.year != year:
        start = date(year, month, day) + timedelta(days=1)
    following = date(start.year + 1, month, day) + timedelta(days=1)
    if following.year != start.year + 1:  # a year ending on 31 December
        following = date(start.year + 1, 1, 1)
    return start, following - timedelta(days=1)


def check_year(year: object, formed_on: date, year_end: tuple[int, int]) -> int:
    """Rule ``financial-year``: ``year`` is a whole number naming a financial year that ends
    on or after the partnership was formed."""
    if isinstance(year, bool) or not isinstance(year, int) or not 1 < year <= _LAST_YEAR:
        raise RuleViolation(
            FINANCIAL_YEAR,
            f"year {shown(year)} is not a financial year: give the calendar year it starts in, "
            "as a whole number (2024 for April 2024 to March 2025)",
        )
    start, end = financial_year(year, year_end)
    if end < formed_on:
        raise RuleViolation(
            FINANCIAL_YEAR,
            f"the financial year {year} ({start.isoformat()} to {end.isoformat()}) ended "
            f"before the partnership was formed on {formed_on.isoformat()}: give a year of "
            "its life",
        )
    return year


def check_budget(amount: object) -> Money:
    """Rule ``budget-amount``: ``amount`` is [`Money`][sharedsvc.Money], not negative, in
    whole pennies."""
    if not isinstance(amount, Money):
        raise RuleViolation(BUDGET_AMOUNT, f"a budget must be Money, not {shown(amount)}")
    if amount.amount < 0:
        raise RuleViolation(BUDGET_AMOUNT, f"a budget of {amount} is negative: give what it is")
    if amount.amount != amount.amount.quantize(PENNY):
        raise RuleViolation(
            BUDGET_AMOUNT,
            f"a budget of {amount.amount} {amount.currency} has fractions of a penny: give it "
            "in whole pennies",
        )
    return amount


def check_quantities(usage: object) -> dict[PartyId, Decimal]:
    """Rule ``usage-quantities``: ``usage`` maps parties to quantities, each a whole number
    or a ``Decimal`` (finite, not negative), not all of them nothing. The parties are
    returned as given (their ids are checked against the partnership by the caller)."""
    if not isinstance(usage, Mapping) or not usage:
        raise RuleViolation(
            USAGE_QUANTITIES, f"usage must map parties to quantities, not {shown(usage)}"
        )
    quantities: dict[PartyId, Decimal] = {}
    for party, quantity in usage.items():
        if isinstance(quantity, bool) or not isinstance(quantity, int | Decimal):
            raise RuleViolation(
                USAGE_QUANTITIES,
                f"the usage of {shown(party)} is {shown(quantity)}: give a whole number or a "
                "Decimal",
            )
        number = Decimal(quantity)
        if not number.is_finite() or number < 0 or abs(number.adjusted()) > 15:
            raise RuleViolation(
                USAGE_QUANTITIES,
                f"the usage of {shown(party)} is {shown(quantity)}: give a finite quantity, "
                "not negative, of at most 15 digits",
            )
        quantities[party] = number
    if not any(quantities.values()):
        raise RuleViolation(
            USAGE_QUANTITIES,
            "every quantity of the usage is nothing, so it divides nothing: record the "
            "quantities each party used",
        )
    return quantities


def in_pennies(total: Money, weights: Mapping[PartyId, Fraction]) -> dict[PartyId, Money]:
    """``total`` divided in proportion to ``weights`` (not all nothing), in whole pennies by
    largest remainder: each party's exact part rounded down, and the pennies left over given
    one each to the largest remainders, ties to the party listed first. The parts sum to
    ``total`` exactly."""
    whole = sum(weights.values(), Fraction(0))
    pennies = int(total.amount / PENNY)
    exact = {party: pennies * weight / whole for party, weight in weights.items()}
    given = {party: part.numerator // part.denominator for party, part in exact.items()}
    left = pennies - sum(given.values())
    order = sorted(exact, key=lambda party: -(exact[party] - given[party]))
    for party in order[:left]:
        given[party] += 1
    return {party: Money(Decimal(count) * PENNY, total.currency) for party, count in given.items()}
