"""The invariant catalogue: every rule of the design has a code, and the checks over views find
what a corrupted record breaks and nothing in a sound one."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from uuid import UUID, uuid4

import attrs
import pytest
from councils import CAMDEN, HARINGEY, ISLINGTON

from sharedsvc import (
    CostPool,
    Function,
    Money,
    Notice,
    PartnershipView,
    Party,
    PooledFunction,
    SharedServices,
    Stage,
    Succession,
    Terms,
    Variation,
)
from sharedsvc.invariants import CATALOGUE, Violation, assert_partnership, check_partnership

DESIGN_CODES = (
    "shares-sum-to-100",
    "shares-cover-active-parties",
    "two-or-more-parties",
    "host-is-active",
    "acts-for-itself",
    "members-only",
    "variation-needs-every-approval",
    "approve-once",
    "variation-closed",
    "handover-needs-every-consent",
    "stage-minimum-for-function",
    "one-holder-per-function",
    "consent-once",
    "notice-period",
    "exit-paid-before-leaving",
    "functions-returned-before-leaving",
    "one-rung-at-a-time",
    "deferred-act-frozen",
    "determination-at-top-rung",
    "settlement-needs-every-acceptance",
    "dates-in-order",
)
"""Every code in the invariant list of DESIGN.md, section 2."""

RAISED_BY_PARTNERSHIP = (
    "variation-shape",
    "stage-in-continuum",
    "stage-changes",
    "notice-served",
    "exit-costs",
    "partnership-dissolved",
    "dissolution-pending",
    "invalid-value",
)
"""Codes the Partnership raises besides those of the design's list."""

ENFIELD = Party("enfield", "London Borough of Enfield")


def test_the_catalogue_names_every_invariant_of_the_design() -> None:
    assert [] == [code for code in DESIGN_CODES if code not in CATALOGUE]


def test_the_catalogue_names_every_rule_the_partnership_enforces() -> None:
    assert [] == [code for code in RAISED_BY_PARTNERSHIP if code not in CATALOGUE]


def test_each_invariant_is_filed_under_its_own_code_with_a_description() -> None:
    for code, invariant in CATALOGUE.items():
        assert code == invariant.code
        assert invariant.description.strip(), code


# --------------------------------------------------------------------- a sound history --


def _record_history(app: SharedServices) -> UUID:
    """Four boroughs' worth of business: an admission effective later, a rejection, a
    concession, a withdrawal that rebases the pools, a notice left open, and a dissolution."""
    thirds = (CostPool.equal("ict", [CAMDEN, ISLINGTON, HARINGEY]),)
    quarters = (CostPool.equal("ict", [CAMDEN, ISLINGTON, HARINGEY, ENFIELD]),)
    pid = app.form_partnership(
        "North London Shared Services",
        parties=[CAMDEN, ISLINGTON, HARINGEY],
        terms=Terms(cost_pools=thirds, host="camden", notice=Notice(months=6)),
        stage=Stage.CO_OPERATING,
        on=date(2015, 9, 24),
    )
    day = date(2016, 2, 1)
    joining = app.propose_variation(
        pid,
        by="islington",
        changes={"cost_pools": quarters},
        admit=[ENFIELD],
        effective=date(2016, 4, 1),
        on=day,
    )
    app.state_position(pid, joining, party="enfield", position={"host": "enfield"}, on=day)
    for party in ("camden", "islington", "haringey", "enfield"):
        app.approve_variation(pid, joining, party=party, on=day)
    rejected = app.propose_variation(pid, by="enfield", changes={"sla": "24x7"}, on=day)
    app.reject_variation(pid, rejected, party="haringey", on=day)
    app.change_stage(pid, to=Stage.COLLABORATING, by="haringey", on=date(2016, 4, 1))
    effective = app.serve_withdrawal_notice(pid, party="islington", on=date(2016, 5, 3))
    app.determine_exit_costs(
        pid, party="islington", amount=Money("9000.00"), by="camden", on=date(2016, 6, 1)
    )
    app.settle_exit_payment(pid, party="islington", amount=Money("9000.00"), on=date(2016, 7, 1))
    app.complete_withdrawal(pid, party="islington", on=effective)
    app.serve_withdrawal_notice(pid, party="haringey", on=effective)
    ending = app.propose_variation(
        pid, by="camden", dissolve=True, effective=date(2018, 3, 31), on=effective
    )
    for party in ("camden", "haringey", "enfield"):
        app.approve_variation(pid, ending, party=party, on=effective + timedelta(days=30))
    return pid


def test_no_view_of_a_sound_history_breaks_an_invariant() -> None:
    app = SharedServices.in_memory()
    pid = _record_history(app)
    latest = app.partnership(pid)
    assert latest.dissolved
    # As the record stood after each command (a version inside one command's events is
    # not a state the partnership was ever in), and as it legally stood every two months.
    moments = sorted({event.timestamp for event in app.events.get(pid)})
    views = [app.partnership(pid, known_at=moment) for moment in moments]
    views += [
        app.partnership(pid, as_of=date(2015, 9, 24) + timedelta(days=60 * n)) for n in range(16)
    ]
    assert latest.version == views[len(moments) - 1].version
    for view in views:
        assert [] == check_partnership(view), (view.version, view.as_of)
        assert_partnership(view)
    app.close()


# ------------------------------------------------------------------ corrupted views --


@pytest.fixture(scope="module")
def sound_history() -> tuple[PartnershipView, tuple[Variation, ...]]:
    """A sound view to corrupt, and its variations: Camden (host), Islington and Haringey
    with an adopted variation, a settled exit record and a pooled back-office function."""
    app = SharedServices.in_memory()
    pid = app.form_partnership(
        "Shared Digital",
        parties=[CAMDEN, ISLINGTON, HARINGEY],
        terms=Terms(
            cost_pools=(CostPool.equal("ict", [CAMDEN, ISLINGTON, HARINGEY]),), host="camden"
        ),
        on=date(2016, 10, 1),
    )
    vid = app.propose_variation(pid, by="camden", changes={"sla": "24x7"}, on=date(2017, 1, 4))
    for party in ("camden", "islington", "haringey"):
        app.approve_variation(pid, vid, party=party, on=date(2017, 1, 4))
    app.serve_withdrawal_notice(pid, party="haringey", on=date(2017, 1, 5))
    app.determine_exit_costs(
        pid, party="haringey", amount=Money("10.00"), by="camden", on=date(2017, 1, 5)
    )
    app.settle_exit_payment(pid, party="haringey", amount=Money("10.00"), on=date(2017, 1, 6))
    view = app.partnership(pid)
    variations = app.variations(pid)
    app.close()
    desk = Function("ict.service-desk", "ICT service desk", category="back-office")
    pooled = PooledFunction("islington", desk, uuid4(), date(2017, 1, 6))
    view = attrs.evolve(view, pooled_functions=(pooled,))
    assert [] == check_partnership(view, variations)
    return view, variations


@pytest.fixture(scope="module")
def sound(sound_history: tuple[PartnershipView, tuple[Variation, ...]]) -> PartnershipView:
    return sound_history[0]


def _unchecked_pool(name: str, shares: dict[str, str]) -> CostPool:
    """A cost pool that never went through validation, as a tampered record might hold."""
    pool = object.__new__(CostPool)
    object.__setattr__(pool, "name", name)
    object.__setattr__(pool, "basis", CostPool.equal(name, list(shares)).basis)
    object.__setattr__(pool, "shares", {party: Decimal(s) for party, s in shares.items()})
    return pool


def _adopted_without_islington(variation: Variation) -> Variation:
    approvals = {p: r for p, r in variation.approvals.items() if p != "islington"}
    return attrs.evolve(variation, approvals=approvals)


def _closed_before_proposed(variation: Variation) -> Variation:
    assert variation.closed_on is not None
    return attrs.evolve(variation, closed_on=variation.proposed_on - timedelta(days=1))


VARIATION_CORRUPTIONS: dict[str, Callable[[Variation], Variation]] = {
    "variation-needs-every-approval": _adopted_without_islington,
    "dates-in-order": _closed_before_proposed,
}
"""For each invariant with a check over variation records, a corruption of a sound record."""


CORRUPTIONS: dict[str, Callable[[PartnershipView], PartnershipView]] = {
    "shares-sum-to-100": lambda v: attrs.evolve(v, terms=attrs.evolve(v.terms, cost_pools=(
        _unchecked_pool("ict", {"camden": "33.33", "islington": "33.33", "haringey": "33.33"}),
    ))),
    "shares-cover-active-parties": lambda v: attrs.evolve(
        v, active_parties=(*v.active_parties, "enfield")
    ),
    "two-or-more-parties": lambda v: attrs.evolve(
        v,
        active_parties=("camden",),
        terms=attrs.evolve(v.terms, cost_pools=(CostPool.equal("ict", ["camden"]),)),
        pooled_functions=(),
    ),
    "host-is-active": lambda v: attrs.evolve(v, terms=attrs.evolve(v.terms, host="enfield")),
    "stage-minimum-for-function": lambda v: attrs.evolve(v, pooled_functions=tuple(
        attrs.evolve(p, function=attrs.evolve(p.function, category="identity"))
        for p in v.pooled_functions
    )),
    "one-holder-per-function": lambda v: attrs.evolve(
        v, pooled_functions=v.pooled_functions * 2
    ),
    "exit-costs": lambda v: attrs.evolve(v, exits={
        party: attrs.evolve(w, paid=Money("9.99")) for party, w in v.exits.items()
    }),
    "dates-in-order": lambda v: attrs.evolve(v, last_on=v.formed_on - timedelta(days=1)),
    "successor-shares": lambda v: attrs.evolve(v, successions={
        "enfield": Succession(("hackney", "barnet"), {"hackney": 1}, date(2017, 1, 6)),
    }),
    "predecessor-never-acts": lambda v: attrs.evolve(v, successions={
        "haringey": Succession(("hackney",), {"hackney": 1}, date(2017, 1, 6)),
    }),
    "party-ids-unique": lambda v: attrs.evolve(v, successions={
        "enfield": Succession(("enfield",), {"enfield": 1}, date(2017, 1, 6)),
    }),
}  # fmt: skip
"""For each invariant that has a check, a corruption of a sound view that breaks it alone."""


def test_every_invariant_with_a_check_has_a_corruption_here() -> None:
    checked = {code for code, invariant in CATALOGUE.items() if invariant.check is not None}
    assert checked == set(CORRUPTIONS)
    by_record = {code for code, rule in CATALOGUE.items() if rule.check_variation is not None}
    assert by_record == set(VARIATION_CORRUPTIONS)


@pytest.mark.parametrize("code", list(VARIATION_CORRUPTIONS))
def test_a_corrupted_variation_record_is_found_to_break_its_invariant(
    sound_history: tuple[PartnershipView, tuple[Variation, ...]], code: str
) -> None:
    view, variations = sound_history
    corrupted = tuple(VARIATION_CORRUPTIONS[code](v) for v in variations)
    violations = check_partnership(view, corrupted)
    assert [code] == sorted({violation.code for violation in violations}), violations
    with pytest.raises(AssertionError, match=f"\\[{code}\\]"):
        assert_partnership(view, corrupted)


@pytest.mark.parametrize("code", list(CORRUPTIONS))
def test_a_corrupted_view_is_found_to_break_its_invariant(
    sound: PartnershipView, code: str
) -> None:
    corrupted = CORRUPTIONS[code](sound)
    violations = check_partnership(corrupted)
    assert [code] == sorted({violation.code for violation in violations}), violations
    assert all(isinstance(v, Violation) and v.message for v in violations)
    with pytest.raises(AssertionError, match=f"\\[{code}\\]"):
        assert_partnership(corrupted)


def test_a_dissolved_partnership_needs_no_cover_host_or_second_party(
    sound: PartnershipView,
) -> None:
    wound_up = attrs.evolve(
        sound, active_parties=("camden",), dissolved_on=date(2018, 12, 31), pooled_functions=()
    )
    assert [] == check_partnership(wound_up)
