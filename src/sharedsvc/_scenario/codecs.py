"""How each value is written in a scenario file, and read back to exactly the value written.

Every kind of value has one `Codec`: ``decode`` turns what `tomllib` read into the
value (or raises a `Problem` naming the key path), and
``encode`` turns the value into data the TOML writer takes. The choices:

* decimals (shares, amounts) are strings, ``"33.33"``, kept to the digit: a TOML float is not
  exact, so floats are refused where a decimal is wanted (an integer is taken as it is);
* money is a string, the amount and, unless it is GBP, the currency: ``"125000.00 EUR"``;
* an enum member is written by its value, as the store writes it: ``"co-operating"``;
* dates are TOML dates, ``2015-09-24``, not strings;
* an optional term (``host``, ``sla``) changed to nothing is the empty string.

The free-form values of dispute positions and settlement terms are in `.freeform`.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Collection, Mapping
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar

import attrs

from sharedsvc._scenario.problems import FORMAT, Problem
from sharedsvc.domain.errors import RuleViolation
from sharedsvc.domain.records import RENAME
from sharedsvc.domain.transfers import StaffArrangement, StaffTransfer
from sharedsvc.domain.values import (
    Basis,
    CostPool,
    DecisionRef,
    Function,
    Governance,
    Money,
    Notice,
    Party,
    Terms,
)

__all__ = [
    "BOOLEAN",
    "COST_POOL",
    "DATE",
    "DECIMAL",
    "DECISION_REF",
    "FUNCTION",
    "INTEGER",
    "MONEY",
    "NOTICE",
    "PARTY",
    "STAFF_TRANSFER",
    "TERMS",
    "TERM_CHANGES",
    "TERM_FIELDS",
    "TEXT",
    "Codec",
    "Label",
    "array",
    "at",
    "enumeration",
    "label",
    "mapping",
    "record",
    "table",
    "wrong",
]

T = TypeVar("T")


@attrs.frozen
class Codec:
    """How one kind of value is read from TOML data (``decode(data, path)``) and written."""

    decode: Callable[[object, str], Any]
    encode: Callable[[Any], Any]


@attrs.frozen
class Label:
    """The local label of a variation, handover or dispute made by an earlier act: ``v1``."""

    kind: str
    name: str


# --- places and complaints ------------------------------------------------------------------


def at(path: str, key: str) -> str:
    """The path of ``key`` inside ``path``: ``changes.cost_pools``."""
    shown = key if key and all(c.isalnum() or c in "-_" for c in key) else repr(key)
    return f"{path}.{shown}" if path else shown


def _describe(data: object) -> str:
    if isinstance(data, dict):
        return "a table"
    if isinstance(data, list):
        return "an array"
    if isinstance(data, bool):
        return f"the boolean {str(data).lower()}"
    if isinstance(data, str):
        return f"the string {data!r}"
    if isinstance(data, datetime):
        return f"the date-time {data.isoformat()}"
    if isinstance(data, date):
        return f"the date {data.isoformat()}"
    return f"the {type(data).__name__} {data!r}"


def wrong(path: str, wanted: str, data: object, hint: str = "") -> Problem:
    return Problem(FORMAT, f"{path} must be {wanted}, not {_describe(data)}{hint}")


def _build(path: str, make: Callable[[], T]) -> T:
    """``make()``, with a value the domain refuses reported at ``path`` under its rule."""
    try:
        return make()
    except RuleViolation as violation:
        raise Problem(violation.rule, f"{path}: {violation.message}") from violation


def table(
    data: object, path: str, keys: Collection[str], required: Collection[str] = ()
) -> dict[str, Any]:
    """``data`` as a table whose keys are among ``keys`` and include ``required``."""
    if not isinstance(data, dict):
        raise wrong(path, "a table", data)
    for key in data:
        if key not in keys:
            raise Problem(
                FORMAT,
                f"{key!r} is not a key of {path or 'a scenario'}: use {', '.join(map(repr, keys))}",
            )
    for key in required:
        if key not in data:
            raise Problem(FORMAT, f"{path or 'a scenario'} needs {key!r}")
    return data


# --- scalars ----------------------------------------------------------------------------------


def _scalar(kind: type, wanted: str) -> Codec:
    def decode(data: object, path: str) -> Any:
        if not isinstance(data, kind) or (kind is int and isinstance(data, bool)):
            raise wrong(path, wanted, data)
        return data

    return Codec(decode, lambda value: value)


TEXT = _scalar(str, "a string")
BOOLEAN = _scalar(bool, "true or false")
INTEGER = _scalar(int, "a whole number")


def _decode_date(data: object, path: str) -> date:
    if isinstance(data, datetime) or not isinstance(data, date):
        hint = ": write the date without quotes, as 2015-09-24" if isinstance(data, str) else ""
        raise wrong(path, "a date", data, hint)
    return data


DATE = Codec(_decode_date, lambda value: value)


def _decode_decimal(data: object, path: str) -> Decimal:
    if isinstance(data, float):
        raise wrong(path, 'a decimal written as a string ("33.33")', data, ": a float is inexact")
    if isinstance(data, bool) or not isinstance(data, str | int):
        raise wrong(path, 'a decimal written as a string ("33.33")', data)
    try:
        number = Decimal(data)
    except InvalidOperation:
        raise wrong(path, 'a decimal number ("33.33")', data) from None
    if not number.is_finite():
        raise wrong(path, "a finite decimal number", data)
    return number


DECIMAL = Codec(_decode_decimal, str)


def _decode_money(data: object, path: str) -> Money:
    parts = data.split(" ") if isinstance(data, str) else []
    if not 1 <= len(parts) <= 2:
        raise wrong(path, 'money, as "125000.00" or "125000.00 EUR"', data)
    amount = _decode_decimal(parts[0], path)
    return _build(path, lambda: Money(amount, *parts[1:]))


def _encode_money(money: Money) -> str:
    return str(money.amount) if money.currency == "GBP" else f"{money.amount} {money.currency}"


MONEY = Codec(_decode_money, _encode_money)


def enumeration(kind: type[enum.Enum]) -> Codec:
    """A member of ``kind``, written by its value."""

    def decode(data: object, path: str) -> enum.Enum:
        for member in kind:
            if member.value == data and isinstance(data, str):
                return member
        values = ", ".join(repr(member.value) for member in kind)
        raise wrong(path, f"one of {values}", data)

    return Codec(decode, lambda member: member.value)


def label(kind: str) -> Codec:
    """The label of a ``kind`` (variation, handover, dispute) made by an earlier act."""

    def decode(data: object, path: str) -> Label:
        return Label(kind, TEXT.decode(data, path))

    return Codec(decode, lambda value: value.name)


# --- containers and records -------------------------------------------------------------------


def array(item: Codec) -> Codec:
    """An array of ``item`` (read as a tuple)."""

    def decode(data: object, path: str) -> tuple[Any, ...]:
        if not isinstance(data, list):
            raise wrong(path, "an array", data)
        return tuple(item.decode(element, f"{path}[{i}]") for i, element in enumerate(data))

    return Codec(decode, lambda values: [item.encode(value) for value in values])


def mapping(item: Codec) -> Codec:
    """A table of any keys whose values are ``item`` (read as a dict, in order)."""

    def decode(data: object, path: str) -> dict[str, Any]:
        if not isinstance(data, dict):
            raise wrong(path, "a table", data)
        return {key: item.decode(value, at(path, key)) for key, value in data.items()}

    def encode(values: Mapping[Any, Any]) -> dict[str, Any]:
        for key in values:
            if not isinstance(key, str):
                raise Problem(FORMAT, f"cannot write the key {key!r}: TOML keys are strings")
        return {key: item.encode(value) for key, value in values.items()}

    return Codec(decode, encode)


def record(kind: type, fields: Mapping[str, Codec], required: Collection[str] = ()) -> Codec:
    """An attrs value as a table of its fields (a field that is ``None`` is left out)."""

    def decode(data: object, path: str) -> Any:
        given = table(data, path, fields, required)
        values = {key: fields[key].decode(value, at(path, key)) for key, value in given.items()}
        return _build(path, lambda: kind(**values))

    def encode(value: Any) -> dict[str, Any]:
        written = {key: getattr(value, key) for key in fields}
        return {key: fields[key].encode(item) for key, item in written.items() if item is not None}

    return Codec(decode, encode)


PARTY = record(Party, {"id": TEXT, "name": TEXT, "kind": TEXT}, ("id", "name"))
DECISION_REF = record(
    DecisionRef,
    {"body": TEXT, "reference": TEXT, "decided_on": DATE},
    ("body", "reference", "decided_on"),
)
FUNCTION = record(
    Function, {"id": TEXT, "name": TEXT, "category": TEXT}, ("id", "name", "category")
)
STAFF_TRANSFER = record(
    StaffTransfer,
    {"arrangement": enumeration(StaffArrangement), "count": INTEGER},
    ("arrangement", "count"),
)
NOTICE = record(
    Notice, {"months": INTEGER, "aligned_to_year_end": BOOLEAN, "year_end": array(INTEGER)}
)
COST_POOL = record(
    CostPool,
    {"name": TEXT, "basis": enumeration(Basis), "shares": mapping(DECIMAL)},
    ("name", "basis", "shares"),
)


# --- terms --------------------------------------------------------------------------------------


def _decode_optional_text(data: object, path: str) -> str | None:
    text: str = TEXT.decode(data, path)
    return text or None


OPTIONAL_TEXT = Codec(_decode_optional_text, lambda value: "" if value is None else value)
"""Text where the empty string stands for nothing (no host, no service levels)."""

TERM_FIELDS: Mapping[str, Codec] = {
    "governance": enumeration(Governance),
    "casting_vote": BOOLEAN,
    "host": OPTIONAL_TEXT,
    "sla": OPTIONAL_TEXT,
    "notice": NOTICE,
    "cost_pools": array(COST_POOL),
    "scope": array(FUNCTION),
}
"""Each term of [`Terms`][sharedsvc.Terms], in the order a file gives them."""


CHANGE_FIELDS: Mapping[str, Codec] = {RENAME: TEXT, **TERM_FIELDS}
"""What a variation changes: the partnership's name (a rename), and each term."""


def _decode_changes(data: object, path: str) -> dict[str, Any]:
    given = table(data, path, CHANGE_FIELDS)
    return {key: CHANGE_FIELDS[key].decode(value, at(path, key)) for key, value in given.items()}


def _encode_changes(changes: Mapping[str, Any]) -> dict[str, Any]:
    return {key: CHANGE_FIELDS[key].encode(value) for key, value in changes.items()}


TERM_CHANGES = Codec(_decode_changes, _encode_changes)
"""Terms by name and new value (and ``name``, a new name for the partnership): a variation's
``changes`` and a party's ``position`` on it."""


def _decode_terms(data: object, path: str) -> Terms:
    table(data, path, TERM_FIELDS, ("cost_pools",))
    values = _decode_changes(data, path)
    return _build(path, lambda: Terms(**values))


def _encode_terms(terms: Terms) -> dict[str, Any]:
    return {
        key: codec.encode(value)
        for key, codec in TERM_FIELDS.items()
        if (value := getattr(terms, key)) is not None and value != ()
    }


TERMS = Codec(_decode_terms, _encode_terms)
