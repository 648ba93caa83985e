"""Renderers: views and histories as text a person can read, audit reports, exports, and the
timeline picture.

* [`gather`][sharedsvc.reports.gather] reads a partnership's record once into a
  [`PartnershipReport`][sharedsvc.reports.PartnershipReport] (with the parties'
  [`Standing`][sharedsvc.reports.Standing] on the report's date: readiness, targets,
  obligations, balance);
  [`render_markdown`][sharedsvc.reports.render_markdown] and
  [`render_html`][sharedsvc.reports.render_html] write the audit report from it, and
  [`draw_timeline`][sharedsvc.reports.draw_timeline] its picture (PNG or SVG; needs the ``timeline``
  extra, matplotlib, which is imported only when the picture is asked for).
* [`write_trail_csv`][sharedsvc.reports.write_trail_csv],
  [`write_trail_jsonl`][sharedsvc.reports.write_trail_jsonl],
  [`write_compromises_csv`][sharedsvc.reports.write_compromises_csv] and
  [`write_compromises_jsonl`][sharedsvc.reports.write_compromises_jsonl] stream the audit trail and
  the compromise ledger.
* [`write_audit`][sharedsvc.reports.write_audit],
  [`write_compromises`][sharedsvc.reports.write_compromises] and
  [`write_timeline`][sharedsvc.reports.write_timeline] go from an application and a partnership id
  straight to a file.
* [`recharge_statement`][sharedsvc.reports.recharge_statement] reads what each council pays in
  a financial year, and [`render_recharges_markdown`][sharedsvc.reports.render_recharges_markdown],
  [`render_recharges_html`][sharedsvc.reports.render_recharges_html],
  [`write_recharges_csv`][sharedsvc.reports.write_recharges_csv] and
  [`recharges_record`][sharedsvc.reports.recharges_record] write it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sharedsvc.reports.exports import (
    json_value,
    write_compromises_csv,
    write_compromises_jsonl,
    write_trail_csv,
    write_trail_jsonl,
)
from sharedsvc.reports.html_page import render_html
from sharedsvc.reports.markdown import render_markdown
from sharedsvc.reports.model import PartnershipReport, gather
from sharedsvc.reports.model_standing import LatestScore, Standing
from sharedsvc.reports.recharges import (
    RechargeStatement,
    recharge_statement,
    recharges_record,
    render_recharges_html,
    render_recharges_markdown,
    write_recharges_csv,
)
from sharedsvc.reports.text import (
    describe_value,
    render_compromises,
    render_concessions,
    render_partnership,
)
from sharedsvc.reports.writing import (
    AUDIT_FORMATS,
    COMPROMISE_FORMATS,
    write_audit,
    write_compromises,
    write_timeline,
)

if TYPE_CHECKING:
    from sharedsvc.reports.timeline import draw_timeline

__all__ = [
    "AUDIT_FORMATS",
    "COMPROMISE_FORMATS",
    "LatestScore",
    "PartnershipReport",
    "RechargeStatement",
    "Standing",
    "describe_value",
    "draw_timeline",
    "gather",
    "json_value",
    "recharge_statement",
    "recharges_record",
    "render_compromises",
    "render_concessions",
    "render_html",
    "render_markdown",
    "render_partnership",
    "render_recharges_html",
    "render_recharges_markdown",
    "write_audit",
    "write_compromises",
    "write_compromises_csv",
    "write_compromises_jsonl",
    "write_recharges_csv",
    "write_timeline",
    "write_trail_csv",
    "write_trail_jsonl",
]


def __getattr__(name: str) -> Any:
    # The timeline needs matplotlib (an optional extra): import it only when asked for.
    if name == "draw_timeline":
        from sharedsvc.reports.timeline import draw_timeline

        return draw_timeline
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
