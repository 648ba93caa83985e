"""How the reports word what the record holds: consents and approvals given without a
decision reference, one approval per line, dates that never break across lines, and where a
ceded function is now."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from uuid import UUID

import pytest

from sharedsvc import SharedServices
from sharedsvc.demo import build_shared_digital
from sharedsvc.reports import (
    PartnershipReport,
    gather,
    render_compromises,
    render_html,
    render_markdown,
    write_compromises,
)

ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
RECALLED_ON = (
    "2018-12-31"  # the demo's dissolution returns both ICT functions on its effective date
)


@pytest.fixture(scope="module")
def demo() -> Iterator[tuple[SharedServices, UUID, PartnershipReport]]:
    app = SharedServices.in_memory()
    pid = build_shared_digital(app)
    yield app, pid, gather(app, pid, generated_at=datetime(2024, 5, 1, 12, tzinfo=UTC))
    app.close()


def _plain(markdown: str) -> str:
    return markdown.replace("\N{NON-BREAKING HYPHEN}", "-").replace("\N{NO-BREAK SPACE}", " ")


def test_a_consent_without_a_reference_says_when_it_was_given(
    demo: tuple[SharedServices, UUID, PartnershipReport],
) -> None:
    text = _plain(render_markdown(demo[2]))
    consents = [line for line in text.splitlines() if line.startswith("- **Consent of ")]
    assert consents
    assert not [line for line in consents if "none recorded" in line]
    assert (
        "- **Consent of London Borough of Camden:** consented on 2018-02-20, "
        "no decision reference" in consents
    )
    assert (
        "- **Consent of London Borough of Islington:** consented on 2018-02-20, decision "
        "Islington Executive, ICT moves into Camden, 2018-01-04" in consents
    )


def test_each_approval_has_a_line_of_its_own_with_its_date(
    demo: tuple[SharedServices, UUID, PartnershipReport],
) -> None:
    app, pid, report = demo
    markdown, html = _plain(render_markdown(report)), render_html(report)
    for variation in app.variations(pid):
        if not variation.approvals:
            continue
        approvals = [
            line for line in markdown.splitlines() if line.startswith(f"| {str(variation.id)[:8]}")
        ]
        assert 1 == len(approvals)
        cell = approvals[0].split(" | ")[-1].removesuffix(" |")
        lines = cell.split("<br>")
        assert len(variation.approvals) == len(lines), cell
        assert all(" approved on " in line for line in lines), lines
    assert "approved on <time>2016-03-01</time>, decision Camden Cabinet" in html
    assert "<br>London Borough of Islington: approved on" in html


def test_no_date_of_the_markdown_report_can_break_across_lines(
    demo: tuple[SharedServices, UUID, PartnershipReport],
) -> None:
    markdown = render_markdown(demo[2])
    assert [] == ISO_DATE.findall(markdown)  # every one has non-breaking hyphens
    assert "2018\N{NON-BREAKING HYPHEN}11\N{NON-BREAKING HYPHEN}22" in markdown
    recorded = "2024\N{NON-BREAKING HYPHEN}05\N{NON-BREAKING HYPHEN}01\N{NO-BREAK SPACE}12:00:00"
    assert recorded in markdown


def test_every_date_of_the_html_report_is_kept_on_one_line(
    demo: tuple[SharedServices, UUID, PartnershipReport],
) -> None:
    html = render_html(demo[2])
    body = html[html.index("<body>") :]
    outside = re.sub(r"<time>[^<]*</time>", "", body)
    assert [] == ISO_DATE.findall(outside)
    assert "<time>2024-05-01 12:00:00</time>" in body
    assert "time { white-space: nowrap; }" in html


def test_the_ledger_says_a_recalled_function_went_back_to_its_council(
    demo: tuple[SharedServices, UUID, PartnershipReport],
) -> None:
    app, pid, report = demo
    out = io.StringIO()
    write_compromises(app, pid, "text", out)
    text = out.getvalue()
    ceded = [line for line in text.splitlines() if " ceded " in line]
    assert 2 == len(ceded)
    for line in ceded:
        assert "now held by the shared service" not in line
        assert "(kept by" not in line
        assert f"; returned to the council on {RECALLED_ON} [" in line
    assert (
        "  2018-04-01  ceded Islington ICT infrastructure and support (ict.infrastructure) to "
        "the shared service, giving up running it itself; returned to the council on "
        f"{RECALLED_ON}" in text
    )
    markdown = _plain(render_markdown(report))
    assert (
        "| to run Islington ICT infrastructure and support itself | held by the shared service; "
        f"returned to the council on {RECALLED_ON} |" in markdown
    )


def test_a_function_still_pooled_is_still_held_and_without_the_facts_nothing_is_claimed(
    demo: tuple[SharedServices, UUID, PartnershipReport],
) -> None:
    app, pid, _ = demo
    ledger = app.compromises(pid)
    assert "still held by the shared service" in render_compromises(ledger, returned={})
    unknown = render_compromises(ledger)
    assert "held by the shared service" not in unknown
    assert "returned" not in unknown
