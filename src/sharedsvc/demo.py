"""The demo: the shared ICT service of Camden, Islington and Haringey, 2015-2018.

The dates and decisions follow the public record (see ``DOMAIN.md``: council decision pages and
trade press). Where the record is silent the demo says what it assumed:

* the notice rule is not published; the demo uses six months, aligned to 31 March;
* Haringey's Cabinet approved joining in March 2016, day unknown; the demo uses 15 March;
* the positions the boroughs stated on the variations are illustrative, so that the demo can
  show how concessions are recorded; the decisions themselves are real;
* in January 2018 Islington's Executive agreed to move Islington's and Haringey's ICT into
  Camden, staff transferring under TUPE on 1 April 2018, and the trade unions objected. Unions
  are not parties to the agreement, so the demo records the objection as a dispute Haringey
  raises on the staff side's behalf against Islington's handover, settled at the chief
  executives' rung. Whether the April transfer happened is not known; the demo assumes it did,
  and that the functions stayed pooled until the service ended (the dissolution returns them).
"""

from __future__ import annotations

from datetime import date
from uuid import UUID

from sharedsvc.application import SharedServices
from sharedsvc.domain.transfers import DataRole, StaffArrangement, StaffTransfer
from sharedsvc.domain.values import (
    Basis,
    CostPool,
    DecisionRef,
    Function,
    Governance,
    Money,
    Notice,
    Party,
    Stage,
    Terms,
)

__all__ = ["DEMO_DATES", "build_shared_digital"]

CAMDEN = Party("camden", "London Borough of Camden", kind="london-borough")
ISLINGTON = Party("islington", "London Borough of Islington", kind="london-borough")
HARINGEY = Party("haringey", "London Borough of Haringey", kind="london-borough")

DEMO_DATES = (date(2016, 1, 1), date(2017, 6, 1), date(2018, 11, 1))
"""The dates the demo prints: two boroughs; three, combined; the 'light' model."""


def build_shared_digital(app: SharedServices) -> UUID:
    """Record the Shared Digital history in ``app``; returns the partnership's id."""
    pid = app.form_partnership(
        "Shared Digital",
        parties=[CAMDEN, ISLINGTON],
        terms=Terms(
            cost_pools=(CostPool.equal("ict-and-digital", ["camden", "islington"]),),
            notice=Notice(months=6, aligned_to_year_end=True, year_end=(3, 31)),
            governance=Governance.JOINT_COMMITTEE,
            casting_vote=False,
            host="camden",
        ),
        stage=Stage.CO_OPERATING,
        on=date(2015, 9, 24),
        ref=DecisionRef("Islington Executive", "shared ICT and digital service", date(2015, 9, 24)),
    )

    thirds = CostPool.equal("ict-and-digital", ["camden", "islington", "haringey"])
    joining = app.propose_variation(
        pid,
        by="camden",
        admit=[HARINGEY],
        changes={"cost_pools": (thirds,)},
        rationale="Haringey joins; savings target rises to £6m a year across three boroughs",
        effective=date(2016, 10, 1),
        on=date(2016, 2, 1),
    )
    by_usage = CostPool(
        "ict-and-digital",
        Basis.USAGE,
        {"camden": "38", "islington": "34", "haringey": "28"},
    )
    app.state_position(
        pid, joining, party="haringey", position={"cost_pools": (by_usage,)}, on=date(2016, 2, 1)
    )
    for party, body, subject, when in (
        ("camden", "Camden Cabinet", "shared digital expansion", date(2016, 3, 1)),
        ("haringey", "Haringey Cabinet", "joining Shared Digital", date(2016, 3, 15)),
        ("islington", "Islington Executive", "joint committee terms", date(2016, 8, 22)),
    ):
        app.approve_variation(
            pid, joining, party=party, ref=DecisionRef(body, subject, when), on=when
        )
    app.change_stage(
        pid,
        to=Stage.COMBINING,
        by="camden",
        rationale="three-borough service launches: one integrated staff, open-book, Camden hosts",
        on=date(2016, 10, 1),
    )

    _move_ict_into_camden(app, pid)

    light = app.propose_variation(
        pid,
        by="haringey",
        changes={
            "governance": Governance.LEAD_AUTHORITY,
            "sla": "Camden hosts shared infrastructure under delegation and service levels",
        },
        rationale="the 'light' model: the joint committee ceases; each borough leads its own",
        effective=date(2018, 10, 1),
        on=date(2018, 7, 17),
    )
    app.state_position(
        pid,
        light,
        party="camden",
        position={"governance": Governance.JOINT_COMMITTEE},
        on=date(2018, 7, 17),
    )
    for party, body, day in (
        ("haringey", "Haringey Cabinet", 17),
        ("islington", "Islington Executive", 19),
        ("camden", "Camden Cabinet", 19),
    ):
        app.approve_variation(
            pid,
            light,
            party=party,
            ref=DecisionRef(body, "shared digital light model", date(2018, 7, day)),
            on=date(2018, 7, day),
        )
    app.change_stage(
        pid,
        to=Stage.CO_OPERATING,
        by="camden",
        rationale="back to shared infrastructure only",
        on=date(2018, 10, 1),
    )

    ending = app.propose_variation(
        pid,
        by="camden",
        dissolve=True,
        final_account={p: Money("0") for p in ("camden", "islington", "haringey")},
        rationale="different local priorities; staff return to their home boroughs",
        effective=date(2018, 12, 31),
        on=date(2018, 11, 7),
    )
    for party, body, when in (
        ("camden", "Camden Cabinet", date(2018, 11, 7)),
        ("haringey", "Haringey Cabinet", date(2018, 11, 13)),
        ("islington", "Islington Executive", date(2018, 11, 22)),
    ):
        app.approve_variation(
            pid,
            ending,
            party=party,
            ref=DecisionRef(body, "ending Shared Digital", when),
            on=when,
        )
    return pid


def _move_ict_into_camden(app: SharedServices, pid: UUID) -> None:
    """January-April 2018: Islington's and Haringey's ICT move into Camden under TUPE."""
    agreed = DecisionRef("Islington Executive", "ICT moves into Camden", date(2018, 1, 4))
    handovers = {}
    for party, name, staff in (
        ("islington", "Islington ICT infrastructure and support", 48),
        ("haringey", "Haringey ICT infrastructure and support", 41),
    ):
        handovers[party] = app.propose_handover(
            pid,
            function=Function("ict.infrastructure", name, category="back-office"),
            by=party,
            staff=[StaffTransfer(StaffArrangement.TUPE, staff)],
            assets=["data-centre equipment", "network contracts"],
            data_role=DataRole.HOST_PROCESSOR,
            rationale="one ICT service, employed and run by Camden as host",
            on=date(2018, 1, 4),
            ref=agreed if party == "islington" else None,
        )
    dispute = app.raise_dispute(
        pid,
        by="haringey",
        against=["islington"],
        subject="TUPE transfer of ICT staff",
        act=handovers["islington"],
        defer=True,
        on=date(2018, 1, 10),
    )
    app.state_dispute_position(
        dispute, party="haringey", position={"transfer date": "2018-10-01"}, on=date(2018, 1, 10)
    )
    app.state_dispute_position(
        dispute, party="islington", position={"transfer date": "2018-04-01"}, on=date(2018, 1, 11)
    )
    app.escalate_dispute(
        dispute, by="haringey", reason="officers could not agree", on=date(2018, 1, 24)
    )
    app.escalate_dispute(
        dispute, by="islington", reason="directors referred it", on=date(2018, 2, 7)
    )
    terms = {"transfer date": "2018-04-01", "consultation": "extended by four weeks"}
    app.propose_settlement(dispute, by="islington", terms=terms, on=date(2018, 2, 14))
    for party in ("islington", "haringey"):
        app.accept_settlement(dispute, party=party, on=date(2018, 2, 15))
    for handover in handovers.values():
        for consenting in ("camden", "islington", "haringey"):
            app.consent_to_handover(
                handover,
                party=consenting,
                ref=agreed if consenting == "islington" else None,
                on=date(2018, 2, 20),
            )
        app.effect_handover(handover, on=date(2018, 4, 1), by="camden")
