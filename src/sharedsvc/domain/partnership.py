"""The Partnership aggregate: a shared service and its inter-authority agreement.

Every command checks its rules before it triggers an event, so a refused command changes
nothing. The events are in :mod:`.partnership_events`; the variation and withdrawal commands in
:mod:`.variations` and :mod:`.withdrawals`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import ClassVar

from eventsourcing.domain import Aggregate

from sharedsvc.domain import partnership_events as ev
from sharedsvc.domain.errors import RuleViolation
from sharedsvc.domain.partnership_state import check_ref, check_text
from sharedsvc.domain.policy import Policy
from sharedsvc.domain.pooling import PoolingCommands
from sharedsvc.domain.rules import coverage_problems, host_problems, require, require_date
from sharedsvc.domain.values import INVALID, DecisionRef, Party, Stage, Terms
from sharedsvc.domain.variations import VariationCommands
from sharedsvc.domain.withdrawals import WithdrawalCommands

__all__ = ["Partnership"]


class Partnership(VariationCommands, WithdrawalCommands, PoolingCommands, Aggregate):
    """A shared service between public bodies, and the agreement that governs it."""

    TOPIC = "sharedsvc:Partnership"
    snapshot_every: ClassVar[int] = 100

    Event = ev.PartnershipEvent
    Created = ev.Created
    Formed = ev.Formed
    VariationProposed = ev.VariationProposed
    PositionStated = ev.PositionStated
    VariationApproved = ev.VariationApproved
    VariationRejected = ev.VariationRejected
    VariationAdopted = ev.VariationAdopted
    PartyAdmitted = ev.PartyAdmitted
    Dissolved = ev.Dissolved
    StageChanged = ev.StageChanged
    WithdrawalNoticeServed = ev.WithdrawalNoticeServed
    WithdrawalNoticeRetracted = ev.WithdrawalNoticeRetracted
    ExitCostsDetermined = ev.ExitCostsDetermined
    ExitPaymentSettled = ev.ExitPaymentSettled
    PartyWithdrew = ev.PartyWithdrew
    FunctionPooled = ev.FunctionPooled
    FunctionReturned = ev.FunctionReturned
    ActDeferred = ev.ActDeferred
    ActReleased = ev.ActReleased
    Snapshot = ev.PartnershipSnapshot

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
            ev.Formed,
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

    @staticmethod
    def _check_stage(stage: object, policy: Policy) -> None:
        if not isinstance(stage, Stage) or stage not in policy.continuum:
            raise RuleViolation(
                "stage-in-continuum",
                f"{stage!r} is not a stage of this agreement's continuum: use one of "
                f"{', '.join(s.name for s in policy.continuum)}",
            )
