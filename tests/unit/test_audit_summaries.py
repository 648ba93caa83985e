"""The audit trail's lines, event by event, on the aggregates themselves, with no store.

One history, recorded through the aggregates' commands in the order the application saves them,
holds every kind of event the three aggregates record. A :class:`Narrator` reads it as the
audit trail reads the log, and each line is checked: who acted, on whose authority, what it says.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from datetime import UTC, date, datetime
from decimal import Decimal
from types import ModuleType
from typing import Any
from uuid import UUID

import pytest
from councils import CAMDEN, HARINGEY, ISLINGTON
from eventsourcing.domain import Aggregate

from sharedsvc import (
    Basis,
    CostPool,
    DecisionRef,
    Dispute,
    Function,
    Money,
    Notice,
    Partnership,
    Party,
    Rung,
    SovereigntyHandover,
    StaffArrangement,
    StaffTransfer,
    Stage,
    Terms,
)
from sharedsvc.domain import dated
from sharedsvc.domain.dated import DatedEvent
from sharedsvc.domain.dispute import events as dispute
from sharedsvc.domain.handover import events as handover
from sharedsvc.domain.partnership import events as partnership_events
from sharedsvc.domain.transfers import DataRole
from sharedsvc.projections import audit_summaries
from sharedsvc.projections.audit import AuditEntry
from sharedsvc.projections.audit_narrator import (
    NEEDS_AUTHORITY,
    Described,
    Narrator,
    needs_authority,
)
from sharedsvc.projections.audit_summaries import summarised_event_types
from sharedsvc.projections.audit_values import joined, summarise_money, summarise_value
from sharedsvc.reports.text import render_audit_trail

SERVICE_DESK = Function("ict.service-desk", "ICT service desk", category="back-office")
COUNCIL_TAX = Function("revenues.council-tax", "Council tax collection", category="back-office")
ARBITER = "The Chartered Institute of Arbitrators"


def cabinet(party: Party, reference: str, on: date) -> DecisionRef:
    return DecisionRef(f"{party.id.title()} Cabinet", reference, on)


# --- every event class of the three aggregates ------------------------------------------------


def _event_classes_of(holder: type | ModuleType) -> set[type]:
    """The event classes ``holder`` (an aggregate class or an events module) declares that are
    ever triggered: those with a topic of their own, except the ``Created`` bases that the
    concrete creation events (``Formed``, ``Proposed``, ``Raised``) extend."""
    found = set()
    for _, member in inspect.getmembers(holder, inspect.isclass):
        if (
            issubclass(member, DatedEvent)
            and "TOPIC" in vars(member)
            and member.__name__ != "Created"
        ):
            found.add(member)
    return found


def _subclasses(kind: type) -> Iterator[type]:
    for sub in kind.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def every_event_class() -> set[type]:
    """Every event class of sharedsvc's aggregates, found three ways: on the aggregate classes,
    in the events modules, and among every subclass of the events' base class."""
    classes: set[type] = set()
    for holder in (Partnership, SovereigntyHandover, Dispute, partnership_events):
        classes |= _event_classes_of(holder)
    for module in (handover, dispute, dated):
        classes |= _event_classes_of(module)
    classes |= {
        sub
        for sub in _subclasses(DatedEvent)
        if sub.__module__.startswith("sharedsvc.")
        and "TOPIC" in vars(sub)
        and sub.__name__ != "Created"
    }
    return classes


def test_every_event_class_of_the_three_aggregates_has_a_summary_of_its_own() -> None:
    classes = every_event_class()
    assert len(classes) >= 34, sorted(c.__qualname__ for c in classes)
    assert {
        partnership_events.VariationAdopted,
        Dispute.Determined,
        SovereigntyHandover.Effected,
    } <= (classes)
    missing = sorted(c.__qualname__ for c in classes - summarised_event_types())
    assert [] == missing, f"add a summary for {missing} in sharedsvc.projections.audit_summaries"


def test_the_events_that_need_authority_are_events_of_the_aggregates() -> None:
    assert NEEDS_AUTHORITY <= every_event_class()
    assert all(issubclass(kind, Aggregate.Event) for kind in summarised_event_types())


# --- one history with every kind of event -----------------------------------------------------


class History:
    """Runs commands on the aggregates and keeps their events in the order the application
    saves them (the aggregate acted on first, then the partnership)."""

    def __init__(self) -> None:
        self.events: list[Any] = []

    def save(self, *aggregates: Aggregate) -> None:
        for aggregate in aggregates:
            self.events += aggregate.collect_events()


def record_every_kind_of_event() -> tuple[list[Any], dict[str, UUID]]:
    """Camden and Islington form a service that Haringey joins; a function is handed over and
    later recalled; three disputes end in a settlement, a determination and a withdrawal;
    Islington leaves, paying its exit costs; the two others dissolve the partnership."""
    h, ids = History(), {}
    p = Partnership.form(
        "Shared Digital",
        parties=[CAMDEN, ISLINGTON],
        terms=Terms(
            cost_pools=(CostPool.equal("ict", [CAMDEN, ISLINGTON]),),
            host="camden",
            notice=Notice(months=6),
        ),
        stage=Stage.CO_OPERATING,
        on=date(2015, 9, 24),
        ref=cabinet(CAMDEN, "CAB/2015/09", date(2015, 9, 24)),
    )
    ids["partnership"] = p.id
    h.save(p)
    joining = p.propose_variation(
        by="camden",
        changes={"cost_pools": (CostPool.equal("ict", [CAMDEN, ISLINGTON, HARINGEY]),)},
        admit=[HARINGEY],
        rationale="Haringey joins",
        effective=date(2016, 10, 1),
        on=date(2016, 2, 1),
    )
    ids["joining"] = joining
    p.state_position(
        joining, party="haringey", position={"notice": Notice(months=12)}, on=date(2016, 3, 15)
    )
    p.approve_variation(
        joining,
        party="camden",
        on=date(2016, 3, 20),
        ref=cabinet(CAMDEN, "CAB/2016/03", date(2016, 3, 1)),
    )
    p.approve_variation(
        joining,
        party="islington",
        on=date(2016, 6, 1),
        ref=cabinet(ISLINGTON, "EXE/2016/04", date(2016, 6, 1)),
    )
    p.approve_variation(
        joining,
        party="haringey",
        on=date(2016, 8, 22),
        ref=cabinet(HARINGEY, "LDR/2016/08", date(2016, 8, 22)),
    )
    ids["rejected"] = p.propose_variation(
        by="islington", changes={"sla": "99.9% availability"}, on=date(2016, 9, 1)
    )
    p.reject_variation(ids["rejected"], party="camden", reason="too costly", on=date(2016, 9, 5))
    p.change_stage(
        to=Stage.COLLABORATING,
        by="camden",
        rationale="the three-borough service launches",
        on=date(2016, 10, 1),
    )
    h.save(p)

    desk = SovereigntyHandover.propose(
        p,
        function=SERVICE_DESK,
        by="islington",
        staff=[StaffTransfer(StaffArrangement.S113, 5)],
        assets=["service desk software"],
        data_role=DataRole.JOINT_CONTROLLERS,
        rationale="one service desk for three boroughs",
        on=date(2017, 1, 9),
        ref=cabinet(ISLINGTON, "EXE/2017/01", date(2017, 1, 9)),
    )
    ids["desk"] = desk.id
    desk.consent(
        p,
        party="camden",
        on=date(2017, 1, 10),
        ref=cabinet(CAMDEN, "CAB/2017/01", date(2017, 1, 10)),
    )
    desk.withhold_consent(p, party="haringey", reason="costs not agreed", on=date(2017, 1, 11))
    desk.consent(
        p,
        party="haringey",
        on=date(2017, 1, 20),
        ref=cabinet(HARINGEY, "LDR/2017/01", date(2017, 1, 20)),
    )
    desk.consent(
        p,
        party="islington",
        on=date(2017, 1, 20),
        ref=cabinet(ISLINGTON, "EXE/2017/02", date(2017, 1, 20)),
    )
    h.save(desk)
    desk.effect(p, on=date(2017, 2, 1))
    h.save(desk, p)
    tax = SovereigntyHandover.propose(p, function=COUNCIL_TAX, by="haringey", on=date(2017, 2, 6))
    tax.withdraw(p, by="haringey", reason="not ready", on=date(2017, 2, 7))
    ids["tax"] = tax.id
    h.save(tax)

    ids["sla"] = p.propose_variation(
        by="camden", changes={"sla": "99.5% availability"}, on=date(2017, 3, 1)
    )
    h.save(p)
    settled = Dispute.raise_(
        p, by="islington", against=["camden"], subject="service levels", act=ids["sla"],
        defer=True, on=date(2017, 3, 2),
    )  # fmt: skip
    ids["settled"] = settled.id
    h.save(settled, p)
    settled.state_position(
        party="islington", position={"availability": "99.9%"}, on=date(2017, 3, 3)
    )
    settled.state_position(party="camden", position={"availability": "99.5%"}, on=date(2017, 3, 3))
    settled.escalate(by="islington", reason="officers could not agree", on=date(2017, 3, 10))
    settled.propose_settlement(by="camden", terms={"availability": "99.7%"}, on=date(2017, 3, 20))
    settled.accept_settlement(party="islington", on=date(2017, 3, 21))
    settled.accept_settlement(party="camden", on=date(2017, 3, 21))
    p.release_act(act=ids["sla"], dispute_id=settled.id, on=date(2017, 3, 21))
    h.save(settled, p)

    arbitrated = Dispute.raise_(
        p, by="haringey", against=["camden"], subject="recharges for 2016/17", on=date(2017, 4, 3)
    )
    ids["arbitrated"] = arbitrated.id
    arbitrated.state_position(
        party="haringey", position={"recharge": Money("100000")}, on=date(2017, 4, 3)
    )
    while arbitrated.rung is not Rung.MEDIATION:
        arbitrated.escalate(by="haringey", on=date(2017, 4, 10))
    arbitrated.appoint_mediator(mediator="CEDR", by="camden", on=date(2017, 5, 2))
    arbitrated.escalate(by="haringey", reason="mediation failed", on=date(2017, 6, 1))
    arbitrated.determine(arbiter=ARBITER, terms={"recharge": Money("80000")}, on=date(2017, 7, 3))
    withdrawn = Dispute.raise_(
        p, by="camden", against=["islington"], subject="data sharing", on=date(2017, 7, 10)
    )
    ids["withdrawn"] = withdrawn.id
    withdrawn.withdraw(by="camden", reason="resolved informally", on=date(2017, 7, 11))
    h.save(arbitrated, withdrawn)

    desk.recall(
        p, by="islington", reason="back in-house", on=date(2017, 8, 1),
        ref=cabinet(ISLINGTON, "EXE/2017/08", date(2017, 8, 1)),
    )  # fmt: skip
    h.save(desk, p)
    p.serve_withdrawal_notice(party="islington", on=date(2017, 9, 1))
    p.retract_withdrawal_notice(party="islington", on=date(2017, 9, 15))
    p.serve_withdrawal_notice(
        party="islington",
        on=date(2017, 10, 2),
        ref=cabinet(ISLINGTON, "EXE/2017/10", date(2017, 10, 2)),
    )
    p.determine_exit_costs(
        party="islington", amount=Money("125000"), by="camden", on=date(2018, 1, 15),
        ref=cabinet(CAMDEN, "CAB/2018/01", date(2018, 1, 15)),
    )  # fmt: skip
    p.settle_exit_payment(
        party="islington", amount=Money("125000"), on=date(2018, 2, 1),
        ref=cabinet(ISLINGTON, "EXE/2018/02", date(2018, 2, 1)),
    )  # fmt: skip
    p.complete_withdrawal(
        party="islington",
        on=date(2019, 3, 31),
        ref=cabinet(ISLINGTON, "EXE/2019/03", date(2019, 3, 31)),
    )
    ids["ending"] = p.propose_variation(
        by="camden",
        dissolve=True,
        final_account={"camden": Money("-1500"), "haringey": Money("1500")},
        on=date(2019, 4, 1),
    )
    for party in ("camden", "haringey"):
        p.approve_variation(
            ids["ending"],
            party=party,
            on=date(2019, 4, 15),
            ref=cabinet(Party(party, party), "END", date(2019, 4, 15)),
        )
    p.note(
        kind="audit", text="Final accounts signed off", party="haringey", by="camden",
        on=date(2019, 6, 28),
    )  # fmt: skip
    h.save(p)
    return h.events, ids


@pytest.fixture(scope="module")
def history() -> tuple[list[Any], dict[str, UUID]]:
    return record_every_kind_of_event()


@pytest.fixture(scope="module")
def lines(history: tuple[list[Any], dict[str, UUID]]) -> list[tuple[str, Described]]:
    events, ids = history
    narrator = Narrator(ids["partnership"])
    told = []
    for event in events:
        assert narrator.follows(event), event
        told.append((type(event).__name__, narrator.describe(event)))
    return told


NORTH = Party("north-cumbria", "North Cumbria Council")
SOUTH = Party("south-cumbria", "South Cumbria Council")
CUMBRIA = Party("cumbria", "Cumbria County Council")


def record_a_succession() -> tuple[list[Any], dict[str, UUID]]:
    """Cumbria, in a service with Camden, consents to a handover and raises a dispute, and is
    succeeded on its vesting day by two councils, which take its place in both."""
    h, ids = History(), {}
    p = Partnership.form(
        "Fell and Borough",
        parties=[CUMBRIA, CAMDEN],
        terms=Terms(cost_pools=(CostPool.equal("ict", [CUMBRIA, CAMDEN]),), host="cumbria"),
        stage=Stage.CO_OPERATING,
        on=date(2019, 4, 1),
    )
    ids["partnership"] = p.id
    h.save(p)
    p.assess_readiness(
        party="cumbria", scores={"trust": 3, "power-sharing": 2}, on=date(2020, 5, 1)
    )
    p.assess_readiness(party="cumbria", scores={"trust": 4}, by="camden", on=date(2020, 5, 1))
    ids["savings"] = p.set_target(
        kind="savings", amount=Money("6000000"), due=date(2021, 3, 31), by="camden",
        on=date(2020, 5, 1), party="cumbria",
    )  # fmt: skip
    p.record_outcome(
        target=ids["savings"], amount=Money("6200000"), by="cumbria", on=date(2021, 3, 31)
    )
    h.save(p)
    desk = SovereigntyHandover.propose(p, function=SERVICE_DESK, by="camden", on=date(2022, 1, 4))
    desk.consent(p, party="cumbria", on=date(2022, 1, 5))
    ids["desk"] = desk.id
    h.save(desk)
    fees = Dispute.raise_(p, by="cumbria", against=["camden"], subject="fees", on=date(2022, 2, 1))
    ids["fees"] = fees.id
    h.save(fees)
    order = DecisionRef("Parliament", "SI 2022/331", date(2022, 3, 17))
    p.succeed(party="cumbria", successors=[NORTH, SOUTH], on=date(2023, 4, 1), ref=order)
    for other in (desk, fees):
        other.succeed(
            predecessor="cumbria", successors=("north-cumbria", "south-cumbria"),
            on=date(2023, 4, 1), ref=order,
        )  # fmt: skip
    h.save(p, desk, fees)
    return h.events, ids


def test_the_history_holds_every_kind_of_event(
    history: tuple[list[Any], dict[str, UUID]],
) -> None:
    succession, money = record_a_succession()[0], record_money()[0]
    assert every_event_class() == {type(event) for event in (*history[0], *succession, *money)}


def test_a_succession_says_who_succeeded_whom_and_how_shares_were_divided() -> None:
    events, ids = record_a_succession()
    narrator = Narrator(ids["partnership"])
    told = [narrator.describe(event) for event in events if narrator.follows(event)]
    assert [
        ("partnership", None, "SI 2022/331"),
        ("handover", None, "SI 2022/331"),
        ("dispute", None, "SI 2022/331"),
    ] == [(said.aggregate, said.actor, said.ref and said.ref.reference) for said in told[-3:]]
    assert told[-3].summary == (
        "Cumbria County Council succeeded by North Cumbria Council and South Cumbria Council "
        "(vesting day 2023-04-01); its shares divided by weight (North Cumbria Council 1, "
        "South Cumbria Council 1): ict (fixed shares: north-cumbria 25%, south-cumbria 25%, "
        "camden 50%) (Parliament, SI 2022/331, decided 2022-03-17)"
    )
    assert "counts for its successors North Cumbria Council and South Cumbria Council" in (
        told[-2].summary
    )
    assert "took Cumbria County Council's place in dispute" in told[-1].summary
    assert not told[-3].unreferenced


def record_money() -> tuple[list[Any], dict[str, UUID]]:
    """Camden and Islington set the budgets of an equal pool and of a pool divided by usage,
    set one again, and record the usage."""
    h = History()
    p = Partnership.form(
        "Shared Legal",
        parties=[CAMDEN, ISLINGTON],
        terms=Terms(
            cost_pools=(
                CostPool.equal("ict", [CAMDEN, ISLINGTON]),
                CostPool("legal", Basis.USAGE, {"camden": 60, "islington": 40}),
            )
        ),
        stage=Stage.CO_OPERATING,
        on=date(2023, 4, 1),
    )
    p.set_budget(
        pool="ict", year=2024, amount=Money("1200000"), by="camden", on=date(2024, 2, 1),
        ref=cabinet(CAMDEN, "JC/2024/02", date(2024, 2, 1)),
    )  # fmt: skip
    p.set_budget(pool="legal", year=2024, amount=Money("300000.50"), by="camden",
                 on=date(2024, 2, 1))  # fmt: skip
    p.record_usage(
        pool="legal", year=2024, usage={"camden": 410, "islington": Decimal("95.5")},
        by="islington", on=date(2025, 4, 30),
    )  # fmt: skip
    h.save(p)
    return h.events, {"partnership": p.id}


def test_budgets_and_usage_read_with_pool_year_amount_and_quantities() -> None:
    events, ids = record_money()
    narrator = Narrator(ids["partnership"])
    told = [narrator.describe(event) for event in events if narrator.follows(event)][1:]
    assert [
        ("camden", "London Borough of Camden set the budget of ict for the financial year 2024: "
         "£1,200,000.00 (Camden Cabinet, JC/2024/02)", False),
        ("camden", "London Borough of Camden set the budget of legal for the financial year "
         "2024: £300,000.50 [no decision reference]", True),
        ("islington", "London Borough of Islington recorded the usage of legal in the "
         "financial year 2024: London Borough of Camden 410, London Borough of Islington "
         "95.5", False),
    ] == [(said.actor, said.summary, said.unreferenced) for said in told]  # fmt: skip


def test_readiness_targets_and_outcomes_read_with_their_scores_amounts_and_dates() -> None:
    events, ids = record_a_succession()
    narrator = Narrator(ids["partnership"])
    told = [narrator.describe(event) for event in events if narrator.follows(event)][1:5]
    short = ids["savings"].hex[:8]
    assert [
        ("cumbria", "Cumbria County Council assessed its readiness: trust 3, power-sharing 2 "
         "(overall 2.5)"),
        ("camden", "London Borough of Camden assessed Cumbria County Council's readiness: "
         "trust 4 (overall 4.0)"),
        ("camden", f"London Borough of Camden set target {short}: savings of £6,000,000.00 for "
         "Cumbria County Council by 2021-03-31 [no decision reference]"),
        ("cumbria", "Cumbria County Council recorded an outcome of £6,200,000.00 against "
         f"target {short}"),
    ] == [(said.actor, said.summary) for said in told]  # fmt: skip


def test_each_event_has_its_actor(lines: list[tuple[str, Described]]) -> None:
    expected = [
        ("Formed", None),
        ("VariationProposed", "camden"),
        ("PositionStated", "haringey"),
        ("VariationApproved", "camden"),
        ("VariationApproved", "islington"),
        ("VariationApproved", "haringey"),
        ("VariationAdopted", None),
        ("PartyAdmitted", None),
        ("VariationProposed", "islington"),
        ("VariationRejected", "camden"),
        ("StageChanged", "camden"),
        ("Proposed", "islington"),
        ("ConsentGiven", "camden"),
        ("ConsentWithheld", "haringey"),
        ("ConsentGiven", "haringey"),
        ("ConsentGiven", "islington"),
        ("Effected", "camden"),
        ("FunctionPooled", "camden"),
        ("Proposed", "haringey"),
        ("Withdrawn", "haringey"),
        ("VariationProposed", "camden"),
        ("Raised", "islington"),
        ("DecisionDeferred", "islington"),
        ("ActDeferred", "islington"),
        ("PositionStated", "islington"),
        ("PositionStated", "camden"),
        ("Escalated", "islington"),
        ("SettlementProposed", "camden"),
        ("SettlementAccepted", "islington"),
        ("SettlementAccepted", "camden"),
        ("Settled", None),
        ("ActReleased", None),
        ("Raised", "haringey"),
        ("PositionStated", "haringey"),
        ("Escalated", "haringey"),
        ("Escalated", "haringey"),
        ("Escalated", "haringey"),
        ("Escalated", "haringey"),
        ("MediatorAppointed", "camden"),
        ("Escalated", "haringey"),
        ("Determined", ARBITER),
        ("Raised", "camden"),
        ("Withdrawn", "camden"),
        ("Recalled", "islington"),
        ("FunctionReturned", "islington"),
        ("WithdrawalNoticeServed", "islington"),
        ("WithdrawalNoticeRetracted", "islington"),
        ("WithdrawalNoticeServed", "islington"),
        ("ExitCostsDetermined", "camden"),
        ("ExitPaymentSettled", "islington"),
        ("PartyWithdrew", "islington"),
        ("VariationProposed", "camden"),
        ("VariationApproved", "camden"),
        ("VariationApproved", "haringey"),
        ("VariationAdopted", None),
        ("Dissolved", None),
        ("NoteRecorded", "camden"),
    ]
    assert expected == [(name, said.actor) for name, said in lines]


def test_each_event_says_whose_it_is(
    lines: list[tuple[str, Described]], history: tuple[list[Any], dict[str, UUID]]
) -> None:
    events, ids = history
    kinds = {ids["desk"]: "handover", ids["tax"]: "handover"}
    kinds |= dict.fromkeys((ids["settled"], ids["arbitrated"], ids["withdrawn"]), "dispute")
    expected = [kinds.get(event.originator_id, "partnership") for event in events]
    assert expected == [said.aggregate for _, said in lines]
    assert 9 == expected.count("handover")


def test_only_acts_that_normally_carry_authority_are_marked_when_they_have_none(
    lines: list[tuple[str, Described]],
) -> None:
    marked = [(name, said.actor) for name, said in lines if said.unreferenced]
    assert [
        ("VariationRejected", "camden"),
        ("StageChanged", "camden"),
        ("ConsentWithheld", "haringey"),
        ("WithdrawalNoticeServed", "islington"),
        ("WithdrawalNoticeRetracted", "islington"),
    ] == marked
    for _, said in lines:
        assert said.unreferenced == said.summary.endswith(" [no decision reference]")
        assert not (said.unreferenced and said.ref is not None)


def test_a_recall_on_dissolution_is_not_marked_for_want_of_a_reference(
    history: tuple[list[Any], dict[str, UUID]],
) -> None:
    recall = next(e for e in history[0] if isinstance(e, SovereigntyHandover.Recalled))
    assert needs_authority(recall)
    on_dissolution = SovereigntyHandover.Recalled(
        originator_id=recall.originator_id,
        originator_version=recall.originator_version,
        timestamp=recall.timestamp,
        by=None,
        reason="the partnership is dissolved",
        ref=None,
        on=recall.on,
    )
    assert not needs_authority(on_dissolution)


def test_each_line_is_one_line_that_starts_with_a_capital(
    lines: list[tuple[str, Described]],
) -> None:
    for name, said in lines:
        assert said.summary.strip() == said.summary, name
        assert "\n" not in said.summary, name
        assert said.summary[0].isupper(), said.summary


def summary_of(lines: list[tuple[str, Described]], name: str, index: int = 0) -> str:
    return [said.summary for event, said in lines if event == name][index]


def test_summaries_of_the_partnership_name_parties_amounts_and_authority(
    lines: list[tuple[str, Described]], history: tuple[list[Any], dict[str, UUID]]
) -> None:
    ids = history[1]
    joining, rejected, ending = (ids[k].hex[:8] for k in ("joining", "rejected", "ending"))
    assert (
        "London Borough of Camden and London Borough of Islington formed Shared Digital at the "
        "co-operating stage, hosted by London Borough of Camden; cost pools ict (equal shares: "
        "camden 50%, islington 50%) (Camden Cabinet, CAB/2015/09)"
    ) == summary_of(lines, "Formed")
    assert (
        f"London Borough of Camden proposed variation {joining}: cost pools to ict (equal shares: "
        "camden 33.34%, islington 33.33%, haringey 33.33%); admit London Borough of Haringey, "
        "effective 2016-10-01 — Haringey joins"
    ) == summary_of(lines, "VariationProposed")
    assert (
        f"London Borough of Haringey stated its position on variation {joining}: wants notice: "
        "12 months' notice, to the next 31 March"
    ) == summary_of(lines, "PositionStated")
    assert (
        f"London Borough of Camden approved variation {joining} (Camden Cabinet, CAB/2016/03, "
        "decided 2016-03-01)"
    ) == summary_of(lines, "VariationApproved")
    assert (
        f"London Borough of Islington approved variation {joining} (Islington Cabinet, EXE/2016/04)"
    ) == summary_of(lines, "VariationApproved", 1)
    assert (
        f"Variation {joining} adopted with the approval of London Borough of Camden, London "
        "Borough of Islington and London Borough of Haringey, effective 2016-10-01; London "
        "Borough of Haringey conceded notice"
    ) == summary_of(lines, "VariationAdopted")
    assert (
        f"London Borough of Haringey admitted as a party by variation {joining}, effective "
        "2016-10-01"
    ) == summary_of(lines, "PartyAdmitted")
    assert (
        f"London Borough of Camden rejected variation {rejected}: too costly "
        "[no decision reference]"
    ) == summary_of(lines, "VariationRejected")
    assert (
        "London Borough of Camden moved the partnership forward from co-operating to "
        "collaborating: the three-borough service launches [no decision reference]"
    ) == summary_of(lines, "StageChanged")
    assert (
        "London Borough of Islington served notice to withdraw, effective 2018-03-31 "
        "[no decision reference]"
    ) == summary_of(lines, "WithdrawalNoticeServed")
    assert (
        "London Borough of Camden determined London Borough of Islington's exit costs at "
        "£125,000.00 (Camden Cabinet, CAB/2018/01)"
    ) == summary_of(lines, "ExitCostsDetermined")
    assert (
        "London Borough of Islington paid exit costs of £125,000.00 (Islington Cabinet, "
        "EXE/2018/02)"
    ) == summary_of(lines, "ExitPaymentSettled")
    assert (
        "London Borough of Islington left the partnership; cost pools rebased: ict (equal "
        "shares: camden 50%, haringey 50%) (Islington Cabinet, EXE/2019/03)"
    ) == summary_of(lines, "PartyWithdrew")
    assert (
        f"London Borough of Camden proposed variation {ending}: dissolve the partnership; final "
        "account: camden -£1,500.00, haringey £1,500.00"
    ) == summary_of(lines, "VariationProposed", 3)
    assert (
        f"The partnership is dissolved by variation {ending}, effective 2019-04-15; final "
        "account: camden -£1,500.00, haringey £1,500.00"
    ) == summary_of(lines, "Dissolved")


def test_a_note_says_who_noted_what_about_whom(lines: list[tuple[str, Described]]) -> None:
    assert (
        "London Borough of Camden noted (audit) about London Borough of Haringey: Final accounts "
        "signed off"
    ) == summary_of(lines, "NoteRecorded")


def test_summaries_of_a_handover_name_the_function_and_its_council(
    lines: list[tuple[str, Described]], history: tuple[list[Any], dict[str, UUID]]
) -> None:
    desk = history[1]["desk"].hex[:8]
    assert (
        "London Borough of Islington proposed to hand its ICT service desk (back-office) over "
        f"to the shared service (handover {desk}); staff: 5 staff under s.113; assets: service "
        "desk software; data: joint controllers — one service desk for three boroughs "
        "(Islington Cabinet, EXE/2017/01)"
    ) == summary_of(lines, "Proposed")
    assert (
        "London Borough of Haringey withheld consent to the handover of ICT service desk from "
        "London Borough of Islington: costs not agreed [no decision reference]"
    ) == summary_of(lines, "ConsentWithheld")
    assert (
        "London Borough of Camden consented to the handover of ICT service desk from London "
        "Borough of Islington (Camden Cabinet, CAB/2017/01)"
    ) == summary_of(lines, "ConsentGiven")
    assert (
        "London Borough of Camden effected the handover of ICT service desk from London "
        "Borough of Islington to the shared service"
    ) == summary_of(lines, "Effected")
    assert (
        "The shared service now holds London Borough of Islington's ICT service desk "
        f"(handover {desk})"
    ) == summary_of(lines, "FunctionPooled")
    assert (
        "London Borough of Haringey withdrew its proposal to hand over Council tax collection: "
        "not ready"
    ) == summary_of(lines, "Withdrawn")
    assert (
        "London Borough of Islington took its ICT service desk back from the shared service: "
        "back in-house (Islington Cabinet, EXE/2017/08)"
    ) == summary_of(lines, "Recalled")
    assert (
        f"ICT service desk returned to London Borough of Islington (handover {desk}): back in-house"
    ) == summary_of(lines, "FunctionReturned")


def test_summaries_of_a_dispute_name_rungs_in_words_terms_and_concessions(
    lines: list[tuple[str, Described]], history: tuple[list[Any], dict[str, UUID]]
) -> None:
    ids = history[1]
    settled, arbitrated, sla = (ids[k].hex[:8] for k in ("settled", "arbitrated", "sla"))
    assert (
        f"London Borough of Islington raised dispute {settled} against London Borough of "
        f"Camden about variation {sla}: service levels"
    ) == summary_of(lines, "Raised")
    assert (
        f"Dispute {settled} (service levels) defers variation {sla} until it is resolved"
    ) == summary_of(lines, "DecisionDeferred")
    assert (
        f"Variation {sla} deferred by dispute {settled} (service levels) until it is resolved"
    ) == summary_of(lines, "ActDeferred")
    assert (
        f"Variation {sla} released: dispute {settled} (service levels) is resolved"
    ) == summary_of(lines, "ActReleased")
    assert (
        f"London Borough of Islington escalated dispute {settled} (service levels) from "
        "officers to directors: officers could not agree"
    ) == summary_of(lines, "Escalated")
    assert (
        f"London Borough of Haringey escalated dispute {arbitrated} (recharges for 2016/17) "
        "from chief executives to joint committee"
    ) == summary_of(lines, "Escalated", 3)
    assert (
        f"London Borough of Camden proposed settling dispute {settled} (service levels) on "
        "availability: 99.7%"
    ) == summary_of(lines, "SettlementProposed")
    assert (
        f"Dispute {settled} (service levels) settled on availability: 99.7%; London Borough of "
        "Islington conceded availability; London Borough of Camden conceded availability"
    ) == summary_of(lines, "Settled")
    assert (
        f"London Borough of Haringey stated its position in dispute {arbitrated} (recharges for "
        "2016/17): wants recharge: £100,000.00"
    ) == summary_of(lines, "PositionStated", 3)
    assert (
        f"London Borough of Camden appointed CEDR to mediate dispute {arbitrated} (recharges "
        "for 2016/17)"
    ) == summary_of(lines, "MediatorAppointed")
    assert (
        f"{ARBITER} determined dispute {arbitrated} (recharges for 2016/17): recharge: "
        "£80,000.00; London Borough of Haringey conceded recharge"
    ) == summary_of(lines, "Determined")
    assert (
        f"London Borough of Camden withdrew dispute {ids['withdrawn'].hex[:8]} (data sharing): "
        "resolved informally"
    ) == summary_of(lines, "Withdrawn", 1)


def test_refs_are_those_recorded_with_the_acts(lines: list[tuple[str, Described]]) -> None:
    refs = {name: said.ref for name, said in lines if said.ref is not None}
    assert cabinet(CAMDEN, "CAB/2015/09", date(2015, 9, 24)) == refs["Formed"]
    assert cabinet(CAMDEN, "CAB/2018/01", date(2018, 1, 15)) == refs["ExitCostsDetermined"]
    assert None is dict(lines)["VariationAdopted"].ref


# --- following one partnership among others -------------------------------------------------


def test_the_narrator_follows_only_its_partnership_and_what_was_raised_in_it(
    history: tuple[list[Any], dict[str, UUID]],
) -> None:
    events, ids = history
    other = Partnership.form(
        "Another Service",
        parties=[CAMDEN, HARINGEY],
        terms=Terms(cost_pools=(CostPool.equal("hr", [CAMDEN, HARINGEY]),)),
        stage=Stage.CO_OPERATING,
        on=date(2015, 1, 5),
    )
    theirs = SovereigntyHandover.propose(
        other, function=SERVICE_DESK, by="camden", on=date(2015, 2, 2)
    )
    their_dispute = Dispute.raise_(
        other, by="haringey", against=["camden"], subject="fees", on=date(2015, 3, 3)
    )
    foreign = [*other.collect_events(), *theirs.collect_events(), *their_dispute.collect_events()]
    narrator = Narrator(ids["partnership"])
    followed = [
        e for e in [*foreign[:1], *events[:12], *foreign[1:], *events[12:]] if narrator.follows(e)
    ]
    assert events == followed
    assert not narrator.may_concern(other.id, partnership_events.Formed.TOPIC)
    assert narrator.may_concern(theirs.id, SovereigntyHandover.Proposed.TOPIC)
    assert not narrator.may_concern(theirs.id, SovereigntyHandover.ConsentGiven.TOPIC)


def test_an_event_type_without_a_summary_still_gets_a_line(
    history: tuple[list[Any], dict[str, UUID]], monkeypatch: pytest.MonkeyPatch
) -> None:
    events, ids = history
    monkeypatch.delitem(audit_summaries.DESCRIBERS, partnership_events.StageChanged)
    narrator = Narrator(ids["partnership"])
    for event in events:
        narrator.follows(event)
    stage_changed = next(e for e in events if isinstance(e, partnership_events.StageChanged))
    said = narrator.describe(stage_changed)
    assert "StageChanged recorded [no decision reference]" == said.summary
    assert "camden" == said.actor


# --- values -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("money", "text"),
    [
        (Money("125000"), "£125,000.00"),
        (Money("0"), "£0.00"),
        (Money("-1500.5"), "-£1,500.50"),
        (Money("1234567.891"), "£1,234,567.89"),
        (Money("20", "EUR"), "€20.00"),
        (Money("20", "USD"), "USD 20.00"),
    ],
)
def test_money_reads_as_a_person_writes_it(money: Money, text: str) -> None:
    assert text == summarise_money(money)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Rung.CHIEF_EXECUTIVES, "chief executives"),
        (Stage.CO_OPERATING, "co-operating"),
        (Notice(months=1, aligned_to_year_end=False), "1 month's notice"),
        (Notice(months=3, year_end=(12, 31)), "3 months' notice, to the next 31 December"),
        (Decimal("12.50"), "12.5"),
        (True, "yes"),
        (None, "none"),
        ((), "none"),
        ({}, "nothing"),
        ({"casting_vote": False}, "casting vote: no"),
        (StaffTransfer(StaffArrangement.TUPE, 48), "48 staff under TUPE"),
        (DataRole.HOST_PROCESSOR, "the host processes the data"),
        (HARINGEY, "London Borough of Haringey"),
        (date(2018, 4, 1), "2018-04-01"),
    ],
)
def test_values_read_as_words(value: Any, text: str) -> None:
    assert text == summarise_value(value)


def test_names_are_joined_as_a_sentence_joins_them() -> None:
    assert ["nobody", "Camden", "Camden and Islington", "Camden, Islington and Haringey"] == [
        joined(["Camden", "Islington", "Haringey"][:count]) for count in range(4)
    ]


# --- the plain-text table ---------------------------------------------------------------------


def test_a_trail_renders_as_a_table_with_one_row_per_entry() -> None:
    pid = UUID(int=1)
    entries = [
        AuditEntry(
            7, date(2015, 9, 24), datetime(2024, 5, 1, 9, 30, 5, 123, tzinfo=UTC), None, None,
            "Formed", "Camden and Islington formed Shared Digital", pid, "partnership", 1, False,
        ),
        AuditEntry(
            12, date(2016, 10, 1), datetime(2024, 5, 1, 9, 31, tzinfo=UTC), "camden", None,
            "StageChanged", "Camden moved it forward [no decision reference]", pid,
            "partnership", 2, True,
        ),
    ]  # fmt: skip
    assert (
        "position  on          recorded (UTC)       actor   event         summary\n"
        "       7  2015-09-24  2024-05-01 09:30:05  -       Formed        Camden and Islington "
        "formed Shared Digital\n"
        "      12  2016-10-01  2024-05-01 09:31:00  camden  StageChanged  Camden moved it "
        "forward [no decision reference]"
    ) == render_audit_trail(entries)
    assert "no events recorded" == render_audit_trail([])
