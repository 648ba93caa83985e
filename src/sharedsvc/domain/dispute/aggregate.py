"""The Dispute aggregate: a disagreement between parties, climbing the agreement's ladder.

A dispute may name the act in dispute (a variation or a handover) and defer it: the act is
frozen until the dispute is settled, determined or withdrawn. Settling needs every disputing
party to accept the same terms; at the top rung an arbiter's determination binds. Both record
what each party conceded.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any
from uuid import UUID

import attrs
from immutabledict import immutabledict

from sharedsvc._adapters.aggregates import create
from sharedsvc.domain.aggregate import SharedAggregate
from sharedsvc.domain.checks import check_ref, check_terms, check_text, require_date
from sharedsvc.domain.dated import stamp
from sharedsvc.domain.dispute import events as ev
from sharedsvc.domain.dispute.events import DisputeStatus
from sharedsvc.domain.errors import NotAuthorised, RuleViolation
from sharedsvc.domain.ids import new_id
from sharedsvc.domain.partnership import Partnership
from sharedsvc.domain.state import items, kept, mapping
from sharedsvc.domain.validators import shown
from sharedsvc.domain.values import INVALID, Concession, DecisionRef, PartyId, Rung, party_id

__all__ = ["Dispute", "DisputeState", "settlement_concessions"]


def settlement_concessions(
    positions: Mapping[PartyId, Mapping[str, Any]], terms: Mapping[str, Any], rationale: str | None
) -> tuple[Concession, ...]:
    """What each party conceded: every subject of its position that the terms settled
    otherwise (``accepted`` is ``None`` where the terms are silent on it)."""
    return tuple(
        Concession(party, subject, wanted, terms.get(subject), rationale)
        for party, position in positions.items()
        for subject, wanted in position.items()
        if terms.get(subject) != wanted
    )


@attrs.define(init=False, eq=False, repr=False, slots=False, kw_only=True)
class DisputeState:
    """What a dispute knows (see `sharedsvc.domain.state`)."""

    partnership_id: UUID
    raised_by: PartyId
    parties: tuple[PartyId, ...]  # the one that raised it first
    subject: str
    act: UUID | None
    deferred: bool = False
    ladder: tuple[Rung, ...]
    rung: Rung
    rungs: list[tuple[Rung, date, str | None]] = items()  # each rung reached: when, and why
    positions: dict[PartyId, immutabledict[str, Any]] = mapping()
    proposal: immutabledict[str, Any] | None = None
    accepted: list[PartyId] = items()  # who accepted the proposal
    mediator: str | None = None
    status: DisputeStatus = kept(DisputeStatus, default=DisputeStatus.OPEN)
    outcome: immutabledict[str, Any] | None = None
    concessions: tuple[Concession, ...] = ()
    closed_on: date | None = None  # settled, determined or withdrawn
    last_on: date


class Dispute(ev.DisputeEvents, DisputeState, SharedAggregate):
    """A dispute between parties of a partnership."""

    TOPIC = "sharedsvc:Dispute"

    # ---------------------------------------------------------------------- commands --

    @classmethod
    def raise_(
        cls,
        partnership: Partnership,
        *,
        by: str,
        against: Iterable[str],
        subject: str,
        act: UUID | None = None,
        defer: bool = False,
        on: date,
        ref: DecisionRef | None = None,
        at: datetime | None = None,
    ) -> Dispute:
        """``by`` raises a dispute with ``against`` about ``subject``, optionally deferring
        ``act`` (which the caller has checked is an open act of this partnership)."""
        raiser = partnership._begin(by, on, "the dispute")
        if isinstance(against, str) or not isinstance(against, Iterable):
            raise RuleViolation(INVALID, f"against takes a list of parties, not {shown(against)}")
        others = tuple(dict.fromkeys(party_id(p) for p in against))
        if not others or raiser in others:
            raise RuleViolation(
                "dispute-shape", "a dispute is raised against one or more other parties"
            )
        for other in others:
            if other not in partnership.active:
                raise NotAuthorised(
                    "members-only",
                    f"{other!r} is not a member of {partnership._where}: a dispute is raised "
                    "only against its active parties",
                )
        check_text(subject, "subject", optional=False)
        if defer and act is None:
            raise RuleViolation("dispute-shape", "name the act in dispute to defer it")
        if defer:
            assert act is not None
            partnership.check_not_deferred(act, "the act")
        moment = stamp(at, partnership)
        dispute = create(
            cls,
            ev.Raised,
            id=new_id(),
            partnership_id=partnership.id,
            raised_by=raiser,
            against=others,
            subject=subject,
            act=act,
            ladder=partnership.policy.ladder,
            ref=check_ref(ref),
            on=on,
            timestamp=moment,
        )
        if defer:
            assert act is not None
            dispute._trigger(ev.DecisionDeferred, moment, act=act, on=on)
            partnership.defer_act(act=act, dispute_id=dispute.id, on=on, at=moment)
        return dispute

    def escalate(
        self, *, by: str, on: date, reason: str | None = None, to: Rung | None = None,
        ref: DecisionRef | None = None, at: datetime | None = None,
    ) -> Rung:  # fmt: skip
        """Move the dispute exactly one rung up the ladder; returns the new rung."""
        actor = self._begin(by, on)
        index = self.ladder.index(self.rung)
        if index + 1 == len(self.ladder):
            raise RuleViolation(
                "one-rung-at-a-time",
                f"the dispute is at the top rung ({self.rung.value}): an arbiter determines it",
            )
        upper = self.ladder[index + 1]
        if to is not None and to != upper:
            raise RuleViolation(
                "one-rung-at-a-time",
                f"from {self.rung.value} a dispute goes to {upper.value}, not "
                f"{shown(getattr(to, 'value', to))}: one rung at a time, never down",
            )
        self._trigger(
            ev.Escalated, at, by=actor, from_rung=self.rung, to=upper,
            reason=check_text(reason, "reason"), ref=check_ref(ref), on=on,
        )  # fmt: skip
        return upper

    def appoint_mediator(
        self, *, mediator: str, by: str, on: date, ref: DecisionRef | None = None,
        at: datetime | None = None,
    ) -> None:  # fmt: skip
        """Appoint a mediator, at the mediation rung."""
        actor = self._begin(by, on)
        check_text(mediator, "mediator", optional=False)
        if self.rung is not Rung.MEDIATION:
            raise RuleViolation(
                "mediator-at-mediation",
                f"the dispute is at {self.rung.value}: a mediator is appointed at the mediation "
                "rung; escalate first",
            )
        self._trigger(
            ev.MediatorAppointed, at, mediator=mediator, by=actor, ref=check_ref(ref), on=on
        )

    def state_position(
        self, *, party: str, position: Mapping[str, Any], on: date, by: str | None = None,
        ref: DecisionRef | None = None, at: datetime | None = None,
    ) -> None:  # fmt: skip
        """Record what ``party`` wants: subject -> value."""
        actor = self._begin(party, on, by=by)
        check_terms(position, "position")
        self._trigger(
            ev.PositionStated, at, party=actor, position=position, ref=check_ref(ref), on=on
        )

    def propose_settlement(
        self, *, by: str, terms: Mapping[str, Any], on: date, ref: DecisionRef | None = None,
        at: datetime | None = None,
    ) -> None:  # fmt: skip
        """Propose settlement terms (subject -> value); earlier acceptances lapse."""
        actor = self._begin(by, on)
        check_terms(terms, "terms")
        self._trigger(ev.SettlementProposed, at, by=actor, terms=terms, ref=check_ref(ref), on=on)

    def accept_settlement(
        self, *, party: str, on: date, by: str | None = None, ref: DecisionRef | None = None,
        at: datetime | None = None,
    ) -> bool:  # fmt: skip
        """``party`` accepts the terms proposed, on the authority of ``ref``; the last
        acceptance settles the dispute. Returns whether it did."""
        actor = self._begin(party, on, by=by)
        ref = check_ref(ref)
        if self.proposal is None:
            raise RuleViolation(
                "settlement-needs-every-acceptance",
                "no settlement is proposed: propose terms first",
            )
        if actor in self.accepted:
            raise RuleViolation(
                "settlement-needs-every-acceptance", f"{actor!r} already accepted these terms"
            )
        moment = self._stamp(at)
        self._trigger(ev.SettlementAccepted, moment, party=actor, ref=ref, on=on)
        if set(self.parties) <= set(self.accepted):
            concessions = settlement_concessions(self.positions, self.proposal, self.subject)
            self._trigger(ev.Settled, moment, terms=self.proposal, concessions=concessions, on=on)
        return self.status is DisputeStatus.SETTLED

    def determine(
        self, *, arbiter: str, terms: Mapping[str, Any], on: date,
        ref: DecisionRef | None = None, at: datetime | None = None,
    ) -> None:  # fmt: skip
        """An arbiter determines the dispute, binding; only at the top rung."""
        self._begin(None, on)
        check_text(arbiter, "arbiter", optional=False)
        check_terms(terms, "terms")
        if self.rung != self.ladder[-1]:
            raise RuleViolation(
                "determination-at-top-rung",
                f"the dispute is at {self.rung.value}; an arbiter determines it only at "
                f"{self.ladder[-1].value}: escalate first",
            )
        concessions = settlement_concessions(self.positions, terms, self.subject)
        self._trigger(
            ev.Determined, at, arbiter=arbiter, terms=terms, concessions=concessions,
            ref=check_ref(ref), on=on,
        )  # fmt: skip

    def withdraw(
        self, *, by: str, on: date, reason: str | None = None, ref: DecisionRef | None = None,
        at: datetime | None = None,
    ) -> None:  # fmt: skip
        """The party that raised the dispute withdraws it."""
        actor = self._begin(by, on)
        if actor != self.raised_by:
            raise NotAuthorised(
                "acts-for-itself", f"only {self.raised_by!r}, who raised the dispute, withdraws it"
            )
        self._trigger(
            ev.Withdrawn, at, by=actor, reason=check_text(reason, "reason"), ref=check_ref(ref),
            on=on,
        )  # fmt: skip

    def succeed(
        self,
        *,
        predecessor: PartyId,
        successors: tuple[PartyId, ...],
        on: date,
        ref: DecisionRef | None = None,
        at: datetime | None = None,
    ) -> None:
        """``predecessor``, a disputing party, was succeeded: its ``successors`` take its
        place (written with the partnership's succession, which checked them)."""
        if self.status is not DisputeStatus.OPEN or predecessor not in self.parties:
            return
        remaining = {p for p in self.parties if p != predecessor} | set(successors)
        if len(remaining) < 2:
            raise RuleViolation(
                "dispute-shape",
                f"succeeding {predecessor!r} by {', '.join(successors)} would leave this "
                "dispute with one party: settle or withdraw it first",
            )
        require_date(on, self.last_on, "the succession")
        self._trigger(
            ev.PartySucceeded, at, predecessor=predecessor, successors=successors, ref=ref, on=on
        )

    @property
    def resolved(self) -> bool:
        """Whether the dispute is settled, determined or withdrawn."""
        return self.status is not DisputeStatus.OPEN

    # ----------------------------------------------------------------------- helpers --

    def _refuse_if_closed(self, on: date | None = None) -> None:
        if self.status is not DisputeStatus.OPEN:
            raise RuleViolation(
                "dispute-closed", f"the dispute is {self.status}: it takes no more acts"
            )

    def _member(self, actor: object) -> PartyId:
        """A disputing party; ``None`` stands for an outsider (the arbiter)."""
        if actor is None:
            return PartyId("")
        party = party_id(actor)
        if party not in self.parties:
            raise NotAuthorised(
                "members-only",
                f"{party!r} is not a party to this dispute ({', '.join(self.parties)}): "
                "only disputing parties act in it",
            )
        return party
