"""The oracle of [`PartnershipMachine`][sharedsvc.testing.PartnershipMachine]'s checks of
obligations and balance: both recomputed here from the partnership's events as the store's log
holds them (its own, and those of its handovers and disputes), written from the rules as the
reference states them (see
[`SharedServices.obligations`][sharedsvc.SharedServices.obligations] and
[`SharedServices.balance`][sharedsvc.SharedServices.balance]), never by calling the code that
derives them. It reads the log once, in order, and keeps one plain record per obligation.

Private to `sharedsvc.testing`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any
from uuid import UUID

import attrs

from sharedsvc.acts import (
    AcceptSettlement,
    ApproveVariation,
    CompleteWithdrawal,
    ConsentToHandover,
    DetermineDispute,
    DetermineExitCosts,
    EffectHandover,
    EscalateDispute,
    FormPartnership,
    ProposeHandover,
    ProposeSettlement,
    ProposeVariation,
    RaiseDispute,
    RecordOutcome,
    RetractWithdrawalNotice,
    ServeWithdrawalNotice,
    SetTarget,
    SettleExitPayment,
    Succeed,
    WithdrawDispute,
    WithdrawHandover,
    WithholdConsent,
    openings,
)
from sharedsvc.application import SharedServices
from sharedsvc.domain.policy import Policy
from sharedsvc.domain.values import PartyId
from sharedsvc.projections.balance import Balance
from sharedsvc.projections.obligations import Obligation

__all__ = ["expected_balance", "expected_obligations", "logged_events"]

ADMITTED = ApproveVariation.consequence("party")
DISSOLVED = ApproveVariation.consequence("final_account")
SETTLED = AcceptSettlement.consequence("concessions")


def logged_events(app: SharedServices, pid: UUID) -> list[tuple[int, Any]]:
    """The events of the partnership, its handovers and disputes, in the order of the
    store's log, each with its position there. A handover or dispute is the partnership's if
    its first event (that of an act that opens one) names it."""
    opening = openings()
    within = {pid}
    found = []
    for notification in app.recorder.select_notifications(start=None, limit=10**9):
        uid = UUID(str(notification.originator_id))
        act = None if uid in within else opening.get(notification.topic)
        if uid not in within and act is None:
            continue
        event: Any = app.mapper.to_domain_event(notification)
        if act is not None:
            if act.read(event, "pid") != pid:
                continue
            within.add(uid)
        found.append((notification.id, event))
    return found


def _later(day: date, days: int) -> date:
    try:
        return day + timedelta(days=days)
    except OverflowError:
        return date.max


@attrs.define
class _Owed:
    """One obligation as the log is read."""

    kind: str
    party: str | None
    due: date
    source: int
    met_on: date | None = None
    lapsed_on: date | None = None

    @property
    def open(self) -> bool:
        return self.met_on is None and self.lapsed_on is None

    def met(self, on: date) -> None:
        if self.open:
            self.met_on = on

    def lapsed(self, on: date) -> None:
        if self.open:
            self.lapsed_on = on

    def on(self, as_of: date) -> Obligation:
        """As it stands on ``as_of``."""
        if self.met_on is not None:
            status = "met"
        elif self.lapsed_on is not None:
            status = "lapsed"
        elif as_of > self.due:
            status = "overdue"
        else:
            status = "open"
        late = self.met_on is not None and self.met_on > self.due
        party = None if self.party is None else PartyId(self.party)
        return Obligation(self.kind, party, self.due, status, self.source, self.met_on, late)


@attrs.define
class _Ledger:
    """Every obligation, and where each subject's open ones are."""

    policy: Policy
    owed: list[_Owed] = attrs.Factory(list)
    active: list[str] = attrs.Factory(list)
    notices: dict[str, _Owed] = attrs.Factory(dict)
    payments: dict[str, _Owed] = attrs.Factory(dict)
    handovers: dict[UUID, tuple[date, int, dict[str, _Owed], set[str], set[str]]] = attrs.Factory(
        dict
    )
    """Open handover -> (proposed on, source, awaited by party, consented, withheld)."""
    disputes: dict[UUID, tuple[list[str], list[Any], list[_Owed]]] = attrs.Factory(dict)
    """Open dispute -> (its parties, its rungs reached, the obligations at its rung)."""
    targets: dict[UUID, tuple[Any, list[_Owed]]] = attrs.Factory(dict)

    def owe(self, kind: str, party: str | None, due: date, source: int) -> _Owed:
        found = _Owed(kind, party, due, source)
        self.owed.append(found)
        return found

    def await_answer(self, hid: UUID, parties: Iterable[str], since: date) -> None:
        proposed, source, awaited, consented, withheld = self.handovers[hid]
        due = _later(max(since, proposed), self.policy.consent_days)
        for party in parties:
            if party not in awaited and party not in consented | withheld:
                awaited[party] = self.owe("consent", party, due, source)

    def reach(self, did: UUID, rung: Any, on: date, position: int) -> None:
        parties, rungs, at_rung = self.disputes[did]
        rungs.append(rung)
        due = _later(on, self.policy.rung_days[rung])
        at_rung[:] = [self.owe("escalation", party, due, position) for party in parties]

    def read(self, event: Any, position: int, app: SharedServices) -> None:
        """Take ``event``, at ``position`` in the log, into account."""
        kind, uid = type(event), event.originator_id
        if kind is FormPartnership.records:
            self.active = [party.id for party in FormPartnership.read(event, "parties")]
        elif kind is ADMITTED:
            joiner = event.party.id
            for hid in self.handovers:
                self.await_answer(hid, [joiner], event.on)
            self.active.append(joiner)
        elif kind is DISSOLVED:
            for owed in self.owed:
                owed.lapsed(event.on)
        elif kind is ServeWithdrawalNotice.records:
            party = ServeWithdrawalNotice.read(event, "party")
            self.notices[party] = self.owe("withdrawal", party, event.effective, position)
        elif kind is RetractWithdrawalNotice.records:
            party = RetractWithdrawalNotice.read(event, "party")
            for index in (self.notices, self.payments):
                if party in index:
                    index.pop(party).lapsed(event.on)
        elif kind is DetermineExitCosts.records:
            party = DetermineExitCosts.read(event, "party")
            if party in self.payments:
                self.payments[party].lapsed(event.on)
            due = _later(event.on, self.policy.exit_payment_days)
            self.payments[party] = self.owe("exit-payment", party, due, position)
        elif kind is SettleExitPayment.records:
            party = SettleExitPayment.read(event, "party")
            if party in self.payments:
                self.payments[party].met(event.on)
        elif kind is CompleteWithdrawal.records:
            party = CompleteWithdrawal.read(event, "party")
            if party in self.notices:
                self.notices.pop(party).met(event.on)
            for _, _, awaited, _, _ in self.handovers.values():
                if party in awaited:
                    awaited[party].lapsed(event.on)
            self.active.remove(party)
        elif kind is ProposeHandover.records:
            self.handovers[uid] = (event.on, position, {}, set(), set())
            self.await_answer(uid, self.active, event.on)
        elif kind in (ConsentToHandover.records, WithholdConsent.records) and uid in self.handovers:
            act = ConsentToHandover if kind is ConsentToHandover.records else WithholdConsent
            party = act.read(event, "party")
            _, _, awaited, consented, withheld = self.handovers[uid]
            if party in awaited:
                awaited[party].met(event.on)
            (consented if act is ConsentToHandover else withheld).add(party)
            (withheld if act is ConsentToHandover else consented).discard(party)
        elif kind in (WithdrawHandover.records, EffectHandover.records) and uid in self.handovers:
            for owed in self.handovers.pop(uid)[2].values():
                owed.lapsed(event.on)
        elif kind is RaiseDispute.records:
            parties = [RaiseDispute.read(event, "by"), *RaiseDispute.read(event, "against")]
            self.disputes[uid] = (parties, [], [])
            self.reach(uid, app.dispute(uid).ladder[0], event.on, position)
        elif kind is EscalateDispute.records and uid in self.disputes:
            for owed in self.disputes[uid][2]:
                owed.met(event.on)
            ladder = app.dispute(uid).ladder
            self.reach(uid, ladder[ladder.index(self.disputes[uid][1][-1]) + 1], event.on, position)
        elif kind in (SETTLED, DetermineDispute.records, WithdrawDispute.records):
            ended = self.disputes.pop(uid, None)
            for owed in () if ended is None else ended[2]:
                if kind is WithdrawDispute.records:
                    owed.lapsed(event.on)
                else:
                    owed.met(event.on)
        elif kind is SetTarget.records:
            party = SetTarget.read(event, "party")
            owed = self.owe(SetTarget.read(event, "kind"), party, event.due, position)
            self.targets[SetTarget.created(event)] = (SetTarget.read(event, "amount"), [owed])
        elif kind is RecordOutcome.records:
            amount, owed_for = self.targets[RecordOutcome.read(event, "target")]
            reached = RecordOutcome.read(event, "amount").amount >= amount.amount
            for owed in owed_for:
                if reached and event.on <= owed.due:
                    owed.met(event.on)
        elif kind is Succeed.records:
            self.succeeded(event)

    def succeeded(self, event: Any) -> None:
        """The predecessor's notice, awaited answers, disputes and targets pass to its
        successors; its own open obligations lapse on the vesting day."""
        gone: str = Succeed.read(event, "party")
        heirs = [party.id for party in Succeed.read(event, "successors")]
        on = event.on
        notice, payment = self.notices.pop(gone, None), self.payments.pop(gone, None)
        for heir in heirs:
            if notice is not None:
                self.notices[heir] = self.owe("withdrawal", heir, notice.due, notice.source)
            if payment is not None and payment.open:
                self.payments[heir] = self.owe("exit-payment", heir, payment.due, payment.source)
        for proposed, source, awaited, consented, withheld in self.handovers.values():
            mine = awaited.get(gone)
            if gone in consented:  # its consent stands for each successor yet to answer
                for heir in heirs:
                    if heir not in consented | withheld:
                        consented.add(heir)
                        if heir in awaited:
                            awaited[heir].met(on)
            else:
                due = _later(proposed, self.policy.consent_days) if mine is None else mine.due
                for heir in heirs:
                    if heir not in awaited and heir not in consented | withheld:
                        awaited[heir] = self.owe("consent", heir, due, source)
        for parties, _, at_rung in self.disputes.values():
            if gone in parties:
                at = parties.index(gone)
                parties[at : at + 1] = [heir for heir in heirs if heir not in parties]
                for owed in [o for o in at_rung if o.party == gone]:
                    for heir in heirs:
                        if all(o.party != heir for o in at_rung):
                            at_rung.append(self.owe("escalation", heir, owed.due, owed.source))
        for _, owed_for in self.targets.values():
            for owed in [o for o in owed_for if o.open and o.party == gone]:
                owed_for += [self.owe(owed.kind, heir, owed.due, owed.source) for heir in heirs]
        for owed in self.owed:
            if owed.party == gone:
                owed.lapsed(on)
        self.active = [p for p in self.active if p != gone]
        self.active += [heir for heir in heirs if heir not in self.active]


def expected_obligations(
    app: SharedServices, pid: UUID, as_of: date, events: list[tuple[int, Any]]
) -> list[Obligation]:
    """The partnership's obligations on ``as_of``, recomputed from ``events`` (its
    `logged_events`): only acts dated on or before ``as_of`` count."""
    ledger = _Ledger(app.partnership(pid).policy)
    for position, event in events:
        if event.on <= as_of:
            ledger.read(event, position, app)
    return [owed.on(as_of) for owed in ledger.owed]


def expected_balance(
    app: SharedServices,
    pid: UUID,
    as_of: date,
    events: list[tuple[int, Any]],
    obligations: Iterable[Obligation],
) -> dict[str, Balance]:
    """Each party's balance on ``as_of``, recomputed from the compromise ledger on that
    date, the proposers read from ``events``, and ``obligations`` (recomputed)."""
    proposer: dict[UUID, str] = {}
    offered: dict[UUID, str] = {}
    raised: Counter[str] = Counter()
    for _, event in events:
        kind = type(event)
        if kind is ProposeVariation.records:
            proposer[ProposeVariation.created(event)] = ProposeVariation.read(event, "by")
        elif kind is ProposeSettlement.records:
            offered[event.originator_id] = ProposeSettlement.read(event, "by")
        elif kind is SETTLED:
            proposer[event.originator_id] = offered[event.originator_id]
        elif kind is RaiseDispute.records and event.on <= as_of:
            raised[RaiseDispute.read(event, "by")] += 1
    parties = list(app.partnership(pid).parties)
    counts: dict[str, dict[str, Any]] = {
        party: {"conceded": 0, "to": Counter(), "from": Counter(), "ceded": 0, "kept": 0,
                "missed": 0}
        for party in parties
    }  # fmt: skip
    for party, entries in app.compromises(pid, as_of=as_of).items():
        for entry in entries:
            if entry.kind == "ceded":
                counts[party]["ceded"] += 1
                continue
            counts[party]["conceded"] += 1
            to = proposer.get(entry.source)
            if to is not None and to != party:
                counts[party]["to"][to] += 1
                counts[to]["from"][party] += 1
    for obligation in obligations:
        if obligation.party is not None:
            on_time = obligation.status == "met" and not obligation.late
            counts[obligation.party]["kept"] += on_time
            counts[obligation.party]["missed"] += obligation.status == "overdue" or obligation.late
    return {
        party: Balance(
            conceded=count["conceded"], conceded_to=dict(count["to"]),
            received_from=dict(count["from"]), ceded=count["ceded"], kept=count["kept"],
            missed=count["missed"], disputes_raised=raised[party],
        )
        for party, count in counts.items()
    }  # fmt: skip
