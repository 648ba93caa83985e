"""A policy holds the rules that vary between agreements: continuum, ladder, minimums, rounding."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest

from sharedsvc import RuleViolation
from sharedsvc.domain.policy import DEFAULT_STAGE_MINIMUMS, MAX_DAYS, Policy
from sharedsvc.domain.readiness import ReadinessGate
from sharedsvc.domain.values import Basis, CostPool, Rung, Stage


def refusal(make: Callable[[], object]) -> RuleViolation:
    with pytest.raises(RuleViolation) as raised:
        make()
    return raised.value


# --- defaults ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("category", "expected"),
    [
        ("back-office", Stage.CO_OPERATING),
        ("front-line", Stage.COLLABORATING),
        ("identity", Stage.COMBINING),
        ("not-a-listed-category", Stage.CO_OPERATING),
    ],
)
def test_the_default_minimum_stage_for_each_category(category: str, expected: Stage) -> None:
    assert expected == Policy().minimum_stage(category)


def test_the_default_policy_uses_the_whole_continuum_and_ladder_and_two_places() -> None:
    policy = Policy()
    assert tuple(Stage) == policy.continuum
    assert tuple(Rung) == policy.ladder
    assert Stage.CO_OPERATING == policy.default_minimum
    assert 2 == policy.share_places


def test_the_default_ladder_climbs_one_rung_at_a_time_to_arbitration() -> None:
    policy = Policy()
    climbed = [Rung.OFFICERS]
    while (above := policy.next_rung(climbed[-1])) is not None:
        climbed.append(above)
    assert list(Rung) == climbed
    assert Rung.ARBITRATION == policy.top_rung


def test_there_is_no_rung_above_the_top_rung() -> None:
    assert None is Policy().next_rung(Rung.ARBITRATION)


# --- custom policies -----------------------------------------------------------------------


def test_a_shorter_ladder_skips_the_rungs_it_leaves_out() -> None:
    policy = Policy(ladder=(Rung.OFFICERS, Rung.JOINT_COMMITTEE, Rung.MEDIATION))
    assert Rung.JOINT_COMMITTEE == policy.next_rung(Rung.OFFICERS)
    assert Rung.MEDIATION == policy.next_rung(Rung.JOINT_COMMITTEE)
    assert Rung.MEDIATION == policy.top_rung
    assert None is policy.next_rung(Rung.MEDIATION)


def test_a_ladder_given_as_a_list_is_kept_as_a_tuple() -> None:
    assert (Rung.OFFICERS, Rung.ARBITRATION) == Policy(
        ladder=[Rung.OFFICERS, Rung.ARBITRATION]
    ).ladder


def test_a_partnership_can_extend_the_stage_minimums() -> None:
    policy = Policy(
        stage_minimums={**DEFAULT_STAGE_MINIMUMS, "legal": Stage.COORDINATING},
        default_minimum=Stage.COMMUNICATING,
    )
    assert Stage.COORDINATING == policy.minimum_stage("legal")
    assert Stage.COMBINING == policy.minimum_stage("identity")
    assert Stage.COMMUNICATING == policy.minimum_stage("not-a-listed-category")


def test_pools_are_split_and_rebased_to_the_policys_decimal_places() -> None:
    policy = Policy(share_places=0)
    pool = policy.equal_pool("ict", ["a", "b", "c"])
    assert {"a": Decimal(34), "b": Decimal(33), "c": Decimal(33)} == dict(pool.shares)
    usage = CostPool("ict", Basis.USAGE, {"a": "50.5", "b": "25.25", "c": "24.25"})
    assert {"a": Decimal(67), "b": Decimal(33)} == dict(policy.rebase(usage, ["a", "b"]).shares)


INVALID_POLICIES = [
    pytest.param(lambda: Policy(ladder=(Rung.DIRECTORS, Rung.OFFICERS)), id="unordered ladder"),
    pytest.param(lambda: Policy(ladder=()), id="empty ladder"),
    pytest.param(lambda: Policy(ladder=(Rung.OFFICERS, Rung.OFFICERS)), id="ladder repeats"),
    pytest.param(lambda: Policy(ladder=(Stage.CO_EXISTING,)), id="ladder of stages"),
    pytest.param(
        lambda: Policy(continuum=(Stage.COMBINING, Stage.CO_EXISTING)), id="unordered continuum"
    ),
    pytest.param(lambda: Policy(continuum=()), id="empty continuum"),
    pytest.param(lambda: Policy(continuum=(Rung.OFFICERS,)), id="continuum of rungs"),
    pytest.param(lambda: Policy(stage_minimums={"legal": "combining"}), id="minimum not a Stage"),
    pytest.param(lambda: Policy(stage_minimums=[("legal", Stage.COMBINING)]), id="not a mapping"),
    pytest.param(lambda: Policy(share_places=7), id="seven places"),
    pytest.param(lambda: Policy(share_places=-1), id="negative places"),
    pytest.param(lambda: Policy(share_places=True), id="places as a bool"),
    pytest.param(lambda: Policy(share_places=2.0), id="places as a float"),
    pytest.param(lambda: Policy(exit_payment_days=-1), id="negative exit days"),
    pytest.param(lambda: Policy(exit_payment_days=True), id="exit days as a bool"),
    pytest.param(lambda: Policy(consent_days=30.0), id="consent days as a float"),
    pytest.param(lambda: Policy(consent_days=MAX_DAYS + 1), id="consent days past the most"),
    pytest.param(lambda: Policy(rung_days=[(Rung.OFFICERS, 30)]), id="rung days not a mapping"),
    pytest.param(lambda: Policy(rung_days={"officers": 30}), id="rung days by name"),
    pytest.param(lambda: Policy(rung_days={Rung.OFFICERS: "30"}), id="rung days as text"),
    pytest.param(lambda: Policy(rung_days={Rung.OFFICERS: -5}), id="negative rung days"),
    pytest.param(
        lambda: Policy(ladder=(Rung.OFFICERS, Rung.ARBITRATION), rung_days={Rung.MEDIATION: 5}),
        id="rung days off the ladder",
    ),
]


@pytest.mark.parametrize("make", INVALID_POLICIES)
def test_an_invalid_policy_is_refused_as_an_invalid_value(make: Callable[[], object]) -> None:
    error = refusal(make)
    assert "invalid-value" == error.rule
    assert isinstance(error, ValueError)


def test_an_unordered_ladder_is_refused_with_the_order_it_needs() -> None:
    error = refusal(lambda: Policy(ladder=(Rung.MEDIATION, Rung.OFFICERS)))
    assert error.message.startswith("the ladder must be distinct Rungs in ascending order")


def test_a_continuum_that_repeats_a_stage_is_refused() -> None:
    refusal(lambda: Policy(continuum=(Stage.CO_OPERATING, Stage.CO_OPERATING)))


# --- deadlines ------------------------------------------------------------------------------


def test_the_default_deadlines_are_ninety_days_to_pay_and_at_each_rung_and_sixty_to_consent() -> (
    None
):
    policy = Policy()
    assert (90, 60) == (policy.exit_payment_days, policy.consent_days)
    assert dict.fromkeys(Rung, 90) == dict(policy.rung_days)


def test_rung_days_cover_the_policys_ladder_in_order_the_rungs_not_given_at_ninety() -> None:
    ladder = (Rung.OFFICERS, Rung.JOINT_COMMITTEE, Rung.ARBITRATION)
    policy = Policy(ladder=ladder, rung_days={Rung.ARBITRATION: 120, Rung.OFFICERS: 14})
    assert [(Rung.OFFICERS, 14), (Rung.JOINT_COMMITTEE, 90), (Rung.ARBITRATION, 120)] == list(
        policy.rung_days.items()
    )
    assert Policy(ladder=ladder) == Policy(ladder=ladder, rung_days={Rung.JOINT_COMMITTEE: 90})
    assert tuple(Policy(ladder=ladder).rung_days) == ladder


def test_a_rung_off_the_ladder_is_refused_by_name() -> None:
    error = refusal(lambda: Policy(ladder=(Rung.OFFICERS,), rung_days={Rung.MEDIATION: 5}))
    assert "MEDIATION" in error.message


# --- readiness areas and stage gates ----------------------------------------------------------


def test_the_default_policy_assesses_six_areas_and_gates_no_stage() -> None:
    assert (
        "trust", "power-sharing", "business-buy-in", "political-backing",
        "branding-and-identity", "communication",
    ) == Policy().readiness_areas  # fmt: skip
    assert {} == dict(Policy().stage_gates)


def test_a_gate_covers_its_own_areas_or_every_area_of_the_policy() -> None:
    policy = Policy(readiness_areas=["trust", "morale"])
    assert ("trust", "morale") == policy.readiness_areas
    assert ("trust", "morale") == policy.gate_areas(ReadinessGate(minimum=3))
    assert ("morale",) == policy.gate_areas(ReadinessGate(minimum=3, areas=["morale"]))
    assert 12 == ReadinessGate(minimum=3).within_months


INVALID_GATES = [
    pytest.param(lambda: ReadinessGate(minimum=6), id="minimum above 5"),
    pytest.param(lambda: ReadinessGate(minimum=-1), id="negative minimum"),
    pytest.param(lambda: ReadinessGate(minimum=True), id="minimum as a bool"),
    pytest.param(lambda: ReadinessGate(minimum=2.5), id="minimum as a float"),
    pytest.param(lambda: ReadinessGate(minimum=3, within_months=0), id="no months"),
    pytest.param(lambda: ReadinessGate(minimum=3, within_months=-6), id="negative months"),
    pytest.param(lambda: ReadinessGate(minimum=3, within_months=1.5), id="part of a month"),
    pytest.param(lambda: ReadinessGate(minimum=3, areas=()), id="no areas"),
    pytest.param(lambda: ReadinessGate(minimum=3, areas="trust"), id="areas as a string"),
    pytest.param(lambda: ReadinessGate(minimum=3, areas=("trust", "trust")), id="areas repeat"),
    pytest.param(lambda: ReadinessGate(minimum=3, areas=("Trust",)), id="area not a slug"),
    pytest.param(lambda: Policy(readiness_areas=()), id="no readiness areas"),
    pytest.param(lambda: Policy(readiness_areas="trust"), id="readiness areas as a string"),
    pytest.param(lambda: Policy(readiness_areas=("trust", 3)), id="an area not text"),
    pytest.param(
        lambda: Policy(stage_gates={"combining": ReadinessGate(minimum=3)}), id="gate not by Stage"
    ),
    pytest.param(lambda: Policy(stage_gates={Stage.COMBINING: 3}), id="gate not a ReadinessGate"),
    pytest.param(lambda: Policy(stage_gates=[Stage.COMBINING]), id="gates not a mapping"),
    pytest.param(
        lambda: Policy(
            continuum=(Stage.CO_OPERATING, Stage.COLLABORATING),
            stage_gates={Stage.COMBINING: ReadinessGate(minimum=3)},
        ),
        id="gate off the continuum",
    ),
    pytest.param(
        lambda: Policy(
            readiness_areas=("trust",),
            stage_gates={Stage.COMBINING: ReadinessGate(minimum=3, areas=("communication",))},
        ),
        id="gate area not in the policy",
    ),
]


@pytest.mark.parametrize("make", INVALID_GATES)
def test_an_invalid_gate_or_area_is_refused_as_an_invalid_value(
    make: Callable[[], object],
) -> None:
    assert "invalid-value" == refusal(make).rule


def test_a_gate_naming_an_area_the_policy_lacks_says_which() -> None:
    error = refusal(
        lambda: Policy(
            readiness_areas=("trust",),
            stage_gates={Stage.COMBINING: ReadinessGate(minimum=3, areas=("trust", "morale"))},
        )
    )
    assert "the gate of COMBINING names morale, not among the readiness_areas trust" in (
        error.message
    )
