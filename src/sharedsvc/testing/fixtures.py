"""pytest fixtures for testing code built on sharedsvc.

Enable them in a ``conftest.py``::

    pytest_plugins = ["sharedsvc.testing.fixtures"]

then ask for ``sharedsvc_app`` (in memory) or ``sharedsvc_sqlite_app`` (a SQLite file in the
test's temporary directory) in a test. Each application is closed when the test ends.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from sharedsvc.application import SharedServices

__all__ = ["sharedsvc_app", "sharedsvc_sqlite_app"]


@pytest.fixture
def sharedsvc_app() -> Iterator[SharedServices]:
    """A [`SharedServices`][sharedsvc.SharedServices] on an in-memory store."""
    app = SharedServices.in_memory()
    yield app
    app.close()


@pytest.fixture
def sharedsvc_sqlite_app(tmp_path: Path) -> Iterator[SharedServices]:
    """A [`SharedServices`][sharedsvc.SharedServices] on a SQLite file in the test's temporary
    folder."""
    app = SharedServices.sqlite(tmp_path / "sharedsvc.db")
    yield app
    app.close()
