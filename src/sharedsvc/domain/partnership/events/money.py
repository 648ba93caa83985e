"""The events of the partnership's money: a pool's budget for a financial year, and the
usage a usage-based pool is divided by. Neither changes the terms; the recharges are worked
out from them and from the terms in force day by day
(`sharedsvc.SharedServices.recharges`)."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, TypeAlias

from immutabledict import immutabledict

from sharedsvc.domain.aggregate import AggregateEvents
from sharedsvc.domain.partnership.events.base import PartnershipEvent
from sharedsvc.domain.values import DecisionRef, Money, PartyId

if TYPE_CHECKING:
    from sharedsvc.domain.partnership.aggregate import Partnership

__all__ = ["BudgetSet", "MoneyEvents", "UsageRecorded"]


class BudgetSet(PartnershipEvent):
    """``by`` set the budget of cost pool ``pool`` for the financial year starting in
    ``year``: ``amount``, replacing any budget set before for that pool and year."""

    TOPIC = "sharedsvc:Partnership.BudgetSet"
    pool: str
    year: int
    amount: Money
    by: PartyId
    ref: DecisionRef | None

    def apply(self, agg: Partnership) -> None:
        pass


class UsageRecorded(PartnershipEvent):
    """``by`` recorded the usage of the usage-based pool ``pool`` in the financial year
    starting in ``year``: a quantity for each party, replacing any usage recorded before for
    that pool and year."""

    TOPIC = "sharedsvc:Partnership.UsageRecorded"
    pool: str
    year: int
    usage: immutabledict[PartyId, Decimal]
    by: PartyId
    ref: DecisionRef | None

    def apply(self, agg: Partnership) -> None:
        pass


class MoneyEvents(AggregateEvents):
    """This module's part of `sharedsvc.domain.partnership.events.PartnershipEvents`."""

    BudgetSet: TypeAlias = BudgetSet
    UsageRecorded: TypeAlias = UsageRecorded
