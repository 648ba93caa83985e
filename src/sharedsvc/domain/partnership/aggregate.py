"""The Partnership aggregate: a shared service and its inter-authority agreement.

Every command checks its rules before it triggers an event, so a refused command changes
nothing. The class lists every command; forming and changing stage are here, the others in
modules by subject: `.variations`, `.withdrawals`, `.succession`, `.pooling` (the
partnership's side of handovers and disputes), `.relationship` (readiness, stage gates
and targets) and `.money` (budgets and usage). The events are in `.events`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any
from uuid import UUID

import attrs
from immutabledict import immutabledict

from sharedsvc._adapters.aggregates import create, upcast_v1_snapshot_state
from sharedsvc.domain.aggregate import Past, SharedAggregate
from sharedsvc.domain.checks import (
    check_ref,
    check_text,
    check_values,
    require_date,
    require_member,
)
from sharedsvc.domain.errors import NotFound, RuleViolation
from sharedsvc.domain.ids import new_id
from sharedsvc.domain.partnership import events as ev
from sharedsvc.domain.partnership import (
    money,
    pooling,
    relationship,
    succession,
    variations,
    withdrawals,
)
from sharedsvc.domain.partnership.closed import ClosedVariations, statuses
from sharedsvc.domain.policy import Policy
from sharedsvc.domain.readiness import AreaScore
from sharedsvc.domain.records import (
    PooledFunction,
    Succession,
    Variation,
    Withdrawal,
)
from sharedsvc.domain.rules import coverage_problems, host_problems, require
from sharedsvc.domain.state import items, kept, mapping, pairs, recalled, records, transient
from sharedsvc.domain.targets import Target
from sharedsvc.domain.validators import shown
from sharedsvc.domain.values import (
    INVALID,
    DecisionRef,
    Money,
    Party,
    PartyId,
    Stage,
    Terms,
    freeze,
    party_id,
)

__all__ = ["Partnership", "PartnershipState"]

CLOSING_TOPICS = frozenset({ev.VariationAdopted.TOPIC, ev.VariationRejected.TOPIC})
"""The events that close a variation (each says how: ``closes_as``)."""


@attrs.define(init=False, eq=False, repr=False, slots=False, kw_only=True)
class PartnershipState:
    """What a partnership knows: its open business, and of closed variations only their status,
    which its snapshots leave out and the record answers (`.closed`), so that a snapshot does
    not grow with the history (see `sharedsvc.domain.state`)."""

    name: str
    policy: Policy
    parties: dict[PartyId, Party] = records("id")  # every party it ever had
    active: list[PartyId] = items()  # the current members, in order of joining
    terms: Terms
    stage: Stage
    formed_on: date
    last_on: date
    variations: dict[UUID, Variation] = records("id")  # the open ones
    closed: ClosedVariations = recalled(ClosedVariations, ClosedVariations.restored)
    withdrawals: dict[PartyId, Withdrawal] = records("party")  # in progress
    # completed, in order of completion (None: not known from an older snapshot)
    exited: immutabledict[PartyId, Withdrawal] | None = kept(freeze, default=immutabledict())
    pooled: dict[str, PooledFunction] = records("key")
    deferred: dict[UUID, UUID] = pairs()  # act -> the dispute that froze it
    dissolved_on: date | None = None
    final_account: immutabledict[PartyId, Money] | None = None
    successions: dict[PartyId, Succession] = mapping()  # predecessor -> its succession
    readiness: dict[str, AreaScore] = records("key")  # the latest score per party and area
    targets: dict[UUID, Target] = records("id")  # with the outcomes recorded against them
    scheduled: dict[UUID, Variation] = transient(dict)  # see takes_effect
    cutoff: date | None = transient()


class Partnership(ev.PartnershipEvents, PartnershipState, SharedAggregate):
    """A shared service between public bodies, and the agreement that governs it."""

    TOPIC = "sharedsvc:Partnership"
    snapshot_every = 100  # events (no annotation: eventsourcing would make a dataclass)
    class_version = 5  # of the snapshot state: eventsourcing's, with the fields as declared
    upcast_v1_v2 = staticmethod(upcast_v1_snapshot_state)

    @staticmethod
    def upcast_v2_v3(state: dict[str, Any]) -> None:
        """Version 3 keeps completed withdrawals (``exited``). A version 2 snapshot taken
        before any party left has none; one taken later cannot say what they were, so its
        ``exited`` is ``None`` and a view reads them from the events instead."""
        former = {party.id for party in state["parties"]} - set(state["active"])
        state["exited"] = None if former else immutabledict()

    @staticmethod
    def upcast_v3_v4(state: dict[str, Any]) -> None:
        """Version 4 keeps the latest readiness scores and the targets; a version 3 snapshot
        was taken before either could be recorded, so it has none."""
        state["readiness"] = []
        state["targets"] = []

    @staticmethod
    def upcast_v4_v5(state: dict[str, Any]) -> None:
        """Version 5 leaves out the statuses of closed variations (the record answers for
        them: `.closed`); a version 4 snapshot's are passed over, the record holding the same."""
        state.pop("closed", None)

    def attach_record(self, past: Past) -> None:
        """A partnership's snapshot leaves out the statuses of the variations it closed: they
        are read from ``past`` if they are asked for (`.closed`)."""
        self.closed.attach(lambda: statuses(past(CLOSING_TOPICS)))

    # The variation workflow
    propose_variation = variations.propose_variation
    state_position = variations.state_position
    approve_variation = variations.approve_variation
    reject_variation = variations.reject_variation
    # Withdrawal
    serve_withdrawal_notice = withdrawals.serve_withdrawal_notice
    retract_withdrawal_notice = withdrawals.retract_withdrawal_notice
    determine_exit_costs = withdrawals.determine_exit_costs
    settle_exit_payment = withdrawals.settle_exit_payment
    complete_withdrawal = withdrawals.complete_withdrawal
    # Succession
    succeed = succession.succeed
    successors_of = succession.successors_of
    check_new_ids = succession.check_new_ids
    # Readiness, stage gates and targets
    assess_readiness = relationship.assess_readiness
    unready = relationship.unready
    check_gate = relationship.check_gate
    crossed_gates = relationship.crossed_gates
    set_target = relationship.set_target
    record_outcome = relationship.record_outcome
    # Budgets and usage, from which the recharges are worked out
    set_budget = money.set_budget
    record_usage = money.record_usage
    # The partnership's side of handovers and disputes
    check_poolable = pooling.check_poolable
    check_not_deferred = pooling.check_not_deferred
    pool_function = pooling.pool_function
    pooled_by = pooling.pooled_by
    return_function = pooling.return_function
    returns_pending = pooling.returns_pending
    defer_act = pooling.defer_act
    release_act = pooling.release_act

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
        check_text(name, "name", optional=False)
        policy = Policy() if policy is None else policy
        if not isinstance(policy, Policy):
            raise RuleViolation(INVALID, f"policy must be a Policy, not {shown(policy)}")
        founders = check_values(parties, Party, "parties")
        ids = [party.id for party in founders]
        if len(set(ids)) != len(ids):
            raise RuleViolation(INVALID, f"a party is listed twice among {ids}")
        if len(ids) < 2:
            raise RuleViolation(
                "two-or-more-parties", f"a partnership needs two or more parties, not {ids}"
            )
        if not isinstance(terms, Terms):
            raise RuleViolation(INVALID, f"terms must be a Terms value, not {shown(terms)}")
        require(
            "shares-cover-active-parties",
            coverage_problems(terms, ids),
            "give every founder a share in every cost pool",
        )
        require("host-is-active", host_problems(terms, ids), "name a founder as host")
        cls._check_stage(stage, policy)
        require_date(on, None, "the formation")
        return create(
            cls,
            ev.Formed,
            id=new_id(),
            name=name,
            parties=founders,
            terms=terms,
            stage=stage,
            policy=policy,
            ref=check_ref(ref),
            on=on,
            timestamp=at,
        )

    def change_stage(
        self,
        *,
        to: Stage,
        by: str,
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
        self.check_gate(to, on)
        self._trigger(
            ev.StageChanged,
            at,
            from_stage=self.stage,
            to=to,
            by=actor,
            rationale=check_text(rationale, "rationale"),
            ref=check_ref(ref),
            on=on,
        )

    def note(
        self,
        *,
        kind: str,
        text: str,
        by: str,
        on: date,
        party: str | None = None,
        ref: DecisionRef | None = None,
        at: datetime | None = None,
    ) -> None:
        """Record an outside event: ``by``, a member (or, once dissolved, a member at the
        end), notes ``text`` of ``kind``, concerning ``party`` (a current or former party)."""
        actor = self._member(by)
        check_text(kind, "kind", optional=False)
        check_text(text, "text", optional=False)
        concerned = None if party is None else self.party(party).id
        require_date(on, self.last_on, "the note")
        self._trigger(
            ev.NoteRecorded, at, kind=kind, text=text, party=concerned, by=actor,
            ref=check_ref(ref), on=on,
        )  # fmt: skip

    # ------------------------------------------------------------------------ queries --

    def party(self, pid: str) -> Party:
        """The [`Party`][sharedsvc.Party] with id ``pid`` (a current or former member)."""
        try:
            return self.parties[party_id(pid)]
        except KeyError:
            raise NotFound(f"{self._where} has no party {pid!r}") from None

    def takes_effect(self, effective: date) -> bool:
        """Whether a change effective on ``effective`` applies to this (possibly dated) state.

        Without a cutoff every adopted change applies; a view ``as_of`` a date sets the cutoff,
        and a variation effective later is kept in ``scheduled`` instead."""
        return self.cutoff is None or effective <= self.cutoff

    # ------------------------------------------------------------------------ helpers --

    @property
    def _where(self) -> str:
        return f"partnership {self.name!r}"

    def _refuse_if_closed(self, on: date | None = None) -> None:
        if self.dissolved_on is None:
            return
        if on is not None and self.last_on <= on < self.dissolved_on:
            raise RuleViolation(
                "dissolution-pending",
                f"{self._where} is dissolved with effect from {self.dissolved_on.isoformat()}: "
                "until then it takes no act but notes",
            )
        raise RuleViolation(
            "partnership-dissolved",
            f"{self._where} was dissolved on {self.dissolved_on.isoformat()}: it takes no acts",
        )

    def _member(self, actor: object) -> PartyId:
        return require_member(actor, self.active, self._where)

    @staticmethod
    def _check_stage(stage: object, policy: Policy) -> None:
        if not isinstance(stage, Stage) or stage not in policy.continuum:
            raise RuleViolation(
                "stage-in-continuum",
                f"{shown(stage)} is not a stage of this agreement's continuum: use one of "
                f"{', '.join(s.name for s in policy.continuum)}",
            )
