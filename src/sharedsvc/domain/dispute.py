"""The Dispute aggregate: a disagreement between parties, climbing the agreement's ladder.

A dispute may name the act in dispute (a variation or a handover) and defer it: the act is
frozen until the dispute is settled, determined or withdrawn. Settling needs every disputing
party to accept the same terms; at the top rung an arbiter's determination binds. Both record
what each party conceded.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import TYPE_CHECKING, Any
from uuid import UUID

from eventsourcing.domain import Aggregate
from immutabledict import immutabledict

from sharedsvc.domain.dated import DatedEvent, copy_aggregate, stamp
from sharedsvc.domain.errors import NotAuthorised, RuleViolation
from sharedsvc.domain.partnership import Partnership
from sharedsvc.domain.partnership_state import check_text
from sharedsvc.domain.rules import require_date, require_member, require_self
from sharedsvc.domain.values import INVALID, Concession, PartyId, Rung, party_id

__all__ = ["Dispute", "settlement_concessions"]

OPEN, SETTLED, DETERMINED, WITHDRAWN = "open", "settled", "determined", "withdrawn"


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


class DisputeEvent(DatedEvent):
    """Base of a dispute's events."""


class Dispute(Aggregate):
    """A dispute between parties of a partnership."""

    TOPIC = "sharedsvc:Dispute"

    class Event(DisputeEvent):
        pass

    class Created(Event, Aggregate.Created):
        TOPIC = "sharedsvc:Dispute.Created"

    class Raised(Created):
        TOPIC = "sharedsvc:Dispute.Raised"
        partnership_id: UUID
        raised_by: PartyId
        against: tuple[PartyId, ...]
        subject: str
        act: UUID | None
        ladder: tuple[Rung, ...]

        def apply(self, agg: Dispute) -> None:
            agg.partnership_id = self.partnership_id
            agg.raised_by = self.raised_by
            agg.parties = (self.raised_by, *self.against)
            agg.subject = self.subject
            agg.act = self.act
            agg.deferred = False
            agg.ladder = self.ladder
            agg.rung = self.ladder[0]
            agg.rungs = [(self.ladder[0], self.on, None)]
            agg.positions = {}
            agg.proposal = None
            agg.accepted = []
            agg.mediator = None
            agg.status = OPEN
            agg.outcome = None
            agg.concessions = ()

    class DecisionDeferred(Event):
        TOPIC = "sharedsvc:Dispute.DecisionDeferred"
        act: UUID

        def apply(self, agg: Dispute) -> None:
            agg.deferred = True

    class Escalated(Event):
        TOPIC = "sharedsvc:Dispute.Escalated"
        by: PartyId
        from_rung: Rung
        to: Rung
        reason: str | None

        def apply(self, agg: Dispute) -> None:
            agg.rung = self.to
            agg.rungs.append((self.to, self.on, self.reason))

    class PositionStated(Event):
        TOPIC = "sharedsvc:Dispute.PositionStated"
        party: PartyId
        position: immutabledict[str, Any]

        def apply(self, agg: Dispute) -> None:
            agg.positions[self.party] = self.position

    class SettlementProposed(Event):
        TOPIC = "sharedsvc:Dispute.SettlementProposed"
        by: PartyId
        terms: immutabledict[str, Any]

        def apply(self, agg: Dispute) -> None:
            agg.proposal = self.terms
            agg.accepted = []

    class SettlementAccepted(Event):
        TOPIC = "sharedsvc:Dispute.SettlementAccepted"
        party: PartyId

        def apply(self, agg: Dispute) -> None:
            agg.accepted.append(self.party)

    class Settled(Event):
        TOPIC = "sharedsvc:Dispute.Settled"
        terms: immutabledict[str, Any]
        concessions: tuple[Concession, ...]

        def apply(self, agg: Dispute) -> None:
            agg.status = SETTLED
            agg.outcome = self.terms
            agg.concessions = self.concessions

    class MediatorAppointed(Event):
        TOPIC = "sharedsvc:Dispute.MediatorAppointed"
        mediator: str
        by: PartyId

        def apply(self, agg: Dispute) -> None:
            agg.mediator = self.mediator

    class Determined(Event):
        TOPIC = "sharedsvc:Dispute.Determined"
        arbiter: str
        terms: immutabledict[str, Any]
        concessions: tuple[Concession, ...]

        def apply(self, agg: Dispute) -> None:
            agg.status = DETERMINED
            agg.outcome = self.terms
            agg.concessions = self.concessions

    class Withdrawn(Event):
        TOPIC = "sharedsvc:Dispute.Withdrawn"
        by: PartyId
        reason: str | None

        def apply(self, agg: Dispute) -> None:
            agg.status = WITHDRAWN

    if TYPE_CHECKING:  # state, declared for type checkers only (see Partnership)
        partnership_id: UUID
        raised_by: PartyId
        parties: tuple[PartyId, ...]
        subject: str
        act: UUID | None
        deferred: bool
        ladder: tuple[Rung, ...]
        rung: Rung
        rungs: list[tuple[Rung, date, str | None]]
        positions: dict[PartyId, immutabledict[str, Any]]
        proposal: immutabledict[str, Any] | None
        accepted: list[PartyId]
        mediator: str | None
        status: str
        outcome: immutabledict[str, Any] | None
        concessions: tuple[Concession, ...]
        last_on: date

    def __deepcopy__(self, memo: dict[int, Any]) -> Dispute:
        return copy_aggregate(self)

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
        at: datetime | None = None,
    ) -> Dispute:
        """``by`` raises a dispute with ``against`` about ``subject``, optionally deferring
        ``act`` (which the caller has checked is an open act of this partnership)."""
        raiser = partnership._begin(by, on, "the dispute")
        if isinstance(against, str) or not isinstance(against, Iterable):
            raise RuleViolation(INVALID, f"against takes a list of parties, not {against!r}")
        others = tuple(dict.fromkeys(party_id(p) for p in against))
        if not others or raiser in others:
            raise RuleViolation(
                "dispute-shape", "a dispute is raised against one or more other parties"
            )
        for other in others:
            require_member(other, partnership.active, partnership._where)
        check_text(subject, "subject", optional=False)
        if defer and act is None:
            raise RuleViolation("dispute-shape", "name the act in dispute to defer it")
        if defer:
            assert act is not None
            partnership.check_not_deferred(act, "the act")
        moment = stamp(at, partnership)
        dispute = cls._create(
            cls.Raised,
            partnership_id=partnership.id,
            raised_by=raiser,
            against=others,
            subject=subject,
            act=act,
            ladder=partnership.policy.ladder,
            on=on,
            timestamp=moment,
        )
        if defer:
            assert act is not None
            dispute.trigger_event(cls.DecisionDeferred, act=act, on=on, timestamp=moment)
            partnership.defer_act(act=act, dispute_id=dispute.id, on=on, at=moment)
        return dispute

    def escalate(
        self, *, by: str, on: date, reason: str | None = None, to: Rung | None = None,
        at: datetime | None = None,
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
                f"{getattr(to, 'value', to)}: one rung at a time, never down",
            )
        self._trigger(
            self.Escalated, at, by=actor, from_rung=self.rung, to=upper,
            reason=check_text(reason, "reason"), on=on,
        )  # fmt: skip
        return upper

    def appoint_mediator(
        self, *, mediator: str, by: str, on: date, at: datetime | None = None
    ) -> None:
        """Appoint a mediator, at the mediation rung."""
        actor = self._begin(by, on)
        check_text(mediator, "mediator", optional=False)
        if self.rung is not Rung.MEDIATION:
            raise RuleViolation(
                "mediator-at-mediation",
                f"the dispute is at {self.rung.value}: a mediator is appointed at the mediation "
                "rung; escalate first",
            )
        self._trigger(self.MediatorAppointed, at, mediator=mediator, by=actor, on=on)

    def state_position(
        self, *, party: str, position: Mapping[str, Any], on: date, by: str | None = None,
        at: datetime | None = None,
    ) -> None:  # fmt: skip
        """Record what ``party`` wants: subject -> value."""
        actor = self._begin(party, on, by=by)
        _check_terms(position, "position")
        self._trigger(self.PositionStated, at, party=actor, position=position, on=on)

    def propose_settlement(
        self, *, by: str, terms: Mapping[str, Any], on: date, at: datetime | None = None
    ) -> None:
        """Propose settlement terms (subject -> value); earlier acceptances lapse."""
        actor = self._begin(by, on)
        _check_terms(terms, "terms")
        self._trigger(self.SettlementProposed, at, by=actor, terms=terms, on=on)

    def accept_settlement(
        self, *, party: str, on: date, by: str | None = None, at: datetime | None = None
    ) -> bool:
        """``party`` accepts the terms proposed; the last acceptance settles the dispute.
        Returns whether it did."""
        actor = self._begin(party, on, by=by)
        if self.proposal is None:
            raise RuleViolation(
                "settlement-needs-every-acceptance",
                "no settlement is proposed: propose terms first",
            )
        if actor in self.accepted:
            raise RuleViolation(
                "settlement-needs-every-acceptance", f"{actor!r} already accepted these terms"
            )
        moment = stamp(at, self)
        self._trigger(self.SettlementAccepted, moment, party=actor, on=on)
        if set(self.parties) <= set(self.accepted):
            concessions = settlement_concessions(self.positions, self.proposal, self.subject)
            self._trigger(self.Settled, moment, terms=self.proposal, concessions=concessions, on=on)
        return self.status == SETTLED

    def determine(
        self, *, arbiter: str, terms: Mapping[str, Any], on: date, at: datetime | None = None
    ) -> None:
        """An arbiter determines the dispute, binding; only at the top rung."""
        self._begin(None, on)
        check_text(arbiter, "arbiter", optional=False)
        _check_terms(terms, "terms")
        if self.rung != self.ladder[-1]:
            raise RuleViolation(
                "determination-at-top-rung",
                f"the dispute is at {self.rung.value}; an arbiter determines it only at "
                f"{self.ladder[-1].value}: escalate first",
            )
        concessions = settlement_concessions(self.positions, terms, self.subject)
        self._trigger(
            self.Determined, at, arbiter=arbiter, terms=terms, concessions=concessions, on=on
        )

    def withdraw(
        self, *, by: str, on: date, reason: str | None = None, at: datetime | None = None
    ) -> None:
        """The party that raised the dispute withdraws it."""
        actor = self._begin(by, on)
        if actor != self.raised_by:
            raise NotAuthorised(
                "acts-for-itself", f"only {self.raised_by!r}, who raised the dispute, withdraws it"
            )
        self._trigger(self.Withdrawn, at, by=actor, reason=check_text(reason, "reason"), on=on)

    @property
    def resolved(self) -> bool:
        """Whether the dispute is settled, determined or withdrawn."""
        return self.status != OPEN

    # ----------------------------------------------------------------------- helpers --

    def _begin(self, actor: object | None, on: date, *, by: object | None = None) -> PartyId:
        """Open dispute, a disputing party acting for itself (``None``: an outsider, the
        arbiter), legal dates in order."""
        if self.status != OPEN:
            raise RuleViolation(
                "dispute-closed", f"the dispute is {self.status}: it takes no more acts"
            )
        party = PartyId("")
        if actor is not None:
            party = party_id(actor)
            if party not in self.parties:
                raise NotAuthorised(
                    "members-only",
                    f"{party!r} is not a party to this dispute ({', '.join(self.parties)}): "
                    "only disputing parties act in it",
                )
            require_self(party, by)
        require_date(on, self.last_on, "the act")
        return party

    def _trigger(self, event_class: type[DisputeEvent], at: datetime | None, **kw: Any) -> None:
        self.trigger_event(event_class, timestamp=stamp(at, self), **kw)


def _check_terms(terms: object, what: str) -> None:
    if not isinstance(terms, Mapping) or not terms:
        raise RuleViolation("dispute-shape", f"{what} map subjects to values, not {terms!r}")
    for subject in terms:
        if not isinstance(subject, str) or not subject.strip():
            raise RuleViolation("dispute-shape", f"{what}: subject {subject!r} is not text")
