"""What the views keep of finished business: completed withdrawals in ``exits``, nobody active
after a dissolution, the date a handover was recalled and the date a dispute closed; and a
partnership restored from a snapshot written before completed withdrawals were kept still
shows them."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from handover_harness import SERVICE_DESK, pool
from harness import HARINGEY, form_pair, form_trio
from immutabledict import immutabledict

from sharedsvc import Money, Partnership, PartnershipView, SharedServices, Stage
from sharedsvc.application import project_events


@pytest.fixture
def app() -> Iterator[SharedServices]:
    application = SharedServices.in_memory()
    yield application
    application.close()


def leave(app: SharedServices, pid: Any, party: str, *, stays: str, served: date) -> date:
    """``party`` serves notice on ``served``, pays £1,000 and leaves when its notice allows;
    returns the day it left."""
    effective = app.serve_withdrawal_notice(pid, party=party, on=served)
    app.determine_exit_costs(pid, party=party, amount=Money("1000"), by=stays, on=served)
    app.settle_exit_payment(pid, party=party, amount=Money("1000"), on=served)
    app.complete_withdrawal(pid, party=party, on=effective)
    return effective


def test_a_completed_withdrawal_stays_in_the_view_with_the_day_the_party_left(
    app: SharedServices,
) -> None:
    pid = form_trio(app)
    left = leave(app, pid, "haringey", stays="camden", served=date(2017, 1, 5))

    view = app.partnership(pid)

    assert ("camden", "islington") == view.active_parties
    exit_ = view.exits["haringey"]
    assert (date(2017, 1, 5), left, left) == (exit_.served_on, exit_.effective, exit_.completed_on)
    assert Money("1000") == exit_.exit_costs == exit_.paid
    assert "haringey" not in view.withdrawals  # only notices in progress
    assert PartnershipView.of(project_events(None, app.events.get(pid))) == view


def test_exits_keep_completed_withdrawals_first_then_notices_in_progress(
    app: SharedServices,
) -> None:
    pid = form_trio(app)
    app.serve_withdrawal_notice(pid, party="islington", on=date(2017, 1, 2))
    leave(app, pid, "haringey", stays="camden", served=date(2017, 1, 5))

    view = app.partnership(pid)

    assert ["haringey", "islington"] == list(view.exits)
    assert view.exits["islington"].completed_on is None
    assert ["islington"] == list(view.withdrawals)
    before = app.partnership(pid, as_of=date(2017, 1, 5))
    assert before.exits["haringey"].completed_on is None  # served, not yet left


def test_nobody_is_active_once_a_dissolution_takes_effect(app: SharedServices) -> None:
    pid = form_pair(app)
    vid = app.propose_variation(
        pid, by="camden", dissolve=True, effective=date(2016, 3, 31), on=date(2016, 1, 4)
    )
    for party in ("camden", "islington"):
        app.approve_variation(pid, vid, party=party, on=date(2016, 1, 4))

    assert () == app.partnership(pid).active_parties
    assert ("camden", "islington") == app.partnership(pid).members_at_dissolution
    assert ("camden", "islington") == app.partnership(pid, as_of=date(2016, 3, 30)).active_parties


def test_a_recalled_handover_says_when_it_was_recalled(app: SharedServices) -> None:
    pid = form_pair(app)
    hid = pool(app, pid, SERVICE_DESK, by="islington", on=date(2016, 2, 1))
    assert app.handover(hid).recalled_on is None

    app.recall_handover(hid, by="islington", reason="brought back", on=date(2017, 6, 30))

    view = app.handover(hid)
    assert ("recalled", date(2016, 2, 1), date(2017, 6, 30)) == (
        view.status,
        view.effected_on,
        view.recalled_on,
    )
    assert app.handover(hid, as_of=date(2017, 6, 29)).recalled_on is None


def test_a_closed_dispute_says_when_it_closed(app: SharedServices) -> None:
    pid = form_pair(app)
    settled = app.raise_dispute(
        pid, by="islington", against=["camden"], subject="costs", on=date(2016, 1, 4)
    )
    withdrawn = app.raise_dispute(
        pid, by="camden", against=["islington"], subject="service levels", on=date(2016, 1, 5)
    )
    assert app.dispute(settled).closed_on is None
    app.propose_settlement(settled, by="camden", terms={"split": "even"}, on=date(2016, 2, 1))
    app.accept_settlement(settled, party="camden", on=date(2016, 2, 1))
    app.accept_settlement(settled, party="islington", on=date(2016, 2, 9))
    app.withdraw_dispute(withdrawn, by="camden", on=date(2016, 3, 1))

    assert ("settled", date(2016, 2, 9)) == (
        app.dispute(settled).status,
        app.dispute(settled).closed_on,
    )
    assert ("withdrawn", date(2016, 3, 1)) == (
        app.dispute(withdrawn).status,
        app.dispute(withdrawn).closed_on,
    )


# --- snapshots written before completed withdrawals were kept (snapshot state version 2) ---


def _write_version_2_snapshot(app: SharedServices, pid: Any) -> None:
    """Store a snapshot of the partnership as version 2 of its state wrote one: no
    ``exited`` field."""
    assert app.snapshots is not None
    snapshot: Any = Partnership.Snapshot.take(app.repository.get(pid))
    state = dict(snapshot.state)
    del state["exited"]
    state["class_version"] = 2
    old = type(snapshot)(
        originator_id=snapshot.originator_id,
        originator_version=snapshot.originator_version,
        timestamp=snapshot.timestamp,
        topic=snapshot.topic,
        state=state,
    )
    app.snapshots.put([old])


@pytest.mark.parametrize("someone_left", [True, False])
def test_a_version_2_snapshot_loads_with_every_completed_withdrawal(
    tmp_path: Path, someone_left: bool
) -> None:
    path = tmp_path / "store.db"
    writer = SharedServices.sqlite(path)
    pid = form_trio(writer)
    if someone_left:
        leave(writer, pid, "haringey", stays="camden", served=date(2017, 1, 5))
    else:
        writer.serve_withdrawal_notice(pid, party="haringey", on=date(2017, 1, 5))
    _write_version_2_snapshot(writer, pid)
    writer.change_stage(pid, to=Stage.CO_OPERATING, by="camden", on=date(2018, 6, 1))
    writer.close()

    reader = SharedServices.sqlite(path)
    restored: Any = reader.repository.get(pid)
    replayed = project_events(None, reader.events.get(pid))
    view = reader.partnership(pid)

    assert restored.version == replayed.version
    if someone_left:
        assert restored.exited is None  # the old snapshot cannot say who left...
        assert ["haringey"] == list(view.exits)  # ...so the view reads it from the events
        assert view.exits["haringey"].completed_on is not None
    else:
        assert immutabledict() == restored.exited
        assert restored == replayed  # closed variations read from the record: still open
        assert view.exits["haringey"].completed_on is None
    assert PartnershipView.of(replayed) == view
    assert HARINGEY.id in view.parties
    reader.close()
