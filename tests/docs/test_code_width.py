"""The code blocks of the documentation fit the page: no line wider than 88 columns.

The site's column of text holds about 88 characters of code; a longer line scrolls sideways,
and the end of an example (often the point of it) is out of sight. Diagrams (``mermaid``
blocks) are drawn, not shown as code, so they are not measured.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
WIDTH = 88
FENCE = re.compile(r"^(?P<indent>\s*)(?P<fence>`{3,}|~{3,})(?P<info>.*)$")


def wide_code_lines(text: str) -> list[tuple[int, int]]:
    """The (line number, width) of each code line wider than WIDTH in Markdown ``text``."""
    found = []
    fence = None
    measured = False
    for number, line in enumerate(text.splitlines(), start=1):
        opening = FENCE.match(line)
        if fence is None:
            if opening:
                fence = opening["fence"]
                measured = opening["info"].strip().split(" ")[0] != "mermaid"
            continue
        if line.strip() and set(line.strip()) == {fence[0]} and len(line.strip()) >= len(fence):
            fence = None
            continue
        if measured and len(line) > WIDTH:
            found.append((number, len(line)))
    return found


PAGES = sorted((ROOT / "docs").rglob("*.md"))


@pytest.mark.parametrize("page", PAGES, ids=[p.relative_to(ROOT).as_posix() for p in PAGES])
def test_every_code_line_fits_the_page(page: Path) -> None:
    assert [] == wide_code_lines(page.read_text(encoding="utf-8"))


def test_the_check_measures_code_and_not_prose_or_diagrams() -> None:
    long = "x" * (WIDTH + 1)
    text = "\n".join(
        [long, "```python", "ok = 1", long, "```", "```mermaid", long, "```", "~~~", long, "~~~"]
    )
    assert [(4, WIDTH + 1), (10, WIDTH + 1)] == wide_code_lines(text)
