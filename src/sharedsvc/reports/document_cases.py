"""The audit report's sections on handovers and disputes: one heading and its facts per
handover (every ceding council, its consents, its returns) and per dispute (its rungs and how
it closed). [`audit_document`][sharedsvc.reports.audit_document] puts them in the report."""

from __future__ import annotations

from collections.abc import Iterator

from sharedsvc.domain.values import PartyId
from sharedsvc.projections.audit_values import (
    joined,
    short_id,
    summarise_value,
    term,
    words,
)
from sharedsvc.reports.blocks import (
    Block,
    Bullets,
    Facts,
    Heading,
    Paragraph,
    Table,
    day,
    decided,
)
from sharedsvc.reports.model import DisputeRecord, HandoverRecord, PartnershipReport

__all__ = ["dispute_sections", "handover_sections"]


def handover_sections(report: PartnershipReport) -> Iterator[Block]:
    yield Heading(2, "Handovers", "handovers")
    if not report.handovers:
        yield Paragraph("No function was proposed for handover.")
    for record in report.handovers:
        yield from _handover(report, record)


def _handover(report: PartnershipReport, record: HandoverRecord) -> Iterator[Block]:
    h = record.view
    first = dict.fromkeys(record.holders(p)[0][0] for p in record.ceding)  # who ceded it
    yield Heading(3, f"{h.function.name} from {joined(map(report.party_name, first))}")
    rows = [
        ("Function", f"{h.function.id} ({h.function.category})"),
        ("Status", h.status),
        ("Proposed", f"{day(h.proposed_on)} by {report.party_name(h.from_party)}"),
    ]
    if record.replaced:  # a succession before the effect changed who cedes it
        rows.append(("Proposed from", joined(map(report.party_name, record.proposed_from))))
    rows.append(("Effected", day(h.effected_on)))
    rows += [
        (
            f"Succession of {report.party_name(s.predecessor)}",
            f"{day(s.on)}, before it took effect: {joined(map(report.party_name, s.took))} "
            "cede the function in its place",
        )
        for s in record.replaced
        if s.took
    ]
    rows += [
        (f"Returned to {report.party_name(p)}", day(on))  # a share of a combined service
        for p, on in record.returned_on.items()
        if len(record.ceding) > 1
    ]
    rows += [  # a share passed on by a succession
        (f"Inherited by {report.party_name(heir)}", f"{day(on)}, from {report.party_name(p)}")
        for heir, (p, on) in record.inherited.items()
    ]
    if record.ended_on is not None:
        rows.append((h.status.capitalize(), day(record.ended_on)))  # recalled or withdrawn
    if h.staff:
        rows.append(("Staff", summarise_value(h.staff)))
    if h.assets:
        rows.append(("Assets", ", ".join(h.assets)))
    if h.data_role is not None:
        rows.append(("Data", summarise_value(h.data_role)))
    if h.rationale:
        rows.append(("Rationale", h.rationale))
    rows += [
        (f"Consent of {report.party_name(p)}", _consent(report, record, p)) for p in h.consents
    ]
    rows += [
        (f"Withheld by {report.party_name(p)}", reason or "no reason given")
        for p, reason in h.withheld.items()
    ]
    yield Facts(tuple(rows))


def _consent(report: PartnershipReport, record: HandoverRecord, party: str) -> str:
    """A party's consent in words: its own, or its predecessor's, which counts for it."""
    ref = record.view.consents[PartyId(party)]
    passed = record.consent_from(party)
    if passed is None:
        return decided("consented", record.consented_on.get(party), ref)
    whose = f"{report.party_name(passed.predecessor)}'s consent counts for it"
    return decided(f"{whose} from {day(passed.on)}", None, ref)


def dispute_sections(report: PartnershipReport) -> Iterator[Block]:
    yield Heading(2, "Disputes", "disputes")
    if not report.disputes:
        yield Paragraph("No dispute was raised.")
    for record in report.disputes:
        yield from _dispute(report, record)


def _dispute(report: PartnershipReport, record: DisputeRecord) -> Iterator[Block]:
    d = record.view
    yield Heading(3, f"{d.subject} ({short_id(d.id)})")
    raised = f"{day(record.raised_on)} by {report.party_name(record.raised_by or d.raised_by)}"
    if record.raised_by is not None and record.raisers not in ((), (record.raised_by,)):
        raised += f"; in its place now {joined(map(report.party_name, record.raisers))}"
    rows = [
        ("Raised", raised),
        ("Against", joined(report.party_name(p) for p in record.against)),
        (
            "About",
            report.describe_act(d.act) + (" (deferred meanwhile)" if record.deferred else ""),
        ),
        ("Status", d.status + (f" on {day(record.closed_on)}" if record.closed_on else "")),
        ("Highest rung", words(d.rung)),
    ]
    if d.mediator:
        rows.append(("Mediator", d.mediator))
    if record.arbiter:
        rows.append(("Arbiter", record.arbiter))
    rows += [
        (f"Position of {report.party_name(p)}", summarise_value(position))
        for p, position in d.positions.items()
    ]
    if d.terms is not None:
        rows.append(("Outcome", summarise_value(d.terms)))
    yield Facts(tuple(rows))
    yield Table(
        ("Rung", "Reached", "Why"),
        tuple((words(r.rung), day(r.on), r.reason or "raised") for r in d.rungs),
    )
    if d.concessions:
        yield Bullets(
            tuple(
                f"{report.party_name(c.party)} conceded {term(c.subject)}: wanted "
                f"{summarise_value(c.wanted)}, accepted {summarise_value(c.accepted)}"
                for c in d.concessions
            )
        )
