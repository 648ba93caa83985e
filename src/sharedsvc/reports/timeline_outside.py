"""The timeline's lane of notes: outside events (a section 114 notice, an election, an audit
finding) recorded with [`note`][sharedsvc.SharedServices.note], each a mark on the day it
happened, with its kind and the start of its text beside it (the audit report lists them in
full).

The labels go below and above the lane in turn, and slide sideways where they crowd, as a
dispute's rungs do; a note changes no terms, so nothing else on the picture moves for it.
"""

from __future__ import annotations

from collections.abc import Callable

import attrs

from sharedsvc.reports.model import PartnershipReport
from sharedsvc.reports.timeline_canvas import SMALL, Canvas, Ruler, x
from sharedsvc.reports.timeline_style import short_name

__all__ = ["NOTE", "NOTE_MARKER", "NotesLane", "notes_lane"]

NOTE = "#6a4c93"
"""The colour of a note's mark."""
NOTE_MARKER = "v"
"""A note's mark: a small pointer down onto its day."""
LABEL_ROOM = 1.7
"""The widest (inches) a note's label is drawn; longer texts end in an ellipsis."""


@attrs.frozen
class NotesLane:
    """What the lane of notes shows: its label and detail in the margin, its height, and its
    painter (given the canvas and the lane's centre)."""

    label: str
    detail: str
    height: float
    paint: Callable[[Canvas, float], None]


def notes_lane(report: PartnershipReport, ruler: Ruler) -> NotesLane | None:
    """The lane of ``report``'s notes, or None if it has none."""
    notes = report.notes
    if not notes:
        return None
    size = SMALL - 0.5
    labels = []
    for n in notes:
        about = f" ({short_name(report.party_name(n.party))})" if n.party else ""
        labels.append(ruler.wrap(f"{n.kind}{about}: {n.text}", size, LABEL_ROOM, 1)[0])
    widths = [ruler.width(label, size) for label in labels]

    def paint(c: Canvas, y: float) -> None:
        days = [x(n.on) for n in notes]
        c.alternating_labels(
            y, days, labels, widths, reach=0.06, fontsize=size, colour=NOTE
        )  # the first note's label below the lane, the next above...
        c.ax.plot(days, [y] * len(days), ls="", marker=NOTE_MARKER, ms=6, color=NOTE, zorder=5)
        c.marks.add("note")

    count = f"{len(notes)} noted" if len(notes) > 1 else "1 noted"
    return NotesLane("Outside events", count, 0.62, paint)
