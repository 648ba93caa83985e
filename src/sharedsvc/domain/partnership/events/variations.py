"""The events of a variation's life, and the consequences an adopted one names for the audit
trail (a party admitted, the partnership dissolved)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any, TypeAlias
from uuid import UUID

import attrs
from immutabledict import immutabledict

from sharedsvc.domain.aggregate import AggregateEvents
from sharedsvc.domain.partnership.events.base import PartnershipEvent
from sharedsvc.domain.records import Variation, VariationStatus
from sharedsvc.domain.values import Concession, DecisionRef, Money, Party, PartyId, Terms

if TYPE_CHECKING:
    from sharedsvc.domain.partnership.aggregate import Partnership

__all__ = [
    "Dissolved",
    "PartyAdmitted",
    "PositionStated",
    "VariationAdopted",
    "VariationApproved",
    "VariationEvent",
    "VariationEvents",
    "VariationProposed",
    "VariationRejected",
]


class VariationEvent(PartnershipEvent):
    """An event in a variation's life: it updates the variation's `Variation` record.

    The partnership keeps the records of open variations only (and the status of closed
    ones), so that its state does not grow with its history;
    `sharedsvc.domain.partnership.variations.variation_records` rebuilds every record
    from the events. Applying one updates the open variation's record, unless the event
    closes it (and says how)."""

    variation_id: UUID

    def update(self, record: Variation) -> Variation:
        """The record of the variation after this event."""
        raise NotImplementedError  # pragma: no cover - every subclass says how

    def apply(self, agg: Partnership) -> None:
        agg.variations[self.variation_id] = self.update(agg.variations[self.variation_id])


class VariationProposed(PartnershipEvent):
    TOPIC = "sharedsvc:Partnership.VariationProposed"
    variation: Variation

    def apply(self, agg: Partnership) -> None:
        agg.variations[self.variation.id] = self.variation


class PositionStated(VariationEvent):
    TOPIC = "sharedsvc:Partnership.PositionStated"
    party: PartyId
    position: immutabledict[str, Any]
    ref: DecisionRef | None = None  # added after 0.1.0: a position stored before has none

    def update(self, record: Variation) -> Variation:
        return attrs.evolve(record, positions={**record.positions, self.party: self.position})


class VariationApproved(VariationEvent):
    TOPIC = "sharedsvc:Partnership.VariationApproved"
    party: PartyId
    ref: DecisionRef | None

    def update(self, record: Variation) -> Variation:
        return attrs.evolve(record, approvals={**record.approvals, self.party: self.ref})


class VariationRejected(VariationEvent):
    TOPIC = "sharedsvc:Partnership.VariationRejected"
    closes_as = VariationStatus.REJECTED  # what the partnership remembers of it (`.closed`)
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
        agg.closed.close(self.variation_id, self.closes_as)


class VariationAdopted(VariationEvent):
    """Every required party approved: the variation takes effect on ``effective``.

    Applying it applies the whole variation (new terms, joiners, dissolution), so that the
    state after every event is consistent; the `PartyAdmitted` and `Dissolved`
    events written with it name those consequences for the audit trail.
    """

    TOPIC = "sharedsvc:Partnership.VariationAdopted"
    closes_as = VariationStatus.ADOPTED
    terms: Terms
    effective: date
    concessions: tuple[Concession, ...]
    approved_by: tuple[PartyId, ...]
    name: str | None = None  # the new name of a rename (added after 0.1.0: none before)

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
        agg.closed.close(self.variation_id, self.closes_as)
        pending = bool(agg.scheduled)  # only in a view as of a date: see takes_effect
        if not agg.takes_effect(self.effective):
            agg.scheduled[v.id] = self.update(v)
            return
        # With an earlier variation still pending on the view's date, the terms recorded here
        # include its changes: apply only this variation's own.
        agg.terms = agg.terms.evolve(v.term_changes) if pending else self.terms
        if self.name is not None:
            agg.name = self.name
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
    """A party joined through an adopted variation (applied with `VariationAdopted`)."""

    TOPIC = "sharedsvc:Partnership.PartyAdmitted"
    variation_id: UUID
    party: Party
    effective: date

    def apply(self, agg: Partnership) -> None:
        if self.variation_id not in agg.scheduled:
            _admit(agg, self.party)


class Dissolved(PartnershipEvent):
    """The partnership ends through an adopted variation, with its final account (applied
    with `VariationAdopted`)."""

    TOPIC = "sharedsvc:Partnership.Dissolved"
    variation_id: UUID
    final_account: immutabledict[PartyId, Money] | None
    effective: date

    def apply(self, agg: Partnership) -> None:
        if self.variation_id not in agg.scheduled:
            agg.dissolved_on = self.effective
            agg.final_account = self.final_account


class VariationEvents(AggregateEvents):
    """This module's part of `sharedsvc.domain.partnership.events.PartnershipEvents`."""

    VariationProposed: TypeAlias = VariationProposed
    PositionStated: TypeAlias = PositionStated
    VariationApproved: TypeAlias = VariationApproved
    VariationRejected: TypeAlias = VariationRejected
    VariationAdopted: TypeAlias = VariationAdopted
    PartyAdmitted: TypeAlias = PartyAdmitted
    Dissolved: TypeAlias = Dissolved
