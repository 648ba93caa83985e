"""histories(): every history it draws is one the library accepts, on every store, and keeps
the invariant catalogue; together they reach every kind of act; and one that a test rejects
shrinks to a short script that runs as it reads.

The ``find`` searches below are derandomized and have their own budgets, so that they take the
same path (and time) under every Hypothesis profile; the one that shrinks runs under the ``ci``
profile only.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any
from uuid import UUID

import attrs
import pytest
from hypothesis import HealthCheck, Phase, find, given, settings
from hypothesis.errors import InvalidArgument, NoSuchExample

import sharedsvc as ss
from sharedsvc.acts import CATALOGUE
from sharedsvc.invariants import check_dispute, check_handover, check_partnership
from sharedsvc.testing import History, HistoryIds, histories

# --- what a history left on an application, told apart from the ids it happened to get -------


def symbolic(value: Any, names: Mapping[UUID, str]) -> Any:
    """``value`` as plain data with every id replaced by its name in the history (``"v0"``),
    and without what depends on the store rather than the history (recorded times, places in
    the global log): what any two stores must agree on."""
    if isinstance(value, UUID):
        return names[value]
    if isinstance(value, datetime):
        return "<recorded>"
    if attrs.has(type(value)):
        fields = [f for f in attrs.fields(type(value)) if f.name != "position"]
        return (
            type(value).__name__,
            {f.name: symbolic(getattr(value, f.name), names) for f in fields},
        )
    if isinstance(value, Mapping):
        return [(symbolic(k, names), symbolic(v, names)) for k, v in value.items()]
    if isinstance(value, tuple | list):
        return [symbolic(item, names) for item in value]
    return value


def record(app: ss.SharedServices, ids: HistoryIds) -> dict[str, Any]:
    """Every view of what the history made on ``app``, and the compromise ledger."""
    names = {ids.partnership: "pid"}
    made_by_kind = (
        ("v", ids.variations), ("h", ids.handovers), ("d", ids.disputes), ("t", ids.targets)
    )  # fmt: skip
    for kind, made in made_by_kind:
        names.update((uid, f"{kind}{i}") for i, uid in enumerate(made))
    pid = ids.partnership
    return symbolic(
        {
            "partnership": app.partnership(pid),
            "variations": app.variations(pid),
            "handovers": [app.handover(hid) for hid in ids.handovers],
            "disputes": [app.dispute(did) for did in ids.disputes],
            "compromises": app.compromises(pid),
            "readiness": app.readiness(pid),
            "targets": app.targets(pid),
        },
        names,
    )


def in_memory(history: History) -> tuple[ss.SharedServices, HistoryIds]:
    app = ss.SharedServices.in_memory()
    return app, history.apply(app)


# --- every history is accepted, and the record stays sound --------------------------------------


@given(histories())
def test_every_history_applies_in_memory_and_keeps_the_invariant_catalogue(
    history: History,
) -> None:
    app, ids = in_memory(history)  # a refusal would raise here
    assert [] == check_partnership(
        app.partnership(ids.partnership), app.variations(ids.partnership)
    )
    for hid in ids.handovers:
        assert [] == check_handover(app.handover(hid))
    for did in ids.disputes:
        assert [] == check_dispute(app.dispute(did))
    made = [step.creates for step in history.steps if step.creates is not None]
    assert len(made) == sum(map(len, (ids.variations, ids.handovers, ids.disputes, ids.targets)))
    dates = [history.formed_on, *(step.on for step in history.steps)]
    assert sorted(dates) == dates


@settings(max_examples=min(settings().max_examples, 40))
@given(histories())
def test_every_history_applies_on_sqlite_and_reads_back_as_it_does_in_memory(
    history: History,
) -> None:
    memory, ids_in_memory = in_memory(history)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "store.db"
        app = ss.SharedServices.sqlite(path)
        try:
            ids = history.apply(app)
        finally:
            app.close()
        reopened = ss.SharedServices.sqlite(path)  # no aggregate cache: read from the store
        try:
            assert record(memory, ids_in_memory) == record(reopened, ids)
        finally:
            reopened.close()


@pytest.mark.postgres
@settings(max_examples=min(settings().max_examples, 10))
@given(histories())
def test_every_history_applies_on_postgres_and_reads_back_as_it_does_in_memory(
    postgres_params: dict[str, Any], history: History
) -> None:
    memory, ids_in_memory = in_memory(history)
    app = ss.SharedServices.postgres(**postgres_params)
    try:
        ids = history.apply(app)
    finally:
        app.close()
    reopened = ss.SharedServices.postgres(**postgres_params)
    try:
        assert record(memory, ids_in_memory) == record(reopened, ids)
    finally:
        reopened.close()


# --- the printed history is the script of its verb calls ---------------------------------------


def run_script(history: History) -> tuple[ss.SharedServices, HistoryIds]:
    """Run ``str(history)`` as Python with an application and sharedsvc's names in scope."""
    app = ss.SharedServices.in_memory()
    scope: dict[str, Any] = {name: getattr(ss, name) for name in ss.__all__}
    scope.update(app=app, date=date)
    exec(str(history), scope)  # the script a falsified test prints
    made = {kind: [scope[f"{kind}{i}"] for i in range(n)] for kind, n in counts(history).items()}
    return app, HistoryIds(scope["pid"], *(tuple(made.get(kind, ())) for kind in "vhdt"))


def counts(history: History) -> dict[str, int]:
    found = {"v": 0, "h": 0, "d": 0, "t": 0}
    for step in history.steps:
        if step.creates is not None:
            found[str(step.creates)[0]] += 1
    return found


@settings(max_examples=min(settings().max_examples, 30))
@given(histories())
def test_a_printed_history_runs_as_a_script_to_the_same_record(history: History) -> None:
    script = str(history).splitlines()
    assert 1 + len(history.steps) == len(script)
    assert all(line in repr(history) for line in script)
    scripted, ids = run_script(history)
    assert record(*in_memory(history)) == record(scripted, ids)


# --- narrowing arguments -------------------------------------------------------------------------


@given(histories(max_steps=5, parties=["adur", "worthing", "mid-sussex"], dissolve=False))
def test_histories_can_be_narrowed(history: History) -> None:
    pool = {"adur", "worthing", "mid-sussex"}
    assert len(history.steps) <= 5
    assert {party.id for party in history.founders} <= pool
    for step in history.steps:
        assert {party.id for party in step.arguments.get("admit", ())} <= pool
        assert not step.arguments.get("dissolve")


@pytest.mark.parametrize(
    "misuse",
    [
        pytest.param(lambda: histories(max_steps=-1), id="negative max_steps"),
        pytest.param(lambda: histories(max_steps=True), id="max_steps a bool"),
        pytest.param(lambda: histories(parties=["camden"]), id="one party"),
        pytest.param(lambda: histories(parties=["Camden", "adur"]), id="bad party id"),
        pytest.param(lambda: histories(dissolve="no"), id="dissolve not a bool"),
    ],
)
def test_a_misused_argument_is_refused_when_the_strategy_is_built(misuse: Any) -> None:
    with pytest.raises(InvalidArgument):
        misuse()


# --- the histories reach every kind of act --------------------------------------------------------


@attrs.frozen
class Outcome:
    """What a history left in memory: the partnership, and its handovers and disputes."""

    history: History
    partnership: ss.PartnershipView
    handovers: tuple[ss.HandoverView, ...]
    disputes: tuple[ss.DisputeView, ...]

    @classmethod
    def of(cls, history: History) -> Outcome:
        app, ids = in_memory(history)
        return cls(
            history,
            app.partnership(ids.partnership),
            tuple(app.handover(hid) for hid in ids.handovers),
            tuple(app.dispute(did) for did in ids.disputes),
        )

    def handover_statuses(self) -> set[str]:
        return {handover.status for handover in self.handovers}

    def dispute_statuses(self) -> set[str]:
        return {dispute.status for dispute in self.disputes}


def verbs_of(history: History) -> set[str]:
    """The verbs the history's script calls, its formation's included."""
    return {line.split("(")[0].split(".")[-1] for line in str(history).splitlines()}


KINDS_OF_ACT: dict[str, Callable[[Outcome], bool]] = {
    "an admission": lambda o: len(o.partnership.parties) > len(o.history.founders),
    "an adopted variation": lambda o: "adopted" in o.partnership.closed_variations.values(),
    "a rejected variation": lambda o: "rejected" in o.partnership.closed_variations.values(),
    "a stage change": lambda o: "change_stage" in o.history.verbs,
    "an effected handover": lambda o: "effected" in o.handover_statuses(),
    "a recalled handover": lambda o: "recalled" in o.handover_statuses(),
    "a withdrawn handover": lambda o: "withdrawn" in o.handover_statuses(),
    "a deferred act": lambda o: any(dispute.deferred for dispute in o.disputes),
    "a mediator": lambda o: any(dispute.mediator for dispute in o.disputes),
    "a settled dispute": lambda o: "settled" in o.dispute_statuses(),
    "a dispute determined at the top rung": lambda o: any(
        "determined" == d.status and d.ladder[-1] == d.rung for d in o.disputes
    ),
    "a withdrawn dispute": lambda o: "withdrawn" in o.dispute_statuses(),
    "a completed withdrawal": lambda o: "complete_withdrawal" in o.history.verbs,
    "a dissolution": lambda o: o.partnership.dissolved,
    "a partial assessment": lambda o: any(
        len(step.arguments["scores"]) < len(o.partnership.policy.readiness_areas)
        for step in o.history.steps
        if "assess_readiness" == step.verb
    ),
    "a stage gate passed": lambda o: any(
        step.arguments["to"] in o.partnership.policy.stage_gates
        for step in o.history.steps
        if "change_stage" == step.verb
    ),
}
# ...and a call of every act of the catalogue: each has a move, hand-written or generic, that
# the library accepts (see test_catalogue_moves.py).
KINDS_OF_ACT.update(
    (f"a call of {verb}", lambda o, verb=verb: verb in verbs_of(o.history)) for verb in CATALOGUE
)


def test_histories_reach_every_kind_of_act() -> None:
    seen: set[str] = set()

    def saw_every_kind(history: History) -> bool:
        outcome = Outcome.of(history)
        seen.update(kind for kind, reached in KINDS_OF_ACT.items() if reached(outcome))
        return seen == set(KINDS_OF_ACT)

    search = settings(
        database=None, derandomize=True, max_examples=1000, phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )  # fmt: skip
    try:
        find(histories(), saw_every_kind, settings=search)
    except NoSuchExample:
        pytest.fail(f"1000 histories never reached {sorted(set(KINDS_OF_ACT) - seen)}")


# --- and shrink to short, readable scripts --------------------------------------------------------


def settles_a_dispute_at_the_third_rung(history: History) -> bool:
    app, ids = in_memory(history)
    for did in ids.disputes:
        view = app.dispute(did)
        if "settled" == view.status and ss.Rung.CHIEF_EXECUTIVES == view.rung:
            return True
    return False


# Shrinking is most of this test's time (half a minute, more on a busy machine), so it runs
# under the ci profile only, like the shrinking in test_machine_teeth.py.
@pytest.mark.slow
@pytest.mark.skipif(
    os.environ.get("HYPOTHESIS_PROFILE", "dev") != "ci",
    reason="shrinking a found history is slow: it runs with HYPOTHESIS_PROFILE=ci",
)
def test_a_history_found_for_a_property_shrinks_to_a_short_script() -> None:
    found = find(
        histories(max_steps=30),  # found with 30 steps; fewer cost more time to find
        settles_a_dispute_at_the_third_rung,
        settings=settings(database=None, derandomize=True, max_examples=2000),
    )
    assert len(found.steps) <= 12
    calls = [line.split("(")[0].split(".")[-1] for line in str(found).splitlines()]
    assert 2 <= calls.count("escalate_dispute")
    assert "accept_settlement" == calls[-1]
