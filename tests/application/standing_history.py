"""A history for the tests of the report's readiness, obligations and balance, built through
the application's public verbs only (the councils are made up).

Nothing here is a test. `build_marsh_and_vale` records three councils that assess their
readiness every six months (one assessed by a peer, one partly), set two savings targets
(one met, one missed), pool a function, then disagree: a dispute sits at its second rung
past the policy's days, a handover waits for a consent that never comes, and a council
serves notice. The partnership moves to combining once the gate lets it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import partial
from uuid import UUID

from sharedsvc import (
    CostPool,
    Function,
    Money,
    Notice,
    Party,
    Policy,
    ReadinessGate,
    SharedServices,
    Stage,
    Terms,
)

__all__ = ["AS_OF", "MarshAndVale", "build_marsh_and_vale"]

MARSHBY = Party("marshby", "Marshby District Council", kind="district")
VALETON = Party("valeton", "Valeton Borough Council", kind="district")
FENFORD = Party("fenford", "Fenford District Council", kind="district")
PARTIES = ("marshby", "valeton", "fenford")
COUNCIL_TAX = Function("revenues.council-tax", "Council tax collection", category="back-office")
WASTE = Function("waste.collection", "Waste collection", category="back-office")
AREAS = (
    "trust",
    "power-sharing",
    "business-buy-in",
    "political-backing",
    "branding-and-identity",
    "communication",
)
AS_OF = date(2023, 2, 1)
"""The date the tests take the report on: after the last act, before the notice expires."""


class MarshAndVale:
    """The dates and figures of `build_marsh_and_vale`."""

    FORMED = date(2019, 4, 1)
    SAVINGS_DUE = date(2021, 3, 31)
    SAVINGS_MET = date(2021, 3, 15)
    VALETON_DUE = date(2022, 3, 31)  # met late, on 10 May 2022
    DISPUTE_RAISED = date(2022, 1, 10)
    ESCALATED = date(2022, 2, 14)
    WASTE_PROPOSED = date(2022, 6, 1)
    NOTICE_SERVED = date(2022, 10, 3)
    NOTICE_EFFECTIVE = date(2023, 10, 3)
    COMBINED = date(2022, 12, 1)
    SAVINGS = Money("1500000")
    VALETON_SAVINGS = Money("400000")


def _scores(level: int, offset: int) -> dict[str, int]:
    return {area: min(5, max(0, level + (i + offset) % 3 - 1)) for i, area in enumerate(AREAS)}


def build_marsh_and_vale(app: SharedServices) -> UUID:
    """Record the Marsh and Vale history; returns the partnership's id."""
    d = MarshAndVale
    pid = app.form_partnership(
        "Marsh and Vale Shared Services",
        parties=[MARSHBY, VALETON, FENFORD],
        terms=Terms(
            cost_pools=(CostPool.equal("shared", PARTIES),),
            notice=Notice(months=12),
            host="marshby",
        ),
        stage=Stage.COLLABORATING,
        on=d.FORMED,
        policy=Policy(stage_gates={Stage.COMBINING: ReadinessGate(minimum=3, within_months=12)}),
    )
    steps: list[tuple[date, Callable[[], object]]] = []

    def at(on: date, act: Callable[[], object]) -> None:
        steps.append((on, act))

    for step in range(7):  # every six months from May 2019 to May 2022
        on = date(2019 + step // 2, 5 if step % 2 == 0 else 11, 2)
        for index, party in enumerate(PARTIES):
            level = min(4, 1 + (step + index) // 2)
            if party == "fenford" and step == 3:  # assessed by a peer, in some areas
                peer = {"trust": 2, "communication": 3}
                at(on, partial(app.assess_readiness, pid, party=party, scores=peer, by="marshby",
                               on=on))  # fmt: skip
            else:
                at(on, partial(app.assess_readiness, pid, party=party,
                               scores=_scores(level, index), on=on))  # fmt: skip
    for on, act in sorted(steps, key=lambda step: step[0]):
        if on < date(2019, 7, 1):
            act()
    tid = app.set_target(
        pid, kind="savings", amount=d.SAVINGS, due=d.SAVINGS_DUE, by="marshby", on=date(2019, 7, 1)
    )
    late = app.set_target(
        pid,
        kind="savings",
        amount=d.VALETON_SAVINGS,
        due=d.VALETON_DUE,
        party="valeton",
        by="valeton",
        on=date(2019, 7, 1),
    )
    council_tax = app.propose_handover(pid, function=COUNCIL_TAX, by="marshby", on=date(2019, 9, 2))
    for party in PARTIES:
        app.consent_to_handover(council_tax, party=party, on=date(2019, 10, 1))
    app.effect_handover(council_tax, on=date(2019, 11, 1))
    disputed: list[UUID] = []
    at(date(2020, 3, 31), partial(app.record_outcome, pid, target=tid, amount=Money("600000"),
                                  by="marshby", on=date(2020, 3, 31)))  # fmt: skip
    at(d.SAVINGS_MET, partial(app.record_outcome, pid, target=tid, amount=Money("1600000"),
                              by="marshby", on=d.SAVINGS_MET))  # fmt: skip
    at(d.DISPUTE_RAISED, lambda: disputed.append(app.raise_dispute(
        pid, by="valeton", against=["marshby"], subject="Recharge of system costs",
        on=d.DISPUTE_RAISED)))  # fmt: skip
    at(d.ESCALATED, lambda: app.escalate_dispute(disputed[0], by="valeton", reason="no answer",
                                                 on=d.ESCALATED))  # fmt: skip
    at(date(2022, 5, 10), partial(app.record_outcome, pid, target=late, amount=Money("450000"),
                                  by="valeton", on=date(2022, 5, 10)))  # fmt: skip
    for on, act in sorted(steps, key=lambda step: step[0]):
        if on >= date(2019, 7, 1):
            act()
    waste = app.propose_handover(pid, function=WASTE, by="fenford", on=d.WASTE_PROPOSED)
    app.consent_to_handover(waste, party="fenford", on=d.WASTE_PROPOSED)
    app.consent_to_handover(waste, party="marshby", on=date(2022, 6, 20))
    app.serve_withdrawal_notice(pid, party="valeton", on=d.NOTICE_SERVED)
    for party in PARTIES:  # Fenford's communication stays as it was assessed in May
        areas = AREAS[:-1] if party == "fenford" else AREAS
        app.assess_readiness(pid, party=party, scores=dict.fromkeys(areas, 4), on=date(2022, 11, 7))
    app.change_stage(pid, to=Stage.COMBINING, by="marshby", rationale="ready", on=d.COMBINED)
    return pid
