"""The timeline's obligation lanes: one for each party the record obliges to do something (and
one for the partnership, for a target that names no party), with a mark for each obligation.

An obligation is drawn as a thin line from the act that made it to a tick on its due day,
and its status on the report's ``as_of``: a dot where it was met (green in time, amber late,
with a line on from its due day), a red cross on the due day of one overdue (with a red line
on to the end of the record), a hollow ring on the due day of one still open, a grey ring
for one that lapsed. Its kind is written beside it; obligations of one kind due close
together share one label, with their number. Any kind is drawn the same way, a target's
own kind (``savings``) too. The audit report lists every obligation.

The picture is widened for the due day of an obligation still owed (open or overdue), not
for one met or lapsed: a history whose last obligations were met early keeps its scale, and
their due days, if past the end of the picture, are cut off at its edge.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from sharedsvc.projections.obligations import Obligation
from sharedsvc.reports.model import PartnershipReport
from sharedsvc.reports.timeline_canvas import SMALL, Canvas, Lane, Ruler, x
from sharedsvc.reports.timeline_style import INK, MUTED

__all__ = ["LAPSED", "LATE", "MARKS", "MET", "OVERDUE", "obligation_lanes"]

MET = "#2e7d32"
LATE = "#b26a00"
OVERDUE = "#c62828"
LAPSED = "#9aa5b1"
HEIGHT = 0.62
NEAR = 0.35
"""How close (inches) the due days of obligations of one kind are for them to share a label."""
SIZE = SMALL - 0.5
TIMES = "\N{MULTIPLICATION SIGN}"
"""Between a label's kind and the number of obligations it stands for."""
TICK = r"$\checkmark$"
"""The mark of an obligation met: a tick."""

MARKS: dict[str, tuple[str, dict[str, Any]]] = {
    "obligation-due": (
        "obligation due (a line from the act that made it)",
        {"color": MUTED, "lw": 0.8, "marker": "|", "ms": 7, "mew": 1.2},
    ),
    "obligation-met": ("obligation met in time", {"ls": "", "marker": TICK, "ms": 7, "color": MET}),
    "obligation-late": ("obligation met late", {"ls": "", "marker": TICK, "ms": 7, "color": LATE}),
    "obligation-overdue": (
        "obligation overdue",
        {"ls": "", "marker": "X", "ms": 6.5, "color": OVERDUE},
    ),
    "obligation-open": (
        "obligation still open",
        {"ls": "", "marker": "o", "ms": 5.5, "mfc": "white", "mec": INK, "mew": 1.1},
    ),
    "obligation-lapsed": (
        "obligation lapsed",
        {"ls": "", "marker": "o", "ms": 4.5, "mfc": "white", "mec": LAPSED, "mew": 1.0},
    ),
}
"""Each mark of an obligation: the words of its legend entry and how it is drawn."""


def obligation_lanes(report: PartnershipReport, ruler: Ruler) -> tuple[Lane, ...]:
    """A lane for each party with obligations (in order of joining; a party the partnership
    never had, last), then one for the partnership's own."""
    owed = report.standing.obligations
    parties = list(dict.fromkeys(m.party for m in report.memberships))
    parties += [p for p in dict.fromkeys(o.party for o in owed if o.party) if p not in parties]
    arising = {e.position: e.on for e in report.trail}
    lanes = []
    for party in (*parties, None):
        own = [o for o in owed if o.party == party]
        if own:
            label = report.party_name(party) if party else "The partnership"
            lanes.append(_lane(report, ruler, label, own, arising))
    return tuple(lanes)


def _end(report: PartnershipReport) -> date:
    end = report.view.dissolved_on or report.until
    as_of = report.standing.as_of
    return end if as_of is None else min(end, as_of)


def _lane(
    report: PartnershipReport,
    ruler: Ruler,
    label: str,
    owed: Sequence[Obligation],
    arising: dict[int, date],
) -> Lane:
    end = _end(report)
    windows = sorted({(min(arising.get(o.source, o.due), o.due), o.due) for o in owed})
    outcomes = sorted({(o.due, o.status, o.met_on, o.late) for o in owed}, key=str)

    def paint(c: Canvas, y: float) -> None:
        for start, due in windows:
            c.ax.plot([x(start), x(due)], [y, y], color=MUTED, lw=0.8, alpha=0.7, zorder=2)
            c.ax.plot([x(due)], [y], **_style("obligation-due", ls=""), zorder=4)
        c.marks.add("obligation-due")
        for due, status, met_on, late in outcomes:
            _outcome(c, y, due, status, met_on, late, end)
        right = c.ax.get_xlim()[1] / c.per_inch - 0.1  # inches: past it, marks are cut off
        labels, days = _labels(owed, lambda day: min(x(day) / c.per_inch, right))
        widths = [ruler.width(text, SIZE) for text in labels]
        days = [min(day, right - width / 2) for day, width in zip(days, widths, strict=True)]
        c.alternating_labels(
            y, [day * c.per_inch for day in days], labels, widths, reach=0.05,
            fontsize=SIZE, colour=MUTED,
        )  # fmt: skip

    owing = [o.due for o in owed if o.status in ("open", "overdue")]
    return Lane(label, _counts(owed), HEIGHT, paint, (max(owing), "") if owing else None)


def _style(key: str, **changes: Any) -> dict[str, Any]:
    return {**MARKS[key][1], **changes}


def _outcome(
    c: Canvas,
    y: float,
    due: date,
    status: str,
    met_on: date | None,
    late: bool,
    end: date,
) -> None:
    """The mark of an obligation's status (and the line of one met late or overdue)."""
    if status == "met" and met_on is not None:
        key = "obligation-late" if late else "obligation-met"
        if late:
            c.ax.plot([x(due), x(met_on)], [y, y], color=LATE, lw=1.4, zorder=3)
        c.ax.plot([x(met_on)], [y - 0.035], **_style(key), zorder=5)
    elif status == "overdue":
        key = "obligation-overdue"
        if end > due:
            c.ax.plot([x(due), x(end)], [y, y], color=OVERDUE, lw=1.4, zorder=3)
        c.ax.plot([x(due)], [y], **_style(key, mec="white", mew=0.6), zorder=5)
    else:
        key = "obligation-lapsed" if status == "lapsed" else "obligation-open"
        c.ax.plot([x(due)], [y], **_style(key), zorder=5)
    c.marks.add(key)


def _labels(
    owed: Sequence[Obligation], inches: Callable[[date], float]
) -> tuple[list[str], list[float]]:
    """The labels of a lane's obligations, in order of due day (where a label goes: the
    middle of its obligations' due days, in inches): one for each run of obligations of one
    kind due within `NEAR` of the first of them."""
    runs: list[list[Obligation]] = []
    for o in sorted(owed, key=lambda o: (o.due, o.source)):
        if runs and runs[-1][0].kind == o.kind and inches(o.due) - inches(runs[-1][0].due) <= NEAR:
            runs[-1].append(o)
        else:
            runs.append([o])
    labels, days = [], []
    for run in runs:
        labels.append(run[0].kind + (f" {TIMES}{len(run)}" if len(run) > 1 else ""))
        days.append((inches(run[0].due) + inches(run[-1].due)) / 2)
    return labels, days


def _counts(owed: Sequence[Obligation]) -> str:
    """``3 kept, 1 missed, 1 open``: the lane's detail in the margin."""
    count = Counter(
        "missed" if o.status == "overdue" or o.late else "kept" if o.status == "met" else o.status
        for o in owed
    )
    return ", ".join(
        f"{count[word]} {word}" for word in ("kept", "missed", "open", "lapsed") if count[word]
    )
