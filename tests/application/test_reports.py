"""Audit reports of real and illustrative histories: the facts gathered, the Markdown and HTML
written from them, and the CSV and JSON Lines exports of the trail and the compromise ledger."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from datetime import UTC, date, datetime
from decimal import Decimal
from html.parser import HTMLParser
from uuid import UUID, uuid4

import pytest
from report_histories import (
    ARBITER,
    EXIT_COSTS,
    MEDIATOR,
    SCRIPT_NAME,
    WoldAndFen,
    build_script_partnership,
    build_wold_and_fen,
)

from sharedsvc import Basis, CostPool, DecisionRef, Money, NotFound, Rung, SharedServices, Stage
from sharedsvc.demo import build_shared_digital
from sharedsvc.projections.audit_values import summarise_value
from sharedsvc.reports import (
    PartnershipReport,
    gather,
    render_html,
    render_markdown,
    write_audit,
    write_compromises,
    write_compromises_csv,
    write_compromises_jsonl,
    write_trail_csv,
    write_trail_jsonl,
)
from sharedsvc.reports.markdown import escape_markdown

GENERATED = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


def ascii_dates(markdown: str) -> str:
    """Markdown with its unbreakable dates written with plain hyphens and spaces again."""
    return markdown.replace("\N{NON-BREAKING HYPHEN}", "-").replace("\N{NO-BREAK SPACE}", " ")


@pytest.fixture(scope="module")
def demo() -> Iterator[tuple[SharedServices, UUID, PartnershipReport]]:
    app = SharedServices.in_memory()
    pid = build_shared_digital(app)
    yield app, pid, gather(app, pid, generated_at=GENERATED)
    app.close()


@pytest.fixture(scope="module")
def wold() -> Iterator[tuple[SharedServices, UUID, PartnershipReport]]:
    app = SharedServices.in_memory()
    pid = build_wold_and_fen(app)
    yield app, pid, gather(app, pid, generated_at=GENERATED)
    app.close()


# --- what is gathered -------------------------------------------------------------------------


def test_the_demo_report_holds_who_joined_when(
    demo: tuple[SharedServices, UUID, PartnershipReport],
) -> None:
    _, _, report = demo
    assert [
        ("camden", date(2015, 9, 24), True, None, None),
        ("islington", date(2015, 9, 24), True, None, None),
        ("haringey", date(2016, 10, 1), False, date(2016, 8, 22), None),
    ] == [(m.party, m.joined, m.founder, m.admitted_on, m.left) for m in report.memberships]
    assert date(2018, 12, 31) == report.until


def test_the_demo_report_holds_each_change_of_cost_shares_from_its_effective_date(
    demo: tuple[SharedServices, UUID, PartnershipReport],
) -> None:
    _, _, report = demo
    assert [
        (date(2015, 9, 24), {"camden": Decimal("50"), "islington": Decimal("50")}),
        (
            date(2016, 10, 1),
            {
                "camden": Decimal("33.34"),
                "islington": Decimal("33.33"),
                "haringey": Decimal("33.33"),
            },
        ),
    ] == [(c.effective, dict(c.cost_pools[0].shares)) for c in report.cost_shares]
    assert "London Borough of Haringey joined" in report.cost_shares[1].cause


def test_the_demo_report_holds_the_stage_timeline_with_its_regression(
    demo: tuple[SharedServices, UUID, PartnershipReport],
) -> None:
    _, _, report = demo
    assert [
        (date(2015, 9, 24), None, Stage.CO_OPERATING, True),
        (date(2016, 10, 1), Stage.CO_OPERATING, Stage.COMBINING, True),
        (date(2018, 10, 1), Stage.COMBINING, Stage.CO_OPERATING, False),
    ] == [(s.on, s.from_stage, s.to, s.forward) for s in report.stages]


def test_the_demo_report_finds_its_handovers_and_dispute_through_the_trail(
    demo: tuple[SharedServices, UUID, PartnershipReport],
) -> None:
    _, _, report = demo
    assert [
        ("islington", date(2018, 4, 1), date(2018, 12, 31), "recalled", True),
        ("haringey", date(2018, 4, 1), date(2018, 12, 31), "recalled", True),
    ] == [
        (h.view.from_party, h.view.effected_on, h.ended_on, h.view.status,
         h.returned_on_dissolution)
        for h in report.handovers
    ]  # fmt: skip
    (dispute,) = report.disputes
    assert (date(2018, 1, 10), date(2018, 2, 15), True, None, ("islington",)) == (
        dispute.raised_on,
        dispute.closed_on,
        dispute.deferred,
        dispute.arbiter,
        dispute.against,
    )
    assert report.handovers[0].view.id == dispute.view.act


def test_a_withdrawal_is_gathered_with_its_notice_exit_costs_and_rebased_pools(
    wold: tuple[SharedServices, UUID, PartnershipReport],
) -> None:
    _, _, report = wold
    westfen = next(m for m in report.memberships if m.party == "westfen")
    assert (
        WoldAndFen.NOTICE_SERVED, WoldAndFen.NOTICE_EFFECTIVE, EXIT_COSTS, EXIT_COSTS,
        WoldAndFen.WESTFEN_LEFT,
    ) == (westfen.notice_served_on, westfen.notice_effective, westfen.exit_costs,
          westfen.exit_paid, westfen.left)  # fmt: skip
    assert [WoldAndFen.FORMED, WoldAndFen.REBASED, WoldAndFen.WESTFEN_LEFT] == [
        c.effective for c in report.cost_shares
    ]
    rebased = {pool.name: dict(pool.shares) for pool in report.cost_shares[-1].cost_pools}
    assert {
        "revenues": {"northmoor": Decimal("53.33"), "eastwold": Decimal("46.67")},
        "ict": {"northmoor": Decimal("50.00"), "eastwold": Decimal("50.00")},
    } == rebased
    assert "Westfen District Council withdrew" == report.cost_shares[-1].cause
    assert WoldAndFen.LAST_ACT == report.until


def test_a_dispute_that_reached_arbitration_is_gathered_with_every_rung_and_its_arbiter(
    wold: tuple[SharedServices, UUID, PartnershipReport],
) -> None:
    _, _, report = wold
    arbitrated, still_open = report.disputes
    assert list(Rung) == [r.rung for r in arbitrated.view.rungs]
    assert ("determined", WoldAndFen.DETERMINED, ARBITER, MEDIATOR) == (
        arbitrated.view.status,
        arbitrated.closed_on,
        arbitrated.arbiter,
        arbitrated.view.mediator,
    )
    assert ("open", None, Rung.DIRECTORS) == (
        still_open.view.status,
        still_open.closed_on,
        still_open.view.rung,
    )
    benefits = report.handovers[1]
    assert ("recalled", WoldAndFen.BENEFITS_RECALLED, "westfen", False) == (
        benefits.view.status,
        benefits.ended_on,
        benefits.ended_by,
        benefits.returned_on_dissolution,
    )


def test_an_unknown_partnership_is_not_found() -> None:
    app = SharedServices.in_memory()
    with pytest.raises(NotFound):
        gather(app, uuid4())
    out = io.StringIO()
    with pytest.raises(NotFound):
        write_audit(app, uuid4(), "md", out)
    with pytest.raises(NotFound):
        write_compromises(app, uuid4(), "csv", out)
    assert "" == out.getvalue()


# --- Markdown ---------------------------------------------------------------------------------


def test_the_markdown_report_states_the_demo_facts(
    demo: tuple[SharedServices, UUID, PartnershipReport],
) -> None:
    _, pid, report = demo
    text = ascii_dates(render_markdown(report))
    assert text.startswith("# Audit report: Shared Digital\n")
    assert (
        f"Generated 2024-05-01 12:00:00 UTC from 50 recorded events. Partnership id {pid}." in text
    )
    for fact in (
        "- **Status:** dissolved on 2018-12-31",
        "- **Final account:** camden £0.00, islington £0.00, haringey £0.00",
        "| haringey | London Borough of Haringey | 2016-10-01 | 2016-08-22 |",
        "| 2016-10-01 | ict-and-digital | equal | 33.34% | 33.33% | 33.33% |",
        "| 2018-10-01 | combining | co-operating | London Borough of Camden |",
        "### Islington ICT infrastructure and support from London Borough of Islington",
        "- **Recalled:** 2018-12-31",
        "- **Staff:** 48 staff under TUPE",
        "### TUPE transfer of ICT staff",
        "| chief executives | 2018-02-07 | directors referred it |",
        "- **Status:** settled on 2018-02-15",
        "London Borough of Haringey conceded transfer date: wanted 2018-10-01, accepted 2018-04-01",
    ):
        assert fact in text, fact


def test_the_markdown_report_lists_every_compromise_and_every_trail_entry(
    demo: tuple[SharedServices, UUID, PartnershipReport],
) -> None:
    app, pid, report = demo
    text = ascii_dates(render_markdown(report))
    ledger = app.compromises(pid)
    assert 5 == sum(len(entries) for entries in ledger.values())
    for entries in ledger.values():
        for e in entries:
            row = f"| {e.on.isoformat()} | {e.kind} |"
            assert row in text, e
            if e.kind == "ceded":  # the function's name, and who held it: see test_report_wording
                assert escape_markdown(str(e.wanted).split(": ", 1)[1]) in text, e
            else:
                assert escape_markdown(summarise_value(e.wanted)) in text, e
            assert f"| {e.event} #{e.position} |" in text
    for entry in app.audit_trail(pid):
        assert f"| {entry.position} | {entry.on.isoformat()} |" in text
        assert escape_markdown(entry.summary) in text


def test_the_markdown_report_writes_amounts_as_the_trail_does(
    wold: tuple[SharedServices, UUID, PartnershipReport],
) -> None:
    text = ascii_dates(render_markdown(wold[2]))
    for fact in (
        "| westfen | Westfen District Council | 2019-04-01 | founder | 2021-02-01 | 2022-03-31 |"
        " 2022-03-31 | £125,000.00 | £125,000.00 |",
        "- **Position of Westfen District Council:** service credits: £150,000.00",
        "- **Outcome:** service credits: £85,000.00",
        f"- **Arbiter:** {ARBITER}",
        "| arbitration | 2020-11-02 | mediation failed |",
        "| 2022-03-31 | revenues | usage | 53.33% | 46.67% | — | Westfen District Council "
        "withdrew |",
    ):
        assert fact in text, fact


def test_the_same_report_renders_the_same_markdown(
    demo: tuple[SharedServices, UUID, PartnershipReport],
) -> None:
    app, pid, report = demo
    assert render_markdown(report) == render_markdown(gather(app, pid, generated_at=GENERATED))


def test_markup_in_names_is_escaped_in_markdown() -> None:
    app = SharedServices.in_memory()
    text = render_markdown(gather(app, build_script_partnership(app)))
    assert "<script>" not in text
    assert "<b>" not in text
    assert "&lt;script&gt;alert('x')&lt;/script&gt; Borough Council" in text


# --- HTML -------------------------------------------------------------------------------------


class _Page(HTMLParser):
    """Collects a page's tags and the text of its body."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _page(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    page.close()
    return page


def test_the_html_report_is_a_standalone_page_with_the_demo_facts(
    demo: tuple[SharedServices, UUID, PartnershipReport],
) -> None:
    _, _, report = demo
    html = render_html(report)
    assert html.startswith('<!DOCTYPE html>\n<html lang="en">')
    page = _page(html)
    assert {"html", "head", "style", "title", "body", "h1", "h2", "dl", "table", "nav"} <= set(
        page.tags
    )
    assert "script" not in page.tags
    assert "link" not in page.tags
    text = "".join(page.text)
    for fact in (
        "Audit report: Shared Digital",
        "London Borough of Haringey",
        "33.34%",
        "£0.00",
        "chief executives",
        "2018-02-07",
        "transfer date: 2018-04-01, consultation: extended by four weeks",
        "Compromises by party",
    ):
        assert fact in text, fact
    assert 50 + 1 == html.count("<tr>") - _rows_before_trail(html)


def _rows_before_trail(html: str) -> int:
    return html[: html.index('id="trail"')].count("<tr>")


def test_markup_in_names_is_escaped_in_html() -> None:
    app = SharedServices.in_memory()
    html = render_html(gather(app, build_script_partnership(app)))
    page = _page(html)
    assert "script" not in page.tags
    assert "b" not in page.tags
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; Borough Council" in html
    assert SCRIPT_NAME in "".join(page.text)
    assert "<title>Audit report: Escaping &lt;b&gt;test&lt;/b&gt; &amp; co</title>" in html


def test_the_html_report_can_embed_the_timeline(
    demo: tuple[SharedServices, UUID, PartnershipReport],
) -> None:
    app, pid, _ = demo
    out = io.StringIO()
    assert 50 == write_audit(app, pid, "html", out, timeline=True, generated_at=GENERATED)
    html = out.getvalue()
    assert 1 == html.count("<svg")
    assert "<?xml" not in html
    assert html.index("<figure>") < html.index('id="membership"')


# --- CSV and JSON Lines -----------------------------------------------------------------------


def test_the_trail_as_csv_has_a_header_and_one_row_per_entry(
    demo: tuple[SharedServices, UUID, PartnershipReport],
) -> None:
    app, pid, _ = demo
    out = io.StringIO(newline="")
    assert 50 == write_trail_csv(app.iter_audit_trail(pid), out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue(), newline="")))
    trail = app.audit_trail(pid)
    assert len(trail) == len(rows)
    assert [e.position for e in trail] == [int(r["position"]) for r in rows]
    assert ("Formed", "Islington Executive", "2015-09-24", "no") == (
        rows[0]["event"], rows[0]["ref_body"], rows[0]["ref_decided_on"], rows[0]["unreferenced"]
    )  # fmt: skip
    assert trail[8].summary == rows[8]["summary"]
    assert "yes" == rows[8]["unreferenced"]  # the stage change to combining has no reference


def test_the_trail_as_json_lines_reads_back_to_the_same_entries(
    wold: tuple[SharedServices, UUID, PartnershipReport],
) -> None:
    app, pid, _ = wold
    out = io.StringIO()
    trail = app.audit_trail(pid)
    assert len(trail) == write_trail_jsonl(iter(trail), out)
    lines = out.getvalue().splitlines()
    assert len(trail) == len(lines)
    for entry, line in zip(trail, lines, strict=True):
        record = json.loads(line)
        ref = record["ref"]
        assert (entry.position, entry.on, entry.recorded_at, entry.event, entry.aggregate_id) == (
            record["position"],
            date.fromisoformat(record["on"]),
            datetime.fromisoformat(record["recorded_at"]),
            record["event"],
            UUID(record["aggregate_id"]),
        )
        assert entry.ref == (
            None
            if ref is None
            else DecisionRef(ref["body"], ref["reference"], date.fromisoformat(ref["decided_on"]))
        )


def test_the_compromise_ledger_as_csv_has_one_row_per_compromise(
    demo: tuple[SharedServices, UUID, PartnershipReport],
) -> None:
    app, pid, _ = demo
    out = io.StringIO(newline="")
    assert 5 == write_compromises_csv(app.compromises(pid), out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue(), newline="")))
    assert [
        ("camden", "governance", "joint committee", "lead authority"),
        ("islington", "ict.infrastructure", "kept by islington: Islington ICT infrastructure and "
         "support", "held by the shared service"),
        ("haringey", "cost_pools",
         "ict-and-digital (by usage: camden 38%, islington 34%, haringey 28%)",
         "ict-and-digital (equal shares: camden 33.34%, islington 33.33%, haringey 33.33%)"),
        ("haringey", "transfer date", "2018-10-01", "2018-04-01"),
        ("haringey", "ict.infrastructure", "kept by haringey: Haringey ICT infrastructure and "
         "support", "held by the shared service"),
    ] == [(r["party"], r["subject"], r["wanted"], r["accepted"]) for r in rows]  # fmt: skip


def test_the_compromise_ledger_as_json_lines_gives_terms_a_faithful_json_form(
    demo: tuple[SharedServices, UUID, PartnershipReport],
) -> None:
    app, pid, _ = demo
    ledger = app.compromises(pid)
    out = io.StringIO()
    assert 5 == write_compromises_jsonl(ledger, out)
    records = [json.loads(line) for line in out.getvalue().splitlines()]
    entries = [e for party in ledger.values() for e in party]
    assert [(e.party, e.subject, e.position, str(e.source)) for e in entries] == [
        (r["party"], r["subject"], r["position"], r["source"]) for r in records
    ]
    pools = next(r for r in records if r["subject"] == "cost_pools")
    wanted = [CostPool(p["name"], Basis(p["basis"]), p["shares"]) for p in pools["wanted"]]
    assert next(e for e in entries if e.subject == "cost_pools").wanted == tuple(wanted)
    governance = records[0]
    assert ("joint-committee", "lead-authority", "joint committee") == (
        governance["wanted"], governance["accepted"], governance["wanted_text"]
    )  # fmt: skip


def test_money_in_a_determination_round_trips_through_json_lines(
    wold: tuple[SharedServices, UUID, PartnershipReport],
) -> None:
    app, pid, _ = wold
    out = io.StringIO()
    write_compromises_jsonl(app.compromises(pid), out)
    credits = [
        json.loads(line) for line in out.getvalue().splitlines() if "service credits" in line
    ]
    assert [
        ("northmoor", Money("0.00"), Money("85000.00")),
        ("westfen", Money("150000.00"), Money("85000.00")),
    ] == [(r["party"], Money(**r["wanted"]), Money(**r["accepted"])) for r in credits]


@pytest.mark.parametrize(("format", "first"), [("csv", "position,on,"), ("jsonl", '{"position"')])
def test_write_audit_streams_the_trail_as_csv_or_json_lines(
    demo: tuple[SharedServices, UUID, PartnershipReport], format: str, first: str
) -> None:
    app, pid, _ = demo
    out = io.StringIO(newline="")
    assert 50 == write_audit(app, pid, format, out)
    assert out.getvalue().startswith(first)


def test_write_audit_writes_markdown_and_refuses_an_unknown_format(
    demo: tuple[SharedServices, UUID, PartnershipReport],
) -> None:
    app, pid, report = demo
    out = io.StringIO()
    assert 50 == write_audit(app, pid, "markdown", out, generated_at=GENERATED)
    assert render_markdown(report) == out.getvalue()
    with pytest.raises(ValueError, match="choose one of md, html, csv, jsonl"):
        write_audit(app, pid, "pdf", io.StringIO())


def test_write_compromises_as_text_names_every_party(
    demo: tuple[SharedServices, UUID, PartnershipReport],
) -> None:
    app, pid, _ = demo
    out = io.StringIO()
    assert 5 == write_compromises(app, pid, "text", out)
    assert ["camden", "islington", "haringey"] == [
        line for line in out.getvalue().splitlines() if not line.startswith(" ")
    ]
