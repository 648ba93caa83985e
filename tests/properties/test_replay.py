"""Replaying a random valid history gives the live view, on every store.

Histories are driven through the public verbs with Hypothesis choosing the acts, the acting
parties (members or not) and the dates (sometimes going backwards). Refused acts are part of the
history too: each must leave the store exactly as it was.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

import attrs
import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

import sharedsvc as ss
from sharedsvc.application import project_until
from sharedsvc.domain.values import apportion
from sharedsvc.invariants import check_partnership

COUNCILS = ("camden", "islington", "haringey", "hackney", "lambeth", "mid-kent")


def _pool(data: st.DataObject, parties: list[str]) -> ss.CostPool:
    parties = parties or list(COUNCILS[:2])  # a dissolved partnership has no members: refused
    if data.draw(st.booleans(), label="equal pool"):
        return ss.CostPool.equal("ict", parties)
    weights = data.draw(
        st.lists(st.integers(0, 50), min_size=len(parties), max_size=len(parties)).filter(any),
        label="usage",
    )  # all zero is no usage to apportion: refused, as it should be
    shares = apportion({ss.PartyId(p): w for p, w in zip(parties, weights, strict=True)})
    return ss.CostPool("ict", ss.Basis.USAGE, shares)


def _changes(data: st.DataObject, parties: list[str]) -> dict[str, Any]:
    kind = data.draw(st.sampled_from(["pools", "casting", "notice", "host"]), label="change")
    if kind == "pools":
        return {"cost_pools": (_pool(data, parties),)}
    if kind == "casting":
        return {"casting_vote": data.draw(st.booleans())}
    if kind == "notice":
        return {"notice": ss.Notice(months=data.draw(st.integers(0, 12)))}
    return {"host": data.draw(st.sampled_from([None, *parties]))}


def record_history(app: ss.SharedServices, data: st.DataObject) -> UUID:
    """Form a partnership and attempt a random sequence of acts on it."""
    founders = data.draw(
        st.lists(st.sampled_from(COUNCILS), min_size=2, max_size=4, unique=True), label="founders"
    )
    day = date(2015, 4, 1)
    pid = app.form_partnership(
        "Random Partnership",
        parties=[ss.Party(p, p.title()) for p in founders],
        terms=ss.Terms(cost_pools=(ss.CostPool.equal("ict", founders),), host=founders[0]),
        stage=ss.Stage.CO_OPERATING,
        on=day,
    )
    for _ in range(data.draw(st.integers(0, 30), label="acts")):
        view = app.partnership(pid)
        day += timedelta(days=data.draw(st.integers(-20, 120), label="days on"))
        actor = _someone(data, view)
        kind, act = _draw_act(data, view, actor, day)
        before = app.highest_position()
        try:
            act(app, pid)
        except ss.SharedServiceError as error:
            event(f"refused {kind}: {getattr(error, 'rule', type(error).__name__)}")
            if kind != "leave":  # several verbs: the earlier ones may have been recorded
                assert before == app.highest_position()
                assert view == app.partnership(pid)
        else:
            event(f"recorded {kind}")
    return pid


Act = Callable[[ss.SharedServices, UUID], object]


def _someone(data: st.DataObject, view: ss.PartnershipView, among: list[str] | None = None) -> str:
    """Mostly a party the act makes sense for (a member, a leaver...), sometimes anyone."""
    likely = among if among is not None else list(view.active_parties)
    if likely and data.draw(st.integers(0, 4), label="usual party") > 0:
        return str(data.draw(st.sampled_from(likely), label="party"))
    return str(data.draw(st.sampled_from(COUNCILS), label="anyone"))


def _draw_act(
    data: st.DataObject, view: ss.PartnershipView, actor: str, day: date
) -> tuple[str, Act]:
    kind = data.draw(
        st.sampled_from(
            ["vary", "vary", "admit", "dissolve", "position", "approve", "approve", "approve",
             "approve", "reject", "stage", "stage", "serve", "retract", "determine",
             "determine", "settle", "settle", "complete", "complete", "leave"]
        ),
        label="act",
    )  # fmt: skip
    return kind, _act(data, kind, view, actor, day)


def _act(data: st.DataObject, kind: str, view: ss.PartnershipView, actor: str, day: date) -> Act:
    every = [*view.open_variations, *view.closed_variations]
    vids = list(view.open_variations) or every
    if vids and len(vids) < len(every) and not data.draw(st.integers(0, 5)):
        vids = every
    vid = data.draw(st.sampled_from(vids), label="variation") if vids else None
    leavers = list(view.exits)
    members = list(view.active_parties)
    if kind == "vary":
        changes = _changes(data, members)
        return lambda app, pid: app.propose_variation(pid, by=actor, changes=changes, on=day)
    if kind == "admit":
        joiner = data.draw(st.sampled_from(COUNCILS), label="joiner")
        pools = {"cost_pools": (_pool(data, list(dict.fromkeys([*members, joiner]))),)}
        party = ss.Party(joiner, joiner.title())
        return lambda app, pid: app.propose_variation(
            pid, by=actor, admit=[party], changes=pools, on=day
        )
    if kind == "leave":
        costs = ss.Money(data.draw(st.integers(0, 10**6), label="costs"))
        others = [p for p in members if p != actor]
        by = others[0] if others else actor

        def leave(app: ss.SharedServices, pid: UUID) -> None:
            effective = app.serve_withdrawal_notice(pid, party=actor, on=day)
            app.determine_exit_costs(pid, party=actor, amount=costs, by=by, on=day)
            app.settle_exit_payment(pid, party=actor, amount=costs, on=day)
            app.complete_withdrawal(pid, party=actor, on=effective)

        return leave
    if kind == "dissolve":
        return lambda app, pid: app.propose_variation(pid, by=actor, dissolve=True, on=day)
    if kind == "position":
        wanted = {"casting_vote": data.draw(st.booleans())}
        return lambda app, pid: app.state_position(pid, vid, party=actor, position=wanted, on=day)
    if kind == "approve":
        if vid is not None:
            joiners = view.open_variations[vid].admitted_ids if vid in view.open_variations else ()
            actor = _someone(data, view, [*members, *joiners])
        return lambda app, pid: app.approve_variation(pid, vid, party=actor, on=day)
    if kind == "reject":
        return lambda app, pid: app.reject_variation(pid, vid, party=actor, reason="no", on=day)
    if kind == "stage":
        to = data.draw(st.sampled_from(list(ss.Stage)), label="stage")
        return lambda app, pid: app.change_stage(pid, to=to, by=actor, on=day)
    if kind == "serve":
        return lambda app, pid: app.serve_withdrawal_notice(pid, party=actor, on=day)
    if kind == "retract":
        return lambda app, pid: app.retract_withdrawal_notice(pid, party=actor, on=day)
    if kind == "determine":
        leaver = _someone(data, view, leavers or None)
        amount = ss.Money(data.draw(st.integers(0, 10**6), label="costs"))
        return lambda app, pid: app.determine_exit_costs(
            pid, party=leaver, amount=amount, by=actor, on=day
        )
    if leavers:
        actor = _someone(data, view, leavers)
    exit_record = view.exits.get(ss.PartyId(actor))
    if kind == "settle":
        owed = exit_record.exit_costs if exit_record and exit_record.exit_costs else ss.Money(1)
        return lambda app, pid: app.settle_exit_payment(pid, party=actor, amount=owed, on=day)
    when = day
    if exit_record is not None and data.draw(st.booleans(), label="wait for notice"):
        when = max(day, exit_record.effective)
    return lambda app, pid: app.complete_withdrawal(pid, party=actor, on=when)


def assert_replays(app: ss.SharedServices, pid: UUID, reopen: Callable[[], ss.SharedServices]):
    live = app.partnership(pid)
    assert [] == check_partnership(live, app.variations(pid))
    replayed = project_until(app.events.get(pid), None, None)
    assert isinstance(replayed, ss.Partnership)
    assert live == ss.PartnershipView.of(replayed)
    far = date(2100, 1, 1)
    assert attrs.evolve(live, as_of=far) == app.partnership(pid, as_of=far)
    fresh = reopen()
    try:
        assert live == fresh.partnership(pid)
        assert app.partnership(pid, version=live.version) == fresh.partnership(
            pid, version=live.version
        )
    finally:
        if fresh is not app:
            fresh.close()


@given(data=st.data())
def test_a_random_history_replays_to_the_live_view_in_memory(data: st.DataObject) -> None:
    app = ss.SharedServices.in_memory()
    pid = record_history(app, data)
    assert_replays(app, pid, lambda: app)


@contextmanager
def sqlite_store() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as folder:
        yield Path(folder) / "store.db"


@given(data=st.data())
def test_a_random_history_replays_to_the_live_view_on_sqlite(data: st.DataObject) -> None:
    with sqlite_store() as path:
        app = ss.SharedServices.sqlite(path)
        try:
            pid = record_history(app, data)
            assert_replays(app, pid, lambda: ss.SharedServices.sqlite(path))
        finally:
            app.close()


@pytest.mark.postgres
@settings(max_examples=min(settings().max_examples, 40))
@given(data=st.data())
def test_a_random_history_replays_to_the_live_view_on_postgres(
    postgres_params: dict[str, Any], data: st.DataObject
) -> None:
    app = ss.SharedServices.postgres(**postgres_params)
    try:
        pid = record_history(app, data)
        assert_replays(app, pid, lambda: ss.SharedServices.postgres(**postgres_params))
    finally:
        app.close()
