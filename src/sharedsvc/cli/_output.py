"""Where the commands write: standard output (or the stream a caller of ``main`` gave), a file
named with ``--output``, a progress bar on a terminal, and plain text tables."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TextIO

import click

__all__ = ["Output", "progress", "table", "writing_to"]


class Output:
    """Where a command writes (standard output, or the stream a caller of `main` gave)."""

    def __init__(self, out: TextIO | None) -> None:
        self.out = out

    @property
    def stream(self) -> TextIO:
        return self.out or sys.stdout

    def echo(self, text: str = "", **kwargs: Any) -> None:
        click.echo(text, file=self.stream, **kwargs)


@contextmanager
def writing_to(path: str | None, out: Output) -> Iterator[TextIO]:
    """The file at ``path`` (created or emptied), or ``out``'s stream when there is no path."""
    if path is None:
        yield out.stream
        return
    with open(path, "w", encoding="utf-8", newline="") as file:
        yield file


@contextmanager
def progress(label: str, total: int) -> Iterator[Callable[[int], None]]:
    """A progress bar on standard error when it is a terminal; nothing otherwise."""
    stream = sys.stderr
    if not stream.isatty() or total <= 0:
        yield lambda count: None
        return
    with click.progressbar(length=total, label=label, file=stream, show_pos=True) as bar:
        done = 0

        def advance(count: int) -> None:
            nonlocal done
            bar.update(max(0, min(count, total) - done))
            done = max(done, min(count, total))

        yield advance


def table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """``rows`` under ``header`` in columns as wide as their widest cell, two spaces apart."""
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *rows, strict=False)]
    lines = [header, ["-" * width for width in widths], *rows]
    return "\n".join(
        "  ".join(str(cell).ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip()
        for line in lines
    )
