"""The grouping of the timeline's variation badges (pure Python: no matplotlib needed)."""

from __future__ import annotations

from datetime import date, timedelta

from sharedsvc.reports.timeline_marks import BADGE_ROWS, KEY_LINES, Note, group_marks

START = date(2010, 1, 1)


def inches(day: date) -> float:
    return (day - START).days / 100  # 100 days an inch


def width(label: str) -> float:
    return 0.06 * len(label)


def notes(count: int, every: int) -> list[Note]:
    return [
        Note(START + timedelta(days=every * n), f"variation {n}", ("service levels",))
        for n in range(count)
    ]


def test_marks_that_fit_keep_a_badge_each() -> None:
    marks, rows, ending_row = group_marks(notes(4, 40), inches, width, (9.0, 10.0))
    assert ["1", "2", "3", "4"] == [mark.label for mark in marks]
    assert [0, 0, 0, 0] == rows
    assert 0 == ending_row
    assert "variation 2" == marks[2].line


def test_crowded_marks_are_grouped_in_two_rows_at_most_and_a_short_key() -> None:
    marks, rows, ending_row = group_marks(notes(150, 3), inches, width, (4.6, 6.0))
    assert len(marks) <= KEY_LINES
    assert max([*rows, ending_row]) < BADGE_ROWS
    assert list(range(1, 151)) == [n for mark in marks for n in range(mark.first, mark.last + 1)]
    assert marks[0].label.startswith("1\N{EN DASH}")
    assert f"{len(marks[0].notes)} variations: service levels varied" in marks[0].line


def test_no_notes_no_marks() -> None:
    assert ([], [], 0) == group_marks([], inches, width, (0.0, 1.0))
