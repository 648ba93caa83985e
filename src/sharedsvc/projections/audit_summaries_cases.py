"""The audit trail's lines for handovers and disputes.

Registered with [`describes`][sharedsvc.projections.audit_summaries.describes] like every
other summary; `sharedsvc.projections.audit_summaries` imports this module, so its lines are
there wherever the summaries are.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sharedsvc.domain.dispute import Dispute
from sharedsvc.domain.handover import SovereigntyHandover
from sharedsvc.projections.audit_summaries import Line, describes
from sharedsvc.projections.audit_values import (
    because,
    joined,
    short_id,
    summarise_value,
    words,
)

if TYPE_CHECKING:
    from sharedsvc.projections.audit_narrator import Narrator

__all__: list[str] = []

H, D = SovereigntyHandover, Dispute


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
