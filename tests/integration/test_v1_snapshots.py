"""Snapshots written before the aggregates declared their state still load, and load right.

``tests/fixtures/v1-snapshots.sqlite`` was written by sharedsvc before this change (see
``tests/fixtures/make_v1_snapshots.py``): its partnership snapshots keep the recorded times
under ``created_on``/``modified_on`` and carry no ``class_version``. ``Partnership`` reads them
through ``upcast_v1_v2``; what it loads must equal what replaying every event gives.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from uuid import UUID

import pytest

from sharedsvc import Partnership, PartnershipView, SharedServices, Stage
from sharedsvc.application import project_events

FIXTURE = Path(__file__).parent.parent / "fixtures" / "v1-snapshots.sqlite"


@pytest.fixture
def app(tmp_path: Path) -> Iterator[SharedServices]:
    copy = tmp_path / FIXTURE.name
    shutil.copy(FIXTURE, copy)
    application = SharedServices.sqlite(copy)
    yield application
    application.close()


def snapshotted(app: SharedServices) -> list[UUID]:
    return [pid for pid in app.partnership_ids() if app.snapshots and app.snapshots.get(pid)]


def replayed(app: SharedServices, pid: UUID) -> Partnership:
    aggregate = project_events(None, app.events.get(pid))
    assert isinstance(aggregate, Partnership)
    return aggregate


def test_the_fixture_holds_version_1_snapshots_with_events_after_them(
    app: SharedServices,
) -> None:
    pids = snapshotted(app)
    assert 2 == len(pids)
    assert app.snapshots is not None
    for pid in pids:
        (snapshot,) = app.snapshots.get(pid)
        assert {"created_on", "modified_on"} <= set(snapshot.state)
        assert "class_version" not in snapshot.state
    versions = sorted(app.partnership(pid).version for pid in pids)
    assert [102, 103] == versions


def test_a_partnership_loaded_from_a_version_1_snapshot_equals_its_replayed_history(
    app: SharedServices,
) -> None:
    for pid in snapshotted(app):
        loaded = app.repository.get(pid)
        assert replayed(app, pid) == loaded  # every attribute, containers and types included
        assert PartnershipView.of(replayed(app, pid)) == app.partnership(pid)
    busy = next(view for view in app.partnerships() if view.name == "Busy")
    assert [1, 1, 1, 1] == [
        len(busy.open_variations),
        len(busy.pooled_functions),
        len(busy.deferred),
        len(busy.exits),
    ]
    assert {"adopted", "rejected"} == set(busy.closed_variations.values())
    assert next(view for view in app.partnerships() if view.name == "Dissolved").dissolved


def test_a_partnership_restored_from_a_version_1_snapshot_takes_commands_and_snapshots_anew(
    app: SharedServices,
) -> None:
    (pid,) = [pid for pid in snapshotted(app) if app.partnership(pid).name == "Busy"]
    while (view := app.partnership(pid)).version < 200:
        to = Stage.CO_OPERATING if view.stage is Stage.COLLABORATING else Stage.COLLABORATING
        app.change_stage(pid, to=to, by="camden", on=view.last_on)
    assert app.snapshots is not None
    latest = list(app.snapshots.get(pid))[-1]
    assert 200 == latest.originator_version
    assert Partnership.class_version == latest.state["class_version"]
    assert "created_on" not in latest.state
    reopened = SharedServices.sqlite(app.env["SQLITE_DBNAME"])
    assert replayed(reopened, pid) == reopened.repository.get(pid)
    reopened.close()


SCRIPT = """
import sys
from sharedsvc import PartnershipView, SharedServices
from sharedsvc.application import project_events
app = SharedServices.sqlite(sys.argv[1])
loaded = [app.repository.get(pid) for pid in app.partnership_ids()]
assert all(a == project_events(None, app.events.get(a.id)) for a in loaded)
print(sorted(a.version for a in loaded))
"""


def test_a_fresh_process_resolves_the_snapshot_topic_and_loads_from_it(tmp_path: Path) -> None:
    copy = tmp_path / FIXTURE.name
    shutil.copy(FIXTURE, copy)
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(copy)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert 0 == result.returncode, result.stderr
    assert "[102, 103]" == result.stdout.strip()
