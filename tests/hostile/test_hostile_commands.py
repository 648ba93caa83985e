"""The hostile battery, commands: every act of the catalogue, through its verb or through
``app.execute``, with one or two of its fields replaced by hostile values (see
``hostile_values.py``), against a world where the same command with its own values is accepted.

What must hold for every one: the command either succeeds (the hostile value was in fact valid,
such as a long name) or raises a :class:`~sharedsvc.SharedServiceError` (a
:class:`~sharedsvc.RuleViolation` with a rule code, or ``NotFound`` for an id that names
nothing), with a message of one readable line, and records nothing. A command that succeeds
leaves a store whose every view, trail, ledger, read model and scenario can still be read.

Under the ``ci`` Hypothesis profile it runs 10,000 commands; under ``dev`` a few hundred, which
take a few seconds. The figures are counted in ``TALLY`` and printed at the end of the run.
"""

from __future__ import annotations

import os
from typing import Any

import attrs
import pytest
from hostile_values import Unprintable, build, hostile, hostile_for
from hostile_world import TALLY, World, build_world
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import sharedsvc as ss
from sharedsvc.acts import CATALOGUE
from sharedsvc.persistence import notifications
from sharedsvc.scenario import dump_scenario

CI = os.environ.get("HYPOTHESIS_PROFILE") == "ci"
COMMANDS = 10_000 if CI else 300
"""How many hostile commands a run tries."""
QUERIES = 1_000 if CI else 60
"""How many hostile view queries a run tries."""

BATTERY = settings(
    settings(), max_examples=COMMANDS, deadline=None, suppress_health_check=list(HealthCheck)
)
VERBS = sorted(CATALOGUE)
LONGEST_MESSAGE = 1_000
"""A refusal may name a valid value (a long name) whole, but never a hostile one of 100,000."""


def check_refusal(error: ss.SharedServiceError) -> None:
    """The refusal is typed and tells a person in one short line what is wrong."""
    message = str(error)
    assert message, type(error)
    assert "\n" not in message.strip(), message
    assert len(message) <= LONGEST_MESSAGE, f"{len(message)} characters: {message[:200]}..."
    if isinstance(error, ss.RuleViolation):
        assert isinstance(error.rule, str), error
        assert error.rule, error


def check_readable(world: World, before: int) -> None:
    """What an accepted command recorded can be read back every way the library reads it."""
    app = world.app
    for notification in notifications(app.recorder, start=before + 1):
        app.mapper.to_domain_event(notification)
    for pid in {view.id for view in app.partnerships()}:
        view = app.partnership(pid)
        assert app.partnership(pid, version=view.version) == view  # rebuilt from stored events
        app.audit_trail(pid)
        app.compromises(pid)
        dump_scenario(app, pid)
    for did in (world.officers, world.mediation, world.arbitration):
        app.dispute(did)
    for hid in (world.proposed, world.consented, world.effected):
        app.handover(hid)
    app.read_models().catch_up()
    assert app.verify().ok


def attempt(world: World, verb: str, arguments: dict[str, Any], door: str) -> None:
    """Take the command, building its hostile values first (a value type that refuses its parts
    refuses the command)."""
    Unprintable.armed = True
    try:
        built = {name: build(value) for name, value in arguments.items()}
        if door == "verb":
            getattr(world.app, verb)(**built)
        else:
            world.app.execute(CATALOGUE[verb](**built))
    finally:
        Unprintable.armed = False


@pytest.mark.timeout(1200)  # 10,000 commands under `ci`: a few minutes on a busy machine
def test_hostile_commands_are_refused_with_a_typed_error_and_record_nothing() -> None:
    state = {"world": build_world()}

    @BATTERY
    @given(st.data())
    def attack(data: st.DataObject) -> None:
        world = state["world"]
        verb = data.draw(st.sampled_from(VERBS), label="verb")
        fields = attrs.fields_dict(CATALOGUE[verb])
        arguments = dict(world.baselines()[verb])
        chosen = data.draw(
            st.lists(st.sampled_from(sorted(fields)), min_size=1, max_size=2, unique=True),
            label="fields",
        )
        for name in chosen:
            form = fields[name].metadata.get("form")
            arguments[name] = data.draw(hostile_for(name, form), label=name)
        door = data.draw(st.sampled_from(["verb", "execute"]), label="door")
        before = world.position()
        TALLY["commands"] += 1
        try:
            attempt(world, verb, arguments, door)
        except ss.SharedServiceError as error:
            TALLY["commands refused"] += 1
            assert world.position() == before, f"{verb} was refused but recorded something"
            check_refusal(error)
            return
        except BaseException:
            state["world"] = build_world()  # so that Hypothesis replays the failure as it was
            raise
        TALLY["commands accepted"] += 1
        state["world"] = build_world()  # a fresh world, so that the baselines stay valid
        check_readable(world, before)

    before = TALLY["commands"]
    attack()
    assert TALLY["commands"] - before >= COMMANDS


QUERY_SETTINGS = settings(BATTERY, max_examples=QUERIES)


@pytest.fixture(scope="module")
def world() -> World:
    return build_world()


def _views(world: World) -> dict[str, tuple[Any, tuple[str, ...]]]:
    app = world.app
    return {
        "partnership": (app.partnership, ("pid", "version", "as_of", "known_at")),
        "handover": (app.handover, ("hid", "as_of", "known_at")),
        "dispute": (app.dispute, ("did", "as_of", "known_at")),
        "audit_trail": (app.audit_trail, ("pid", "since", "until")),
        "compromises": (app.compromises, ("pid", "as_of")),
        "obligations": (app.obligations, ("pid", "as_of")),
        "balance": (app.balance, ("pid", "as_of")),
        "sovereignty": (app.sovereignty, ("party",)),
        "prove": (lambda position, checkpoint: app.prove(position, checkpoint), ("position",)),
    }


@QUERY_SETTINGS
@given(data=st.data())
def test_hostile_view_queries_are_refused_with_a_typed_error(
    world: World, data: st.DataObject
) -> None:
    views = _views(world)
    name = data.draw(st.sampled_from(sorted(views)), label="view")
    view, parameters = views[name]
    target = {"pid": world.pid, "hid": world.effected, "did": world.officers}
    arguments: dict[str, Any] = {p: target[p] for p in parameters if p in target}
    if name == "prove":
        arguments = {"position": 1, "checkpoint": world.app.checkpoint()}
    chosen = data.draw(st.sampled_from(parameters), label="parameter")
    arguments[chosen] = data.draw(hostile(), label=chosen)
    TALLY["queries"] += 1
    try:
        view(**{key: build(value) for key, value in arguments.items()})
    except ss.SharedServiceError as error:
        check_refusal(error)
