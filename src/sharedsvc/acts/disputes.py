"""The acts on a dispute: raising it, climbing the ladder, settling or determining it.

Each class is one act of the catalogue (see [`sharedsvc.acts`][sharedsvc.acts]); its docstring is
the verb's. A dispute that is settled, determined or withdrawn releases the act it deferred, in the
same save.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from types import MappingProxyType
from typing import Any
from uuid import UUID

import attrs

from sharedsvc.acts._base import FREE_MAPPING, Act, door, refers_to
from sharedsvc.domain.coordination import (
    Unit,
    check_disputed_act,
    release_if_resolved,
    with_partnership,
)
from sharedsvc.domain.dispute import Dispute
from sharedsvc.domain.partnership import Partnership
from sharedsvc.domain.values import Rung

__all__ = [
    "AcceptSettlement",
    "AppointMediator",
    "DetermineDispute",
    "DisputeDoors",
    "EscalateDispute",
    "ProposeSettlement",
    "RaiseDispute",
    "StateDisputePosition",
    "WithdrawDispute",
]


@attrs.frozen
class RaiseDispute(Act[UUID]):
    """``by`` raises a dispute with ``against``; ``defer`` freezes ``act`` meanwhile."""

    actor = "by"
    creates = "dispute"
    records = Dispute.Raised
    consequences = (Dispute.DecisionDeferred, Partnership.ActDeferred)
    sources = MappingProxyType({"pid": "partnership_id", "by": "raised_by"})
    flags = MappingProxyType({"defer": Dispute.DecisionDeferred})

    pid: UUID
    by: str = attrs.field(kw_only=True)
    against: Iterable[str] = attrs.field(kw_only=True)
    subject: str = attrs.field(kw_only=True)
    act: UUID | None = attrs.field(
        kw_only=True, default=None, metadata=refers_to("variation", "handover")
    )
    defer: bool = attrs.field(kw_only=True, default=False)
    on: date = attrs.field(kw_only=True)

    def run(self, unit: Unit) -> UUID:
        partnership = unit.partnership(self.pid)
        disputed = (
            None
            if self.act is None
            else check_disputed_act(unit, partnership, self.act, self.defer)
        )
        dispute = Dispute.raise_(
            partnership, by=self.by, against=self.against, subject=self.subject, act=disputed,
            defer=self.defer, on=self.on, at=unit.now(),
        )  # fmt: skip
        return unit.add(dispute)


@attrs.frozen
class StateDisputePosition(Act[None]):
    """``party`` states what it wants: subject -> value."""

    actor = "party"
    records = Dispute.PositionStated

    did: UUID
    party: str = attrs.field(kw_only=True)
    position: Mapping[str, Any] = attrs.field(kw_only=True, metadata=FREE_MAPPING)
    on: date = attrs.field(kw_only=True)
    by: str | None = attrs.field(kw_only=True, default=None)

    def run(self, unit: Unit) -> None:
        unit.dispute(self.did).state_position(
            party=self.party, position=self.position, on=self.on, by=self.by
        )


@attrs.frozen
class EscalateDispute(Act[Rung]):
    """Escalate the dispute one rung up the ladder; returns the new rung."""

    actor = "by"
    records = Dispute.Escalated

    did: UUID
    by: str = attrs.field(kw_only=True)
    reason: str | None = attrs.field(kw_only=True, default=None)
    on: date = attrs.field(kw_only=True)
    to: Rung | None = attrs.field(kw_only=True, default=None)

    def run(self, unit: Unit) -> Rung:
        return unit.dispute(self.did).escalate(
            by=self.by, reason=self.reason, on=self.on, to=self.to
        )


@attrs.frozen
class AppointMediator(Act[None]):
    """Appoint a mediator, at the mediation rung."""

    actor = "by"
    records = Dispute.MediatorAppointed

    did: UUID
    mediator: str = attrs.field(kw_only=True)
    by: str = attrs.field(kw_only=True)
    on: date = attrs.field(kw_only=True)

    def run(self, unit: Unit) -> None:
        unit.dispute(self.did).appoint_mediator(mediator=self.mediator, by=self.by, on=self.on)


@attrs.frozen
class ProposeSettlement(Act[None]):
    """Propose settlement terms: subject -> value."""

    actor = "by"
    records = Dispute.SettlementProposed

    did: UUID
    by: str = attrs.field(kw_only=True)
    terms: Mapping[str, Any] = attrs.field(kw_only=True, metadata=FREE_MAPPING)
    on: date = attrs.field(kw_only=True)

    def run(self, unit: Unit) -> None:
        unit.dispute(self.did).propose_settlement(by=self.by, terms=self.terms, on=self.on)


@attrs.frozen
class AcceptSettlement(Act[bool]):
    """``party`` accepts the proposed terms; returns whether that settled the dispute."""

    actor = "party"
    records = Dispute.SettlementAccepted
    consequences = (Dispute.Settled, Partnership.ActReleased)

    did: UUID
    party: str = attrs.field(kw_only=True)
    on: date = attrs.field(kw_only=True)
    by: str | None = attrs.field(kw_only=True, default=None)

    def run(self, unit: Unit) -> bool:
        dispute, partnership = with_partnership(unit, unit.dispute(self.did))
        dispute.accept_settlement(party=self.party, on=self.on, by=self.by, at=unit.now())
        release_if_resolved(dispute, partnership)
        return dispute.resolved


@attrs.frozen
class DetermineDispute(Act[None]):
    """An arbiter determines the dispute (only at the top rung); binding."""

    actor = None
    records = Dispute.Determined
    consequences = (Partnership.ActReleased,)

    did: UUID
    arbiter: str = attrs.field(kw_only=True)
    terms: Mapping[str, Any] = attrs.field(kw_only=True, metadata=FREE_MAPPING)
    on: date = attrs.field(kw_only=True)

    def run(self, unit: Unit) -> None:
        dispute, partnership = with_partnership(unit, unit.dispute(self.did))
        dispute.determine(arbiter=self.arbiter, terms=self.terms, on=self.on, at=unit.now())
        release_if_resolved(dispute, partnership)


@attrs.frozen
class WithdrawDispute(Act[None]):
    """The party that raised the dispute withdraws it."""

    actor = "by"
    records = Dispute.Withdrawn
    consequences = (Partnership.ActReleased,)

    did: UUID
    by: str = attrs.field(kw_only=True)
    on: date = attrs.field(kw_only=True)
    reason: str | None = attrs.field(kw_only=True, default=None)

    def run(self, unit: Unit) -> None:
        dispute, partnership = with_partnership(unit, unit.dispute(self.did))
        dispute.withdraw(by=self.by, on=self.on, reason=self.reason, at=unit.now())
        release_if_resolved(dispute, partnership)


class DisputeDoors:
    """The named verbs of the disputes' acts (see [`door`][sharedsvc.acts.door])."""

    raise_dispute = door(RaiseDispute)
    state_dispute_position = door(StateDisputePosition)
    escalate_dispute = door(EscalateDispute)
    appoint_mediator = door(AppointMediator)
    propose_settlement = door(ProposeSettlement)
    accept_settlement = door(AcceptSettlement)
    determine_dispute = door(DetermineDispute)
    withdraw_dispute = door(WithdrawDispute)
