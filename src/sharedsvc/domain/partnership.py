"""The Partnership aggregate: a shared service and its inter-authority agreement.

Every command checks its rules before it triggers an event, so a refused command changes
nothing. Events carry their results (new terms, rebased pools, computed concessions), so that
applying an event never recomputes or re-checks anything: replay is deterministic.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, ClassVar, cast
from uuid import UUID, uuid4

import attrs
from eventsourcing.domain import Aggregate, datetime_now_with_tzinfo
from eventsourcing.utils import get_topic, register_topic, resolve_topic
from immutabledict import immutabledict

from sharedsvc.domain.errors import NotFound, RuleViolation
from sharedsvc.domain.policy import Policy
from sharedsvc.domain.records import ADOPTED, REJECTED, PooledFunction, Variation, Withdrawal
from sharedsvc.domain.rules import (
    coverage_problems,
    host_problems,
    require,
    require_date,
    require_member,
    require_self,
)
from sharedsvc.domain.values import (
    INVALID,
    Concession,
    CostPool,
    DecisionRef,
    Money,
    Party,
    PartyId,
    Stage,
    Terms,
    freeze,
    party_id,
)

__all__ = ["Partnership"]


def _check_ref(ref: object) -> DecisionRef | None:
    if ref is not None and not isinstance(ref, DecisionRef):
        raise RuleViolation(INVALID, f"ref must be a DecisionRef or None, not {ref!r}")
    return ref


def _check_text(value: object, what: str, *, optional: bool = True) -> str | None:
    if value is None and optional:
        return None
    if not isinstance(value, str) or not value.strip():
        raise RuleViolation(INVALID, f"{what} must be a non-empty string, not {value!r}")
    return value


class Partnership(Aggregate):
    """A shared service between public bodies, and the agreement that governs it."""

    TOPIC = "sharedsvc:Partnership"
    snapshot_every: ClassVar[int] = 100

    # ----------------------------------------------------------------------------- events --

    class Event(Aggregate.Event):
        """Base of the partnership's events: each carries its legal date ``on``."""

        on: date

        def mutate(self, aggregate: Any) -> Any:
            agg = super().mutate(aggregate)
            agg.last_on = self.on
            return agg

        def __post_init__(self) -> None:
            super().__post_init__()
            for field in dataclasses.fields(self):
                value = getattr(self, field.name)
                frozen = freeze(value)
                if frozen is not value:
                    object.__setattr__(self, field.name, frozen)

    class Created(Event, Aggregate.Created):
        """Base of the creation event (never triggered itself: see :class:`Formed`)."""

        TOPIC = "sharedsvc:Partnership.Created"

    class Formed(Created):
        """The founders signed the agreement."""

        TOPIC = "sharedsvc:Partnership.Formed"
        name: str
        parties: tuple[Party, ...]
        terms: Terms
        stage: Stage
        policy: Policy
        ref: DecisionRef | None

        def apply(self, agg: Partnership) -> None:
            agg.name = self.name
            agg.policy = self.policy
            agg.parties = {party.id: party for party in self.parties}
            agg.active = [party.id for party in self.parties]
            agg.terms = self.terms
            agg.stage = self.stage
            agg.formed_on = self.on
            agg.last_on = self.on
            agg.variations = {}
            agg.withdrawals = {}
            agg.pooled = {}
            agg.deferred = {}
            agg.dissolved_on = None
            agg.final_account = None
            agg.scheduled = []
            agg.cutoff = None

    class VariationProposed(Event):
        TOPIC = "sharedsvc:Partnership.VariationProposed"
        variation: Variation

        def apply(self, agg: Partnership) -> None:
            agg.variations[self.variation.id] = self.variation

    class PositionStated(Event):
        TOPIC = "sharedsvc:Partnership.PositionStated"
        variation_id: UUID
        party: PartyId
        position: immutabledict[str, Any]

        def apply(self, agg: Partnership) -> None:
            v = agg.variations[self.variation_id]
            positions = {**v.positions, self.party: self.position}
            agg.variations[v.id] = attrs.evolve(v, positions=positions)

    class VariationApproved(Event):
        TOPIC = "sharedsvc:Partnership.VariationApproved"
        variation_id: UUID
        party: PartyId
        ref: DecisionRef | None

        def apply(self, agg: Partnership) -> None:
            v = agg.variations[self.variation_id]
            approvals = {**v.approvals, self.party: self.ref}
            agg.variations[v.id] = attrs.evolve(v, approvals=approvals)

    class VariationRejected(Event):
        TOPIC = "sharedsvc:Partnership.VariationRejected"
        variation_id: UUID
        party: PartyId
        reason: str | None
        ref: DecisionRef | None

        def apply(self, agg: Partnership) -> None:
            v = agg.variations[self.variation_id]
            agg.variations[v.id] = attrs.evolve(
                v, status=REJECTED, closed_on=self.on, rejected_by=self.party, reason=self.reason
            )

    class VariationAdopted(Event):
        TOPIC = "sharedsvc:Partnership.VariationAdopted"
        variation_id: UUID
        terms: Terms
        effective: date
        concessions: tuple[Concession, ...]
        approved_by: tuple[PartyId, ...]

        def apply(self, agg: Partnership) -> None:
            v = agg.variations[self.variation_id]
            agg.variations[v.id] = attrs.evolve(
                v,
                status=ADOPTED,
                closed_on=self.on,
                concessions=self.concessions,
                approved_by=self.approved_by,
            )
            if agg.takes_effect(self.effective, self.variation_id):
                agg.terms = self.terms

    class PartyAdmitted(Event):
        TOPIC = "sharedsvc:Partnership.PartyAdmitted"
        variation_id: UUID
        party: Party
        effective: date

        def apply(self, agg: Partnership) -> None:
            if agg.takes_effect(self.effective, self.variation_id):
                agg.parties[self.party.id] = self.party
                agg.active.append(self.party.id)

    class Dissolved(Event):
        TOPIC = "sharedsvc:Partnership.Dissolved"
        variation_id: UUID
        final_account: immutabledict[PartyId, Money] | None
        effective: date

        def apply(self, agg: Partnership) -> None:
            if agg.takes_effect(self.effective, self.variation_id):
                agg.dissolved_on = self.effective
                agg.final_account = self.final_account

    class StageChanged(Event):
        TOPIC = "sharedsvc:Partnership.StageChanged"
        from_stage: Stage
        to: Stage
        by: PartyId
        rationale: str | None
        ref: DecisionRef | None

        def apply(self, agg: Partnership) -> None:
            agg.stage = self.to

    class WithdrawalNoticeServed(Event):
        TOPIC = "sharedsvc:Partnership.WithdrawalNoticeServed"
        party: PartyId
        effective: date
        ref: DecisionRef | None

        def apply(self, agg: Partnership) -> None:
            agg.withdrawals[self.party] = Withdrawal(self.party, self.on, self.effective)

    class WithdrawalNoticeRetracted(Event):
        TOPIC = "sharedsvc:Partnership.WithdrawalNoticeRetracted"
        party: PartyId
        ref: DecisionRef | None

        def apply(self, agg: Partnership) -> None:
            del agg.withdrawals[self.party]

    class ExitCostsDetermined(Event):
        TOPIC = "sharedsvc:Partnership.ExitCostsDetermined"
        party: PartyId
        amount: Money
        by: PartyId
        ref: DecisionRef | None

        def apply(self, agg: Partnership) -> None:
            w = agg.withdrawals[self.party]
            agg.withdrawals[self.party] = attrs.evolve(
                w, exit_costs=self.amount, determined_by=self.by
            )

    class ExitPaymentSettled(Event):
        TOPIC = "sharedsvc:Partnership.ExitPaymentSettled"
        party: PartyId
        amount: Money
        ref: DecisionRef | None

        def apply(self, agg: Partnership) -> None:
            w = agg.withdrawals[self.party]
            agg.withdrawals[self.party] = attrs.evolve(w, paid=self.amount)

    class PartyWithdrew(Event):
        TOPIC = "sharedsvc:Partnership.PartyWithdrew"
        party: PartyId
        cost_pools: tuple[CostPool, ...]
        ref: DecisionRef | None

        def apply(self, agg: Partnership) -> None:
            agg.active.remove(self.party)
            agg.withdrawals.pop(self.party, None)
            agg.terms = attrs.evolve(agg.terms, cost_pools=self.cost_pools)

    # ------------------------------------------------------------------- state (typed) --
    # Declared for type checkers only: annotations in the class body would make eventsourcing
    # turn the aggregate into a dataclass.
    if TYPE_CHECKING:
        name: str
        policy: Policy
        parties: dict[PartyId, Party]
        active: list[PartyId]
        terms: Terms
        stage: Stage
        formed_on: date
        last_on: date
        variations: dict[UUID, Variation]
        withdrawals: dict[PartyId, Withdrawal]
        pooled: dict[str, PooledFunction]
        deferred: dict[UUID, UUID]
        dissolved_on: date | None
        final_account: immutabledict[PartyId, Money] | None
        scheduled: list[UUID]
        cutoff: date | None

    def takes_effect(self, effective: date, variation_id: UUID) -> bool:
        """Whether a change effective on ``effective`` applies to this (possibly dated) state.

        Without a cutoff every adopted change applies; a view ``as_of`` a date sets the cutoff,
        and a change effective later is listed in ``scheduled`` instead."""
        if self.cutoff is not None and effective > self.cutoff:
            if variation_id not in self.scheduled:
                self.scheduled.append(variation_id)
            return False
        return True

    def __deepcopy__(self, memo: dict[int, Any]) -> Partnership:
        # Every value held is immutable, so copying the containers is a deep copy in effect,
        # and stays cheap however long the history is.
        copy = object.__new__(type(self))
        state = dict(self.__dict__)
        for key, value in state.items():
            if isinstance(value, dict | list):
                state[key] = value.copy()
        state["_pending_events"] = []
        copy.__dict__.update(state)
        return copy

    class Snapshot(Aggregate.Snapshot):
        """The partnership's state at a version, stored so that loading skips older events."""

        TOPIC = "sharedsvc:Partnership.Snapshot"

        @classmethod
        def take(cls, aggregate: Any) -> Any:
            agg = cast("Partnership", aggregate)
            state = {
                "created_on": agg.created_on,
                "modified_on": agg.modified_on,
                "name": agg.name,
                "policy": agg.policy,
                "parties": list(agg.parties.values()),
                "active": list(agg.active),
                "terms": agg.terms,
                "stage": agg.stage,
                "formed_on": agg.formed_on,
                "last_on": agg.last_on,
                "variations": list(agg.variations.values()),
                "withdrawals": list(agg.withdrawals.values()),
                "pooled": list(agg.pooled.values()),
                "deferred": [[act, dispute] for act, dispute in agg.deferred.items()],
                "dissolved_on": agg.dissolved_on,
                "final_account": agg.final_account,
            }
            return cls(  # type: ignore[call-arg]
                originator_id=agg.id,
                originator_version=agg.version,
                timestamp=cls.create_timestamp(),
                topic=get_topic(type(agg)),
                state=state,
            )

        def mutate(self, _: Any) -> Any:
            s = self.state
            agg = cast("Partnership", object.__new__(resolve_topic(self.topic)))
            agg.__dict__.update(
                _id=self.originator_id,
                _version=self.originator_version,
                _created_on=s["created_on"],
                _modified_on=s["modified_on"],
                _pending_events=[],
                name=s["name"],
                policy=s["policy"],
                parties={party.id: party for party in s["parties"]},
                active=list(s["active"]),
                terms=s["terms"],
                stage=s["stage"],
                formed_on=s["formed_on"],
                last_on=s["last_on"],
                variations={v.id: v for v in s["variations"]},
                withdrawals={w.party: w for w in s["withdrawals"]},
                pooled={p.key: p for p in s["pooled"]},
                deferred=dict(s["deferred"]),
                dissolved_on=s["dissolved_on"],
                final_account=freeze(s["final_account"]),
                scheduled=[],
                cutoff=None,
            )
            return agg

    # ------------------------------------------------------------------------ commands --

    @classmethod
    def form(
        cls,
        name: str,
        *,
        parties: Iterable[Party],
        terms: Terms,
        stage: Stage,
        on: date,
        ref: DecisionRef | None = None,
        policy: Policy | None = None,
        at: datetime | None = None,
    ) -> Partnership:
        """Form a partnership: the founders sign ``terms`` at ``stage`` on ``on``."""
        _check_text(name, "name", optional=False)
        policy = Policy() if policy is None else policy
        if not isinstance(policy, Policy):
            raise RuleViolation(INVALID, f"policy must be a Policy, not {policy!r}")
        founders = tuple(parties)
        for party in founders:
            if not isinstance(party, Party):
                raise RuleViolation(INVALID, f"parties must be Party values, not {party!r}")
        ids = [party.id for party in founders]
        if len(set(ids)) != len(ids):
            raise RuleViolation(INVALID, f"a party is listed twice among {ids}")
        if len(ids) < 2:
            raise RuleViolation(
                "two-or-more-parties", f"a partnership needs two or more parties, not {ids}"
            )
        if not isinstance(terms, Terms):
            raise RuleViolation(INVALID, f"terms must be a Terms value, not {terms!r}")
        require(
            "shares-cover-active-parties",
            coverage_problems(terms, ids),
            "give every founder a share in every cost pool",
        )
        require("host-is-active", host_problems(terms, ids), "name a founder as host")
        cls._check_stage(stage, policy)
        require_date(on, None, "the formation")
        return cls._create(
            cls.Formed,
            name=name,
            parties=founders,
            terms=terms,
            stage=stage,
            policy=policy,
            ref=_check_ref(ref),
            on=on,
            timestamp=at,
        )

    def propose_variation(
        self,
        *,
        by: PartyId,
        changes: Mapping[str, Any] | None = None,
        admit: Iterable[Party] = (),
        dissolve: bool = False,
        final_account: Mapping[PartyId, Money] | None = None,
        rationale: str | None = None,
        effective: date | None = None,
        on: date,
        ref: DecisionRef | None = None,
        at: datetime | None = None,
    ) -> UUID:
        """Propose a variation of the terms; returns its id. Proposing is not approving."""
        proposer = self._begin(by, on, "the proposal")
        changes = dict(changes or {})
        joiners = tuple(admit)
        if not changes and not joiners and not dissolve:
            raise RuleViolation("variation-shape", "the variation changes nothing: say what")
        for joiner in joiners:
            if not isinstance(joiner, Party):
                raise RuleViolation(INVALID, f"admit takes Party values, not {joiner!r}")
            if joiner.id in self.active or [j.id for j in joiners].count(joiner.id) > 1:
                raise RuleViolation(
                    "variation-shape", f"{joiner.id!r} is already a party or listed twice"
                )
        if dissolve and (changes or joiners):
            raise RuleViolation(
                "variation-shape", "a dissolution neither changes terms nor admits parties"
            )
        if final_account is not None:
            if not dissolve:
                raise RuleViolation(
                    "variation-shape", "a final account belongs only to a dissolution"
                )
            final_account = self._final_account(final_account)
        if not isinstance(dissolve, bool):
            raise RuleViolation(INVALID, f"dissolve must be True or False, not {dissolve!r}")
        new_terms = self.terms.evolve(changes)
        changes = {name: getattr(new_terms, name) for name in changes}
        self._check_adoptable(new_terms, (*self.active, *(j.id for j in joiners)))
        if effective is not None:
            require_date(effective, on, "the effective date")
        variation = Variation(
            id=uuid4(),
            proposed_by=proposer,
            proposed_on=on,
            changes=changes,
            admit=joiners,
            dissolve=dissolve,
            final_account=final_account,
            rationale=_check_text(rationale, "rationale"),
            effective=effective,
            ref=_check_ref(ref),
        )
        self._trigger(self.VariationProposed, at, variation=variation, on=on)
        return variation.id

    def state_position(
        self,
        variation_id: UUID,
        *,
        party: PartyId,
        position: Mapping[str, Any],
        on: date,
        by: PartyId | None = None,
        at: datetime | None = None,
    ) -> None:
        """Record the terms ``party`` wants from an open variation (the shape of ``changes``)."""
        variation, party = self._open_variation(variation_id, party, by, on)
        if not isinstance(position, Mapping) or not position:
            raise RuleViolation("variation-shape", "a position maps terms to the values wanted")
        wanted = self.terms.evolve(position)
        position = {name: getattr(wanted, name) for name in position}
        self._trigger(
            self.PositionStated,
            at,
            variation_id=variation.id,
            party=party,
            position=position,
            on=on,
        )

    def approve_variation(
        self,
        variation_id: UUID,
        *,
        party: PartyId,
        on: date,
        ref: DecisionRef | None = None,
        by: PartyId | None = None,
        at: datetime | None = None,
    ) -> bool:
        """Approve a variation; the last approval adopts it. Returns whether it was adopted."""
        variation, party = self._open_variation(variation_id, party, by, on)
        if party in variation.approvals:
            raise RuleViolation(
                "approve-once", f"{party!r} already approved this variation: nothing to do"
            )
        dispute = self.deferred.get(variation.id)
        if dispute is not None:
            raise RuleViolation(
                "deferred-act-frozen",
                f"the variation is deferred by dispute {dispute}: settle, determine or "
                "withdraw the dispute first",
            )
        required = variation.required(tuple(self.active))
        adopts = set(required) <= {*variation.approvals, party}
        if adopts:
            new_terms = self.terms.evolve(variation.changes)
            self._check_adoptable(new_terms, required)
            effective = variation.effective or on
            require_date(effective, on, "the variation's effective date")
        at = self._stamp(at)
        self._trigger(
            self.VariationApproved,
            at,
            variation_id=variation.id,
            party=party,
            ref=_check_ref(ref),
            on=on,
        )
        if adopts:
            self._adopt(variation, new_terms, required, effective, on, at)
        return adopts

    def _adopt(
        self,
        variation: Variation,
        terms: Terms,
        required: tuple[PartyId, ...],
        effective: date,
        on: date,
        at: datetime,
    ) -> None:
        self._trigger(
            self.VariationAdopted,
            at,
            variation_id=variation.id,
            terms=terms,
            effective=effective,
            concessions=variation.concessions_for(terms),
            approved_by=required,
            on=on,
        )
        for joiner in variation.admit:
            self._trigger(
                self.PartyAdmitted,
                at,
                variation_id=variation.id,
                party=joiner,
                effective=effective,
                on=on,
            )
        if variation.dissolve:
            self._trigger(
                self.Dissolved,
                at,
                variation_id=variation.id,
                final_account=variation.final_account,
                effective=effective,
                on=on,
            )

    def reject_variation(
        self,
        variation_id: UUID,
        *,
        party: PartyId,
        on: date,
        reason: str | None = None,
        ref: DecisionRef | None = None,
        by: PartyId | None = None,
        at: datetime | None = None,
    ) -> None:
        """Reject a variation: one rejection closes it."""
        variation, party = self._open_variation(variation_id, party, by, on)
        self._trigger(
            self.VariationRejected,
            at,
            variation_id=variation.id,
            party=party,
            reason=_check_text(reason, "reason"),
            ref=_check_ref(ref),
            on=on,
        )

    def change_stage(
        self,
        *,
        to: Stage,
        by: PartyId,
        on: date,
        rationale: str | None = None,
        ref: DecisionRef | None = None,
        at: datetime | None = None,
    ) -> None:
        """Move the partnership along the continuum, forward or back."""
        actor = self._begin(by, on, "the stage change")
        self._check_stage(to, self.policy)
        if to == self.stage:
            raise RuleViolation("stage-changes", f"the partnership is already {to.value}")
        below = [
            f"{p.function.id} of {p.from_party} needs "
            f"{self.policy.minimum_stage(p.function.category).value}"
            for p in self.pooled.values()
            if to < self.policy.minimum_stage(p.function.category)
        ]
        require("stage-minimum-for-function", below, "recall those functions first")
        self._trigger(
            self.StageChanged,
            at,
            from_stage=self.stage,
            to=to,
            by=actor,
            rationale=_check_text(rationale, "rationale"),
            ref=_check_ref(ref),
            on=on,
        )

    def serve_withdrawal_notice(
        self,
        *,
        party: PartyId,
        on: date,
        ref: DecisionRef | None = None,
        by: PartyId | None = None,
        at: datetime | None = None,
    ) -> date:
        """Serve ``party``'s notice to withdraw; returns the earliest effective date."""
        party = self._begin(party, on, "the notice", by=by)
        if party in self.withdrawals:
            raise RuleViolation(
                "notice-served",
                f"{party!r} already served notice, effective "
                f"{self.withdrawals[party].effective.isoformat()}: retract it to serve anew",
            )
        effective = self.terms.notice.effective_date(on)
        self._trigger(
            self.WithdrawalNoticeServed,
            at,
            party=party,
            effective=effective,
            ref=_check_ref(ref),
            on=on,
        )
        return effective

    def retract_withdrawal_notice(
        self,
        *,
        party: PartyId,
        on: date,
        ref: DecisionRef | None = None,
        by: PartyId | None = None,
        at: datetime | None = None,
    ) -> None:
        """Retract ``party``'s notice: it stays a member as if it had never served notice."""
        party = self._begin(party, on, "the retraction", by=by)
        self._withdrawal(party)
        self._trigger(self.WithdrawalNoticeRetracted, at, party=party, ref=_check_ref(ref), on=on)

    def determine_exit_costs(
        self,
        *,
        party: PartyId,
        amount: Money,
        by: PartyId,
        on: date,
        ref: DecisionRef | None = None,
        at: datetime | None = None,
    ) -> None:
        """Determine what the leaving ``party`` must pay; ``by`` is a party that stays."""
        actor = self._begin(by, on, "the determination")
        leaver = require_member(party, self.active, self._where)
        withdrawal = self._withdrawal(leaver)
        if actor == leaver:
            raise RuleViolation(
                "exit-costs",
                f"{leaver!r} cannot determine its own exit costs: a remaining "
                "party determines them",
            )
        if withdrawal.settled:
            raise RuleViolation("exit-costs", f"{leaver!r} has already paid its exit costs")
        self._check_money(amount)
        self._trigger(
            self.ExitCostsDetermined,
            at,
            party=leaver,
            amount=amount,
            by=actor,
            ref=_check_ref(ref),
            on=on,
        )

    def settle_exit_payment(
        self,
        *,
        party: PartyId,
        amount: Money,
        on: date,
        ref: DecisionRef | None = None,
        by: PartyId | None = None,
        at: datetime | None = None,
    ) -> None:
        """Record that the leaving ``party`` paid its exit costs in full."""
        party = self._begin(party, on, "the payment", by=by)
        withdrawal = self._withdrawal(party)
        self._check_money(amount)
        if withdrawal.settled:
            raise RuleViolation("exit-costs", f"{party!r} has already paid its exit costs")
        if withdrawal.exit_costs is None:
            raise RuleViolation(
                "exit-costs", f"{party!r}'s exit costs are not determined yet: determine them first"
            )
        if amount != withdrawal.exit_costs:
            raise RuleViolation(
                "exit-costs",
                f"{party!r} owes {withdrawal.exit_costs}, not {amount}: "
                "settle the amount determined",
            )
        self._trigger(
            self.ExitPaymentSettled, at, party=party, amount=amount, ref=_check_ref(ref), on=on
        )

    def complete_withdrawal(
        self,
        *,
        party: PartyId,
        on: date,
        ref: DecisionRef | None = None,
        by: PartyId | None = None,
        at: datetime | None = None,
    ) -> None:
        """Complete ``party``'s withdrawal, rebasing every cost pool over those who remain.

        Checks, in order: ``notice-period``, ``exit-paid-before-leaving``,
        ``functions-returned-before-leaving``, ``host-is-active``, ``two-or-more-parties``."""
        party = self._begin(party, on, "the withdrawal", by=by)
        withdrawal = self.withdrawals.get(party)
        if withdrawal is None:
            raise RuleViolation(
                "notice-period", f"{party!r} has not served notice: serve notice first"
            )
        if on < withdrawal.effective:
            raise RuleViolation(
                "notice-period",
                f"{party!r}'s notice takes effect on {withdrawal.effective.isoformat()}, not "
                f"before: complete the withdrawal on or after that date",
            )
        if not withdrawal.settled:
            raise RuleViolation(
                "exit-paid-before-leaving",
                f"{party!r} has not paid its exit costs: determine and settle them first",
            )
        still_pooled = sorted(p.function.id for p in self.pooled.values() if p.from_party == party)
        if still_pooled:
            raise RuleViolation(
                "functions-returned-before-leaving",
                f"{party!r} still has {', '.join(still_pooled)} pooled: recall them first",
            )
        if self.terms.host == party:
            raise RuleViolation(
                "host-is-active",
                f"{party!r} hosts the service: vary the terms to name another host first",
            )
        remaining = [p for p in self.active if p != party]
        if len(remaining) < 2:
            raise RuleViolation(
                "two-or-more-parties",
                f"only {remaining} would remain: two parties part by dissolving the partnership",
            )
        pools = tuple(self.policy.rebase(pool, remaining) for pool in self.terms.cost_pools)
        self._trigger(
            self.PartyWithdrew, at, party=party, cost_pools=pools, ref=_check_ref(ref), on=on
        )

    # ------------------------------------------------------------------------- helpers --

    @property
    def _where(self) -> str:
        return f"partnership {self.name!r}"

    def _stamp(self, at: datetime | None) -> datetime:
        now = datetime_now_with_tzinfo() if at is None else at
        return max(now, self.modified_on)

    def _trigger(
        self, event_class: type[Partnership.Event], at: datetime | None, **kw: Any
    ) -> None:
        self.trigger_event(event_class, timestamp=self._stamp(at), **kw)

    def _begin(self, actor: object, on: date, what: str, *, by: object | None = None) -> PartyId:
        """The checks every command starts with: not dissolved, a member acting, dates in order."""
        if self.dissolved_on is not None:
            raise RuleViolation(
                "partnership-dissolved",
                f"{self._where} was dissolved on {self.dissolved_on.isoformat()}: it takes no acts",
            )
        party = require_member(actor, self.active, self._where)
        require_self(party, by)
        require_date(on, self.last_on, what)
        return party

    def _open_variation(
        self, variation_id: UUID, party: object, by: object | None, on: date
    ) -> tuple[Variation, PartyId]:
        variation = self.variations.get(variation_id) if isinstance(variation_id, UUID) else None
        if variation is None:
            raise NotFound(f"{self._where} has no variation {variation_id}")
        if self.dissolved_on is not None:
            self._begin(party, on, "the act")
        pid = require_member(party, variation.required(tuple(self.active)), self._where)
        require_self(pid, by)
        require_date(on, self.last_on, "the act")
        if not variation.is_open:
            raise RuleViolation(
                "variation-closed",
                f"the variation was {variation.status} on {variation.closed_on}: propose a new one",
            )
        return variation, pid

    def _check_adoptable(self, terms: Terms, parties: Iterable[PartyId]) -> None:
        parties = tuple(parties)
        require(
            "shares-cover-active-parties",
            coverage_problems(terms, parties),
            "give each active and joining party a share in every cost pool",
        )
        require("host-is-active", host_problems(terms, parties), "name an active party as host")

    def _withdrawal(self, party: PartyId) -> Withdrawal:
        withdrawal = self.withdrawals.get(party)
        if withdrawal is None:
            raise RuleViolation(
                "notice-served", f"{party!r} has not served notice to withdraw: serve it first"
            )
        return withdrawal

    def _final_account(self, account: Mapping[PartyId, Money]) -> dict[PartyId, Money]:
        result = {}
        for party, amount in account.items():
            result[require_member(party, self.active, self._where)] = amount
            self._check_money(amount, allow_negative=True)
        return result

    @staticmethod
    def _check_money(amount: object, *, allow_negative: bool = False) -> None:
        if not isinstance(amount, Money):
            raise RuleViolation(INVALID, f"amount must be Money, not {amount!r}")
        if amount.amount < 0 and not allow_negative:
            raise RuleViolation(INVALID, f"amount {amount} is negative")

    @staticmethod
    def _check_stage(stage: object, policy: Policy) -> None:
        if not isinstance(stage, Stage) or stage not in policy.continuum:
            raise RuleViolation(
                "stage-in-continuum",
                f"{stage!r} is not a stage of this agreement's continuum: use one of "
                f"{', '.join(s.name for s in policy.continuum)}",
            )

    def party(self, pid: str) -> Party:
        """The :class:`Party` with id ``pid`` (a current or former member)."""
        try:
            return self.parties[party_id(pid)]
        except KeyError:
            raise NotFound(f"{self._where} has no party {pid!r}") from None


# The snapshot class is not an aggregate event, so eventsourcing does not register its topic.
register_topic(Partnership.Snapshot.TOPIC, Partnership.Snapshot)
