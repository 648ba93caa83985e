"""The balance of a partnership: what each party gave and got, kept and missed.

[`balance_of`][sharedsvc.projections.balance_of] counts, for each party, from records other
queries give:

* from the compromise ledger (`sharedsvc.projections.compromises`), each concession once:
  ``conceded`` counts the party's concessions, and a concession counts *to* the proposer of
  the act it was made in (of a variation, the party that proposed it; of a settlement, the
  party that proposed the terms accepted), in ``conceded_to`` of the conceding party and
  ``received_from`` of the proposer. A determination's concessions count to nobody (the
  arbiter imposed them), nor does a concession by the proposer itself. ``ceded`` counts the
  functions the party ceded to the shared service (its ``ceded`` ledger entries).
* from the obligations (`sharedsvc.projections.obligations`): ``kept`` counts the party's
  obligations met by their due date, ``missed`` those overdue or met late; open and lapsed
  ones count to neither.
* ``disputes_raised`` counts the disputes the party raised (the party named when it was
  raised: a successor does not inherit the count).

Each count is of what is dated on or before the date the balance is taken on.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any
from uuid import UUID

import attrs
from eventsourcing.persistence import ApplicationRecorder, Mapper
from immutabledict import immutabledict

from sharedsvc.acts import AcceptSettlement, ProposeSettlement, ProposeVariation, RaiseDispute
from sharedsvc.domain.values import PartyId
from sharedsvc.persistence import notifications
from sharedsvc.projections.compromises import CEDED, CONCEDED, CompromiseEntry
from sharedsvc.projections.obligations import Obligation

__all__ = ["Balance", "balance_of"]

SETTLEMENT = AcceptSettlement.consequence("concessions")


def _counts(value: Mapping[str, int]) -> immutabledict[str, int]:
    return immutabledict(value)


@attrs.frozen
class Balance:
    """One party's balance in a partnership (see
    [`SharedServices.balance`][sharedsvc.SharedServices.balance]).

    Attributes:
        conceded: how many concessions the party made.
        conceded_to: party -> how many of them it made to that party (the proposer of the
            act it conceded in; a determination's count to nobody).
        received_from: party -> how many concessions that party made to this one.
        ceded: how many functions the party ceded to the shared service.
        kept: its obligations met by their due date.
        missed: its obligations overdue, or met after their due date.
        disputes_raised: the disputes it raised.
    """

    conceded: int
    conceded_to: immutabledict[str, int] = attrs.field(converter=_counts)
    received_from: immutabledict[str, int] = attrs.field(converter=_counts)
    ceded: int
    kept: int
    missed: int
    disputes_raised: int


@attrs.frozen
class _Proposers:
    """Who proposed what, read from the log: each variation's proposer, each settled
    dispute's settlement proposer, and who raised each dispute (with its date)."""

    variations: dict[UUID, str]
    settlements: dict[UUID, str]
    raised: list[tuple[str, date]]


def _proposers(
    recorder: ApplicationRecorder, mapper: Mapper[UUID], partnership_id: UUID
) -> _Proposers:
    found = _Proposers({}, {}, [])
    disputes: set[UUID] = set()
    latest: dict[UUID, str] = {}
    topics = [
        ProposeVariation.records.TOPIC,
        RaiseDispute.records.TOPIC,
        ProposeSettlement.records.TOPIC,
        SETTLEMENT.TOPIC,
    ]
    for notification in notifications(recorder, topics=topics):
        event: Any = mapper.to_domain_event(notification)
        kind = type(event)
        if kind is ProposeVariation.records:
            if event.originator_id == partnership_id:
                by = ProposeVariation.read(event, "by")
                found.variations[ProposeVariation.created(event)] = by
        elif kind is RaiseDispute.records:
            if RaiseDispute.read(event, "pid") == partnership_id:
                disputes.add(event.originator_id)
                found.raised.append((RaiseDispute.read(event, "by"), event.on))
        elif event.originator_id not in disputes:
            continue
        elif kind is ProposeSettlement.records:
            latest[event.originator_id] = ProposeSettlement.read(event, "by")
        elif event.originator_id in latest:  # settled: the terms last proposed
            found.settlements[event.originator_id] = latest[event.originator_id]
    return found


def balance_of(
    recorder: ApplicationRecorder,
    mapper: Mapper[UUID],
    partnership_id: UUID,
    parties: Iterable[PartyId],
    ledger: Mapping[str, list[CompromiseEntry]],
    obligations: Iterable[Obligation],
    as_of: date,
) -> dict[str, Balance]:
    """Each of ``parties`` (and any other the records name) -> its balance on ``as_of``,
    from the partnership's compromise ``ledger`` and ``obligations`` as they stood then."""
    proposers = _proposers(recorder, mapper, partnership_id)
    conceded: Counter[str] = Counter()
    ceded: Counter[str] = Counter()
    to: dict[str, Counter[str]] = defaultdict(Counter)
    received: dict[str, Counter[str]] = defaultdict(Counter)
    for party, entries in ledger.items():
        for entry in entries:
            if entry.on > as_of:
                continue
            if entry.kind == CEDED:
                ceded[party] += 1
            elif entry.kind == CONCEDED:
                conceded[party] += 1
                proposer = proposers.variations.get(entry.source) or proposers.settlements.get(
                    entry.source
                )
                if proposer is not None and proposer != party:
                    to[party][proposer] += 1
                    received[proposer][party] += 1
    kept: Counter[str] = Counter()
    missed: Counter[str] = Counter()
    for obligation in obligations:
        if obligation.party is None:
            continue
        if obligation.status == "met" and not obligation.late:
            kept[obligation.party] += 1
        elif obligation.status == "overdue" or obligation.late:
            missed[obligation.party] += 1
    raised = Counter(party for party, on in proposers.raised if on <= as_of)
    everyone = dict.fromkeys([*parties, *conceded, *ceded, *to, *received, *kept, *missed])
    return {
        party: Balance(
            conceded=conceded[party],
            conceded_to=dict(to[party]),
            received_from=dict(received[party]),
            ceded=ceded[party],
            kept=kept[party],
            missed=missed[party],
            disputes_raised=raised[party],
        )
        for party in everyone
    }
