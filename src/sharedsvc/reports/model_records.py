"""The records of the handovers and disputes raised in a partnership, as an audit report shows
them (`sharedsvc.reports.model`): each view, with the dates its audit trail adds, and what
the successions its own events record changed in it.

This module draws nothing and must not import matplotlib.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

import attrs
from immutabledict import immutabledict

from sharedsvc import acts
from sharedsvc.domain.parties import in_place_of
from sharedsvc.domain.values import PartyId
from sharedsvc.domain.views import DisputeView, HandoverView
from sharedsvc.projections.audit import AuditEntry

__all__ = [
    "DisputeRecord",
    "HandoverRecord",
    "HandoverSuccession",
    "dispute_record",
    "handover_record",
]


@attrs.frozen
class HandoverSuccession:
    """A party was succeeded on its vesting day ``on`` while a handover was proposed or in
    effect (``pooled``): its ``successors`` take its place in the handover's consents and, if
    it was a council ceding the function (``ceding``), among those that cede it; ``took``
    are those of them that did not cede it already (a council absorbing another may)."""

    predecessor: PartyId
    successors: tuple[PartyId, ...]
    on: date
    ceding: bool
    pooled: bool
    took: tuple[PartyId, ...] = ()


@attrs.frozen
class HandoverRecord:
    """A handover raised in the partnership: its view, when it ended (the date it was
    recalled or withdrawn; ``None`` while it is proposed or in effect), who ended it
    (``None`` for a function returned because the partnership was dissolved), and the date
    of each consent its view holds (``consented_on``: party -> the date of its latest).
    ``returned_on`` gives, for a from-party that recalled its own share, the day it did.
    ``inherited`` gives, for a party that holds its share of the pooled function by
    succession, the council it took the share over from and the vesting day (see
    `holders`). ``successions`` are those the handover's own events record, in order
    (`HandoverSuccession`), and ``proposed_from`` the councils it was proposed from."""

    view: HandoverView
    ended_on: date | None
    ended_by: str | None = None
    consented_on: immutabledict[str, date] = attrs.field(factory=immutabledict)
    returned_on: immutabledict[str, date] = attrs.field(factory=immutabledict)
    inherited: immutabledict[str, tuple[PartyId, date]] = attrs.field(factory=immutabledict)
    successions: tuple[HandoverSuccession, ...] = ()
    proposed_from: tuple[PartyId, ...] = ()

    @property
    def ceding(self) -> tuple[PartyId, ...]:
        """Every party that cedes the function, the proposer first (one, unless combined)."""
        return self.view.from_parties or (self.view.from_party,)

    @property
    def replaced(self) -> tuple[HandoverSuccession, ...]:
        """The successions of a council that was to cede the function, before the handover
        took effect: its successors cede it in its place."""
        return tuple(s for s in self.successions if s.ceding and not s.pooled)

    def placed(self, party: str) -> tuple[tuple[PartyId, date | None], ...]:
        """Who was to cede the share of the function that ``party`` cedes now while the
        handover awaited its effect, first to last: the council it was proposed from (with
        ``None``), then each successor that took its place on a vesting day (with that day).
        Just ``party`` if no succession before the effect changed it."""
        chain: list[tuple[PartyId, date | None]] = [(PartyId(party), None)]
        for s in reversed(self.replaced):
            if chain[0][0] in s.took:
                chain[0] = (chain[0][0], s.on)
                chain.insert(0, (s.predecessor, None))
        return tuple(chain)

    def consent_from(self, party: str) -> HandoverSuccession | None:
        """The succession whose predecessor's consent counts for ``party`` (which gave none
        of its own), if one does."""
        if party not in self.view.consents or party in self.consented_on:
            return None
        return next((s for s in self.successions if party in s.successors), None)

    def holders(self, party: str) -> tuple[tuple[PartyId, date | None], ...]:
        """Who held the share of the function that ``party`` cedes now, first to last: the
        council that ceded it (with ``None``), then each successor that took it over on a
        vesting day (with that day). Just ``party`` if no succession passed the share on."""
        chain: list[tuple[PartyId, date | None]] = [(PartyId(party), None)]
        while chain[0][0] in self.inherited and len(chain) <= len(self.inherited):
            predecessor, vesting = self.inherited[chain[0][0]]
            chain[0] = (chain[0][0], vesting)
            chain.insert(0, (predecessor, None))
        return tuple(chain)

    def share_ended(self, party: str) -> date | None:
        """The day ``party``'s share of the function went back (or the handover was
        withdrawn); ``None`` while it is proposed or pooled."""
        return self.returned_on.get(party) or self.ended_on

    @property
    def returned_on_dissolution(self) -> bool:
        """Whether the function went back because the partnership was dissolved."""
        return self.view.status == "recalled" and self.ended_by is None


@attrs.frozen
class DisputeRecord:
    """A dispute raised in the partnership: its view, when it was raised and closed (settled,
    determined or withdrawn; ``None`` while open), the arbiter who determined it, and whether
    it deferred the act it is about. ``raised_by`` is the party that raised it, and
    ``raisers`` the disputing parties on its side now: itself, or the successors that took
    its place (empty where the record does not say)."""

    view: DisputeView
    raised_on: date
    closed_on: date | None
    arbiter: str | None
    deferred: bool = False
    raised_by: PartyId | None = None
    raisers: tuple[PartyId, ...] = ()

    @property
    def against(self) -> tuple[PartyId, ...]:
        """The disputing parties other than the one that raised the dispute (and the
        successors that took its place)."""
        side = self.raisers or (self.view.raised_by,)
        return tuple(p for p in self.view.parties if p not in side)


# The names (as trail entries give them) of the events that end a handover, raise a dispute,
# determine it, and defer the act it is about.
_HANDOVER_ENDINGS = frozenset(
    act.records.__name__ for act in (acts.RecallHandover, acts.WithdrawHandover)
)
_RAISED = acts.RaiseDispute.records.__name__
_DETERMINED = acts.DetermineDispute.records.__name__
_DEFERRED = acts.RaiseDispute.flags["defer"].__name__
_CONSENTED = acts.ConsentToHandover.records.__name__
_RECALLED = acts.RecallHandover.records.__name__
# A succession, as it is written on a dispute (or a handover) it reaches.
_SUCCEEDED = acts.Succeed.consequences
_HANDOVER_SUCCEEDED = acts.Succeed.consequence("inheriting")


def handover_record(
    view: HandoverView,
    trail: Sequence[AuditEntry],
    inherited: Mapping[str, tuple[PartyId, date]] | None = None,
    events: Iterable[Any] = (),
) -> HandoverRecord:
    """The record of handover ``view`` as the partnership's audit ``trail`` tells it (and,
    given ``inherited``, the shares of its function that successions passed on; given the
    handover's own ``events``, the successions they record)."""
    heirs = immutabledict(inherited or {})
    first, successions = _successions(events)
    own = [e for e in trail if e.aggregate_id == view.id]
    consented = immutabledict(
        (e.actor, e.on) for e in own if e.event == _CONSENTED and e.actor is not None
    )
    ending = [e for e in own if e.event in _HANDOVER_ENDINGS]
    returned = immutabledict(
        (e.actor, e.on) for e in ending if e.event == _RECALLED and e.actor is not None
    )
    ended_on, by = None, None
    if view.status in ("recalled", "withdrawn"):
        ended_on = view.recalled_on or view.last_on
        by = ending[-1].actor if ending else None
    return HandoverRecord(
        view, ended_on, by, consented, returned, heirs, successions, first or view.from_parties
    )


def _successions(
    events: Iterable[Any],
) -> tuple[tuple[PartyId, ...], tuple[HandoverSuccession, ...]]:
    """Whom a handover's events say it was proposed from, and the successions they record."""
    first: tuple[PartyId, ...] = ()
    ceding: tuple[PartyId, ...] = ()
    pooled, found = False, []
    for e in events:
        if isinstance(e, acts.ProposeHandover.records):
            by = acts.ProposeHandover.read(e, "by")
            first = ceding = tuple(acts.ProposeHandover.read(e, "from_parties")) or (by,)
        elif isinstance(e, acts.EffectHandover.records):
            pooled = True
        elif isinstance(e, _HANDOVER_SUCCEEDED):
            heirs, cedes = tuple(e.successors), e.predecessor in ceding
            took = tuple(p for p in heirs if p not in ceding) if cedes else ()
            found.append(HandoverSuccession(e.predecessor, heirs, e.on, cedes, pooled, took))
            ceding = in_place_of(ceding, e.predecessor, heirs)
    return first, tuple(found)


def dispute_record(
    view: DisputeView, trail: Sequence[AuditEntry], events: Iterable[Any] = ()
) -> DisputeRecord:
    """The record of dispute ``view`` as the partnership's audit ``trail`` and the dispute's
    own ``events`` tell it (without its events, the side that raised it is its raiser)."""
    own = [e for e in trail if e.aggregate_id == view.id]
    raised = next((e for e in own if e.event == _RAISED), None)
    arbiter = next((e.actor for e in own if e.event == _DETERMINED), None)
    closed = view.closed_on or (view.last_on if view.status != "open" else None)
    deferred = any(e.event == _DEFERRED for e in own)
    by = PartyId(raised.actor) if raised is not None and raised.actor else view.raised_by
    side = [by]
    for e in events:  # a succession of a council on the raising side puts its successors there
        if isinstance(e, _SUCCEEDED) and e.predecessor in side:
            at = side.index(e.predecessor)
            side[at : at + 1] = [p for p in e.successors if p not in side]
    return DisputeRecord(
        view,
        raised.on if raised is not None else view.rungs[0].on,
        closed,
        arbiter,
        deferred,
        by,
        tuple(p for p in side if p in view.parties),
    )
