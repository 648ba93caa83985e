"""Reports of a combined service and of notes, on every store.

A service desk combined from the three boroughs is ceded by each of them, so the audit report
and the timeline show it under every ceding council (one share recalled while the others stay
pooled); outside events recorded as notes have a section of the audit report (Markdown and
HTML) and marks on a lane of their own in the timeline.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from uuid import UUID

import pytest
from handover_harness import SERVICE_DESK, consent_all
from harness import InMemoryStore, PostgresStore, SQLiteStore, StoreContract, form_trio, ref
from test_report_timeline import _overlapping_texts, _svg_texts
from test_reports import _page

from sharedsvc import SharedServices
from sharedsvc.reports import PartnershipReport, gather, render_html, render_markdown
from sharedsvc.reports.timeline import draw_timeline

CEDING = ["camden", "islington", "haringey"]
RECALLED = date(2018, 9, 1)
AUDITOR = ref("Grant & Co", "AUD/2018/07", date(2018, 5, 20))
NOTES = [
    ("statutory", "Section 114 notice issued", "haringey", "camden", date(2017, 6, 2), None),
    ("election", "Change of political control", "islington", "islington", date(2018, 5, 4), None),
    ("audit", "Finding on the desk's contracts", None, "camden", date(2018, 5, 20), AUDITOR),
]


def record(app: SharedServices) -> UUID:
    """Three boroughs combine their service desks; three notes; Haringey takes its share
    back while the others stay pooled."""
    pid = form_trio(app)
    hid = app.propose_handover(
        pid, function=SERVICE_DESK, by="islington", from_parties=CEDING, on=date(2017, 1, 9)
    )
    consent_all(app, hid, CEDING, on=date(2017, 1, 23))
    app.effect_handover(hid, on=date(2017, 2, 1))
    for kind, text, party, by, on, decision in NOTES:
        app.note(pid, kind=kind, text=text, party=party, by=by, on=on, ref=decision)
    app.recall_handover(hid, by="haringey", reason="back in house", on=RECALLED)
    return pid


def plain(text: str) -> str:
    return text.replace("\u2011", "-")  # the reports' dates have non-breaking hyphens


def section(markdown: str, heading: str) -> str:
    start = markdown.index(f"\n## {heading}\n")
    return markdown[start : markdown.index("\n## ", start + 1)]


class ReportContract(StoreContract):
    @pytest.fixture
    def report(self, app: SharedServices) -> PartnershipReport:
        return gather(app, record(app))

    def test_the_handover_is_shown_under_every_ceding_council(
        self, report: PartnershipReport
    ) -> None:
        markdown = plain(render_markdown(report))
        handovers = section(markdown, "Handovers")
        assert (
            "### ICT service desk from London Borough of Islington, London Borough of Camden "
            "and London Borough of Haringey"
        ) in handovers
        assert "**Returned to London Borough of Haringey:** 2018-09-01" in handovers
        ledger = section(markdown, "Compromises by party")
        assert "3 compromises recorded" in ledger
        for party, where in [
            ("camden", "still held by the shared service"),
            ("islington", "still held by the shared service"),
            ("haringey", "returned to the council on 2018-09-01"),
        ]:
            own = ledger[ledger.index(f"({party})") :].split("\n### ")[0]
            assert "| ceded | ict.service-desk |" in own, party
            assert where in own, party

    def test_the_notes_have_a_section_listing_each_in_full(
        self, app: SharedServices, report: PartnershipReport
    ) -> None:
        assert tuple(app.notes(report.view.id)) == report.notes
        notes = section(plain(render_markdown(report)), "Notes")
        for kind, text, party, by, on, decision in NOTES:
            row = next(line for line in notes.splitlines() if text in line)
            cells = [cell.strip() for cell in row.strip("|").split("|")]
            assert [
                on.isoformat(),
                kind,
                text,
                report.party_name(party) if party else "the partnership",
                report.party_name(by),
                str(decision) if decision else "none recorded",
            ] == cells[:6]
        page = plain("".join(_page(render_html(report)).text))
        assert "Notes" in page
        for kind, text, _, _, on, _ in NOTES:  # the kinds too
            assert kind in page
            assert text in page
            assert on.isoformat() in page
        assert str(AUDITOR) in page


class TestReportsInMemory(InMemoryStore, ReportContract):
    pass


class TestReportsOnSQLite(SQLiteStore, ReportContract):
    pass


@pytest.mark.postgres
class TestReportsOnPostgres(PostgresStore, ReportContract):
    pass


def test_a_partnership_without_notes_says_so() -> None:
    app = SharedServices.in_memory()
    markdown = render_markdown(gather(app, form_trio(app)))
    assert "No outside event was noted." in section(markdown, "Notes")


def test_the_timeline_draws_a_lane_per_ceding_council_and_the_notes_on_their_own(
    tmp_path: Path,
) -> None:
    app = SharedServices.in_memory()
    report = gather(app, record(app))
    path = tmp_path / "combined.svg"
    draw_timeline(report, path)
    texts = _svg_texts(path)
    for expected in (
        "from Islington, combined",
        "from Camden, combined",
        "from Haringey, combined",
        "recalled 1 Sep 2018",
        "NOTES",
        "Outside events",
        "3 noted",
        "outside event noted",
    ):
        assert expected in texts, expected
    assert 3 == texts.count("ICT service desk")
    for start in ("statutory (Haringey): Section", "election (Islington): Change", "audit: Find"):
        assert any(text.startswith(start) for text in texts), start  # ends in "…" if long
    assert [] == _overlapping_texts(report)
