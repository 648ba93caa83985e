"""A summary for every event type of the three aggregates: one line a person can read, with
names, amounts, rungs and stages in words, and the party that acted.

Each function here describes one event type (registered with `describes`); a `Narrator` calls
it with what it remembers of the partnership (party names, which function a handover moves, a
dispute's subject). An event type without a summary of its own fails the test suite
(``tests/unit/test_audit_summaries.py``); the trail would still give it a bare line.

The partnership's summaries are here, beside the registry; those of other subjects are in
modules of their own, imported at the end of this one: `.audit_summaries_cases` (handovers
and disputes) and `.audit_summaries_money` (budgets and usage).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import attrs

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
)

if TYPE_CHECKING:
    from sharedsvc.projections.audit_narrator import Narrator

__all__ = ["DESCRIBERS", "Line", "describes", "summarised_event_types"]


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


# The summaries of other subjects, in modules of their own, register themselves on import.
from sharedsvc.projections import audit_summaries_cases, audit_summaries_money  # noqa: E402, F401
