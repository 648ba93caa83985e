"""The events of a party's withdrawal: its notice, its exit costs and payment, and its leaving."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, TypeAlias

import attrs
from immutabledict import immutabledict

from sharedsvc.domain.aggregate import AggregateEvents
from sharedsvc.domain.partnership.events.base import PartnershipEvent
from sharedsvc.domain.records import Withdrawal
from sharedsvc.domain.values import CostPool, DecisionRef, Money, PartyId

if TYPE_CHECKING:
    from sharedsvc.domain.partnership.aggregate import Partnership

__all__ = [
    "ExitCostsDetermined",
    "ExitPaymentSettled",
    "PartyWithdrew",
    "WithdrawalEvents",
    "WithdrawalNoticeRetracted",
    "WithdrawalNoticeServed",
]


class WithdrawalNoticeServed(PartnershipEvent):
    TOPIC = "sharedsvc:Partnership.WithdrawalNoticeServed"
    party: PartyId
    effective: date
    ref: DecisionRef | None

    def apply(self, agg: Partnership) -> None:
        agg.withdrawals[self.party] = Withdrawal(self.party, self.on, self.effective)


class WithdrawalNoticeRetracted(PartnershipEvent):
    TOPIC = "sharedsvc:Partnership.WithdrawalNoticeRetracted"
    party: PartyId
    ref: DecisionRef | None

    def apply(self, agg: Partnership) -> None:
        del agg.withdrawals[self.party]


class ExitCostsDetermined(PartnershipEvent):
    TOPIC = "sharedsvc:Partnership.ExitCostsDetermined"
    party: PartyId
    amount: Money
    by: PartyId
    ref: DecisionRef | None

    def apply(self, agg: Partnership) -> None:
        w = agg.withdrawals[self.party]
        agg.withdrawals[self.party] = attrs.evolve(w, exit_costs=self.amount, determined_by=self.by)


class ExitPaymentSettled(PartnershipEvent):
    TOPIC = "sharedsvc:Partnership.ExitPaymentSettled"
    party: PartyId
    amount: Money
    ref: DecisionRef | None

    def apply(self, agg: Partnership) -> None:
        w = agg.withdrawals[self.party]
        agg.withdrawals[self.party] = attrs.evolve(w, paid=self.amount)


class PartyWithdrew(PartnershipEvent):
    TOPIC = "sharedsvc:Partnership.PartyWithdrew"
    party: PartyId
    cost_pools: tuple[CostPool, ...]
    ref: DecisionRef | None

    def apply(self, agg: Partnership) -> None:
        agg.active.remove(self.party)
        done = agg.withdrawals.pop(self.party, None)
        if done is not None and agg.exited is not None:  # None: see Partnership.upcast_v2_v3
            completed = attrs.evolve(done, completed_on=self.on)
            agg.exited = immutabledict({**agg.exited, self.party: completed})
        pools = self.cost_pools
        if agg.scheduled:  # a view as of a date, with pools that differ from the live ones
            pools = tuple(agg.policy.rebase(pool, agg.active) for pool in agg.terms.cost_pools)
        agg.terms = attrs.evolve(agg.terms, cost_pools=pools)


class WithdrawalEvents(AggregateEvents):
    """This module's part of `sharedsvc.domain.partnership.events.PartnershipEvents`."""

    WithdrawalNoticeServed: TypeAlias = WithdrawalNoticeServed
    WithdrawalNoticeRetracted: TypeAlias = WithdrawalNoticeRetracted
    ExitCostsDetermined: TypeAlias = ExitCostsDetermined
    ExitPaymentSettled: TypeAlias = ExitPaymentSettled
    PartyWithdrew: TypeAlias = PartyWithdrew
