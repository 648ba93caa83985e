"""Reports of handovers whose councils are succeeded, before or after the effect, on every store.

Camden proposes two handovers: the payroll, its own, which takes effect before Camden is
succeeded by North and South Camden; and the service desk, combined with Islington, which
takes effect only after, ceded by the successors in Camden's place. The audit report (Markdown
and HTML) says who proposed each, whom the desk was proposed from and in whose place the
successors cede it, and whose consent counts for a successor that gave none (rather than that
it consented); the ledger section says where Camden's pooled payroll went. The timeline draws
the wait for the desk's consents in Camden's colour up to the vesting day, and nothing of a
successor's before it existed.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from uuid import UUID

import pytest
from harness import InMemoryStore, PostgresStore, SQLiteStore, StoreContract, form_trio, ref
from test_report_combined_notes import plain, section
from test_report_timeline import _overlapping_texts, _svg_texts
from test_reports import _page

from sharedsvc import Function, Party, SharedServices
from sharedsvc.reports import PartnershipReport, gather, render_html, render_markdown

BEFORE, PAYROLL_EFFECTED = date(2022, 6, 1), date(2022, 7, 1)
VESTING, DESK_EFFECTED, RECALLED = date(2023, 4, 1), date(2023, 4, 3), date(2023, 5, 2)
ORDER = ref("Parliament", "SI 2022/331", date(2022, 3, 17))
NORTH = Party("north-camden", "North Camden Council")
SOUTH = Party("south-camden", "South Camden Council")
DESK = Function("ict.service-desk", "ICT service desk", category="back-office")
PAYROLL = Function("hr.payroll", "Payroll", category="back-office")
CAMDEN, ISLINGTON = "London Borough of Camden", "London Borough of Islington"
HEIRS = "North Camden Council and South Camden Council"


def record(app: SharedServices) -> UUID:
    pid = form_trio(app)
    payroll = app.propose_handover(pid, function=PAYROLL, by="camden", on=BEFORE)
    desk = app.propose_handover(
        pid, function=DESK, by="camden", from_parties=["camden", "islington"], on=BEFORE
    )
    for hid in (payroll, desk):
        for party in ("camden", "islington", "haringey"):
            app.consent_to_handover(hid, party=party, ref=ref(party, "C/1", BEFORE), on=BEFORE)
    app.effect_handover(payroll, on=PAYROLL_EFFECTED)
    app.succeed(pid, party="camden", successors=[NORTH, SOUTH], on=VESTING, ref=ORDER)
    app.withhold_consent(desk, party="south-camden", reason="to decide itself", on=VESTING)
    app.consent_to_handover(desk, party="south-camden", on=VESTING)  # its own, then
    app.effect_handover(desk, on=DESK_EFFECTED)
    app.recall_handover(desk, by="islington", on=RECALLED)
    return pid


def facts(handovers: str, heading: str) -> list[str]:
    """The fact lines under a handover's heading."""
    start = handovers.index(f"### {heading}\n")
    return handovers[start:].split("\n\n")[1].splitlines()


class HandoverSuccessionReportContract(StoreContract):
    @pytest.fixture
    def report(self, app: SharedServices) -> PartnershipReport:
        return gather(app, record(app))

    def test_a_desk_proposed_before_a_succession_says_in_whose_place_successors_cede_it(
        self, report: PartnershipReport
    ) -> None:
        handovers = section(plain(render_markdown(report)), "Handovers")
        heading = (
            f"ICT service desk from North Camden Council, South Camden Council and {ISLINGTON}"
        )
        assert [
            "- **Function:** ict.service-desk (back-office)",
            "- **Status:** effected",
            f"- **Proposed:** 2022-06-01 by {CAMDEN}",
            f"- **Proposed from:** {CAMDEN} and {ISLINGTON}",
            "- **Effected:** 2023-04-03",
            f"- **Succession of {CAMDEN}:** 2023-04-01, before it took effect: {HEIRS} cede the "
            "function in its place",
            f"- **Returned to {ISLINGTON}:** 2023-05-02",
            f"- **Consent of {CAMDEN}:** consented on 2022-06-01, decision camden, C/1, 2022-06-01",
            f"- **Consent of {ISLINGTON}:** consented on 2022-06-01, decision islington, C/1, "
            "2022-06-01",
            "- **Consent of London Borough of Haringey:** consented on 2022-06-01, decision "
            "haringey, C/1, 2022-06-01",
            f"- **Consent of North Camden Council:** {CAMDEN}'s consent counts for it from "
            "2023-04-01, decision camden, C/1, 2022-06-01",
            "- **Consent of South Camden Council:** consented on 2023-04-01, no decision reference",
        ] == facts(handovers, heading)

    def test_a_function_pooled_before_a_succession_names_no_consent_the_successors_gave(
        self, report: PartnershipReport
    ) -> None:
        handovers = section(plain(render_markdown(report)), "Handovers")
        payroll = facts(handovers, f"Payroll from {CAMDEN}")
        assert f"- **Proposed:** 2022-06-01 by {CAMDEN}" in payroll
        assert not any(line.startswith("- **Proposed from:") for line in payroll)
        for heir in ("North Camden Council", "South Camden Council"):
            assert (
                f"- **Consent of {heir}:** {CAMDEN}'s consent counts for it from 2023-04-01, "
                "decision camden, C/1, 2022-06-01"
            ) in payroll

    def test_the_ledger_says_where_a_predecessors_pooled_share_went(
        self, report: PartnershipReport
    ) -> None:
        ledger = section(plain(render_markdown(report)), "Compromises by party")
        camden = ledger[ledger.index("(camden)") :].split("\n### ")[0]
        assert "| hr.payroll |" in camden
        assert "ict.service-desk" not in camden  # it ceded nothing: its successors did
        assert f"held by the shared service; passed to {HEIRS} on 2023-04-01" in camden
        for heir in ("north-camden", "south-camden"):
            own = ledger[ledger.index(f"({heir})") :].split("\n### ")[0]
            assert "| ceded | ict.service-desk |" in own
            assert "hr.payroll" not in own

    def test_the_html_report_carries_the_same_facts(self, report: PartnershipReport) -> None:
        page = plain("".join(_page(render_html(report)).text))
        for fact in (
            f"before it took effect: {HEIRS} cede the function in its place",
            f"{CAMDEN}'s consent counts for it from 2023-04-01",
            f"passed to {HEIRS} on 2023-04-01",
        ):
            assert fact in page


class TestHandoverSuccessionReportInMemory(InMemoryStore, HandoverSuccessionReportContract):
    pass


class TestHandoverSuccessionReportOnSQLite(SQLiteStore, HandoverSuccessionReportContract):
    pass


@pytest.mark.postgres
class TestHandoverSuccessionReportOnPostgres(PostgresStore, HandoverSuccessionReportContract):
    pass


def test_the_timeline_draws_nothing_of_a_successor_before_it_existed(tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    from matplotlib.colors import same_color
    from matplotlib.lines import Line2D
    from matplotlib.patches import Rectangle

    from sharedsvc.reports.timeline import draw_timeline, timeline_figure
    from sharedsvc.reports.timeline_canvas import x
    from sharedsvc.reports.timeline_style import party_colour

    app = SharedServices.in_memory()
    report = gather(app, record(app))
    payroll, desk = report.handovers
    assert (("camden", None), ("north-camden", VESTING)) == desk.placed("north-camden")
    assert (("islington", None),) == desk.placed("islington")
    assert (("camden", None),) == payroll.placed("camden")
    path = tmp_path / "succession.svg"
    draw_timeline(report, path)
    texts = _svg_texts(path)
    for expected in ("from North Camden, combined", "from South Camden, combined", "from Camden"):
        assert expected in texts, expected
    assert [] == _overlapping_texts(report)
    figure = timeline_figure(report)
    drawn = [
        (patch.get_facecolor()[:3], patch.get_x())
        for patch in figure.findobj(Rectangle)
        if isinstance(patch, Rectangle)
    ]
    drawn += [
        (line.get_color(), min(line.get_xdata()))  # type: ignore[type-var]
        for line in figure.findobj(Line2D)
        if isinstance(line, Line2D) and len(line.get_xdata())  # type: ignore[arg-type]
    ]
    camden, heirs = party_colour(0), (party_colour(3), party_colour(4))  # fourth, fifth to join
    for colour in heirs:  # its member bar, its shares' bars and waits
        starts = [start for drawn_in, start in drawn if same_color(drawn_in, colour)]
        assert len(starts) > 3
        assert x(VESTING) <= min(starts)
    # the waits for consent from the proposal are Camden's in the successors' four lanes (the
    # payroll's and the desk's: the desk's until the vesting day), and Islington's in its own
    waits = [
        line
        for line in figure.findobj(Line2D)
        if isinstance(line, Line2D)
        and len(line.get_xdata()) == 2  # type: ignore[arg-type]
        and min(line.get_xdata()) == x(BEFORE)  # type: ignore[type-var]
        and line.get_linestyle() != "-"  # a wait is dotted; an obligation's line is solid
    ]
    assert 5 == len(waits)
    assert 4 == sum(1 for line in waits if same_color(line.get_color(), camden))
    assert x(VESTING) in {max(line.get_xdata()) for line in waits}  # type: ignore[type-var]
