"""Every act of the catalogue (:mod:`sharedsvc.acts`) has what the rest of the library and its
tests need of it: a summary in the audit trail for its event and each of its consequences, a
form in scenario files that a representative act round-trips through, and an example in the
tests' per-act tables, so that an act added to the catalogue without them fails here.

Each check is a function of an act class that lists what the act lacks; the last tests show
that each check reports a throwaway act that lacks it (an act whose class name begins with an
underscore is kept out of the catalogue).
"""

from __future__ import annotations

import dataclasses
import re
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any, cast
from uuid import UUID

import attrs
import pytest

# The examples build on the application tests' helpers (which pytest puts on the path when it
# collects those tests; this file may run alone).
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "application"))

import harness
from handover_harness import SERVICE_DESK, climb, consent_all, pool
from test_scenario import record, round_trip

import sharedsvc as ss
from sharedsvc._scenario.verbs import VERBS as SCENARIO_VERBS
from sharedsvc._scenario.verbs import verb_of
from sharedsvc.acts import CATALOGUE, Act
from sharedsvc.domain.partnership import Partnership
from sharedsvc.domain.transfers import DataRole, StaffArrangement, StaffTransfer
from sharedsvc.projections.audit_summaries import DESCRIBERS
from sharedsvc.scenario import dump_scenario

AFTER_FORMATION = [verb for verb, act in CATALOGUE.items() if act.acts_on() is not None]
"""Every act but the formation, which every example takes first."""

ON = harness.Business.DAY
REF = harness.ref("Joint Committee", "JC/7", ON)


# --- an example of each act -------------------------------------------------------------------


def _handover(app: ss.SharedServices, pid: UUID) -> UUID:
    return app.propose_handover(pid, function=SERVICE_DESK, by="camden", on=ON)


def _consented(app: ss.SharedServices, pid: UUID) -> UUID:
    hid = _handover(app, pid)
    consent_all(app, hid, app.partnership(pid).active_parties, on=ON)
    return hid


def _dispute(app: ss.SharedServices, pid: UUID, to: ss.Rung = ss.Rung.OFFICERS) -> UUID:
    did = app.raise_dispute(pid, by="camden", against=["islington"], subject="fees", on=ON)
    climb(app, did, by="camden", to=to, on=ON)
    return did


def _settlement(app: ss.SharedServices, pid: UUID) -> UUID:
    did = _dispute(app, pid)
    app.propose_settlement(did, by="camden", terms={"fees": "halved"}, on=ON, ref=REF)
    return did


def _withdraw(app: ss.SharedServices, pid: UUID, party: str) -> None:
    effective = app.serve_withdrawal_notice(pid, party=party, on=ON)
    costs = ss.Money("1000.00")
    app.determine_exit_costs(pid, party=party, amount=costs, by="camden", on=ON)
    app.settle_exit_payment(pid, party=party, amount=costs, on=ON)
    app.complete_withdrawal(pid, party=party, on=effective)


ACT = Callable[[ss.SharedServices, UUID], object]

EXAMPLES: dict[str, ACT] = {
    "complete_withdrawal": lambda app, pid: _withdraw(app, pid, "islington"),
    "propose_handover": lambda app, pid: app.propose_handover(
        pid, function=SERVICE_DESK, by="camden", staff=[StaffTransfer(StaffArrangement.TUPE, 4)],
        assets=["servers"], data_role=DataRole.JOINT_CONTROLLERS, rationale="one desk", on=ON,
        from_parties=["camden", "islington"],
    ),
    "consent_to_handover": lambda app, pid: app.consent_to_handover(
        _handover(app, pid), party="islington", ref=harness.ref("Cabinet", "C/1", ON), on=ON
    ),
    "withhold_consent": lambda app, pid: app.withhold_consent(
        _handover(app, pid), party="islington", reason="not yet", on=ON
    ),
    "withdraw_handover": lambda app, pid: app.withdraw_handover(
        _handover(app, pid), by="camden", reason="not now", on=ON, ref=REF
    ),
    "effect_handover": lambda app, pid: app.effect_handover(_consented(app, pid), on=ON),
    "recall_handover": lambda app, pid: app.recall_handover(
        pool(app, pid, SERVICE_DESK, by="camden", on=ON), by="camden", reason="back", on=ON
    ),
    "raise_dispute": lambda app, pid: app.raise_dispute(
        pid, by="camden", against=["islington"], subject="service levels", defer=True, on=ON,
        act=app.propose_variation(pid, by="islington", changes={"sla": "99%"}, on=ON), ref=REF,
    ),
    "state_dispute_position": lambda app, pid: app.state_dispute_position(
        _dispute(app, pid), party="islington", position={"fees": ss.Money("10.00")}, on=ON,
        ref=REF,
    ),
    "escalate_dispute": lambda app, pid: app.escalate_dispute(
        _dispute(app, pid), by="camden", reason="stuck", on=ON, ref=REF
    ),
    "appoint_mediator": lambda app, pid: app.appoint_mediator(
        _dispute(app, pid, ss.Rung.MEDIATION), mediator="ACAS", by="camden", on=ON, ref=REF
    ),
    "propose_settlement": lambda app, pid: _settlement(app, pid),
    "accept_settlement": lambda app, pid: app.accept_settlement(
        _settlement(app, pid), party="islington", on=ON, ref=REF
    ),
    "determine_dispute": lambda app, pid: app.determine_dispute(
        _dispute(app, pid, ss.Rung.ARBITRATION), arbiter="An arbiter", terms={"fees": "x"},
        on=ON, ref=REF,
    ),
    "withdraw_dispute": lambda app, pid: app.withdraw_dispute(
        _dispute(app, pid), by="camden", reason="resolved", on=ON, ref=REF
    ),
}  # fmt: skip
"""An example of each act of a handover or a dispute, in a partnership of Camden, Islington and
Haringey formed on :data:`ON` (the partnership's own acts have theirs in ``harness.VERBS``,
taken on a :class:`harness.Business`; an example here, for an act that verb refuses there,
comes first)."""


def on_the_partnership(act: type[Act[Any]]) -> bool:
    """Whether ``act`` records an event of the partnership (its example is in the harness)."""
    return issubclass(act.records, Partnership.Event)


def example(verb: str, app: ss.SharedServices) -> UUID:
    """Take an example of ``verb`` in a new partnership of ``app``; returns its id."""
    if verb not in EXAMPLES and on_the_partnership(CATALOGUE[verb]):
        business = harness.Business(app)
        actor, call = harness.VERBS[verb]
        call(app, business, actor, None, business.DAY)
        return business.pid
    pid = harness.form_trio(app, on=ON)
    EXAMPLES[verb](app, pid)
    return pid


# --- the checks -------------------------------------------------------------------------------


def missing_summaries(act: type[Act[Any]]) -> list[str]:
    """The events of ``act`` (its own and its consequences) that have no summary."""
    return [
        f"{act.__name__}: {event.__qualname__} has no summary in "
        f"sharedsvc.projections.audit_summaries"
        for event in (act.records, *act.consequences)
        if event not in DESCRIBERS
    ]


def missing_scenario_form(act: type[Act[Any]]) -> list[str]:
    """Why ``act`` (an act after the formation) cannot be written in a scenario file."""
    try:
        verb_of(act)
    except TypeError as error:
        return [f"{act.__name__} has no form in a scenario file: {error}"]
    scenario = SCENARIO_VERBS.get(act.verb)
    if scenario is None or scenario.act is not act:
        return [f"{act.__name__} is not among the verbs of a scenario file"]
    return []


def missing_example(act: type[Act[Any]]) -> list[str]:
    """Where an example of ``act`` (an act after the formation) is missing."""
    if on_the_partnership(act):
        table, where = harness.VERBS, "VERBS in tests/application/harness.py"
    else:
        table, where = EXAMPLES, "EXAMPLES in tests/unit/test_catalogue.py"
    return [] if act.verb in table else [f"{act.__name__} has no example: add one to {where}"]


# --- every act passes them --------------------------------------------------------------------


@pytest.mark.parametrize("verb", list(CATALOGUE))
def test_every_act_and_each_of_its_consequences_has_a_summary(verb: str) -> None:
    assert [] == missing_summaries(CATALOGUE[verb])


@pytest.mark.parametrize("verb", AFTER_FORMATION)
def test_every_act_has_a_form_in_scenario_files(verb: str) -> None:
    assert [] == missing_scenario_form(CATALOGUE[verb])


@pytest.mark.parametrize("verb", AFTER_FORMATION)
def test_every_act_has_an_example(verb: str) -> None:
    assert [] == missing_example(CATALOGUE[verb])


HOW_TO = Path(__file__).resolve().parents[2] / "docs" / "how-to" / "scenario-files.md"


def how_to_table(text: str) -> dict[str, set[str]]:
    """The acts of the scenario files guide's table, each with the keys of its last column
    (every word in backticks there)."""
    found: dict[str, set[str]] = {}
    for line in text.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 5 and cells[0].startswith("`"):
            found[cells[0].strip("`")] = set(re.findall(r"`([^`]+)`", cells[4]))
    return found


def test_the_scenario_files_guide_lists_every_act_with_the_keys_it_takes() -> None:
    """The guide's table is written by hand: an act or a key added to the catalogue without a
    word in the table fails here (add it to docs/how-to/scenario-files.md)."""
    listed = how_to_table(HOW_TO.read_text(encoding="utf-8"))
    expected = {
        verb: {argument.key for argument in scenario.arguments}
        for verb, scenario in SCENARIO_VERBS.items()
    }
    assert expected == listed


def test_the_guide_table_reader_reads_an_act_and_its_keys() -> None:
    text = "| act | acting party |\n|---|---|\n| `note` | `by` | | | `kind`, `text` (both), `ref` |"
    assert {"note": {"kind", "text", "ref"}} == how_to_table(text)


@pytest.mark.parametrize("verb", list(CATALOGUE))
def test_every_verb_that_records_an_act_takes_a_decision_reference(verb: str) -> None:
    act = CATALOGUE[verb]
    field = attrs.fields_dict(cast(Any, act)).get("ref")
    assert field is not None, f"{act.__name__} takes no ref"
    assert field.default is None, f"{act.__name__}.ref is not optional"
    carried = act.source("ref").split(".")[0]
    assert carried in {f.name for f in dataclasses.fields(act.records)}, (
        f"{act.records.__qualname__} does not carry the ref"
    )


def test_the_examples_are_of_acts_of_the_catalogue() -> None:
    assert set(EXAMPLES) | set(harness.VERBS) <= set(AFTER_FORMATION)


@pytest.mark.parametrize("verb", AFTER_FORMATION)
def test_an_example_of_every_act_round_trips_through_a_scenario_file(verb: str) -> None:
    app = ss.SharedServices.in_memory()
    pid = example(verb, app)
    text = dump_scenario(app, pid)
    assert f'act = "{verb}"' in text
    assert (record(app, pid), text) == round_trip(text)


# --- and each check reports an act that fails it ----------------------------------------------


class _VoteHeld(Partnership.Event):
    """A throwaway event of the partnership, with no summary."""


@attrs.frozen
class _HoldVote(Act[None]):
    """A throwaway act of the partnership: no summary, no scenario form, no example."""

    verb = "hold_vote"
    actor = "by"
    records = _VoteHeld

    pid: UUID
    by: str = attrs.field(kw_only=True)
    votes: frozenset[str] = attrs.field(kw_only=True)
    on: date = attrs.field(kw_only=True)


@attrs.frozen
class _CallMeeting(Act[None]):
    """A throwaway act of a dispute, that a file could hold but whose class the catalogue lacks;
    its event has a summary, its consequence none."""

    verb = "call_meeting"
    actor = "by"
    records = ss.Dispute.Escalated
    consequences = (_VoteHeld,)

    did: UUID
    by: str = attrs.field(kw_only=True)
    on: date = attrs.field(kw_only=True)


def test_the_throwaway_acts_are_not_in_the_catalogue() -> None:
    assert {"hold_vote", "call_meeting"}.isdisjoint(CATALOGUE)
    assert _HoldVote not in CATALOGUE.values()
    assert _CallMeeting not in CATALOGUE.values()


def test_an_act_without_a_summary_is_reported() -> None:
    assert ["_HoldVote: _VoteHeld has no summary in sharedsvc.projections.audit_summaries"] == (
        missing_summaries(_HoldVote)
    )
    assert ["_CallMeeting: _VoteHeld has no summary in sharedsvc.projections.audit_summaries"] == (
        missing_summaries(_CallMeeting)
    )


def test_an_act_without_a_scenario_form_is_reported() -> None:
    [problem] = missing_scenario_form(_HoldVote)
    assert "_HoldVote has no form in a scenario file" in problem
    assert "'votes'" in problem
    assert "frozenset" in problem
    assert ["_CallMeeting is not among the verbs of a scenario file"] == (
        missing_scenario_form(_CallMeeting)
    )


def test_an_act_without_an_example_is_reported() -> None:
    assert [
        "_HoldVote has no example: add one to VERBS in tests/application/harness.py"
    ] == missing_example(_HoldVote)
    assert [
        "_CallMeeting has no example: add one to EXAMPLES in tests/unit/test_catalogue.py"
    ] == missing_example(_CallMeeting)
