"""Withdrawal: serve notice, retract it, determine and settle exit costs, complete.

``complete_withdrawal`` checks, in this order, ``notice-period``, ``exit-paid-before-leaving``,
``functions-returned-before-leaving``, ``host-is-active`` and ``two-or-more-parties``, and
rebases every cost pool over the parties that remain. The commands are methods of
[`Partnership`][sharedsvc.Partnership] (``self`` is the partnership).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sharedsvc.domain.checks import check_money, check_ref, require_member
from sharedsvc.domain.errors import RuleViolation
from sharedsvc.domain.partnership import events as ev
from sharedsvc.domain.records import Withdrawal
from sharedsvc.domain.values import DecisionRef, Money, PartyId

if TYPE_CHECKING:
    from sharedsvc.domain.partnership.aggregate import Partnership

__all__ = [
    "complete_withdrawal",
    "determine_exit_costs",
    "retract_withdrawal_notice",
    "serve_withdrawal_notice",
    "settle_exit_payment",
]


def serve_withdrawal_notice(
    self: Partnership,
    *,
    party: str,
    on: date,
    ref: DecisionRef | None = None,
    by: str | None = None,
    at: datetime | None = None,
) -> date:
    """Serve ``party``'s notice to withdraw; returns the earliest effective date."""
    party = self._begin(party, on, "the notice", by=by)
    if party in self.withdrawals:
        raise RuleViolation(
            "notice-served",
            f"{party!r} already served notice, effective "
            f"{self.withdrawals[party].effective.isoformat()}: retract it to serve anew",
        )
    effective = self.terms.notice.effective_date(on)
    self._trigger(
        ev.WithdrawalNoticeServed,
        at,
        party=party,
        effective=effective,
        ref=check_ref(ref),
        on=on,
    )
    return effective


def retract_withdrawal_notice(
    self: Partnership,
    *,
    party: str,
    on: date,
    ref: DecisionRef | None = None,
    by: str | None = None,
    at: datetime | None = None,
) -> None:
    """Retract ``party``'s notice: it stays a member as if it had never served notice."""
    party = self._begin(party, on, "the retraction", by=by)
    _withdrawal(self, party)
    self._trigger(ev.WithdrawalNoticeRetracted, at, party=party, ref=check_ref(ref), on=on)


def determine_exit_costs(
    self: Partnership,
    *,
    party: str,
    amount: Money,
    by: str,
    on: date,
    ref: DecisionRef | None = None,
    at: datetime | None = None,
) -> None:
    """Determine what the leaving ``party`` must pay; ``by`` is a party that stays."""
    actor = self._begin(by, on, "the determination")
    leaver = require_member(party, self.active, self._where)
    withdrawal = _withdrawal(self, leaver)
    if actor == leaver:
        raise RuleViolation(
            "exit-costs",
            f"{leaver!r} cannot determine its own exit costs: a remaining party determines them",
        )
    if withdrawal.settled:
        raise RuleViolation("exit-costs", f"{leaver!r} has already paid its exit costs")
    check_money(amount)
    self._trigger(
        ev.ExitCostsDetermined,
        at,
        party=leaver,
        amount=amount,
        by=actor,
        ref=check_ref(ref),
        on=on,
    )


def settle_exit_payment(
    self: Partnership,
    *,
    party: str,
    amount: Money,
    on: date,
    ref: DecisionRef | None = None,
    by: str | None = None,
    at: datetime | None = None,
) -> None:
    """Record that the leaving ``party`` paid its exit costs in full."""
    party = self._begin(party, on, "the payment", by=by)
    withdrawal = _withdrawal(self, party)
    check_money(amount)
    if withdrawal.settled:
        raise RuleViolation("exit-costs", f"{party!r} has already paid its exit costs")
    if withdrawal.exit_costs is None:
        raise RuleViolation(
            "exit-costs", f"{party!r}'s exit costs are not determined yet: determine them first"
        )
    if amount != withdrawal.exit_costs:
        raise RuleViolation(
            "exit-costs",
            f"{party!r} owes {withdrawal.exit_costs}, not {amount}: settle the amount determined",
        )
    self._trigger(ev.ExitPaymentSettled, at, party=party, amount=amount, ref=check_ref(ref), on=on)


def complete_withdrawal(
    self: Partnership,
    *,
    party: str,
    on: date,
    ref: DecisionRef | None = None,
    by: str | None = None,
    at: datetime | None = None,
) -> None:
    """Complete ``party``'s withdrawal, rebasing every cost pool over those who remain.

    Checks, in order: ``notice-period``, ``exit-paid-before-leaving``,
    ``functions-returned-before-leaving``, ``host-is-active``, ``two-or-more-parties``."""
    party = self._begin(party, on, "the withdrawal", by=by)
    withdrawal = self.withdrawals.get(party)
    if withdrawal is None:
        raise RuleViolation("notice-period", f"{party!r} has not served notice: serve notice first")
    if on < withdrawal.effective:
        raise RuleViolation(
            "notice-period",
            f"{party!r}'s notice takes effect on {withdrawal.effective.isoformat()}, not "
            f"before: complete the withdrawal on or after that date",
        )
    if not withdrawal.settled:
        raise RuleViolation(
            "exit-paid-before-leaving",
            f"{party!r} has not paid its exit costs: determine and settle them first",
        )
    still_pooled = sorted(p.function.id for p in self.pooled.values() if p.from_party == party)
    if still_pooled:
        raise RuleViolation(
            "functions-returned-before-leaving",
            f"{party!r} still has {', '.join(still_pooled)} pooled: recall them first",
        )
    if self.terms.host == party:
        raise RuleViolation(
            "host-is-active",
            f"{party!r} hosts the service: vary the terms to name another host first",
        )
    remaining = [p for p in self.active if p != party]
    if len(remaining) < 2:
        raise RuleViolation(
            "two-or-more-parties",
            f"only {remaining} would remain: two parties part by dissolving the partnership",
        )
    pools = tuple(self.policy.rebase(pool, remaining) for pool in self.terms.cost_pools)
    self._trigger(ev.PartyWithdrew, at, party=party, cost_pools=pools, ref=check_ref(ref), on=on)


def _withdrawal(partnership: Partnership, party: PartyId) -> Withdrawal:
    withdrawal = partnership.withdrawals.get(party)
    if withdrawal is None:
        raise RuleViolation(
            "notice-served", f"{party!r} has not served notice to withdraw: serve it first"
        )
    return withdrawal
