"""What makes an obligation: one deriver per kind, each reading the events of its acts.

An obligation is derived from the record, never typed in: each `Deriver` names the events it
reads (through the catalogue of acts, `sharedsvc.acts`) and, for each, opens obligations in the
`Book`, or meets or lapses those it opened. `sharedsvc.projections.obligations` reads the log
and hands every deriver of `DERIVERS` the events it asked for, in log order, with their
positions; a new kind of obligation is one more deriver in `DERIVERS`.

The kinds derived here, and when each is met or lapses:

* ``withdrawal`` (a served notice, due on its effective date): met when the party completes its
  withdrawal (``late`` if after the due date); lapses when the notice is retracted;
* ``exit-payment`` (exit costs determined, due ``exit_payment_days`` later): met when the party
  pays; lapses when the notice is retracted or the costs are determined again (the new
  determination opens a new obligation);
* ``consent`` (a proposed handover, one per party whose answer is awaited, due ``consent_days``
  after the proposal; a party admitted meanwhile is awaited from its admission): met by the
  party's first answer, consent or withheld; lapses when the handover is withdrawn or the
  party leaves before answering;
* ``escalation`` (a dispute at a rung, one per disputing party, due the rung's ``rung_days``
  after the dispute reached it): met by an escalation, a settlement or a determination (the
  escalation opens the next rung's); lapses when the dispute is withdrawn;
* a target's own kind (``savings``...; `sharedsvc.projections.target_deadlines`), due on the
  target's due date: met by an outcome at or above it by then.

A succession follows the record: the notice passes to every successor (each owes the withdrawal,
and the exit payment if its share is unpaid, with the same due date and source), consents
awaited from the predecessor are awaited from each successor (a consent it gave counts for
those that had not answered), and in a dispute the successors take its place; the
predecessor's open obligations lapse on the vesting day. A dissolution lapses every open
obligation on the date it is adopted: the partnership takes no act after it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
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
    ProposeHandover,
    RaiseDispute,
    RetractWithdrawalNotice,
    ServeWithdrawalNotice,
    SettleExitPayment,
    Succeed,
    WithdrawDispute,
    WithdrawHandover,
    WithholdConsent,
)
from sharedsvc.domain.policy import DEFAULT_DAYS
from sharedsvc.domain.values import PartyId
from sharedsvc.projections.deriving import (
    Book,
    Deriver,
    Handler,
    Pending,
    Reading,
    due_after,
)
from sharedsvc.projections.target_deadlines import Targets

__all__ = [
    "DERIVERS",
    "Book",
    "Consents",
    "Deriver",
    "Escalations",
    "Handler",
    "Pending",
    "Reading",
    "Withdrawals",
    "due_after",
]

ADMISSION = ApproveVariation.consequence("party")
"""A party admitted by an adopted variation."""
SETTLEMENT = AcceptSettlement.consequence("concessions")
"""A dispute settled, written with the last acceptance."""


class Withdrawals(Deriver):
    """``withdrawal`` and ``exit-payment`` obligations, from notices and exit costs."""

    def __init__(self, reading: Reading) -> None:
        super().__init__(reading)
        self.notices: dict[PartyId, Pending] = {}
        self.payments: dict[PartyId, Pending] = {}

    def handlers(self) -> Mapping[type[Any], Handler]:
        return {
            ServeWithdrawalNotice.records: self.served,
            RetractWithdrawalNotice.records: self.retracted,
            DetermineExitCosts.records: self.determined,
            SettleExitPayment.records: self.paid,
            CompleteWithdrawal.records: self.completed,
            Succeed.records: self.succeeded,
        }

    def served(self, event: Any, position: int) -> None:
        party = ServeWithdrawalNotice.read(event, "party")
        self.notices[party] = self.book.open("withdrawal", party, event.effective, position)

    def retracted(self, event: Any, position: int) -> None:
        party = RetractWithdrawalNotice.read(event, "party")
        for index in (self.notices, self.payments):
            pending = index.pop(party, None)
            if pending is not None:
                pending.lapse(event.on)

    def determined(self, event: Any, position: int) -> None:
        party = DetermineExitCosts.read(event, "party")
        earlier = self.payments.get(party)
        if earlier is not None:
            earlier.lapse(event.on)  # determined again: the new amount is what is owed
        due = due_after(event.on, self.policy.exit_payment_days)
        self.payments[party] = self.book.open("exit-payment", party, due, position)

    def paid(self, event: Any, position: int) -> None:
        pending = self.payments.get(SettleExitPayment.read(event, "party"))
        if pending is not None:
            pending.meet(event.on)

    def completed(self, event: Any, position: int) -> None:
        pending = self.notices.pop(CompleteWithdrawal.read(event, "party"), None)
        if pending is not None:
            pending.meet(event.on)

    def succeeded(self, event: Any, position: int) -> None:
        predecessor = Succeed.read(event, "party")
        notice = self.notices.pop(predecessor, None)
        payment = self.payments.pop(predecessor, None)
        for inherited in event.withdrawals:  # the notice passes to each successor
            heir = inherited.party
            if notice is not None:
                self.notices[heir] = self.book.open("withdrawal", heir, notice.due, notice.source)
            if payment is not None and payment.open and inherited.paid is None:
                self.payments[heir] = self.book.open(
                    "exit-payment", heir, payment.due, payment.source
                )
        for pending in (notice, payment):
            if pending is not None:
                pending.lapse(event.on)


@attrs.define
class _Handover:
    proposed_on: date
    source: int
    consented: set[PartyId] = attrs.Factory(set)
    withheld: set[PartyId] = attrs.Factory(set)
    awaited: dict[PartyId, Pending] = attrs.Factory(dict)


class Consents(Deriver):
    """``consent`` obligations, one per party whose answer to a proposed handover is
    awaited."""

    def __init__(self, reading: Reading) -> None:
        super().__init__(reading)
        self.handovers: dict[UUID, _Handover] = {}

    def handlers(self) -> Mapping[type[Any], Handler]:
        return {
            ProposeHandover.records: self.proposed,
            ConsentToHandover.records: self.consented,
            WithholdConsent.records: self.withheld,
            WithdrawHandover.records: self.closed,
            EffectHandover.records: self.closed,
            ADMISSION: self.admitted,
            CompleteWithdrawal.records: self.left,
            Succeed.records: self.succeeded,
        }

    def await_from(self, handover: _Handover, parties: Iterable[PartyId], since: date) -> None:
        due = due_after(max(since, handover.proposed_on), self.policy.consent_days)
        for party in parties:
            answered = party in handover.consented or party in handover.withheld
            if party not in handover.awaited and not answered:
                handover.awaited[party] = self.book.open("consent", party, due, handover.source)

    def proposed(self, event: Any, position: int) -> None:
        if ProposeHandover.read(event, "pid") != self.reading.partnership_id:
            return
        handover = self.handovers[event.originator_id] = _Handover(event.on, position)
        self.await_from(handover, self.reading.active, event.on)

    def answered(self, event: Any, party: PartyId) -> _Handover | None:
        handover = self.handovers.get(event.originator_id)
        if handover is not None:
            pending = handover.awaited.get(party)
            if pending is not None:
                pending.meet(event.on)
        return handover

    def consented(self, event: Any, position: int) -> None:
        party = ConsentToHandover.read(event, "party")
        handover = self.answered(event, party)
        if handover is not None:
            handover.withheld.discard(party)
            handover.consented.add(party)

    def withheld(self, event: Any, position: int) -> None:
        party = WithholdConsent.read(event, "party")
        handover = self.answered(event, party)
        if handover is not None:
            handover.consented.discard(party)
            handover.withheld.add(party)

    def closed(self, event: Any, position: int) -> None:
        handover = self.handovers.pop(event.originator_id, None)
        for pending in () if handover is None else handover.awaited.values():
            pending.lapse(event.on)

    def admitted(self, event: Any, position: int) -> None:
        for handover in self.handovers.values():
            self.await_from(handover, [event.party.id], event.on)

    def left(self, event: Any, position: int) -> None:
        party = CompleteWithdrawal.read(event, "party")
        for handover in self.handovers.values():
            pending = handover.awaited.get(party)
            if pending is not None:
                pending.lapse(event.on)

    def succeeded(self, event: Any, position: int) -> None:
        predecessor: PartyId = Succeed.read(event, "party")
        heirs = [party.id for party in event.successors]
        for handover in self.handovers.values():
            pending = handover.awaited.get(predecessor)
            if pending is not None:
                pending.lapse(event.on)
            answered = handover.consented | handover.withheld
            if predecessor in handover.consented:  # its consent counts for those not answering
                for heir in heirs:
                    if heir not in answered:
                        handover.consented.add(heir)
                        if heir in handover.awaited:
                            handover.awaited[heir].meet(event.on)
                continue
            due = (
                due_after(handover.proposed_on, self.policy.consent_days)
                if pending is None
                else pending.due
            )
            for heir in heirs:  # awaited from each successor as from the predecessor
                if heir not in handover.awaited and heir not in answered:
                    handover.awaited[heir] = self.book.open("consent", heir, due, handover.source)


@attrs.define
class _Dispute:
    parties: list[PartyId]
    rung: Any
    at_rung: list[Pending] = attrs.Factory(list)


class Escalations(Deriver):
    """``escalation`` obligations: each disputing party's, for the time the dispute may sit
    at its rung."""

    def __init__(self, reading: Reading) -> None:
        super().__init__(reading)
        self.disputes: dict[UUID, _Dispute] = {}

    def handlers(self) -> Mapping[type[Any], Handler]:
        return {
            RaiseDispute.records: self.raised,
            EscalateDispute.records: self.escalated,
            SETTLEMENT: self.resolved,
            DetermineDispute.records: self.resolved,
            WithdrawDispute.records: self.withdrawn,
            Succeed.records: self.succeeded,
        }

    def days_at(self, rung: Any) -> int:
        return self.policy.rung_days.get(rung, DEFAULT_DAYS)

    def reach(self, dispute: _Dispute, rung: Any, on: date, position: int) -> None:
        dispute.rung = rung
        due = due_after(on, self.days_at(rung))
        dispute.at_rung = [
            self.book.open("escalation", party, due, position) for party in dispute.parties
        ]

    def raised(self, event: Any, position: int) -> None:
        if RaiseDispute.read(event, "pid") != self.reading.partnership_id:
            return
        parties = [RaiseDispute.read(event, "by"), *RaiseDispute.read(event, "against")]
        dispute = self.disputes[event.originator_id] = _Dispute(parties, None)
        self.reach(dispute, event.ladder[0], event.on, position)

    def escalated(self, event: Any, position: int) -> None:
        dispute = self.disputes.get(event.originator_id)
        if dispute is not None:
            for pending in dispute.at_rung:
                pending.meet(event.on)
            self.reach(dispute, event.to, event.on, position)

    def resolved(self, event: Any, position: int) -> None:
        dispute = self.disputes.pop(event.originator_id, None)
        for pending in () if dispute is None else dispute.at_rung:
            pending.meet(event.on)

    def withdrawn(self, event: Any, position: int) -> None:
        dispute = self.disputes.pop(event.originator_id, None)
        for pending in () if dispute is None else dispute.at_rung:
            pending.lapse(event.on)

    def succeeded(self, event: Any, position: int) -> None:
        predecessor: PartyId = Succeed.read(event, "party")
        heirs = [party.id for party in event.successors]
        for dispute in self.disputes.values():
            if predecessor not in dispute.parties:
                continue
            at = dispute.parties.index(predecessor)
            dispute.parties[at : at + 1] = [h for h in heirs if h not in dispute.parties]
            held = [p for p in dispute.at_rung if p.party == predecessor]
            for pending in held:
                owing = [h for h in heirs if all(p.party != h for p in dispute.at_rung)]
                dispute.at_rung += self.book.pass_on(pending, owing, event.on)


DERIVERS: tuple[type[Deriver], ...] = (Withdrawals, Consents, Escalations, Targets)
"""Every deriver, one per subject: the kinds of obligation the record makes."""
