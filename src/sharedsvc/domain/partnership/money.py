"""The partnership's money: the budget of each cost pool for a financial year, and the usage
a usage-based pool is divided by. The commands are methods of
[`Partnership`][sharedsvc.Partnership] (``self`` is the partnership).

The partnership keeps nothing of them in its state: a budget or a year's usage replaces the
one set before for the same pool and year, and the recharges are worked out from the events
and the terms in force day by day (`sharedsvc.SharedServices.recharges`). The financial year
and the pools are read from the terms as they stand (every adopted variation applied).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from sharedsvc.domain.budgets import (
    POOL_IN_TERMS,
    USAGE_BASIS,
    USAGE_PARTIES,
    check_budget,
    check_quantities,
    check_year,
    financial_year,
)
from sharedsvc.domain.checks import check_ref
from sharedsvc.domain.errors import RuleViolation
from sharedsvc.domain.partnership import events as ev
from sharedsvc.domain.validators import shown
from sharedsvc.domain.values import Basis, CostPool, DecisionRef, Money, PartyId, party_id

if TYPE_CHECKING:
    from sharedsvc.domain.partnership.aggregate import Partnership

__all__ = ["record_usage", "set_budget"]


def set_budget(
    self: Partnership,
    *,
    pool: str,
    year: int,
    amount: Money,
    by: str,
    on: date,
    ref: DecisionRef | None = None,
    at: datetime | None = None,
) -> None:
    """``by`` sets the budget of ``pool`` for the financial year starting in ``year``:
    ``amount``, replacing any budget set before for that pool and year."""
    actor = self._begin(by, on, "the budget")
    named = _pool(self, pool)
    checked = check_year(year, self.formed_on, self.terms.notice.year_end)
    money = check_budget(amount)
    self._trigger(
        ev.BudgetSet, at, pool=named.name, year=checked, amount=money, by=actor,
        ref=check_ref(ref), on=on,
    )  # fmt: skip


def record_usage(
    self: Partnership,
    *,
    pool: str,
    year: int,
    usage: Mapping[str, int | Decimal],
    by: str,
    on: date,
    ref: DecisionRef | None = None,
    at: datetime | None = None,
) -> None:
    """``by`` records the usage of the usage-based ``pool`` in the financial year starting in
    ``year``: a quantity for each party named, replacing any usage recorded before for that
    pool and year."""
    actor = self._begin(by, on, "the usage")
    named = _pool(self, pool)
    if named.basis is not Basis.USAGE:
        raise RuleViolation(
            USAGE_BASIS,
            f"cost pool {named.name!r} is divided by {named.basis.value}, not by usage: record "
            "usage only for a usage-based pool, or vary its basis first",
        )
    checked = check_year(year, self.formed_on, self.terms.notice.year_end)
    quantities = check_quantities(usage)
    parties = {party_id(party): quantity for party, quantity in quantities.items()}
    strangers = [party for party in parties if party not in _members_in(self, checked)]
    if strangers:
        raise RuleViolation(
            USAGE_PARTIES,
            f"{', '.join(strangers)} {'is' if len(strangers) == 1 else 'are'} not a party of "
            f"{self._where} in the financial year {checked}: name only its members then",
        )
    self._trigger(
        ev.UsageRecorded, at, pool=named.name, year=checked, usage=parties, by=actor,
        ref=check_ref(ref), on=on,
    )  # fmt: skip


def _pool(self: Partnership, pool: object) -> CostPool:
    """Rule ``pool-in-terms``: ``pool`` names a cost pool of the terms as they stand."""
    for found in self.terms.cost_pools:
        if found.name == pool:
            return found
    names = ", ".join(repr(found.name) for found in self.terms.cost_pools)
    raise RuleViolation(
        POOL_IN_TERMS,
        f"{self._where} has no cost pool {shown(pool)}: name one of its terms' pools ({names})",
    )


def _members_in(self: Partnership, year: int) -> set[PartyId]:
    """The parties that may have used a pool in the financial year ``year``: the members, and
    the former parties that left (withdrew or were succeeded) after it began. A snapshot
    that did not keep completed withdrawals cannot say when they left: every former party
    counts then."""
    start, _ = financial_year(year, self.terms.notice.year_end)
    members = set(self.active)
    left: dict[PartyId, date | None] = {
        party: succession.on for party, succession in self.successions.items()
    }
    if self.exited is None:
        left.update((party, None) for party in self.parties if party not in members)
    else:
        left.update((party, exit.completed_on) for party, exit in self.exited.items())
    members.update(party for party, on in left.items() if on is None or on > start)
    return members
