"""What-if forks (issue 14): ``app.fork(pid, at=...)``, ``fork.replay_rest()`` and
``app.compare(pid, fork)``, on every store, with the demo's history (a partnership, two
handovers, a dispute and a dissolution)."""

from __future__ import annotations

import json
from datetime import date
from uuid import UUID

import attrs
import pytest
from harness import InMemoryStore, PostgresStore, SQLiteStore, StoreContract

import sharedsvc as ss
from sharedsvc.acts import CATALOGUE, Act, RaiseDispute
from sharedsvc.demo import build_shared_digital
from sharedsvc.whatif import FIELDS, Fork, Replayed

HANDOVERS_PROPOSED = date(2018, 1, 4)
BEFORE_DISPUTE = date(2018, 1, 9)
POOLED = date(2018, 6, 1)
DISSOLUTION_ADOPTED = date(2018, 11, 22)
DISSOLVED = date(2018, 12, 31)


def islington_handover(app: ss.SharedServices, pid: UUID) -> UUID:
    view = app.partnership(pid, as_of=POOLED)
    return next(p.handover_id for p in view.pooled_functions if p.from_party == "islington")


def store_unchanged(app: ss.SharedServices, count: int, checkpoint: ss.Checkpoint) -> None:
    assert count == app.highest_position()
    assert checkpoint.root == app.checkpoint().root
    assert app.verify(against=checkpoint).ok


class WhatIfContract(StoreContract):
    @pytest.fixture
    def pid(self, app: ss.SharedServices) -> UUID:
        return build_shared_digital(app)

    def test_the_contract_names_are_there(self, app: ss.SharedServices) -> None:
        assert callable(app.fork)
        assert callable(app.compare)
        assert "Comparison" in ss.__all__
        assert "Difference" in ss.__all__
        assert ss.Comparison([ss.Difference("stage", 1, 2)]).differences[0].fork == 2

    def test_a_fork_holds_the_history_up_to_its_date_and_takes_the_same_verbs(
        self, app: ss.SharedServices, pid: UUID
    ) -> None:
        fork = app.fork(pid, at=BEFORE_DISPUTE)
        assert isinstance(fork, Fork)
        assert fork.at == BEFORE_DISPUTE
        mine, theirs = fork.partnership(pid), app.partnership(pid, as_of=BEFORE_DISPUTE)
        assert (mine.name, mine.stage, mine.terms) == (theirs.name, theirs.stage, theirs.terms)
        assert mine.active_parties == theirs.active_parties
        assert all(outcome == "ok" for _, _, outcome in fork.copied)
        # what each act made keeps its id: the handovers are there under the base's ids
        hid = islington_handover(app, pid)
        assert fork.handover(hid).status == "proposed"
        assert app.handover(hid).status != "proposed"
        # the same rules: a party that is not a member is refused there too
        with pytest.raises(ss.NotAuthorised) as caught:
            fork.withdraw_handover(hid, by="hackney", on=BEFORE_DISPUTE)
        assert "members-only" == caught.value.rule
        fork.withdraw_handover(hid, by="islington", on=BEFORE_DISPUTE)
        assert fork.handover(hid).status == "withdrawn"

    def test_nothing_done_on_a_fork_reaches_the_store_it_came_from(
        self, app: ss.SharedServices, pid: UUID
    ) -> None:
        count, checkpoint = app.highest_position(), app.checkpoint()
        before = app.partnership(pid)
        fork = app.fork(pid, at=BEFORE_DISPUTE)
        fork.withdraw_handover(islington_handover(app, pid), by="islington", on=BEFORE_DISPUTE)
        fork.replay_rest()
        fork.note(pid, kind="audit", text="what if", by="camden", on=DISSOLVED)
        store_unchanged(app, count, checkpoint)
        assert before == app.partnership(pid)

    def test_replaying_the_rest_unchanged_gives_the_same_partnership(
        self, app: ss.SharedServices, pid: UUID
    ) -> None:
        fork = app.fork(pid, at=date(2016, 1, 1))
        assert not app.compare(pid, fork).same
        outcomes = fork.replay_rest()
        assert outcomes
        assert all(isinstance(o, Replayed) for o in outcomes)
        assert {outcome for _, _, outcome in outcomes} == {"ok"}
        for _position, act, _ in outcomes:
            assert isinstance(act, Act)
            assert CATALOGUE[act.verb] is type(act)
            assert act.on > date(2016, 1, 1)
        trail = {entry.position: entry for entry in app.audit_trail(pid)}
        assert [p for p, _, _ in outcomes] == sorted(p for p, _, _ in outcomes)
        assert all(p in trail for p, _, _ in outcomes)
        comparison = app.compare(pid, fork)
        assert comparison.same
        assert [] == list(comparison.differences)
        assert "no differences" == str(comparison)
        theirs = app.partnership(pid)
        assert theirs == attrs.evolve(fork.partnership(pid), recorded_at=theirs.recorded_at)
        assert [] == fork.replay_rest()  # replayed once

    def test_replaying_after_a_change_reports_what_no_longer_stands_and_never_raises(
        self, app: ss.SharedServices, pid: UUID
    ) -> None:
        hid = islington_handover(app, pid)
        fork = app.fork(pid, at=BEFORE_DISPUTE)
        fork.withdraw_handover(hid, by="islington", on=BEFORE_DISPUTE)
        outcomes = fork.replay_rest()
        by_act = [(type(act), outcome) for _, act, outcome in outcomes]
        assert (RaiseDispute, "dispute-shape") == by_act[0]  # a withdrawn handover
        assert {o for kind, o in by_act[1:8]} == {"not-found"}  # the dispute was never raised
        mine = [o for _, act, o in outcomes if getattr(act, "hid", None) == hid]
        assert mine
        assert set(mine) == {"handover-closed"}
        assert outcomes[-1].outcome == "ok"  # the dissolution still stands
        comparison = app.compare(pid, fork, as_of=POOLED)
        assert comparison.fields == ("pooled_functions", "obligations")
        pooled = comparison.get("pooled_functions")
        assert pooled is not None
        assert len(pooled.base) == 2
        assert len(pooled.fork) == 1
        assert comparison.get("stage") is None
        text = str(comparison)
        assert "pooled_functions: only in base: ict.infrastructure from islington" in text
        data = comparison.as_data()
        assert json.loads(json.dumps(data)) == data
        assert data["as_of"] == "2018-06-01"
        assert data["partnership"] == str(pid)
        assert [d["field"] for d in data["differences"]] == ["pooled_functions", "obligations"]

    def test_what_if_a_council_had_not_joined(self, app: ss.SharedServices, pid: UUID) -> None:
        # Haringey's admission was proposed on 1 February 2016; Islington rejects it instead
        fork = app.fork(pid, at=date(2016, 8, 1))
        (vid,) = fork.partnership(pid).open_variations
        fork.reject_variation(pid, vid, party="islington", reason="not yet", on=date(2016, 8, 1))
        outcomes = fork.replay_rest()
        assert "ok" != outcomes[0].outcome  # Islington's approval of the admission
        comparison = app.compare(pid, fork, as_of=POOLED)
        assert {"parties", "active_parties", "terms.cost_pools"} <= set(comparison.fields)
        active = comparison.get("active_parties")
        assert active is not None
        assert "haringey" in active.base
        assert "haringey" not in active.fork
        assert set(comparison.fields) <= set(FIELDS)

    def test_a_dissolution_adopted_before_the_fork_takes_effect_after_it(
        self, app: ss.SharedServices, pid: UUID
    ) -> None:
        fork = app.fork(pid, at=date(2018, 12, 1))
        assert fork.partnership(pid, as_of=date(2018, 12, 1)).pooled_functions
        assert not fork.partnership(pid, as_of=DISSOLVED).pooled_functions
        assert app.compare(pid, fork).same
        with pytest.raises(ss.RuleViolation) as caught:
            fork.change_stage(pid, to=ss.Stage.COLLABORATING, by="camden", on=date(2018, 12, 2))
        with pytest.raises(ss.RuleViolation) as base_caught:
            app.change_stage(pid, to=ss.Stage.COLLABORATING, by="camden", on=date(2018, 12, 2))
        assert caught.value.rule == base_caught.value.rule

    def test_forks_of_forks(self, app: ss.SharedServices, pid: UUID) -> None:
        hid = islington_handover(app, pid)
        fork = app.fork(pid, at=BEFORE_DISPUTE)
        fork.withdraw_handover(hid, by="islington", on=BEFORE_DISPUTE)
        fork.replay_rest()
        count = fork.highest_position()
        again = fork.fork(pid, at=date(2018, 3, 1))
        assert again.handover(hid).status == "withdrawn"
        assert {o for _, _, o in again.replay_rest()} == {"ok"}
        assert fork.compare(pid, again).same
        assert count == fork.highest_position()
        assert app.compare(pid, again).fields == app.compare(pid, fork).fields

    def test_bad_input_is_refused(self, app: ss.SharedServices, pid: UUID) -> None:
        with pytest.raises(ss.NotFound):
            app.fork(pid, at=date(2015, 9, 23))  # formed on 24 September 2015
        with pytest.raises(ss.NotFound):
            app.fork(UUID(int=7), at=DISSOLVED)
        with pytest.raises(ss.RuleViolation) as caught:
            app.fork(pid, at="2018-01-01")  # type: ignore[arg-type]
        assert "invalid-value" == caught.value.rule
        fork = app.fork(pid, at=BEFORE_DISPUTE)
        position = fork.highest_position()
        with pytest.raises(ss.RuleViolation) as caught:
            fork.note(pid, kind="audit", text="too early", by="camden", on=HANDOVERS_PROPOSED)
        assert "dates-in-order" == caught.value.rule
        assert position == fork.highest_position()
        fork.note(pid, kind="audit", text="on the day", by="camden", on=BEFORE_DISPUTE)
        with pytest.raises(ss.NotFound):
            app.compare(pid, ss.SharedServices.in_memory())


class TestWhatIfInMemory(InMemoryStore, WhatIfContract):
    pass


class TestWhatIfOnSQLite(SQLiteStore, WhatIfContract):
    pass


@pytest.mark.postgres
class TestWhatIfOnPostgres(PostgresStore, WhatIfContract):
    pass
