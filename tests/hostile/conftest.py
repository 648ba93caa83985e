"""The hostile battery's figures, printed at the end of a run that ran it."""

from __future__ import annotations

import sys

import pytest


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    world = sys.modules.get("hostile_world")
    tally = getattr(world, "TALLY", None)
    if not tally:
        return
    figures = ", ".join(f"{count:,} {what}" for what, count in sorted(tally.items()))
    terminalreporter.write_sep("-", "hostile battery")
    terminalreporter.write_line(figures)
