"""Where the commands write: standard output (or the stream a caller of ``main`` gave), a file
named with ``--output``, a progress bar on a terminal, tables and labelled lines laid out to
the terminal's width (by rich), and JSON."""

from __future__ import annotations

import io
import json
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TextIO

import click
from rich import box
from rich.cells import cell_len
from rich.console import Console, RenderableType
from rich.table import Table
from rich.text import Text

__all__ = [
    "Output",
    "counting",
    "progress",
    "writing_to",
]

RULED = box.Box("    \n    \n -- \n    \n    \n    \n    \n    \n", ascii=True)
"""A table's box: no lines but a rule of dashes under the header."""

UNWRAPPED = 10_000
"""The width of a line written to a pipe or a file (no wrapping) unless ``COLUMNS`` is set."""


class Output:
    """Where a command writes (standard output, or the stream a caller of `main` gave)."""

    def __init__(self, out: TextIO | None) -> None:
        self.out = out

    @property
    def stream(self) -> TextIO:
        return self.out or sys.stdout

    def echo(self, text: str = "", **kwargs: Any) -> None:
        click.echo(text, file=self.stream, **kwargs)

    def width(self) -> int:
        """The terminal's width; else ``COLUMNS``; else no limit (a pipe or a file)."""
        columns = os.environ.get("COLUMNS", "")
        if columns.isdigit() and int(columns) > 0:
            return int(columns)
        isatty = getattr(self.stream, "isatty", None)
        if isatty is not None and isatty():
            try:
                return os.get_terminal_size(self.stream.fileno()).columns
            except (OSError, ValueError, io.UnsupportedOperation):
                return 80
        return UNWRAPPED

    def _console(self, buffer: io.StringIO) -> Console:
        return Console(
            file=buffer,
            width=self.width(),
            color_system=None,
            markup=False,
            emoji=False,
            highlight=False,
            legacy_windows=False,
        )

    def render(self, *items: RenderableType, console: Console | None = None) -> None:
        """Lay ``items`` out to `width` (words are wrapped whole) and write them."""
        buffer = io.StringIO()
        if console is None:
            console = self._console(buffer)
        else:
            console.file = buffer
        for item in items:
            console.print(item)
        self.echo("\n".join(line.rstrip() for line in buffer.getvalue().splitlines()))

    def table(
        self, header: Sequence[str], rows: Sequence[Sequence[str]], *, whole: Sequence[str] = ()
    ) -> None:
        """``rows`` under ``header``, in columns that fit the width; words are wrapped whole,
        and the columns named in ``whole`` (one word each, such as ids) are never wrapped."""
        table = _table(header, whole)
        for row in rows:
            table.add_row(*(Text(cell) for cell in row))
        self.render(table)

    def streamed_table(
        self,
        header: Sequence[str],
        rows: Callable[[], Iterable[Sequence[str]]],
        *,
        whole: Sequence[str] = (),
    ) -> None:
        """As `table`, writing each row as it comes rather than holding them all: ``rows()``
        is read twice, first to measure the columns (only each column's longest cell and
        longest word are kept), then to write the rows in columns of those widths."""
        longest, widest = list(header), [""] * len(header)
        for row in rows():
            for column, cell in enumerate(row):
                if cell_len(cell) > cell_len(longest[column]):
                    longest[column] = cell
                word = max(cell.split() or [""], key=cell_len)
                if cell_len(word) > cell_len(widest[column]):
                    widest[column] = word
        console = self._console(io.StringIO())
        measured = _table(header, whole)
        measured.add_row(*map(Text, longest))
        measured.add_row(*map(Text, widest))
        # rich's own layout of the table (within the width less the lines between columns),
        # less each column's padding
        options = console.options.update_width(console.width - measured._extra_width)
        widths = [
            width - measured._get_padding_width(column)
            for column, width in enumerate(measured._calculate_column_widths(console, options))
        ]
        self.render(_table(header, whole, widths), console=console)
        for row in rows():
            table = _table(header, whole, widths, show_header=False)
            table.add_row(*(Text(cell) for cell in row))
            self.render(table, console=console)

    def labelled(self, title: str, rows: Sequence[tuple[str, str]]) -> None:
        """A title, then ``label: text`` lines indented under it, the text wrapped beside its
        label."""
        grid = Table.grid(padding=(0, 1), pad_edge=False)
        grid.add_column(no_wrap=True)
        grid.add_column(overflow="fold")
        for label, text in rows:
            grid.add_row(Text(f"  {label + ':':<14}"), Text(text))
        self.render(Text(title), grid)

    def json(self, value: Any) -> None:
        """``value`` as indented JSON."""
        self.echo(json.dumps(value, indent=2, ensure_ascii=False))

    def json_list(self, values: Iterable[Any]) -> None:
        """``values`` as an indented JSON list (as `json` writes a list), each written as it
        comes."""
        first = True
        for value in values:
            text = json.dumps(value, indent=2, ensure_ascii=False).replace("\n", "\n  ")
            self.stream.write(("[\n  " if first else ",\n  ") + text)
            first = False
        self.echo("[]" if first else "\n]")


def _table(
    header: Sequence[str],
    whole: Sequence[str],
    widths: Sequence[int] | None = None,
    *,
    show_header: bool = True,
) -> Table:
    """A table of these columns (of these widths, if given), as `Output.table` lays it out."""
    table = Table(box=RULED, show_edge=False, pad_edge=False, show_header=show_header)
    for index, name in enumerate(header):
        width = None if widths is None else widths[index]
        table.add_column(name, overflow="fold", no_wrap=name in whole, width=width)
    return table


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


class _Counting(io.TextIOBase):
    """A text stream that passes writes on and reports each finished line."""

    def __init__(self, target: TextIO, advance: Callable[[int], None], every: int) -> None:
        self.target, self.advance, self.every, self.lines = target, advance, every, 0

    def write(self, text: str) -> int:
        written = self.target.write(text)
        before = self.lines
        self.lines += text.count("\n")
        if self.lines // self.every != before // self.every:
            self.advance(self.lines)
        return written

    def flush(self) -> None:
        self.target.flush()


@contextmanager
def counting(target: TextIO, label: str, total: int) -> Iterator[TextIO]:
    """``target``, showing on a terminal's standard error a progress bar of the lines written
    out of ``total``."""
    with progress(label, total) as advance:
        stream = _Counting(target, advance, max(1, total // 200))
        yield stream  # type: ignore[misc]
        advance(stream.lines)
