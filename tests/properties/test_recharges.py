"""Recharges on generated histories: every pool sums exactly to its budget, and each party's
part is what a day-by-day recomputation from the record gives (the partnership as it stood on
each day of the financial year, its shares summed, rounded by largest remainder)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from fractions import Fraction
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from sharedsvc import Basis, Money, SharedServices, financial_year
from sharedsvc.testing import History, histories


@st.composite
def budgeted(draw: st.DrawFn) -> tuple[History, int, dict[str, Money], dict[str, dict[str, int]]]:
    """A history that does not dissolve, a financial year from its formation to a year after
    its last act, a budget in pennies for some of its pools, and usage of some usage pools by
    its members."""
    history = draw(histories(max_steps=25, dissolve=False))
    app = SharedServices.in_memory()
    try:
        view = app.partnership(history.apply(app).partnership)
    finally:
        app.close()
    first = financial_year(view.formed_on.year - 1)[1] < view.formed_on
    years = range(view.formed_on.year - (0 if first else 1), view.last_on.year + 2)
    year = draw(st.sampled_from(list(years)))
    pools = [pool for pool in view.terms.cost_pools if draw(st.booleans())]
    budgets = {
        pool.name: Money(Decimal(draw(st.integers(0, 10**9))) / 100)
        for pool in pools or view.terms.cost_pools[:1]
    }
    usage = {}
    for pool in view.terms.cost_pools:
        if pool.basis is Basis.USAGE and pool.name in budgets and draw(st.booleans()):
            quantities = {p: draw(st.integers(0, 1000)) for p in view.active_parties}
            quantities[view.active_parties[0]] += 1
            usage[pool.name] = quantities
    return history, year, budgets, usage


def in_pennies(total: Money, weights: dict[str, Fraction]) -> dict[str, Money]:
    whole = sum(weights.values(), Fraction(0))
    pennies = int(total.amount * 100)
    exact = [(party, pennies * weight / whole) for party, weight in weights.items()]
    floors = {party: int(part) for party, part in exact}
    left = pennies - sum(floors.values())
    ranked = sorted(range(len(exact)), key=lambda i: (-(exact[i][1] - int(exact[i][1])), i))
    for i in ranked[:left]:
        floors[exact[i][0]] += 1
    return {party: Money(Decimal(count) / 100) for party, count in floors.items()}


def day_by_day(app: SharedServices, pid: Any, year: int, budget: Money, pool: str) -> Any:
    """The pool's recharges worked out from a view of each day of the year."""
    start, end = financial_year(year, app.partnership(pid).terms.notice.year_end)
    summed: dict[str, Fraction] = {}
    days, day = 0, start
    while day <= end:
        if day >= app.partnership(pid).formed_on:
            view = app.partnership(pid, as_of=day)
            for cost_pool in view.terms.cost_pools if not view.dissolved else ():
                if cost_pool.name == pool:
                    days += 1
                    for party, share in cost_pool.shares.items():
                        summed[party] = summed.get(party, Fraction(0)) + Fraction(share)
        day += timedelta(days=1)
    return None if not days else in_pennies(budget, summed)


@settings(max_examples=max(1, settings().max_examples // 3))  # dev 8, ci 50
@given(budgeted())
def test_recharges_sum_to_the_budget_and_agree_with_a_day_by_day_recomputation(
    drawn: tuple[History, int, dict[str, Money], dict[str, dict[str, int]]],
) -> None:
    history, year, budgets, usage = drawn
    app = SharedServices.in_memory()
    try:
        pid = history.apply(app).partnership
        on = app.partnership(pid).last_on
        for pool, amount in budgets.items():
            app.set_budget(pid, pool=pool, year=year, amount=amount, by=history.founders[0].id
                           if history.founders[0].id in app.partnership(pid).active_parties
                           else app.partnership(pid).active_parties[0], on=on)  # fmt: skip
        for pool, quantities in usage.items():
            by = app.partnership(pid).active_parties[0]
            app.record_usage(pid, pool=pool, year=year, usage=quantities, by=by, on=on)
        charged = app.recharges(pid, year=year)
        for pool, budget in budgets.items():
            expected = day_by_day(app, pid, year, budget, pool)
            if expected is None:
                assert pool not in charged
                continue
            assert budget.amount == sum(money.amount for money in charged[pool].values())
            if pool in usage:
                weights = {p: Fraction(q) for p, q in usage[pool].items()}
                expected = in_pennies(budget, weights)
            assert expected == charged[pool]
    finally:
        app.close()
