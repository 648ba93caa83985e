"""The events of a partnership, and its snapshot.

Each event has an explicit, stable topic (``sharedsvc:Partnership.Formed``) so that modules can
move without orphaning stored history, and carries the legal date ``on`` of the act besides
eventsourcing's recording ``timestamp``. Events carry their results (new terms, rebased pools,
concessions), so applying one never recomputes or re-checks anything. :class:`PartnershipEvents`
names them all, for :class:`~sharedsvc.domain.partnership.Partnership` to inherit.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any, TypeAlias
from uuid import UUID

import attrs
from eventsourcing.domain import Aggregate
from immutabledict import immutabledict

from sharedsvc.domain.aggregate import AggregateEvents, StateSnapshot
from sharedsvc.domain.dated import DatedEvent
from sharedsvc.domain.policy import Policy
from sharedsvc.domain.records import PooledFunction, Variation, VariationStatus, Withdrawal
from sharedsvc.domain.values import (
    Concession,
    CostPool,
    DecisionRef,
    Function,
    Money,
    Party,
    PartyId,
    Stage,
    Terms,
)

if TYPE_CHECKING:
    from sharedsvc.domain.partnership.aggregate import Partnership

__all__ = [
    "ActDeferred",
    "ActReleased",
    "Created",
    "Dissolved",
    "ExitCostsDetermined",
    "ExitPaymentSettled",
    "Formed",
    "FunctionPooled",
    "FunctionReturned",
    "NoteRecorded",
    "PartnershipEvent",
    "PartnershipEvents",
    "PartnershipSnapshot",
    "PartyAdmitted",
    "PartyWithdrew",
    "PositionStated",
    "StageChanged",
    "VariationAdopted",
    "VariationApproved",
    "VariationEvent",
    "VariationProposed",
    "VariationRejected",
    "WithdrawalNoticeRetracted",
    "WithdrawalNoticeServed",
]


class PartnershipEvent(DatedEvent):
    """Base of the partnership's events: each carries its legal date ``on``."""


class Created(PartnershipEvent, Aggregate.Created):
    """Base of the creation event (never triggered itself: see :class:`Formed`)."""

    TOPIC = "sharedsvc:Partnership.Created"


class Formed(Created):
    """The founders signed the agreement."""

    TOPIC = "sharedsvc:Partnership.Formed"
    name: str
    parties: tuple[Party, ...]
    terms: Terms
    stage: Stage
    policy: Policy
    ref: DecisionRef | None

    def apply(self, agg: Partnership) -> None:
        agg._initialise(
            name=self.name,
            policy=self.policy,
            parties={party.id: party for party in self.parties},
            active=[party.id for party in self.parties],
            terms=self.terms,
            stage=self.stage,
            formed_on=self.on,
            last_on=self.on,
        )


class VariationEvent(PartnershipEvent):
    """An event in a variation's life: it updates the variation's :class:`Variation` record.

    The partnership keeps the records of open variations only (and the status of closed
    ones), so that its state does not grow with its history;
    :func:`~sharedsvc.domain.partnership.variations.variation_records` rebuilds every record
    from the events."""

    variation_id: UUID

    def update(self, record: Variation) -> Variation:
        """The record of the variation after this event."""
        raise NotImplementedError  # pragma: no cover - every subclass says how


class VariationProposed(PartnershipEvent):
    TOPIC = "sharedsvc:Partnership.VariationProposed"
    variation: Variation

    def apply(self, agg: Partnership) -> None:
        agg.variations[self.variation.id] = self.variation


class PositionStated(VariationEvent):
    TOPIC = "sharedsvc:Partnership.PositionStated"
    party: PartyId
    position: immutabledict[str, Any]

    def update(self, record: Variation) -> Variation:
        return attrs.evolve(record, positions={**record.positions, self.party: self.position})

    def apply(self, agg: Partnership) -> None:
        agg.variations[self.variation_id] = self.update(agg.variations[self.variation_id])


class VariationApproved(VariationEvent):
    TOPIC = "sharedsvc:Partnership.VariationApproved"
    party: PartyId
    ref: DecisionRef | None

    def update(self, record: Variation) -> Variation:
        return attrs.evolve(record, approvals={**record.approvals, self.party: self.ref})

    def apply(self, agg: Partnership) -> None:
        agg.variations[self.variation_id] = self.update(agg.variations[self.variation_id])


class VariationRejected(VariationEvent):
    TOPIC = "sharedsvc:Partnership.VariationRejected"
    party: PartyId
    reason: str | None
    ref: DecisionRef | None

    def update(self, record: Variation) -> Variation:
        return attrs.evolve(
            record,
            status=VariationStatus.REJECTED,
            closed_on=self.on,
            rejected_by=self.party,
            reason=self.reason,
        )

    def apply(self, agg: Partnership) -> None:
        del agg.variations[self.variation_id]
        agg.closed[self.variation_id] = VariationStatus.REJECTED


class VariationAdopted(VariationEvent):
    """Every required party approved: the variation takes effect on ``effective``.

    Applying it applies the whole variation (new terms, joiners, dissolution), so that the
    state after every event is consistent; the :class:`PartyAdmitted` and :class:`Dissolved`
    events written with it name those consequences for the audit trail.
    """

    TOPIC = "sharedsvc:Partnership.VariationAdopted"
    terms: Terms
    effective: date
    concessions: tuple[Concession, ...]
    approved_by: tuple[PartyId, ...]

    def update(self, record: Variation) -> Variation:
        return attrs.evolve(
            record,
            status=VariationStatus.ADOPTED,
            closed_on=self.on,
            concessions=self.concessions,
            approved_by=self.approved_by,
        )

    def apply(self, agg: Partnership) -> None:
        v = agg.variations.pop(self.variation_id)
        agg.closed[self.variation_id] = VariationStatus.ADOPTED
        pending = bool(agg.scheduled)  # only in a view as of a date: see takes_effect
        if not agg.takes_effect(self.effective):
            agg.scheduled[v.id] = self.update(v)
            return
        # With an earlier variation still pending on the view's date, the terms recorded here
        # include its changes: apply only this variation's own.
        agg.terms = agg.terms.evolve(v.changes) if pending else self.terms
        for joiner in v.admit:
            _admit(agg, joiner)
        if v.dissolve:
            agg.dissolved_on = self.effective
            agg.final_account = v.final_account


def _admit(agg: Partnership, party: Party) -> None:
    agg.parties[party.id] = party
    if party.id not in agg.active:
        agg.active.append(party.id)


class PartyAdmitted(PartnershipEvent):
    """A party joined through an adopted variation (applied with :class:`VariationAdopted`)."""

    TOPIC = "sharedsvc:Partnership.PartyAdmitted"
    variation_id: UUID
    party: Party
    effective: date

    def apply(self, agg: Partnership) -> None:
        if self.variation_id not in agg.scheduled:
            _admit(agg, self.party)


class Dissolved(PartnershipEvent):
    """The partnership ends through an adopted variation, with its final account (applied
    with :class:`VariationAdopted`)."""

    TOPIC = "sharedsvc:Partnership.Dissolved"
    variation_id: UUID
    final_account: immutabledict[PartyId, Money] | None
    effective: date

    def apply(self, agg: Partnership) -> None:
        if self.variation_id not in agg.scheduled:
            agg.dissolved_on = self.effective
            agg.final_account = self.final_account


class StageChanged(PartnershipEvent):
    TOPIC = "sharedsvc:Partnership.StageChanged"
    from_stage: Stage
    to: Stage
    by: PartyId
    rationale: str | None
    ref: DecisionRef | None

    def apply(self, agg: Partnership) -> None:
        agg.stage = self.to


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


class FunctionPooled(PartnershipEvent):
    """A handover took effect: the shared service holds the function (written in the same save
    as the handover's own event)."""

    TOPIC = "sharedsvc:Partnership.FunctionPooled"
    handover_id: UUID
    from_party: PartyId
    function: Function

    def apply(self, agg: Partnership) -> None:
        pooled = PooledFunction(self.from_party, self.function, self.handover_id, self.on)
        agg.pooled[pooled.key] = pooled


class FunctionReturned(PartnershipEvent):
    """A pooled function went back to its council (written when its handover is recalled, or
    with a dissolution)."""

    TOPIC = "sharedsvc:Partnership.FunctionReturned"
    handover_id: UUID
    from_party: PartyId
    function: Function
    reason: str | None

    def apply(self, agg: Partnership) -> None:
        agg.pooled.pop(PooledFunction.key_of(self.from_party, self.function), None)


class ActDeferred(PartnershipEvent):
    """A dispute froze an act (a variation or a handover) until it is resolved."""

    TOPIC = "sharedsvc:Partnership.ActDeferred"
    act: UUID
    dispute_id: UUID

    def apply(self, agg: Partnership) -> None:
        agg.deferred[self.act] = self.dispute_id


class ActReleased(PartnershipEvent):
    """The dispute that froze an act was settled, determined or withdrawn."""

    TOPIC = "sharedsvc:Partnership.ActReleased"
    act: UUID
    dispute_id: UUID

    def apply(self, agg: Partnership) -> None:
        agg.deferred.pop(self.act, None)


class NoteRecorded(PartnershipEvent):
    """A member recorded an outside event that explains later acts; it changes no terms."""

    TOPIC = "sharedsvc:Partnership.NoteRecorded"
    kind: str
    text: str
    party: PartyId | None
    by: PartyId
    ref: DecisionRef | None

    def apply(self, agg: Partnership) -> None:
        pass


class PartnershipSnapshot(StateSnapshot):
    """The partnership's state at a version, stored so that loading skips older events."""

    TOPIC = "sharedsvc:Partnership.Snapshot"


class PartnershipEvents(AggregateEvents):
    """The partnership's events, inherited by :class:`~sharedsvc.domain.partnership.Partnership`
    (``Partnership.StageChanged``)."""

    Event: TypeAlias = PartnershipEvent
    Created: TypeAlias = Created
    Formed: TypeAlias = Formed
    VariationProposed: TypeAlias = VariationProposed
    PositionStated: TypeAlias = PositionStated
    VariationApproved: TypeAlias = VariationApproved
    VariationRejected: TypeAlias = VariationRejected
    VariationAdopted: TypeAlias = VariationAdopted
    PartyAdmitted: TypeAlias = PartyAdmitted
    Dissolved: TypeAlias = Dissolved
    StageChanged: TypeAlias = StageChanged
    WithdrawalNoticeServed: TypeAlias = WithdrawalNoticeServed
    WithdrawalNoticeRetracted: TypeAlias = WithdrawalNoticeRetracted
    ExitCostsDetermined: TypeAlias = ExitCostsDetermined
    ExitPaymentSettled: TypeAlias = ExitPaymentSettled
    PartyWithdrew: TypeAlias = PartyWithdrew
    FunctionPooled: TypeAlias = FunctionPooled
    FunctionReturned: TypeAlias = FunctionReturned
    ActDeferred: TypeAlias = ActDeferred
    ActReleased: TypeAlias = ActReleased
    NoteRecorded: TypeAlias = NoteRecorded
    Snapshot: TypeAlias = PartnershipSnapshot
