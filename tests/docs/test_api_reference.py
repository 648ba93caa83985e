"""The API reference is complete, and what the docstrings say renders as written.

The site is built once (``mkdocs build --strict``, into a temporary folder), and the inventory it
writes, ``objects.inv``, lists every object the reference renders: every public name and every
verb must be there, verbs as methods. The docstrings themselves are read from the source: a
Sphinx role (``:class:`X```) renders as raw text in mkdocstrings, so none may be left.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import logging
import re
import zlib
from collections.abc import Iterator
from pathlib import Path

import attrs
import pytest
from eventsourcing.application import Application

import sharedsvc
from sharedsvc.acts import CATALOGUE

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "src"

# The modules the reference documents whole: each has a page, and every name it exports is on it.
PUBLIC_MODULES = [
    "sharedsvc.acts",
    "sharedsvc.domain.errors",
    "sharedsvc.domain.values",
    "sharedsvc.integrity",
    "sharedsvc.invariants",
    "sharedsvc.projections",
    "sharedsvc.reports",
    "sharedsvc.scenario",
    "sharedsvc.testing",
]

SPHINX_ROLE = re.compile(r":(?:py:)?(?:class|meth|func|attr|mod|exc|data|obj|const):`")


# --- what the built reference holds -----------------------------------------------------------


def read_inventory(path: Path) -> dict[str, tuple[str, str]]:
    """The objects of a Sphinx inventory (version 2): name -> (role, uri)."""
    data = path.read_bytes()
    header_lines = 4
    parts = data.split(b"\n", header_lines)
    assert parts[0].startswith(b"# Sphinx inventory version 2"), parts[0]
    objects = {}
    for line in zlib.decompress(parts[header_lines]).decode("utf-8").splitlines():
        name, role, _priority, uri, *_ = line.split(" ", 4)
        objects[name] = (role, uri)
    return objects


@attrs.frozen
class Site:
    inventory: dict[str, tuple[str, str]]
    warnings: list[str]


class _Warnings(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(f"{record.name}: {record.getMessage()}")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    """The site, built once for this module, and the warnings the build gave (``--strict``
    would stop on the first: here each test says what it checks)."""
    pytest.importorskip("mkdocstrings_handlers.python", reason="needs the docs extra")
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    folder = tmp_path_factory.mktemp("site")
    warnings = _Warnings()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(warnings)
    try:
        with pytest.MonkeyPatch.context() as patch:
            patch.chdir(ROOT)
            patch.setenv("NO_MKDOCS_2_WARNING", "1")
            build(load_config(str(ROOT / "mkdocs.yml"), site_dir=str(folder)))
    finally:
        logger.removeHandler(warnings)
    return Site(read_inventory(folder / "objects.inv"), warnings.messages)


@pytest.fixture(scope="module")
def inventory(site: Site) -> dict[str, tuple[str, str]]:
    return site.inventory


def test_the_site_builds_without_a_warning(site: Site) -> None:
    """What ``mkdocs build --strict`` refuses: an unresolved cross-reference, a broken link."""
    assert [] == site.warnings


def public_names() -> list[str]:
    return [name for name in sharedsvc.__all__ if not name.startswith("_")]


def application_methods() -> list[str]:
    """Every verb of SharedServices, and every public method sharedsvc itself defines on it."""
    names = set(CATALOGUE)
    for name, member in inspect.getmembers(sharedsvc.SharedServices):
        owner = next(
            (base for base in sharedsvc.SharedServices.__mro__ if name in vars(base)), None
        )
        if (
            not name.startswith("_")
            and callable(member)
            and owner is not None
            and owner.__module__.startswith("sharedsvc.")
            and (inspect.getdoc(member) or "").strip()
        ):
            names.add(name)
    # eventsourcing's hooks, overridden by the store to configure it, are not the user's API.
    return sorted(name for name in names if not hasattr(Application, name))


@pytest.mark.parametrize("name", public_names())
def test_every_public_name_is_in_the_reference(
    name: str, inventory: dict[str, tuple[str, str]]
) -> None:
    assert f"sharedsvc.{name}" in inventory


@pytest.mark.parametrize("verb", application_methods())
def test_every_verb_of_the_application_is_in_the_reference_as_a_method(
    verb: str, inventory: dict[str, tuple[str, str]]
) -> None:
    assert f"sharedsvc.SharedServices.{verb}" in inventory
    role, uri = inventory[f"sharedsvc.SharedServices.{verb}"]
    assert "py:function" == role or "py:method" == role, f"{verb} is shown as {role}"
    assert uri.startswith("reference/api/")


def test_every_act_has_its_verb_among_those_checked() -> None:
    assert CATALOGUE
    assert set(CATALOGUE) <= set(application_methods())


@pytest.mark.parametrize("module", PUBLIC_MODULES)
def test_every_public_module_and_its_names_are_in_the_reference(
    module: str, inventory: dict[str, tuple[str, str]]
) -> None:
    imported = __import__(module, fromlist=["__all__"])
    assert module in inventory
    missing = [
        name
        for name in getattr(imported, "__all__", [])
        if not name.startswith("_")
        # the doors of the acts are shown where they are used, as the application's verbs
        and not name.endswith("Doors")
        and f"{module}.{name}" not in inventory
        # a function named as the submodule it comes from (sharedsvc.testing.histories)
        and f"{module}.{name}.{name}" not in inventory
    ]
    assert [] == missing


def test_the_reference_shows_no_underscore_names(inventory: dict[str, tuple[str, str]]) -> None:
    """What the pages render (an object's own anchor, not an alias of it) is public."""
    rendered = [
        name
        for name, (_role, uri) in inventory.items()
        if name.startswith("sharedsvc") and uri.endswith(("#$", f"#{name}"))
    ]
    assert len(rendered) > 200
    private = [name for name in rendered if any(part.startswith("_") for part in name.split("."))]
    assert [] == private


# --- the docstrings --------------------------------------------------------------------------


def docstrings(path: Path) -> Iterator[tuple[int, str]]:
    """Each docstring of a module (its own, its classes' and functions', its attributes'): the
    line it starts on and its text."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Expr)
            and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str)
        ):
            yield node.lineno, node.value.value


def sphinx_roles(path: Path) -> list[str]:
    """The Sphinx roles in the docstrings of a module, each with its place."""
    return [
        f"{path.name}:{line}: {match.group(0)}"
        for line, text in docstrings(path)
        for match in SPHINX_ROLE.finditer(text)
    ]


def test_no_docstring_has_a_sphinx_role() -> None:
    found = [role for path in sorted(SRC.rglob("*.py")) for role in sphinx_roles(path)]
    assert [] == found, "use [`Name`][sharedsvc.Name] or `name`, not a Sphinx role"


def test_the_role_check_finds_a_role(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        '"""See :class:`~sharedsvc.Terms`."""\n\n'
        "def f():\n"
        '    """Calls :meth:`g`, not [`g`][sharedsvc.g]."""\n'
        "# :func:`in_a_comment` is not a docstring\n",
        encoding="utf-8",
    )
    assert ["sample.py:1: :class:`", "sample.py:4: :meth:`"] == sphinx_roles(sample)


def attributes_left_out(cls: type) -> list[str]:
    """The public fields of an attrs class that its docstring's ``Attributes:`` section does
    not list (none if it has no such section): a field described after a paragraph that ends
    the section renders as running text, not as a row of the table."""
    griffe = pytest.importorskip("griffe", reason="needs the docs extra")
    doc = inspect.getdoc(cls) or ""
    if "Attributes:" not in doc:
        return []
    sections = griffe.Docstring(doc).parse(griffe.Parser.google)
    listed = {
        item.name
        for section in sections
        if section.kind is griffe.DocstringSectionKind.attributes
        for item in section.value
    }
    return [
        f.name for f in attrs.fields(cls) if not f.name.startswith("_") and f.name not in listed
    ]


def public_attrs_classes() -> list[type]:
    """Every attrs class sharedsvc exports from its package or its public modules."""
    modules = [sharedsvc, *(importlib.import_module(name) for name in PUBLIC_MODULES)]
    found = {
        value
        for module in modules
        for value in vars(module).values()
        if inspect.isclass(value) and attrs.has(value) and value.__module__.startswith("sharedsvc")
    }
    return sorted(found, key=lambda cls: f"{cls.__module__}.{cls.__qualname__}")


def test_a_class_with_an_attributes_section_lists_every_field_in_it() -> None:
    left_out = {}
    for cls in public_attrs_classes():
        missing = attributes_left_out(cls)
        if missing:
            left_out[cls.__qualname__] = missing
    assert {} == left_out


def test_the_attributes_check_finds_a_field_left_out() -> None:
    @attrs.frozen
    class Sample:
        """A sample.

        Attributes:
            listed: in the section.

        A paragraph ends the section.
            stray: after it, so running text.
        """

        listed: int
        stray: int
        _private: int = 0

    assert ["stray"] == attributes_left_out(Sample)
