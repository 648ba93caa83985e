"""A summary for every event type of the three aggregates: one line a person can read, with
names, amounts, rungs and stages in words, and the party that acted.

Each function here describes one event type (registered with `describes`); a `Narrator` calls
it with what it remembers of the partnership (party names, which function a handover moves, a
dispute's subject). An event type without a summary of its own fails the test suite
(``tests/unit/test_audit_summaries.py``); the trail would still give it a bare line.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import attrs

from sharedsvc.domain.dispute import Dispute
from sharedsvc.domain.handover import SovereigntyHandover
from sharedsvc.domain.partnership import events as pev
from sharedsvc.domain.records import Variation
from sharedsvc.domain.values import DecisionRef
from sharedsvc.projections.audit_values import (
    account,
    assessment,
    because,
    joined,
    short_id,
    summarise_money,
    summarise_value,
    term,
    words,
)

if TYPE_CHECKING:
    from sharedsvc.projections.audit_narrator import Narrator

__all__ = ["DESCRIBERS", "Line", "describes", "summarised_event_types"]

H, D = SovereigntyHandover, Dispute


@attrs.frozen
class Line:
    """What a summary function says of an event: the acting party, the line, and the decision
    reference where the event keeps it somewhere other than its ``ref`` field."""

    actor: str | None
    text: str
    ref: DecisionRef | None = None


Describer = Callable[[Any, "Narrator"], Line]
DESCRIBERS: dict[type, Describer] = {}
F = TypeVar("F", bound=Describer)


def describes(*kinds: type) -> Callable[[F], F]:
    """Register the decorated function as the summary of events of ``kinds``."""

    def register(describer: F) -> F:
        for kind in kinds:
            DESCRIBERS[kind] = describer
        return describer

    return register


def summarised_event_types() -> frozenset[type]:
    """Every event class that has a summary of its own."""
    return frozenset(DESCRIBERS)


# --- the partnership --------------------------------------------------------------------------


def _variation_terms(variation: Variation, n: Narrator) -> str:
    parts = [
        f"{term(name)} to {n.name(value) if name == 'host' else summarise_value(value)}"
        for name, value in variation.changes.items()
    ]
    parts += [f"admit {party.name}" for party in variation.admit]
    if variation.dissolve:
        parts.append("dissolve the partnership")
    if variation.final_account is not None:
        parts.append(f"final account: {account(variation.final_account)}")
    return "; ".join(parts)


@describes(pev.Formed)
def _formed(e: pev.Formed, n: Narrator) -> Line:
    founders = joined(party.name for party in e.parties)
    host = f", hosted by {n.name(e.terms.host)}" if e.terms.host else ""
    pools = summarise_value(e.terms.cost_pools)
    text = f"{founders} formed {e.name} at the {e.stage.value} stage{host}; cost pools {pools}"
    return Line(None, text)


@describes(pev.VariationProposed)
def _variation_proposed(e: pev.VariationProposed, n: Narrator) -> Line:
    v = e.variation
    effective = f", effective {v.effective.isoformat()}" if v.effective else ""
    text = f"{n.name(v.proposed_by)} proposed variation {short_id(v.id)}: {_variation_terms(v, n)}"
    return Line(v.proposed_by, text + effective + because(v.rationale, " — "), v.ref)


@describes(pev.PositionStated)
def _variation_position(e: pev.PositionStated, n: Narrator) -> Line:
    wanted = summarise_value(e.position)
    text = f"{n.name(e.party)} stated its position on variation {short_id(e.variation_id)}: wants "
    return Line(e.party, text + wanted)


@describes(pev.VariationApproved)
def _variation_approved(e: pev.VariationApproved, n: Narrator) -> Line:
    return Line(e.party, f"{n.name(e.party)} approved variation {short_id(e.variation_id)}")


@describes(pev.VariationRejected)
def _variation_rejected(e: pev.VariationRejected, n: Narrator) -> Line:
    text = f"{n.name(e.party)} rejected variation {short_id(e.variation_id)}"
    return Line(e.party, text + because(e.reason))


@describes(pev.VariationAdopted)
def _variation_adopted(e: pev.VariationAdopted, n: Narrator) -> Line:
    text = (
        f"variation {short_id(e.variation_id)} adopted with the approval of "
        f"{joined(n.name(p) for p in e.approved_by)}, effective {e.effective.isoformat()}"
    )
    renamed = f"; the partnership is renamed {e.name}" if e.name is not None else ""
    return Line(None, text + renamed + n.conceded(e.concessions))


@describes(pev.PartyAdmitted)
def _party_admitted(e: pev.PartyAdmitted, n: Narrator) -> Line:
    text = f"{e.party.name} admitted as a party by variation {short_id(e.variation_id)}"
    return Line(None, f"{text}, effective {e.effective.isoformat()}")


@describes(pev.Dissolved)
def _dissolved(e: pev.Dissolved, n: Narrator) -> Line:
    final = f"; final account: {account(e.final_account)}" if e.final_account is not None else ""
    text = f"the partnership is dissolved by variation {short_id(e.variation_id)}, effective "
    return Line(None, text + e.effective.isoformat() + final)


@describes(pev.StageChanged)
def _stage_changed(e: pev.StageChanged, n: Narrator) -> Line:
    way = "forward" if e.to > e.from_stage else "back"
    text = f"{n.name(e.by)} moved the partnership {way} from {e.from_stage.value} to {e.to.value}"
    return Line(e.by, text + because(e.rationale))


@describes(pev.NoteRecorded)
def _note_recorded(e: pev.NoteRecorded, n: Narrator) -> Line:
    about = f" about {n.name(e.party)}" if e.party else ""
    return Line(e.by, f"{n.name(e.by)} noted ({e.kind}){about}: {e.text}", e.ref)


@describes(pev.ReadinessAssessed)
def _assessed(e: pev.ReadinessAssessed, n: Narrator) -> Line:
    whose = "its" if e.by == e.party else f"{n.name(e.party)}'s"
    return Line(e.by, f"{n.name(e.by)} assessed {whose} readiness: {assessment(e.scores)}")


@describes(pev.TargetSet)
def _target_set(e: pev.TargetSet, n: Narrator) -> Line:
    text = f"{n.name(e.by)} set target {short_id(e.target_id)}: {e.kind} of "
    bound = f" for {n.name(e.party)}" if e.party else ""
    return Line(e.by, f"{text}{summarise_money(e.amount)}{bound} by {e.due.isoformat()}")


@describes(pev.OutcomeRecorded)
def _outcome(e: pev.OutcomeRecorded, n: Narrator) -> Line:
    text = f"{n.name(e.by)} recorded an outcome of {summarise_money(e.amount)} against target "
    return Line(e.by, text + short_id(e.target_id))


@describes(pev.WithdrawalNoticeServed)
def _notice_served(e: pev.WithdrawalNoticeServed, n: Narrator) -> Line:
    text = f"{n.name(e.party)} served notice to withdraw, effective {e.effective.isoformat()}"
    return Line(e.party, text)


@describes(pev.WithdrawalNoticeRetracted)
def _notice_retracted(e: pev.WithdrawalNoticeRetracted, n: Narrator) -> Line:
    return Line(e.party, f"{n.name(e.party)} retracted its notice to withdraw")


@describes(pev.ExitCostsDetermined)
def _exit_costs(e: pev.ExitCostsDetermined, n: Narrator) -> Line:
    text = f"{n.name(e.by)} determined {n.name(e.party)}'s exit costs at "
    return Line(e.by, text + summarise_money(e.amount))


@describes(pev.ExitPaymentSettled)
def _exit_paid(e: pev.ExitPaymentSettled, n: Narrator) -> Line:
    return Line(e.party, f"{n.name(e.party)} paid exit costs of {summarise_money(e.amount)}")


@describes(pev.PartyWithdrew)
def _withdrew(e: pev.PartyWithdrew, n: Narrator) -> Line:
    text = f"{n.name(e.party)} left the partnership; cost pools rebased: "
    return Line(e.party, text + summarise_value(e.cost_pools))


@describes(pev.PartySucceeded)
def _succeeded(e: pev.PartySucceeded, n: Narrator) -> Line:
    heirs = joined(party.name for party in e.successors)
    weights = ", ".join(f"{n.name(p)} {summarise_value(w)}" for p, w in e.split.items())
    text = (
        f"{n.name(e.predecessor)} succeeded by {heirs} (vesting day {e.on.isoformat()}); "
        f"its shares divided by weight ({weights}): {summarise_value(e.cost_pools)}"
    )
    return Line(None, text)


@describes(pev.FunctionPooled)
def _pooled(e: pev.FunctionPooled, n: Narrator) -> Line:
    handover = n.handovers.get(e.handover_id)
    actor = handover.effected_by if handover else None
    text = f"the shared service now holds {n.name(e.from_party)}'s {e.function.name}"
    return Line(actor, f"{text} (handover {short_id(e.handover_id)})")


@describes(pev.FunctionReturned)
def _returned(e: pev.FunctionReturned, n: Narrator) -> Line:
    handover = n.handovers.get(e.handover_id)
    actor = handover.recalled_by if handover else None
    text = f"{e.function.name} returned to {n.name(e.from_party)} (handover "
    return Line(actor, f"{text}{short_id(e.handover_id)}){because(e.reason)}")


@describes(pev.ActDeferred)
def _deferred(e: pev.ActDeferred, n: Narrator) -> Line:
    dispute = n.disputes.get(e.dispute_id)
    text = f"{n.act(e.act)} deferred by {n.dispute(e.dispute_id)} until it is resolved"
    return Line(dispute.raised_by if dispute else None, text)


@describes(pev.ActReleased)
def _released(e: pev.ActReleased, n: Narrator) -> Line:
    dispute = n.disputes.get(e.dispute_id)
    text = f"{n.act(e.act)} released: {n.dispute(e.dispute_id)} is resolved"
    return Line(dispute.closed_by if dispute else None, text)


# --- handovers --------------------------------------------------------------------------------


@describes(H.Proposed)
def _handover_proposed(e: SovereigntyHandover.Proposed, n: Narrator) -> Line:
    f, whose = e.function, "" if e.from_parties else "its "  # combined: each cedes its share
    combined = f", combined from {n.names_of(e.from_parties)}" if e.from_parties else ""
    parts = [
        f"{n.name(e.from_party)} proposed to hand {whose}{f.name} ({f.category}) over to the "
        f"shared service{combined} (handover {short_id(e.originator_id)})"
    ]
    if e.staff:
        parts.append(f"staff: {summarise_value(e.staff)}")
    if e.assets:
        parts.append(f"assets: {summarise_value(e.assets)}")
    if e.data_role is not None:
        parts.append(f"data: {summarise_value(e.data_role)}")
    return Line(e.from_party, "; ".join(parts) + because(e.rationale, " — "))


@describes(H.ConsentGiven)
def _consent_given(e: SovereigntyHandover.ConsentGiven, n: Narrator) -> Line:
    text = f"{n.name(e.party)} consented to the handover of {n.function(e.originator_id)}"
    return Line(e.party, text)


@describes(H.ConsentWithheld)
def _consent_withheld(e: SovereigntyHandover.ConsentWithheld, n: Narrator) -> Line:
    text = f"{n.name(e.party)} withheld consent to the handover of {n.function(e.originator_id)}"
    return Line(e.party, text + because(e.reason))


@describes(H.Withdrawn)
def _handover_withdrawn(e: SovereigntyHandover.Withdrawn, n: Narrator) -> Line:
    text = f"{n.name(e.by)} withdrew {n.whose_proposal(e.originator_id, e.by)} to hand over "
    return Line(e.by, text + n.function_name(e.originator_id) + because(e.reason))


@describes(H.Effected)
def _effected(e: SovereigntyHandover.Effected, n: Narrator) -> Line:
    text = f"{n.name(e.by)} effected the handover of {n.function(e.originator_id)} to the shared "
    return Line(e.by, text + "service")


@describes(H.Recalled)
def _recalled(e: SovereigntyHandover.Recalled, n: Narrator) -> Line:
    what, hid = n.function_name(e.originator_id), e.originator_id
    if e.by is None:  # on dissolution: every share still pooled
        text = f"{what} went back from the shared service to {n.holders(hid)}"
        return Line(None, text + because(e.reason))
    share = "its share of" if len(n.ceding(hid)) > 1 else "its"  # of a combined service
    text = f"{n.name(e.by)} took {share} {what} back from the shared service{because(e.reason)}"
    return Line(e.by, text + n.shares_left(hid))


@describes(H.PartySucceeded)
def _handover_succeeded(e: SovereigntyHandover.PartySucceeded, n: Narrator) -> Line:
    # the narrator noted the succession already: ``before`` is who ceded it until now
    handover, what = n.handovers.get(e.originator_id), n.function_name(e.originator_id)
    parts = []
    if e.inheriting:
        owners = f" from {n.names_of(handover.before)}" if handover else ""
        parts.append(
            f"{n.name(e.predecessor)}'s consent to handing over {what}{owners} counts for its "
            f"successor{'s' if len(e.inheriting) > 1 else ''} {n.names_of(e.inheriting)}"
        )
    # for the inheriting successors, for those that now cede the function, or both
    if (e.predecessor in handover.before) if handover else not e.inheriting:
        place = "its" if parts else f"{n.name(e.predecessor)}'s"
        also = n.alongside(e.originator_id, e.successors)
        cede = "cedes" if len(e.successors) == 1 else "cede"
        parts.append(f"{n.names_of(e.successors)} now {cede} {what} in {place} place{also}")
    return Line(None, "; ".join(parts))


# --- disputes ---------------------------------------------------------------------------------


@describes(D.PartySucceeded)
def _dispute_succeeded(e: Dispute.PartySucceeded, n: Narrator) -> Line:
    text = (
        f"{joined(n.name(p) for p in e.successors)} took {n.name(e.predecessor)}'s place in "
        f"{n.dispute(e.originator_id)}"
    )
    return Line(None, text)


@describes(D.Raised)
def _raised(e: Dispute.Raised, n: Narrator) -> Line:
    about = f" about {n.act(e.act)}" if e.act is not None else ""
    text = (
        f"{n.name(e.raised_by)} raised dispute {short_id(e.originator_id)} against "
        f"{joined(n.name(p) for p in e.against)}{about}: {e.subject}"
    )
    return Line(e.raised_by, text)


@describes(D.DecisionDeferred)
def _decision_deferred(e: Dispute.DecisionDeferred, n: Narrator) -> Line:
    dispute = n.disputes.get(e.originator_id)
    text = f"{n.dispute(e.originator_id)} defers {n.act(e.act)} until it is resolved"
    return Line(dispute.raised_by if dispute else None, text)


@describes(D.Escalated)
def _escalated(e: Dispute.Escalated, n: Narrator) -> Line:
    text = (
        f"{n.name(e.by)} escalated {n.dispute(e.originator_id)} from {words(e.from_rung)} to "
        f"{words(e.to)}"
    )
    return Line(e.by, text + because(e.reason))


@describes(D.PositionStated)
def _dispute_position(e: Dispute.PositionStated, n: Narrator) -> Line:
    text = f"{n.name(e.party)} stated its position in {n.dispute(e.originator_id)}: wants "
    return Line(e.party, text + summarise_value(e.position))


@describes(D.SettlementProposed)
def _settlement_proposed(e: Dispute.SettlementProposed, n: Narrator) -> Line:
    text = f"{n.name(e.by)} proposed settling {n.dispute(e.originator_id)} on "
    return Line(e.by, text + summarise_value(e.terms))


@describes(D.SettlementAccepted)
def _settlement_accepted(e: Dispute.SettlementAccepted, n: Narrator) -> Line:
    text = f"{n.name(e.party)} accepted the settlement proposed in {n.dispute(e.originator_id)}"
    return Line(e.party, text)


@describes(D.Settled)
def _settled(e: Dispute.Settled, n: Narrator) -> Line:
    text = f"{n.dispute(e.originator_id)} settled on {summarise_value(e.terms)}"
    return Line(None, text + n.conceded(e.concessions))


@describes(D.MediatorAppointed)
def _mediator(e: Dispute.MediatorAppointed, n: Narrator) -> Line:
    text = f"{n.name(e.by)} appointed {e.mediator} to mediate {n.dispute(e.originator_id)}"
    return Line(e.by, text)


@describes(D.Determined)
def _determined(e: Dispute.Determined, n: Narrator) -> Line:
    text = f"{e.arbiter} determined {n.dispute(e.originator_id)}: {summarise_value(e.terms)}"
    return Line(e.arbiter, text + n.conceded(e.concessions))


@describes(D.Withdrawn)
def _dispute_withdrawn(e: Dispute.Withdrawn, n: Narrator) -> Line:
    text = f"{n.name(e.by)} withdrew {n.dispute(e.originator_id)}"
    return Line(e.by, text + because(e.reason))
