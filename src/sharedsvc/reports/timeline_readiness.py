"""The timeline's readiness lanes: one for each party assessed, its overall readiness (the
mean of each assessment's scores, 0 to 5) as steps over time in the party's colour, a dot on
each assessment, and the score written over it where the scores change and there is room.

The lanes are shown only when the record holds assessments (dated on or before the report's
``as_of``). The audit report has the scores area by area.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal

from sharedsvc.domain.values import PartyId
from sharedsvc.reports.model import PartnershipReport
from sharedsvc.reports.timeline_canvas import SMALL, Canvas, Lane, Ruler, x
from sharedsvc.reports.timeline_style import MUTED, RULE, nice_day

__all__ = ["HEIGHT", "readiness_lanes"]

HEIGHT = 0.56
"""The height (inches) of a readiness lane."""
SPAN = 0.3
"""How tall (inches) the scale from 0 to 5 is drawn."""
LOW = 0.17
"""How far (inches) below the lane's centre a score of 0 is drawn."""
SIZE = SMALL - 1.0
"""The font size of the scores written over the dots."""
GAP = 0.06
"""The least room (inches) between two scores written on a lane."""


def readiness_lanes(
    report: PartnershipReport, ruler: Ruler, colours: Mapping[PartyId, str]
) -> tuple[Lane, ...]:
    """A lane for each party assessed by the report's ``as_of``, in the order first
    assessed."""
    latest = report.standing.latest()
    return tuple(
        _lane(report, ruler, party, colours.get(PartyId(party), MUTED), latest[party].on)
        for party in latest
    )


def _until(report: PartnershipReport, party: str) -> date:
    """Where a party's steps end: when it left, or at the end of the record."""
    left = [m.left for m in report.memberships if m.party == party and m.left is not None]
    stays = any(m.left is None for m in report.memberships if m.party == party)
    end = report.view.dissolved_on or report.until
    return end if stays or not left else max(left)


def _lane(report: PartnershipReport, ruler: Ruler, party: str, colour: str, last: date) -> Lane:
    points = report.standing.trend(party)
    end = max(_until(report, party), last)
    labels = [f"{score:.1f}" for _, score in points]
    widths = [ruler.width(label, SIZE) for label in labels]

    def height(score: Decimal) -> float:
        return float(score) / 5 * SPAN

    def paint(c: Canvas, y: float) -> None:
        zero, five = y + LOW, y + LOW - SPAN
        left = x(points[0][0])
        for level in (zero, five):
            c.ax.plot([left, x(end)], [level, level], color=RULE, lw=0.6, zorder=1)
        xs = [x(on) for on, _ in points] + [x(end)]
        ys = [zero - height(score) for _, score in points]
        c.ax.step(xs, [*ys, ys[-1]], where="post", color=colour, lw=1.5, zorder=3)
        c.ax.plot(xs[:-1], ys, ls="", marker="o", ms=3.2, color=colour, mec="white", mew=0.5,
                  zorder=4)  # fmt: skip
        for index in _shown(points, xs, widths, c.per_inch):
            c.text_at(
                xs[index], ys[index] - 0.045, labels[index], ha="center", va="bottom",
                fontsize=SIZE, color=MUTED,
            )  # fmt: skip
        c.text_at(left - 0.09 * c.per_inch, zero, "0", ha="right", fontsize=SIZE, color=MUTED)
        c.text_at(left - 0.09 * c.per_inch, five, "5", ha="right", fontsize=SIZE, color=MUTED)
        c.marks.add("readiness")

    _, score = points[-1]
    detail = f"overall {score:.1f} on {nice_day(last)}"
    return Lane(report.party_name(party), detail, HEIGHT, paint)


def _shown(
    points: list[tuple[date, Decimal]], xs: list[float], widths: list[float], per_inch: float
) -> list[int]:
    """Which scores are written: the first, each that differs from the one before it, and
    the latest, each only if it clears the one written before it (the latest is kept over
    the one before it)."""
    wanted = [
        i
        for i in range(len(points))
        if i in (0, len(points) - 1) or points[i][1] != points[i - 1][1]
    ]
    shown: list[int] = []
    for index in wanted:
        start = xs[index] / per_inch - widths[index] / 2
        while shown:
            before = shown[-1]
            if xs[before] / per_inch + widths[before] / 2 + GAP <= start:
                break
            if index != len(points) - 1:
                break
            shown.pop()  # the latest score wins over a neighbour it would cover
        if not shown or xs[shown[-1]] / per_inch + widths[shown[-1]] / 2 + GAP <= start:
            shown.append(index)
    return shown
