"""One test per hostile value the battery found accepted or answered with an untyped error:
each is now refused with a typed error naming what is wrong, and records nothing."""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hostile_world import DAY, World, build_world

import sharedsvc as ss
from sharedsvc import Money, Notice, Party, RuleViolation, Terms
from sharedsvc._scenario.freeform import TYPED
from sharedsvc.domain.transfers import StaffArrangement, StaffTransfer
from sharedsvc.scenario import ScenarioError, dump_scenario, load_scenario, loads_scenario

NON_FINITE = [math.nan, math.inf, -math.inf, Decimal("NaN"), Decimal("sNaN"), Decimal("-Inf")]


@pytest.fixture
def world() -> World:
    return build_world()


def refused(world: World, command: Callable[[], Any], rule: str = "invalid-value") -> str:
    """Run ``command``; it is refused under ``rule`` and records nothing. Returns the message."""
    before = world.position()
    with pytest.raises(RuleViolation) as caught:
        command()
    assert caught.value.rule == rule, caught.value
    assert world.position() == before
    return caught.value.message


# --- non-finite numbers -------------------------------------------------------------------


@pytest.mark.parametrize("number", NON_FINITE, ids=repr)
@pytest.mark.parametrize("shape", ["flat", "in a list", "in a table"])
def test_a_non_finite_number_in_a_position_settlement_or_determination_is_refused(
    world: World, number: Any, shape: str
) -> None:
    value = {"flat": number, "in a list": [1, number], "in a table": {"cap": number}}[shape]
    app = world.app
    refused(world, lambda: app.state_dispute_position(
        world.officers, party="islington", position={"charge": value}, on=DAY))  # fmt: skip
    refused(world, lambda: app.propose_settlement(
        world.officers, by="camden", terms={"charge": value}, on=DAY))  # fmt: skip
    refused(world, lambda: app.determine_dispute(
        world.arbitration, arbiter="An Arbiter", terms={"charge": value}, on=DAY))  # fmt: skip


@pytest.mark.parametrize("number", [10**30, -(10**16), Decimal("1E+999999"), Decimal("1E-40")])
def test_a_number_out_of_range_in_a_position_is_refused(world: World, number: Any) -> None:
    refused(world, lambda: world.app.state_dispute_position(
        world.officers, party="islington", position={"charge": number}, on=DAY))  # fmt: skip


def test_a_staff_transfer_of_more_people_than_a_column_holds_is_refused() -> None:
    with pytest.raises(RuleViolation, match="invalid-value"):
        StaffTransfer(StaffArrangement.S113, 10**30)


# --- text every store holds ---------------------------------------------------------------


@pytest.mark.parametrize("bad", ["\ud800", "ab\udfffc", "a\x00b"], ids=repr)
def test_text_with_a_lone_surrogate_or_a_nul_is_refused_wherever_it_goes(
    world: World, bad: str
) -> None:
    app, pid = world.app, world.pid
    commands: list[Callable[[], Any]] = [
        lambda: app.note(pid, kind="minute", text=bad, by="camden", on=DAY),
        lambda: app.raise_dispute(pid, by="haringey", against=["camden"], subject=bad, on=DAY),
        lambda: app.propose_variation(pid, by="camden", changes={"sla": bad}, on=DAY),
        lambda: app.state_position(pid, world.vid, party="islington", position={"sla": bad},
                                   on=DAY),
        lambda: app.state_dispute_position(world.officers, party="islington",
                                           position={"charge": bad}, on=DAY),
        lambda: app.state_dispute_position(world.officers, party="islington",
                                           position={bad: "5%"}, on=DAY),
        lambda: app.change_stage(pid, to=ss.Stage.COORDINATING, by="camden", rationale=bad,
                                 on=DAY),
        lambda: app.propose_handover(pid, function=world_function(), by="haringey",
                                     assets=[bad], on=DAY),
        lambda: app.change_stage(pid, to=ss.Stage.COORDINATING, by="camden", on=DAY,
                                 ref=ss.DecisionRef(bad, "C/1", DAY)),
        lambda: app.propose_variation(pid, by="camden", admit=[Party("hackney", bad)], on=DAY),
    ]  # fmt: skip
    for command in commands:
        refused(world, command)


def world_function() -> ss.Function:
    return ss.Function("legal", "Legal services", "back-office")


def test_a_refusal_shows_a_huge_value_shortened() -> None:
    with pytest.raises(RuleViolation) as caught:
        Party("x" * 100_000, "Huge")
    assert len(caught.value.message) < 200


def test_a_refusal_of_a_value_whose_repr_fails_still_names_its_type() -> None:
    from sharedsvc.domain.validators import shown, string

    class Unprintable:
        def __repr__(self) -> str:
            raise RuntimeError("no repr")

    assert shown(Unprintable()) == "<Unprintable>"
    with pytest.raises(RuleViolation):
        string(Unprintable(), "name")


# --- dates, versions and positions that fit -----------------------------------------------


def test_a_notice_whose_effective_date_leaves_the_calendar_is_refused() -> None:
    app = ss.SharedServices.in_memory()
    pool = ss.CostPool.equal("core", ["camden", "islington"])
    pid = app.form_partnership(
        "Six months' notice", parties=[Party("camden", "Camden"), Party("islington", "Islington")],
        terms=Terms(cost_pools=(pool,), notice=Notice(months=6)), stage=ss.Stage.CO_OPERATING,
        on=DAY,
    )  # fmt: skip
    before = app.recorder.max_notification_id()
    with pytest.raises(RuleViolation, match="invalid-value") as caught:
        app.serve_withdrawal_notice(pid, party="islington", on=date(9999, 12, 1))
    assert "10000" in caught.value.message
    assert app.recorder.max_notification_id() == before
    with pytest.raises(RuleViolation, match="invalid-value"):
        Notice(months=6).effective_date(date(9999, 10, 1))


@pytest.mark.parametrize("store", ["memory", "sqlite"])
@pytest.mark.parametrize("version", [10**30, 2**63, -1])
def test_a_version_no_store_can_hold_is_refused(tmp_path: Path, store: str, version: int) -> None:
    app = (
        ss.SharedServices.in_memory()
        if store == "memory"
        else ss.SharedServices.sqlite(tmp_path / "store.db")
    )
    world = build_world(app)
    with pytest.raises(RuleViolation, match=r"invalid-value.*version"):
        app.partnership(world.pid, version=version)
    with pytest.raises(RuleViolation, match=r"invalid-value.*position"):
        app.prove(version, app.checkpoint())


# --- shapes: mixed keys, bytes, objects, wrong types, deep nesting --------------------------


def test_changes_keyed_by_mixed_types_are_refused_by_name(world: World) -> None:
    for changes in ({1: "a", "x": "b"}, {None: 1, "sla": "x"}):
        refused(world, lambda c=changes: world.app.propose_variation(  # type: ignore[misc]
            world.pid, by="camden", changes=c, on=DAY), rule="variation-shape")  # fmt: skip
    terms = Terms(cost_pools=(ss.CostPool.equal("core", ["camden"]),))
    with pytest.raises(RuleViolation, match="variation-shape"):
        terms.evolve({1: "a", "b": 2})


@pytest.mark.parametrize(
    "value",
    [b"bytes", bytearray(b"x"), object(), {1, 2}, 1 + 2j, {1: "a", "b": 2}, {"x": {2: "y"}}],
    ids=repr,
)
def test_bytes_objects_sets_and_tables_not_keyed_by_text_are_refused_in_positions(
    world: World, value: Any
) -> None:
    refused(world, lambda: world.app.state_dispute_position(
        world.officers, party="islington", position={"charge": value}, on=DAY))  # fmt: skip


def test_a_value_nested_too_deeply_is_refused(world: World) -> None:
    from sharedsvc.domain.validators import MAX_DEPTH

    deep: Any = "x"
    for _ in range(5_000):
        deep = [deep]
    message = refused(world, lambda: world.app.propose_settlement(
        world.officers, by="camden", terms={"charge": deep}, on=DAY))  # fmt: skip
    assert f"more than {MAX_DEPTH} deep" in message


def test_founders_that_are_not_a_list_are_refused(world: World) -> None:
    terms = Terms(cost_pools=(ss.CostPool.equal("core", ["camden", "islington"]),))
    for parties in (object(), 3, Party("camden", "Camden")):
        refused(world, lambda p=parties: world.app.form_partnership(  # type: ignore[misc]
            "X", parties=p, terms=terms, stage=ss.Stage.CO_OPERATING, on=DAY))  # fmt: skip


def test_an_id_that_is_not_text_names_nothing(world: World) -> None:
    deep: Any = []
    for _ in range(5_000):
        deep = [deep]
    for uid in (deep, 10**30, b"x" * 16):
        with pytest.raises(ss.NotFound):
            world.app.dispute(uid)


def test_every_value_type_a_free_value_may_hold_has_a_form_in_scenario_files() -> None:
    from sharedsvc.domain.validators import plain, plain_kinds

    assert set(plain_kinds()) == {kind for kind, _ in TYPED.values()} - {Decimal}
    assert plain({"a": [Money(Decimal(1)), None, True, date(2016, 1, 1)]}, "x")


# --- scenario files -----------------------------------------------------------------------


def test_a_scenario_file_that_is_not_utf8_raises_scenario_error(
    world: World, tmp_path: Path
) -> None:
    path = tmp_path / "latin1.toml"
    text = dump_scenario(world.app, world.pid).replace("Hostile", "Hostilé")
    path.write_bytes(text.encode("latin-1"))
    app = ss.SharedServices.in_memory()
    with pytest.raises(ScenarioError, match="not UTF-8") as caught:
        load_scenario(app, path)
    assert caught.value.file == str(path)
    assert caught.value.rule == "toml-syntax"
    assert app.recorder.max_notification_id() in (0, None)


def test_a_scenario_nested_too_deeply_raises_scenario_error(world: World) -> None:
    text = dump_scenario(world.app, world.pid) + "\nnested = " + "[" * 5_000 + "]" * 5_000
    with pytest.raises(ScenarioError, match="too deeply") as caught:
        loads_scenario(ss.SharedServices.in_memory(), text, name="deep.toml")
    assert caught.value.file == "deep.toml"


def test_a_scenario_that_is_not_text_raises_scenario_error() -> None:
    with pytest.raises(ScenarioError, match="toml-syntax"):
        loads_scenario(ss.SharedServices.in_memory(), b"[partnership]")  # type: ignore[arg-type]


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", '"\\u0000"', "99999999999999999999"])
def test_a_hostile_value_in_a_scenario_raises_scenario_error_naming_act_and_field(
    world: World, value: str
) -> None:
    text = dump_scenario(world.app, world.pid)
    text += '\n[[acts]]\nact = "note"\non = 2016-01-04\nby = "camden"\nkind = "x"\ntext = "y"\n'
    text += '\n[[acts]]\nact = "propose_settlement"\ndispute = "d1"\non = 2016-01-04\n'
    text += f'by = "islington"\n\n[acts.terms]\ncharge = {value}\n'
    app = ss.SharedServices.in_memory()
    with pytest.raises(ScenarioError) as caught:
        loads_scenario(app, text, name="hostile.toml")
    error = caught.value
    assert error.verb == "propose_settlement"
    assert error.rule == "invalid-value"
    assert "charge" in error.message
    assert app.recorder.max_notification_id() in (0, None)
