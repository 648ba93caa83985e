"""What the timeline is painted on: a ruler for text, and a canvas that knows the scale.

The y axis of the picture is in inches (down from the top of the first lane) and x in
matplotlib date numbers (days), so a canvas turns widths of text into days and back.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

import attrs
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.dates import date2num
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.patches import Rectangle

from sharedsvc.reports.timeline_style import INK, MUTED, on_colour, spread

__all__ = ["FADE", "LABEL", "SMALL", "Canvas", "Group", "Lane", "Painter", "Ruler", "x"]

SMALL, LABEL = 7.0, 8.5
"""Font sizes in points: texts on the lanes, and the lanes' labels."""
FADE, FADING = 0.24, (0.55, 0.3, 0.12)
"""How far (inches) a bar fades out past the end of the record, and in what steps."""


def x(day: date) -> float:
    """A date as a position along x (matplotlib's date number)."""
    return float(date2num(day))  # type: ignore[no-untyped-call]  # unannotated upstream


class Ruler:
    """Measures text as the picture will draw it, in inches (each text once)."""

    def __init__(self, figure: Figure) -> None:
        canvas = FigureCanvasAgg(figure)
        self._renderer = canvas.get_renderer()  # type: ignore[no-untyped-call]  # unannotated upstream
        self._dpi = figure.dpi
        self._widths: dict[tuple[str, float, bool], float] = {}

    def width(self, text: str, size: float, *, bold: bool = False) -> float:
        """The width of ``text`` at ``size`` points."""
        known = self._widths.get((text, size, bold))
        if known is None:
            font = FontProperties(size=size, weight="bold" if bold else "normal")
            width, _, _ = self._renderer.get_text_width_height_descent(text, font, ismath=False)
            known = self._widths[text, size, bold] = float(width) / self._dpi
        return known

    def extent(self, artist: Artist) -> float:
        """How wide ``artist`` (a legend, say) is drawn, in inches."""
        return float(artist.get_window_extent(self._renderer).width) / self._dpi

    def wrap(self, text: str, size: float, room: float, lines: int = 2) -> list[str]:
        """``text`` in at most ``lines`` lines no wider than ``room`` inches, as even as they
        can be (the last line shortened with an ellipsis if it still does not fit)."""
        words = text.split()
        if self.width(text, size) <= room or lines < 2 or len(words) < 2:
            return [self._fit(" ".join(words), size, room)]
        splits = [(" ".join(words[:cut]), " ".join(words[cut:])) for cut in range(1, len(words))]
        fitting = [pair for pair in splits if self.width(pair[0], size) <= room]
        if not fitting:
            return [self._fit(text, size, room)]
        first, rest = min(fitting, key=lambda pair: max(self.width(p, size) for p in pair))
        return [first, *self.wrap(rest, size, room, lines - 1)]

    def _fit(self, line: str, size: float, room: float) -> str:
        """``line``, or its longest beginning that fits in ``room`` with an ellipsis."""
        if self.width(line, size) <= room or len(line) <= 1:
            return line
        fits, too_long = 0, len(line)  # a beginning of ``fits`` characters (and "…") fits
        while too_long - fits > 1:
            middle = (fits + too_long) // 2
            if self.width(line[:middle].rstrip() + "…", size) <= room:
                fits = middle
            else:
                too_long = middle
        return line[:fits].rstrip() + "…"


@attrs.define
class Canvas:
    """Where lanes are painted: the axes, the scale of x (days per inch), a ruler, the
    legend entries the lanes used, and the colour behind the lane being painted."""

    ax: Axes
    ruler: Ruler
    per_inch: float
    marks: set[str] = attrs.field(factory=set)
    ground: str = "white"

    def inches(self, start: date, end: date) -> float:
        """How wide the span from ``start`` to ``end`` is drawn."""
        return (x(end) - x(start)) / self.per_inch

    def text_at(self, when: float, y: float, text: str, **style: object) -> None:
        """A small text, on top of whatever is below it."""
        options: dict[str, object] = {"fontsize": SMALL, "color": INK, "va": "center"}
        options.update(style)
        self.ax.text(when, y, text, zorder=6, **options)  # type: ignore[arg-type]

    def alternating_labels(
        self,
        y: float,
        marks: Sequence[float],
        labels: Sequence[str],
        widths: Sequence[float],
        *,
        reach: float,
        fontsize: float,
        colour: str,
    ) -> None:
        """``labels[i]`` for the mark at ``marks[i]`` on a lane at ``y``: the first below the
        lane, the next above, and so on, each side spread so that none overlaps, with a thin
        line from the lane (``reach`` off it) to its label."""
        box = {"boxstyle": "square,pad=0.05", "fc": self.ground, "ec": "none"}
        for side in (1, -1):
            chosen = [i for i in range(len(marks)) if (i % 2 == 0) == (side == 1)]
            inches = spread(
                [marks[i] / self.per_inch for i in chosen], [widths[i] for i in chosen], 0.1
            )
            for i, at in zip(chosen, inches, strict=True):
                self.ax.plot(
                    [marks[i], at * self.per_inch],
                    [y + side * reach, y + side * 0.165],
                    color=MUTED,
                    lw=0.5,
                    zorder=2,
                )
                self.text_at(
                    at * self.per_inch,
                    y + side * 0.17,
                    labels[i],
                    ha="center",
                    va="top" if side == 1 else "bottom",
                    fontsize=fontsize,
                    color=colour,
                    bbox=box,
                )

    def bar(
        self, start: date, end: date, y: float, height: float, colour: str, *, going_on: bool
    ) -> None:
        """A bar from ``start`` to ``end`` centred on ``y``; one that is ``going_on`` past
        the end of the record fades out after it."""
        width = max(x(end) - x(start), 0.6 * self.per_inch / 72)
        self.ax.add_patch(
            Rectangle((x(start), y - height / 2), width, height, facecolor=colour, lw=0, zorder=3)
        )
        if going_on:
            self.fade(end, y - height / 2, height, colour)

    def fade(self, end: date, top: float, height: float, colour: str, zorder: int = 3) -> None:
        """A short fade after ``end``: what goes on past the end of the record."""
        step = FADE / len(FADING) * self.per_inch
        for index, alpha in enumerate(FADING):
            self.ax.add_patch(
                Rectangle(
                    (x(end) + index * step, top),
                    step,
                    height,
                    facecolor=colour,
                    alpha=alpha,
                    lw=0,
                    zorder=zorder,
                )
            )

    def inside(self, start: date, end: date, y: float, text: str, colour: str) -> None:
        """``text`` inside the bar from ``start`` to ``end`` if it fits there."""
        self.inside_first(start, end, y, (text,), colour)

    def inside_first(
        self, start: date, end: date, y: float, texts: Sequence[str], colour: str
    ) -> None:
        """The first of ``texts`` (longest first) that fits inside the bar from ``start`` to
        ``end``; none if none fits."""
        for text in texts:
            if self.ruler.width(text, SMALL) + 0.14 <= self.inches(start, end):
                pad = 0.07 * self.per_inch
                self.text_at(x(start) + pad, y, text, color=on_colour(colour))
                return

    def tail(
        self, end: date, y: float, text: str, colour: str = MUTED, *, after: float = 0.0
    ) -> None:
        """``text`` just after the end of a bar (``after`` more inches on), on the lane's
        ground (lines pass behind it)."""
        box = {"boxstyle": "square,pad=0.35", "fc": self.ground, "ec": "none"}
        self.text_at(x(end) + (0.07 + after) * self.per_inch, y, text, color=colour, bbox=box)


Painter = Callable[[Canvas, float], None]
"""What paints a lane, given the canvas and the lane's centre."""


@attrs.frozen
class Lane:
    """One row across time: a label (and a detail under it) in the margin, a height, a
    painter given the canvas and the lane's centre, and the text drawn after the lane's end
    (which the scale must leave room for)."""

    label: str
    detail: str | None
    height: float
    paint: Painter
    tail: tuple[date, str] | None = None


@attrs.frozen
class Group:
    """Lanes under a title."""

    title: str
    lanes: tuple[Lane, ...]
