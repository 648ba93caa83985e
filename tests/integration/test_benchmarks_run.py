"""The benchmark scripts run to the end (their figures are read by people, not asserted)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_commands_benchmark_runs_quickly_and_prints_both_ratios() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "commands.py"), "--quick"],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert 0 == result.returncode, result.stderr
    assert "ratio commands/plain-eventsourcing:" in result.stdout
    assert "ratio command@10000/command@10:" in result.stdout
