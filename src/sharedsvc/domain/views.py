"""Immutable views of aggregates: what queries return and what invariants inspect."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

import attrs
from immutabledict import immutabledict

from sharedsvc.domain.dispute import Dispute, DisputeStatus
from sharedsvc.domain.handover import SovereigntyHandover
from sharedsvc.domain.partnership import Partnership
from sharedsvc.domain.policy import Policy
from sharedsvc.domain.records import PooledFunction, Succession, Variation, Withdrawal
from sharedsvc.domain.transfers import DataRole, StaffTransfer
from sharedsvc.domain.values import (
    Concession,
    DecisionRef,
    Function,
    Money,
    Party,
    PartyId,
    Rung,
    Stage,
    Terms,
)

__all__ = ["DisputeView", "HandoverView", "PartnershipView", "RungReached"]


@attrs.frozen
class PartnershipView:
    """A partnership as it stands (or stood): immutable, safe to keep and compare.

    ``active_parties`` lists the current members in order of joining (none once the
    partnership is dissolved: ``members_at_dissolution`` then lists those it had);
    ``parties`` every party the partnership ever had.
    ``withdrawals`` maps each party with a notice in progress to the date it can take effect,
    and ``exits`` gives the whole record of every withdrawal, in progress or completed
    (completed ones first, in the order the parties left, each with its ``completed_on``;
    then those in progress): notice, exit costs, payment.
    ``open_variations`` holds the variations awaiting approval and ``closed_variations`` the
    status of the others (``"adopted"`` or ``"rejected"``): their whole records, with
    positions and concessions, come from [`variations`][sharedsvc.SharedServices.variations].
    (A partnership's snapshots leave those statuses out, so a view of one loaded from a
    snapshot reads them from the record the first time it is asked: ask while the application
    is open.)
    ``scheduled`` lists adopted variations whose changes take effect after ``as_of``.
    ``successions`` maps each party succeeded by others (on a vesting day) to its
    [`Succession`][sharedsvc.Succession].
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
    closed_variations: Mapping[UUID, str]
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
    members_at_dissolution: tuple[PartyId, ...] = ()
    successions: immutabledict[PartyId, Succession] = attrs.field(factory=immutabledict)

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
            active_parties=() if agg.dissolved_on is not None else tuple(agg.active),
            parties=immutabledict(agg.parties),
            policy=agg.policy,
            pooled_functions=tuple(agg.pooled.values()),
            exits=immutabledict({**(agg.exited or {}), **agg.withdrawals}),
            open_variations=immutabledict(agg.variations),
            closed_variations=agg.closed.frozen(),
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
            members_at_dissolution=() if agg.dissolved_on is None else tuple(agg.active),
            successions=immutabledict(agg.successions),
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
        """Each party with a notice in progress -> the date its withdrawal can take effect."""
        return immutabledict(
            (party, w.effective) for party, w in self.exits.items() if w.completed_on is None
        )

    def share(self, pool: str, party: str) -> Decimal:
        """``party``'s percentage share of the cost pool named ``pool``."""
        for cost_pool in self.terms.cost_pools:
            if cost_pool.name == pool:
                return cost_pool.shares[PartyId(party)]
        raise KeyError(pool)


@attrs.frozen
class HandoverView:
    """A sovereignty handover as it stands (or stood).

    ``consents`` maps each party that consented to its decision reference (``None`` where it
    gave none); ``withheld`` each party that withheld consent to its reason. ``status`` is
    ``"proposed"``, ``"effected"``, ``"recalled"`` or ``"withdrawn"``; ``effected_on`` the
    date it took effect and ``recalled_on`` the date the function went back to its council
    (``None`` until then; with several from-parties, the day the last share went back).

    ``from_parties`` lists every party that cedes the function (a service combined from
    several councils), ``from_party`` first: the one that proposed it. Each share is pooled on
    its own; ``returned`` lists the from-parties that took theirs back while others stay
    pooled (the handover is ``"recalled"`` once every share is back). A succession of a
    ceding party puts its successors in its place in ``from_parties``; ``ceded_by`` then names
    every party that cedes the function in place of the proposer's original list.
    """

    id: UUID
    partnership_id: UUID
    function: Function
    from_party: PartyId
    staff: tuple[StaffTransfer, ...]
    assets: tuple[str, ...]
    data_role: DataRole | None
    rationale: str | None
    consents: immutabledict[PartyId, DecisionRef | None]
    withheld: immutabledict[PartyId, str | None]
    status: str
    proposed_on: date
    effected_on: date | None
    last_on: date
    version: int
    recorded_at: datetime
    as_of: date | None = None
    known_at: datetime | None = None
    recalled_on: date | None = None
    from_parties: tuple[PartyId, ...] = ()
    returned: tuple[PartyId, ...] = ()
    ceded_by: tuple[PartyId, ...] = ()

    @classmethod
    def of(
        cls, agg: SovereigntyHandover, *, as_of: date | None = None,
        known_at: datetime | None = None,
    ) -> HandoverView:  # fmt: skip
        """The view of ``agg``."""
        return cls(
            id=agg.id,
            partnership_id=agg.partnership_id,
            function=agg.function,
            from_party=agg.from_party,
            staff=agg.staff,
            assets=agg.assets,
            data_role=agg.data_role,
            rationale=agg.rationale,
            consents=immutabledict(agg.consents),
            withheld=immutabledict(agg.withheld),
            status=agg.status,
            proposed_on=agg.proposed_on,
            effected_on=agg.effected_on,
            recalled_on=agg.recalled_on,
            last_on=agg.last_on,
            version=agg.version,
            recorded_at=agg.modified_on,
            as_of=as_of,
            known_at=known_at,
            from_parties=agg.from_parties,
            returned=agg.returned,
            ceded_by=agg.ceded_by,
        )


@attrs.frozen
class RungReached:
    """A rung of the ladder a dispute reached: when, and why it was escalated there."""

    rung: Rung
    on: date
    reason: str | None


@attrs.frozen
class DisputeView:
    """A dispute as it stands (or stood).

    ``parties`` lists every disputing party (the one that raised it first); ``rungs`` each rung
    reached with its date and reason; ``status`` is ``"open"``, ``"settled"``,
    ``"determined"`` or ``"withdrawn"``, and ``closed_on`` the date it was settled,
    determined or withdrawn (``None`` while open); ``terms`` the settled or determined terms,
    and ``concessions`` what each party conceded by them.
    """

    id: UUID
    partnership_id: UUID
    raised_by: PartyId
    parties: tuple[PartyId, ...]
    subject: str
    act: UUID | None
    deferred: bool
    rung: Rung
    ladder: tuple[Rung, ...]
    rungs: tuple[RungReached, ...]
    positions: immutabledict[PartyId, immutabledict[str, Any]]
    proposal: immutabledict[str, Any] | None
    accepted: tuple[PartyId, ...]
    mediator: str | None
    status: str
    terms: immutabledict[str, Any] | None
    concessions: tuple[Concession, ...]
    last_on: date
    version: int
    recorded_at: datetime
    as_of: date | None = None
    known_at: datetime | None = None
    closed_on: date | None = None

    @classmethod
    def of(
        cls, agg: Dispute, *, as_of: date | None = None, known_at: datetime | None = None
    ) -> DisputeView:
        """The view of ``agg``."""
        return cls(
            id=agg.id,
            partnership_id=agg.partnership_id,
            raised_by=agg.raised_by,
            parties=agg.parties,
            subject=agg.subject,
            act=agg.act,
            deferred=agg.deferred and agg.status is DisputeStatus.OPEN,
            rung=agg.rung,
            ladder=agg.ladder,
            rungs=tuple(RungReached(*reached) for reached in agg.rungs),
            positions=immutabledict(agg.positions),
            proposal=agg.proposal,
            accepted=tuple(agg.accepted),
            mediator=agg.mediator,
            status=agg.status,
            terms=agg.outcome,
            concessions=agg.concessions,
            closed_on=agg.closed_on,
            last_on=agg.last_on,
            version=agg.version,
            recorded_at=agg.modified_on,
            as_of=as_of,
            known_at=known_at,
        )
