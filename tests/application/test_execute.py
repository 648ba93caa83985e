"""The catalogue of acts and ``SharedServices.execute``, on every store.

The named verbs are doors onto ``execute``: the rest of the suite exercises every act through
them. These tests pin what the doors promise (the same signature as the act, the same result
as executing the act) and what ``execute`` itself does (one save for every aggregate an act
changes, one recorded time, nothing recorded on a refusal).
"""

from __future__ import annotations

import inspect
from datetime import date
from typing import Any

import attrs
import pytest
from handover_harness import SERVICE_DESK, consent_all
from harness import (
    CAMDEN,
    ISLINGTON,
    InMemoryStore,
    PostgresStore,
    SQLiteStore,
    StoreContract,
    assert_refused,
    form_pair,
)

from sharedsvc import (
    Dispute,
    NotFound,
    Partnership,
    RuleViolation,
    SharedServices,
    SovereigntyHandover,
    Stage,
)
from sharedsvc.acts import (
    CATALOGUE,
    ID_KINDS,
    Act,
    ApproveVariation,
    ChangeStage,
    EffectHandover,
    FormPartnership,
    ProposeHandover,
    ProposeVariation,
    RaiseDispute,
)

DAY = date(2016, 1, 4)


# --- the catalogue's own shape ------------------------------------------------------------------


@pytest.mark.parametrize("verb", sorted(CATALOGUE))
def test_each_act_is_named_as_its_verb_in_camel_case(verb: str) -> None:
    act = CATALOGUE[verb]
    assert verb.replace("_", "") == act.__name__.lower()
    assert verb == act.verb


@pytest.mark.parametrize("verb", sorted(CATALOGUE))
def test_each_verb_is_a_door_with_its_acts_signature_and_docstring(verb: str) -> None:
    act = CATALOGUE[verb]
    door = getattr(SharedServices, verb)
    parameters = list(inspect.signature(door).parameters.values())
    assert "self" == parameters[0].name
    assert list(inspect.signature(act).parameters.values()) == parameters[1:]
    assert act.__doc__ == door.__doc__


def test_each_door_names_the_type_its_act_returns() -> None:
    returns = {
        verb: inspect.signature(getattr(SharedServices, verb)).return_annotation
        for verb in CATALOGUE
    }
    assert {
        "form_partnership": "UUID",
        "propose_variation": "UUID",
        "approve_variation": "bool",
        "change_stage": "None",
        "serve_withdrawal_notice": "date",
        "consent_to_handover": "None",
        "escalate_dispute": "Rung",
        "accept_settlement": "bool",
    }.items() <= returns.items()
    assert set(returns.values()) <= {"None", "UUID", "bool", "date", "Rung"}, returns


@pytest.mark.parametrize("verb", sorted(CATALOGUE))
def test_an_act_that_names_its_method_names_a_method_of_what_it_acts_on(verb: str) -> None:
    act = CATALOGUE[verb]
    kinds = {"pid": Partnership, "hid": SovereigntyHandover, "did": Dispute}
    if act.method is not None:
        assert callable(getattr(kinds[act.acts_on() or ""], act.method, None)), act.method


@pytest.mark.parametrize("verb", sorted(CATALOGUE))
def test_each_act_declares_its_target_actor_and_event(verb: str) -> None:
    act = CATALOGUE[verb]
    fields = attrs.fields_dict(act)
    target = act.acts_on()
    assert (target is None) == (act.creates == "partnership")
    assert target is None or target in ID_KINDS
    assert act.actor is None or act.actor in fields
    assert "on" in fields
    assert act.authority is False or "ref" in fields
    assert act.records.__name__[0].isupper()
    for name in (*act.sources, *act.flags):
        assert name in fields, f"{act.__name__} declares a source for no field {name!r}"


def test_no_two_acts_are_recorded_by_the_same_event() -> None:
    recorders = [act.records for act in CATALOGUE.values()]
    assert len(set(recorders)) == len(recorders)


def test_the_fields_of_an_act_are_keyword_only_but_its_ids() -> None:
    for act in CATALOGUE.values():
        for parameter in inspect.signature(act).parameters.values():
            positional = parameter.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD
            assert positional == (parameter.name in ID_KINDS or parameter.name == "name"), (
                act.__name__,
                parameter.name,
            )


# --- execute on every store ---------------------------------------------------------------------


class ExecuteContract(StoreContract):
    def test_executing_an_act_is_the_same_as_calling_its_verb(self, app: SharedServices) -> None:
        by_verb = form_pair(app)
        by_act = app.execute(
            FormPartnership(
                "Shared Digital",
                parties=[CAMDEN, ISLINGTON],
                terms=app.partnership(by_verb).terms,
                on=date(2015, 9, 24),
            )
        )
        app.change_stage(by_verb, to=Stage.COLLABORATING, by="camden", on=DAY)
        returned = app.execute(ChangeStage(by_act, to=Stage.COLLABORATING, by="camden", on=DAY))
        assert returned is None
        one, other = app.partnership(by_verb), app.partnership(by_act)
        assert attrs.evolve(one, id=other.id, recorded_at=other.recorded_at) == other

    def test_execute_returns_what_the_verb_returns(self, app: SharedServices) -> None:
        pid = form_pair(app)
        vid = app.execute(ProposeVariation(pid, by="camden", changes={"sla": "99%"}, on=DAY))
        assert vid == app.variation(pid, vid).id
        assert app.execute(ApproveVariation(pid, vid, party="camden", on=DAY)) is False
        assert app.execute(ApproveVariation(pid, vid, party="islington", on=DAY)) is True

    def test_an_act_that_writes_to_two_aggregates_saves_both_with_one_recorded_time(
        self, app: SharedServices
    ) -> None:
        pid = form_pair(app)
        hid = app.execute(ProposeHandover(pid, function=SERVICE_DESK, by="islington", on=DAY))
        consent_all(app, hid, ["camden", "islington"], on=DAY)
        before = app.highest_position()
        app.execute(EffectHandover(hid, on=DAY))
        assert before + 2 == app.highest_position()
        handover_event = app.events.get(hid)
        partnership_event = app.events.get(pid)
        assert list(handover_event)[-1].timestamp == list(partnership_event)[-1].timestamp
        assert ("islington", SERVICE_DESK) in {
            (p.from_party, p.function) for p in app.partnership(pid).pooled_functions
        }

    def test_a_refused_act_records_nothing(self, app: SharedServices) -> None:
        pid = form_pair(app)
        assert_refused(
            app,
            "members-only",
            app.execute,
            ChangeStage(pid, to=Stage.COLLABORATING, by="hackney", on=DAY),
        )
        assert_refused(
            app,
            "dispute-shape",
            app.execute,
            RaiseDispute(pid, by="camden", against=["camden"], subject="costs", on=DAY),
        )

    def test_an_act_on_an_unknown_target_is_not_found(self, app: SharedServices) -> None:
        pid = form_pair(app)
        hid = app.propose_handover(pid, function=SERVICE_DESK, by="islington", on=DAY)
        with pytest.raises(NotFound):
            app.execute(ChangeStage("not-an-id", to=Stage.COLLABORATING, by="camden", on=DAY))
        with pytest.raises(NotFound):
            app.execute(ChangeStage(hid, to=Stage.COLLABORATING, by="camden", on=DAY))

    def test_execute_takes_only_acts_of_the_catalogue(self, app: SharedServices) -> None:
        position = app.highest_position()
        thing: Any = {"act": "change_stage"}
        with pytest.raises(RuleViolation) as caught:
            app.execute(thing)
        assert "invalid-value" == caught.value.rule
        with pytest.raises(NotImplementedError):
            app.execute(_Unfinished(on=DAY))
        assert position == app.highest_position()


@attrs.frozen
class _Unfinished(Act[None]):
    """An act that does not say how it is carried out (never registered: its name is private)."""

    on: date


class TestExecuteInMemory(InMemoryStore, ExecuteContract):
    pass


class TestExecuteOnSQLite(SQLiteStore, ExecuteContract):
    pass


@pytest.mark.postgres
class TestExecuteOnPostgres(PostgresStore, ExecuteContract):
    pass
