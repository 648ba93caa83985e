"""Hypothesis strategies for hostile values: what an attacker, a careless caller or a corrupted
file puts where a value goes.

NaN, the infinities and signalling NaN as floats and Decimals; lone surrogates, NUL characters,
empty, blank and huge strings; whole numbers too large for any column; dates at the ends of the
calendar and date-times where dates go; bytes, arbitrary objects, sets, mappings keyed by mixed
types, lists nested hundreds deep; the library's own values in the wrong place, and its values
built from hostile parts (built when the command is, so that a value type refusing them is a
refusal of the command).

Nothing here is a test.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID

import attrs
from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

from sharedsvc import (
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
from sharedsvc.domain.transfers import DataRole, StaffArrangement, StaffTransfer

__all__ = ["Deep", "Made", "Unprintable", "build", "hostile", "hostile_for"]


@attrs.frozen
class Made:
    """A value built when the command is: ``make(*parts)``, its parts built first."""

    make: Callable[..., Any]
    parts: tuple[Any, ...]

    def __repr__(self) -> str:
        name = getattr(self.make, "__name__", repr(self.make))
        return f"{name}({', '.join(map(repr, self.parts))})"


@attrs.frozen
class Deep:
    """``leaf`` inside ``depth`` nested lists (or tables keyed ``"x"``), built without
    recursion."""

    depth: int
    leaf: Any
    tables: bool = False

    def __repr__(self) -> str:
        return f"Deep({self.depth}, {self.leaf!r}, tables={self.tables})"


def build(value: Any) -> Any:
    """``value`` with every :class:`Made` and :class:`Deep` in it built."""
    if isinstance(value, Made):
        return value.make(*(build(part) for part in value.parts))
    if isinstance(value, Deep):
        built = build(value.leaf)
        for _ in range(value.depth):
            built = {"x": built} if value.tables else [built]
        return built
    if isinstance(value, list):
        return [build(item) for item in value]
    if isinstance(value, tuple):
        return tuple(build(item) for item in value)
    if isinstance(value, dict):
        return {build(key): build(item) for key, item in value.items()}
    return value


class Opaque:
    """An object of no kind the library knows."""

    def __repr__(self) -> str:
        return "Opaque()"


class Unprintable:
    """An object whose repr fails while a command is taken (``armed``); Hypothesis, which
    prints it in a failure report, sees a name."""

    armed = False

    def __repr__(self) -> str:
        if Unprintable.armed:
            raise RuntimeError("no repr")
        return "Unprintable()"


NON_FINITE = (
    math.nan, math.inf, -math.inf, Decimal("NaN"), Decimal("-NaN"), Decimal("sNaN"),
    Decimal("Infinity"), Decimal("-Infinity"),
)  # fmt: skip
HUGE_NUMBERS = (
    10**30, -(10**30), 2**63, 2**63 - 1, 2**64, -(2**63) - 1, 10**400, Decimal("1E+999999"),
    Decimal("1E-999999"), Decimal("9" * 60), 1e308, -1e308, 5e-324,
)  # fmt: skip
BAD_TEXT = (
    "\ud800", "a\udfffb", "\udc80abc", "x\x00y", "\x00", "", " ", "\t\n", "\u200b", "\ufeff",
    "'; DROP TABLE stored_events; --", "{{type}}", "\x1b[31mred", "💥", "a" * 70,
)  # fmt: skip
FAR_DATES = (
    date.max, date.min, date(9999, 12, 1), date(9999, 3, 31), date(1, 1, 1), date(1900, 2, 28),
    datetime(2016, 1, 4), datetime(2016, 1, 4, tzinfo=UTC), datetime.max, datetime.min,
    "2016-01-04", 20160104, timedelta(days=1),
)  # fmt: skip
OBJECTS: tuple[Any, ...] = (
    b"bytes", bytearray(b"x"), memoryview(b"x"), 1 + 2j, {1, "a"}, frozenset({2}), range(3),
    Ellipsis, NotImplemented, object, print, UUID(int=0), UUID(int=7),
    "00000000-0000-0000-0000-000000000007",
)  # fmt: skip
LIBRARY = (
    Stage.COMBINING, Rung.MEDIATION, Basis.FIXED, Governance.COMPANY, DataRole.HOST_PROCESSOR,
    StaffArrangement.TUPE, Money(Decimal("1")), Money(Decimal("-5"), "EUR"),
    Party("hackney", "Hackney"), DecisionRef("Cabinet", "C/1", date(2015, 1, 1)),
    Function("brand", "Brand", "identity"), Notice(), StaffTransfer(StaffArrangement.S113, 1),
    CostPool.equal("core", ["camden", "islington"]),
    Terms(cost_pools=(CostPool.equal("core", ["camden"]),)),
)  # fmt: skip


def _huge_text() -> SearchStrategy[str]:
    return st.builds(
        lambda piece, times: piece * times,
        st.sampled_from(["a", "é", "\ud800", "ab\x00", " "]),
        st.sampled_from([1_000, 100_000]),
    )


SCALARS: SearchStrategy[Any] = st.one_of(
    st.sampled_from(NON_FINITE),
    st.sampled_from(HUGE_NUMBERS),
    st.sampled_from(BAD_TEXT),
    st.sampled_from(FAR_DATES),
    st.sampled_from(OBJECTS),
    st.sampled_from(LIBRARY),
    st.builds(Opaque),
    st.builds(Unprintable),
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.decimals(),
    st.text(st.characters(codec=None, categories=("Cs", "Cc", "Ll", "Zs", "So")), max_size=8),
    st.dates(),
    st.datetimes(timezones=st.none() | st.just(UTC)),
    _huge_text(),
)
"""Single hostile values of every kind."""


def _hashable(value: object) -> bool:
    try:
        hash(value)
    except TypeError:  # a set, a bytearray, Decimal("sNaN")
        return False
    return True


KEYS: SearchStrategy[Any] = SCALARS.filter(_hashable)
"""Hostile values that can key a mapping."""


def _made(make: Callable[..., Any], *parts: SearchStrategy[Any]) -> SearchStrategy[Made]:
    return st.tuples(*parts).map(lambda built: Made(make, built))


def _or_hostile(valid: Any) -> SearchStrategy[Any]:
    return st.just(valid) | SCALARS


MADE: SearchStrategy[Made] = st.one_of(
    _made(Money, SCALARS, _or_hostile("GBP")),
    _made(Money, _or_hostile(Decimal("1")), SCALARS),
    _made(Party, SCALARS, _or_hostile("Hackney")),
    _made(Party, _or_hostile("hackney"), SCALARS, SCALARS),
    _made(DecisionRef, SCALARS, _or_hostile("C/1"), _or_hostile(date(2015, 1, 1))),
    _made(DecisionRef, _or_hostile("Cabinet"), SCALARS, SCALARS),
    _made(Function, SCALARS, _or_hostile("Brand"), _or_hostile("identity")),
    _made(Function, _or_hostile("brand"), SCALARS, SCALARS),
    _made(Notice, SCALARS, _or_hostile(True), _or_hostile((3, 31))),
    _made(Notice, _or_hostile(6), SCALARS, SCALARS),
    _made(StaffTransfer, _or_hostile(StaffArrangement.S113), SCALARS),
    _made(CostPool, SCALARS, _or_hostile(Basis.FIXED), _or_hostile({"camden": "100"})),
    _made(
        CostPool,
        _or_hostile("core"),
        _or_hostile(Basis.FIXED),
        st.dictionaries(KEYS, SCALARS, max_size=3) | st.fixed_dictionaries({"camden": SCALARS}),
    ),
    _made(
        lambda pools, sla, host: Terms(cost_pools=pools, sla=sla, host=host),
        _or_hostile((CostPool.equal("core", ["camden", "islington", "haringey"]),)),
        _or_hostile(None),
        _or_hostile(None),
    ),
)
"""The library's values built from hostile parts."""

DEEP: SearchStrategy[Deep] = st.builds(
    Deep, st.sampled_from([17, 40, 300, 3000]), SCALARS | st.just("x"), st.booleans()
)

CONTAINERS: SearchStrategy[Any] = st.recursive(
    SCALARS | MADE,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.lists(inner, max_size=3).map(tuple),
        st.dictionaries(st.text(max_size=3), inner, max_size=3),
        st.dictionaries(
            st.one_of(st.integers(), st.text(max_size=2), st.none(), st.booleans(), st.dates()),
            inner,
            max_size=3,
        ),
    ),
    max_leaves=6,
)
"""Hostile values inside lists, tuples and tables (tables keyed by mixed types among them)."""


@functools.cache
def hostile() -> SearchStrategy[Any]:
    """Any hostile value: a scalar, a value built from hostile parts, a container of them, or
    something nested deeply."""
    return st.one_of(SCALARS, MADE, CONTAINERS, DEEP)


TERMS = ("cost_pools", "scope", "notice", "governance", "casting_vote", "host", "sla")


def _subject_mappings(subjects: SearchStrategy[str]) -> SearchStrategy[dict[Any, Any]]:
    """Mappings shaped like positions or changes, with hostile values or keys in them."""
    return st.one_of(
        st.dictionaries(subjects, hostile(), min_size=1, max_size=2),
        st.builds(lambda key, value: {key: value}, KEYS, st.just("x") | hostile()),
        st.builds(lambda s, v: {s: {"inner": v}}, subjects, hostile()),
        st.builds(lambda s, v: {s: [1, v]}, subjects, hostile()),
        st.builds(lambda s, v: {s: "ok", 1: v}, subjects, hostile()),
        st.builds(lambda s: {s: "ok", 1: "x", None: "y"}, subjects),
        st.builds(lambda deep, s: {s: deep}, DEEP, subjects),
    )


@functools.cache
def hostile_for(field: str, form: str | None) -> SearchStrategy[Any]:
    """Hostile values for the field named ``field`` (of form ``form``: ``"term-changes"``,
    ``"free"`` or ``None``): any hostile value, or one shaped like what the field takes."""
    shaped: list[SearchStrategy[Any]] = []
    if form == "term-changes":
        shaped.append(_subject_mappings(st.sampled_from(TERMS)))
    elif form == "free" or field in ("final_account", "changes", "position", "terms"):
        shaped.append(_subject_mappings(st.sampled_from(["charge", "camden", "x"])))
    if field in ("parties", "admit", "against", "staff", "assets"):
        shaped.append(st.lists(hostile() | MADE, min_size=1, max_size=3))
        shaped.append(st.builds(lambda v: ["camden", v], hostile()))
    if field in ("amount", "ref", "function", "terms", "policy"):
        shaped.append(MADE)
    return st.one_of(hostile(), *shaped)
