"""The events of a partnership, and its snapshot.

Each event has an explicit, stable topic (``sharedsvc:Partnership.Formed``) so that modules can
move without orphaning stored history, and carries the legal date ``on`` of the act besides
eventsourcing's recording ``timestamp``. Events carry their results (new terms, rebased pools,
concessions), so applying one never recomputes or re-checks anything.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING, Any, cast
from uuid import UUID

import attrs
from eventsourcing.domain import Aggregate, Snapshot
from eventsourcing.utils import get_topic, register_topic, resolve_topic
from immutabledict import immutabledict

from sharedsvc.domain.dated import DatedEvent
from sharedsvc.domain.policy import Policy
from sharedsvc.domain.records import ADOPTED, REJECTED, PooledFunction, Variation, Withdrawal
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
    freeze,
)

if TYPE_CHECKING:
    from sharedsvc.domain.partnership import Partnership

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
    "PartnershipEvent",
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
    "variation_records",
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
        agg.name = self.name
        agg.policy = self.policy
        agg.parties = {party.id: party for party in self.parties}
        agg.active = [party.id for party in self.parties]
        agg.terms = self.terms
        agg.stage = self.stage
        agg.formed_on = self.on
        agg.last_on = self.on
        agg.variations = {}
        agg.closed = {}
        agg.withdrawals = {}
        agg.pooled = {}
        agg.deferred = {}
        agg.dissolved_on = None
        agg.final_account = None
        agg.scheduled = {}
        agg.cutoff = None


class VariationEvent(PartnershipEvent):
    """An event in a variation's life: it updates the variation's :class:`Variation` record.

    The partnership keeps the records of open variations only (and the status of closed
    ones), so that its state does not grow with its history; :func:`variation_records`
    rebuilds every record from the events."""

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
            record, status=REJECTED, closed_on=self.on, rejected_by=self.party, reason=self.reason
        )

    def apply(self, agg: Partnership) -> None:
        del agg.variations[self.variation_id]
        agg.closed[self.variation_id] = REJECTED


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
            status=ADOPTED,
            closed_on=self.on,
            concessions=self.concessions,
            approved_by=self.approved_by,
        )

    def apply(self, agg: Partnership) -> None:
        v = agg.variations.pop(self.variation_id)
        agg.closed[self.variation_id] = ADOPTED
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
        agg.withdrawals.pop(self.party, None)
        pools = self.cost_pools
        if agg.scheduled:  # a view as of a date, with pools that differ from the live ones
            pools = tuple(agg.policy.rebase(pool, agg.active) for pool in agg.terms.cost_pools)
        agg.terms = attrs.evolve(agg.terms, cost_pools=pools)


class FunctionPooled(PartnershipEvent):
    """A handover took effect: the shared service holds the function (written with the
    handover's ``Effected``)."""

    TOPIC = "sharedsvc:Partnership.FunctionPooled"
    handover_id: UUID
    from_party: PartyId
    function: Function

    def apply(self, agg: Partnership) -> None:
        pooled = PooledFunction(self.from_party, self.function, self.handover_id, self.on)
        agg.pooled[pooled.key] = pooled


class FunctionReturned(PartnershipEvent):
    """A pooled function went back to its council (written with the handover's ``Recalled``,
    or with a dissolution)."""

    TOPIC = "sharedsvc:Partnership.FunctionReturned"
    handover_id: UUID
    from_party: PartyId
    function: Function
    reason: str | None

    def apply(self, agg: Partnership) -> None:
        agg.pooled.pop(f"{self.from_party}/{self.function.id}", None)


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


class PartnershipSnapshot(Snapshot):
    """The partnership's state at a version, stored so that loading skips older events."""

    TOPIC = "sharedsvc:Partnership.Snapshot"

    @classmethod
    def take(cls, aggregate: Any) -> Any:
        agg = cast("Partnership", aggregate)
        state = {
            "created_on": agg.created_on,
            "modified_on": agg.modified_on,
            "name": agg.name,
            "policy": agg.policy,
            "parties": list(agg.parties.values()),
            "active": list(agg.active),
            "terms": agg.terms,
            "stage": agg.stage,
            "formed_on": agg.formed_on,
            "last_on": agg.last_on,
            "variations": list(agg.variations.values()),
            "closed": {variation_id.hex: status for variation_id, status in agg.closed.items()},
            "withdrawals": list(agg.withdrawals.values()),
            "pooled": list(agg.pooled.values()),
            "deferred": [[act, dispute] for act, dispute in agg.deferred.items()],
            "dissolved_on": agg.dissolved_on,
            "final_account": agg.final_account,
        }
        return cls(
            originator_id=agg.id,
            originator_version=agg.version,
            timestamp=cls.create_timestamp(),
            topic=get_topic(type(agg)),
            state=state,
        )

    def mutate(self, _: Any) -> Any:
        s = self.state
        agg = cast("Partnership", object.__new__(resolve_topic(self.topic)))
        agg.__dict__.update(
            _id=self.originator_id,
            _version=self.originator_version,
            _created_on=s["created_on"],
            _modified_on=s["modified_on"],
            _pending_events=[],
            name=s["name"],
            policy=s["policy"],
            parties={party.id: party for party in s["parties"]},
            active=list(s["active"]),
            terms=s["terms"],
            stage=s["stage"],
            formed_on=s["formed_on"],
            last_on=s["last_on"],
            variations={v.id: v for v in s["variations"]},
            closed={UUID(hex_id): status for hex_id, status in s["closed"].items()},
            withdrawals={w.party: w for w in s["withdrawals"]},
            pooled={p.key: p for p in s["pooled"]},
            deferred=dict(s["deferred"]),
            dissolved_on=s["dissolved_on"],
            final_account=freeze(s["final_account"]),
            scheduled={},
            cutoff=None,
        )
        return agg


def variation_records(events: Iterable[Any]) -> dict[UUID, Variation]:
    """The record of every variation proposed in ``events`` (a partnership's), oldest first."""
    records: dict[UUID, Variation] = {}
    for event in events:
        if isinstance(event, VariationProposed):
            records[event.variation.id] = event.variation
        elif isinstance(event, VariationEvent):
            records[event.variation_id] = event.update(records[event.variation_id])
    return records


# The snapshot class is not an aggregate event, so eventsourcing does not register its topic.
register_topic(PartnershipSnapshot.TOPIC, PartnershipSnapshot)
