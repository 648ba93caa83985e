"""The SovereigntyHandover aggregate: a council hands one of its functions to the shared service.

Every active party consents (or withholds consent), each for itself. The handover takes effect
only with every active party's consent and at or past the stage its category needs; effecting
writes ``Effected`` here and ``FunctionPooled`` on the partnership in one save, re-checking every
rule against the partnership it writes to.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import TYPE_CHECKING, Any
from uuid import UUID

from eventsourcing.domain import Aggregate

from sharedsvc.domain.dated import DatedEvent, copy_aggregate, stamp
from sharedsvc.domain.errors import NotAuthorised, RuleViolation
from sharedsvc.domain.partnership import Partnership
from sharedsvc.domain.partnership_state import check_ref, check_text
from sharedsvc.domain.rules import require_date, require_member, require_self
from sharedsvc.domain.transfers import DataRole, StaffTransfer
from sharedsvc.domain.values import INVALID, DecisionRef, Function, PartyId

__all__ = ["SovereigntyHandover"]

PROPOSED, EFFECTED, RECALLED, WITHDRAWN = "proposed", "effected", "recalled", "withdrawn"


class HandoverEvent(DatedEvent):
    """Base of a handover's events."""


class SovereigntyHandover(Aggregate):
    """A function a council hands over to the shared service, with what goes with it."""

    TOPIC = "sharedsvc:SovereigntyHandover"

    class Event(HandoverEvent):
        pass

    class Created(Event, Aggregate.Created):
        TOPIC = "sharedsvc:SovereigntyHandover.Created"

    class Proposed(Created):
        TOPIC = "sharedsvc:SovereigntyHandover.Proposed"
        partnership_id: UUID
        from_party: PartyId
        function: Function
        staff: tuple[StaffTransfer, ...]
        assets: tuple[str, ...]
        data_role: DataRole | None
        rationale: str | None
        ref: DecisionRef | None

        def apply(self, agg: SovereigntyHandover) -> None:
            agg.partnership_id = self.partnership_id
            agg.from_party = self.from_party
            agg.function = self.function
            agg.staff = self.staff
            agg.assets = self.assets
            agg.data_role = self.data_role
            agg.rationale = self.rationale
            agg.proposed_on = self.on
            agg.consents = {}
            agg.withheld = {}
            agg.status = PROPOSED
            agg.effected_on = None

    class ConsentGiven(Event):
        TOPIC = "sharedsvc:SovereigntyHandover.ConsentGiven"
        party: PartyId
        ref: DecisionRef | None

        def apply(self, agg: SovereigntyHandover) -> None:
            agg.withheld.pop(self.party, None)
            agg.consents[self.party] = self.ref

    class ConsentWithheld(Event):
        TOPIC = "sharedsvc:SovereigntyHandover.ConsentWithheld"
        party: PartyId
        reason: str | None
        ref: DecisionRef | None

        def apply(self, agg: SovereigntyHandover) -> None:
            agg.consents.pop(self.party, None)
            agg.withheld[self.party] = self.reason

    class Withdrawn(Event):
        TOPIC = "sharedsvc:SovereigntyHandover.Withdrawn"
        by: PartyId
        reason: str | None

        def apply(self, agg: SovereigntyHandover) -> None:
            agg.status = WITHDRAWN

    class Effected(Event):
        TOPIC = "sharedsvc:SovereigntyHandover.Effected"
        by: PartyId
        ref: DecisionRef | None

        def apply(self, agg: SovereigntyHandover) -> None:
            agg.status = EFFECTED
            agg.effected_on = self.on

    class Recalled(Event):
        TOPIC = "sharedsvc:SovereigntyHandover.Recalled"
        by: PartyId | None
        reason: str | None
        ref: DecisionRef | None

        def apply(self, agg: SovereigntyHandover) -> None:
            agg.status = RECALLED

    if TYPE_CHECKING:  # state, declared for type checkers only (see Partnership)
        partnership_id: UUID
        from_party: PartyId
        function: Function
        staff: tuple[StaffTransfer, ...]
        assets: tuple[str, ...]
        data_role: DataRole | None
        rationale: str | None
        proposed_on: date
        last_on: date
        consents: dict[PartyId, DecisionRef | None]
        withheld: dict[PartyId, str | None]
        status: str
        effected_on: date | None

    def __deepcopy__(self, memo: dict[int, Any]) -> SovereigntyHandover:
        return copy_aggregate(self)

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
        at: datetime | None = None,
    ) -> SovereigntyHandover:
        """``by`` proposes to hand its ``function`` over to the shared service."""
        proposer = partnership._begin(by, on, "the proposal")
        if not isinstance(function, Function):
            raise RuleViolation(INVALID, f"function must be a Function, not {function!r}")
        transfers = _values(staff, StaffTransfer, "staff")
        things = _values(assets, str, "assets")
        if data_role is not None and not isinstance(data_role, DataRole):
            raise RuleViolation(INVALID, f"data_role must be a DataRole, not {data_role!r}")
        held = partnership.pooled.get(f"{proposer}/{function.id}")
        if held is not None:
            raise RuleViolation(
                "one-holder-per-function",
                f"{function.id} of {proposer} is already pooled (handover {held.handover_id}): "
                "recall it before handing it over again",
            )
        return cls._create(
            cls.Proposed,
            partnership_id=partnership.id,
            from_party=proposer,
            function=function,
            staff=transfers,
            assets=things,
            data_role=data_role,
            rationale=check_text(rationale, "rationale"),
            ref=check_ref(ref),
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
        actor = self._begin(partnership, party, on, by=by)
        if actor in self.consents:
            raise RuleViolation(
                "consent-once", f"{actor!r} already consented to this handover: nothing to do"
            )
        self._trigger(self.ConsentGiven, at, partnership, party=actor, ref=check_ref(ref), on=on)

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
        if self.status == EFFECTED:
            raise RuleViolation(
                "consent-once",
                "the handover took effect: consent cannot be withdrawn now; recall it instead",
            )
        actor = self._begin(partnership, party, on, by=by)
        self._trigger(
            self.ConsentWithheld, at, partnership, party=actor,
            reason=check_text(reason, "reason"), ref=check_ref(ref), on=on,
        )  # fmt: skip

    def withdraw(
        self,
        partnership: Partnership,
        *,
        by: str,
        on: date,
        reason: str | None = None,
        at: datetime | None = None,
    ) -> None:
        """The proposer withdraws the handover before it takes effect."""
        actor = self._begin(partnership, by, on)
        if actor != self.from_party:
            raise NotAuthorised(
                "acts-for-itself",
                f"only {self.from_party!r}, who proposed the handover, can withdraw it",
            )
        self._trigger(
            self.Withdrawn, at, partnership, by=actor, reason=check_text(reason, "reason"), on=on
        )

    def effect(
        self,
        partnership: Partnership,
        *,
        on: date,
        by: str | None = None,
        ref: DecisionRef | None = None,
        at: datetime | None = None,
    ) -> None:
        """The handover takes effect: ``Effected`` here, ``FunctionPooled`` on the partnership.

        ``by`` defaults to the host (or, with none, the proposer). Checks, in order: the
        handover is open, ``by`` is a member, dates, ``deferred-act-frozen``,
        ``handover-needs-every-consent``, ``stage-minimum-for-function``,
        ``one-holder-per-function``."""
        actor_id = by if by is not None else (partnership.terms.host or self.from_party)
        actor = self._begin(partnership, actor_id, on)
        partnership.check_not_deferred(self.id, "the handover")
        missing = [p for p in partnership.active if p not in self.consents]
        if missing:
            raise RuleViolation(
                "handover-needs-every-consent",
                f"{', '.join(missing)} {'has' if len(missing) == 1 else 'have'} not consented: "
                "every active party consents before a handover takes effect",
            )
        partnership.check_poolable(self.from_party, self.function, self.id)
        require_date(on, partnership.last_on, "the handover")
        moment = stamp(at, self, partnership)
        self._trigger(self.Effected, moment, partnership, by=actor, ref=check_ref(ref), on=on)
        partnership.pool_function(
            handover_id=self.id, from_party=self.from_party, function=self.function, on=on,
            at=moment,
        )  # fmt: skip

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
        """The function goes back to its council: ``Recalled`` here, ``FunctionReturned`` on the
        partnership (unless the partnership already returned it, on dissolution)."""
        if self.status != EFFECTED:
            raise RuleViolation(
                "handover-closed",
                f"the handover is {self.status}, not in effect: nothing to recall",
            )
        actor: PartyId | None = None
        if partnership.dissolved_on is None:
            actor = require_member(by, partnership.active, partnership._where)
            if actor != self.from_party:
                raise NotAuthorised(
                    "acts-for-itself", f"only {self.from_party!r} can recall its own function"
                )
        require_date(on, max(self.last_on, partnership.last_on), "the recall")
        moment = stamp(at, self, partnership)
        self._trigger(
            self.Recalled, moment, partnership, by=actor, reason=check_text(reason, "reason"),
            ref=check_ref(ref), on=on,
        )  # fmt: skip
        if partnership.pooled_by(self.id) is not None:
            partnership.return_function(handover_id=self.id, reason=reason, on=on, at=moment)

    # ----------------------------------------------------------------------- helpers --

    def _begin(
        self, partnership: Partnership, actor: object, on: date, *, by: object | None = None
    ) -> PartyId:
        """Open handover, a member acting for itself, legal dates in order."""
        if self.status != PROPOSED:
            raise RuleViolation(
                "handover-closed", f"the handover is {self.status}: it takes no more acts"
            )
        partnership._refuse_if_dissolved()
        party = require_member(actor, partnership.active, partnership._where)
        require_self(party, by)
        require_date(on, self.last_on, "the act")
        return party

    def _trigger(
        self, event_class: type[HandoverEvent], at: datetime | None, *aggregates: Any, **kw: Any
    ) -> None:
        self.trigger_event(event_class, timestamp=stamp(at, self, *aggregates), **kw)


def _values(items: Iterable[Any], kind: type, what: str) -> tuple[Any, ...]:
    if isinstance(items, str | kind) or not isinstance(items, Iterable):
        raise RuleViolation(INVALID, f"{what} takes a list of {kind.__name__}, not {items!r}")
    values = tuple(items)
    for item in values:
        if not isinstance(item, kind) or (isinstance(item, str) and not item.strip()):
            raise RuleViolation(INVALID, f"{item!r} in {what} is not a {kind.__name__}")
    return values
