"""Reading a scenario file and recording its history, all of it or none.

Loading takes three steps. The whole text is read first, so that a key, a value or a label that
is wrong is reported before anything is done. Then the acts are taken, in order, through the
public verbs of a throwaway in-memory application of the target's own class, so that an act the
library refuses is reported with its place in the file. Last, the events that application
recorded are saved in the target in one save: one transaction, so that the target holds either
the whole history or nothing of it, even if its store fails half-way.
"""

from __future__ import annotations

import difflib
import tomllib
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from typing import Any
from uuid import UUID

import attrs

from sharedsvc._scenario.codecs import (
    DATE,
    DECISION_REF,
    PARTY,
    TERMS,
    TEXT,
    Label,
    array,
    enumeration,
    label,
    table,
)
from sharedsvc._scenario.policy_codec import POLICY
from sharedsvc._scenario.problems import FORMAT, SYNTAX, Problem
from sharedsvc._scenario.verbs import VERBS, Verb
from sharedsvc.application import SharedServices
from sharedsvc.domain.errors import (
    ConcurrencyConflict,
    NotFound,
    RuleViolation,
    SharedServiceError,
)
from sharedsvc.domain.policy import Policy
from sharedsvc.domain.values import DecisionRef, Party, Stage, Terms
from sharedsvc.persistence import notifications

__all__ = ["Act", "Formation", "Scenario", "load", "parse", "read_acts", "take"]

SECTIONS = ("partnership", "policy", "parties", "terms", "acts")
HEADER = ("name", "stage", "on", "ref")


@attrs.frozen
class Formation:
    """What the partnership was formed with: the file's sections before its acts."""

    name: str
    stage: Stage
    on: date
    ref: DecisionRef | None
    policy: Policy | None
    parties: tuple[Party, ...]
    terms: Terms


@attrs.frozen
class Act:
    """One act of the file, read: the verb's keyword arguments, with `Label` s where
    the ids of earlier acts' variations, handovers and disputes go."""

    index: int
    verb: str
    on: date
    actor: str | None
    target: Label | None
    arguments: Mapping[str, Any]
    creates: str | None


@attrs.frozen
class Scenario:
    """A scenario file, read: the formation and the acts after it."""

    formation: Formation
    acts: tuple[Act, ...]


# --- reading the text -----------------------------------------------------------------------------


def parse(text: str) -> Scenario:
    """Read a scenario from ``text``, checking every key, value and label (not yet the rules
    of the agreement, which the verbs check). Text nested too deeply for the TOML reader
    (arrays in arrays hundreds deep) is refused as not TOML, as is anything but text."""
    if not isinstance(text, str):
        raise Problem(SYNTAX, f"a scenario is text (a str), not {type(text).__name__}")
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise Problem(SYNTAX, f"the file is not TOML: {error}") from error
    except RecursionError:
        raise Problem(
            SYNTAX,
            "the file nests arrays or tables too deeply to read: "
            "a scenario nests them a few levels at most",
        ) from None
    table(document, "", SECTIONS, ("partnership", "parties", "terms"))
    acts = document.get("acts", [])
    if not isinstance(acts, list):
        raise Problem(FORMAT, "acts must be an array of tables: begin each act with [[acts]]")
    return Scenario(_formation(document), read_acts(acts, {}))


def read_acts(acts: list[Any], labels: dict[str, str]) -> tuple[Act, ...]:
    """The acts of a file's ``acts`` array, read; ``labels`` holds the kind of each label
    that acts before them made (and gains those they make)."""
    return tuple(_act(data, i, labels) for i, data in enumerate(acts))


def _formation(document: Mapping[str, Any]) -> Formation:
    def section(name: str, decode: Callable[[object, str], Any]) -> Any:
        try:
            return decode(document[name], name)
        except Problem as problem:
            raise problem.placed(where=name) from problem

    name, stage, on, ref = section("partnership", _header)
    return Formation(
        name=name,
        stage=stage,
        on=on,
        ref=ref,
        policy=section("policy", POLICY.decode) if "policy" in document else None,
        parties=section("parties", array(PARTY).decode),
        terms=section("terms", TERMS.decode),
    )


def _header(data: object, path: str) -> tuple[str, Stage, date, DecisionRef | None]:
    given = table(data, path, HEADER, ("name", "on"))
    stage = Stage.CO_OPERATING
    if "stage" in given:
        stage = enumeration(Stage).decode(given["stage"], f"{path}.stage")
    ref = DECISION_REF.decode(given["ref"], f"{path}.ref") if "ref" in given else None
    name = TEXT.decode(given["name"], f"{path}.name")
    return name, stage, DATE.decode(given["on"], f"{path}.on"), ref


def _act(data: object, index: int, labels: dict[str, str]) -> Act:
    """Act ``index`` of the file; ``labels`` holds the kind of each label made so far."""
    verb_name = data.get("act") if isinstance(data, dict) else None
    try:
        if not isinstance(data, dict):
            raise Problem(FORMAT, "an act is a table: begin each act with [[acts]]")
        verb = _verb(verb_name)
        assert isinstance(verb_name, str)
        given = _keys(data, verb_name, verb)
        arguments: dict[str, Any] = {}
        for argument in verb.arguments:
            if argument.key not in given:
                continue
            value = argument.codec.decode(given[argument.key], argument.key)
            if isinstance(value, Label):
                _check_label(value, labels, argument.key)
            if argument.parameter in arguments:
                raise Problem(FORMAT, "name the disputed act once, as 'variation' or as 'handover'")
            arguments[argument.parameter] = value
        target = None
        if verb.target is not None:
            target = label(verb.target).decode(given[verb.target], verb.target)
            _check_label(target, labels, verb.target)
        creates = None if verb.creates is None else _new_label(given["id"], labels)
        act = Act(
            index=index,
            verb=verb_name,
            on=DATE.decode(given["on"], "on"),
            actor=_actor(given, verb),
            target=target,
            arguments=arguments,
            creates=creates,
        )
    except Problem as problem:
        verb_shown = verb_name if isinstance(verb_name, str) and verb_name in VERBS else None
        raise problem.placed(act_index=index, verb=verb_shown) from problem
    if creates is not None and verb.creates is not None:
        labels[creates] = verb.creates
    return act


def _verb(name: object) -> Verb:
    if name is None:
        raise Problem(FORMAT, "the act needs 'act', the name of its verb: act = \"change_stage\"")
    if not isinstance(name, str) or name not in VERBS:
        close = difflib.get_close_matches(str(name), VERBS, n=1)
        hint = f"did you mean {close[0]!r}? " if close else ""
        raise Problem(
            FORMAT,
            f"{name!r} is not an act: {hint}the acts are the verbs of SharedServices: "
            f"{', '.join(VERBS)}",
        )
    return VERBS[name]


def _keys(data: Mapping[str, Any], name: str, verb: Verb) -> Mapping[str, Any]:
    """``data``, checked for keys that ``verb`` does not take and keys it needs."""
    keys = verb.keys
    for key in data:
        if key not in keys:
            hint = ""
            if key in ("by", "party") and verb.actor not in (None, key):
                hint = f"the acting party of {name} is {verb.actor!r}; "
            elif key in ("by", "party") and verb.actor is None:
                hint = f"{name} has no acting party; "
            raise Problem(
                FORMAT, f"{key!r} is not a key of {name}: {hint}use {', '.join(map(repr, keys))}"
            )
    needed = ["on"] + ([verb.actor] if verb.actor and not verb.actor_optional else [])
    needed += [verb.target] if verb.target else []
    needed += ["id"] if verb.creates else []
    needed += [argument.key for argument in verb.arguments if argument.required]
    for key in needed:
        if key not in data:
            raise Problem(FORMAT, f"{name} needs {key!r}")
    return data


def _actor(given: Mapping[str, Any], verb: Verb) -> str | None:
    if verb.actor is None or verb.actor not in given:
        return None
    actor: str = TEXT.decode(given[verb.actor], verb.actor)
    return actor


def _check_label(given: Label, labels: Mapping[str, str], key: str) -> None:
    kind = labels.get(given.name)
    if kind is None:
        raise Problem(
            FORMAT,
            f"{key} = {given.name!r} names no {given.kind} that an earlier act made: "
            f"give the 'id' of the act that made it",
        )
    if kind != given.kind:
        raise Problem(FORMAT, f"{key} = {given.name!r} names a {kind}, not a {given.kind}")


def _new_label(data: object, labels: Mapping[str, str]) -> str:
    name: str = TEXT.decode(data, "id")
    if not name.strip():
        raise Problem(FORMAT, "id must be a label such as 'v1', not empty")
    if name in labels:
        raise Problem(FORMAT, f"id {name!r} is taken by an earlier act: give each label once")
    return name


# --- taking the acts ------------------------------------------------------------------------------


def _refusal(error: SharedServiceError) -> Problem:
    """The problem of an act the library refused, under the rule it broke."""
    if isinstance(error, RuleViolation):
        return Problem(error.rule, error.message)
    rule = {NotFound: "not-found", ConcurrencyConflict: "concurrency-conflict"}.get(
        type(error), "refused"
    )
    return Problem(rule, str(error))


def apply(app: SharedServices, scenario: Scenario) -> UUID:
    """Form the partnership and take every act on ``app``, one verb call each; returns the
    partnership's id. An act refused raises its problem (and the acts before it stay)."""
    formation = scenario.formation
    try:
        pid = app.form_partnership(
            formation.name, parties=formation.parties, terms=formation.terms,
            stage=formation.stage, on=formation.on, ref=formation.ref, policy=formation.policy,
        )  # fmt: skip
    except SharedServiceError as error:
        raise _refusal(error).placed(where="partnership") from error
    take(app, pid, scenario.acts, {})
    return pid


def take(app: SharedServices, pid: UUID, acts: Iterable[Act], made: dict[str, UUID]) -> None:
    """Take ``acts`` on partnership ``pid`` of ``app``, one verb call each; ``made`` holds
    the id each label made so far names (and gains those the acts make). An act refused
    raises its problem (and the acts before it stay)."""

    def resolved(value: Any) -> Any:
        return made[value.name] if isinstance(value, Label) else value

    for act in acts:
        verb = VERBS[act.verb]
        positional = [
            resolved(act.target) if name == verb.target_field else pid for name in verb.positional
        ]
        keywords = {name: resolved(value) for name, value in act.arguments.items()}
        if verb.actor is not None and act.actor is not None:
            keywords[verb.actor] = act.actor
        try:
            result = getattr(app, act.verb)(*positional, on=act.on, **keywords)
        except SharedServiceError as error:
            raise _refusal(error).placed(act_index=act.index, verb=act.verb) from error
        if act.creates is not None:
            made[act.creates] = result


def load(app: SharedServices, text: str) -> UUID:
    """Record the scenario in ``text`` in ``app``, whole or not at all; returns the
    partnership's id."""
    scenario = parse(text)
    scratch = type(app).in_memory()
    try:
        pid = apply(scratch, scenario)
        events = [scratch.mapper.to_domain_event(n) for n in notifications(scratch.recorder)]
        originators = dict.fromkeys(event.originator_id for event in events)
        snapshots = []
        if scratch.snapshots is not None:
            snapshots = [s for uid in originators for s in scratch.snapshots.get(uid)]
    finally:
        scratch.close()
    app.save(*events)
    if snapshots and app.snapshots is not None:  # so that reading a long history stays quick
        app.snapshots.put(snapshots)
    return pid
