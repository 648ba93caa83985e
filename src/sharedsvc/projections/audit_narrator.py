"""What the audit trail says of each event: who acted, on whose authority, what happened.

A `Narrator` follows one partnership through the global event log: it tells which events
belong to the partnership's trail (its own, and those of the handovers and disputes raised in
it) and remembers the little that later lines need (party names, which function a handover
moves, a dispute's subject), so that memory grows with the partnership, not with the store.

For each event it gives the acting party, the decision reference and a summary:

* **Actor.** The party that took the act (``by=`` / ``party=``); an arbiter's name for a
  determination. Joint acts and their consequences have no single actor and give ``None``: a
  formation (every founder signs), an adoption (every required party approved), the admission
  and dissolution written with an adoption, a settlement (every disputing party accepted), and
  a function returned or a handover recalled on dissolution. Events written alongside an act
  take that act's actor: a function pooled, the handover's effector; a function returned, the
  recaller; an act deferred (on the partnership and on the dispute), the party that raised the
  dispute; an act released, the party that withdrew the dispute or the arbiter (``None`` for a
  settlement).
* **Unreferenced acts.** Decision references are optional, and the audit marks an act that has
  none, but only where one is expected: the acts that bind a council or the partnership, those that
  declare ``authority`` in the catalogue of acts ([`sharedsvc.acts`][sharedsvc.acts]), whose events
  make `NEEDS_AUTHORITY`: forming, approving or rejecting a variation, changing stage, the steps of
  a withdrawal, consenting or withholding consent, recalling a function. Proposals, positions,
  dispute steps and consequences of other acts are never marked: a proposal decides nothing,
  disputes are conducted by officers under the agreement, and a consequence carries the authority of
  the acts that caused it. Effecting a handover implements consents already given, so it is not
  marked either.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any
from uuid import UUID

import attrs

from sharedsvc.acts import (
    CATALOGUE,
    Act,
    ApproveVariation,
    DetermineDispute,
    EffectHandover,
    FormPartnership,
    ProposeVariation,
    RecallHandover,
    Succeed,
    WithdrawDispute,
    act_for,
    openings,
)
from sharedsvc.domain.parties import in_place_of
from sharedsvc.domain.values import Concession, DecisionRef, Function, Party, PartyId
from sharedsvc.projections.audit_summaries import DESCRIBERS, Line
from sharedsvc.projections.audit_values import joined, short_id, term

__all__ = [
    "DISPUTE",
    "HANDOVER",
    "NEEDS_AUTHORITY",
    "OPENING_TOPICS",
    "PARTNERSHIP",
    "Described",
    "Narrator",
    "needs_authority",
]

PARTNERSHIP, HANDOVER, DISPUTE = "partnership", "handover", "dispute"

NEEDS_AUTHORITY: frozenset[type] = frozenset(
    act.records for act in CATALOGUE.values() if act.authority
)
"""The events of acts that normally carry a decision reference (the acts of the catalogue that
declare ``authority``): the audit marks those without one, unless the event was written as
another act's consequence (a recall on dissolution, which no party takes)."""

_OPENINGS = {act.records: act for act in openings().values() if act.creates in (HANDOVER, DISPUTE)}

OPENING_TOPICS = frozenset(kind.TOPIC for kind in _OPENINGS)
"""The topics of the events that open a handover or a dispute: they name the partnership they
belong to."""


# --- what the narrator remembers --------------------------------------------------------------


@attrs.define
class _Handover:
    from_party: str  # the proposer
    function: Function
    ceding: tuple[PartyId, ...]  # the parties that cede it now (a succession changes them)
    effected_by: str | None = None
    recalled_by: str | None = None
    returned: tuple[str, ...] = ()  # the from-parties that took their share back
    before: tuple[PartyId, ...] = ()  # who ceded it before the latest succession on it


@attrs.define
class _Dispute:
    raised_by: str
    subject: str
    closed_by: str | None = None


@attrs.frozen
class Described:
    """What the audit says of one event: who acted, on whose authority, and what happened.

    ``unreferenced`` is true for an act that normally carries a decision reference
    (`NEEDS_AUTHORITY`) and was recorded without one; the summary then says so too."""

    aggregate: str
    actor: str | None
    ref: DecisionRef | None
    summary: str
    unreferenced: bool


def needs_authority(event: Any) -> bool:
    """Whether ``event`` records an act that normally carries a decision reference."""
    act = act_for(event)
    # a consequence (recalled on dissolution) has the authority of the act that caused it
    return act is not None and act.authority and act.taken(event)


class Narrator:
    """Follows one partnership's trail through the log, in log order (see the module)."""

    def __init__(self, partnership_id: UUID) -> None:
        self.partnership_id = partnership_id
        self.names: dict[str, str] = {}
        self.handovers: dict[UUID, _Handover] = {}
        self.disputes: dict[UUID, _Dispute] = {}

    def may_concern(self, originator_id: UUID, topic: str) -> bool:
        """Whether a stored event may belong to the trail (cheap: before decoding it)."""
        return (
            originator_id == self.partnership_id
            or originator_id in self.handovers
            or originator_id in self.disputes
            or topic in OPENING_TOPICS
        )

    def follows(self, event: Any) -> bool:
        """Whether ``event`` belongs to the trail; if so, remember what later lines need.
        Events must be given in log order."""
        opening = _OPENINGS.get(type(event))
        if opening is not None and opening.read(event, "pid") == self.partnership_id:
            by = opening.read(event, "by")
            if opening.creates == HANDOVER:
                ceding = tuple(opening.read(event, "from_parties")) or (by,)
                function = opening.read(event, "function")
                self.handovers[event.originator_id] = _Handover(by, function, ceding)
            else:
                self.disputes[event.originator_id] = _Dispute(by, opening.read(event, "subject"))
        oid = event.originator_id
        if oid != self.partnership_id and oid not in self.handovers and oid not in self.disputes:
            return False
        note = _NOTES.get(type(event))
        if note is not None:
            note(self, event)
        return True

    def describe(self, event: Any) -> Described:
        """The actor, decision reference and summary of an event the narrator
        `follows`."""
        oid = event.originator_id
        aggregate = HANDOVER if oid in self.handovers else DISPUTE if oid in self.disputes else ""
        describer = DESCRIBERS.get(type(event))
        if describer is None:  # an event type newer than this library: say what little we can
            line = Line(getattr(event, "by", None), f"{type(event).__name__} recorded")
        else:
            line = describer(event, self)
        ref = line.ref if line.ref is not None else getattr(event, "ref", None)
        unreferenced = ref is None and needs_authority(event)
        text = line.text[:1].upper() + line.text[1:]
        if ref is not None:
            text += f" ({ref.body}, {ref.reference}" + (
                f", decided {ref.decided_on.isoformat()})" if ref.decided_on != event.on else ")"
            )
        if unreferenced:
            text += " [no decision reference]"
        return Described(aggregate or PARTNERSHIP, line.actor, ref, text, unreferenced)

    # --- helpers for the describers -----------------------------------------------------------

    def name(self, party: str | None) -> str:
        """A party's name where the trail has seen it, else its id."""
        return "nobody" if party is None else self.names.get(party, party)

    def function(self, handover_id: UUID) -> str:
        """``ICT service desk from London Borough of Islington``, for a handover of the trail."""
        return f"{self.function_name(handover_id)} from {self.owner(handover_id)}"

    def function_name(self, handover_id: UUID) -> str:
        handover = self.handovers.get(handover_id)
        return handover.function.name if handover else f"handover {short_id(handover_id)}"

    def owner(self, handover_id: UUID) -> str:
        """Every council the handover's function is ceded from, as they are now (``A, B and
        C``): the proposer and those it combined the service with, each succeeded one
        replaced by its successors."""
        handover = self.handovers.get(handover_id)
        return self.names_of(handover.ceding) if handover else "its council"

    def names_of(self, parties: Iterable[str]) -> str:
        """``A``, ``A and B``, ``A, B and C``: the parties' names."""
        return joined(map(self.name, parties))

    def whose_proposal(self, handover_id: UUID, by: str) -> str:
        """``its proposal`` if ``by`` proposed the handover, else ``A's proposal`` (another
        ceding council, or a successor of the proposer, may withdraw it too)."""
        handover = self.handovers.get(handover_id)
        if handover is None or handover.from_party == by:
            return "its proposal"
        return f"{self.name(handover.from_party)}'s proposal"

    def alongside(self, handover_id: UUID, parties: Iterable[str]) -> str:
        """``, with A and B``: who else cedes a handover's function (its pooled share, or to
        be) besides ``parties``; nothing if nobody does."""
        others = [p for p in self.holders_of(handover_id) if p not in set(parties)]
        return f", with {self.names_of(others)}" if others else ""

    def ceding(self, handover_id: UUID) -> tuple[PartyId, ...]:
        """The parties that cede a handover's function now (none if the trail does not know
        the handover)."""
        handover = self.handovers.get(handover_id)
        return handover.ceding if handover else ()

    def holders_of(self, handover_id: UUID) -> list[PartyId]:
        """The parties whose share of a handover's function is pooled, or to be: those that
        cede it, but for those that took their share back."""
        handover = self.handovers.get(handover_id)
        return [p for p in handover.ceding if p not in handover.returned] if handover else []

    def holders(self, handover_id: UUID) -> str:
        """The names of `holders_of` a handover (``its council`` if the trail does not
        know it)."""
        holders = self.holders_of(handover_id)
        return self.names_of(holders) if holders else self.owner(handover_id)

    def shares_left(self, handover_id: UUID) -> str:
        """What is left pooled of a combined service once a share went back: ``; B's share
        stays pooled``, ``; the shares of B and C stay pooled``, ``; no share is left
        pooled`` (nothing, of a handover from one council)."""
        left = self.holders_of(handover_id)
        if len(self.ceding(handover_id)) < 2:
            return ""
        if not left:
            return "; no share is left pooled"
        if len(left) == 1:
            return f"; {self.name(left[0])}'s share stays pooled"
        return f"; the shares of {self.names_of(left)} stay pooled"

    def act(self, act: UUID) -> str:
        """A variation or handover named in a dispute."""
        if act in self.handovers:
            return f"the handover of {self.function(act)}"
        return f"variation {short_id(act)}"

    def dispute(self, dispute_id: UUID) -> str:
        dispute = self.disputes.get(dispute_id)
        subject = f" ({dispute.subject})" if dispute else ""
        return f"dispute {short_id(dispute_id)}{subject}"

    def conceded(self, concessions: Iterable[Concession]) -> str:
        parts = [f"{self.name(c.party)} conceded {term(c.subject)}" for c in concessions]
        return "; " + "; ".join(parts) if parts else "; nobody conceded anything"


# --- what the narrator notes of the events it follows -----------------------------------------


def _parties(field: str, act: type[Act[Any]]) -> Callable[[Narrator, Any], None]:
    """Note the names of the parties an event of ``act`` names in ``field``."""

    def note(n: Narrator, event: Any) -> None:
        n.names.update((party.id, party.name) for party in act.read(event, field))

    return note


def _admitted(n: Narrator, event: Any) -> None:
    party: Party = event.party
    n.names[party.id] = party.name


def _effected(n: Narrator, event: Any) -> None:
    n.handovers[event.originator_id].effected_by = EffectHandover.read(event, "by")


def _recalled(n: Narrator, event: Any) -> None:
    handover = n.handovers[event.originator_id]
    handover.recalled_by = by = RecallHandover.read(event, "by")
    if by is not None:
        handover.returned = (*handover.returned, by)


def _handover_succeeded(n: Narrator, event: Any) -> None:
    handover = n.handovers[event.originator_id]
    handover.before = handover.ceding
    handover.ceding = in_place_of(handover.ceding, event.predecessor, event.successors)


def _determined(n: Narrator, event: Any) -> None:
    n.disputes[event.originator_id].closed_by = DetermineDispute.read(event, "arbiter")


def _withdrawn(n: Narrator, event: Any) -> None:
    n.disputes[event.originator_id].closed_by = WithdrawDispute.read(event, "by")


_NOTES: dict[type, Callable[[Narrator, Any], None]] = {
    FormPartnership.records: _parties("parties", FormPartnership),
    ProposeVariation.records: _parties("admit", ProposeVariation),
    Succeed.records: _parties("successors", Succeed),
    ApproveVariation.consequence("party"): _admitted,
    EffectHandover.records: _effected,
    RecallHandover.records: _recalled,
    Succeed.consequence("inheriting"): _handover_succeeded,
    DetermineDispute.records: _determined,
    WithdrawDispute.records: _withdrawn,
}
"""What the narrator remembers of an event, by its class: party names, who effected or
recalled a handover (and which from-parties took their share back), who cedes a handover's
function after a succession, who closed a dispute (the actor of the lines of the events
written with those acts)."""
