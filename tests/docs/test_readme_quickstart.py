"""The README's Quickstart is the truth, and CI runs its test command exactly as written."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
CI_SCRIPT = ROOT / ".ci" / "run"

SH_BLOCK = re.compile(r"^```sh[ \t]*\n(.*?)^```[ \t]*$", re.MULTILINE | re.DOTALL)


def quickstart_section(readme: str) -> str:
    """The text between the ``## Quickstart`` heading and the next level-2 heading."""
    match = re.search(r"^## Quickstart[ \t]*\n(.*?)(?=^## |\Z)", readme, re.MULTILINE | re.DOTALL)
    assert match is not None, "README.md has no '## Quickstart' section"
    return match.group(1)


def quickstart_commands() -> list[str]:
    """Each ``sh`` block of the Quickstart, which must hold one command on one line."""
    commands = []
    for block in SH_BLOCK.findall(quickstart_section(README.read_text(encoding="utf-8"))):
        lines = [line for line in block.splitlines() if line.strip()]
        assert len(lines) == 1, f"a Quickstart sh block holds one command, not {lines!r}"
        commands.append(lines[0].strip())
    return commands


def test_the_quickstart_has_exactly_two_commands() -> None:
    commands = quickstart_commands()
    assert len(commands) == 2, commands


def test_the_first_command_installs_and_runs_the_demo() -> None:
    install, _ = quickstart_commands()
    assert install.endswith("sharedsvc demo"), install


def test_ci_runs_the_second_command_verbatim() -> None:
    _, run_tests = quickstart_commands()
    ci_lines = [line.strip() for line in CI_SCRIPT.read_text(encoding="utf-8").splitlines()]
    assert run_tests in ci_lines, f"{CI_SCRIPT} must run {run_tests!r} as a line of its own"
