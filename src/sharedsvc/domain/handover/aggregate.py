"""The SovereigntyHandover aggregate: a council hands one of its functions to the shared service.

Every active party consents (or withholds consent), each for itself. The handover takes effect
only with every active party's consent and at or past the stage its category needs; effecting
it records the pooled function on the partnership in the same save, re-checking every rule
against the partnership it writes to.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from uuid import UUID

import attrs

from sharedsvc._adapters.aggregates import create
from sharedsvc.domain.aggregate import SharedAggregate
from sharedsvc.domain.checks import (
    check_ref,
    check_text,
    check_values,
    require_date,
    require_member,
)
from sharedsvc.domain.dated import stamp
from sharedsvc.domain.errors import NotAuthorised, RuleViolation
from sharedsvc.domain.handover import events as ev
from sharedsvc.domain.handover.events import HandoverStatus
from sharedsvc.domain.ids import new_id
from sharedsvc.domain.partnership import Partnership
from sharedsvc.domain.records import PooledFunction
from sharedsvc.domain.state import kept, mapping
from sharedsvc.domain.transfers import DataRole, StaffTransfer
from sharedsvc.domain.validators import shown
from sharedsvc.domain.values import INVALID, DecisionRef, Function, PartyId

__all__ = ["HandoverState", "SovereigntyHandover"]


@attrs.define(init=False, eq=False, repr=False, slots=False, kw_only=True)
class HandoverState:
    """What a handover knows (see `sharedsvc.domain.state`)."""

    partnership_id: UUID
    from_party: PartyId
    from_parties: tuple[PartyId, ...] = ()  # every party that cedes it (from_party first)
    function: Function
    staff: tuple[StaffTransfer, ...]
    assets: tuple[str, ...]
    data_role: DataRole | None
    rationale: str | None
    proposed_on: date
    last_on: date
    consents: dict[PartyId, DecisionRef | None] = mapping()
    withheld: dict[PartyId, str | None] = mapping()
    status: HandoverStatus = kept(HandoverStatus, default=HandoverStatus.PROPOSED)
    effected_on: date | None = None
    recalled_on: date | None = None
    returned: tuple[PartyId, ...] = ()  # from-parties that took their share back
    ceded_by: tuple[PartyId, ...] = ()  # once the proposer was succeeded: its successors


class SovereigntyHandover(ev.HandoverEvents, HandoverState, SharedAggregate):
    """A function a council hands over to the shared service, with what goes with it."""

    TOPIC = "sharedsvc:SovereigntyHandover"

    # ---------------------------------------------------------------------- commands --

    @classmethod
    def propose(
        cls,
        partnership: Partnership,
        *,
        function: Function,
        by: str,
        staff: Iterable[StaffTransfer] = (),
        assets: Iterable[str] = (),
        data_role: DataRole | None = None,
        rationale: str | None = None,
        on: date,
        ref: DecisionRef | None = None,
        from_parties: Iterable[str] = (),
        at: datetime | None = None,
    ) -> SovereigntyHandover:
        """``by`` proposes to hand its ``function`` over to the shared service; with
        ``from_parties`` (``by`` among them), a service combined from each of them."""
        proposer = partnership._begin(by, on, "the proposal")
        ceding = _ceding(partnership, proposer, from_parties)
        if not isinstance(function, Function):
            raise RuleViolation(INVALID, f"function must be a Function, not {shown(function)}")
        transfers = check_values(staff, StaffTransfer, "staff")
        things = check_values(assets, str, "assets")
        if data_role is not None and not isinstance(data_role, DataRole):
            raise RuleViolation(INVALID, f"data_role must be a DataRole, not {shown(data_role)}")
        for party in ceding:
            held = partnership.pooled.get(PooledFunction.key_of(party, function))
            if held is not None:
                raise RuleViolation(
                    "one-holder-per-function",
                    f"{function.id} of {party} is already pooled (handover "
                    f"{held.handover_id}): recall it before handing it over again",
                )
        return create(
            cls,
            ev.Proposed,
            id=new_id(),
            partnership_id=partnership.id,
            from_party=proposer,
            function=function,
            staff=transfers,
            assets=things,
            data_role=data_role,
            rationale=check_text(rationale, "rationale"),
            ref=check_ref(ref),
            from_parties=ceding if len(ceding) > 1 else (),
            on=on,
            timestamp=stamp(at, partnership),
        )

    def consent(
        self,
        partnership: Partnership,
        *,
        party: str,
        on: date,
        ref: DecisionRef | None = None,
        by: str | None = None,
        at: datetime | None = None,
    ) -> None:
        """``party`` consents to the handover, with its decision reference."""
        actor = self._begin(party, on, by=by, within=partnership)
        if actor in self.consents:
            raise RuleViolation(
                "consent-once", f"{actor!r} already consented to this handover: nothing to do"
            )
        self._trigger(ev.ConsentGiven, at, partnership, party=actor, ref=check_ref(ref), on=on)

    def withhold_consent(
        self,
        partnership: Partnership,
        *,
        party: str,
        on: date,
        reason: str | None = None,
        ref: DecisionRef | None = None,
        by: str | None = None,
        at: datetime | None = None,
    ) -> None:
        """``party`` withholds its consent (or withdraws it, before the handover takes effect)."""
        if self.status is HandoverStatus.EFFECTED:
            raise RuleViolation(
                "consent-once",
                "the handover took effect: consent cannot be withdrawn now; recall it instead",
            )
        actor = self._begin(party, on, by=by, within=partnership)
        self._trigger(
            ev.ConsentWithheld, at, partnership, party=actor,
            reason=check_text(reason, "reason"), ref=check_ref(ref), on=on,
        )  # fmt: skip

    def withdraw(
        self,
        partnership: Partnership,
        *,
        by: str,
        on: date,
        reason: str | None = None,
        ref: DecisionRef | None = None,
        at: datetime | None = None,
    ) -> None:
        """The proposer withdraws the handover before it takes effect."""
        actor = self._begin(by, on, within=partnership)
        if actor not in self.ceding(partnership):
            raise NotAuthorised(
                "acts-for-itself",
                f"only {self.from_party!r}, who proposed the handover (or its successors), "
                "can withdraw it",
            )
        self._trigger(
            ev.Withdrawn, at, partnership, by=actor, reason=check_text(reason, "reason"),
            ref=check_ref(ref), on=on,
        )  # fmt: skip

    def effect(
        self,
        partnership: Partnership,
        *,
        on: date,
        by: str | None = None,
        ref: DecisionRef | None = None,
        at: datetime | None = None,
    ) -> None:
        """The handover takes effect, and the partnership records the function pooled.

        ``by`` defaults to the host; a partnership without one must name who effects it
        (``invalid-value``). Checks, in order: the handover is open, ``by`` is given and a
        member, dates, ``deferred-act-frozen``, ``handover-needs-every-consent``,
        ``stage-minimum-for-function``, ``one-holder-per-function``."""
        self._refuse_if_closed()
        partnership._refuse_if_closed()
        actor_id = by if by is not None else partnership.terms.host
        if actor_id is None:
            raise RuleViolation(
                INVALID,
                f"{partnership._where} has no host to effect the handover: name the member "
                "who effects it with by=",
            )
        actor = self._begin(actor_id, on, within=partnership)
        partnership.check_not_deferred(self.id, "the handover")
        missing = [p for p in partnership.active if p not in self.consents]
        if missing:
            raise RuleViolation(
                "handover-needs-every-consent",
                f"{', '.join(missing)} {'has' if len(missing) == 1 else 'have'} not consented: "
                "every active party consents before a handover takes effect",
            )
        for party in self.ceding(partnership):
            partnership.check_poolable(party, self.function, self.id)
        require_date(on, partnership.last_on, "the handover")
        moment = self._stamp(at, partnership)
        self._trigger(ev.Effected, moment, partnership, by=actor, ref=check_ref(ref), on=on)
        for party in self.ceding(partnership):  # each share pooled on its own
            partnership.pool_function(
                handover_id=self.id, from_party=party, function=self.function, on=on, at=moment
            )

    def recall(
        self,
        partnership: Partnership,
        *,
        by: str | None,
        on: date,
        reason: str | None = None,
        ref: DecisionRef | None = None,
        at: datetime | None = None,
    ) -> None:
        """The function goes back to its council, here and on the partnership (unless the
        partnership already returned it, on dissolution). Of a combined service, ``by`` takes
        back its own share only; ``by=None`` (a dissolution) recalls every share."""
        if self.status is not HandoverStatus.EFFECTED:
            raise RuleViolation(
                "handover-closed",
                f"the handover is {self.status}, not in effect: nothing to recall",
            )
        actor: PartyId | None = None
        if partnership.dissolved_on is None:
            actor = require_member(by, partnership.active, partnership._where)
            if actor not in self.ceding(partnership):
                raise NotAuthorised(
                    "acts-for-itself",
                    f"only {' or '.join(map(repr, self.ceding(partnership)))} can recall "
                    "its own function",
                )
            if actor in self.returned:
                raise RuleViolation(
                    "handover-closed", f"{actor!r} already took its share back: nothing to recall"
                )
        require_date(on, max(self.last_on, partnership.last_on), "the recall")
        moment = self._stamp(at, partnership)
        self._trigger(
            ev.Recalled, moment, partnership, by=actor, reason=check_text(reason, "reason"),
            ref=check_ref(ref), on=on,
        )  # fmt: skip
        for party in self.ceding(partnership) if actor is None else (actor,):
            share = partnership.pooled.get(PooledFunction.key_of(party, self.function))
            if share is not None and share.handover_id == self.id:
                partnership.return_function(
                    handover_id=self.id, from_party=party, reason=reason, on=on, at=moment
                )

    def succeed(
        self,
        *,
        predecessor: PartyId,
        successors: tuple[PartyId, ...],
        on: date,
        ref: DecisionRef | None = None,
        at: datetime | None = None,
    ) -> None:
        """``predecessor`` was succeeded (written with the partnership's succession): if it
        had consented to this handover, still proposed, its consent counts for each successor
        that has not answered (otherwise consent is awaited from each successor); if it cedes
        the function (proposed, or in effect and its share not taken back), its successors
        cede it instead, and may withdraw or recall it."""
        if self.status not in (HandoverStatus.PROPOSED, HandoverStatus.EFFECTED):
            return
        consented = predecessor in self.consents and self.status is HandoverStatus.PROPOSED
        inheriting = tuple(
            p for p in successors if consented and p not in self.consents and p not in self.withheld
        )
        cedes = predecessor in (self.from_parties or (self.from_party,))
        if not inheriting and (not cedes or predecessor in self.returned):
            return
        require_date(on, self.last_on, "the succession")
        self._trigger(
            ev.PartySucceeded, at, predecessor=predecessor, successors=successors,
            inheriting=inheriting, consent=self.consents.get(predecessor), ref=ref, on=on,
        )  # fmt: skip

    def ceding(self, partnership: Partnership) -> tuple[PartyId, ...]:
        """The parties that cede the function (``from_parties``): the proposer and those it
        combined the service with, each succeeded party replaced by its successors."""
        return self.from_parties or (self.from_party,)  # () in a state kept before 0.2

    # ----------------------------------------------------------------------- helpers --

    def _refuse_if_closed(self, on: date | None = None) -> None:
        if self.status is not HandoverStatus.PROPOSED:
            raise RuleViolation(
                "handover-closed", f"the handover is {self.status}: it takes no more acts"
            )


def _ceding(
    partnership: Partnership, proposer: PartyId, given: Iterable[str]
) -> tuple[PartyId, ...]:
    """The parties that cede the function: the proposer first, then the others of ``given``
    in their order (``given`` empty: the proposer alone). Each must be an active member,
    named once, and the proposer one of them."""
    if isinstance(given, str) or not isinstance(given, Iterable):
        raise RuleViolation(INVALID, f"from_parties takes a list of party ids, not {shown(given)}")
    named = [require_member(party, partnership.active, partnership._where) for party in given]
    if len(set(named)) != len(named):
        raise RuleViolation(INVALID, f"a party is listed twice in from_parties {named}")
    if named and proposer not in named:
        raise NotAuthorised(
            "acts-for-itself",
            f"{proposer!r} proposes handing over only a function it cedes itself: "
            f"list it in from_parties {named}",
        )
    return (proposer, *(party for party in named if party != proposer))
