"""The read models' index of partnerships (layout 4): ``app.iter_partnerships()`` and
``app.partnerships_matching()`` agree with the partnerships' views on every store, after
renames by variation, admissions, withdrawals, successions and dissolutions, across another
application and a follower that restarts; they answer from the index without reading a
partnership's events."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from harness import (
    InMemoryStore,
    OpenApp,
    PostgresStore,
    SQLiteStore,
    StoreContract,
    adopt,
    build_shared_digital,
    form_pair,
    form_trio,
    ref,
)

from sharedsvc import PartnershipSummary, Party, SharedServices, Stage
from sharedsvc.projections.read_models import ReadModels

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
NORTH = Party("north-islington", "North Islington Council")
SOUTH = Party("south-islington", "South Islington Council")


def from_views(app: SharedServices) -> list[PartnershipSummary]:
    return [PartnershipSummary.of_view(view) for view in app.partnerships()]


def rename(app: SharedServices, pid: UUID, name: str, on: date, **kwargs: Any) -> None:
    parties = app.partnership(pid).active_parties
    adopt(app, pid, by=parties[0], on=on, changes={"name": name}, approvers=parties, **kwargs)


def no_views(monkeypatch: pytest.MonkeyPatch) -> None:
    """From here on, reading a partnership's events for its view fails."""

    def refused(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("read a partnership's view")

    monkeypatch.setattr(SharedServices, "partnership", refused)


class IndexContract(StoreContract):
    def test_the_index_lists_what_the_views_show(self, app: SharedServices) -> None:
        build_shared_digital(app)  # admissions, a withdrawal, a dissolution
        build_shared_digital(app, dissolve=False)
        trio = form_trio(app)
        app.change_stage(trio, to=Stage.COMBINING, by="camden", on=date(2018, 1, 1))
        app.succeed(
            trio, party="islington", successors=[NORTH, SOUTH], on=date(2019, 4, 1),
            ref=ref("Parliament", "SI 2018/1", date(2018, 3, 1)),
        )  # fmt: skip
        expected = from_views(app)
        assert 3 == len(expected)
        assert any(summary.dissolved_on for summary in expected)
        assert expected == list(app.iter_partnerships())
        assert 3 == ReadModels(app).store.count("partnerships")

    def test_a_rename_by_variation_is_found_by_its_new_name_only(self, app: SharedServices) -> None:
        pid = form_pair(app)
        rename(app, pid, "Shared Technology", date(2016, 2, 1), effective=date(2016, 4, 1))
        assert [pid] == [found.id for found in app.partnerships_matching("Shared Technology")]
        assert [] == app.partnerships_matching("Shared Digital")
        assert from_views(app) == list(app.iter_partnerships())

    def test_two_of_one_name_are_both_found_and_a_prefix_finds_one(
        self, app: SharedServices
    ) -> None:
        first, second = form_pair(app), form_pair(app)
        assert [first, second] == [
            found.id for found in app.partnerships_matching("Shared Digital")
        ]
        dashed = str(second)[:13].upper()
        assert [second] == [found.id for found in app.partnerships_matching("x", id_prefix=dashed)]
        assert [] == app.partnerships_matching("Shared")

    def test_the_index_answers_without_reading_views(
        self, app: SharedServices, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        pid = form_pair(app)
        expected = from_views(app)
        no_views(monkeypatch)
        assert expected == list(app.iter_partnerships())
        assert [pid] == [found.id for found in app.partnerships_matching("Shared Digital")]

    def test_a_follower_that_restarts_carries_on_from_the_rows_it_wrote(
        self, app: SharedServices
    ) -> None:
        pid = form_trio(app)
        ReadModels(app).catch_up()  # this builder stops here
        rename(app, pid, "Shared Technology", date(2017, 2, 1))
        app.succeed(
            pid, party="islington", successors=[NORTH, SOUTH], on=date(2019, 4, 1),
            ref=ref("Parliament", "SI 2018/1", date(2018, 3, 1)),
        )  # fmt: skip
        models = ReadModels(app)  # a new builder, knowing only the stored rows
        models.catch_up()
        assert from_views(app) == list(models.partnerships())

    def test_another_application_answers_from_the_read_models_it_follows(
        self, app: SharedServices, reopen: OpenApp
    ) -> None:
        pid = form_pair(app)
        other = reopen()
        assert ["Shared Digital"] == [found.name for found in other.iter_partnerships()]
        rename(app, pid, "Shared Technology", date(2016, 2, 1))
        assert from_views(app) == list(other.iter_partnerships())
        assert [pid] == [found.id for found in other.partnerships_matching("Shared Technology")]

    def test_a_partnership_formed_a_moment_ago_is_found_by_another_application(
        self, app: SharedServices, reopen: OpenApp
    ) -> None:
        first = form_pair(app)
        other = reopen()
        assert [first] == [found.id for found in other.partnerships_matching("Shared Digital")]
        assert other.read_models().up_to_date()
        second = form_pair(app)  # recorded by the first application, after the look-up
        assert not other.read_models().up_to_date()
        found = other.partnerships_matching("Shared Digital")
        assert [first, second] == [summary.id for summary in found]
        assert other.read_models().up_to_date()


class NoWaitContract(StoreContract):
    """Where a lock the read models' holder takes again is not a no-op (not PostgreSQL's
    advisory lock, which this thread would take again at once)."""

    def test_a_look_up_does_not_wait_for_a_follower_when_nothing_is_new(
        self, app: SharedServices, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        pid = form_pair(app)
        app.partnerships_matching("Shared Digital")  # the read models catch up
        no_views(monkeypatch)  # nor answer from the events, as a look-up refused the lock would
        with ReadModels(app).store.lock(0.0):  # a follower holds them, catching up
            found = app.partnerships_matching("Shared Digital")
        assert [pid] == [summary.id for summary in found]


class TestIndexInMemory(InMemoryStore, IndexContract, NoWaitContract):
    pass


class TestIndexOnSQLite(SQLiteStore, IndexContract, NoWaitContract):
    def test_read_models_of_the_previous_layout_are_rebuilt_with_the_index(
        self, app: SharedServices, reopen: OpenApp
    ) -> None:
        form_pair(app)
        models = ReadModels(app)
        models.catch_up()
        store: Any = models.store
        store._execute("DROP TABLE sharedsvc_rm_partnerships")  # what layout 3 left
        store._execute("UPDATE sharedsvc_rm_layout SET version = 3")
        other = reopen()
        assert from_views(other) == list(other.iter_partnerships())
        assert ReadModels(other).position == other.highest_position()

    def test_the_stored_release_upgrades_and_indexes_its_partnerships(self, tmp_path: Path) -> None:
        copy = tmp_path / "release.db"
        shutil.copy(FIXTURES / "release-0.1.0" / "store.db", copy)
        app = SharedServices.sqlite(copy)
        try:
            expected = from_views(app)
            assert expected
            assert expected == list(app.iter_partnerships())
        finally:
            app.close()

    def test_a_listing_reads_the_index_a_page_at_a_time(self, app: SharedServices) -> None:
        made = [form_pair(app, name=f"Shared {n}") for n in range(5)]
        app.iter_partnerships()  # catches up
        assert made == [found.id for found in ReadModels(app).partnerships(page=2)]


@pytest.mark.postgres
class TestIndexOnPostgres(PostgresStore, IndexContract):
    pass
