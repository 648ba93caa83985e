"""An audit report reads the partnership's events once: its cost shares are views as of each
date that could change them, projected one after another (`project_through`), and its readiness
and targets are read from the same events; all as reading them from the store gives."""

from __future__ import annotations

import io
from datetime import date, timedelta
from typing import Any
from uuid import UUID

import pytest

import sharedsvc as ss
from sharedsvc.domain.views import PartnershipView
from sharedsvc.reports import gather, write_audit
from sharedsvc.reports.model import GATHER_STEPS
from sharedsvc.reports.writing import REPORT_STEPS
from sharedsvc.store import project_through

COUNCILS = ("adur", "worthing", "arun")
START = date(2015, 4, 1)


def history(app: ss.SharedServices, changes_of_pools: int) -> UUID:
    """Pools varied ``changes_of_pools`` times, one variation adopted ahead of its effect (so
    that views between hold it scheduled), a party admitted, a function pooled, and a
    dissolution with effect later (its returns recorded ahead of their date)."""
    pid = app.form_partnership(
        "Adur and Worthing",
        parties=[ss.Party(c, c.title()) for c in COUNCILS[:2]],
        terms=ss.Terms(cost_pools=(ss.CostPool.equal("ict", COUNCILS[:2]),), host="adur"),
        on=START,
    )
    on = START

    def adopt(parties: tuple[str, ...], **kwargs: Any) -> None:
        vid = app.propose_variation(pid, by="adur", on=on, **kwargs)
        for party in parties:
            app.approve_variation(pid, vid, party=party, on=on)

    for k in range(changes_of_pools):
        on += timedelta(days=40)
        shares = {"adur": 50 + k + 1, "worthing": 50 - k - 1}
        adopt(COUNCILS[:2], changes={"cost_pools": (ss.CostPool("ict", ss.Basis.FIXED, shares),)})
    on += timedelta(days=10)
    adopt(COUNCILS[:2], changes={"sla": "two days"}, effective=on + timedelta(days=90))
    on += timedelta(days=30)  # between that adoption and its effect
    adopt(
        COUNCILS[:2],
        admit=[ss.Party("arun", "Arun")],
        changes={"cost_pools": (ss.CostPool.equal("ict", COUNCILS),)},
        effective=on + timedelta(days=20),
    )
    on += timedelta(days=120)
    target = app.set_target(
        pid, kind="savings", amount=ss.Money("1000"), due=on + timedelta(days=20), by="adur", on=on
    )
    for party in app.partnership(pid).active_parties:
        app.assess_readiness(pid, party=party, scores={"trust": 3, "communication": 4}, on=on)
    on += timedelta(days=10)
    app.record_outcome(pid, target=target, amount=ss.Money("1200"), by="adur", on=on)
    app.assess_readiness(pid, party="adur", scores={"trust": 5}, on=on)
    hid = app.propose_handover(
        pid, function=ss.Function("ict.desk", "ICT desk", "back-office"), by="worthing", on=on
    )
    active = tuple(app.partnership(pid).active_parties)
    for party in active:
        app.consent_to_handover(hid, party=party, on=on)
    app.effect_handover(hid, on=on)
    on += timedelta(days=30)
    adopt(active, dissolve=True, effective=on + timedelta(days=60))
    return pid


def test_views_projected_through_dates_are_those_read_as_of_each_date() -> None:
    app = ss.SharedServices.in_memory()
    pid = history(app, 3)
    events = list(app.events.get(pid))
    days = sorted({START + timedelta(days=d) for d in range(0, 700, 3)} | {e.on for e in events})
    checked = 0
    for day, dated in project_through(events, days):
        assert PartnershipView.of(dated, as_of=day) == app.partnership(pid, as_of=day), day
        checked += 1
    assert len(days) == checked


def test_gather_reads_no_dated_view_per_change_of_the_pools(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def dated_reads(changes: int) -> tuple[int, int]:
        app = ss.SharedServices.in_memory()
        pid = history(app, changes)
        calls = []
        read = app._dated

        def counting(*args: Any, **kwargs: Any) -> Any:
            if kwargs.get("as_of") is not None:
                calls.append(kwargs["as_of"])
            return read(*args, **kwargs)

        monkeypatch.setattr(app, "_dated", counting)
        report = gather(app, pid, as_of=START + timedelta(days=2000))
        return len(calls), len(report.cost_shares)

    few, many = dated_reads(1), dated_reads(6)
    assert many[1] == few[1] + 5  # each change of the pools is in the report
    assert few[0] == many[0]


def test_gather_and_the_writers_tell_their_progress_step_by_step() -> None:
    app = ss.SharedServices.in_memory()
    pid = history(app, 2)
    told: list[int] = []
    gather(app, pid, progress=told.append)
    assert list(range(1, GATHER_STEPS + 1)) == told
    told.clear()
    write_audit(app, pid, "md", io.StringIO(), progress=told.append)
    assert [*range(1, GATHER_STEPS + 1), REPORT_STEPS] == told
    told.clear()
    write_audit(app, pid, "csv", io.StringIO(), progress=told.append)
    assert [] == told  # the trail is streamed


def test_the_standing_of_a_report_is_what_the_queries_read_from_the_store() -> None:
    app = ss.SharedServices.in_memory()
    pid = history(app, 2)
    events = list(app.events.get(pid))
    days = sorted({e.on for e in events} | {START - timedelta(days=1)})
    for day in days:
        standing = gather(app, pid, as_of=day).standing
        formed = day >= START
        trend = app.readiness_trend(pid, as_of=day) if formed else []
        targets = app.targets(pid, as_of=day) if formed else []
        assert (tuple(trend), tuple(targets)) == (standing.assessments, standing.targets), day
    assert gather(app, pid).standing.assessments
    assert gather(app, pid).standing.targets
