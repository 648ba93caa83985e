"""The read models follow the global log: each event applied once, a restarted follower resumes
where it stopped, and a replay from scratch gives exactly what following gave. What they answer
equals what the application computes by reading the events (audit trail, compromise ledger).
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from datetime import date
from typing import Any
from uuid import UUID, uuid4

import pytest
from harness import (
    InMemoryStore,
    PostgresStore,
    SQLiteStore,
    StoreContract,
    form_pair,
    ref,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sharedsvc import Function, Governance, SharedServices, Stage
from sharedsvc.demo import build_shared_digital
from sharedsvc.projections.read_models import ReadModels
from sharedsvc.projections.store import LAYOUT, TABLES
from sharedsvc.testing import histories

DESK = Function("ict.service-desk", "ICT service desk", category="back-office")
CABINET = ref("Camden Cabinet", "CAB/2016/01", date(2015, 12, 14))
EXECUTIVE = ref("Islington Executive", "EXE/2016/02", date(2015, 12, 17))


def contents(models: ReadModels, pids: list[UUID]) -> dict[str, Any]:
    """Everything the read models hold about ``pids``, rows as stored."""
    store = models.store
    return {
        "counts": dict(models.iter_counts()),
        "rows": [
            (
                store.trail_rows(pid.hex),
                store.compromise_rows(pid.hex),
                store.version_rows(pid.hex),
            )
            for pid in pids
        ],
    }


def caught_up(app: SharedServices) -> tuple[UUID, ReadModels, dict[str, Any]]:
    """The Shared Digital history recorded, read models caught up with it, and what they hold."""
    pid = build_shared_digital(app)
    models = ReadModels(app)
    models.catch_up()
    return pid, models, contents(models, [pid])


class ReadModelsContract(StoreContract):
    def test_what_they_answer_equals_what_the_events_say(self, app: SharedServices) -> None:
        first = build_shared_digital(app)
        second = form_pair(app, name="North London ICT", on=date(2019, 4, 1))
        models = ReadModels(app)
        assert app.highest_position() == models.catch_up()
        assert app.highest_position() == models.position
        for pid in (first, second):
            assert app.audit_trail(pid) == models.audit_trail(pid)
            assert app.compromises(pid) == models.compromises(pid)
        assert {"trail": 51, "compromises": 5, "versions": 27} == dict(models.iter_counts())

    def test_the_versioned_view_gives_each_fields_history(self, app: SharedServices) -> None:
        pid = build_shared_digital(app)
        models = ReadModels(app)
        models.catch_up()
        versions = models.versions(pid)
        stages = [(v.value, v.event, v.effective) for v in versions["stage"]]
        assert [
            (Stage.CO_OPERATING, "Formed", date(2015, 9, 24)),
            (Stage.COMBINING, "StageChanged", date(2016, 10, 1)),
            (Stage.CO_OPERATING, "StageChanged", date(2018, 10, 1)),
        ] == stages
        parties = [(v.value, v.on, v.effective) for v in versions["parties"]]
        assert [
            (("camden", "islington"), date(2015, 9, 24), date(2015, 9, 24)),
            (("camden", "islington", "haringey"), date(2016, 8, 22), date(2016, 10, 1)),
        ] == parties
        assert [Governance.JOINT_COMMITTEE, Governance.LEAD_AUTHORITY] == [
            v.value for v in versions["governance"]
        ]
        assert [date(2018, 12, 31)] == [v.effective for v in versions["dissolved"]]
        view = app.partnership(pid)
        assert view.terms.cost_pools == versions["cost_pools"][-1].value
        trail = {entry.position: entry.event for entry in app.audit_trail(pid)}
        for history in versions.values():
            for version in history:
                assert trail[version.position] == version.event

    def test_each_event_is_applied_once_however_often_it_catches_up(
        self, app: SharedServices
    ) -> None:
        pid = build_shared_digital(app)
        models = ReadModels(app)
        models.catch_up()
        before = contents(models, [pid])
        assert 0 == models.catch_up()
        assert 0 == ReadModels(app).catch_up()
        assert before == contents(models, [pid])

    def test_a_replay_stopped_part_way_is_finished_by_the_next_catch_up(
        self, app: SharedServices, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        import sharedsvc.integrity.rows

        monkeypatch.setattr(sharedsvc.integrity.rows, "PAGE", 10)  # the log read 10 at a time
        pid, models, expected = caught_up(app)

        def stop(count: int) -> None:
            raise KeyboardInterrupt(count)  # as if the process were stopped after a batch

        with pytest.raises(KeyboardInterrupt):
            models.replay(batch=10, progress=stop)
        reopened = ReadModels(app)
        assert 0 < reopened.position < app.highest_position()  # incomplete, and it says so
        assert 0 < reopened.catch_up()
        assert expected == contents(reopened, [pid])

    def test_a_restarted_follower_carries_on_where_it_stopped(self, app: SharedServices) -> None:
        pid = form_pair(app)
        vid = app.propose_variation(
            pid, by="camden", changes={"host": "islington"}, on=date(2016, 1, 1)
        )
        app.state_position(
            pid, vid, party="camden", position={"host": "camden"}, on=date(2016, 1, 1)
        )
        app.approve_variation(pid, vid, party="camden", ref=CABINET, on=date(2016, 1, 2))
        hid = app.propose_handover(pid, function=DESK, by="islington", on=date(2016, 1, 3))
        app.consent_to_handover(hid, party="islington", ref=EXECUTIVE, on=date(2016, 1, 4))
        stopped = ReadModels(app)
        stopped.catch_up()  # stops here; a new follower takes over
        assert 2 == stopped.store.count("refs")  # the approval and the consent still open
        app.approve_variation(pid, vid, party="islington", on=date(2016, 2, 1))
        app.consent_to_handover(hid, party="camden", on=date(2016, 2, 2))
        app.effect_handover(hid, on=date(2016, 4, 1))
        resumed = ReadModels(app)
        resumed.catch_up()
        ledger = resumed.compromises(pid)
        assert app.compromises(pid) == ledger
        assert [CABINET] == [entry.ref for entry in ledger["camden"]]  # the host conceded
        assert [EXECUTIVE] == [entry.ref for entry in ledger["islington"]]  # the desk ceded
        assert 0 == resumed.store.count("refs")  # both closed: nothing kept for them
        assert app.audit_trail(pid) == resumed.audit_trail(pid)
        hosts = [v.value for v in resumed.versions(pid)["host"]]
        assert ["camden", "islington"] == hosts
        rebuilt = contents(resumed, [pid])
        assert app.highest_position() == resumed.replay()
        assert rebuilt == contents(resumed, [pid])

    def test_a_follower_restarted_before_a_variation_closes_keeps_no_refs_of_it(
        self, app: SharedServices
    ) -> None:
        pid = form_pair(app)
        adopted = app.propose_variation(
            pid, by="camden", changes={"host": "islington"}, on=date(2016, 1, 1)
        )
        app.approve_variation(pid, adopted, party="camden", ref=CABINET, on=date(2016, 1, 2))
        stopped = ReadModels(app)
        stopped.catch_up()  # stops between the approval and the adoption
        assert 1 == stopped.store.count("refs")
        # adopted without concessions: the adoption asks for no decision reference
        app.approve_variation(pid, adopted, party="islington", on=date(2016, 2, 1))
        rejected = app.propose_variation(
            pid, by="islington", changes={"host": "camden"}, on=date(2016, 3, 1)
        )
        app.approve_variation(pid, rejected, party="islington", ref=EXECUTIVE, on=date(2016, 3, 2))
        second = ReadModels(app)
        second.catch_up()
        assert 1 == second.store.count("refs")  # the adopted one's gone, the open one's kept
        app.reject_variation(pid, rejected, party="camden", on=date(2016, 3, 3))
        ReadModels(app).catch_up()  # restarted again, before the rejection
        assert 0 == ReadModels(app).store.count("refs")

    def test_an_event_it_cannot_apply_stops_it_until_skipped_on_purpose(
        self, app: SharedServices, caplog: pytest.LogCaptureFixture
    ) -> None:
        from eventsourcing.persistence import StoredEvent

        from sharedsvc import EventNotApplied

        first = form_pair(app)
        models = ReadModels(app)
        models.catch_up()
        reached = models.position
        app.recorder.insert_events(
            [StoredEvent(uuid4(), 1, "sharedsvc:Partnership.Formed", b'{"name": "no date"}')]
        )
        bad = app.highest_position()
        second = form_pair(app, name="North London ICT", on=date(2019, 4, 1))
        for attempt in (models.catch_up, models.replay, ReadModels(app).catch_up):
            with pytest.raises(EventNotApplied) as raised:
                attempt(batch=2)
            assert (bad, "sharedsvc:Partnership.Formed") == (
                raised.value.position,
                raised.value.topic,
            )
            assert str(bad) in str(raised.value)
        assert models.position < bad  # it stopped before the event, and says so every time
        with caplog.at_level("WARNING", logger="sharedsvc.read_models"):
            models.catch_up(skip=[bad])
        assert [f"skipped the event at position {bad}"] == [
            r.getMessage().partition(" (")[0] for r in caplog.records
        ]
        assert app.highest_position() == models.position
        assert app.audit_trail(second) == models.audit_trail(second)
        assert app.audit_trail(first) == models.audit_trail(first)
        expected = contents(models, [first, second])
        assert app.highest_position() == models.replay(skip=[bad])
        assert expected == contents(models, [first, second])
        assert reached < bad

    def test_an_unknown_partnership_is_not_found(self, app: SharedServices) -> None:
        from sharedsvc import NotFound

        models = ReadModels(app)
        with pytest.raises(NotFound):
            models.audit_trail(UUID(int=7))
        with pytest.raises(NotFound):
            models.versions(UUID(int=7))


class TestReadModelsInMemory(InMemoryStore, ReadModelsContract):
    pass


class LayoutContract(ReadModelsContract):
    def test_tables_of_an_older_layout_are_dropped_and_rebuilt(self, app: SharedServices) -> None:
        pid, models, expected = caught_up(app)
        store: Any = models.store
        # what an earlier release left: a trail of one row per event, and no layout record
        store._execute("DROP TABLE sharedsvc_rm_layout")
        store._execute("DROP TABLE sharedsvc_rm_trail")
        store._execute(
            "CREATE TABLE sharedsvc_rm_trail (position BIGINT, partnership TEXT, aggregate TEXT,"
            " kind TEXT, version BIGINT, event TEXT, on_date TEXT, recorded_at TEXT)"
        )
        reopened = ReadModels(app)
        assert 0 == reopened.position  # dropped, so the next catch-up starts from the log's start
        assert app.highest_position() == reopened.catch_up()
        assert expected == contents(reopened, [pid])
        assert 0 == ReadModels(app).catch_up()  # the layout is current now: nothing dropped

    def test_tables_of_the_previous_layout_are_dropped_and_rebuilt(
        self, app: SharedServices
    ) -> None:
        pid, models, expected = caught_up(app)
        store: Any = models.store
        store._execute(f"UPDATE sharedsvc_rm_layout SET version = {LAYOUT - 1}")
        reopened = ReadModels(app)
        assert 0 == reopened.position
        assert 0 == reopened.store.count("trail")
        assert app.highest_position() == reopened.catch_up()
        assert expected == contents(reopened, [pid])
        assert 0 == ReadModels(app).catch_up()

    def test_a_replay_leaves_tables_of_this_layout_that_the_next_open_keeps(
        self, app: SharedServices
    ) -> None:
        pid, models, expected = caught_up(app)
        assert app.highest_position() == models.replay()
        reopened = ReadModels(app)  # its tables are not dropped: they are of this layout
        assert app.highest_position() == reopened.position
        assert expected == contents(reopened, [pid])
        assert [(LAYOUT,)] == reopened.store.query("SELECT version FROM sharedsvc_rm_layout")  # type: ignore[attr-defined]


class TestReadModelsOnSQLite(SQLiteStore, LayoutContract):
    pass


@pytest.mark.postgres
class TestReadModelsOnPostgres(PostgresStore, LayoutContract):
    pass


# --- replay equals following, on generated histories ------------------------------------------


@settings(max_examples=15, suppress_health_check=[HealthCheck.too_slow])
@given(
    stories=st.lists(histories(max_steps=12), min_size=1, max_size=3),
    pauses=st.sets(st.integers(0, 3)),
)
def test_replay_equals_the_read_models_built_by_following(
    stories: list[Any], pauses: set[int]
) -> None:
    app = SharedServices.in_memory()
    models = ReadModels(app)
    pids = []
    for index, story in enumerate(stories):
        pids.append(story.apply(app).partnership)
        if index in pauses:
            models.catch_up()
    models.catch_up()
    followed = contents(models, pids)
    for pid in pids:
        assert app.compromises(pid) == models.compromises(pid)
        assert app.audit_trail(pid) == models.audit_trail(pid)
    assert app.highest_position() == models.replay()
    assert followed == contents(models, pids)
    assert set(TABLES) >= set(followed["counts"])


# --- following: a catch-up loop on SQLite, eventsourcing's runner in its own process on PostgreSQL


Follower = Callable[[SharedServices], Iterator[None]]


def _wait_for(models: ReadModels, position: int, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while models.position < position:
        assert time.monotonic() < deadline, f"the follower stopped at {models.position}"
        time.sleep(0.05)


class FollowingContract(StoreContract):
    @pytest.fixture
    def follower(self) -> Any:
        raise NotImplementedError

    def test_the_follower_keeps_the_read_models_up_to_date_and_resumes(
        self, app: SharedServices, follower: Any
    ) -> None:
        first = build_shared_digital(app)
        models = ReadModels(app)
        with follower(app):
            _wait_for(models, app.highest_position())
            second = form_pair(app, name="North London ICT", on=date(2019, 4, 1))
            _wait_for(models, app.highest_position())
        third = form_pair(app, name="While nobody followed", on=date(2020, 4, 1))
        with follower(app):  # a new follower resumes after the last event applied
            _wait_for(models, app.highest_position())
        for pid in (first, second, third):
            assert app.audit_trail(pid) == models.audit_trail(pid)
            assert app.compromises(pid) == models.compromises(pid)
        assert {"trail": 52, "compromises": 5, "versions": 37} == dict(models.iter_counts())


class _ThreadFollower:
    def __init__(self, app: SharedServices) -> None:
        self.models = ReadModels(app)
        self.stop = threading.Event()
        self.thread = threading.Thread(
            target=self.models.follow, args=(self.stop,), kwargs={"interval": 0.05}
        )

    def __enter__(self) -> None:
        self.thread.start()

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join(10)


class TestFollowingOnSQLite(SQLiteStore, FollowingContract):
    @pytest.fixture
    def follower(self) -> Any:
        return _ThreadFollower


class _ProcessFollower:
    def __init__(self, app: SharedServices, params: dict[str, Any]) -> None:
        self.env = {
            **os.environ,
            "PERSISTENCE_MODULE": "eventsourcing.postgres",
            "POSTGRES_DBNAME": params["dbname"],
            "POSTGRES_HOST": params["host"],
            "POSTGRES_PORT": str(params["port"]),
            "POSTGRES_USER": params["user"],
            "POSTGRES_PASSWORD": params["password"],
        }
        self.process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "sharedsvc.projections.runner"], env=self.env
        )

    def __exit__(self, *exc: object) -> None:
        assert self.process is not None
        self.process.terminate()
        assert 0 == self.process.wait(20)


@pytest.mark.postgres
class TestFollowingOnPostgres(PostgresStore, FollowingContract):
    @pytest.fixture
    def follower(self, postgres_db: dict[str, Any]) -> Any:
        return lambda app: _ProcessFollower(app, postgres_db)


def test_the_application_hands_out_its_read_models() -> None:
    app = SharedServices.in_memory()
    pid = build_shared_digital(app)
    models = app.read_models()
    assert 50 == models.catch_up()
    assert app.compromises(pid) == models.compromises(pid)
    assert 0 == app.read_models().catch_up()  # the same store's models, already caught up
