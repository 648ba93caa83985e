"""The benchmark scripts run to the end (their figures are read by people, not asserted)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def test_the_commands_benchmark_runs_quickly_and_prints_both_ratios() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "commands.py"), "--quick"],
        capture_output=True,
        text=True,
        check=False,
        timeout=240,  # under the per-test limit (300 s), so that this one reports a hang
    )
    assert 0 == result.returncode, result.stderr
    assert "ratio commands/plain-eventsourcing:" in result.stdout
    assert "ratio command@10000/command@10:" in result.stdout
    assert "ratio cold-load@10000/cold-load@10:" in result.stdout


def run_quick(script: str, tmp_path: Path) -> str:
    """Run ``benchmarks/SCRIPT --quick`` on a store of its own; returns what it printed."""
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks" / script),
            "--quick",
            "--store",
            str(tmp_path / "store.db"),
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=240,  # under the per-test limit (300 s), so that this one reports a hang
    )
    assert 0 == result.returncode, result.stdout + result.stderr
    return result.stdout


def test_the_verify_benchmark_runs_quickly_and_prints_its_ratio_and_memory(tmp_path: Path) -> None:
    printed = run_quick("verify.py", tmp_path)
    assert "ratio verify/floor-C:" in printed
    assert "ratio first-checkpoint/floor-C:" in printed
    assert "memory of verify:" in printed
    assert "reports: all ok" in printed


def test_the_replay_benchmark_runs_quickly_and_prints_its_ratio_and_memory(tmp_path: Path) -> None:
    printed = run_quick("replay.py", tmp_path)
    assert "ratio replay/floor-B:" in printed
    assert "ratio es-path/floor-B:" in printed
    assert "memory of replay:" in printed
    assert "rebuilt: every replay complete" in printed


def test_the_timeline_benchmark_runs_quickly_and_prints_its_ratio() -> None:
    pytest.importorskip("matplotlib")
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "timeline.py"), "--quick"],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert 0 == result.returncode, result.stdout + result.stderr
    assert "ratio long-png/demo-png:" in result.stdout
    assert "badges above the lanes" in result.stdout


def test_the_whatif_benchmark_runs_quickly_and_prints_its_ratios() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "whatif.py"), "--quick"],
        capture_output=True,
        text=True,
        check=False,
        timeout=240,  # under the per-test limit (300 s), so that this one reports a hang
    )
    assert 0 == result.returncode, result.stdout + result.stderr
    assert "ratio fork/read:" in result.stdout
    assert "ratio compare/read:" in result.stdout
    assert "forks: every one agrees with the record" in result.stdout


def test_the_lookup_benchmark_runs_quickly_and_prints_its_ratios(tmp_path: Path) -> None:
    printed = run_quick("lookup.py", tmp_path)
    assert "ratio by-name/by-id:" in printed
    assert "ratio by-name-unique/by-id:" in printed
    assert "ratio by-name-unique/by-id-uncached:" in printed
    assert "ratio list/by-id:" in printed
    assert "ratio sovereignty/by-id:" in printed


def test_the_reports_benchmark_runs_quickly_and_prints_its_ratios(tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    printed = run_quick("reports.py", tmp_path)
    assert "ratio audit/read:" in printed
    assert "ratio timeline/read:" in printed
    assert "trail entries:" in printed


@pytest.mark.postgres
def test_the_postgres_benchmark_runs_quickly_and_prints_its_ratios_beside_sqlite(
    postgres_db: dict[str, object],
) -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "postgres.py"), "--quick"],
        capture_output=True,
        text=True,
        check=False,
        timeout=240,  # under the per-test limit (300 s), so that this one reports a hang
    )
    assert 0 == result.returncode, result.stdout + result.stderr
    for ratio in (
        "commands/plain-eventsourcing",
        "replay/floor-B",
        "verify/floor-C",
        "runner/plain-runner",
    ):
        assert f"ratio {ratio}: postgres " in result.stdout
    assert "checked: every replay complete, every verification ok" in result.stdout
