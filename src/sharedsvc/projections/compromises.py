"""The compromise ledger: who conceded what, and who ceded which function, in a partnership.

It follows the global event log in order (a page at a time) through the topics that carry
compromises, so each entry knows its position in the log. What makes an entry, and what it
says, is `sharedsvc.projections.ledger`'s (the read models' builder applies the same
rules).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from functools import partial
from typing import Any
from uuid import UUID

import attrs
from eventsourcing.persistence import ApplicationRecorder, Mapper

from sharedsvc.acts import Act, openings
from sharedsvc.domain.values import Concession, DecisionRef, Function, PartyId
from sharedsvc.persistence import PAGE, notifications
from sharedsvc.projections.ledger import (
    ACCEPTANCE,
    ADOPTION,
    APPROVAL,
    CEDED,
    CLOSINGS,
    CONCEDED,
    CONSENT,
    EFFECT,
    SETTLEMENT,
    SUCCESSION,
    UNRECORDED,
    Compromise,
    ConcessionFields,
    dispute_closed,
    handover_effected,
    handover_succeeded,
    variation_adopted,
)

__all__ = ["CEDED", "CONCEDED", "PAGE", "CompromiseEntry", "compromise_ledger"]

OPENINGS = openings()
"""The acts that open a handover or a dispute, by their event's topic (what the ledger learns
from them: which partnership the handover or dispute belongs to, and a handover's proposal)."""

TOPICS = (
    APPROVAL.TOPIC,
    ADOPTION.TOPIC,
    *OPENINGS,
    CONSENT.TOPIC,
    SUCCESSION.TOPIC,
    EFFECT.TOPIC,
    ACCEPTANCE.TOPIC,
    *(closing.TOPIC for closing in CLOSINGS),
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
    recorder: ApplicationRecorder,
    mapper: Mapper[UUID],
    partnership_id: UUID,
    *,
    as_of: date | None = None,
) -> dict[str, list[CompromiseEntry]]:
    """Every compromise recorded for the partnership, by party, each party's in log order
    (the rules are `sharedsvc.projections.ledger`'s); with ``as_of``, only those made on or
    before that date."""
    ledger: dict[str, list[CompromiseEntry]] = defaultdict(list)
    approvals: dict[UUID, dict[str, DecisionRef | None]] = defaultdict(dict)
    handovers: dict[UUID, _Proposal] = {}
    consents: dict[tuple[UUID, str], DecisionRef | None] = {}
    disputes: set[UUID] = set()
    acceptances: dict[UUID, dict[str, DecisionRef | None]] = defaultdict(dict)
    for notification in notifications(recorder, topics=TOPICS):
        event: Any = mapper.to_domain_event(notification)
        kind = type(event)
        made: list[Compromise]
        if kind is APPROVAL or kind is ADOPTION:
            if event.originator_id != partnership_id:
                continue
            source = event.variation_id
            if kind is APPROVAL:
                approvals[source][event.party] = event.ref
                continue
            made = variation_adopted(_fields(event.concessions), approvals.pop(source, {}).get)
        elif notification.topic in OPENINGS:
            opening = OPENINGS[notification.topic]
            if opening.read(event, "pid") == partnership_id:
                if opening.creates == "handover":
                    handovers[event.originator_id] = _Proposal.of(opening, event)
                elif opening.creates == "dispute":
                    disputes.add(event.originator_id)
            continue
        elif kind is CONSENT:
            consents[(event.originator_id, event.party)] = event.ref
            continue
        elif kind is SUCCESSION:
            source = event.originator_id
            proposal = handovers.get(source)
            if proposal is not None:
                handed = handover_succeeded(
                    proposal.ceding, event.predecessor, event.successors, event.inheriting,
                    event.consent,
                )  # fmt: skip
                handovers[source] = attrs.evolve(proposal, from_parties=handed.ceding)
                consents.update(((source, party), ref) for party, ref in handed.consents.items())
            continue
        elif kind is EFFECT:
            source = event.originator_id
            proposal = handovers.get(source)
            if proposal is None:
                continue
            made = handover_effected(
                proposal.by,
                proposal.function.id,
                proposal.function.name,
                proposal.rationale,
                proposal.ref,
                partial(_consent, consents, source),
                proposal.from_parties,
            )
        elif event.originator_id not in disputes:
            continue
        elif kind is ACCEPTANCE:
            acceptances[event.originator_id][event.party] = event.ref
            continue
        else:  # settled or determined: one of CLOSINGS
            source = event.originator_id
            accepted = acceptances.pop(source, {})
            made = dispute_closed(
                _fields(event.concessions), accepted.get if kind is SETTLEMENT else None
            )
        position, name = notification.id, type(event).__name__
        if as_of is not None and event.on > as_of:
            continue
        for c in made:
            ledger[c.party].append(
                CompromiseEntry(
                    PartyId(c.party), c.kind, c.subject, c.wanted, c.accepted, c.rationale,
                    c.ref, event.on, position, name, source,
                )
            )  # fmt: skip
    return dict(ledger)


@attrs.frozen
class _Proposal:
    """What the ledger needs of a handover's proposal, read back as its act declares."""

    by: str
    function: Function
    rationale: str | None
    ref: DecisionRef | None
    from_parties: tuple[str, ...]  # of a combined service; empty: ``by`` alone

    @property
    def ceding(self) -> tuple[str, ...]:
        """The parties that cede the function."""
        return self.from_parties or (self.by,)

    @classmethod
    def of(cls, act: type[Act[Any]], event: Any) -> _Proposal:
        fields = ("by", "function", "rationale", "ref", "from_parties")
        return cls(*(act.read(event, field) for field in fields))


def _consent(
    consents: dict[tuple[UUID, str], DecisionRef | None], handover: UUID, party: str
) -> DecisionRef | bool | None:
    return consents.get((handover, party), UNRECORDED)


def _fields(concessions: Iterable[Concession]) -> list[ConcessionFields]:
    return [(c.party, c.subject, c.wanted, c.accepted, c.rationale) for c in concessions]
