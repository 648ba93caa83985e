"""An audit report as a sequence of plain blocks (headings, paragraphs, facts, tables, lists).

`audit_document` decides what the report says and in what order; the Markdown and HTML
renderers only decide how it looks, so both carry the same facts. Every text here is plain
text: each renderer escapes it for its own format.

Amounts, pools, rungs and terms are written as the audit trail writes them
(`sharedsvc.projections.audit_values`): ``£125,000.00``, ``chief executives``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from datetime import date
from uuid import UUID

from sharedsvc.domain.records import Variation
from sharedsvc.projections.audit_values import (
    account,
    joined,
    short_id,
    summarise_value,
    term,
    words,
)
from sharedsvc.projections.compromises import CEDED, CompromiseEntry
from sharedsvc.reports.blocks import (
    NONE,
    Block,
    Bullets,
    Facts,
    Heading,
    Paragraph,
    Table,
    authority,
    day,
    decided,
    money,
    percent,
)
from sharedsvc.reports.document_cases import dispute_sections, handover_sections
from sharedsvc.reports.document_standing import (
    balance_section,
    obligations_section,
    readiness_section,
)
from sharedsvc.reports.model import Membership, PartnershipReport
from sharedsvc.reports.text import ceded_function, ceded_status
from sharedsvc.reports.wording import DISSOLVED, IN_FORCE

__all__ = ["Block", "Bullets", "Facts", "Heading", "Paragraph", "Table", "audit_document"]


def audit_document(report: PartnershipReport) -> tuple[Block, ...]:
    """The whole audit report of ``report``, block by block."""
    return (
        Heading(1, f"Audit report: {report.name}"),
        Paragraph(
            f"Generated {report.generated_at.strftime('%Y-%m-%d %H:%M:%S')} UTC from "
            f"{len(report.trail)} recorded events. Partnership id {report.view.id}."
        ),
        *_summary(report),
        *_members(report),
        *_stages(report),
        *_variations(report),
        *handover_sections(report),
        *dispute_sections(report),
        *_notes(report),
        *readiness_section(report),
        *obligations_section(report),
        *balance_section(report),
        *_compromises(report),
        *_trail(report),
    )


def _summary(report: PartnershipReport) -> Iterator[Block]:
    view, terms = report.view, report.view.terms
    status = f"{DISSOLVED} on {day(view.dissolved_on)}" if view.dissolved else IN_FORCE
    rows = [
        ("Status", status),
        ("Formed", day(view.formed_on)),
        *(
            ("Named", f"{n.name} from {day(n.effective)}")
            for n in (report.names if len(report.names) > 1 else ())
        ),
        ("Stage", summarise_value(view.stage)),
        (
            ("Parties at dissolution", joined(map(report.party_name, view.members_at_dissolution)))
            if view.dissolved
            else ("Active parties", joined(report.party_name(p) for p in view.active_parties))
        ),
        ("Host", report.party_name(view.host) if view.host else "none"),
        ("Governance", words(terms.governance)),
        ("Casting vote", summarise_value(terms.casting_vote)),
        ("Notice", summarise_value(terms.notice)),
        *(("Cost pool", summarise_value(pool)) for pool in terms.cost_pools),
    ]
    if terms.sla:
        rows.append(("Service levels", terms.sla))
    rows += [
        ("Pooled", f"{p.function.name} from {report.party_name(p.from_party)} since {day(p.since)}")
        for p in view.pooled_functions
    ]
    rows += [
        ("Leaving", f"{report.party_name(party)}, notice effective {day(effective)}")
        for party, effective in view.withdrawals.items()
    ]
    if view.deferred:
        rows.append(("Deferred", joined(report.describe_act(a) for a in view.deferred)))
    if view.final_account is not None:
        rows.append(("Final account", account(view.final_account)))
    yield Heading(2, "State", "state")
    yield Facts(tuple(rows))


def _members(report: PartnershipReport) -> Iterator[Block]:
    yield Heading(2, "Membership and cost shares", "membership")
    yield Table(
        (
            "Party",
            "Name",
            "Joined",
            "Admitted",
            "Notice served",
            "Notice effective",
            "Left",
            "Exit costs",
            "Exit paid",
        ),
        tuple(
            (
                m.party,
                m.name,
                day(m.joined),
                "founder" if m.founder else _admitted(report, m),
                day(m.notice_served_on)
                + (f" (retracted {day(m.notice_retracted_on)})" if m.notice_retracted_on else ""),
                day(m.notice_effective),
                day(m.left),
                money(m.exit_costs),
                money(m.exit_paid),
            )
            for m in report.memberships
        ),
        numeric=frozenset({7, 8}),
    )
    yield from _successions(report)
    parties = list(dict.fromkeys(m.party for m in report.memberships))
    rows = [
        (
            day(change.effective),
            pool.name,
            words(pool.basis),
            *(percent(pool.shares[p]) if p in pool.shares else NONE for p in parties),
            change.cause,
        )
        for change in report.cost_shares
        for pool in change.cost_pools
    ]
    yield Paragraph("Cost shares, each change from the date it took effect:")
    yield Table(
        ("From", "Pool", "Basis", *parties, "Cause"),
        tuple(rows),
        numeric=frozenset(range(3, 3 + len(parties))),
    )


def _admitted(report: PartnershipReport, m: Membership) -> str:
    if m.predecessor is not None:
        return f"succeeded {report.party_name(m.predecessor)}"
    return day(m.admitted_on)


def _successions(report: PartnershipReport) -> Iterator[Block]:
    """The parties succeeded by others on a vesting day, if any."""
    successions = report.view.successions
    if not successions:
        return
    yield Paragraph("Successions, each effective on its vesting day:")
    yield Table(
        ("Predecessor", "Successors", "Vesting day", "Split by weight", "Authority"),
        tuple(
            (
                report.party_name(predecessor),
                joined(report.party_name(p) for p in s.successors),
                day(s.on),
                ", ".join(
                    f"{report.party_name(p)} {summarise_value(w)}" for p, w in s.split.items()
                ),
                authority(s.ref),
            )
            for predecessor, s in successions.items()
        ),
    )


def _stages(report: PartnershipReport) -> Iterator[Block]:
    yield Heading(2, "Stage timeline", "stages")
    yield Table(
        ("On", "From", "To", "By", "Rationale", "Decision"),
        tuple(
            (
                day(s.on),
                summarise_value(s.from_stage) if s.from_stage else "formed",
                summarise_value(s.to),
                report.party_name(s.by) if s.by else "every founder",
                s.rationale or NONE,
                authority(s.ref),
            )
            for s in report.stages
        ),
    )


def _variations(report: PartnershipReport) -> Iterator[Block]:
    yield Heading(2, "Variations", "variations")
    if not report.variations:
        yield Paragraph("No variation was proposed.")
        return
    yield Table(
        ("Variation", "Proposed", "By", "Changes", "Status", "Closed", "Effective", "Approvals"),
        tuple(_variation_row(report, v) for v in report.variations),
    )


def _variation_row(report: PartnershipReport, v: Variation) -> tuple[str, ...]:
    changes = [f"{term(name)} to {summarise_value(value)}" for name, value in v.changes.items()]
    changes += [f"admit {party.name}" for party in v.admit]
    if v.dissolve:
        changes.append("dissolve the partnership")
        if v.final_account:
            changes.append(f"final account: {account(v.final_account)}")
    status = v.status + (f" by {report.party_name(v.rejected_by)}" if v.rejected_by else "")
    dates: Mapping[str, date] = report.approved_on.get(v.id, {})
    approvals = [
        f"{report.party_name(p)}: {decided('approved', dates.get(p), r)}"
        for p, r in v.approvals.items()
    ]
    return (
        short_id(v.id) + (f": {v.rationale}" if v.rationale else ""),
        day(v.proposed_on),
        report.party_name(v.proposed_by),
        "; ".join(changes) or NONE,
        status,
        day(v.closed_on),
        day(v.effective or v.closed_on) if v.status == "adopted" else NONE,
        "\n".join(approvals) or NONE,
    )


def _notes(report: PartnershipReport) -> Iterator[Block]:
    yield Heading(2, "Notes", "notes")
    if not report.notes:
        yield Paragraph("No outside event was noted.")
        return
    yield Paragraph(
        "Outside events recorded because they explain later acts; a note changes no terms."
    )
    yield Table(
        ("On", "Kind", "Note", "Concerns", "Recorded by", "Decision", "#"),
        tuple(
            (
                day(n.on),
                n.kind,
                n.text,
                report.party_name(n.party) if n.party else "the partnership",
                report.party_name(n.by),
                authority(n.ref),
                str(n.position),
            )
            for n in report.notes
        ),
        numeric=frozenset({6}),
    )


def _compromises(report: PartnershipReport) -> Iterator[Block]:
    yield Heading(2, "Compromises by party", "compromises")
    total = sum(len(entries) for entries in report.compromises.values())
    yield Paragraph(
        f"{total} compromises recorded: each concession made in a variation, settlement or "
        "determination, and each function ceded to the shared service."
    )
    returned, passed = _returned(report), _passed(report)
    for party, entries in report.compromises.items():
        yield Heading(3, f"{report.party_name(party)} ({party})")
        if not entries:
            yield Paragraph("Nothing conceded or ceded.")
            continue
        yield Table(
            ("On", "Kind", "Subject", "Wanted", "Accepted", "Rationale", "Authority", "Event"),
            tuple(_compromise_row(e, returned, passed) for e in entries),
        )


def _returned(report: PartnershipReport) -> dict[tuple[UUID, str], date]:
    """Each share of a function that went back to its council (handover, council) -> the day."""
    return {
        (h.view.id, party): back
        for h in report.handovers
        for party in h.ceding
        if (back := h.share_ended(party))
        and (party in h.returned_on or h.view.status == "recalled")
    }


def _passed(report: PartnershipReport) -> dict[tuple[UUID, str], str]:
    """Each pooled share of a function that a succession passed from the council that ceded
    it to its successors (handover, council) -> where it went, in words."""
    heirs: dict[tuple[UUID, str], list[str]] = {}
    days: dict[tuple[UUID, str], date] = {}
    for h in report.handovers:
        for heir, (predecessor, on) in h.inherited.items():
            heirs.setdefault((h.view.id, predecessor), []).append(report.party_name(heir))
            days[(h.view.id, predecessor)] = on
    return {key: f"passed to {joined(names)} on {day(days[key])}" for key, names in heirs.items()}


def _compromise_row(
    e: CompromiseEntry,
    returned: Mapping[tuple[UUID, str], date],
    passed: Mapping[tuple[UUID, str], str],
) -> tuple[str, ...]:
    if e.kind == CEDED:
        subject = e.subject
        wanted = f"to run {ceded_function(e)} itself"
        back = returned.get((e.source, e.party))
        where = passed.get((e.source, e.party)) or ceded_status(
            e, {} if back is None else {e.source: back}
        )
        accepted = f"held by the shared service; {where}"
    else:
        subject = term(e.subject)
        wanted, accepted = summarise_value(e.wanted), summarise_value(e.accepted)
    return (
        day(e.on),
        e.kind,
        subject,
        wanted,
        accepted,
        e.rationale or NONE,
        authority(e.ref),
        f"{e.event} #{e.position}",
    )


def _trail(report: PartnershipReport) -> Iterable[Block]:
    return (
        Heading(2, "Appendix: the audit trail", "trail"),
        Paragraph(
            "Every recorded event of the partnership, its handovers and disputes, in the order "
            "of the store's log. Times are UTC."
        ),
        Table(
            ("#", "On", "Recorded", "Actor", "Event", "Summary"),
            tuple(
                (
                    str(e.position),
                    day(e.on),
                    e.recorded_at.strftime("%Y-%m-%d %H:%M:%S"),
                    e.actor or NONE,
                    e.event,
                    e.summary,
                )
                for e in report.trail
            ),
            numeric=frozenset({0}),
        ),
    )
