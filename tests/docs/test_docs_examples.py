"""Every ``python`` code block in README.md and docs/ runs.

The blocks of one file run in order, in one fresh module namespace, so a later block can use what
an earlier one defined, as a reader following the page would. They run in a temporary working
directory, so an example that writes a file (a SQLite store, say) leaves nothing behind.

A block is skipped when the last non-blank line before its opening fence is ``<!-- no-run -->``.
"""

from __future__ import annotations

import re
import sys
import textwrap
import traceback
import types
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

NO_RUN_MARKER = "<!-- no-run -->"
PYTHON_LANGUAGES = frozenset({"python", "py", "python3"})

# An opening fence: up to three spaces of indentation in plain Markdown, more inside an
# admonition or a list, then three or more backticks or tildes, then the info string.
OPENING_FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})(?P<info>.*)$")


@dataclass(frozen=True)
class CodeBlock:
    path: Path
    first_line: int  # 1-based line number in `path` of the block's first line of code
    code: str


def documentation_files() -> list[Path]:
    """README.md and every Markdown file under docs/, in a stable order."""
    files = [ROOT / "README.md"]
    files.extend(sorted((ROOT / "docs").rglob("*.md")))
    return [path for path in files if path.is_file()]


def _language(info: str) -> str:
    """The language named by a fence's info string: ``python``, ``{.python .x}``, ``py title=a``."""
    info = info.strip()
    if info.startswith("{"):
        classes = [word for word in info.strip("{}").split() if word.startswith(".")]
        return classes[0][1:].lower() if classes else ""
    return info.split()[0].lower() if info else ""


def _is_closing_fence(line: str, fence: str) -> bool:
    stripped = line.strip()
    return (
        stripped.startswith(fence[0] * len(fence))
        and set(stripped) == {fence[0]}  # nothing but fence characters
    )


def python_blocks(path: Path) -> list[CodeBlock]:
    """The runnable ``python`` blocks of a Markdown file, in document order."""
    lines = path.read_text(encoding="utf-8").splitlines()
    blocks = []
    previous = ""  # the last non-blank line seen outside a code block
    index = 0
    while index < len(lines):
        opening = OPENING_FENCE.match(lines[index])
        # A backtick fence's info string cannot itself contain a backtick (CommonMark).
        if opening is None or (opening["fence"][0] == "`" and "`" in opening["info"]):
            if lines[index].strip():
                previous = lines[index].strip()
            index += 1
            continue
        end = index + 1
        while end < len(lines) and not _is_closing_fence(lines[end], opening["fence"]):
            end += 1
        if _language(opening["info"]) in PYTHON_LANGUAGES and previous != NO_RUN_MARKER:
            code = textwrap.dedent("\n".join(lines[index + 1 : end]))
            blocks.append(CodeBlock(path=path, first_line=index + 2, code=code))
        previous = opening["fence"]
        index = end + 1
    return blocks


def run_blocks(blocks: list[CodeBlock], module_name: str) -> types.ModuleType:
    """Run `blocks` in order in one new module, registered in ``sys.modules`` while they run."""
    __tracebackhide__ = True  # a failure points at the Markdown, not at this helper
    module = types.ModuleType(module_name)
    sys.modules[module_name] = module
    try:
        for block in blocks:
            # Pad with blank lines so that a traceback gives the line number in the Markdown file.
            source = "\n" * (block.first_line - 1) + block.code
            exec(compile(source, str(block.path), "exec"), module.__dict__)
    finally:
        del sys.modules[module_name]
    return module


DOCUMENTS_WITH_EXAMPLES = [path for path in documentation_files() if python_blocks(path)]


@pytest.mark.parametrize(
    "path",
    DOCUMENTS_WITH_EXAMPLES,
    ids=[path.relative_to(ROOT).as_posix() for path in DOCUMENTS_WITH_EXAMPLES],
)
def test_the_examples_in_the_document_run(
    path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    run_blocks(python_blocks(path), module_name="docs_example")


# --- the collector itself -----------------------------------------------------------------------

SAMPLE = """\
# Sample

```python
x = 1
```

```sh
echo not python
```

<!-- no-run -->

```python
raise AssertionError("marked no-run, so never runs")
```

!!! note
    ```py title="indented, as inside an admonition"
    x += 1
    ```

````markdown
```python
raise AssertionError("inside another fence, so not a block of its own")
```
````

~~~{.python .annotate}
y = x * 10
~~~
"""


def test_the_collector_finds_each_runnable_python_block(tmp_path: Path) -> None:
    sample = tmp_path / "sample.md"
    sample.write_text(SAMPLE, encoding="utf-8")
    blocks = python_blocks(sample)
    assert ["x = 1", "x += 1", "y = x * 10"] == [block.code for block in blocks]
    assert [4, 19, 29] == [block.first_line for block in blocks]


def test_the_blocks_of_a_document_share_one_namespace(tmp_path: Path) -> None:
    sample = tmp_path / "sample.md"
    sample.write_text(SAMPLE, encoding="utf-8")
    module = run_blocks(python_blocks(sample), module_name="docs_example_sample")
    assert 20 == module.y


def test_a_failing_example_reports_its_line_in_the_document(tmp_path: Path) -> None:
    sample = tmp_path / "broken.md"
    sample.write_text("# Broken\n\nText.\n\n```python\nok = True\n1 / 0\n```\n", encoding="utf-8")
    with pytest.raises(ZeroDivisionError) as raised:
        run_blocks(python_blocks(sample), module_name="docs_example_broken")
    innermost = traceback.extract_tb(raised.tb)[-1]
    assert (str(sample), 7) == (innermost.filename, innermost.lineno)
