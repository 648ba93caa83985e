"""The library works without its optional extras: the Quickstart's first command installs
``sharedsvc`` alone (no psycopg, no matplotlib, no cryptography), and the demo must run."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

BLOCKED = ("psycopg", "psycopg_pool", "matplotlib", "cryptography")

SCRIPT = f"""
import sys
for name in {BLOCKED!r}:
    sys.modules[name] = None  # importing it now raises ImportError, as if not installed
from sharedsvc.cli import main
code = main(["demo", "--db", sys.argv[1]])
import sharedsvc, sharedsvc.projections, sharedsvc.integrity, sharedsvc.reports
app = sharedsvc.SharedServices.sqlite(sys.argv[1])
assert app.read_models().replay() == app.highest_position()
assert app.verify(against=app.checkpoint()).ok
app.close()
import io, contextlib
err = io.StringIO()
with contextlib.redirect_stderr(err):
    assert 1 == main(["timeline", "Shared Digital", "--db", sys.argv[1], "--png", "t.png"])
assert "pip install 'sharedsvc[timeline]'" in err.getvalue(), err.getvalue()
sys.exit(code)
"""


def test_the_demo_and_the_read_side_run_without_the_optional_extras(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(tmp_path / "demo.db")],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert 0 == result.returncode, result.stderr
    assert "Compromises" in result.stdout
