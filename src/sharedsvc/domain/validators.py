"""How values are checked and normalised when they are made: the one code for a malformed
value, and the checks and converters the value types share.

A value of the wrong type or shape is refused with a
[`RuleViolation`][sharedsvc.RuleViolation] whose rule is `INVALID`
(``"invalid-value"``), wherever in the library it is found.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import attrs
from immutabledict import immutabledict

from sharedsvc.domain.errors import RuleViolation

__all__ = [
    "DOTTED_SLUG",
    "INVALID",
    "SLUG",
    "a_date",
    "decimal",
    "freeze",
    "instance_of",
    "optional_text",
    "text",
]

INVALID = "invalid-value"
"""The rule code of a value of the wrong type or shape."""

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
"""A lowercase slug such as ``mid-kent``."""

DOTTED_SLUG = re.compile(r"[a-z0-9]+(?:[-.][a-z0-9]+)*")
"""Slugs joined by dots, such as ``ict.service-desk``."""


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
        raise RuleViolation(INVALID, f"{what} {value!r} is a float: pass a Decimal or a string")
    if isinstance(value, bool) or not isinstance(value, Decimal | int | str):
        raise RuleViolation(INVALID, f"{what} {value!r} is not a number: pass a Decimal")
    try:
        number = Decimal(value)
    except ArithmeticError:
        raise RuleViolation(INVALID, f"{what} {value!r} is not a decimal number") from None
    if not number.is_finite():
        raise RuleViolation(INVALID, f"{what} {value!r} is not a finite number")
    exponent = number.as_tuple().exponent
    if number and not (isinstance(exponent, int) and -12 <= exponent and number.adjusted() <= 15):
        raise RuleViolation(
            INVALID, f"{what} {value!r} is out of range: at most 15 digits, 12 decimal places"
        )
    return number


def text(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """An attrs validator: ``value`` is a string with something in it."""
    if not isinstance(value, str) or not value.strip():
        raise RuleViolation(INVALID, f"{attribute.name} must be a non-empty string, not {value!r}")


def optional_text(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """An attrs validator: ``value`` is None or a string with something in it."""
    if value is not None:
        text(_, attribute, value)


def a_date(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """An attrs validator: ``value`` is a calendar date (not a datetime)."""
    if not isinstance(value, date) or isinstance(value, datetime):
        raise RuleViolation(INVALID, f"{attribute.name} must be a date, not {value!r}")


def instance_of(kind: type) -> Any:
    """An attrs validator: the value is a ``kind``."""

    def check(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if not isinstance(value, kind):
            raise RuleViolation(
                INVALID, f"{attribute.name} must be a {kind.__name__}, not {value!r}"
            )

    return check
