"""The words around the timeline picture: its title, its legends, and the key to the
numbered variations."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from matplotlib.artist import Artist
from matplotlib.figure import Figure
from matplotlib.legend import Legend
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from sharedsvc.projections.audit_values import joined, short_id, summarise_value, term
from sharedsvc.reports.model import PartnershipReport
from sharedsvc.reports.timeline_canvas import LABEL, SMALL, Canvas, Ruler
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
    "NUMBER_BADGE",
    "bottom_height",
    "ending",
    "key",
    "legends",
    "title",
    "variation_notes",
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


def variation_notes(report: PartnershipReport) -> list[tuple[date, str]]:
    """Each adopted variation that did not dissolve the partnership: the day it took effect,
    and a line about it for the key."""
    found = []
    for v in report.adopted():
        if v.dissolve:
            continue
        on = v.effective or v.closed_on or v.proposed_on
        changes = [term(name) for name in v.changes]
        changes += [f"{short_name(p.name)} admitted" for p in v.admit]
        what = v.rationale or f"{joined(changes)} varied"
        adopted = f" (adopted {nice_day(v.closed_on)})" if v.closed_on and v.closed_on != on else ""
        found.append((on, f"{nice_day(on)} — {what}{adopted} · variation {short_id(v.id)}"))
    return found


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


def bottom_height(report: PartnershipReport, variations: list[tuple[date, str]]) -> float:
    key = 0.28 + 0.19 * len(variations) if variations else 0.0
    return 0.5 + 0.55 + key + 0.1


def legends(
    figure: Figure, canvas: Canvas, report: PartnershipReport, bottom: float, height: float
) -> None:
    continuum = report.view.policy.continuum
    stages: list[Artist] = [Patch(fc=stage_colour(s, continuum), ec=INK, lw=0.4) for s in continuum]
    names = [summarise_value(s) for s in continuum]
    _legend(figure, stages, names, "Stages", (bottom - 0.05) / height, len(stages))
    handles = _marks(canvas, report)
    if handles:
        widths = [canvas.ruler.width(t, SMALL + 0.5) + 0.55 for _, t in handles]
        columns = len(handles) if sum(widths) < WIDTH - 0.6 else (len(handles) + 1) // 2
        labels = [t for _, t in handles]
        _legend(figure, [h for h, _ in handles], labels, "Marks", (bottom - 0.52) / height, columns)


def _legend(
    figure: Figure, handles: list[Artist], labels: list[str], title: str, top: float, columns: int
) -> None:
    """A legend without a frame, its top left corner at ``top`` (a fraction of the height)."""
    figure.legends.append(
        Legend(
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
    )


def key(figure: Figure, ruler: Ruler, variations: list[tuple[date, str]], height: float) -> None:
    if not variations:
        return
    top = 0.12 + 0.19 * len(variations) + 0.16
    figure.text(
        0.25 / WIDTH, top / height, "Variations", fontsize=SMALL + 0.5, color=INK, va="center"
    )
    for number, (_, line) in enumerate(variations, 1):
        y = (top - 0.22 - 0.19 * (number - 1)) / height
        figure.text(
            0.33 / WIDTH,
            y,
            str(number),
            **NUMBER_BADGE,
        )
        text = ruler.wrap(line, SMALL + 0.5, WIDTH - 0.9, 1)[0]
        figure.text(0.5 / WIDTH, y, text, fontsize=SMALL + 0.5, color=INK, va="center")
