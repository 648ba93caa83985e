"""The compromise ledger: who conceded what, and who ceded which function, in a partnership.

It follows the global event log in order (a page at a time) through the topics that carry
compromises, so each entry knows its position in the log.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any
from uuid import UUID

import attrs
from eventsourcing.persistence import ApplicationRecorder, Mapper

from sharedsvc.domain.dispute import Dispute
from sharedsvc.domain.handover import SovereigntyHandover
from sharedsvc.domain.partnership import events as pev
from sharedsvc.domain.values import DecisionRef, PartyId
from sharedsvc.persistence import PAGE, notifications

__all__ = ["CEDED", "CONCEDED", "PAGE", "CompromiseEntry", "compromise_ledger"]

CONCEDED, CEDED = "conceded", "ceded"

TOPICS = (
    pev.VariationApproved.TOPIC,
    pev.VariationAdopted.TOPIC,
    SovereigntyHandover.Proposed.TOPIC,
    SovereigntyHandover.ConsentGiven.TOPIC,
    SovereigntyHandover.Effected.TOPIC,
    Dispute.Raised.TOPIC,
    Dispute.Settled.TOPIC,
    Dispute.Determined.TOPIC,
)


@attrs.frozen
class CompromiseEntry:
    """One compromise by ``party``: it ``conceded`` a subject (wanted one thing, accepted
    another) or ``ceded`` a function to the shared service.

    ``source`` is the variation, handover or dispute it came from; ``event`` the name of the
    event that recorded it and ``position`` that event's place in the store's global log.
    """

    party: PartyId
    kind: str
    subject: str
    wanted: Any
    accepted: Any
    rationale: str | None
    ref: DecisionRef | None
    on: date
    position: int
    event: str
    source: UUID


def compromise_ledger(
    recorder: ApplicationRecorder, mapper: Mapper[UUID], partnership_id: UUID
) -> dict[str, list[CompromiseEntry]]:
    """Every compromise recorded for the partnership, by party, each party's in log order."""
    ledger: dict[str, list[CompromiseEntry]] = defaultdict(list)
    approvals: dict[tuple[UUID, str], DecisionRef | None] = {}
    handovers: dict[UUID, SovereigntyHandover.Proposed] = {}
    consents: dict[tuple[UUID, str], DecisionRef | None] = {}
    disputes: dict[UUID, Dispute.Raised] = {}
    for notification in notifications(recorder, topics=TOPICS):
        event: Any = mapper.to_domain_event(notification)
        position, name = notification.id, type(event).__name__
        if isinstance(event, pev.VariationApproved | pev.VariationAdopted):
            if event.originator_id != partnership_id:
                continue
            if isinstance(event, pev.VariationApproved):
                approvals[(event.variation_id, event.party)] = event.ref
                continue
            for c in event.concessions:
                ledger[c.party].append(
                    CompromiseEntry(
                        c.party,
                        CONCEDED,
                        c.subject,
                        c.wanted,
                        c.accepted,
                        c.rationale,
                        approvals.get((event.variation_id, c.party)),
                        event.on,
                        position,
                        name,
                        event.variation_id,
                    )
                )
        elif isinstance(event, SovereigntyHandover.Proposed):
            if event.partnership_id == partnership_id:
                handovers[event.originator_id] = event
        elif isinstance(event, SovereigntyHandover.ConsentGiven):
            consents[(event.originator_id, event.party)] = event.ref
        elif isinstance(event, SovereigntyHandover.Effected):
            proposal = handovers.get(event.originator_id)
            if proposal is None:
                continue
            party = proposal.from_party
            ledger[party].append(
                CompromiseEntry(
                    party,
                    CEDED,
                    proposal.function.id,
                    f"kept by {party}: {proposal.function.name}",
                    "held by the shared service",
                    proposal.rationale,
                    consents.get((event.originator_id, party), proposal.ref),
                    event.on,
                    position,
                    name,
                    event.originator_id,
                )
            )
        elif isinstance(event, Dispute.Raised):
            if event.partnership_id == partnership_id:
                disputes[event.originator_id] = event
        elif event.originator_id in disputes:  # Settled or Determined
            for c in event.concessions:
                ledger[c.party].append(
                    CompromiseEntry(
                        c.party,
                        CONCEDED,
                        c.subject,
                        c.wanted,
                        c.accepted,
                        c.rationale,
                        None,
                        event.on,
                        position,
                        name,
                        event.originator_id,
                    )
                )
    return dict(ledger)
