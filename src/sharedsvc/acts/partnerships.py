"""The acts on a partnership: forming it, varying it, moving it along the continuum, leaving it,
and the working relationship (readiness, targets and outcomes).

Each class is one act of the catalogue (see [`sharedsvc.acts`][sharedsvc.acts]); its docstring is
the verb's.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from types import MappingProxyType
from typing import Any, TypeVar
from uuid import UUID

import attrs

from sharedsvc.acts._base import READINESS_SCORES, TERM_CHANGES, Act, door, refers_to
from sharedsvc.domain.coordination import Unit, recall_dissolved
from sharedsvc.domain.handover import SovereigntyHandover
from sharedsvc.domain.partnership import Partnership
from sharedsvc.domain.policy import Policy
from sharedsvc.domain.values import DecisionRef, Money, Party, Stage, Terms

R = TypeVar("R", covariant=True)

__all__ = [
    "ApproveVariation",
    "AssessReadiness",
    "ChangeStage",
    "CompleteWithdrawal",
    "DetermineExitCosts",
    "FormPartnership",
    "Note",
    "PartnershipDoors",
    "ProposeVariation",
    "RecordOutcome",
    "RejectVariation",
    "RetractWithdrawalNotice",
    "ServeWithdrawalNotice",
    "SetTarget",
    "SettleExitPayment",
    "StatePosition",
]


@attrs.frozen
class FormPartnership(Act[UUID]):
    """Form a partnership of ``parties`` on ``terms``; returns its id."""

    actor = None
    creates = "partnership"
    records = Partnership.Formed
    authority = True

    name: str
    parties: Iterable[Party] = attrs.field(kw_only=True)
    terms: Terms = attrs.field(kw_only=True)
    stage: Stage = attrs.field(kw_only=True, default=Stage.CO_OPERATING)
    on: date = attrs.field(kw_only=True)
    ref: DecisionRef | None = attrs.field(kw_only=True, default=None)
    policy: Policy | None = attrs.field(kw_only=True, default=None)

    def run(self, unit: Unit) -> UUID:
        return unit.add(Partnership.form(**self.arguments()))


@attrs.frozen
class ProposeVariation(Act[UUID]):
    """Propose a variation of the terms (``changes``, ``admit``, or ``dissolve``)."""

    actor = "by"
    creates = "variation"
    created_id = "variation.id"
    records = Partnership.VariationProposed
    sources = MappingProxyType(
        {
            "by": "variation.proposed_by",
            "changes": "variation.changes",
            "admit": "variation.admit",
            "dissolve": "variation.dissolve",
            "final_account": "variation.final_account",
            "rationale": "variation.rationale",
            "effective": "variation.effective",
            "ref": "variation.ref",
        }
    )

    pid: UUID
    by: str = attrs.field(kw_only=True)
    changes: Mapping[str, Any] | None = attrs.field(
        kw_only=True, default=None, metadata=TERM_CHANGES
    )
    admit: Iterable[Party] = attrs.field(kw_only=True, default=())
    dissolve: bool = attrs.field(kw_only=True, default=False)
    final_account: Mapping[str, Money] | None = attrs.field(kw_only=True, default=None)
    rationale: str | None = attrs.field(kw_only=True, default=None)
    effective: date | None = attrs.field(kw_only=True, default=None)
    on: date = attrs.field(kw_only=True)
    ref: DecisionRef | None = attrs.field(kw_only=True, default=None)


@attrs.frozen
class _VariationStep(Act[R]):
    """A party's answer to an open variation (stating its position, approving or rejecting
    it): acted by the party, on the variation ``vid``."""

    actor = "party"
    sources = MappingProxyType({"vid": "variation_id"})

    pid: UUID
    vid: UUID
    party: str = attrs.field(kw_only=True)


@attrs.frozen
class StatePosition(_VariationStep[None]):
    """Record what ``party`` wants from the variation (same shape as ``changes``)."""

    records = Partnership.PositionStated

    position: Mapping[str, Any] = attrs.field(kw_only=True, metadata=TERM_CHANGES)
    on: date = attrs.field(kw_only=True)
    by: str | None = attrs.field(kw_only=True, default=None)
    ref: DecisionRef | None = attrs.field(kw_only=True, default=None)


@attrs.frozen
class ApproveVariation(_VariationStep[bool]):
    """Approve a variation; the last approval adopts it (returns ``True`` then)."""

    records = Partnership.VariationApproved
    consequences = (
        Partnership.VariationAdopted,
        Partnership.PartyAdmitted,
        Partnership.Dissolved,
        Partnership.FunctionReturned,
        SovereigntyHandover.Recalled,
    )
    authority = True

    ref: DecisionRef | None = attrs.field(kw_only=True, default=None)
    on: date = attrs.field(kw_only=True)
    by: str | None = attrs.field(kw_only=True, default=None)

    def run(self, unit: Unit) -> bool:
        adopted = super().run(unit)
        recall_dissolved(unit, unit.partnership(self.pid))
        return adopted


@attrs.frozen
class RejectVariation(_VariationStep[None]):
    """Reject a variation, which closes it."""

    records = Partnership.VariationRejected
    authority = True

    reason: str | None = attrs.field(kw_only=True, default=None)
    on: date = attrs.field(kw_only=True)
    ref: DecisionRef | None = attrs.field(kw_only=True, default=None)
    by: str | None = attrs.field(kw_only=True, default=None)


@attrs.frozen
class ChangeStage(Act[None]):
    """Move the partnership to stage ``to`` (forward or back)."""

    actor = "by"
    records = Partnership.StageChanged
    authority = True

    pid: UUID
    to: Stage = attrs.field(kw_only=True)
    by: str = attrs.field(kw_only=True)
    rationale: str | None = attrs.field(kw_only=True, default=None)
    ref: DecisionRef | None = attrs.field(kw_only=True, default=None)
    on: date = attrs.field(kw_only=True)


@attrs.frozen
class _PartyStep(Act[R]):
    """A step a party takes in its own withdrawal (serving or retracting its notice, or
    completing it): acted by the party, and binding it."""

    actor = "party"
    authority = True

    pid: UUID
    party: str = attrs.field(kw_only=True)
    on: date = attrs.field(kw_only=True)
    ref: DecisionRef | None = attrs.field(kw_only=True, default=None)
    by: str | None = attrs.field(kw_only=True, default=None)


@attrs.frozen
class ServeWithdrawalNotice(_PartyStep[date]):
    """Serve ``party``'s notice; returns the earliest date the withdrawal takes effect."""

    records = Partnership.WithdrawalNoticeServed


@attrs.frozen
class RetractWithdrawalNotice(_PartyStep[None]):
    """Retract ``party``'s withdrawal notice."""

    records = Partnership.WithdrawalNoticeRetracted


@attrs.frozen
class _ExitCosts(Act[None]):
    """A step in the leaving ``party``'s exit costs (determining or settling their
    ``amount``), binding whoever takes it."""

    authority = True

    pid: UUID
    party: str = attrs.field(kw_only=True)
    amount: Money = attrs.field(kw_only=True)


@attrs.frozen
class DetermineExitCosts(_ExitCosts):
    """Determine the leaving ``party``'s exit costs (``by`` a party that stays)."""

    actor = "by"
    records = Partnership.ExitCostsDetermined

    by: str = attrs.field(kw_only=True)
    on: date = attrs.field(kw_only=True)
    ref: DecisionRef | None = attrs.field(kw_only=True, default=None)


@attrs.frozen
class SettleExitPayment(_ExitCosts):
    """Record the leaving ``party``'s payment of its exit costs."""

    actor = "party"
    records = Partnership.ExitPaymentSettled

    on: date = attrs.field(kw_only=True)
    ref: DecisionRef | None = attrs.field(kw_only=True, default=None)
    by: str | None = attrs.field(kw_only=True, default=None)


@attrs.frozen
class CompleteWithdrawal(_PartyStep[None]):
    """Complete ``party``'s withdrawal and rebase the cost pools over those remaining."""

    records = Partnership.PartyWithdrew


@attrs.frozen
class Note(Act[None]):
    """Record an outside event that explains later acts (a section 114 notice, an election
    that changes political control, an audit finding): ``kind`` says what sort, ``party``
    whom it concerns, if one party; ``by`` is the member that records it. A note changes
    no terms, and may be recorded even after the partnership was dissolved."""

    actor = "by"
    records = Partnership.NoteRecorded

    pid: UUID
    kind: str = attrs.field(kw_only=True)
    text: str = attrs.field(kw_only=True)
    party: str | None = attrs.field(kw_only=True, default=None)
    by: str = attrs.field(kw_only=True)
    on: date = attrs.field(kw_only=True)
    ref: DecisionRef | None = attrs.field(kw_only=True, default=None)


@attrs.frozen
class AssessReadiness(Act[None]):
    """Record an assessment of ``party``'s readiness to integrate further: ``scores`` maps
    some or all of the policy's readiness areas (by default ``trust``, ``power-sharing``,
    ``business-buy-in``, ``political-backing``, ``branding-and-identity``, ``communication``)
    to whole numbers from 0 to 5. ``by`` is the member that assesses it: ``party`` itself
    unless given (a member may assess a peer). Refused for an area the policy does not name
    (``readiness-areas``) and for a score that is not a whole number from 0 to 5
    (``readiness-score``)."""

    actor = "by"
    records = Partnership.ReadinessAssessed

    pid: UUID
    party: str = attrs.field(kw_only=True)
    scores: Mapping[str, int] = attrs.field(kw_only=True, metadata=READINESS_SCORES)
    by: str | None = attrs.field(kw_only=True, default=None)
    on: date = attrs.field(kw_only=True)
    ref: DecisionRef | None = attrs.field(kw_only=True, default=None)


@attrs.frozen
class SetTarget(Act[UUID]):
    """Set a target of ``kind`` (``"savings"``...): ``amount`` (more than nothing) by ``due``
    (on or after ``on``, else ``dates-in-order``), binding ``party`` (a member; ``None``: the
    partnership as a whole). Returns the target's id, for
    [`record_outcome`][sharedsvc.SharedServices.record_outcome]."""

    actor = "by"
    creates = "target"
    created_id = "target_id"
    records = Partnership.TargetSet
    authority = True

    pid: UUID
    kind: str = attrs.field(kw_only=True)
    amount: Money = attrs.field(kw_only=True)
    due: date = attrs.field(kw_only=True)
    by: str = attrs.field(kw_only=True)
    on: date = attrs.field(kw_only=True)
    ref: DecisionRef | None = attrs.field(kw_only=True, default=None)
    party: str | None = attrs.field(kw_only=True, default=None)


@attrs.frozen
class RecordOutcome(Act[None]):
    """Record ``amount`` achieved against ``target`` (an id that
    [`set_target`][sharedsvc.SharedServices.set_target] returned; an unknown one raises
    [`NotFound`][sharedsvc.NotFound]), in the target's currency. The target is met by the
    first outcome at or above its amount dated on or before its due date."""

    actor = "by"
    records = Partnership.OutcomeRecorded
    sources = MappingProxyType({"target": "target_id"})

    pid: UUID
    target: UUID = attrs.field(kw_only=True, metadata=refers_to("target"))
    amount: Money = attrs.field(kw_only=True)
    by: str = attrs.field(kw_only=True)
    on: date = attrs.field(kw_only=True)
    ref: DecisionRef | None = attrs.field(kw_only=True, default=None)


class PartnershipDoors:
    """The named verbs of the partnership's acts (see [`door`][sharedsvc.acts.door])."""

    form_partnership = door(FormPartnership)
    propose_variation = door(ProposeVariation)
    state_position = door(StatePosition)
    approve_variation = door(ApproveVariation)
    reject_variation = door(RejectVariation)
    change_stage = door(ChangeStage)
    serve_withdrawal_notice = door(ServeWithdrawalNotice)
    retract_withdrawal_notice = door(RetractWithdrawalNotice)
    determine_exit_costs = door(DetermineExitCosts)
    settle_exit_payment = door(SettleExitPayment)
    complete_withdrawal = door(CompleteWithdrawal)
    note = door(Note)
    assess_readiness = door(AssessReadiness)
    set_target = door(SetTarget)
    record_outcome = door(RecordOutcome)
