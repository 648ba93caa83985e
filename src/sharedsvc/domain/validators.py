"""How values are checked and normalised when they are made: the one code for a malformed
value, and the checks and converters the value types share.

A value of the wrong type or shape is refused with a
`sharedsvc.domain.errors.RuleViolation` whose rule is `INVALID`
(``"invalid-value"``), wherever in the library it is found, naming the field. There is one rule
per kind of value, here, so that every door (the verbs, the acts, the scenario files) refuses the
same things:

- text (`string`) is a ``str`` that every store can hold: no lone surrogate
  (``"\\ud800"``, which has no UTF-8 form) and no NUL character (which PostgreSQL's text
  refuses);
- a number is finite: NaN, the infinities and ``Decimal("sNaN")`` are refused, as floats
  (`finite`) and as Decimals (`decimal`, which also bounds its digits);
- a whole number (`whole`), such as a version or a position, fits a 64-bit column;
- a date derived from another (`calendar_year`) stays within the calendar;
- a free value (`plain`), what a dispute position or settlement maps its subjects to, is
  one that a scenario file can write: text, a finite number, a boolean, a date, ``None``, a
  value type of the library (`plain_kind`), or a list or table of them (tables keyed by
  text), nested at most `MAX_DEPTH` deep.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from datetime import MAXYEAR, MINYEAR, date, datetime
from decimal import Decimal
from typing import Any, TypeVar

import attrs
from immutabledict import immutabledict

from sharedsvc.domain.errors import RuleViolation

__all__ = [
    "DOTTED_SLUG",
    "INVALID",
    "MAX_DEPTH",
    "MAX_WHOLE",
    "SLUG",
    "a_date",
    "calendar_year",
    "decimal",
    "finite",
    "freeze",
    "instance_of",
    "optional_text",
    "plain",
    "plain_kind",
    "plain_kinds",
    "shown",
    "string",
    "text",
    "whole",
]

K = TypeVar("K", bound=type)

INVALID = "invalid-value"
"""The rule code of a value of the wrong type or shape."""

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
"""A lowercase slug such as ``mid-kent``."""

DOTTED_SLUG = re.compile(r"[a-z0-9]+(?:[-.][a-z0-9]+)*")
"""Slugs joined by dots, such as ``ict.service-desk``."""

MAX_WHOLE = 2**63 - 1
"""The largest whole number a version or a position may be (a signed 64-bit column)."""

MAX_DEPTH = 16
"""How deeply lists and tables may nest inside a free value."""

_plain_kinds: list[type] = []


def shown(value: object, limit: int = 60) -> str:
    """``repr(value)``, cut short for a message (a refused string may be megabytes long)."""
    try:
        text = repr(value)
    except Exception:  # an object whose repr fails is still refused, by its type
        text = f"<{type(value).__name__}>"
    return text if len(text) <= limit else f"{text[: limit - 5]}...{text[-2:]}"


def string(value: object, what: str, *, blank: bool = False) -> str:
    """``value`` if it is text every store can hold (and not blank, unless ``blank``): a
    ``str`` without lone surrogates or NUL characters; otherwise refuse it, naming ``what``."""
    if not isinstance(value, str) or not (blank or value.strip()):
        kind = "a string" if blank else "a non-empty string"
        raise RuleViolation(INVALID, f"{what} must be {kind}, not {shown(value)}")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as error:
        raise RuleViolation(
            INVALID,
            f"{what} holds {value[error.start]!r} at {error.start}, a lone surrogate that is "
            "not a character: pass text that can be written as UTF-8",
        ) from None
    nul = value.find("\x00")
    if nul >= 0:
        raise RuleViolation(
            INVALID, f"{what} holds a NUL character at {nul}, which no store keeps: remove it"
        )
    return value


def whole(value: object, what: str, *, low: int = 0, high: int = MAX_WHOLE) -> int:
    """``value`` if it is a whole number (an ``int``, not a ``bool``) from ``low`` to ``high``;
    otherwise refuse it, naming ``what``."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise RuleViolation(INVALID, f"{what} must be a whole number, not {shown(value)}")
    if not low <= value <= high:
        raise RuleViolation(
            INVALID, f"{what} must be a whole number from {low} to {high}, not {shown(value)}"
        )
    return value


def finite(value: float, what: str) -> float:
    """``value``, a float, if it is finite (not NaN or an infinity); otherwise refuse it."""
    if not math.isfinite(value):
        raise RuleViolation(INVALID, f"{what} is {shown(value)}, not a finite number")
    return value


def calendar_year(year: int, what: str) -> int:
    """``year`` if the calendar has it (1 to 9999); otherwise refuse it: ``what`` is the date
    that would fall in it, so the refusal says which date left the calendar."""
    if not MINYEAR <= year <= MAXYEAR:
        raise RuleViolation(
            INVALID, f"{what} would fall in the year {year}, outside the calendar (1 to 9999)"
        )
    return year


def plain_kind(kind: K) -> K:
    """A class decorator: instances of ``kind``, a value type of the library (validated when
    made, with a transcoding and a form in scenario files), may be held by free values."""
    _plain_kinds.append(kind)
    return kind


def plain_kinds() -> tuple[type, ...]:
    """The value types that free values may hold (see `plain_kind`)."""
    return tuple(_plain_kinds)


def plain(value: object, what: str, *, depth: int = 0) -> Any:
    """``value`` if it is a free value (see the module's docstring); otherwise refuse it with
    `INVALID`, naming where in ``what`` the bad part is."""
    if depth > MAX_DEPTH:
        raise RuleViolation(INVALID, f"{what} is nested more than {MAX_DEPTH} deep")
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, str):
        return string(value, what, blank=True)
    if isinstance(value, float):
        return finite(value, what)
    if isinstance(value, int | Decimal):
        decimal(value, what)
        return value
    if type(value) in _plain_kinds or type(value) in (date, datetime):
        return value
    if isinstance(value, Mapping):
        for key, item in value.items():
            if not isinstance(key, str):
                raise RuleViolation(
                    INVALID, f"{what} has the key {shown(key)}: keys of a table are text"
                )
            string(key, f"a key of {what}", blank=True)
            plain(item, f"{what}[{key!r}]", depth=depth + 1)
        return value
    if isinstance(value, list | tuple):
        for index, item in enumerate(value):
            plain(item, f"{what}[{index}]", depth=depth + 1)
        return value
    raise RuleViolation(
        INVALID,
        f"{what} is {shown(value)}, a {type(value).__name__}: a value here is text, a number, "
        "a boolean, a date, None, a value of the library, or a list or table of them",
    )


def freeze(value: Any) -> Any:
    """Return ``value`` with every list turned into a tuple and every mapping into an
    ``immutabledict``, recursively, so that values read back from JSON compare equal to the
    values that were written."""
    if isinstance(value, list | tuple):
        return tuple(freeze(item) for item in value)
    if isinstance(value, Mapping):
        return immutabledict((key, freeze(item)) for key, item in value.items())
    if isinstance(value, set | frozenset):
        return frozenset(freeze(item) for item in value)
    return value


def decimal(value: object, what: str) -> Decimal:
    """``value`` as a finite ``Decimal`` of at most 15 digits and 12 decimal places (``what``
    names it in the refusal); floats are refused, so that no binary rounding creeps in."""
    if isinstance(value, float):
        raise RuleViolation(
            INVALID, f"{what} {shown(value)} is a float: pass a Decimal or a string"
        )
    if isinstance(value, bool) or not isinstance(value, Decimal | int | str):
        raise RuleViolation(INVALID, f"{what} {shown(value)} is not a number: pass a Decimal")
    if isinstance(value, int) and value.bit_length() > 64:  # no need to make it a Decimal
        raise RuleViolation(INVALID, f"{what} {shown(value)} is out of range: at most 15 digits")
    if isinstance(value, str):
        string(value, what)
    try:
        number = Decimal(value)
    except ArithmeticError:
        raise RuleViolation(INVALID, f"{what} {shown(value)} is not a decimal number") from None
    if not number.is_finite():
        raise RuleViolation(INVALID, f"{what} {shown(value)} is not a finite number")
    exponent = number.as_tuple().exponent
    if number and not (isinstance(exponent, int) and -12 <= exponent and number.adjusted() <= 15):
        raise RuleViolation(
            INVALID, f"{what} {shown(value)} is out of range: at most 15 digits, 12 decimal places"
        )
    return number


def text(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """An attrs validator: ``value`` is a string with something in it (see `string`)."""
    string(value, attribute.name)


def optional_text(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """An attrs validator: ``value`` is None or a string with something in it."""
    if value is not None:
        text(_, attribute, value)


def a_date(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """An attrs validator: ``value`` is a calendar date (not a datetime)."""
    if not isinstance(value, date) or isinstance(value, datetime):
        raise RuleViolation(INVALID, f"{attribute.name} must be a date, not {shown(value)}")


def instance_of(kind: type) -> Any:
    """An attrs validator: the value is a ``kind``."""

    def check(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if not isinstance(value, kind):
            raise RuleViolation(
                INVALID, f"{attribute.name} must be a {kind.__name__}, not {shown(value)}"
            )

    return check
