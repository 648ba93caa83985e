"""Free-form values: what dispute positions and settlement terms map their subjects to.

A value TOML has (a string, number, boolean, date, date-time, array or table) is written as
itself; any other is a table of its ``type`` and ``value``: ``{ type = "money", value =
"100.00" }``, ``{ type = "rung", value = "mediation" }``, ``{ type = "none" }`` for nothing,
and ``{ type = "table", value = {...} }`` for a plain table that has a ``type`` key itself, so
that every table with a ``type`` key is one of these. An array is read back as a tuple, as the
store keeps it.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from sharedsvc._scenario.codecs import (
    COST_POOL,
    DECIMAL,
    DECISION_REF,
    FUNCTION,
    MONEY,
    NOTICE,
    PARTY,
    STAFF_TRANSFER,
    TERMS,
    Codec,
    at,
    enumeration,
    mapping,
    table,
    wrong,
)
from sharedsvc._scenario.problems import FORMAT, Problem
from sharedsvc.domain.transfers import DataRole, StaffArrangement, StaffTransfer
from sharedsvc.domain.values import (
    Basis,
    CostPool,
    DecisionRef,
    Function,
    Governance,
    Money,
    Notice,
    Party,
    Rung,
    Stage,
    Terms,
)

__all__ = ["ANY", "TYPED"]

TYPED: Mapping[str, tuple[type, Codec]] = {
    "decimal": (Decimal, DECIMAL),
    "money": (Money, MONEY),
    "party": (Party, PARTY),
    "decision-ref": (DecisionRef, DECISION_REF),
    "function": (Function, FUNCTION),
    "cost-pool": (CostPool, COST_POOL),
    "notice": (Notice, NOTICE),
    "staff-transfer": (StaffTransfer, STAFF_TRANSFER),
    "terms": (Terms, TERMS),
    **{
        name: (kind, enumeration(kind))
        for name, kind in (
            ("stage", Stage),
            ("rung", Rung),
            ("basis", Basis),
            ("governance", Governance),
            ("staff-arrangement", StaffArrangement),
            ("data-role", DataRole),
        )
    },
}
"""The values written as ``{ type = name, value = ... }``, by name."""

_NATIVE = (str, int, float, date)  # bool is an int, datetime a date: TOML has them all


def _decode_any(data: object, path: str) -> Any:
    if isinstance(data, list):
        return tuple(_decode_any(item, f"{path}[{i}]") for i, item in enumerate(data))
    if isinstance(data, dict):
        if "type" not in data:
            return {key: _decode_any(value, at(path, key)) for key, value in data.items()}
        kinds = ("none", "table", *TYPED)
        given = table(data, path, ("type", "value"), () if data["type"] == "none" else ("value",))
        name = given["type"]
        if name == "none":
            return None
        if name == "table":
            inside, contents = at(path, "value"), given["value"]
            if not isinstance(contents, dict):
                raise wrong(inside, "a table", contents)
            return {key: _decode_any(value, at(inside, key)) for key, value in contents.items()}
        if not isinstance(name, str) or name not in TYPED:
            raise wrong(at(path, "type"), f"one of {', '.join(map(repr, kinds))}", name)
        return TYPED[name][1].decode(given["value"], at(path, "value"))
    if isinstance(data, _NATIVE):
        return data
    raise wrong(path, "a string, number, boolean, date, array or table", data)


def _encode_any(value: Any) -> Any:
    if value is None:
        return {"type": "none"}
    if isinstance(value, _NATIVE):
        return value
    for name, (kind, codec) in TYPED.items():
        if type(value) is kind:
            return {"type": name, "value": codec.encode(value)}
    if isinstance(value, Mapping):
        contents = mapping(ANY).encode(value)
        return {"type": "table", "value": contents} if "type" in contents else contents
    if isinstance(value, tuple | list):
        return [_encode_any(item) for item in value]
    raise Problem(FORMAT, f"cannot write {value!r} in a scenario file: no TOML form for it")


ANY = Codec(_decode_any, _encode_any)
"""A free-form value (see the module's docstring)."""
