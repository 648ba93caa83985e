"""The acts of the partnership's money: setting a cost pool's budget for a financial year,
and recording the usage a usage-based pool is divided by. What each council pays is
[`recharges`][sharedsvc.SharedServices.recharges].

Each class is one act of the catalogue (see [`sharedsvc.acts`][sharedsvc.acts]); its docstring is
the verb's.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from uuid import UUID

import attrs

from sharedsvc.acts._base import QUANTITIES, Act, door
from sharedsvc.domain.partnership import Partnership
from sharedsvc.domain.values import DecisionRef, Money

__all__ = ["MoneyDoors", "RecordUsage", "SetBudget"]


@attrs.frozen
class SetBudget(Act[None]):
    """Set the budget of cost pool ``pool`` (one of the terms' pools, else
    ``pool-in-terms``) for the financial year that starts in ``year`` (with the default year
    end, 2024 is 1 April 2024 to 31 March 2025; a year that ended before the partnership was
    formed is refused, ``financial-year``): ``amount``, not negative and in whole pennies
    (``budget-amount``). A budget set again for the same pool and year replaces the one
    before."""

    actor = "by"
    records = Partnership.BudgetSet
    authority = True

    pid: UUID
    pool: str = attrs.field(kw_only=True)
    year: int = attrs.field(kw_only=True)
    amount: Money = attrs.field(kw_only=True)
    by: str = attrs.field(kw_only=True)
    on: date = attrs.field(kw_only=True)
    ref: DecisionRef | None = attrs.field(kw_only=True, default=None)


@attrs.frozen
class RecordUsage(Act[None]):
    """Record the usage of the usage-based cost pool ``pool`` (``usage-basis`` for another
    basis) in the financial year that starts in ``year``: ``usage`` maps parties (members
    in that year, else ``usage-parties``) to quantities (whole numbers or decimals, none
    negative, not all nothing, else ``usage-quantities``), which divide the pool's budget for
    the year in proportion. Usage recorded again for the same pool and year replaces the
    usage before."""

    actor = "by"
    records = Partnership.UsageRecorded

    pid: UUID
    pool: str = attrs.field(kw_only=True)
    year: int = attrs.field(kw_only=True)
    usage: Mapping[str, int | Decimal] = attrs.field(kw_only=True, metadata=QUANTITIES)
    by: str = attrs.field(kw_only=True)
    on: date = attrs.field(kw_only=True)
    ref: DecisionRef | None = attrs.field(kw_only=True, default=None)


class MoneyDoors:
    """The named verbs of the money's acts (see [`door`][sharedsvc.acts.door])."""

    set_budget = door(SetBudget)
    record_usage = door(RecordUsage)
