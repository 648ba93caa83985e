"""The event of a statutory succession: a party abolished and replaced by its successors on a
vesting day (a structural changes order), which is neither a withdrawal nor a variation."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypeAlias

import attrs
from immutabledict import immutabledict

from sharedsvc.domain.aggregate import AggregateEvents
from sharedsvc.domain.partnership.division import divided_pools
from sharedsvc.domain.partnership.events.base import PartnershipEvent
from sharedsvc.domain.records import PooledFunction, Succession, Withdrawal
from sharedsvc.domain.values import CostPool, DecisionRef, Party, PartyId

if TYPE_CHECKING:
    from sharedsvc.domain.partnership.aggregate import Partnership

__all__ = ["PartySucceeded", "SuccessionEvents"]


class PartySucceeded(PartnershipEvent):
    """``predecessor`` was succeeded by ``successors`` on the vesting day ``on``.

    The event carries every result: the parties that joined (``successors`` that were not
    members already), the active parties after it (``active``), the cost pools with the
    predecessor's shares divided by ``split``, the host, the functions now pooled from the
    successors and their withdrawals in progress (each inherited from the predecessor)."""

    TOPIC = "sharedsvc:Partnership.PartySucceeded"
    predecessor: PartyId
    successors: tuple[Party, ...]
    split: immutabledict[PartyId, Decimal]
    active: tuple[PartyId, ...]
    cost_pools: tuple[CostPool, ...]
    host: PartyId | None
    pooled: tuple[PooledFunction, ...]
    withdrawals: tuple[Withdrawal, ...]
    ref: DecisionRef | None

    def apply(self, agg: Partnership) -> None:
        for successor in self.successors:
            agg.parties.setdefault(successor.id, successor)
        agg.active[:] = self.active
        pools = self.cost_pools
        if agg.scheduled:  # a view as of a date, with pools that differ from the live ones
            pools = divided_pools(
                agg.terms.cost_pools, self.predecessor, self.split, agg.active,
                agg.policy.share_places,
            )  # fmt: skip
        agg.terms = attrs.evolve(agg.terms, cost_pools=pools, host=self.host)
        for key in [k for k, p in agg.pooled.items() if p.from_party == self.predecessor]:
            del agg.pooled[key]
        for pooled in self.pooled:
            agg.pooled[pooled.key] = pooled
        agg.withdrawals.pop(self.predecessor, None)
        for withdrawal in self.withdrawals:
            agg.withdrawals[withdrawal.party] = withdrawal
        for vid, variation in list(agg.variations.items()):
            agg.variations[vid] = self.update(variation)
        agg.successions[self.predecessor] = self.succession

    @property
    def succession(self) -> Succession:
        """The record of this succession, as `PartnershipView.successions` shows it."""
        return Succession(
            tuple(party.id for party in self.successors), self.split, self.on, self.ref
        )

    def update(self, variation: Any) -> Any:
        """An open variation after the succession: the predecessor's approval lapses."""
        if self.predecessor not in variation.approvals:
            return variation
        approvals = {p: r for p, r in variation.approvals.items() if p != self.predecessor}
        return attrs.evolve(variation, approvals=approvals)


class SuccessionEvents(AggregateEvents):
    """This module's part of `sharedsvc.domain.partnership.events.PartnershipEvents`."""

    PartySucceeded: TypeAlias = PartySucceeded
