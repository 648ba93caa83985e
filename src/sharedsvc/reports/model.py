"""The facts of an audit report, gathered once from an application.

[`gather`][sharedsvc.reports.gather] reads a partnership's record (its view, its own events, its
variations, the handovers and disputes raised in it, the compromise ledger and the audit trail) into
a [`PartnershipReport`][sharedsvc.reports.PartnershipReport], an immutable value that every renderer
works from: Markdown, HTML and the timeline picture show the same facts because they read the same
report.

The handovers and disputes of a partnership are the ones its audit trail names: every trail
entry carries ``aggregate`` (``"handover"``, ``"dispute"``) and ``aggregate_id``.

This module draws nothing and must not import matplotlib.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID

import attrs
from immutabledict import immutabledict

from sharedsvc import acts
from sharedsvc.application import SharedServices
from sharedsvc.domain.partnership import Partnership
from sharedsvc.domain.records import Variation
from sharedsvc.domain.values import CostPool, DecisionRef, Money, PartyId, Stage
from sharedsvc.domain.views import HandoverView, PartnershipView
from sharedsvc.projections.audit import AuditEntry
from sharedsvc.projections.audit_narrator import DISPUTE, HANDOVER
from sharedsvc.projections.audit_values import joined, short_id
from sharedsvc.projections.compromises import CompromiseEntry
from sharedsvc.projections.notes import NoteEntry
from sharedsvc.reports import model_reading as reading
from sharedsvc.reports.model_reading import GATHER_STEPS
from sharedsvc.reports.model_records import (
    DisputeRecord,
    HandoverRecord,
    dispute_record,
    handover_record,
)
from sharedsvc.reports.model_standing import Standing, standing
from sharedsvc.store import project_through

__all__ = [
    "GATHER_STEPS",
    "CostShares",
    "DisputeRecord",
    "HandoverRecord",
    "Membership",
    "NameInForce",
    "PartnershipReport",
    "StageStep",
    "Standing",
    "gather",
]


@attrs.frozen
class Membership:
    """One party's time in the partnership, from joining to leaving.

    ``joined`` is the date membership took effect (formation for a founder; the admitting
    variation's effective date for a joiner, whose ``admitted_on`` is the date that variation
    was adopted). The notice fields describe the last withdrawal notice served (and
    ``notice_retracted_on`` says if it was taken back); ``left`` is the date the withdrawal was
    completed. A party that left and joined again has one membership for each time. A party
    succeeded by others on a vesting day ``left`` then, handing its seat to ``successors``; a
    successor's membership names its ``predecessor`` (a current party that absorbs one keeps
    its own membership)."""

    party: PartyId
    name: str
    joined: date
    founder: bool
    admitted_on: date | None = None
    notice_served_on: date | None = None
    notice_effective: date | None = None
    notice_retracted_on: date | None = None
    exit_costs: Money | None = None
    exit_paid: Money | None = None
    left: date | None = None
    successors: tuple[PartyId, ...] = ()
    predecessor: PartyId | None = None


@attrs.frozen
class NameInForce:
    """A name the partnership had, from ``effective`` (its formation, or the effective date
    of the variation that renamed it, adopted on ``adopted_on``)."""

    effective: date
    name: str
    adopted_on: date


@attrs.frozen
class CostShares:
    """The cost pools in force from ``effective``, and what changed them (``cause``)."""

    effective: date
    cost_pools: tuple[CostPool, ...]
    cause: str


@attrs.frozen
class StageStep:
    """The partnership reached stage ``to`` on ``on`` (``from_stage`` is ``None`` for the
    stage it was formed at)."""

    on: date
    to: Stage
    from_stage: Stage | None
    by: PartyId | None
    rationale: str | None
    ref: DecisionRef | None

    @property
    def forward(self) -> bool:
        """Whether the step moved along the continuum (formation counts as forward)."""
        return self.from_stage is None or self.to > self.from_stage


@attrs.frozen
class PartnershipReport:
    """Everything an audit report of one partnership shows, read once from the record.

    ``view`` is the partnership as it stands; ``memberships``, ``cost_shares`` and ``stages``
    its history in date order; ``variations`` every variation's record, oldest first;
    ``handovers`` and ``disputes`` those raised in it, in the order the trail first names
    them; ``compromises`` the compromise ledger (party -> entries); ``trail`` every audit entry
    in log order. ``until`` is where the report's time runs to: the dissolution, or else the
    latest date the record names. ``generated_at`` is when the report was gathered (UTC).
    ``approved_on`` gives, for each variation, the date of each party's latest approval;
    ``names`` is every name the partnership had, the first its name at formation; ``notes``
    the outside events recorded (`sharedsvc.SharedServices.notes`), in log order;
    ``standing`` the readiness, targets, obligations and balance as they stood on the date
    the report was taken on (its ``as_of``)."""

    view: PartnershipView
    generated_at: datetime
    until: date
    memberships: tuple[Membership, ...]
    cost_shares: tuple[CostShares, ...]
    stages: tuple[StageStep, ...]
    variations: tuple[Variation, ...]
    handovers: tuple[HandoverRecord, ...]
    disputes: tuple[DisputeRecord, ...]
    compromises: immutabledict[str, tuple[CompromiseEntry, ...]]
    trail: tuple[AuditEntry, ...]
    approved_on: immutabledict[UUID, immutabledict[str, date]] = attrs.field(factory=immutabledict)
    names: tuple[NameInForce, ...] = ()
    notes: tuple[NoteEntry, ...] = ()
    standing: Standing = attrs.field(factory=Standing)

    @property
    def name(self) -> str:
        """The partnership's name."""
        return self.view.name

    @property
    def since(self) -> date:
        """The date the partnership was formed."""
        return self.view.formed_on

    def party_name(self, party: str | None) -> str:
        """A party's name (its id where the partnership never had it; ``"—"`` for none)."""
        if party is None:
            return "—"
        known = self.view.parties.get(PartyId(party))
        return known.name if known is not None else party

    def ceding_names(self, handover: HandoverView) -> str:
        """The names of every party a handover cedes the function from (``A and B``)."""
        return joined(map(self.party_name, handover.from_parties or (handover.from_party,)))

    def adopted(self) -> tuple[Variation, ...]:
        """The adopted variations, in the order they were adopted."""
        chosen = [v for v in self.variations if v.status == "adopted"]
        return tuple(sorted(chosen, key=lambda v: v.closed_on or v.proposed_on))

    def describe_act(self, act: UUID | None) -> str:
        """A variation or handover that a dispute is about, in words."""
        if act is None:
            return "no particular act"
        for handover in self.handovers:
            if handover.view.id == act:
                view = handover.view
                return f"the handover of {view.function.name} from {self.ceding_names(view)}"
        for variation in self.variations:
            if variation.id == act:
                return f"variation {short_id(act)}" + (
                    f" ({variation.rationale})" if variation.rationale else ""
                )
        return f"act {short_id(act)}"


def gather(
    app: SharedServices,
    pid: UUID | str,
    *,
    generated_at: datetime | None = None,
    as_of: date | None = None,
    progress: Callable[[int], None] | None = None,
) -> PartnershipReport:
    """Read everything an audit report of partnership ``pid`` shows, once.

    Raises [`NotFound`][sharedsvc.NotFound] for an unknown partnership. ``generated_at`` (default:
    now) is printed on the report; a naive datetime is read as UTC. ``as_of`` (default: the
    day of ``generated_at``, in UTC) is the date readiness, targets, obligations and balance
    are read on: an obligation is overdue if it is past due on that date. ``progress``, if
    given, is called with the number of parts read so far, up to `GATHER_STEPS`."""
    view = app.partnership(pid)  # type: ignore[arg-type]  # NotFound for an unknown id
    done = reading.steps(progress)
    moment = datetime.now(UTC) if generated_at is None else generated_at
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    trail = tuple(app.iter_audit_trail(view.id))
    done()
    events: list[Any] = list(app.events.get(view.id))
    done()
    variations = app.variations(view.id)
    done()
    memberships = _memberships(events)
    inherited = reading.inherited(events)
    handovers = tuple(
        handover_record(app.handover(h), trail, inherited.get(h), app.events.get(h))
        for h in reading.named(trail, HANDOVER)
    )
    done()
    disputes = tuple(
        dispute_record(app.dispute(d), trail, app.events.get(d))
        for d in reading.named(trail, DISPUTE)
    )
    done()
    ledger = app.compromises(view.id)
    done()
    cost_shares = _cost_shares(app, view, events, variations)
    done()
    day = moment.astimezone(UTC).date() if as_of is None else as_of
    report = PartnershipReport(
        view=view,
        generated_at=moment.astimezone(UTC),
        until=reading.until(view, trail, memberships),
        memberships=memberships,
        cost_shares=cost_shares,
        stages=tuple(_stages(events)),
        variations=variations,
        handovers=handovers,
        disputes=disputes,
        compromises=immutabledict((p, tuple(entries)) for p, entries in ledger.items()),
        trail=trail,
        approved_on=reading.approval_dates(events),
        names=tuple(_names(events)),
        notes=tuple(app.notes(view.id)),
        standing=standing(app, view, day, events),
    )
    done()
    return report


# --- the pieces -------------------------------------------------------------------------------

# The admission of a party, written with the adoption of the variation that admits it.
_ADMITTED = acts.ApproveVariation.consequence("party")
_ADOPTED = acts.ApproveVariation.consequence("approved_by")


def _names(events: Iterable[Any]) -> Iterator[NameInForce]:
    """The partnership's name at formation, then each name an adopted variation gave it."""
    for e in events:
        if isinstance(e, acts.FormPartnership.records):
            yield NameInForce(e.on, e.name, e.on)
        elif isinstance(e, _ADOPTED) and e.name is not None:
            yield NameInForce(e.effective, e.name, e.on)


def _memberships(events: Iterable[Any]) -> tuple[Membership, ...]:
    stints: list[Membership] = []
    current: dict[str, int] = {}

    def update(party: str, **changes: Any) -> None:
        if party in current:
            stints[current[party]] = attrs.evolve(stints[current[party]], **changes)

    for e in events:
        if isinstance(e, acts.FormPartnership.records):
            for party in e.parties:
                current[party.id] = len(stints)
                stints.append(Membership(party.id, party.name, e.on, founder=True))
        elif isinstance(e, _ADMITTED):
            current[e.party.id] = len(stints)
            stints.append(
                Membership(e.party.id, e.party.name, e.effective, founder=False, admitted_on=e.on)
            )
        elif isinstance(e, acts.ServeWithdrawalNotice.records):
            update(
                e.party,
                notice_served_on=e.on,
                notice_effective=e.effective,
                notice_retracted_on=None,
                exit_costs=None,
                exit_paid=None,
            )
        elif isinstance(e, acts.RetractWithdrawalNotice.records):
            update(e.party, notice_retracted_on=e.on)
        elif isinstance(e, acts.DetermineExitCosts.records):
            update(e.party, exit_costs=e.amount)
        elif isinstance(e, acts.SettleExitPayment.records):
            update(e.party, exit_paid=e.amount)
        elif isinstance(e, acts.CompleteWithdrawal.records):
            update(e.party, left=e.on)
            current.pop(e.party, None)
        elif isinstance(e, acts.Succeed.records):
            heirs = tuple(party.id for party in e.successors)
            update(e.predecessor, left=e.on, successors=heirs)
            current.pop(e.predecessor, None)
            for party in e.successors:
                if party.id not in current:
                    current[party.id] = len(stints)
                    stints.append(
                        Membership(party.id, party.name, e.on, False, predecessor=e.predecessor)
                    )
    return tuple(stints)


def _stages(events: Iterable[Any]) -> Iterator[StageStep]:
    for e in events:
        if isinstance(e, acts.FormPartnership.records):
            yield StageStep(e.on, e.stage, None, None, None, e.ref)
        elif isinstance(e, acts.ChangeStage.records):
            yield StageStep(e.on, e.to, e.from_stage, e.by, e.rationale, e.ref)


def _cost_shares(
    app: SharedServices,
    view: PartnershipView,
    events: Sequence[Any],
    variations: Iterable[Variation],
) -> tuple[CostShares, ...]:
    """Each change of the cost pools, read from the partnership as it legally stood on each
    date a change could take effect (formation, adoptions that vary the pools or admit a
    party, completed withdrawals): a handful of dated views, not one per day, projected from
    the events read once (`sharedsvc.store.project_through`)."""
    names = {p: party.name for p, party in view.parties.items()}
    causes: dict[date, list[str]] = {view.formed_on: ["formed"]}
    for v in variations:
        if v.status == "adopted" and ("cost_pools" in v.changes or v.admit):
            when = v.effective or v.closed_on or v.proposed_on
            adopted = f", adopted {v.closed_on.isoformat()}" if v.closed_on else ""
            joiners = "".join(f"; {p.name} joined" for p in v.admit)
            causes.setdefault(when, []).append(f"variation {short_id(v.id)}{adopted}{joiners}")
    for e in events:
        if isinstance(e, acts.CompleteWithdrawal.records):
            causes.setdefault(e.on, []).append(f"{names.get(e.party, e.party)} withdrew")
        elif isinstance(e, acts.Succeed.records):
            heirs = joined(party.name for party in e.successors)
            causes.setdefault(e.on, []).append(
                f"{names.get(e.predecessor, e.predecessor)} succeeded by {heirs}"
            )
    history: list[CostShares] = []
    for when, dated in project_through(events, sorted(causes)):
        if isinstance(dated, Partnership):
            pools = PartnershipView.of(dated, as_of=when).terms.cost_pools
        else:  # not formed yet on that date (it cannot be): ask the store, which says so
            pools = app.partnership(view.id, as_of=when).terms.cost_pools
        if not history or history[-1].cost_pools != pools:
            history.append(CostShares(when, pools, "; ".join(causes[when])))
    return tuple(history)
