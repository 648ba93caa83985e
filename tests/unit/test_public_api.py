"""The public facade: every name in ``sharedsvc.__all__`` imports and is documented."""

from __future__ import annotations

import inspect
import re
import sys
from pathlib import Path

import pytest

import sharedsvc
import sharedsvc.domain.values

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("name", sorted(sharedsvc.__all__))
def test_every_public_name_imports_and_has_a_docstring(name: str) -> None:
    value = getattr(sharedsvc, name)
    if name == "__version__":
        assert re.fullmatch(r"\d+\.\d+\.\d+.*", value)
        return
    if not (inspect.isclass(value) or inspect.isfunction(value)):
        # A NewType such as PartyId: documented by the string literal that follows it.
        source = inspect.getsource(sys.modules[value.__module__])
        assert re.search(rf'^{name} = NewType\(.*\)\n"""\S', source, re.MULTILINE)
        return
    assert (inspect.getdoc(value) or "").strip(), f"{name} has no docstring"


def test_the_api_reference_page_renders_the_facade() -> None:
    page = (ROOT / "docs" / "reference" / "api.md").read_text()
    assert "::: sharedsvc" in page


def test_all_lists_no_name_twice_and_is_sorted() -> None:
    assert sorted(set(sharedsvc.__all__)) == list(sharedsvc.__all__)


def test_every_public_method_of_the_application_has_a_docstring() -> None:
    undocumented = [
        name
        for name, member in inspect.getmembers(sharedsvc.SharedServices, inspect.isfunction)
        if not name.startswith("_")
        and member.__module__.startswith("sharedsvc")
        and not (inspect.getdoc(member) or "").strip()
    ]
    assert [] == undocumented
