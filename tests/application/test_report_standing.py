"""The audit report's readiness, obligations and balance, and the timeline's readiness and
obligation lanes: what is gathered (on the report's date), what the Markdown and HTML say,
which lanes the picture draws, on every store."""

from __future__ import annotations

import io
from collections import Counter
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import attrs
import pytest
from harness import (
    InMemoryStore,
    PostgresStore,
    SQLiteStore,
    StoreContract,
    form_pair,
)
from report_histories import build_crowded, build_wold_and_fen
from standing_history import AS_OF, MarshAndVale, build_marsh_and_vale

from sharedsvc import Obligation, RuleViolation, SharedServices
from sharedsvc.reports import (
    PartnershipReport,
    gather,
    render_html,
    render_markdown,
    write_audit,
    write_timeline,
)
from sharedsvc.reports.model_standing import LatestScore

GENERATED = datetime(2023, 2, 1, 9, 30, tzinfo=UTC)
PARTIES = ("marshby", "valeton", "fenford")


def plain(text: str) -> str:
    return text.replace("\N{NON-BREAKING HYPHEN}", "-").replace("\N{NO-BREAK SPACE}", " ")


def section(markdown: str, heading: str) -> str:
    """The text of the level-two section ``heading`` of a Markdown report."""
    start = markdown.index(f"\n## {heading}\n")
    return markdown[start : markdown.index("\n## ", start + 1)]


def headings(markdown: str) -> list[str]:
    return [line[3:] for line in markdown.splitlines() if line.startswith("## ")]


class StandingContract(StoreContract):
    @pytest.fixture
    def report(self, app: SharedServices) -> PartnershipReport:
        return gather(app, build_marsh_and_vale(app), generated_at=GENERATED)

    def test_the_report_is_taken_on_the_day_it_is_generated_unless_told(
        self, report: PartnershipReport, app: SharedServices
    ) -> None:
        assert AS_OF == report.standing.as_of == GENERATED.date()
        earlier = gather(app, report.view.id, generated_at=GENERATED, as_of=date(2022, 3, 1))
        assert date(2022, 3, 1) == earlier.standing.as_of
        assert report.standing != earlier.standing

    def test_readiness_holds_every_assessment_and_each_partys_latest_scores(
        self, report: PartnershipReport
    ) -> None:
        standing = report.standing
        assert 24 == len(standing.assessments)
        assert list(PARTIES) == list(standing.latest())
        assert {p: date(2022, 11, 7) for p in PARTIES} == {
            p: r.on for p, r in standing.latest().items()
        }
        scores = standing.area_scores("fenford")  # its last assessment left communication out
        assert LatestScore(4, date(2022, 5, 2)) == scores["communication"]
        assert LatestScore(4, date(2022, 11, 7)) == scores["trust"]
        trend = standing.trend("fenford")
        assert 8 == len(trend)
        assert (date(2020, 11, 2), Decimal("2.5")) == trend[3]  # the peer's partial assessment

    def test_targets_are_held_with_their_outcomes(self, report: PartnershipReport) -> None:
        partnership, valeton = report.standing.targets
        assert (None, MarshAndVale.SAVINGS_MET) == (partnership.party, partnership.met_on)
        assert ("valeton", None) == (valeton.party, valeton.met_on)  # its outcome came late
        assert 2 == len(partnership.outcomes)

    def test_obligations_and_balance_stand_as_on_the_reports_date(
        self, report: PartnershipReport
    ) -> None:
        owed = report.standing.obligations
        statuses = Counter((o.kind, o.status) for o in owed)
        assert statuses[("consent", "overdue")] == 1  # Valeton never answered on waste
        assert statuses[("escalation", "overdue")] == 2  # the dispute sits at its second rung
        (notice,) = [o for o in owed if o.kind == "withdrawal"]
        assert ("valeton", "open") == (notice.party, notice.status)
        assert list(PARTIES) == list(report.standing.balance)
        assert 3 == report.standing.balance["valeton"].missed  # with its target, met late
        assert 1 == report.standing.balance["valeton"].disputes_raised
        assert report.standing.has_balance

    def test_an_earlier_date_sees_fewer_acts_and_nothing_yet_overdue(
        self, report: PartnershipReport, app: SharedServices
    ) -> None:
        on = date(2022, 3, 1)
        earlier = gather(app, report.view.id, generated_at=GENERATED, as_of=on).standing
        assert all(r.on <= on for r in earlier.assessments)
        assert 18 == len(earlier.assessments)
        assert () == earlier.targets[1].outcomes
        assert {"met", "open"} == {o.status for o in earlier.obligations}
        assert not [o for o in earlier.obligations if o.kind == "withdrawal"]

    def test_a_report_before_formation_has_no_readiness_and_no_targets(
        self, report: PartnershipReport, app: SharedServices
    ) -> None:
        before = gather(app, report.view.id, as_of=date(2019, 1, 1)).standing
        assert ((), (), ()) == (before.assessments, before.targets, before.obligations)
        assert not before.has_balance

    def test_a_date_that_is_not_a_date_is_refused(
        self, report: PartnershipReport, app: SharedServices
    ) -> None:
        with pytest.raises(RuleViolation) as caught:
            gather(app, report.view.id, as_of=datetime(2022, 3, 1))  # type: ignore[arg-type]
        assert "invalid-value" == caught.value.rule

    def test_the_markdown_has_the_three_sections_in_order(self, report: PartnershipReport) -> None:
        markdown = plain(render_markdown(report))
        found = headings(markdown)
        at = found.index("Notes")
        assert ["Readiness and targets", "Obligations", "Balance", "Compromises by party"] == (
            found[at + 1 : at + 5]
        )
        readiness = section(markdown, "Readiness and targets")
        assert "as it stood on 2023-02-01" in readiness
        assert (
            "| Fenford District Council | 4 | 4 | 4 | 4 | 4 | 4 (2022-05-02) | 4.0 | 2022-11-07 "
            "| itself |"
        ) in readiness
        assert "- Fenford District Council: 2.0 on 2019-05-02, …," in readiness
        assert "(8 assessments; up 2.0)" in readiness
        assert "A move to combining needs each active party's latest score in every area" in (
            readiness
        )
        assert "| savings | £400,000.00 | Valeton Borough Council | 2022-03-31 |" in readiness
        obligations = section(markdown, "Obligations")
        assert "status on 2023-02-01: 8 met, 4 overdue, 1 open." in obligations
        assert (
            "| consent | Valeton Borough Council | 2022-07-31 | overdue | — | — | Proposed #"
        ) in obligations
        assert "| withdrawal | Valeton Borough Council | 2024-03-31 | open | — | — |" in (
            obligations
        )
        assert "| Valeton Borough Council | 0 | — | — | 0 | 2 | 3 | 1 |" in section(
            markdown, "Balance"
        )

    def test_write_audit_takes_the_reports_date(
        self, report: PartnershipReport, app: SharedServices
    ) -> None:
        out = io.StringIO()
        write_audit(app, report.view.id, "md", out, generated_at=GENERATED, as_of=date(2022, 3, 1))
        said = section(plain(out.getvalue()), "Obligations")
        assert "status on 2022-03-01:" in said
        assert "overdue" not in said

    def test_the_html_links_the_sections_and_keeps_dates_whole(
        self, report: PartnershipReport
    ) -> None:
        page = render_html(report)
        for anchor in ("readiness", "obligations", "balance"):
            assert f'<a href="#{anchor}">' in page
            assert f' id="{anchor}"' in page
        assert "<td><time>2024-03-31</time></td>" in page
        assert "Marshby District Council" in page[page.index('id="balance"') :]


class TestStandingInMemory(InMemoryStore, StandingContract):
    pass


class TestStandingOnSQLite(SQLiteStore, StandingContract):
    pass


@pytest.mark.postgres
class TestStandingOnPostgres(PostgresStore, StandingContract):
    pass


# --- what is left out ---------------------------------------------------------------------------


def test_a_history_without_assessments_or_targets_has_no_readiness_section() -> None:
    app = SharedServices.in_memory()
    markdown = render_markdown(gather(app, build_wold_and_fen(app), as_of=date(2022, 6, 1)))
    found = headings(markdown)
    assert "Readiness and targets" not in found
    assert {"Obligations", "Balance"} <= set(found)


def test_a_partnership_that_did_nothing_has_none_of_the_three_sections() -> None:
    app = SharedServices.in_memory()
    report = gather(app, form_pair(app))
    assert not set(headings(render_markdown(report))) & {
        "Readiness and targets",
        "Obligations",
        "Balance",
    }
    assert 'href="#obligations"' not in render_html(report)


# --- the timeline -------------------------------------------------------------------------------

pytest.importorskip("matplotlib")

from test_report_timeline import _overlapping_texts, _svg_texts  # noqa: E402

from sharedsvc.reports.timeline import draw_timeline, timeline_figure  # noqa: E402
from sharedsvc.reports.timeline_canvas import x  # noqa: E402


@pytest.fixture(scope="module")
def marsh() -> PartnershipReport:
    app = SharedServices.in_memory()
    return gather(app, build_marsh_and_vale(app), generated_at=GENERATED)


def test_the_timeline_draws_a_readiness_lane_for_each_party_assessed(
    marsh: PartnershipReport, tmp_path: Path
) -> None:
    path = tmp_path / "marsh.svg"
    draw_timeline(marsh, path)
    texts = _svg_texts(path)
    assert "READINESS" in texts
    assert 3 == texts.count("overall 4.0 on 7 Nov 2022")
    assert {"0", "5", "1.0", "2.5", "4.0"} <= set(texts)
    assert "readiness assessed (overall, 0 to 5)" in texts


def test_the_timeline_draws_obligations_with_their_kinds_and_statuses(
    marsh: PartnershipReport, tmp_path: Path
) -> None:
    path = tmp_path / "marsh.svg"
    draw_timeline(marsh, path)
    texts = _svg_texts(path)
    assert "OBLIGATIONS" in texts
    assert "2 kept, 3 missed, 1 open" in texts  # Valeton's lane
    assert {"withdrawal", "consent", "escalation \N{MULTIPLICATION SIGN}2"} <= set(texts)
    for legend in ("obligation met in time", "obligation overdue", "obligation still open"):
        assert legend in texts
    assert "obligation met late" not in texts  # nothing here was met late


def test_no_two_labels_of_the_picture_with_readiness_and_obligations_overlap(
    marsh: PartnershipReport,
) -> None:
    assert [] == _overlapping_texts(marsh)


def test_a_history_without_assessments_has_no_readiness_lane(tmp_path: Path) -> None:
    app = SharedServices.in_memory()
    path = tmp_path / "wold.svg"
    draw_timeline(gather(app, build_wold_and_fen(app), as_of=date(2022, 6, 1)), path)
    texts = _svg_texts(path)
    assert "READINESS" not in texts
    assert "readiness assessed (overall, 0 to 5)" not in texts
    assert "OBLIGATIONS" in texts
    assert "obligation met late" in texts  # a consent given after its due day


def test_a_partnership_that_did_nothing_has_no_obligation_lanes(tmp_path: Path) -> None:
    app = SharedServices.in_memory()
    path = tmp_path / "pair.svg"
    draw_timeline(gather(app, form_pair(app)), path)
    texts = _svg_texts(path)
    assert not {"READINESS", "OBLIGATIONS"} & set(texts)
    assert not [t for t in texts if t.startswith("obligation")]


def test_the_legend_of_many_marks_takes_rows_and_stays_inside_the_picture(
    marsh: PartnershipReport,
) -> None:
    figure = timeline_figure(marsh)
    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()  # type: ignore[attr-defined]
    (marks,) = [legend for legend in figure.legends if legend.get_title().get_text() == "Marks"]
    box = marks.get_window_extent(renderer)
    assert 0 <= box.x0 < box.x1 <= figure.bbox.x1
    assert 9 <= len(marks.get_texts())


def test_write_timeline_takes_the_date_of_its_obligations(tmp_path: Path) -> None:
    app = SharedServices.in_memory()
    pid = build_marsh_and_vale(app)
    write_timeline(app, pid, tmp_path / "then.svg", as_of=date(2022, 3, 1))
    texts = _svg_texts(tmp_path / "then.svg")
    assert "obligation overdue" not in texts
    assert "obligation still open" in texts


def test_obligations_met_or_lapsed_do_not_widen_the_picture() -> None:
    app = SharedServices.in_memory()
    report = gather(app, build_crowded(app))  # escalations due in June, met or lapsed in March
    assert max(o.due for o in report.standing.obligations) == date(2021, 6, 4)
    assert {"met", "lapsed"} == {o.status for o in report.standing.obligations}
    figure = timeline_figure(report)
    (ax,) = figure.axes
    assert ax.get_xlim()[1] < x(date(2021, 4, 30))  # the scale of a record to 8 March


def test_a_targets_obligation_is_listed_and_drawn_like_any_other(
    marsh: PartnershipReport, tmp_path: Path
) -> None:
    """A target's obligation (kind: the target's own, party: None unless it names one)."""
    targets = [o for o in marsh.standing.obligations if o.kind == "savings"]
    assert [(None, "met"), ("valeton", "overdue")] == [(o.party, o.status) for o in targets]
    said = section(plain(render_markdown(marsh)), "Obligations")
    assert "| savings | the partnership | 2021-03-31 | met | 2021-03-15 | no | TargetSet #" in (
        said
    )
    assert "| savings | Valeton Borough Council | 2022-03-31 | overdue | — | — |" in said
    path = tmp_path / "targets.svg"
    draw_timeline(marsh, path)
    texts = _svg_texts(path)
    assert {"The partnership", "1 kept", "savings"} <= set(texts)


def test_an_obligation_of_any_other_kind_is_listed_and_drawn(
    marsh: PartnershipReport, tmp_path: Path
) -> None:
    set_on = marsh.trail[-1]
    other = Obligation("audit-response", "fenford", date(2023, 1, 9), "met", set_on.position,
                       date(2023, 1, 20), True)  # fmt: skip
    standing = attrs.evolve(marsh.standing, obligations=(*marsh.standing.obligations, other))
    report = attrs.evolve(marsh, standing=standing)
    said = section(plain(render_markdown(report)), "Obligations")
    assert (
        "| audit-response | Fenford District Council | 2023-01-09 | met | 2023-01-20 | yes |"
        in (said)
    )
    path = tmp_path / "other.svg"
    draw_timeline(report, path)
    texts = _svg_texts(path)
    assert {"audit-response", "2 kept, 1 missed", "obligation met late"} <= set(texts)
    assert [] == _overlapping_texts(report)
