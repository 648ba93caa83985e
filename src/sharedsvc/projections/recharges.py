"""Recharges: what each party pays of each cost pool's budget for a financial year, worked
out from the partnership's events.

For each day of the year, the pool's percentage shares in the terms in force that day (as a
view ``as_of`` that day shows them: admissions, withdrawals, successions and variations from
their effective dates); each party's part of the budget is its shares summed over the days
the pool was in force, over 100 times the number of those days. A pool with usage recorded
for the year is divided by the usage instead, in proportion. Each pool is then rounded to
pennies by largest remainder (`sharedsvc.domain.budgets.in_pennies`), so that it sums
exactly to its budget.

The terms are read once for each day on which they may change (the legal dates of the
partnership's acts, and the dates its adopted changes take effect), not once a day.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import Any

import attrs

from sharedsvc.acts import RecordUsage, SetBudget, act_for
from sharedsvc.domain.budgets import financial_year, in_pennies
from sharedsvc.domain.values import Money, PartyId, Terms

__all__ = ["Period", "Recharges", "periods", "recharges_of"]

Recharges = dict[str, dict[PartyId, Money]]
"""Each budgeted pool -> each party -> what it pays."""


@attrs.frozen
class Period:
    """Days of a financial year under one set of terms: ``days`` days from ``first``."""

    first: date
    days: int
    terms: Terms


def _change_days(events: Iterable[Any], start: date, end: date) -> list[date]:
    """The days of ``start``..``end`` on which the terms in force may change: the first, and
    every legal date of an act or date an adopted change takes effect within the year."""
    found = {start}
    for event in events:
        for day in (event.on, getattr(event, "effective", None)):
            if isinstance(day, date) and start < day <= end:
                found.add(day)
    return sorted(found)


def periods(
    events: Iterable[Any], start: date, end: date, terms_on: Callable[[date], Terms | None]
) -> list[Period]:
    """The days ``start``..``end`` on which the partnership stood, in periods of the same
    terms; ``terms_on(day)`` gives the terms in force on ``day`` (``None``: the partnership
    was not yet formed, or was dissolved)."""
    days = _change_days(events, start, end)
    found: list[Period] = []
    for first, following in zip(days, [*days[1:], end + timedelta(days=1)], strict=True):
        terms = terms_on(first)
        if terms is not None:
            found.append(Period(first, (following - first).days, terms))
    return found


def _year_records(events: Iterable[Any], year: int) -> tuple[dict[str, Money], dict[str, Any]]:
    """The budgets and usage recorded for ``year``, by pool, each the latest recorded (in the
    order each pool was first budgeted)."""
    budgets: dict[str, Money] = {}
    usage: dict[str, Mapping[PartyId, Decimal]] = {}
    for event in events:
        act = act_for(event)
        if act in (SetBudget, RecordUsage) and act.read(event, "year") == year:
            pool = act.read(event, "pool")
            if act is SetBudget:
                budgets[pool] = act.read(event, "amount")
            else:
                usage[pool] = act.read(event, "usage")
    return budgets, usage


def _by_days(pool: str, found: list[Period]) -> dict[PartyId, Fraction]:
    """Each party's shares of ``pool`` summed over the days of ``found`` on which it was in
    force (parties in the order they first appear), over the number of those days."""
    summed: dict[PartyId, Fraction] = {}
    days = 0
    for period in found:
        for cost_pool in period.terms.cost_pools:
            if cost_pool.name == pool:
                days += period.days
                for party, share in cost_pool.shares.items():
                    summed[party] = summed.get(party, Fraction(0)) + period.days * Fraction(share)
    return {party: total / days for party, total in summed.items()}


def recharges_of(
    events: Iterable[Any],
    year: int,
    year_end: tuple[int, int],
    terms_on: Callable[[date], Terms | None],
) -> Recharges:
    """What each party pays of each pool budgeted for ``year`` (see the module). A pool
    without a budget for the year, or that was in force on no day of it, is left out."""
    events = list(events)
    budgets, usage = _year_records(events, year)
    if not budgets:
        return {}
    start, end = financial_year(year, year_end)
    found = periods(events, start, end, terms_on)
    charged: Recharges = {}
    for pool, budget in budgets.items():
        weights = _by_days(pool, found)
        if not weights:
            continue
        used = usage.get(pool)
        if used:
            weights = {party: Fraction(quantity) for party, quantity in used.items()}
        charged[pool] = in_pennies(budget, weights)
    return charged
