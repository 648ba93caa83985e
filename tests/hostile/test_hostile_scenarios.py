"""The hostile battery, scenario files: a valid scenario (the hostile world's history, written
by ``dump_scenario``) made malformed, written to a file and loaded with ``load_scenario``.

The malformations: a value anywhere in the document replaced by a hostile one that TOML can
hold (NaN, the infinities, huge whole numbers, NUL characters, lone surrogates, which make the
file not UTF-8, huge strings, far dates, arrays nested deeply, mixed arrays, typed values whose
value is NaN or sNaN) or a key removed or added; the file's bytes cut, spliced with bytes that
are not UTF-8, or with arrays nested thousands deep.

What must hold for every file: loading it either succeeds (the change left it valid) or raises
:class:`~sharedsvc.scenario.ScenarioError` naming the file, and records nothing.

Under the ``ci`` Hypothesis profile it loads 1,000 files; under ``dev`` a few dozen.
"""

from __future__ import annotations

import math
import os
import tempfile
import tomllib
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from hostile_world import TALLY, build_world
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import sharedsvc as ss
from sharedsvc.scenario import ScenarioError, dump_scenario, load_scenario

CI = os.environ.get("HYPOTHESIS_PROFILE") == "ci"
FILES = 1_000 if CI else 40
"""How many malformed scenario files a run loads."""

Path_ = tuple[str | int, ...]


def _base() -> str:
    world = build_world()
    return dump_scenario(world.app, world.pid)


BASE = _base()
DOCUMENT = tomllib.loads(BASE)


def _places(value: Any, path: Path_ = ()) -> Iterator[Path_]:
    """Every place in the document: each table's keys and each array's items, at any depth."""
    if path:
        yield path
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _places(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _places(item, (*path, index))


PLACES = sorted(_places(DOCUMENT), key=repr)


def _nested(depth: int, leaf: Any) -> Any:
    for _ in range(depth):
        leaf = [leaf]
    return leaf


TOML_HOSTILE: tuple[Any, ...] = (
    math.nan, math.inf, -math.inf, 10**30, -(10**30), 2**63, -1, 0, True, "", " ", "x\x00y",
    "\ud800", "a\udfffb", "a" * 100_000, date(9999, 12, 31), date(1, 1, 1),
    datetime(2016, 1, 4, tzinfo=UTC), datetime(2016, 1, 4), [], {}, [1, "a", date(2016, 1, 4)],
    _nested(17, "x"), _nested(120, 1), {"type": "money", "value": "NaN"},
    {"type": "decimal", "value": "sNaN"}, {"type": "decimal", "value": "Infinity"},
    {"type": "money", "value": "1e999999 GBP"}, {"type": "bogus", "value": 1}, {"type": "none"},
    "NaN", "sNaN", "-Infinity", "1e999999", "9" * 400, "camden\x00", "CAMDEN",
    {"x": math.nan}, {"": 1}, {"\x00": 1},
)  # fmt: skip


def _replace(document: Any, path: Path_, value: Any) -> Any:
    """A copy of ``document`` with the value at ``path`` replaced (``value`` ``...``: removed)."""
    if not path:
        return value
    head, rest = path[0], path[1:]
    if isinstance(document, dict):
        copy = dict(document)
        if not rest and value is ...:
            copy.pop(head, None)
        else:
            copy[head] = _replace(document[head], rest, value)
        return copy
    items = list(document)
    if not rest and value is ...:
        del items[int(head)]
    else:
        items[int(head)] = _replace(items[int(head)], rest, value)
    return items


def _written(document: Any) -> bytes:
    """The document as TOML bytes; text with lone surrogates gives bytes that are not UTF-8."""
    return tomli_w.dumps(document).encode("utf-8", "surrogatepass")


@st.composite
def malformed_files(draw: st.DrawFn) -> bytes:
    """The bytes of a malformed scenario file."""
    kind = draw(st.sampled_from(["value", "remove", "add", "cut", "splice", "nest"]))
    if kind in ("value", "remove", "add"):
        path = draw(st.sampled_from(PLACES))
        if kind == "value":
            value = draw(st.sampled_from(TOML_HOSTILE) | st.integers() | st.floats())
            document = _replace(DOCUMENT, path, value)
        elif kind == "remove":
            document = _replace(DOCUMENT, path, ...)
        else:
            parent = path[:-1]
            added = draw(st.sampled_from(["by", "party", "id", "zzz", "act", "on", "type"]))
            around = _at(DOCUMENT, parent)
            if isinstance(around, dict):
                document = _replace(DOCUMENT, parent, {**around, added: "x"})
            else:
                document = _replace(DOCUMENT, path, {added: "x"})
        return _written(document)
    data = BASE.encode()
    at = draw(st.integers(0, len(data)))
    if kind == "cut":
        return data[:at]
    if kind == "splice":
        junk = draw(
            st.sampled_from([b"\xff", b"\xc3", b"\xed\xa0\x80", b"\x00", b"\xfe\xff", b"]]"])
            | st.binary(min_size=1, max_size=8)
        )
        return data[:at] + junk + data[at:]
    depth = draw(st.sampled_from([30, 300, 3_000, 30_000]))
    line = b"nested = " + b"[" * depth + b"]" * depth + b"\n"
    lines = data.split(b"\n")
    where = draw(st.integers(0, len(lines)))
    return b"\n".join([*lines[:where], line, *lines[where:]])


def _at(document: Any, path: Path_) -> Any:
    for step in path:
        document = document[step]
    return document


def check_refused(error: ScenarioError, path: Path, app: ss.SharedServices) -> None:
    """The refusal names the file, and nothing was recorded."""
    assert error.file == os.fspath(path)
    assert str(error).startswith(os.fspath(path)), str(error)[:200]
    assert (app.recorder.max_notification_id() or 0) == 0


@pytest.fixture(scope="module")
def folder() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="hostile-scenarios-") as name:
        yield Path(name)


def test_the_base_scenario_loads(folder: Path) -> None:
    path = folder / "base.toml"
    path.write_text(BASE, encoding="utf-8")
    assert isinstance(load_scenario(ss.SharedServices.in_memory(), path), type(build_world().pid))


@settings(settings(), max_examples=FILES, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=malformed_files())
def test_malformed_scenario_files_raise_scenario_error_and_record_nothing(
    folder: Path, data: bytes
) -> None:
    app = ss.SharedServices.in_memory()
    path = folder / "malformed.toml"
    path.write_bytes(data)
    TALLY["scenario files"] += 1
    try:
        pid = load_scenario(app, path)
    except ScenarioError as error:
        TALLY["scenario files refused"] += 1
        check_refused(error, path, app)
        return
    TALLY["scenario files accepted"] += 1
    app.audit_trail(pid)
    app.read_models().catch_up()
    dump_scenario(app, pid)
