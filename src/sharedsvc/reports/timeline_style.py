"""The look of the timeline picture: sizes, colours, and the small pieces of text and layout
it is made of. Pure Python (no matplotlib), so it can be tested and reused on its own."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from sharedsvc.domain.values import Stage

__all__ = [
    "DISPUTE_STATUS",
    "INK",
    "MUTED",
    "PARTY_COLOURS",
    "STAGE_COLOURS",
    "WIDTH",
    "nice_day",
    "on_colour",
    "party_colour",
    "short_name",
    "spread",
    "stack",
    "stage_colour",
]

WIDTH = 12.0
"""The picture's width in inches."""

INK = "#1f2933"
MUTED = "#5f6b7a"
RULE = "#d5dbe1"
ZEBRA = "#f4f6f8"
VARIATION = "#52606d"
DISSOLUTION = "#a61b1b"
NOTICE = "#ffffff"

PARTY_COLOURS = (
    "#0072b2",  # blue
    "#e69f00",  # orange
    "#009e73",  # bluish green
    "#cc79a7",  # reddish purple
    "#56b4e9",  # sky blue
    "#d55e00",  # vermillion
    "#7f7f3f",  # olive
    "#6a3d9a",  # violet
    "#8c564b",  # brown
    "#17a2b8",  # teal
)
"""One colour per party, in order of joining (Okabe and Ito's palette, which readers with
the common forms of colour blindness can tell apart, then four more); an eleventh party
shares the first party's colour."""

STAGE_COLOURS = ("#eef0f2", "#d9dde3", "#bcc5cf", "#93a1b0", "#657689", "#3d4b5c")
"""The continuum as a ramp of slate greys, light (co-existing) to dark (combining): the stage
band reads as 'how close', and leaves the hues to the parties."""

DISPUTE_STATUS = {
    "open": ("#c62828", "open"),
    "settled": ("#2e7d32", "settled"),
    "determined": ("#6a1b9a", "determined"),
    "withdrawn": ("#8a8a8a", "withdrawn"),
}
"""Each dispute status: its colour and its word."""

_BODY_WORDS = re.compile(
    r"^(?:the\s+)?(?:london\s+borough\s+of|royal\s+borough\s+of|borough\s+of"
    r"|county\s+of)\s+|\s+(?:metropolitan\s+)?(?:district|borough|city|county|town|parish)?"
    r"\s*council$",
    re.IGNORECASE,
)


def party_colour(index: int) -> str:
    """The colour of the ``index``-th party (cycling after ten)."""
    return PARTY_COLOURS[index % len(PARTY_COLOURS)]


def stage_colour(stage: Stage, continuum: Sequence[Stage]) -> str:
    """The colour of ``stage`` on a continuum of any length (spread over the ramp)."""
    if stage not in continuum or len(continuum) < 2:
        return STAGE_COLOURS[len(STAGE_COLOURS) // 2]
    step = continuum.index(stage) * (len(STAGE_COLOURS) - 1) / (len(continuum) - 1)
    return STAGE_COLOURS[round(step)]


def on_colour(colour: str) -> str:
    """Black or white, whichever reads better on ``colour`` (``#rrggbb``)."""
    red, green, blue = (int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    luminance = 0.2126 * red + 0.7152 * green + 0.0722 * blue
    return INK if luminance > 0.55 else "#ffffff"


def short_name(name: str) -> str:
    """A council's name without its kind: ``London Borough of Camden`` is ``Camden``,
    ``Swale Borough Council`` is ``Swale``; other names are kept whole."""
    shorter = _BODY_WORDS.sub("", name).strip()
    return shorter or name


def nice_day(value: date) -> str:
    """``1 Oct 2016``."""
    return f"{value.day} {value:%b %Y}"


def stack(spans: Sequence[tuple[float, float]], gap: float = 0.0) -> list[int]:
    """Rows for labels that must not overlap: each ``(start, end)`` goes in the first row
    where it starts after the last label there ends (plus ``gap``). Returns each span's row,
    in the order given."""
    rows: list[float] = []  # where each row's last label ends
    placed = [0] * len(spans)
    for index in sorted(range(len(spans)), key=lambda i: spans[i][0]):
        start, end = spans[index]
        for row, last in enumerate(rows):
            if start >= last + gap:
                rows[row] = end
                placed[index] = row
                break
        else:
            rows.append(end)
            placed[index] = len(rows) - 1
    return placed


def spread(centres: Sequence[float], widths: Sequence[float], gap: float = 0.0) -> list[float]:
    """Centres for labels on one line, in the order given, that do not overlap and stay as
    near as they can to where they belong (``centres``, in ascending order): labels that
    would collide are laid side by side, centred on the mean of where they belong."""
    clusters: list[list[int]] = []
    placed = list(centres)

    def lay(cluster: list[int]) -> None:
        total = sum(widths[i] + gap for i in cluster) - gap
        left = sum(centres[i] for i in cluster) / len(cluster) - total / 2
        for i in cluster:
            placed[i] = left + widths[i] / 2
            left += widths[i] + gap

    for index in range(len(centres)):
        clusters.append([index])
        lay(clusters[-1])
        while len(clusters) > 1:
            before, last = clusters[-2], clusters[-1]
            if (
                placed[before[-1]] + widths[before[-1]] / 2 + gap
                <= placed[last[0]] - widths[last[0]] / 2
            ):
                break
            clusters[-2:] = [before + last]
            lay(clusters[-1])
    return placed
