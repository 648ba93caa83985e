"""The invariant checks over handover and dispute views find a corrupted record, and nothing
in a sound one."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import attrs
import pytest

from sharedsvc import (
    CostPool,
    DisputeView,
    Function,
    HandoverView,
    Party,
    Rung,
    SharedServices,
    Stage,
    Terms,
)
from sharedsvc.invariants import CATALOGUE, check_dispute, check_handover

PARTIES = [Party("camden", "Camden"), Party("islington", "Islington")]


@pytest.fixture(scope="module")
def sound() -> tuple[HandoverView, DisputeView, DisputeView]:
    """An effected handover, a dispute settled at the second rung and one determined at the
    top."""
    app = SharedServices.in_memory()
    pid = app.form_partnership(
        "Shared Digital",
        parties=PARTIES,
        terms=Terms(cost_pools=(CostPool.equal("ict", ["camden", "islington"]),), host="camden"),
        stage=Stage.CO_OPERATING,
        on=date(2016, 1, 1),
    )
    desk = Function("ict.service-desk", "Service desk", category="back-office")
    hid = app.propose_handover(pid, function=desk, by="islington", on=date(2016, 2, 1))
    for party in ("camden", "islington"):
        app.consent_to_handover(hid, party=party, on=date(2016, 2, 2))
    app.effect_handover(hid, on=date(2016, 2, 3))
    settled = app.raise_dispute(
        pid, by="islington", against=["camden"], subject="charges", on=date(2016, 3, 1)
    )
    app.escalate_dispute(settled, by="camden", reason="stuck", on=date(2016, 3, 2))
    app.propose_settlement(settled, by="camden", terms={"charge": "5%"}, on=date(2016, 3, 3))
    for party in ("camden", "islington"):
        app.accept_settlement(settled, party=party, on=date(2016, 3, 4))
    determined = app.raise_dispute(
        pid, by="camden", against=["islington"], subject="hosting", on=date(2016, 4, 1)
    )
    for step in range(len(Rung) - 1):
        app.escalate_dispute(determined, by="camden", on=date(2016, 4, 2 + step))
    app.determine_dispute(
        determined, arbiter="A. Arbiter", terms={"host": "camden"}, on=date(2016, 5, 1)
    )
    views = app.handover(hid), app.dispute(settled), app.dispute(determined)
    assert [] == check_handover(views[0])
    assert [] == check_dispute(views[1]) + check_dispute(views[2])
    return views


HANDOVER_CORRUPTIONS: dict[str, Callable[[HandoverView], HandoverView]] = {
    "handover-needs-every-consent": lambda h: attrs.evolve(
        h, consents={p: r for p, r in h.consents.items() if p != h.from_party}
    ),
    "consent-once": lambda h: attrs.evolve(h, withheld={"camden": "changed its mind"}),
}

DISPUTE_CORRUPTIONS: dict[str, Callable[[DisputeView, DisputeView], DisputeView]] = {
    "one-rung-at-a-time": lambda settled, _: attrs.evolve(
        settled,
        rungs=(settled.rungs[0], attrs.evolve(settled.rungs[1], rung=Rung.CHIEF_EXECUTIVES)),
        rung=Rung.CHIEF_EXECUTIVES,
    ),
    "determination-at-top-rung": lambda settled, _: attrs.evolve(settled, status="determined"),
    "settlement-needs-every-acceptance": lambda settled, _: attrs.evolve(
        settled, accepted=settled.accepted[:1]
    ),
    "dates-in-order": lambda _, determined: attrs.evolve(
        determined,
        rungs=(
            attrs.evolve(determined.rungs[0], on=determined.rungs[1].on + timedelta(days=1)),
            *determined.rungs[1:],
        ),
    ),
}


def test_every_handover_and_dispute_check_has_a_corruption_here() -> None:
    assert {c for c, r in CATALOGUE.items() if r.check_handover} == set(HANDOVER_CORRUPTIONS)
    assert {c for c, r in CATALOGUE.items() if r.check_dispute} == set(DISPUTE_CORRUPTIONS)


@pytest.mark.parametrize("code", list(HANDOVER_CORRUPTIONS))
def test_a_corrupted_handover_view_is_found_to_break_its_invariant(
    sound: tuple[HandoverView, DisputeView, DisputeView], code: str
) -> None:
    violations = check_handover(HANDOVER_CORRUPTIONS[code](sound[0]))
    assert [code] == sorted({violation.code for violation in violations})


@pytest.mark.parametrize("code", list(DISPUTE_CORRUPTIONS))
def test_a_corrupted_dispute_view_is_found_to_break_its_invariant(
    sound: tuple[HandoverView, DisputeView, DisputeView], code: str
) -> None:
    violations = check_dispute(DISPUTE_CORRUPTIONS[code](sound[1], sound[2]))
    assert [code] == sorted({violation.code for violation in violations})
