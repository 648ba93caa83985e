"""Readiness assessments, the stage gates they open, and targets with their outcomes, on every
store."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

import pytest
from harness import (
    CAMDEN,
    HARINGEY,
    ISLINGTON,
    NON_MEMBER,
    InMemoryStore,
    OpenApp,
    PostgresStore,
    SQLiteStore,
    StoreContract,
    assert_refused,
    form_pair,
    ref,
    terms_for,
)

from sharedsvc import (
    Money,
    NotAuthorised,
    NotFound,
    Outcome,
    Partnership,
    Policy,
    Readiness,
    ReadinessGate,
    RuleViolation,
    SharedServices,
    Stage,
    dump_scenario,
    loads_scenario,
)
from sharedsvc.application import project_events
from sharedsvc.domain.readiness import AreaScore

DAY = date(2016, 1, 11)
ALL_THREES = {
    "trust": 3, "power-sharing": 3, "business-buy-in": 3, "political-backing": 3,
    "branding-and-identity": 3, "communication": 3,
}  # fmt: skip
GATED = Policy(stage_gates={Stage.COMBINING: ReadinessGate(minimum=3, within_months=12)})


def form_gated(app: SharedServices, policy: Policy = GATED) -> UUID:
    return app.form_partnership(
        "Shared Digital", parties=[CAMDEN, ISLINGTON], terms=terms_for(CAMDEN, ISLINGTON),
        stage=Stage.COLLABORATING, on=date(2015, 9, 24), policy=policy,
    )  # fmt: skip


def combine(app: SharedServices, pid: UUID, on: date) -> None:
    app.change_stage(pid, to=Stage.COMBINING, by="camden", on=on)


class RelationshipContract(StoreContract):
    # ------------------------------------------------------------------- readiness --

    def test_readiness_is_each_partys_latest_assessment_with_its_mean_to_one_place(
        self, app: SharedServices
    ) -> None:
        pid = form_pair(app)
        app.assess_readiness(pid, party="camden", scores={"trust": 2, "power-sharing": 2}, on=DAY)
        app.assess_readiness(
            pid, party="islington", scores={"trust": 3, "communication": 4}, by="camden",
            on=DAY, ref=ref("Joint Committee", "JC/1", DAY),
        )  # fmt: skip
        later = date(2016, 6, 1)
        scores = {"trust": 3, "power-sharing": 2, "business-buy-in": 2, "communication": 2}
        app.assess_readiness(pid, party="camden", scores=scores, on=later)
        assert {
            "camden": Readiness("camden", "camden", later, scores, Decimal("2.3")),
            "islington": Readiness(
                "islington", "camden", DAY, {"trust": 3, "communication": 4}, Decimal("3.5"),
                ref("Joint Committee", "JC/1", DAY),
            ),
        } == app.readiness(pid)  # fmt: skip
        assert Decimal("2.0") == app.readiness(pid, as_of=DAY)["camden"].overall
        assert {} == app.readiness(pid, as_of=date(2015, 12, 1))

    def test_the_trend_lists_every_assessment_of_a_party_and_an_area_in_order(
        self, app: SharedServices
    ) -> None:
        pid = form_pair(app)
        for month, score in ((1, 1), (4, 2), (7, 4)):
            app.assess_readiness(
                pid, party="camden", scores={"trust": score}, on=date(2016, month, 11)
            )
        app.assess_readiness(pid, party="camden", scores={"communication": 5}, on=date(2016, 8, 1))
        app.assess_readiness(pid, party="islington", scores={"trust": 0}, on=date(2016, 8, 1))
        trend = app.readiness_trend(pid, party="camden", area="trust")
        assert [1, 2, 4] == [r.scores["trust"] for r in trend]
        assert 4 == len(app.readiness_trend(pid, party="camden"))
        assert 5 == len(app.readiness_trend(pid))
        assert 1 == len(
            app.readiness_trend(pid, party="camden", area="trust", as_of=date(2016, 2, 1))
        )
        with pytest.raises(NotFound):
            app.readiness_trend(pid, party=NON_MEMBER)
        with pytest.raises(RuleViolation) as caught:
            app.readiness_trend(pid, area="morale")
        assert "readiness-areas" == caught.value.rule

    def test_a_snapshot_keeps_the_latest_scores_and_the_targets(
        self, app: SharedServices, reopen: OpenApp
    ) -> None:
        pid = form_gated(app)
        tid = app.set_target(pid, kind="savings", amount=Money("1000"), due=date(2017, 3, 31),
                             by="camden", on=DAY)  # fmt: skip
        for n in range(55):  # past the hundred events after which a snapshot is taken
            app.assess_readiness(pid, party="camden", scores={"trust": n % 6}, on=DAY)
            app.record_outcome(pid, target=tid, amount=Money(n), by="islington", on=DAY)
        assert app.snapshots is not None
        assert list(app.snapshots.get(pid))
        other = reopen()
        replayed = project_events(None, other.events.get(pid))
        assert isinstance(replayed, Partnership)
        loaded = other.repository.get(pid)
        assert dict(replayed.readiness) == dict(loaded.readiness)
        assert dict(replayed.targets) == dict(loaded.targets)
        assert {"camden/trust": AreaScore("camden", "trust", 54 % 6, DAY)} == loaded.readiness
        assert 55 == len(loaded.targets[tid].outcomes)
        assert app.targets(pid) == other.targets(pid)

    def test_readiness_reads_the_same_from_another_application_on_the_store(
        self, app: SharedServices, reopen: OpenApp
    ) -> None:
        pid = form_pair(app)
        app.assess_readiness(pid, party="camden", scores=ALL_THREES, on=DAY)
        tid = app.set_target(pid, kind="savings", amount=Money("6000000"), due=date(2017, 3, 31),
                             by="camden", on=DAY)  # fmt: skip
        app.record_outcome(pid, target=tid, amount=Money("6100000"), by="islington", on=DAY)
        other = reopen()
        assert app.readiness(pid) == other.readiness(pid)
        assert app.targets(pid) == other.targets(pid)
        assert app.partnership(pid) == other.partnership(pid)

    @pytest.mark.parametrize(
        ("scores", "rule"),
        [
            ({"morale": 3}, "readiness-areas"),
            ({"trust": 3, "Trust": 3}, "readiness-areas"),
            ({"trust": 6}, "readiness-score"),
            ({"trust": -1}, "readiness-score"),
            ({"trust": 2.5}, "readiness-score"),
            ({"trust": 3.0}, "readiness-score"),
            ({"trust": True}, "readiness-score"),
            ({"trust": "3"}, "readiness-score"),
            ({}, "readiness-score"),
            ([("trust", 3)], "invalid-value"),
        ],
    )
    def test_a_bad_assessment_is_refused_by_its_rule(
        self, app: SharedServices, scores: Any, rule: str
    ) -> None:
        pid = form_pair(app)
        assert_refused(app, rule, app.assess_readiness, pid, party="camden", scores=scores, on=DAY)

    def test_only_members_assess_and_are_assessed(self, app: SharedServices) -> None:
        pid = form_pair(app)
        scores = {"trust": 3}
        assess = app.assess_readiness
        assert_refused(app, "members-only", assess, pid, party=NON_MEMBER, scores=scores, on=DAY)
        assert_refused(
            app, "members-only", assess, pid, party="camden", by=NON_MEMBER, scores=scores, on=DAY
        )
        assert_refused(
            app, "dates-in-order", assess, pid, party="camden", scores=scores, on=date(2015, 1, 1)
        )

    def test_a_policy_of_its_own_areas_assesses_those_areas_only(self, app: SharedServices) -> None:
        pid = form_gated(app, Policy(readiness_areas=("trust", "morale")))
        app.assess_readiness(pid, party="camden", scores={"morale": 1, "trust": 2}, on=DAY)
        assert {"trust": 2, "morale": 1} == dict(app.readiness(pid)["camden"].scores)
        assert ["trust", "morale"] == list(app.readiness(pid)["camden"].scores)  # policy order
        assert_refused(
            app, "readiness-areas", app.assess_readiness, pid, party="camden",
            scores={"communication": 3}, on=DAY,
        )  # fmt: skip

    # -------------------------------------------------------------------- the gates --

    def test_combining_waits_until_every_party_is_ready_in_every_area(
        self, app: SharedServices
    ) -> None:
        pid = form_gated(app)
        app.assess_readiness(pid, party="camden", scores=ALL_THREES, on=DAY)
        app.assess_readiness(pid, party="islington", scores={**ALL_THREES, "trust": 2}, on=DAY)
        caught = assert_refused(app, "readiness-for-stage", combine, app, pid, DAY)
        assert "islington: trust scored 2" in caught.message
        assert "camden" not in caught.message.split(":")[0]
        # a partial assessment raises the one area: the gate reads each area's latest score
        app.assess_readiness(pid, party="islington", scores={"trust": 3}, on=DAY)
        assert Decimal("3.0") == app.readiness(pid)["islington"].overall
        combine(app, pid, DAY)
        assert Stage.COMBINING is app.partnership(pid).stage

    def test_a_gate_counts_assessments_within_its_calendar_months_only(
        self, app: SharedServices
    ) -> None:
        pid = form_gated(app)
        assessed = date(2016, 2, 29)
        for party in ("camden", "islington"):
            app.assess_readiness(pid, party=party, scores=ALL_THREES, on=assessed)
        caught = assert_refused(app, "readiness-for-stage", combine, app, pid, date(2017, 3, 1))
        assert "last assessed 2016-02-29" in caught.message
        assert "on or after 2016-03-01" in caught.message
        combine(app, pid, date(2017, 2, 28))  # 12 months before 2017-02-28 is 2016-02-28

    def test_a_gate_names_every_party_never_assessed_and_covers_only_its_areas(
        self, app: SharedServices
    ) -> None:
        gate = ReadinessGate(minimum=4, within_months=6, areas=("trust", "political-backing"))
        pid = form_gated(app, Policy(stage_gates={Stage.COMBINING: gate}))
        app.assess_readiness(pid, party="camden", scores={"trust": 4}, on=DAY)
        caught = assert_refused(app, "readiness-for-stage", combine, app, pid, DAY)
        assert caught.message.startswith(
            "camden: political-backing never assessed; islington: trust never assessed, "
            "political-backing never assessed: combining needs every active party to score at "
            "least 4 in trust, political-backing"
        )
        app.assess_readiness(pid, party="camden", scores={"political-backing": 5}, on=DAY)
        app.assess_readiness(
            pid, party="islington", scores={"trust": 4, "political-backing": 4, "communication": 0},
            on=DAY,
        )  # fmt: skip
        combine(app, pid, DAY)

    def test_a_gate_holds_back_only_a_move_deeper_into_its_stage(self, app: SharedServices) -> None:
        pid = form_gated(app)
        app.change_stage(pid, to=Stage.CO_OPERATING, by="camden", on=DAY)  # back: no gate
        app.change_stage(pid, to=Stage.COLLABORATING, by="camden", on=DAY)  # no gate there
        assert_refused(app, "readiness-for-stage", combine, app, pid, DAY)
        assert Stage.COLLABORATING is app.partnership(pid).stage

    def test_without_gates_the_stage_moves_as_before(self, app: SharedServices) -> None:
        pid = form_pair(app)
        app.change_stage(pid, to=Stage.COMBINING, by="camden", on=DAY)
        assert Stage.COMBINING is app.partnership(pid).stage

    def test_a_joiner_must_be_assessed_before_the_partnership_combines(
        self, app: SharedServices
    ) -> None:
        pid = form_gated(app)
        for party in ("camden", "islington"):
            app.assess_readiness(pid, party=party, scores=ALL_THREES, on=DAY)
        vid = app.propose_variation(
            pid, by="camden", admit=[HARINGEY],
            changes={"cost_pools": terms_for(CAMDEN, ISLINGTON, HARINGEY).cost_pools}, on=DAY,
        )  # fmt: skip
        for party in ("camden", "islington", "haringey"):
            app.approve_variation(pid, vid, party=party, on=DAY)
        caught = assert_refused(app, "readiness-for-stage", combine, app, pid, DAY)
        assert caught.message.startswith("haringey: trust never assessed")

    def test_a_policy_with_gates_round_trips_through_a_scenario_file(
        self, app: SharedServices
    ) -> None:
        gates = {
            Stage.COMBINING: ReadinessGate(minimum=3, within_months=18, areas=("trust",)),
            Stage.COLLABORATING: ReadinessGate(minimum=2),
        }
        policy = Policy(readiness_areas=("trust", "morale"), stage_gates=gates)
        pid = form_gated(app, policy)
        app.assess_readiness(pid, party="camden", scores={"trust": 4, "morale": 1}, on=DAY)
        app.assess_readiness(pid, party="islington", scores={"trust": 3}, by="camden", on=DAY)
        tid = app.set_target(pid, kind="savings", amount=Money("6000000"), due=date(2017, 3, 31),
                             by="camden", on=DAY, party="islington")  # fmt: skip
        app.record_outcome(pid, target=tid, amount=Money("5000000"), by="islington", on=DAY)
        combine(app, pid, DAY)
        text = dump_scenario(app, pid)
        assert "stage_gates" in text
        assert 'act = "assess_readiness"' in text
        copy = SharedServices.in_memory()
        try:
            copied = loads_scenario(copy, text)
            assert policy == copy.partnership(copied).policy
            assert dump_scenario(copy, copied) == text
            assert [(r.party, r.by, r.scores) for r in app.readiness(pid).values()] == [
                (r.party, r.by, r.scores) for r in copy.readiness(copied).values()
            ]
            assert [t.outcomes for t in app.targets(pid)] == [
                t.outcomes for t in copy.targets(copied)
            ]
        finally:
            copy.close()

    # ------------------------------------------------------------------------ targets --

    def test_a_target_is_met_by_an_outcome_at_or_above_it_by_its_due_date(
        self, app: SharedServices
    ) -> None:
        pid = form_pair(app)
        due = date(2017, 3, 31)
        tid = app.set_target(pid, kind="savings", amount=Money("6000000"), due=due, by="camden",
                             on=DAY, ref=ref("Joint Committee", "JC/2", DAY))  # fmt: skip
        app.record_outcome(pid, target=tid, amount=Money("5000000"), by="islington",
                           on=date(2016, 9, 30))  # fmt: skip
        (target,) = app.targets(pid)
        assert (tid, "savings", None, "camden", DAY, None) == (
            target.id,
            target.kind,
            target.party,
            target.by,
            target.on,
            target.met_on,
        )
        app.record_outcome(pid, target=str(tid), amount=Money("6000000"), by="camden", on=due)
        (target,) = app.targets(pid)
        assert due == target.met_on
        assert [Money("5000000"), Money("6000000")] == [o.amount for o in target.outcomes]
        assert Outcome(Money("5000000"), "islington", date(2016, 9, 30)) == target.outcomes[0]
        (earlier,) = app.targets(pid, as_of=date(2016, 12, 31))
        assert (1, None) == (len(earlier.outcomes), earlier.met_on)
        assert [] == app.targets(pid, as_of=date(2015, 12, 31))

    def test_an_outcome_after_the_due_date_does_not_meet_the_target(
        self, app: SharedServices
    ) -> None:
        pid = form_pair(app)
        tid = app.set_target(pid, kind="savings", amount=Money("100"), due=DAY, by="camden",
                             on=DAY, party="islington")  # fmt: skip
        app.record_outcome(pid, target=tid, amount=Money("200"), by="islington",
                           on=date(2016, 1, 12))  # fmt: skip
        (target,) = app.targets(pid)
        assert ("islington", None) == (target.party, target.met_on)

    @pytest.mark.parametrize(
        ("amount", "due", "rule"),
        [
            (Money("-1"), date(2017, 1, 1), "invalid-value"),
            (Money("0"), date(2017, 1, 1), "invalid-value"),
            ("6000000", date(2017, 1, 1), "invalid-value"),
            (Money("100"), date(2016, 1, 10), "dates-in-order"),
            (Money("100"), "2017-01-01", "invalid-value"),
        ],
    )
    def test_a_bad_target_is_refused(
        self, app: SharedServices, amount: Any, due: Any, rule: str
    ) -> None:
        pid = form_pair(app)
        assert_refused(
            app, rule, app.set_target, pid, kind="savings", amount=amount, due=due, by="camden",
            on=DAY,
        )  # fmt: skip

    @pytest.mark.parametrize("kind", ["withdrawal", "exit-payment", "escalation", "consent"])
    def test_a_target_may_not_take_the_kind_of_an_obligation_the_record_makes(
        self, app: SharedServices, kind: str
    ) -> None:
        pid = form_pair(app)
        assert_refused(
            app, "invalid-value", app.set_target, pid, kind=kind, amount=Money("1"), due=DAY,
            by="camden", on=DAY,
        )  # fmt: skip

    def test_a_target_binds_a_member_only(self, app: SharedServices) -> None:
        pid = form_pair(app)
        with pytest.raises(NotAuthorised):
            app.set_target(pid, kind="savings", amount=Money("1"), due=DAY, by="camden", on=DAY,
                           party=NON_MEMBER)  # fmt: skip
        assert [] == app.targets(pid)

    def test_an_outcome_for_an_unknown_target_is_not_found(self, app: SharedServices) -> None:
        pid = form_pair(app)
        other = form_pair(app, name="Another")
        tid = app.set_target(other, kind="savings", amount=Money("1"), due=DAY, by="camden", on=DAY)
        position = app.highest_position()
        for unknown in (uuid4(), tid, "not an id"):
            with pytest.raises(NotFound):
                app.record_outcome(pid, target=unknown, amount=Money("1"), by="camden", on=DAY)
        assert position == app.highest_position()

    def test_a_bad_outcome_is_refused(self, app: SharedServices) -> None:
        pid = form_pair(app)
        tid = app.set_target(pid, kind="savings", amount=Money("1"), due=DAY, by="camden", on=DAY)
        record = app.record_outcome
        assert_refused(app, "invalid-value", record, pid, target=tid, amount=Money("-1"),
                       by="camden", on=DAY)  # fmt: skip
        assert_refused(app, "invalid-value", record, pid, target=tid, amount=Money("1", "EUR"),
                       by="camden", on=DAY)  # fmt: skip
        assert_refused(app, "members-only", record, pid, target=tid, amount=Money("1"),
                       by=NON_MEMBER, on=DAY)  # fmt: skip
        assert_refused(app, "dates-in-order", record, pid, target=tid, amount=Money("1"),
                       by="camden", on=date(2016, 1, 10))  # fmt: skip

    def test_a_dissolved_partnership_assesses_and_sets_nothing(self, app: SharedServices) -> None:
        pid = form_pair(app)
        tid = app.set_target(pid, kind="savings", amount=Money("1"), due=DAY, by="camden", on=DAY)
        vid = app.propose_variation(pid, by="camden", dissolve=True, on=DAY)
        for party in ("camden", "islington"):
            app.approve_variation(pid, vid, party=party, on=DAY)
        assert_refused(app, "partnership-dissolved", app.assess_readiness, pid, party="camden",
                       scores={"trust": 1}, on=DAY)  # fmt: skip
        assert_refused(app, "partnership-dissolved", app.set_target, pid, kind="savings",
                       amount=Money("1"), due=DAY, by="camden", on=DAY)  # fmt: skip
        assert_refused(app, "partnership-dissolved", app.record_outcome, pid, target=tid,
                       amount=Money("1"), by="camden", on=DAY)  # fmt: skip

    def test_the_audit_trail_reads_each_act(self, app: SharedServices) -> None:
        pid = form_pair(app)
        app.assess_readiness(pid, party="islington", scores={"trust": 3, "power-sharing": 2},
                             on=DAY)  # fmt: skip
        tid = app.set_target(pid, kind="savings", amount=Money("6000000"), due=date(2017, 3, 31),
                             by="camden", on=DAY)  # fmt: skip
        app.record_outcome(pid, target=tid, amount=Money("6500000"), by="camden", on=DAY)
        assert [
            "London Borough of Islington assessed its readiness: trust 3, power-sharing 2 "
            "(overall 2.5)",
            f"London Borough of Camden set target {tid.hex[:8]}: savings of £6,000,000.00 by "
            "2017-03-31 [no decision reference]",
            f"London Borough of Camden recorded an outcome of £6,500,000.00 against target "
            f"{tid.hex[:8]}",
        ] == [entry.summary for entry in app.audit_trail(pid)[1:]]


class TestRelationshipInMemory(InMemoryStore, RelationshipContract):
    pass


class TestRelationshipOnSQLite(SQLiteStore, RelationshipContract):
    pass


@pytest.mark.postgres
class TestRelationshipOnPostgres(PostgresStore, RelationshipContract):
    pass
