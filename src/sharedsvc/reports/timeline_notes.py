"""The words around the timeline picture: its title, its legends, and the key to the
numbered variations."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from functools import partial
from typing import Any

from matplotlib.artist import Artist
from matplotlib.figure import Figure
from matplotlib.legend import Legend
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from sharedsvc.projections.audit_values import joined, summarise_value
from sharedsvc.reports.model import PartnershipReport
from sharedsvc.reports.timeline_canvas import LABEL, SMALL, Canvas, Ruler
from sharedsvc.reports.timeline_marks import Mark
from sharedsvc.reports.timeline_obligations import MARKS as OBLIGATION_MARKS
from sharedsvc.reports.timeline_outside import NOTE, NOTE_MARKER
from sharedsvc.reports.timeline_style import (
    DISPUTE_STATUS,
    DISSOLUTION,
    INK,
    MUTED,
    VARIATION,
    WIDTH,
    nice_day,
    short_name,
    stage_colour,
)

__all__ = [
    "GROUP_BADGE",
    "NUMBER_BADGE",
    "badge",
    "bottom_height",
    "ending",
    "key",
    "legends",
    "mark_legend",
    "title",
]

EN_DASH = "\N{EN DASH}"  # between the years of the title


NUMBER_BADGE: dict[str, Any] = {
    "ha": "center",
    "va": "center",
    "fontsize": SMALL,
    "fontweight": "bold",
    "color": "white",
    "bbox": {"boxstyle": "circle,pad=0.25", "fc": VARIATION, "ec": "none"},
}
"""How a variation's number is drawn, on its marker and in the key below the picture."""


GROUP_BADGE: dict[str, Any] = {
    **NUMBER_BADGE,
    "bbox": {"boxstyle": "round,pad=0.25", "fc": VARIATION, "ec": "none"},
}
"""How the range of numbers of a group of variations is drawn: a pill, not a circle."""


def badge(mark: Mark) -> dict[str, Any]:
    """How ``mark``'s badge is drawn: a circle for one variation, a pill for a group."""
    return NUMBER_BADGE if len(mark.notes) == 1 else GROUP_BADGE


def ending(report: PartnershipReport) -> str:
    """What the line at the end of the picture says."""
    if report.view.dissolved_on is not None:
        return f"dissolved {nice_day(report.view.dissolved_on)}"
    return f"record ends {nice_day(report.until)}"


def _years(first: date, last: date) -> str:
    return str(first.year) if first.year == last.year else f"{first.year}{EN_DASH}{last.year}"


def title(figure: Figure, ruler: Ruler, report: PartnershipReport, height: float) -> None:
    """The name and period of the partnership, and a line on its status and parties."""
    view = report.view
    last = view.dissolved_on or report.until
    room = WIDTH - 0.5
    years = f", {_years(report.since, last)}"
    name = ruler.wrap(report.name, 15, room - ruler.width(years, 15, bold=True), 1)[0]
    figure.text(
        0.25 / WIDTH,
        1 - 0.38 / height,
        name + years,
        fontsize=15,
        fontweight="bold",
        color=INK,
        va="center",
    )
    status = (
        f"dissolved {nice_day(view.dissolved_on)}"
        if view.dissolved_on
        else f"in force; record to {nice_day(report.until)}"
    )
    lead = f"Formed {nice_day(report.since)} · {status} · "
    figure.text(
        0.25 / WIDTH,
        1 - 0.68 / height,
        lead + _parties(ruler, report, room - ruler.width(lead, LABEL + 0.5)),
        fontsize=LABEL + 0.5,
        color=MUTED,
        va="center",
    )


def _parties(ruler: Ruler, report: PartnershipReport, room: float) -> str:
    """The parties' short names, as many as fit in ``room`` inches (``and 3 more``)."""
    names = [short_name(p.name) for p in report.view.parties.values()]
    for shown in range(len(names), 0, -1):
        more = len(names) - shown
        text = joined([*names[:shown], f"{more} more"] if more else names)
        if ruler.width(text, LABEL + 0.5) <= room:
            return text
    return f"{len(names)} parties"


MARKS: dict[str, tuple[str, Callable[[], Artist]]] = {
    "notice": ("notice period", lambda: Patch(fc=MUTED, hatch="////", hatchcolor="#ffffffcc")),
    "succession": (
        "seat handed to successors",
        lambda: Line2D([], [], ls="", marker=">", mfc="white", mec=INK),
    ),
    "waiting": ("awaiting consent", lambda: Line2D([], [], color=MUTED, lw=1.6, ls=(0, (1, 1.6)))),
    "deferred": ("deferred by a dispute", lambda: Patch(fc="#c62828", alpha=0.22)),
    "rung": ("rung reached", lambda: Line2D([], [], ls="", marker="D", mfc="white", mec=INK)),
    "variation": ("variation takes effect", lambda: Line2D([], [], color=VARIATION, ls="--")),
    "dissolved": ("dissolved", lambda: Line2D([], [], color=DISSOLUTION, lw=1.6)),
    "note": ("outside event noted", lambda: Line2D([], [], ls="", marker=NOTE_MARKER, color=NOTE)),
    "readiness": (
        "readiness assessed (overall, 0 to 5)",
        lambda: Line2D([], [], color=MUTED, lw=1.5, marker="o", ms=3.2, mec="white", mew=0.5),
    ),
    **{
        key: (words, partial(Line2D, [], [], **style))
        for key, (words, style) in OBLIGATION_MARKS.items()
    },
}
OUTCOME_MARKERS = {"settled": "o", "determined": "s", "withdrawn": "X"}


def _marks(canvas: Canvas, report: PartnershipReport) -> list[tuple[Artist, str]]:
    handles = [(make(), label) for key, (label, make) in MARKS.items() if key in canvas.marks]
    for status, marker in OUTCOME_MARKERS.items():
        if status in canvas.marks:
            colour, word = DISPUTE_STATUS[status]
            handles.append((Line2D([], [], ls="", marker=marker, color=colour), f"dispute {word}"))
    if "open" in canvas.marks:
        colour, _ = DISPUTE_STATUS["open"]
        handles.append((Line2D([], [], color=colour, lw=2.5), "dispute still open"))
    if report.view.dissolved_on is None:
        handles.append((Patch(fc=MUTED, alpha=0.35), "goes on after the record ends"))
    return handles


LEGEND_ROW = 0.19
"""The height (inches) of a row of a legend."""


def bottom_height(marks: Sequence[Mark], legend_rows: int = 1) -> float:
    """The height (inches) under the lanes: the axis, the legends (the marks' in
    ``legend_rows`` rows) and the key to the variations."""
    key = 0.28 + 0.19 * len(marks) if marks else 0.0
    return 0.5 + 0.55 + LEGEND_ROW * max(0, legend_rows - 1) + key + 0.1


def mark_legend(
    figure: Figure, canvas: Canvas, report: PartnershipReport
) -> tuple[list[Artist], list[str], int]:
    """The legend of the marks the lanes used: its handles, labels and columns (as many as
    fit across the picture, measured as drawn)."""
    found = _marks(canvas, report)
    handles, labels = [h for h, _ in found], [t for _, t in found]
    for count in range(len(handles), 1, -1):
        trial = _make_legend(figure, handles, labels, "Marks", 0.0, count)
        if canvas.ruler.extent(trial) <= WIDTH - 0.5:
            return handles, labels, count
    return handles, labels, 1


def legends(
    figure: Figure,
    canvas: Canvas,
    report: PartnershipReport,
    bottom: float,
    height: float,
) -> None:
    continuum = report.view.policy.continuum
    stages: list[Artist] = [Patch(fc=stage_colour(s, continuum), ec=INK, lw=0.4) for s in continuum]
    names = [summarise_value(s) for s in continuum]
    _legend(figure, stages, names, "Stages", (bottom - 0.05) / height, len(stages))
    handles, labels, count = mark_legend(figure, canvas, report)
    if handles:
        _legend(figure, handles, labels, "Marks", (bottom - 0.52) / height, count)


def _legend(
    figure: Figure, handles: list[Artist], labels: list[str], title: str, top: float, columns: int
) -> None:
    """A legend without a frame, its top left corner at ``top`` (a fraction of the height)."""
    figure.legends.append(_make_legend(figure, handles, labels, title, top, columns))


def _make_legend(
    figure: Figure, handles: list[Artist], labels: list[str], title: str, top: float, columns: int
) -> Legend:
    return Legend(
        figure,
        handles,
        labels,
        loc="upper left",
        bbox_to_anchor=(0.25 / WIDTH, top),
        ncols=columns,
        title=title,
        frameon=False,
        fontsize=SMALL + 0.5,
        title_fontsize=SMALL + 0.5,
        alignment="left",
        handlelength=1.8,
        columnspacing=1.4,
        borderaxespad=0.0,
    )


def key(figure: Figure, ruler: Ruler, marks: Sequence[Mark], height: float) -> None:
    """The key under the picture: a line for each badge."""
    if not marks:
        return
    top = 0.12 + 0.19 * len(marks) + 0.16
    figure.text(
        0.25 / WIDTH, top / height, "Variations", fontsize=SMALL + 0.5, color=INK, va="center"
    )
    widest = max(ruler.width(mark.label, SMALL, bold=True) for mark in marks)
    centre = 0.33 + max(0.0, widest - 0.1) / 2  # a number's badge, or the widest pill, fits
    left = centre + max(0.17, widest / 2 + 0.12)
    for index, mark in enumerate(marks):
        y = (top - 0.22 - 0.19 * index) / height
        figure.text(centre / WIDTH, y, mark.label, **badge(mark))
        text = ruler.wrap(mark.line, SMALL + 0.5, WIDTH - left - 0.4, 1)[0]
        figure.text(left / WIDTH, y, text, fontsize=SMALL + 0.5, color=INK, va="center")
