"""The installed distribution and the package agree about what they are."""

from __future__ import annotations

from importlib.metadata import version

import sharedsvc


def test_the_package_version_is_the_distribution_version() -> None:
    assert version("sharedsvc") == sharedsvc.__version__
