"""One call per report, from an application and a partnership id to a file: what a command
line or a scheduled job needs.

``write_audit(app, pid, "md", out)`` writes the whole audit report (``"md"`` or ``"html"``)
or the audit trail (``"csv"`` or ``"jsonl"``, streamed); ``write_compromises`` the compromise
ledger as text, CSV or JSON Lines; ``write_timeline`` the picture (PNG or SVG; needs the
``timeline`` extra). Each raises [`NotFound`][sharedsvc.NotFound] for an unknown partnership
before writing anything.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime
from typing import BinaryIO, TextIO
from uuid import UUID

from sharedsvc.application import SharedServices
from sharedsvc.projections.compromises import CEDED, CompromiseEntry
from sharedsvc.reports.exports import (
    write_compromises_csv,
    write_compromises_jsonl,
    write_trail_csv,
    write_trail_jsonl,
)
from sharedsvc.reports.html_page import render_html
from sharedsvc.reports.markdown import render_markdown
from sharedsvc.reports.model import GATHER_STEPS, gather
from sharedsvc.reports.text import render_compromises

__all__ = [
    "AUDIT_FORMATS",
    "COMPROMISE_FORMATS",
    "REPORT_STEPS",
    "returned_functions",
    "write_audit",
    "write_compromises",
    "write_timeline",
]

AUDIT_FORMATS = ("md", "html", "csv", "jsonl")
"""The formats of [`write_audit`][sharedsvc.reports.write_audit] (``"markdown"`` is also accepted
for ``"md"``)."""

REPORT_STEPS = GATHER_STEPS + 1
"""The steps [`write_audit`][sharedsvc.reports.write_audit] and
[`write_timeline`][sharedsvc.reports.write_timeline] report to their ``progress``: the parts
[`gather`][sharedsvc.reports.gather] reads, then the writing or drawing."""

COMPROMISE_FORMATS = ("text", "csv", "jsonl")
"""The formats of [`write_compromises`][sharedsvc.reports.write_compromises]."""


def _choose(given: str, formats: tuple[str, ...]) -> str:
    chosen = {"markdown": "md", "txt": "text", "json-lines": "jsonl"}.get(given.lower(), given)
    if chosen.lower() not in formats:
        raise ValueError(f"unknown format {given!r}: choose one of {', '.join(formats)}")
    return chosen.lower()


def write_audit(
    app: SharedServices,
    pid: UUID | str,
    format: str,
    out: TextIO,
    *,
    timeline: bool = False,
    generated_at: datetime | None = None,
    as_of: date | None = None,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Write partnership ``pid``'s audit to the text file ``out``: the whole report as
    Markdown (``"md"``) or a standalone HTML page (``"html"``; with ``timeline=True`` the
    timeline picture is embedded, which needs matplotlib), or the audit trail as CSV or JSON
    Lines (``"csv"``, ``"jsonl"``), streamed. Returns the number of trail entries the output
    holds. ``as_of`` (default: the day the report is generated) is the date the report's
    readiness, obligations and balance are read on (see
    [`gather`][sharedsvc.reports.gather]). ``progress``, if given, is called with the steps
    done of the report's `REPORT_STEPS` (the parts gathered, then the writing); the
    streamed trail reports none."""
    chosen = _choose(format, AUDIT_FORMATS)
    view = app.partnership(pid)  # type: ignore[arg-type]  # NotFound before anything is written
    if chosen == "csv":
        return write_trail_csv(app.iter_audit_trail(view.id), out)
    if chosen == "jsonl":
        return write_trail_jsonl(app.iter_audit_trail(view.id), out)
    report = gather(app, view.id, generated_at=generated_at, as_of=as_of, progress=progress)
    if chosen == "md":
        out.write(render_markdown(report))
    else:
        svg = None
        if timeline:
            from io import BytesIO

            from sharedsvc.reports.timeline import draw_timeline

            picture = BytesIO()
            draw_timeline(report, picture, format="svg")
            svg = picture.getvalue().decode("utf-8")
        out.write(render_html(report, timeline_svg=svg))
    if progress is not None:
        progress(REPORT_STEPS)
    return len(report.trail)


def write_compromises(
    app: SharedServices,
    pid: UUID | str,
    format: str,
    out: TextIO,
) -> int:
    """Write partnership ``pid``'s compromise ledger to the text file ``out``, party by party: as
    text (``"text"``, as [`render_compromises`][sharedsvc.reports.render_compromises] writes it),
    CSV or JSON Lines. Returns the number of compromises written."""
    chosen = _choose(format, COMPROMISE_FORMATS)
    ledger = app.compromises(pid)  # type: ignore[arg-type]  # NotFound for an unknown id
    if chosen == "csv":
        return write_compromises_csv(ledger, out)
    if chosen == "jsonl":
        return write_compromises_jsonl(ledger, out)
    out.write(render_compromises(ledger, returned=returned_functions(app, ledger)) + "\n")
    return sum(len(entries) for entries in ledger.values())


def returned_functions(
    app: SharedServices, ledger: Mapping[str, Iterable[CompromiseEntry]]
) -> dict[UUID, date]:
    """Each handover of a function the ``ledger`` says was ceded that has since gone back
    to its council (recalled, or returned on dissolution) -> the day it went back: what
    `sharedsvc.reports.render_compromises` needs to say where each function is now."""
    found: dict[UUID, date] = {}
    for entries in ledger.values():
        for e in entries:
            if e.kind == CEDED and e.source not in found:
                recalled_on = app.handover(e.source).recalled_on
                if recalled_on is not None:
                    found[e.source] = recalled_on
    return found


def write_timeline(
    app: SharedServices,
    pid: UUID | str,
    path: str | os.PathLike[str] | BinaryIO,
    *,
    format: str | None = None,
    dpi: int | None = None,
    as_of: date | None = None,
    progress: Callable[[int], None] | None = None,
) -> tuple[int, int]:
    """Draw partnership ``pid``'s timeline to ``path`` as PNG or SVG (see
    [`draw_timeline`][sharedsvc.reports.draw_timeline]); returns its size in pixels. Needs
    the ``timeline`` extra (matplotlib). ``as_of`` (default: today) is the date its
    obligations are drawn as they stood on, and its readiness up to. ``progress`` as for
    [`write_audit`][sharedsvc.reports.write_audit]."""
    from sharedsvc.reports.timeline import DPI, draw_timeline

    report = gather(app, pid, as_of=as_of, progress=progress)
    size = draw_timeline(report, path, format=format, dpi=dpi or DPI)
    if progress is not None:
        progress(REPORT_STEPS)
    return size
