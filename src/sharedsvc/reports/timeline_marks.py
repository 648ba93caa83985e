"""The numbered marks of adopted variations on the timeline, grouped where they crowd.

Each adopted variation (but a dissolution, which has its own line) takes effect on a day and
gets a number, in the order they take effect. Its number is drawn in a badge above the lanes,
in at most `BADGE_ROWS` rows (a third row would reach the title), and the key below the
picture has a line for it. A long history has more variations than fit: then neighbouring
variations share one badge, numbered as a range (12 to 19), drawn over the days they took
effect in, and one line of the key, which says how many there were and what they varied.
The groups are the fewest needed: each may span a little more of the picture, in turn,
until every badge fits and the key has at most `KEY_LINES` lines. Every variation is
in the audit report.

Pure Python (no matplotlib): the picture passes in how to place days and measure labels.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

import attrs

from sharedsvc.projections.audit_values import joined, short_id, term
from sharedsvc.reports.model import PartnershipReport
from sharedsvc.reports.timeline_style import nice_day, short_name, stack

__all__ = [
    "BADGE_ROWS",
    "KEY_LINES",
    "Mark",
    "Note",
    "badge_at",
    "group_marks",
    "variation_notes",
]

BADGE_ROWS = 2
"""Rows of badges above the lanes (with the words at the end of the record)."""
KEY_LINES = 30
"""The most lines the key under the picture has."""
REACHES = (0.3, 0.6, 1.2, 2.4, 4.8, 9.6, float("inf"))
"""How far (inches) the days of a group may spread, tried in turn until the marks fit."""
GAP = 0.03
"""The least room (inches) between two badges, or a badge and the closing words."""
EN_DASH = "\N{EN DASH}"


@attrs.frozen
class Note:
    """An adopted variation as the timeline shows it: the day it took effect, its line in
    the key, and what it varied (for the line of a group)."""

    on: date
    line: str
    subjects: tuple[str, ...]


@attrs.frozen
class Mark:
    """One badge: the variations numbered ``first`` on, in order of taking effect."""

    first: int
    notes: tuple[Note, ...]

    @property
    def last(self) -> int:
        """The number of its last variation."""
        return self.first + len(self.notes) - 1

    @property
    def label(self) -> str:
        """What the badge says: ``7``, or a range (12 to 19, with an en dash) for a group."""
        return str(self.first) if len(self.notes) == 1 else f"{self.first}{EN_DASH}{self.last}"

    @property
    def start(self) -> date:
        """The day its first variation took effect."""
        return self.notes[0].on

    @property
    def end(self) -> date:
        """The day its last variation took effect."""
        return self.notes[-1].on

    @property
    def line(self) -> str:
        """Its line in the key."""
        if len(self.notes) == 1:
            return self.notes[0].line
        subjects = list(dict.fromkeys(s for note in self.notes for s in note.subjects))
        return (
            f"{nice_day(self.start)} {EN_DASH} {nice_day(self.end)} — {len(self.notes)} "
            f"variations: {joined(subjects) or 'terms'} varied (each is in the audit report)"
        )


def variation_notes(report: PartnershipReport) -> list[Note]:
    """Each adopted variation that did not dissolve the partnership, in the order they take
    effect (adoption order on the same day)."""
    found = []
    for v in report.adopted():
        if v.dissolve:
            continue
        on = v.effective or v.closed_on or v.proposed_on
        changes = [term(name) for name in v.changes]
        changes += [f"{short_name(p.name)} admitted" for p in v.admit]
        what = v.rationale or f"{joined(changes)} varied"
        adopted = f" (adopted {nice_day(v.closed_on)})" if v.closed_on and v.closed_on != on else ""
        line = f"{nice_day(on)} — {what}{adopted} · variation {short_id(v.id)}"
        found.append(Note(on, line, tuple(term(name) for name in v.changes)))
    return sorted(found, key=lambda note: note.on)


def group_marks(
    notes: Sequence[Note],
    inches: Callable[[date], float],
    width: Callable[[str], float],
    ending: tuple[float, float],
) -> tuple[list[Mark], list[int], int]:
    """The badges for ``notes`` (in order of taking effect), each badge's row and the row of
    the closing words (whose span in inches is ``ending``): singly if they fit, else in the
    fewest groups that do. ``inches`` places a day along the picture; ``width`` measures a
    badge's label."""
    marks: list[Mark] = []
    rows: list[int] = []
    for reach in (0.0, *REACHES):
        marks = _groups(notes, inches, reach)
        spans = [_span(mark, inches, width) for mark in marks]
        *rows, ending_row = stack([*spans, ending], GAP)
        highest = max([*rows, ending_row])
        if len(marks) <= KEY_LINES and highest < BADGE_ROWS:
            break
    return marks, rows, ending_row


def _groups(notes: Sequence[Note], inches: Callable[[date], float], reach: float) -> list[Mark]:
    """``notes`` in groups of neighbours whose days spread over at most ``reach`` inches
    (each alone when ``reach`` is 0)."""
    groups: list[list[Note]] = []
    for note in notes:
        if groups and reach > 0 and inches(note.on) - inches(groups[-1][0].on) <= reach:
            groups[-1].append(note)
        else:
            groups.append([note])
    marks, number = [], 1
    for members in groups:
        marks.append(Mark(number, tuple(members)))
        number += len(members)
    return marks


def badge_at(mark: Mark, inches: Callable[[date], float]) -> float:
    """Where (inches) a mark's badge is centred: midway over its days."""
    return (inches(mark.start) + inches(mark.end)) / 2


def _span(
    mark: Mark, inches: Callable[[date], float], width: Callable[[str], float]
) -> tuple[float, float]:
    half = max(0.1, width(mark.label) / 2 + 0.07)
    centre = badge_at(mark, inches)
    return centre - half, centre + half
