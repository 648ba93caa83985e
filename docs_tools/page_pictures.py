"""Redraw the pictures a documentation page draws, into ``docs/images/``.

A page that draws a picture (a timeline, say) writes it into the working directory, like any
example; the docs tests run it in a temporary one. This script runs the page's ``python``
blocks in order, in one namespace and a temporary directory, as those tests do, and copies
the files it names from there into ``docs/images/``, so that the picture the page shows is
the one its own code draws::

    PYTHONPATH=src python docs_tools/page_pictures.py \\
        docs/when-a-council-is-replaced.md when-a-council-is-replaced.png

Look at the picture before committing it: the ids in a variation's key are new in every run.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import re
import shutil
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
IMAGES = ROOT / "docs" / "images"
NO_RUN = "<!-- no-run -->"
BLOCK = re.compile(r"^```python[^\n]*\n(?P<code>.*?)^```[ \t]*$", re.MULTILINE | re.DOTALL)


def python_blocks(text: str) -> list[str]:
    """The page's ``python`` blocks (those not marked ``<!-- no-run -->``), in order."""
    found = []
    for block in BLOCK.finditer(text):
        before = text[: block.start()].rstrip().rsplit("\n", 1)[-1].strip()
        if before != NO_RUN:
            found.append(block["code"])
    return found


def draw(page: Path, names: list[str]) -> list[Path]:
    """Run ``page``'s blocks and copy the files ``names`` it wrote into ``docs/images``."""
    blocks = python_blocks(page.read_text(encoding="utf-8"))
    namespace: dict[str, object] = {"__name__": "docs_page"}
    here = Path.cwd()
    with tempfile.TemporaryDirectory() as work:
        os.chdir(work)
        try:
            with contextlib.redirect_stdout(io.StringIO()):  # what the page prints, not ours
                for code in blocks:
                    exec(compile(code, str(page), "exec"), namespace)
        finally:
            os.chdir(here)
        return [Path(shutil.copy(Path(work) / name, IMAGES / name)) for name in names]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("page", type=Path, help="the Markdown page, e.g. docs/tutorial.md")
    parser.add_argument("names", nargs="+", help="the files the page writes, to copy")
    arguments = parser.parse_args()
    for path in draw(arguments.page.resolve(), arguments.names):
        print(path.relative_to(ROOT))


if __name__ == "__main__":
    main()
