"""The world the hostile battery attacks: one partnership with something open for every act of
the catalogue, and for each act a command that the world accepts as it stands (its baseline),
into which the battery puts hostile values.

Nothing here is a test.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

import attrs

from sharedsvc import (
    Basis,
    CostPool,
    DecisionRef,
    Function,
    Money,
    Notice,
    Party,
    Rung,
    SharedServiceError,
    SharedServices,
    Stage,
    Terms,
)
from sharedsvc.acts import CATALOGUE
from sharedsvc.domain.transfers import DataRole, StaffArrangement, StaffTransfer

__all__ = ["DAY", "PARTIES", "TALLY", "World", "build_world", "check_baselines"]

CAMDEN = Party("camden", "London Borough of Camden", kind="london-borough")
ISLINGTON = Party("islington", "London Borough of Islington", kind="london-borough")
HARINGEY = Party("haringey", "London Borough of Haringey", kind="london-borough")
PARTIES = (CAMDEN, ISLINGTON, HARINGEY)

FORMED = date(2015, 1, 5)
SETUP = date(2015, 6, 1)
DAY = date(2016, 1, 4)
"""The legal date of every baseline command: after everything the world holds."""

DESK = Function("ict.service-desk", "ICT service desk", "back-office")
PAYROLL = Function("payroll", "Payroll", "back-office")
PRINT = Function("print-room", "Print room", "back-office")
LEGAL = Function("legal", "Legal services", "back-office")


def _ref(reference: str) -> DecisionRef:
    return DecisionRef("Joint Committee", reference, SETUP)


@attrs.frozen
class World:
    """An application holding the world, and the ids of what its baselines act on."""

    app: SharedServices
    pid: UUID
    vid: UUID
    proposed: UUID
    consented: UUID
    effected: UUID
    officers: UUID
    mediation: UUID
    arbitration: UUID
    target: UUID

    def position(self) -> int:
        """The store's notification count: a refused command leaves it as it was."""
        return self.app.recorder.max_notification_id() or 0

    def baselines(self) -> Mapping[str, dict[str, Any]]:
        """For each verb of the catalogue, keyword arguments the world accepts."""
        terms = Terms(cost_pools=(CostPool.equal("core", ["camden", "islington"]),))
        on, pid = {"on": DAY}, self.pid
        found: dict[str, dict[str, Any]] = {
            "form_partnership": {
                "name": "Second partnership", "parties": [CAMDEN, ISLINGTON], "terms": terms,
                "stage": Stage.CO_OPERATING, "ref": _ref("JC/1"), "policy": None, **on,
            },
            "propose_variation": {
                "pid": pid, "by": "camden", "changes": {"sla": "Four-hour response"},
                "admit": [], "dissolve": False, "final_account": None,
                "rationale": "faster support", "effective": None, "ref": None, **on,
            },
            "state_position": {
                "pid": pid, "vid": self.vid, "party": "islington",
                "position": {"sla": "Two-hour response"}, "by": None, **on,
            },
            "approve_variation": {
                "pid": pid, "vid": self.vid, "party": "haringey", "ref": _ref("JC/2"),
                "by": None, **on,
            },
            "reject_variation": {
                "pid": pid, "vid": self.vid, "party": "haringey", "reason": "too costly",
                "ref": None, "by": None, **on,
            },
            "change_stage": {
                "pid": pid, "to": Stage.COORDINATING, "by": "camden", "rationale": "closer",
                "ref": None, **on,
            },
            "serve_withdrawal_notice": {
                "pid": pid, "party": "haringey", "ref": None, "by": None, **on,
            },
            "retract_withdrawal_notice": {
                "pid": pid, "party": "islington", "ref": None, "by": None, **on,
            },
            "determine_exit_costs": {
                "pid": pid, "party": "islington", "amount": Money(Decimal("1200.50")),
                "by": "camden", "ref": None, **on,
            },
            "settle_exit_payment": {
                "pid": pid, "party": "islington", "amount": Money(Decimal("1000")),
                "ref": None, "by": None, **on,
            },
            "complete_withdrawal": {
                "pid": pid, "party": "islington", "ref": None, "by": None, **on,
            },
            "note": {
                "pid": pid, "kind": "minute", "text": "Met at the town hall.", "party": None,
                "by": "camden", "ref": None, **on,
            },
            "assess_readiness": {
                "pid": pid, "party": "haringey", "scores": {"trust": 3, "communication": 2},
                "by": "camden", "ref": None, **on,
            },
            "set_target": {
                "pid": pid, "kind": "savings", "amount": Money(Decimal("250000")),
                "due": date(2017, 3, 31), "by": "camden", "ref": _ref("JC/4"),
                "party": "haringey", **on,
            },
            "record_outcome": {
                "pid": pid, "target": self.target, "amount": Money(Decimal("260000.50")),
                "by": "haringey", "ref": None, **on,
            },
            "set_budget": {
                "pid": pid, "pool": "core", "year": 2015, "amount": Money(Decimal("90000")),
                "by": "camden", "ref": None, **on,
            },
            "record_usage": {
                "pid": pid, "pool": "casework", "year": 2015,
                "usage": {"camden": 410, "islington": 120, "haringey": 0},
                "by": "camden", "ref": None, **on,
            },
            "propose_handover": {
                "pid": pid, "function": LEGAL, "by": "haringey",
                "staff": [StaffTransfer(StaffArrangement.S113, 3)], "assets": ["case files"],
                "data_role": DataRole.JOINT_CONTROLLERS, "rationale": "one legal team",
                "ref": None, **on,
            },
            "consent_to_handover": {
                "hid": self.proposed, "party": "camden", "ref": _ref("JC/3"), "by": None, **on,
            },
            "withhold_consent": {
                "hid": self.proposed, "party": "camden", "reason": "not yet", "ref": None,
                "by": None, **on,
            },
            "withdraw_handover": {
                "hid": self.proposed, "by": "islington", "reason": "changed plans", **on,
            },
            "effect_handover": {"hid": self.consented, "by": None, "ref": None, **on},
            "recall_handover": {
                "hid": self.effected, "by": "camden", "reason": "brought back", "ref": None,
                **on,
            },
            "raise_dispute": {
                "pid": pid, "by": "haringey", "against": ["camden"], "subject": "charges",
                "act": None, "defer": False, **on,
            },
            "state_dispute_position": {
                "did": self.officers, "party": "islington",
                "position": {"charge": "5%", "cap": Decimal("1000.00")}, "by": None, **on,
            },
            "escalate_dispute": {
                "did": self.officers, "by": "islington", "reason": "stuck", "to": None, **on,
            },
            "appoint_mediator": {
                "did": self.mediation, "mediator": "A. Mediator", "by": "islington", **on,
            },
            "propose_settlement": {
                "did": self.officers, "by": "camden", "terms": {"charge": "7.5%"}, **on,
            },
            "accept_settlement": {"did": self.officers, "party": "islington", "by": None, **on},
            "determine_dispute": {
                "did": self.arbitration, "arbiter": "An Arbiter",
                "terms": {"charge": "6%", "review": SETUP}, **on,
            },
            "withdraw_dispute": {"did": self.officers, "by": "islington", "reason": "agreed", **on},
            "succeed": {
                "pid": pid, "party": "haringey",
                "successors": [Party("north-haringey", "North Haringey Council"),
                               Party("south-haringey", "South Haringey Council")],
                "split": {"north-haringey": Decimal(2), "south-haringey": Decimal(1)},
                "ref": _ref("SCO/1"), **on,
            },
        }  # fmt: skip
        missing = set(CATALOGUE) - set(found)
        assert not missing, f"the hostile battery has no baseline for {sorted(missing)}"
        return found


def build_world(app: SharedServices | None = None) -> World:
    """Record the world in ``app`` (a new in-memory application by default)."""
    app = SharedServices.in_memory() if app is None else app
    on = {"on": SETUP}
    pid = app.form_partnership(
        "Hostile Shared Services",
        parties=list(PARTIES),
        terms=Terms(
            cost_pools=(
                CostPool.equal("core", ["camden", "islington", "haringey"]),
                CostPool(
                    "casework",
                    Basis.USAGE,
                    {"camden": Decimal(50), "islington": Decimal(30), "haringey": Decimal(20)},
                ),
            ),
            notice=Notice(months=0, aligned_to_year_end=False),
            host="camden",
        ),
        stage=Stage.CO_OPERATING,
        on=FORMED,
    )
    vid = app.propose_variation(pid, by="camden", changes={"sla": "Next-day response"}, **on)
    proposed = app.propose_handover(pid, function=DESK, by="islington", **on)
    consented = app.propose_handover(pid, function=PAYROLL, by="haringey", **on)
    effected = app.propose_handover(pid, function=PRINT, by="camden", **on)
    for hid in (consented, effected):
        for party in ("camden", "islington", "haringey"):
            app.consent_to_handover(hid, party=party, **on)
    app.effect_handover(effected, **on)
    officers = app.raise_dispute(pid, by="islington", against=["camden"], subject="fees", **on)
    app.propose_settlement(officers, by="islington", terms={"charge": "5%"}, **on)
    mediation = app.raise_dispute(pid, by="islington", against=["camden"], subject="staff", **on)
    arbitration = app.raise_dispute(pid, by="islington", against=["camden"], subject="data", **on)
    for did in (mediation, arbitration):
        rung = Rung.OFFICERS
        while rung is not (Rung.MEDIATION if did == mediation else Rung.ARBITRATION):
            rung = app.escalate_dispute(did, by="islington", **on)
    app.serve_withdrawal_notice(pid, party="islington", **on)
    app.determine_exit_costs(
        pid, party="islington", amount=Money(Decimal("1000")), by="camden", **on
    )
    target = app.set_target(
        pid, kind="savings", amount=Money(Decimal("250000")), due=date(2016, 3, 31), by="camden",
        **on,
    )  # fmt: skip
    return World(
        app, pid, vid, proposed, consented, effected, officers, mediation, arbitration, target
    )


def check_baselines() -> list[str]:
    """The verbs whose baseline, taken alone on a fresh world, is refused (a self-check)."""
    refused = []
    for verb in CATALOGUE:
        world = build_world()
        try:
            getattr(world.app, verb)(**world.baselines()[verb])
        except SharedServiceError as error:
            refused.append(f"{verb}: {error}")
    return refused


TALLY: Counter[str] = Counter()
"""How many hostile commands, queries and scenario files the battery tried in this run, and
how many of each were refused or accepted (``tests/hostile/conftest.py`` prints it)."""
