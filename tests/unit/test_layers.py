"""The package's layers, checked on its source.

(a) No upward imports: the domain, persistence, the projections, integrity and the adapters
never import the application (``sharedsvc.application``, ``sharedsvc.store``,
``sharedsvc.verbs``), the reports, the scenario format, the testing kit, the demo or the CLI,
nor the ``sharedsvc`` facade that imports them all.

(b) Private eventsourcing names appear only in ``sharedsvc._adapters``: no import of a private
name from eventsourcing; in a class derived from an eventsourcing class, no use or override of
a private name its eventsourcing ancestors define; on any other object, no private name that
eventsourcing defines and sharedsvc does not; and nowhere the datastore behind a recorder,
``_take_snapshots``, ``_pending_events``, or the transcoder's ``_type_``/``_data_`` keys.
"""

from __future__ import annotations

import ast
import importlib
import textwrap
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import eventsourcing
import pytest
from eventsourcing.domain import Aggregate

import sharedsvc

SRC = Path(sharedsvc.__file__).parent
ADAPTERS = "sharedsvc._adapters"
LOWER = (
    "sharedsvc.domain",
    "sharedsvc.persistence",
    "sharedsvc.projections",
    "sharedsvc.integrity",
)
UPPER = (
    "sharedsvc.application",
    "sharedsvc.store",
    "sharedsvc.verbs",
    "sharedsvc.reports",
    "sharedsvc.scenario",
    "sharedsvc._scenario",
    "sharedsvc.testing",
    "sharedsvc.cli",
    "sharedsvc.demo",
)
ALWAYS_PRIVATE = frozenset({"datastore", "_take_snapshots", "_pending_events"})
WIRE_KEYS = frozenset({"_type_", "_data_"})


def is_within(module: str, packages: tuple[str, ...] | str) -> bool:
    packages = (packages,) if isinstance(packages, str) else packages
    return any(module == package or module.startswith(package + ".") for package in packages)


def modules() -> Iterator[tuple[str, Path]]:
    """Every module of the package: its dotted name and file."""
    for path in sorted(SRC.rglob("*.py")):
        parts = path.relative_to(SRC.parent).with_suffix("").parts
        yield ".".join(parts[:-1] if parts[-1] == "__init__" else parts), path


@cache
def tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(), str(path))


def where(path: Path, node: ast.AST) -> str:
    shown = path.relative_to(SRC.parent) if path.is_relative_to(SRC.parent) else path.name
    return f"{shown}:{getattr(node, 'lineno', 0)}"


# --- (a) layers -----------------------------------------------------------------------------


def imported(node: ast.AST) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if isinstance(node, ast.ImportFrom) and node.module and not node.level:
        if node.module == "sharedsvc":  # the facade, or a module of the package by name
            return [f"sharedsvc.{alias.name}" for alias in node.names] + ["sharedsvc"]
        return [node.module]
    return []


def test_the_lower_layers_never_import_the_application_or_what_stands_on_it() -> None:
    upward = []
    for module, path in modules():
        if not is_within(module, (*LOWER, ADAPTERS)):
            continue
        for node in ast.walk(tree(path)):
            for target in imported(node):
                if target == "sharedsvc" or is_within(target, UPPER):
                    upward.append(f"{where(path, node)} imports {target}")
    assert [] == upward


def test_the_adapters_import_nothing_of_sharedsvc_but_themselves() -> None:
    found = []
    for module, path in modules():
        if is_within(module, ADAPTERS):
            for node in ast.walk(tree(path)):
                for target in imported(node):
                    if is_within(target, "sharedsvc") and not is_within(target, ADAPTERS):
                        found.append(f"{where(path, node)} imports {target}")
    assert [] == found


# --- (b) eventsourcing's private names --------------------------------------------------------


def private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def defined_name(node: ast.AST) -> str | None:
    """The name ``node`` itself defines (a function, class, assigned name or attribute)."""
    if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        return node.name
    if isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
        return node.attr
    if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
        return node.id
    return None


def private_names(nodes: Iterator[ast.AST]) -> set[str]:
    """The private names ``nodes`` define."""
    return {name for name in map(defined_name, nodes) if name and private(name)}


@cache
def eventsourcing_classes() -> dict[tuple[str, str], frozenset[str]]:
    """The private names each of eventsourcing's classes defines (attributes set on ``self``
    included), by module and class name; under ``(module, "")`` those of the whole module."""
    root = Path(eventsourcing.__file__).parent
    found: dict[tuple[str, str], frozenset[str]] = {}
    for path in root.rglob("*.py"):
        parts = path.relative_to(root.parent).with_suffix("").parts
        if "tests" in parts:
            continue
        module = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        parsed = ast.parse(path.read_text())
        found[module, ""] = frozenset(private_names(ast.walk(parsed)))
        for node in ast.walk(parsed):
            if isinstance(node, ast.ClassDef):
                found[module, node.name] = frozenset(private_names(ast.walk(node)))
    return found


def eventsourcing_private() -> frozenset[str]:
    """Every private name eventsourcing defines anywhere."""
    return frozenset().union(*eventsourcing_classes().values())


@cache
def private_of_ancestors(cls: type) -> frozenset[str]:
    """The private names ``cls``'s eventsourcing ancestors define."""
    names: set[str] = set()
    for ancestor in cls.__mro__:
        if is_within(ancestor.__module__, "eventsourcing"):
            names.update(filter(private, vars(ancestor)))
            names.update(eventsourcing_classes().get((ancestor.__module__, ancestor.__name__), ()))
    return frozenset(names)


@cache
def aggregate_internals() -> frozenset[str]:
    """The private names of eventsourcing's aggregates, which code that builds an aggregate's
    ``__dict__`` may spell as keys or keywords."""
    return private_of_ancestors(Aggregate) | ALWAYS_PRIVATE


def classes(module: str, path: Path) -> Iterator[tuple[ast.ClassDef, type]]:
    """Each class statement of the module (nested ones too) with the class it made."""
    loaded = importlib.import_module(module)

    def walk(body: list[ast.stmt], scope: object) -> Iterator[tuple[ast.ClassDef, type]]:
        for node in body:
            if isinstance(node, ast.ClassDef):
                made = getattr(scope, node.name, None)
                if isinstance(made, type):
                    yield node, made
                    yield from walk(node.body, made)

    yield from walk(tree(path).body, loaded)


@cache
def own_private() -> frozenset[str]:
    """The private names sharedsvc defines outside the adapters (except in classes derived
    from eventsourcing's, where a private name may be eventsourcing's)."""
    names: set[str] = set()
    for module, path in modules():
        if is_within(module, ADAPTERS):
            continue
        derived = [node for node, cls in classes(module, path) if private_of_ancestors(cls)]
        inside = {id(found) for node in derived for found in ast.walk(node)}
        names |= private_names(node for node in ast.walk(tree(path)) if id(node) not in inside)
    return frozenset(names)


def uses_in(path: Path, module: str) -> Iterator[str]:
    """Each use of a private eventsourcing name in the module."""
    ours = own_private()
    theirs = eventsourcing_private()
    derived: dict[int, frozenset[str]] = {}  # node id -> the private names of its class
    for node, cls in classes(module, path):
        names = private_of_ancestors(cls)
        for found in ast.walk(node):
            derived[id(found)] = derived.get(id(found), frozenset()) | names
    for node in ast.walk(tree(path)):
        if isinstance(node, ast.ImportFrom) and is_within(node.module or "", "eventsourcing"):
            for alias in node.names:
                if private(alias.name):
                    yield f"{where(path, node)} imports {alias.name} from {node.module}"
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if is_within(alias.name, "eventsourcing") and any(
                    private(part) for part in alias.name.split(".")
                ):
                    yield f"{where(path, node)} imports {alias.name}"
        elif isinstance(node, ast.Constant) and node.value in WIRE_KEYS:
            yield f"{where(path, node)} spells the transcoder's key {node.value!r}"
        elif isinstance(node, ast.Constant) and node.value in aggregate_internals():
            yield f"{where(path, node)} names eventsourcing's {node.value} (as a key)"
        elif isinstance(node, ast.keyword) and node.arg in aggregate_internals():
            yield f"{where(path, node)} names eventsourcing's {node.arg} (as a keyword)"
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            if node.name in derived.get(id(node), frozenset()) or node.name in ALWAYS_PRIVATE:
                yield f"{where(path, node)} overrides eventsourcing's {node.name}"
        elif isinstance(node, ast.Attribute):
            name = node.attr
            on_self = isinstance(node.value, ast.Name) and node.value.id in ("self", "cls")
            if (
                name in ALWAYS_PRIVATE
                or (on_self and name in derived.get(id(node), frozenset()))
                or (not on_self and name in theirs and name not in ours)
            ):
                yield f"{where(path, node)} uses eventsourcing's {name}"


def test_private_eventsourcing_names_appear_only_in_the_adapters() -> None:
    found = []
    for module, path in modules():
        if not is_within(module, ADAPTERS):
            found.extend(uses_in(path, module))
    assert [] == found


def test_the_check_finds_what_it_looks_for(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The scan has teeth: each kind of use it forbids, in a module outside the package."""
    sample = tmp_path / "sharedsvc_layers_sample.py"
    sample.write_text(
        textwrap.dedent(
            """
            from eventsourcing.popo import POPOTrackingRecorder
            from eventsourcing.utils import _topic_cache

            class Store(POPOTrackingRecorder):
                def _insert_tracking(self, tracking):
                    with self._database_lock:
                        pass

            def leaves(recorder, aggregate, state):
                aggregate.__dict__.update(_version=1)
                recorder.datastore
                aggregate._pending_events
                recorder._max_tracking_ids
                return state["_data_"]
            """
        )
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    found = "\n".join(uses_in(sample, sample.stem))
    for expected in (
        "imports _topic_cache from eventsourcing.utils",
        "overrides eventsourcing's _insert_tracking",
        "uses eventsourcing's _database_lock",
        "uses eventsourcing's datastore",
        "uses eventsourcing's _pending_events",
        "uses eventsourcing's _max_tracking_ids",
        "spells the transcoder's key '_data_'",
        "names eventsourcing's _version (as a keyword)",
    ):
        assert expected in found
