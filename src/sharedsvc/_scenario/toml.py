"""Writing a scenario document as TOML text laid out for a person to read.

Each section (``[partnership]``, ``[[parties]]``, ``[terms]``, ``[[acts]]``) is a block of
``key = value`` lines; a value is written inline, and an array that does not fit on its line
is written one item a line. Within an act, the mappings of terms and positions (``changes``,
``position``, ``terms``) follow as sub-tables of their own (``[acts.changes]``), so that each of
their keys has its line. Scalars are formatted by `tomli_w`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

import tomli_w

__all__ = ["render"]

WIDTH = 100
SUBTABLES = frozenset({"changes", "position", "terms"})
"""Keys whose table, inside an array of tables, is written as a sub-table of its own."""
BARE = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_")


def _scalar(value: object) -> str:
    if not isinstance(value, str | int | float | date):  # bool is an int, datetime a date
        raise TypeError(f"{value!r} is not a TOML scalar")  # pragma: no cover - encoders' bug
    return tomli_w.dumps({"v": value})[len("v = ") :].rstrip("\n")


def _key(key: str) -> str:
    return key if key and BARE.issuperset(key) else _scalar(key)


def _inline(value: object) -> str:
    if isinstance(value, Mapping):
        pairs = ", ".join(f"{_key(key)} = {_inline(item)}" for key, item in value.items())
        return f"{{ {pairs} }}" if pairs else "{}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_inline(item) for item in value) + "]"
    return _scalar(value)


def _line(key: str, value: object) -> str:
    """``key = value``, an array that does not fit on the line written one item a line."""
    line = f"{_key(key)} = {_inline(value)}"
    if len(line) <= WIDTH or not isinstance(value, list | tuple):
        return line
    items = "".join(f"    {_inline(item)},\n" for item in value)
    return f"{_key(key)} = [\n{items}]"


def _section(header: str, name: str, body: Mapping[str, Any], nested: bool) -> list[str]:
    """The lines of one section: its header, its keys, then its sub-tables, if ``nested``."""
    later = {
        key: value
        for key, value in body.items()
        if nested and key in SUBTABLES and isinstance(value, Mapping) and value
    }
    lines = [header] + [_line(key, value) for key, value in body.items() if key not in later]
    for key, value in later.items():
        lines += ["", *_section(f"[{name}.{_key(key)}]", f"{name}.{key}", value, False)]
    return lines


def render(document: Mapping[str, Any], comments: Sequence[str] = ()) -> str:
    """``document`` (a table of tables and arrays of tables) as TOML text."""
    blocks = ["\n".join(f"# {comment}".rstrip() for comment in comments)] if comments else []
    for name, value in document.items():
        if isinstance(value, Mapping):
            blocks.append("\n".join(_section(f"[{name}]", name, value, False)))
        else:
            blocks += ["\n".join(_section(f"[[{name}]]", name, item, True)) for item in value]
    return "\n\n".join(blocks) + "\n"
