"""Writing a partnership's history back as a scenario: its events, read in log order, become
the formation and one act per verb call.

A verb that writes several events (the last approval also adopts; raising a deferring dispute
also defers the act on the partnership; effecting a handover also pools the function; a
dissolution also returns and recalls every pooled function) is written as the one act that
wrote them: the events that follow from an act are recomputed when the file is loaded.
Variations, handovers and disputes are labelled ``v1``, ``h1``, ``d1``... in the order they
were made.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date
from typing import Any
from uuid import UUID

import attrs

from sharedsvc._scenario.codecs import DECISION_REF, PARTY, POLICY, TERMS, Label, enumeration
from sharedsvc._scenario.problems import FORMAT, Problem
from sharedsvc._scenario.verbs import VERBS
from sharedsvc.domain.dispute import Dispute
from sharedsvc.domain.handover import SovereigntyHandover
from sharedsvc.domain.partnership import events as pev
from sharedsvc.domain.policy import Policy
from sharedsvc.domain.values import Stage

__all__ = ["document", "labels"]

H, D = SovereigntyHandover, Dispute


@attrs.define
class Written:
    """One act as it will be written: its verb, date, acting party, what it acts on and makes,
    and its other arguments by their keys in the file."""

    verb: str
    on: date
    actor: str | None
    target: UUID | None = None
    creates: UUID | None = None
    arguments: dict[str, Any] = attrs.Factory(dict)


def _act(
    verb: str, actor_field: str | None, target_field: str | None = None, *fields: str
) -> Callable[[Any], Written]:
    """How an event becomes an act of ``verb``: the event's fields that give the acting party
    and what it acts on, and the fields that give its other arguments (which the file names
    as the event does)."""

    def written(event: Any) -> Written:
        return Written(
            verb,
            event.on,
            None if actor_field is None else getattr(event, actor_field),
            None if target_field is None else getattr(event, target_field),
            arguments={field: getattr(event, field) for field in fields},
        )

    return written


def _proposed(event: pev.VariationProposed) -> Written:
    v = event.variation
    return Written(
        "propose_variation",
        event.on,
        v.proposed_by,
        creates=v.id,
        arguments={
            "changes": v.changes, "admit": v.admit, "dissolve": v.dissolve,
            "final_account": v.final_account, "rationale": v.rationale,
            "effective": v.effective, "ref": v.ref,
        },
    )  # fmt: skip


def _handover(event: SovereigntyHandover.Proposed) -> Written:
    return Written(
        "propose_handover",
        event.on,
        event.from_party,
        creates=event.originator_id,
        arguments={
            "function": event.function, "staff": event.staff, "assets": event.assets,
            "data_role": event.data_role, "rationale": event.rationale, "ref": event.ref,
        },
    )  # fmt: skip


def _raised(event: Dispute.Raised) -> Written:
    return Written(
        "raise_dispute",
        event.on,
        event.raised_by,
        creates=event.originator_id,
        arguments={"against": event.against, "subject": event.subject, "disputed": event.act},
    )


_recall = _act("recall_handover", "by", "originator_id", "reason", "ref")


def _recalled(event: SovereigntyHandover.Recalled) -> Written | None:
    if event.by is None:  # recalled by a dissolution, written with its last approval
        return None
    return _recall(event)


ACTS: Mapping[type, Callable[[Any], Written | None]] = {
    pev.VariationProposed: _proposed,
    pev.PositionStated: _act("state_position", "party", "variation_id", "position"),
    pev.VariationApproved: _act("approve_variation", "party", "variation_id", "ref"),
    pev.VariationRejected: _act("reject_variation", "party", "variation_id", "reason", "ref"),
    pev.StageChanged: _act("change_stage", "by", None, "to", "rationale", "ref"),
    pev.WithdrawalNoticeServed: _act("serve_withdrawal_notice", "party", None, "ref"),
    pev.WithdrawalNoticeRetracted: _act("retract_withdrawal_notice", "party", None, "ref"),
    pev.ExitCostsDetermined: _act("determine_exit_costs", "by", None, "party", "amount", "ref"),
    pev.ExitPaymentSettled: _act("settle_exit_payment", "party", None, "amount", "ref"),
    pev.PartyWithdrew: _act("complete_withdrawal", "party", None, "ref"),
    H.Proposed: _handover,
    H.ConsentGiven: _act("consent_to_handover", "party", "originator_id", "ref"),
    H.ConsentWithheld: _act("withhold_consent", "party", "originator_id", "reason", "ref"),
    H.Withdrawn: _act("withdraw_handover", "by", "originator_id", "reason"),
    H.Effected: _act("effect_handover", "by", "originator_id", "ref"),
    H.Recalled: _recalled,
    D.Raised: _raised,
    D.PositionStated: _act("state_dispute_position", "party", "originator_id", "position"),
    D.Escalated: _act("escalate_dispute", "by", "originator_id", "reason", "to"),
    D.MediatorAppointed: _act("appoint_mediator", "by", "originator_id", "mediator"),
    D.SettlementProposed: _act("propose_settlement", "by", "originator_id", "terms"),
    D.SettlementAccepted: _act("accept_settlement", "party", "originator_id"),
    D.Determined: _act("determine_dispute", None, "originator_id", "arbiter", "terms"),
    D.Withdrawn: _act("withdraw_dispute", "by", "originator_id", "reason"),
}
"""The act each event records, by the event's class."""

CONSEQUENCES = frozenset(
    {
        pev.VariationAdopted, pev.PartyAdmitted, pev.Dissolved, pev.FunctionPooled,
        pev.FunctionReturned, pev.ActDeferred, pev.ActReleased, D.Settled,
    }
)  # fmt: skip
"""Events written with an act's own, which loading the act writes again."""


def labels(events: Iterable[Any]) -> dict[UUID, Label]:
    """The label of each variation, handover and dispute the events made, in order."""
    found: dict[UUID, Label] = {}
    counts = {"variation": 0, "handover": 0, "dispute": 0}
    for event in events:
        kind, uid = _made(event)
        if kind is not None and uid is not None:
            counts[kind] += 1
            found[uid] = Label(kind, f"{kind[0]}{counts[kind]}")
    return found


def _made(event: Any) -> tuple[str | None, UUID | None]:
    if isinstance(event, pev.VariationProposed):
        return "variation", event.variation.id
    if isinstance(event, H.Proposed):
        return "handover", event.originator_id
    if isinstance(event, D.Raised):
        return "dispute", event.originator_id
    return None, None


def document(events: Iterable[Any]) -> dict[str, Any]:
    """The scenario document of a partnership from its events (the partnership's, its
    handovers' and its disputes'), in log order."""
    events = list(events)
    named = labels(events)
    formed, *rest = events
    written: list[Written] = []
    raised: dict[UUID, Written] = {}
    for event in rest:
        kind = type(event)
        if kind is D.DecisionDeferred:
            raised[event.originator_id].arguments["defer"] = True
            continue
        if kind in CONSEQUENCES:
            continue
        if kind not in ACTS:
            raise Problem(
                FORMAT, f"cannot write a {kind.__name__} event: no act of a scenario records it"
            )
        act = ACTS[kind](event)
        if act is not None:
            written.append(act)
            if kind is D.Raised:
                raised[event.originator_id] = act
    acts = []
    for index, act in enumerate(written):
        try:
            acts.append(_encode(act, named))
        except Problem as problem:
            raise problem.placed(act_index=index, verb=act.verb) from problem
    return {**_formation(formed), "acts": acts}


def _formation(event: pev.Formed) -> dict[str, Any]:
    header: dict[str, Any] = {
        "name": event.name,
        "stage": enumeration(Stage).encode(event.stage),
        "on": event.on,
    }
    if event.ref is not None:
        header["ref"] = DECISION_REF.encode(event.ref)
    sections: dict[str, Any] = {"partnership": header}
    if event.policy != Policy():
        sections["policy"] = POLICY.encode(event.policy)
    sections["parties"] = [PARTY.encode(party) for party in event.parties]
    sections["terms"] = TERMS.encode(event.terms)
    return sections


def _encode(act: Written, named: Mapping[UUID, Label]) -> dict[str, Any]:
    verb = VERBS[act.verb]
    data: dict[str, Any] = {"act": act.verb}
    if act.creates is not None:
        data["id"] = named[act.creates].name
    data["on"] = act.on
    if verb.actor is not None and act.actor is not None:
        data[verb.actor] = act.actor
    if verb.target is not None and act.target is not None:
        data[verb.target] = named[act.target].name
    arguments = dict(act.arguments)
    disputed = arguments.pop("disputed", None)
    if disputed is not None:  # a dispute's act, under the key of its kind
        arguments[named[disputed].kind] = named[disputed]
    for argument in verb.arguments:
        value = arguments.get(argument.key)
        if value is not None and not (argument.default is not None and value == argument.default):
            data[argument.key] = argument.codec.encode(value)
    return data
