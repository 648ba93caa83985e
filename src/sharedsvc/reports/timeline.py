"""The timeline picture of a partnership, as PNG or SVG (needs the ``timeline`` extra).

Years run across; lanes run down, in groups:

* **Integration stage**: a band of steps, one colour and height per stage of the continuum,
  so a partnership that moved up to combining and back to co-operating shows it at a glance;
* **Readiness** (where parties assessed it): each party's overall readiness, 0 to 5, as
  steps over time (see `.timeline_readiness`);
* **Members**: one bar per party, from joining to leaving (a withdrawal notice is hatched);
* **Pooled functions**: one bar per function handed over, from the day the handover took
  effect to its recall (dotted while it waited for consent, shaded while a dispute deferred it);
* **Disputes**: one bar per dispute from raised to closed, a diamond at each rung of the ladder
  it reached (named underneath) and its outcome at the end;
* **Obligations** (where the record makes any): one lane per party obliged, a mark for each
  obligation on its due day and its status on the report's date (see
  `.timeline_obligations`);
* **Notes**: the outside events recorded.

Dashed lines mark the days adopted variations took effect (numbered, with a key underneath;
where they crowd, neighbours share a badge and a line of the key, and a light band shows the
days they span: see `.timeline_marks`); a red line marks the dissolution.

It draws with matplotlib's object API on an Agg canvas: pyplot and its global state are never
used. The only setting changed is SVG text (kept as text, so the picture can be searched and
its names read by a screen reader), and only while the SVG is written.
"""

from __future__ import annotations

import math
import os
from datetime import date, timedelta
from typing import BinaryIO

import matplotlib
from matplotlib.axes import Axes
from matplotlib.dates import DateFormatter, MonthLocator, YearLocator
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle

from sharedsvc.reports.model import PartnershipReport
from sharedsvc.reports.timeline_canvas import FADE, LABEL, SMALL, Canvas, Ruler, x
from sharedsvc.reports.timeline_lanes import Group, Lane, groups
from sharedsvc.reports.timeline_marks import Mark, badge_at, group_marks, variation_notes
from sharedsvc.reports.timeline_notes import (
    badge,
    bottom_height,
    ending,
    key,
    legends,
    mark_legend,
    title,
)
from sharedsvc.reports.timeline_style import (
    DISSOLUTION,
    INK,
    MUTED,
    RULE,
    VARIATION,
    WIDTH,
    ZEBRA,
)

__all__ = ["DPI", "WIDTH", "draw_timeline", "timeline_figure"]

DPI = 150
"""Dots per inch of a PNG, unless told otherwise: 1800 pixels across."""

LEFT, RIGHT, TOP, STRIP, AXIS, HEADER = 2.7, 0.3, 0.95, 0.42, 0.42, 0.3
FORMATS = {".png": "png", ".svg": "svg"}


def draw_timeline(
    report: PartnershipReport,
    path: str | os.PathLike[str] | BinaryIO,
    *,
    format: str | None = None,
    dpi: int = DPI,
) -> tuple[int, int]:
    """Draw the timeline of ``report`` to ``path`` (a file name, or a binary file when
    ``format`` is given) as PNG or SVG: ``format`` is ``"png"`` or ``"svg"``, or else taken
    from the file name's suffix. Returns the picture's size in pixels at ``dpi``."""
    kind = _format(path, format)
    figure = timeline_figure(report)
    metadata: dict[str, str | None] = {"Title": f"{report.name}: timeline"}
    metadata["Date" if kind == "svg" else "Software"] = None
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": str(report.view.id)}):
        figure.savefig(path, format=kind, dpi=dpi, metadata=metadata, facecolor="white")
    figure.set_dpi(dpi)
    width, height = figure.bbox.size  # as the Agg canvas sizes its image: whole pixels, cut
    return int(width), int(height)


def _format(path: object, given: str | None) -> str:
    if given is not None:
        kind = given.lower().lstrip(".")
        if kind not in FORMATS.values():
            raise ValueError(f"the timeline is drawn as png or svg, not {given!r}")
        return kind
    if isinstance(path, str | os.PathLike):
        suffix = os.path.splitext(os.fspath(path))[1].lower()
        if suffix in FORMATS:
            return FORMATS[suffix]
    raise ValueError(
        f"the timeline is drawn as png or svg, and {path!r} does not say which: "
        "end the file name in .png or .svg, or pass format='png' or 'svg'"
    )


def timeline_figure(report: PartnershipReport) -> Figure:
    """The timeline of ``report`` as a matplotlib `Figure` (for a
    caller that wants to adjust it before saving it)."""
    figure = Figure(figsize=(WIDTH, 8.0), dpi=100, facecolor="white")
    ruler = Ruler(figure)
    found = groups(report, ruler)
    start, stop, per_inch = _scale(report, found, ruler)
    labels = [[_margin_texts(ruler, lane) for lane in g.lanes] for g in found]
    heights = [
        [max(lane.height, 0.15 * len(texts) + 0.08) for lane, texts in zip(g.lanes, t, strict=True)]
        for g, t in zip(found, labels, strict=True)
    ]
    lanes_height = sum(HEADER + sum(h) for h in heights)
    marks, rows, ending_row = _marks(report, ruler, start, per_inch)
    ax = figure.add_axes((0, 0, 1, 1))  # placed once the height under the lanes is known
    canvas = Canvas(ax, ruler, per_inch)
    _axes(ax, start, stop, lanes_height)
    top = 0.0
    for group, lane_heights, texts in zip(found, heights, labels, strict=True):
        top = _group(canvas, group, lane_heights, texts, top)
    _markers(canvas, report, marks, rows, ending_row, lanes_height)
    _, legend, count = mark_legend(figure, canvas, report)
    bottom = bottom_height(marks, math.ceil(len(legend) / count) if legend else 0)
    height = math.ceil((TOP + STRIP + lanes_height + AXIS + bottom) * 100) / 100
    figure.set_size_inches(WIDTH, height)
    ax.set_position(
        (
            LEFT / WIDTH,
            (AXIS + bottom) / height,
            (WIDTH - LEFT - RIGHT) / WIDTH,
            (STRIP + lanes_height) / height,
        )
    )
    title(figure, ruler, report, height)
    legends(figure, canvas, report, bottom, height)
    key(figure, ruler, marks, height)
    return figure


def _marks(
    report: PartnershipReport, ruler: Ruler, start: float, per_inch: float
) -> tuple[list[Mark], list[int], int]:
    """The variations' badges (grouped where they crowd), their rows, and the row of the
    words at the end of the record."""

    def inches(day: date) -> float:
        return (x(day) - start) / per_inch

    last = report.view.dissolved_on or report.until
    said = ending(report)
    closing = (inches(last), inches(last) + ruler.width(said, SMALL, bold=True) + 0.1)
    return group_marks(
        variation_notes(report),
        inches,
        lambda label: ruler.width(label, SMALL, bold=True),
        closing,
    )


def _scale(
    report: PartnershipReport, found: list[Group], ruler: Ruler
) -> tuple[float, float, float]:
    """Where x starts and stops, and how many days an inch holds: the whole period, with
    room after it for the texts that follow the last bars."""
    first, last = x(report.since), x(max(report.until, report.since + timedelta(days=90)))
    room = WIDTH - LEFT - RIGHT
    start = first - 0.025 * (last - first)
    tails = [lane.tail for g in found for lane in g.lanes if lane.tail]
    tails.append((report.view.dissolved_on or report.until, ending(report)))
    stop = last + 0.02 * (last - first)
    for _ in range(6):  # each pass widens the scale a little less; six is plenty
        per_inch = (stop - start) / room
        extra = 0.26 + (FADE if report.view.dissolved_on is None else 0.0)
        needed = [x(on) + (ruler.width(text, SMALL) + extra) * per_inch for on, text in tails]
        stop = max([last + 0.02 * (last - first), *needed])
    return start, stop, (stop - start) / room


def _axes(ax: Axes, start: float, stop: float, lanes_height: float) -> None:
    ax.set_xlim(start, stop)
    ax.set_ylim(lanes_height, -STRIP)
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.tick_params(axis="y", left=False, labelleft=False)
    ax.tick_params(axis="x", colors=MUTED, labelsize=LABEL, length=0, pad=6)
    years = (stop - start) / 365.25
    # matplotlib's date locators and formatters are unannotated upstream.
    if years >= 2.5:
        ax.xaxis.set_major_locator(YearLocator())  # type: ignore[no-untyped-call]
        ax.xaxis.set_major_formatter(DateFormatter("%Y"))  # type: ignore[no-untyped-call]
        ax.xaxis.set_minor_locator(MonthLocator((4, 7, 10)))  # type: ignore[no-untyped-call]
    else:
        every = max(1, math.ceil(years * 12 / 9))  # at most about nine labelled months
        ax.xaxis.set_major_locator(MonthLocator(interval=every))  # type: ignore[no-untyped-call]
        ax.xaxis.set_major_formatter(DateFormatter("%b %Y"))  # type: ignore[no-untyped-call]
    ax.grid(axis="x", which="major", color=RULE, lw=0.9)
    ax.grid(axis="x", which="minor", color="#edf0f3", lw=0.6)
    ax.set_axisbelow(True)


Texts = list[tuple[str, float, str]]


def _margin_texts(ruler: Ruler, lane: Lane) -> Texts:
    """A lane's label in the margin: up to two lines, and its detail (smaller, muted)."""
    room = LEFT - 0.45
    texts = [(line, LABEL, INK) for line in ruler.wrap(lane.label, LABEL, room, 2)]
    if lane.detail:
        texts.append((ruler.wrap(lane.detail, SMALL, room, 1)[0], SMALL, MUTED))
    return texts


def _group(
    canvas: Canvas, group: Group, heights: list[float], labels: list[Texts], top: float
) -> float:
    ax, margin = canvas.ax, -(LEFT - 0.2) / (WIDTH - LEFT - RIGHT)
    where = ax.get_yaxis_transform()  # x in axes fractions, y in inches
    ax.add_line(
        Line2D([margin, 1.0], [top, top], transform=where, color=RULE, lw=0.8, clip_on=False)
    )
    ax.text(
        margin,
        top + HEADER / 2 + 0.02,
        group.title.upper(),
        transform=where,
        ha="left",
        va="center",
        fontsize=SMALL + 0.5,
        fontweight="bold",
        color=MUTED,
    )
    top += HEADER
    for index, (lane, height, texts) in enumerate(zip(group.lanes, heights, labels, strict=True)):
        canvas.ground = ZEBRA if index % 2 == 0 else "white"
        if index % 2 == 0:
            ax.add_patch(
                Rectangle(
                    (margin, top),
                    1.0 - margin,
                    height,
                    transform=where,
                    facecolor=ZEBRA,
                    lw=0,
                    zorder=0,
                    clip_on=False,
                )
            )
        centre = top + height / 2
        first = centre - 0.075 * (len(texts) - 1)
        for row, (text, size, colour) in enumerate(texts):
            ax.text(
                -0.12 / (WIDTH - LEFT - RIGHT),
                first + 0.15 * row,
                text,
                transform=where,
                ha="right",
                va="center",
                fontsize=size,
                color=colour,
            )
        lane.paint(canvas, centre)
        top += height
    return top


def _markers(
    canvas: Canvas,
    report: PartnershipReport,
    marks: list[Mark],
    rows: list[int],
    ending_row: int,
    lanes_height: float,
) -> None:
    ax = canvas.ax
    dissolved = report.view.dissolved_on
    last = dissolved or report.until
    said = ending(report)
    for mark, row in zip(marks, rows, strict=True):  # rows: badges and closing words apart
        y = -0.16 - 0.2 * row
        if len(mark.notes) == 1:
            ax.plot(
                [x(mark.start)] * 2,
                [y + 0.08, lanes_height],
                color=VARIATION,
                lw=0.9,
                ls=(0, (4, 3)),
                zorder=1,
            )
        else:
            _group_span(canvas, mark, y, lanes_height)
        ax.text(badge_at(mark, x), y, mark.label, zorder=7, **badge(mark))
        canvas.marks.add("variation")
    if dissolved is not None:
        ax.plot([x(dissolved)] * 2, [-0.3, lanes_height], color=DISSOLUTION, lw=1.6, zorder=5)
        canvas.marks.add("dissolved")
    else:
        ax.plot(
            [x(last)] * 2,
            [-0.3, lanes_height],
            color=MUTED,
            lw=1.0,
            ls=(0, (1, 2)),
            zorder=5,
        )
    ax.text(
        x(last) + 0.05 * canvas.per_inch,
        -0.2 - 0.2 * ending_row,
        said,
        ha="left",
        va="center",
        fontsize=SMALL,
        fontweight="bold",
        color=MUTED if dissolved is None else DISSOLUTION,
    )


def _group_span(canvas: Canvas, mark: Mark, y: float, lanes_height: float) -> None:
    """A group of variations: a light band over the days they took effect, a bracket under
    its badge, and a thin line on each of those days."""
    ax, start, end = canvas.ax, x(mark.start), x(mark.end)
    ax.add_patch(
        Rectangle(
            (start, y + 0.1), end - start, lanes_height - y - 0.1,
            facecolor=VARIATION, alpha=0.07, lw=0, zorder=0.5,
        )
    )  # fmt: skip
    ax.plot([start, end], [y + 0.1] * 2, color=VARIATION, lw=1.2, zorder=6, solid_capstyle="butt")
    days = sorted({x(note.on) for note in mark.notes})
    xs = [value for day in days for value in (day, day, float("nan"))]
    ys = [value for _ in days for value in (y + 0.1, lanes_height, float("nan"))]
    ax.plot(xs, ys, color=VARIATION, lw=0.5, alpha=0.5, zorder=1)
