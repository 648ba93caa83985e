"""Histories for the report tests, built through the application's public verbs only.

Nothing here is a test. :func:`build_wold_and_fen` is an illustrative partnership (the councils
are made up) with what the Shared Digital demo lacks: a council that serves notice, pays its
exit costs, takes its function back and leaves; a dispute that climbs every rung to
arbitration and is determined; and a dispute still open at the end of the record.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from uuid import UUID

from sharedsvc import (
    Basis,
    CostPool,
    DecisionRef,
    Function,
    Governance,
    Money,
    Notice,
    Party,
    Rung,
    SharedServices,
    Stage,
    Terms,
)

__all__ = [
    "ARBITER",
    "COUNCIL_TAX",
    "EXIT_COSTS",
    "HOUSING_BENEFIT",
    "MEDIATOR",
    "SCRIPT_NAME",
    "WoldAndFen",
    "build_script_partnership",
    "build_wold_and_fen",
]

NORTHMOOR = Party("northmoor", "Northmoor District Council", kind="district")
EASTWOLD = Party("eastwold", "Eastwold Borough Council", kind="district")
WESTFEN = Party("westfen", "Westfen District Council", kind="district")

COUNCIL_TAX = Function("revenues.council-tax", "Council tax collection", category="back-office")
HOUSING_BENEFIT = Function("revenues.benefits", "Housing benefit processing", "back-office")
EXIT_COSTS = Money("125000.00")
MEDIATOR = "Wold Valley Mediation Service"
ARBITER = "R. Okafor (arbitrator)"
SCRIPT_NAME = "<script>alert('x')</script> Borough Council"


def _ref(party: str, reference: str, on: date) -> DecisionRef:
    return DecisionRef(f"{party.title()} Cabinet", reference, on)


def _consent(app: SharedServices, hid: UUID, on: date) -> None:
    for party in ("northmoor", "eastwold", "westfen"):
        app.consent_to_handover(hid, party=party, ref=_ref(party, f"CAB/{on.year}/H", on), on=on)


def _pools(revenues: dict[str, str]) -> tuple[CostPool, ...]:
    return (
        CostPool("revenues", Basis.USAGE, {p: Decimal(s) for p, s in revenues.items()}),
        CostPool.equal("ict", ["northmoor", "eastwold", "westfen"]),
    )


class WoldAndFen:
    """The dates and figures of :func:`build_wold_and_fen`."""

    FORMED = date(2019, 4, 1)
    COLLABORATING = date(2019, 6, 3)
    COUNCIL_TAX_POOLED = date(2019, 10, 1)
    BENEFITS_POOLED = date(2020, 1, 6)
    REBASED = date(2020, 4, 1)
    DISPUTE_RAISED = date(2020, 5, 11)
    ARBITRATION = date(2020, 11, 2)
    DETERMINED = date(2021, 1, 18)
    NOTICE_SERVED = date(2021, 2, 1)
    NOTICE_EFFECTIVE = date(2022, 3, 31)
    BENEFITS_RECALLED = date(2022, 3, 1)
    WESTFEN_LEFT = date(2022, 3, 31)
    BACK_TO_CO_OPERATING = date(2022, 4, 4)
    SECOND_DISPUTE = date(2022, 5, 3)
    LAST_ACT = date(2022, 5, 24)
    AWARD = Money("85000.00")


def build_wold_and_fen(app: SharedServices) -> UUID:
    """Record the Wold and Fen history; returns the partnership's id."""
    d = WoldAndFen
    pid = app.form_partnership(
        "Wold and Fen Revenues",
        parties=[NORTHMOOR, EASTWOLD, WESTFEN],
        terms=Terms(
            cost_pools=_pools({"northmoor": "45", "eastwold": "30", "westfen": "25"}),
            notice=Notice(months=6, aligned_to_year_end=True, year_end=(3, 31)),
            governance=Governance.JOINT_COMMITTEE,
            host="northmoor",
        ),
        stage=Stage.CO_OPERATING,
        on=d.FORMED,
        ref=_ref("northmoor", "CAB/2019/14", date(2019, 3, 12)),
    )
    app.change_stage(
        pid,
        to=Stage.COLLABORATING,
        by="northmoor",
        rationale="one revenues team, one system",
        ref=_ref("northmoor", "JC/2019/3", d.COLLABORATING),
        on=d.COLLABORATING,
    )
    council_tax = app.propose_handover(
        pid,
        function=COUNCIL_TAX,
        by="eastwold",
        rationale="collected by the host",
        on=date(2019, 7, 1),
    )
    _consent(app, council_tax, date(2019, 8, 5))
    benefits = app.propose_handover(
        pid,
        function=HOUSING_BENEFIT,
        by="westfen",
        rationale="processed by the host",
        on=date(2019, 9, 2),
    )
    app.effect_handover(council_tax, on=d.COUNCIL_TAX_POOLED)
    _consent(app, benefits, date(2019, 11, 4))
    app.effect_handover(benefits, on=d.BENEFITS_POOLED)
    rebasing = app.propose_variation(
        pid,
        by="northmoor",
        changes={"cost_pools": _pools({"northmoor": "40", "eastwold": "35", "westfen": "25"})},
        rationale="council tax caseload moved to Eastwold's share",
        effective=d.REBASED,
        on=date(2020, 2, 3),
    )
    app.state_position(
        pid,
        rebasing,
        party="eastwold",
        position={"cost_pools": _pools({"northmoor": "42", "eastwold": "33", "westfen": "25"})},
        on=date(2020, 2, 10),
    )
    for party in ("northmoor", "eastwold", "westfen"):
        app.approve_variation(
            pid,
            rebasing,
            party=party,
            ref=_ref(party, "CAB/2020/7", date(2020, 3, 2)),
            on=date(2020, 3, 2),
        )
    _arbitrated_dispute(app, pid)
    app.serve_withdrawal_notice(
        pid, party="westfen", ref=_ref("westfen", "CAB/2021/2", d.NOTICE_SERVED), on=d.NOTICE_SERVED
    )
    app.determine_exit_costs(
        pid,
        party="westfen",
        amount=EXIT_COSTS,
        by="northmoor",
        on=date(2021, 6, 1),
        ref=_ref("northmoor", "JC/2021/6", date(2021, 6, 1)),
    )
    app.settle_exit_payment(
        pid,
        party="westfen",
        amount=EXIT_COSTS,
        on=date(2022, 2, 15),
        ref=_ref("westfen", "S151/2022/1", date(2022, 2, 15)),
    )
    app.recall_handover(
        benefits,
        by="westfen",
        reason="benefits processing returns to Westfen",
        ref=_ref("westfen", "CAB/2022/3", d.BENEFITS_RECALLED),
        on=d.BENEFITS_RECALLED,
    )
    app.complete_withdrawal(
        pid, party="westfen", ref=_ref("westfen", "CAB/2022/4", d.WESTFEN_LEFT), on=d.WESTFEN_LEFT
    )
    app.change_stage(
        pid,
        to=Stage.CO_OPERATING,
        by="eastwold",
        rationale="two councils: back office only",
        ref=_ref("eastwold", "JC/2022/1", d.BACK_TO_CO_OPERATING),
        on=d.BACK_TO_CO_OPERATING,
    )
    second = app.raise_dispute(
        pid,
        by="eastwold",
        against=["northmoor"],
        subject="ICT contract renewal",
        on=d.SECOND_DISPUTE,
    )
    app.escalate_dispute(second, by="eastwold", reason="no answer from officers", on=d.LAST_ACT)
    return pid


def _arbitrated_dispute(app: SharedServices, pid: UUID) -> UUID:
    """Westfen disputes the service credits it is owed for a benefits backlog; it climbs every
    rung, through mediation, to an arbiter's determination."""
    d = WoldAndFen
    did = app.raise_dispute(
        pid,
        by="westfen",
        against=["northmoor"],
        subject="benefits backlog service credits",
        on=d.DISPUTE_RAISED,
    )
    app.state_dispute_position(
        did, party="westfen", position={"service credits": Money("150000.00")}, on=d.DISPUTE_RAISED
    )
    app.state_dispute_position(
        did, party="northmoor", position={"service credits": Money("0.00")}, on=date(2020, 5, 18)
    )
    for by, on, reason in (
        ("westfen", date(2020, 6, 1), "officers could not agree"),
        ("northmoor", date(2020, 6, 22), "directors referred it up"),
        ("westfen", date(2020, 7, 13), "chief executives deadlocked"),
        ("westfen", date(2020, 9, 7), "no casting vote in the joint committee"),
    ):
        app.escalate_dispute(did, by=by, reason=reason, on=on)
    app.appoint_mediator(did, mediator=MEDIATOR, by="westfen", on=date(2020, 9, 14))
    app.escalate_dispute(did, by="westfen", reason="mediation failed", on=d.ARBITRATION)
    assert Rung.ARBITRATION == app.dispute(did).rung
    app.determine_dispute(did, arbiter=ARBITER, terms={"service credits": d.AWARD}, on=d.DETERMINED)
    return did


def build_script_partnership(app: SharedServices) -> UUID:
    """A partnership one of whose parties has a name made of markup, to check escaping."""
    return app.form_partnership(
        "Escaping <b>test</b> & co",
        parties=[NORTHMOOR, Party("scripted", SCRIPT_NAME)],
        terms=Terms(cost_pools=(CostPool.equal("ict", ["northmoor", "scripted"]),)),
        on=date(2020, 1, 6),
    )


CROWDED_PARTIES = tuple(
    Party(slug, name)
    for slug, name in (
        ("ashmoor", "Ashmoor and Bridgeford Metropolitan Borough Council"),
        ("bexwold", "Royal Borough of Bexwold upon Thames"),
        ("calder", "Calder Vale District Council"),
        ("dunmere", "Dunmere City Council"),
        ("eastley", "Eastley Borough Council"),
        ("fenwick", "Fenwick and Saltmarsh District Council"),
        ("greystone", "Greystone Town Council"),
        ("holloway", "Holloway Parish Council"),
        ("ivybridge", "Ivybridge County Council"),
    )
)


def build_crowded(app: SharedServices) -> UUID:
    """Nine councils with long names, four variations taking effect days apart, and a
    dispute with a long subject that climbs every rung within a week: a history that tests
    the layout of the timeline, not the domain."""
    ids = [p.id for p in CROWDED_PARTIES]
    start = date(2021, 1, 4)
    pid = app.form_partnership(
        "The Very Long Named Shared Revenues, Benefits and Customer Services Partnership",
        parties=CROWDED_PARTIES,
        terms=Terms(cost_pools=(CostPool.equal("all", ids),), host="ashmoor"),
        on=start,
    )
    for day, sla in ((11, "gold"), (13, "silver"), (15, "bronze"), (18, "tin")):
        vid = app.propose_variation(
            pid, by="ashmoor", changes={"sla": sla}, on=date(2021, 1, day),
            effective=date(2021, 2, day),
        )  # fmt: skip
        for party in ids:
            app.approve_variation(pid, vid, party=party, on=date(2021, 1, day))
    did = app.raise_dispute(
        pid,
        by="calder",
        against=["ashmoor", "bexwold"],
        subject="apportionment of the customer contact centre telephony contract overspend",
        on=date(2021, 3, 1),
    )
    for day in range(2, 7):
        app.escalate_dispute(did, by="calder", on=date(2021, 3, day))
    app.withdraw_dispute(did, by="calder", on=date(2021, 3, 8))
    return pid
