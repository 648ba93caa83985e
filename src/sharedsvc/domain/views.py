"""Immutable views of aggregates: what queries return and what invariants inspect."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from uuid import UUID

import attrs
from immutabledict import immutabledict

from sharedsvc.domain.partnership import Partnership
from sharedsvc.domain.policy import Policy
from sharedsvc.domain.records import PooledFunction, Variation, Withdrawal
from sharedsvc.domain.values import Money, Party, PartyId, Stage, Terms

__all__ = ["PartnershipView"]


@attrs.frozen
class PartnershipView:
    """A partnership as it stands (or stood): immutable, safe to keep and compare.

    ``active_parties`` lists the current members in order of joining; ``parties`` every party
    the partnership ever had. ``withdrawals`` maps each party with a served notice to the date
    it can take effect, and ``exits`` gives the whole record (exit costs, payment).
    ``open_variations`` holds the variations awaiting approval and ``closed_variations`` the
    status of the others (``"adopted"`` or ``"rejected"``): their whole records, with
    positions and concessions, come from :meth:`~sharedsvc.SharedServices.variations`.
    ``scheduled`` lists adopted variations whose changes take effect after ``as_of``.
    """

    id: UUID
    name: str
    stage: Stage
    terms: Terms
    active_parties: tuple[PartyId, ...]
    parties: immutabledict[PartyId, Party]
    policy: Policy
    pooled_functions: tuple[PooledFunction, ...]
    exits: immutabledict[PartyId, Withdrawal]
    open_variations: immutabledict[UUID, Variation]
    closed_variations: immutabledict[UUID, str]
    deferred: immutabledict[UUID, UUID]
    dissolved_on: date | None
    final_account: immutabledict[PartyId, Money] | None
    formed_on: date
    last_on: date
    version: int
    recorded_at: datetime
    scheduled: tuple[UUID, ...] = ()
    scheduled_variations: tuple[Variation, ...] = ()
    as_of: date | None = None
    known_at: datetime | None = None

    @classmethod
    def of(
        cls, agg: Partnership, *, as_of: date | None = None, known_at: datetime | None = None
    ) -> PartnershipView:
        """The view of ``agg`` (which is not kept: every container is copied)."""
        return cls(
            id=agg.id,
            name=agg.name,
            stage=agg.stage,
            terms=agg.terms,
            active_parties=tuple(agg.active),
            parties=immutabledict(agg.parties),
            policy=agg.policy,
            pooled_functions=tuple(agg.pooled.values()),
            exits=immutabledict(agg.withdrawals),
            open_variations=immutabledict(agg.variations),
            closed_variations=immutabledict(agg.closed),
            deferred=immutabledict(agg.deferred),
            dissolved_on=agg.dissolved_on,
            final_account=agg.final_account,
            formed_on=agg.formed_on,
            last_on=agg.last_on,
            version=agg.version,
            recorded_at=agg.modified_on,
            scheduled=tuple(agg.scheduled),
            scheduled_variations=tuple(agg.scheduled.values()),
            as_of=as_of,
            known_at=known_at,
        )

    @property
    def host(self) -> PartyId | None:
        """The host (lead) authority, if the terms name one."""
        return self.terms.host

    @property
    def dissolved(self) -> bool:
        """Whether the partnership has been dissolved."""
        return self.dissolved_on is not None

    @property
    def withdrawals(self) -> immutabledict[PartyId, date]:
        """Each party that served notice -> the date its withdrawal can take effect."""
        return immutabledict((party, w.effective) for party, w in self.exits.items())

    def share(self, pool: str, party: str) -> Decimal:
        """``party``'s percentage share of the cost pool named ``pool``."""
        for cost_pool in self.terms.cost_pools:
            if cost_pool.name == pool:
                return cost_pool.shares[PartyId(party)]
        raise KeyError(pool)
