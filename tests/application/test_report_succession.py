"""Reports of a succession that reaches an open dispute and a pooled function.

Camden raises a dispute against Islington and is then succeeded by North and South Camden, who
take its place in the dispute, North Camden as the party that raised it. The audit report and
the timeline put both successors on the raising side, against Islington (before, they showed
North Camden disputing against South Camden and Islington), and the report still names Camden
as the council that raised it. A service desk Camden alone had pooled passes to both
successors; the timeline does not call it combined from several councils.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from uuid import UUID

import pytest
from handover_harness import SERVICE_DESK, consent_all
from harness import form_trio, ref
from test_report_timeline import _overlapping_texts, _svg_texts

from sharedsvc import Party, SharedServices
from sharedsvc.reports import PartnershipReport, gather, render_markdown

VESTING = date(2023, 4, 1)
ORDER = ref("Parliament", "The Camden (Structural Changes) Order", date(2022, 3, 17))
NORTH = Party("north-camden", "North Camden Council")
SOUTH = Party("south-camden", "South Camden Council")


def plain(text: str) -> str:
    return text.replace("\u2011", "-")  # the reports' dates have non-breaking hyphens


def record(app: SharedServices, *, by: str = "camden", against: str = "islington") -> UUID:
    """Camden's desk pooled, and a dispute raised before the vesting day on which Camden is
    succeeded, settled after."""
    pid = form_trio(app)
    hid = app.propose_handover(pid, function=SERVICE_DESK, by="camden", on=date(2017, 1, 9))
    consent_all(app, hid, ["camden", "islington", "haringey"], on=date(2017, 1, 23))
    app.effect_handover(hid, on=date(2017, 2, 1))
    did = app.raise_dispute(pid, by=by, against=[against], subject="fees", on=date(2022, 10, 3))
    app.succeed(pid, party="camden", successors=[NORTH, SOUTH], on=VESTING, ref=ORDER)
    app.propose_settlement(did, by="islington", terms={"fees": "frozen"}, on=date(2023, 9, 4))
    for party in app.dispute(did).parties:
        app.accept_settlement(did, party=party, on=date(2023, 9, 18))
    return pid


@pytest.fixture
def report() -> PartnershipReport:
    app = SharedServices.in_memory()
    return gather(app, record(app))


def test_the_successors_of_the_council_that_raised_a_dispute_are_on_its_side(
    report: PartnershipReport,
) -> None:
    (dispute,) = report.disputes
    assert "north-camden" == dispute.view.raised_by  # the view: the first successor
    assert "camden" == dispute.raised_by
    assert ("north-camden", "south-camden") == dispute.raisers
    assert ("islington",) == dispute.against


def test_the_successors_of_a_council_disputed_against_stay_on_the_other_side() -> None:
    app = SharedServices.in_memory()
    (dispute,) = gather(app, record(app, by="islington", against="camden")).disputes
    assert ("islington", ("islington",)) == (dispute.raised_by, dispute.raisers)
    assert ("north-camden", "south-camden") == dispute.against


def test_the_audit_report_names_the_council_that_raised_it_and_who_is_against(
    report: PartnershipReport,
) -> None:
    markdown = plain(render_markdown(report))
    assert (
        "- **Raised:** 2022-10-03 by London Borough of Camden; in its place now North Camden "
        "Council and South Camden Council\n"
    ) in markdown
    assert "- **Against:** London Borough of Islington\n" in markdown


def test_the_timeline_puts_the_successors_on_the_raising_side_and_combines_nothing(
    report: PartnershipReport, tmp_path: Path
) -> None:
    pytest.importorskip("matplotlib")
    from sharedsvc.reports.timeline import draw_timeline

    path = tmp_path / "succession.svg"
    draw_timeline(report, path)
    texts = _svg_texts(path)
    assert "North Camden, South Camden v Islington" in texts
    assert 2 == texts.count("from Camden")  # a lane for each successor's share, not combined
    assert [] == _overlapping_texts(report)
