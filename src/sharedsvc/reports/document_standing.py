"""The audit report's sections on where the parties stand: their readiness (and the targets
set), the obligations the record makes, and each party's balance, all as they stood on the
date the report was taken on. Each section is left out when it would be empty: a history
with no assessment and no target has no readiness section, one that makes no obligation no
obligations section. [`audit_document`][sharedsvc.reports.audit_document] puts them in the
report."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping
from decimal import Decimal

from sharedsvc.domain.targets import Target
from sharedsvc.projections.audit_values import joined, summarise_money, summarise_value
from sharedsvc.reports.blocks import (
    NONE,
    Block,
    Bullets,
    Heading,
    Paragraph,
    Table,
    authority,
    day,
)
from sharedsvc.reports.model import PartnershipReport

__all__ = ["balance_section", "obligations_section", "readiness_section"]

TREND_POINTS = 6
"""The most assessments a party's trend names; a longer one keeps its first and latest."""


def readiness_section(report: PartnershipReport) -> Iterator[Block]:
    """Each party's latest readiness by area, its trend, the stage gates and the targets."""
    standing = report.standing
    if not standing.assessments and not standing.targets:
        return
    yield Heading(2, "Readiness and targets", "readiness")
    if standing.assessments:
        yield from _assessments(report)
    if standing.targets:
        yield Heading(3, "Targets")
        yield Table(
            ("Kind", "Target", "Binds", "Due", "Set", "By", "Outcomes", "Met on", "Decision"),
            tuple(_target_row(report, t) for t in standing.targets),
            numeric=frozenset({1}),
        )


def _assessments(report: PartnershipReport) -> Iterator[Block]:
    standing, policy = report.standing, report.view.policy
    latest = standing.latest()
    areas = [
        *policy.readiness_areas,
        *dict.fromkeys(
            area
            for r in standing.assessments
            for area in r.scores
            if area not in policy.readiness_areas
        ),
    ]
    yield Paragraph(
        f"Each party's readiness as it stood on {day(standing.as_of)}, scored 0 to 5 in each "
        "area: the latest score in each area (dated where an earlier assessment gave it), and "
        "the overall mean of the party's latest assessment."
    )
    rows = []
    for party, record in latest.items():
        scores = standing.area_scores(party)
        cells = [
            NONE
            if area not in scores
            else str(scores[area].score)
            + ("" if scores[area].on == record.on else f" ({day(scores[area].on)})")
            for area in areas
        ]
        by = "itself" if record.by == party else report.party_name(record.by)
        rows.append((report.party_name(party), *cells, _score(record.overall), day(record.on), by))
    yield Table(
        ("Party", *map(_area, areas), "Overall", "Assessed", "By"),
        tuple(rows),
        numeric=frozenset(range(1, len(areas) + 2)),
    )
    yield Paragraph("The trend of each party's overall readiness, oldest first:")
    yield Bullets(tuple(_trend(report, party) for party in latest))
    for stage, gate in policy.stage_gates.items():
        covered = "every area" if gate.areas is None else joined(map(_area, gate.areas))
        yield Paragraph(
            f"A move to {summarise_value(stage)} needs each active party's latest score in "
            f"{covered} to be at least {gate.minimum}, assessed within {gate.within_months} "
            "months."
        )


def _area(slug: str) -> str:
    """An area of readiness in words: ``power-sharing`` reads ``power sharing``."""
    return slug.replace("-", " ")


def _score(value: Decimal) -> str:
    return f"{value:.1f}"


def _trend(report: PartnershipReport, party: str) -> str:
    points = report.standing.trend(party)
    said = [f"{_score(score)} on {day(on)}" for on, score in points]
    if len(said) > TREND_POINTS:
        said = [said[0], "…", *said[-(TREND_POINTS - 2) :]]
    count = f"{len(points)} assessments" if len(points) > 1 else "1 assessment"
    change = points[-1][1] - points[0][1]
    moved = (
        ""
        if len(points) < 2
        else "; no change"
        if change == 0
        else f"; {'up' if change > 0 else 'down'} {_score(abs(change))}"
    )
    return f"{report.party_name(party)}: {', '.join(said)} ({count}{moved})"


def _target_row(report: PartnershipReport, target: Target) -> tuple[str, ...]:
    outcomes = "\n".join(
        f"{summarise_money(o.amount)} on {day(o.on)} by {report.party_name(o.by)}"
        for o in target.outcomes
    )
    return (
        target.kind,
        summarise_money(target.amount),
        report.party_name(target.party) if target.party else "the partnership",
        day(target.due),
        day(target.on),
        report.party_name(target.by),
        outcomes or NONE,
        day(target.met_on),
        authority(target.ref),
    )


def obligations_section(report: PartnershipReport) -> Iterator[Block]:
    """Every obligation the record makes, with its status on the report's date."""
    standing = report.standing
    if not standing.obligations:
        return
    yield Heading(2, "Obligations", "obligations")
    statuses = Counter(o.status for o in standing.obligations)
    late = sum(1 for o in standing.obligations if o.late)
    counts = [
        f"{statuses[s]} {s}" + (f" ({late} late)" if s == "met" and late else "")
        for s in ("met", "overdue", "open", "lapsed")
        if statuses[s]
    ]
    yield Paragraph(
        f"What the record obliges the parties to do (complete a withdrawal, pay exit costs, "
        f"escalate or settle a dispute, answer a proposed handover, meet a target), with each "
        f"obligation's status on {day(standing.as_of)}: {', '.join(counts)}."
    )
    events = {e.position: e.event for e in report.trail}
    yield Table(
        ("Kind", "Party", "Due", "Status", "Met on", "Late", "Source"),
        tuple(
            (
                o.kind,
                report.party_name(o.party) if o.party else "the partnership",
                day(o.due),
                o.status,
                day(o.met_on),
                NONE if o.met_on is None else "yes" if o.late else "no",
                f"{events[o.source]} #{o.source}" if o.source in events else f"#{o.source}",
            )
            for o in standing.obligations
        ),
    )


def balance_section(report: PartnershipReport) -> Iterator[Block]:
    """Each party's balance: what it gave and got, kept and missed."""
    standing = report.standing
    if not standing.has_balance:
        return
    yield Heading(2, "Balance", "balance")
    yield Paragraph(
        f"What each party gave and got, as it stood on {day(standing.as_of)}: the concessions "
        "it made (each counted to the party that proposed the act it conceded in; a "
        "determination's to nobody) and received, the functions it ceded to the shared "
        "service, its obligations kept (met by their due date) and missed (overdue, or met "
        "late), and the disputes it raised."
    )
    yield Table(
        (
            "Party",
            "Conceded",
            "To whom",
            "Received from",
            "Ceded",
            "Kept",
            "Missed",
            "Disputes raised",
        ),
        tuple(
            (
                report.party_name(party),
                str(b.conceded),
                _counted(report, b.conceded_to),
                _counted(report, b.received_from),
                str(b.ceded),
                str(b.kept),
                str(b.missed),
                str(b.disputes_raised),
            )
            for party, b in standing.balance.items()
        ),
        numeric=frozenset({1, 4, 5, 6, 7}),
    )


def _counted(report: PartnershipReport, counts: Mapping[str, int]) -> str:
    """``Camden 2, Islington 1``, or a dash."""
    return ", ".join(f"{report.party_name(p)} {n}" for p, n in counts.items()) or NONE
