"""The sovereignty map from the read models equals the map computed from the events, and both
agree with the partnerships' views, on generated histories: the testing kit's, and histories
drawn here that dwell on what the map follows (handovers, combined or not, recalls, successions
and reorganisations, changes of host, stage and name, dissolution) in two partnerships.

The read models are caught up now and then between the acts by a fresh follower (which knows
only what the read store keeps of each partnership: its host, pooled functions and open
entries), in memory and on SQLite; the map from the events follows the whole log at once.
The views are an independent witness of what is held now: a party's open ``ceded`` and
``inherited`` entries are its pooled functions, and a host's open ``hosted`` entries the
functions the others pooled.
"""

from __future__ import annotations

import contextlib
import tempfile
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from harness import form_pair, form_trio
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sharedsvc import Function, Party, SharedServiceError, SharedServices, SovereigntyMap, Stage
from sharedsvc.projections.read_models import ReadModels
from sharedsvc.projections.sovereignty import rows_from_log, sovereignty_map
from sharedsvc.testing import History, histories
from sharedsvc.testing._history import KINDS


def record(app: SharedServices, stories: list[History], data: st.DataObject) -> None:
    for story in stories:
        pid = story.form(app)
        made: dict[str, list[Any]] = {kind: [] for kind in KINDS}
        for step in story.steps:
            step.apply(app, pid, made)
            if data.draw(st.integers(0, 3), label="catch up here") == 0:
                ReadModels(app).catch_up()


FUNCTIONS = [
    Function("ict.service-desk", "ICT service desk", category="back-office"),
    Function("hr.payroll", "Payroll", category="back-office"),
    Function("legal.advice", "Legal advice", category="back-office"),
]
ACTS = ["hand over", "recall", "succeed", "reorganise", "host", "stage", "rename", "dissolve"]


class Drawn:
    """Acts drawn one after another on two partnerships, each dated after the last; an act
    the library refuses records nothing and is passed over."""

    def __init__(self, app: SharedServices, data: st.DataObject) -> None:
        self.app, self.data, self.day, self.made = app, data, date(2017, 1, 1), 0
        self.pids = [
            form_trio(app),
            form_pair(app, name="Legal Services", on=date(2016, 11, 1), host="islington"),
        ]

    def draw(self, strategy: st.SearchStrategy[Any], label: str) -> Any:
        return self.data.draw(strategy, label=label)

    def heirs(self, active: tuple[str, ...], party: str) -> list[Party]:
        others = [p for p in active if p != party]
        if len(others) > 2 and self.draw(st.booleans(), "absorbed"):
            return [Party(self.draw(st.sampled_from(others), "absorber"), "Absorber")]
        count = self.draw(st.integers(1, 2), "successors")
        self.made += count
        return [Party(f"successor-{self.made - n}", "Successor") for n in range(count)]

    def act(self) -> None:
        app = self.app
        self.day += timedelta(days=self.draw(st.integers(1, 90), "days"))
        on, kind = self.day, self.draw(st.sampled_from(ACTS), "act")
        pid = self.draw(st.sampled_from(self.pids), "partnership")
        view = app.partnership(pid)
        active = view.active_parties
        if not active:  # dissolved
            return
        party = self.draw(st.sampled_from(active), "party")
        if kind == "hand over":
            others = [p for p in active if p != party]
            joined = self.draw(st.lists(st.sampled_from(others), unique=True), "combined with")
            function = self.draw(st.sampled_from(FUNCTIONS), "function")
            hid = app.propose_handover(
                pid, function=function, by=party, on=on,
                from_parties=[party, *joined] if joined else (),
            )  # fmt: skip
            for member in active:
                app.consent_to_handover(hid, party=member, on=on)
            app.effect_handover(hid, on=on, by=view.host or party)
        elif kind == "recall" and view.pooled_functions:
            pooled = self.draw(st.sampled_from(view.pooled_functions), "recalled")
            app.recall_handover(pooled.handover_id, by=pooled.from_party, on=on)
        elif kind == "succeed":
            app.succeed(pid, party=party, successors=self.heirs(active, party), on=on)
        elif kind == "reorganise":
            app.reorganise(party=party, successors=self.heirs(active, party), on=on)
        elif kind in ("host", "rename", "dissolve"):
            later = on + timedelta(days=self.draw(st.integers(0, 120), "effective after"))
            host = self.draw(st.none() | st.sampled_from(active), "host")
            proposal: dict[str, Any] = {
                "host": {"changes": {"host": host}},
                "rename": {"changes": {"name": f"Renamed on {on}"}},
                "dissolve": {"dissolve": True},
            }[kind]  # fmt: skip
            vid = app.propose_variation(pid, by=party, on=on, effective=later, **proposal)
            for member in active:
                app.approve_variation(pid, vid, party=member, on=on)
        elif kind == "stage":
            to = self.draw(st.sampled_from([Stage.CO_OPERATING, Stage.COMBINING]), "stage")
            app.change_stage(pid, to=to, by=party, on=on)


def drive(app: SharedServices, data: st.DataObject, steps: int) -> None:
    drawn = Drawn(app, data)
    for _ in range(steps):
        with contextlib.suppress(SharedServiceError):  # refused: nothing recorded
            drawn.act()
        if data.draw(st.integers(0, 2), label="catch up here") == 0:
            ReadModels(app).catch_up()


def check(app: SharedServices) -> None:
    views = app.partnerships()
    parties = sorted({party for view in views for party in view.parties})
    for party in [*parties, "hackney"]:
        found = app.sovereignty(party)
        rows = rows_from_log(app.recorder, party)
        assert sovereignty_map(found.party, rows, app.mapper) == found
        assert isinstance(found, SovereigntyMap)
        for view in views:
            here = [e for e in found.entries if e.partnership_id == view.id and e.until is None]
            pooled = view.pooled_functions
            own = {(pf.function.id, pf.since) for pf in pooled if pf.from_party == party}
            assert own == {
                (e.function.id, e.since) for e in here if e.status in ("ceded", "inherited")
            }
            hosted = {
                (pf.from_party, pf.function.id)
                for pf in view.pooled_functions
                if view.host == party and pf.from_party != party
            }
            assert hosted == {(e.from_party, e.function.id) for e in here if e.status == "hosted"}
            assert all((e.partnership, e.stage) == (view.name, view.stage) for e in here)
        assert all(e.until is None or e.since <= e.until for e in found.entries)


@settings(max_examples=30, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(stories=st.lists(histories(max_steps=14), min_size=1, max_size=3), data=st.data())
def test_in_memory_the_read_models_agree_with_the_events_and_the_views(
    stories: list[History], data: st.DataObject
) -> None:
    app = SharedServices.in_memory()
    record(app, stories, data)
    check(app)


@settings(max_examples=4, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(stories=st.lists(histories(max_steps=8), min_size=1, max_size=2), data=st.data())
def test_on_sqlite_the_read_models_agree_with_the_events_and_the_views(
    stories: list[History], data: st.DataObject
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        app = SharedServices.sqlite(Path(folder) / "store.db")
        try:
            record(app, stories, data)
            check(app)
        finally:
            app.close()


@settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(steps=st.integers(1, 25), data=st.data())
def test_on_drawn_acts_the_read_models_agree_with_the_events_and_the_views(
    steps: int, data: st.DataObject
) -> None:
    app = SharedServices.in_memory()
    drive(app, data, steps)
    check(app)


@settings(max_examples=4, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(steps=st.integers(1, 12), data=st.data())
def test_on_drawn_acts_on_sqlite_the_read_models_agree(steps: int, data: st.DataObject) -> None:
    with tempfile.TemporaryDirectory() as folder:
        app = SharedServices.sqlite(Path(folder) / "store.db")
        try:
            drive(app, data, steps)
            check(app)
        finally:
            app.close()
