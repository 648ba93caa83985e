"""Running ``sharedsvc`` in the test process (click's CliRunner isolates standard streams and
the environment) or as a subprocess, and the checks every refusal must pass."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

import attrs
from click.testing import CliRunner

from sharedsvc.cli import main

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "camden-islington-haringey.toml"
EXAMPLE_EVENTS = 50

# No store variable of the calling shell may leak into a test, and lines are not wrapped
# unless a test says how wide the terminal is.
CLEAN_ENV: dict[str, str | None] = {
    "SHAREDSVC_DB": None,
    "SHAREDSVC_POSTGRES": None,
    "PERSISTENCE_MODULE": None,
    "COLUMNS": None,
}


@attrs.frozen
class Ran:
    """What a run of the command gave: its exit code and its two streams."""

    code: int
    out: str
    err: str

    def refused(self, code: int = 1) -> str:
        """Check that the run ended with ``code`` and one line on standard error, no
        traceback and nothing on standard output; returns that line."""
        assert code == self.code, (self.code, self.out, self.err)
        assert "Traceback" not in self.err, self.err
        lines = self.err.strip().splitlines()
        assert 1 == len(lines), self.err
        assert "" == self.out, self.out
        return lines[0]


def sharedsvc(*args: str, env: Mapping[str, str | None] | None = None) -> Ran:
    """Run ``sharedsvc ARGS`` through :func:`sharedsvc.cli.main` under CliRunner's isolation."""
    runner = CliRunner()
    with runner.isolation(env={**CLEAN_ENV, **(env or {})}) as (stdout, stderr, _):
        code = main(list(args))
        sys.stdout.flush()
        sys.stderr.flush()
        return Ran(code, stdout.getvalue().decode(), stderr.getvalue().decode())


def subprocess_env(**extra: str) -> dict[str, str]:
    """The environment for ``python -m sharedsvc.cli`` in a subprocess."""
    env = {key: value for key, value in os.environ.items() if key not in CLEAN_ENV}
    # The caller's PYTHONPATH first (made absolute: the subprocess may run elsewhere), then
    # this checkout's source.
    given = [str(Path(p).resolve()) for p in env.get("PYTHONPATH", "").split(os.pathsep) if p]
    env["PYTHONPATH"] = os.pathsep.join([*given, str(ROOT / "src")])
    return {**env, **extra}


def command(*args: str) -> list[str]:
    """The argv of ``sharedsvc ARGS`` as a subprocess."""
    return [sys.executable, "-m", "sharedsvc.cli", *args]


def run_subprocess(*args: str, cwd: Path, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """``sharedsvc ARGS`` in a subprocess, with a timeout."""
    return subprocess.run(
        command(*args),
        cwd=cwd,
        env=subprocess_env(),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def load_example(db: Path, *extra: str) -> Ran:
    """Load the example scenario into the SQLite store ``db``."""
    ran = sharedsvc("load", str(EXAMPLE), "--db", str(db), *extra)
    assert 0 == ran.code, ran.err
    return ran
