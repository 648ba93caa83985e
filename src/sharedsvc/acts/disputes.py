"""The acts on a dispute: raising it, climbing the ladder, settling or determining it.

Each class is one act of the catalogue (see [`sharedsvc.acts`][sharedsvc.acts]); its docstring is
the verb's. A dispute that is settled, determined or withdrawn releases the act it deferred, in the
same save.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from types import MappingProxyType
from typing import Any, TypeVar, cast
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
from sharedsvc.domain.values import DecisionRef, Rung

R = TypeVar("R", covariant=True)

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
    ref: DecisionRef | None = attrs.field(kw_only=True, default=None)

    def run(self, unit: Unit) -> UUID:
        partnership = unit.partnership(self.pid)
        disputed = (
            None
            if self.act is None
            else check_disputed_act(unit, partnership, self.act, self.defer)
        )
        dispute = Dispute.raise_(
            partnership, by=self.by, against=self.against, subject=self.subject, act=disputed,
            defer=self.defer, on=self.on, ref=self.ref, at=unit.now(),
        )  # fmt: skip
        return unit.add(dispute)


@attrs.frozen
class _OnDispute(Act[R]):
    """An act on an open dispute. It is carried out by the dispute's method named ``method``
    (the verb, unless the act says otherwise), called with the act's other fields. An act that
    may resolve the dispute (one whose consequences include releasing the act it deferred)
    acts at the act's one recorded time, since it may write to the partnership too, and then
    releases the deferred act if the dispute is resolved."""

    did: UUID

    def run(self, unit: Unit) -> R:
        arguments = self.arguments()
        dispute = unit.dispute(arguments.pop("did"))
        act = getattr(dispute, self.method or self.verb)
        if Partnership.ActReleased not in self.consequences:
            return cast(R, act(**arguments))
        dispute, partnership = with_partnership(unit, dispute)
        result = act(**arguments, at=unit.now())
        release_if_resolved(dispute, partnership)
        return cast(R, result)


@attrs.frozen
class StateDisputePosition(_OnDispute[None]):
    """``party`` states what it wants: subject -> value."""

    actor = "party"
    records = Dispute.PositionStated
    method = "state_position"

    party: str = attrs.field(kw_only=True)
    position: Mapping[str, Any] = attrs.field(kw_only=True, metadata=FREE_MAPPING)
    on: date = attrs.field(kw_only=True)
    by: str | None = attrs.field(kw_only=True, default=None)
    ref: DecisionRef | None = attrs.field(kw_only=True, default=None)


@attrs.frozen
class EscalateDispute(_OnDispute[Rung]):
    """Escalate the dispute one rung up the ladder; returns the new rung."""

    actor = "by"
    records = Dispute.Escalated
    method = "escalate"

    by: str = attrs.field(kw_only=True)
    reason: str | None = attrs.field(kw_only=True, default=None)
    on: date = attrs.field(kw_only=True)
    to: Rung | None = attrs.field(kw_only=True, default=None)
    ref: DecisionRef | None = attrs.field(kw_only=True, default=None)


@attrs.frozen
class AppointMediator(_OnDispute[None]):
    """Appoint a mediator, at the mediation rung."""

    actor = "by"
    records = Dispute.MediatorAppointed

    mediator: str = attrs.field(kw_only=True)
    by: str = attrs.field(kw_only=True)
    on: date = attrs.field(kw_only=True)
    ref: DecisionRef | None = attrs.field(kw_only=True, default=None)


@attrs.frozen
class ProposeSettlement(_OnDispute[None]):
    """Propose settlement terms: subject -> value."""

    actor = "by"
    records = Dispute.SettlementProposed

    by: str = attrs.field(kw_only=True)
    terms: Mapping[str, Any] = attrs.field(kw_only=True, metadata=FREE_MAPPING)
    on: date = attrs.field(kw_only=True)
    ref: DecisionRef | None = attrs.field(kw_only=True, default=None)


@attrs.frozen
class AcceptSettlement(_OnDispute[bool]):
    """``party`` accepts the proposed terms; returns whether that settled the dispute. Its
    ``ref`` is the authority the compromise ledger gives for what it conceded."""

    actor = "party"
    records = Dispute.SettlementAccepted
    consequences = (Dispute.Settled, Partnership.ActReleased)

    party: str = attrs.field(kw_only=True)
    on: date = attrs.field(kw_only=True)
    by: str | None = attrs.field(kw_only=True, default=None)
    ref: DecisionRef | None = attrs.field(kw_only=True, default=None)


@attrs.frozen
class DetermineDispute(_OnDispute[None]):
    """An arbiter determines the dispute (only at the top rung); binding."""

    actor = None
    records = Dispute.Determined
    consequences = (Partnership.ActReleased,)
    method = "determine"

    arbiter: str = attrs.field(kw_only=True)
    terms: Mapping[str, Any] = attrs.field(kw_only=True, metadata=FREE_MAPPING)
    on: date = attrs.field(kw_only=True)
    ref: DecisionRef | None = attrs.field(kw_only=True, default=None)


@attrs.frozen
class WithdrawDispute(_OnDispute[None]):
    """The party that raised the dispute withdraws it."""

    actor = "by"
    records = Dispute.Withdrawn
    consequences = (Partnership.ActReleased,)
    method = "withdraw"

    by: str = attrs.field(kw_only=True)
    on: date = attrs.field(kw_only=True)
    reason: str | None = attrs.field(kw_only=True, default=None)
    ref: DecisionRef | None = attrs.field(kw_only=True, default=None)


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
