"""Writing a partnership's history back as a scenario: its events, read in log order, become
the formation and one act per verb call.

A verb that writes several events (the last approval also adopts; raising a deferring dispute
also defers the act on the partnership; effecting a handover also pools the function; a
dissolution also returns and recalls every pooled function) is written as the one act that
wrote them: the events that follow from an act are recomputed when the file is loaded.
Variations, handovers and disputes are labelled ``v1``, ``h1``, ``d1``... in the order they
were made.

What each event is follows from the catalogue of acts ([`sharedsvc.acts`][sharedsvc.acts]): the act
that ``records`` it, read back from it as the act declares (``sources``); a consequence of another
act (``consequences``, and an event of an act that names no acting party where the act requires
one); or the ``flags`` of the act written just before it on the same aggregate.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any, TypeVar
from uuid import UUID

import attrs

from sharedsvc._scenario.codecs import DECISION_REF, PARTY, TERMS, Label, enumeration
from sharedsvc._scenario.policy_codec import POLICY
from sharedsvc._scenario.problems import FORMAT, Problem
from sharedsvc._scenario.verbs import VERBS, Verb
from sharedsvc.domain.policy import Policy
from sharedsvc.domain.values import Stage

__all__ = ["Written", "acts_of", "document", "labels"]


@attrs.define
class Written:
    """One act as it will be written: its verb, date, acting party, what it acts on and makes,
    and its other arguments by the verb's keywords."""

    verb: str
    on: date
    actor: str | None
    target: UUID | None = None
    creates: UUID | None = None
    arguments: dict[str, Any] = attrs.Factory(dict)


K = TypeVar("K")

ACTS: Mapping[type, Verb] = {verb.act.records: verb for verb in VERBS.values()}
"""The act each event records, by the event's class."""

FLAGS: Mapping[type, tuple[Verb, str]] = {
    event: (verb, field) for verb in VERBS.values() for field, event in verb.act.flags.items()
}
"""The events that set a flag of the act written with them (a dispute raised to ``defer``)."""

CONSEQUENCES = frozenset(event for verb in VERBS.values() for event in verb.act.consequences)
"""Events written with an act's own, which loading the act writes again."""


def _written(verb: Verb, event: Any) -> Written:
    """The act of ``verb`` that ``event`` records, read back as the act declares."""
    act = verb.act
    parameters = dict.fromkeys(a.parameter for a in verb.arguments if a.parameter not in act.flags)
    return Written(
        act.verb,
        act.read(event, "on"),
        None if verb.actor is None else act.read(event, verb.actor),
        None if verb.target_field is None else act.read(event, verb.target_field),
        act.created(event) if verb.creates is not None else None,
        {parameter: act.read(event, parameter) for parameter in parameters},
    )


def labels(events: Iterable[Any]) -> dict[UUID, Label]:
    """The label of each variation, handover and dispute the events made, in order."""
    found: dict[UUID, Label] = {}
    counts: dict[str, int] = {}
    for event in events:
        verb = ACTS.get(type(event))
        if verb is not None and verb.creates is not None:
            counts[verb.creates] = counts.get(verb.creates, 0) + 1
            name = f"{verb.creates[0]}{counts[verb.creates]}"
            found[verb.act.created(event)] = Label(verb.creates, name)
    return found


def document(events: Iterable[Any]) -> dict[str, Any]:
    """The scenario document of a partnership from its events (the partnership's, its
    handovers' and its disputes'), in log order."""
    events = list(events)
    named = labels(events)
    formed, *rest = events
    written = [act for _, act in acts_of(enumerate(rest))]
    acts = []
    for index, act in enumerate(written):
        try:
            acts.append(_encode(act, named))
        except Problem as problem:
            raise problem.placed(act_index=index, verb=act.verb) from problem
    return {**_formation(formed), "acts": acts}


def acts_of(events: Iterable[tuple[K, Any]]) -> list[tuple[K, Written]]:
    """The acts that the events after a partnership's formation record (its own, its
    handovers' and its disputes', in log order), each under the key of the event that
    records it: the events that follow from an act are not acts of their own, and those
    that set a flag of the act written just before them on the same aggregate set it."""
    written: list[tuple[K, Written]] = []
    latest: dict[UUID, Written] = {}  # the act last written for each aggregate
    for key, event in events:
        kind = type(event)
        verb = ACTS.get(kind)
        if verb is not None and verb.act.taken(event):
            latest[event.originator_id] = act = _written(verb, event)
            written.append((key, act))
            continue
        flagged, field = FLAGS.get(kind, (None, ""))
        owner = latest.get(event.originator_id)
        if flagged is not None and owner is not None and owner.verb == flagged.act.verb:
            owner.arguments[field] = True
        elif kind not in CONSEQUENCES:
            raise Problem(
                FORMAT, f"cannot write a {kind.__name__} event: no act of a scenario records it"
            )
    return written


def _formation(event: Any) -> dict[str, Any]:
    """The scenario's sections written from the event of the partnership's formation."""
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
    for argument in verb.arguments:
        value = act.arguments.get(argument.parameter)
        if value is not None and argument.kind is not None:  # a label, under the key of its kind
            value = named[value]
            if value.kind != argument.kind:
                continue
        if value is not None and not (argument.default is not None and value == argument.default):
            data[argument.key] = argument.codec.encode(value)
    return data
