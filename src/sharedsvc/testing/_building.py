"""Building blocks for `sharedsvc.testing.strategies` (private: import from there).

Composite values are drawn by plain ``draw_*`` helpers that share strategies built once, at
import: Hypothesis validates every new strategy object, and building strategies afresh for each
draw made the larger values several times slower to draw.
"""

from __future__ import annotations

import itertools
import re
import string
from collections.abc import Callable, Sequence
from datetime import date
from decimal import Decimal
from typing import Any, TypeVar

from hypothesis import reject
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument
from hypothesis.strategies import DrawFn, SearchStrategy

from sharedsvc.domain.errors import RuleViolation
from sharedsvc.domain.policy import DEFAULT_STAGE_MINIMUMS
from sharedsvc.domain.values import (
    HUNDRED,
    Basis,
    Concession,
    CostPool,
    DecisionRef,
    Function,
    Governance,
    Money,
    Notice,
    Party,
    PartyId,
    party_id,
)

T = TypeVar("T")

DEFAULT_MIN_DATE = date(2000, 1, 1)
"""The earliest legal date drawn unless a strategy is told otherwise."""
DEFAULT_MAX_DATE = date(2040, 12, 31)
"""The latest legal date drawn unless a strategy is told otherwise."""

MAX_PLACES = 6  # the most decimal places a Policy allows for shares
LOWER_ALNUM = string.ascii_lowercase + string.digits
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")  # the party-id rule, restated independently
TERM_FIELDS = ("cost_pools", "scope", "notice", "governance", "casting_vote", "host", "sla")
COUNCILS = ("camden", "haringey", "islington", "mid-kent", "maidstone", "swale", "adur")
KINDS = ("london-borough", "district", "county", "unitary", "metropolitan-borough")
BODIES = ("Camden Cabinet", "Joint Committee", "Full Council", "Chief Executive")
POOLS = ("ict", "revenues", "benefits", "legal", "hr", "audit")
FUNCTION_IDS = ("ict.service-desk", "revenues.council-tax", "legal.litigation", "hr.payroll")


# --- checking strategy arguments -------------------------------------------------------------


def check(what: str, build: Callable[..., T], *args: Any) -> T:
    """Call ``build(*args)`` (a constructor) and report a refusal as a misused argument."""
    try:
        return build(*args)
    except RuleViolation as error:
        raise InvalidArgument(f"{what}: {error.message}") from error


def distinct_ids(values: Sequence[str], what: str) -> tuple[PartyId, ...]:
    """``values`` as party ids, refusing an empty sequence, a bad id or a repeated one."""
    if isinstance(values, str) or not values:
        raise InvalidArgument(f"{what} must be a non-empty sequence of party ids, not {values!r}")
    ids = [check(what, party_id, value) for value in values]
    if len(set(ids)) != len(ids):
        raise InvalidArgument(f"{what} repeats a party id: {ids}")
    return tuple(ids)


def check_places(places: int) -> int:
    """``places`` if a Policy would accept it as the decimal places of shares."""
    if isinstance(places, bool) or not isinstance(places, int) or not 0 <= places <= MAX_PLACES:
        raise InvalidArgument(f"places must be a whole number 0..{MAX_PLACES}, not {places!r}")
    return places


# --- strategies built once -------------------------------------------------------------------


def slugs(segments: int, segment_size: int) -> SearchStrategy[str]:
    """Lowercase slugs like ``"mid-kent"``: short runs of letters and digits joined by hyphens."""
    segment = st.text(LOWER_ALNUM, min_size=1, max_size=segment_size)
    return st.lists(segment, min_size=1, max_size=segments).map("-".join)


@st.composite
def dotted_slugs(draw: DrawFn) -> str:
    """Function ids like ``"ict.service-desk"``: slug segments joined by dots or hyphens."""
    segments = draw(st.lists(st.text(LOWER_ALNUM, min_size=1, max_size=10), min_size=1, max_size=4))
    gaps = len(segments) - 1
    separators = draw(st.lists(st.sampled_from(".-"), min_size=gaps, max_size=gaps))
    return segments[0] + "".join(map("".join, zip(separators, segments[1:], strict=True)))


# Free text a person would type: not empty, not only spaces, some letters beyond ASCII.
NAMES = st.text(
    st.characters(categories=("L", "N", "P", "S", "Zs"), max_codepoint=0x2FFF),
    min_size=1,
    max_size=30,
).filter(lambda text: bool(text.strip()))
# At most 4 * 12 + 3 = 51 characters: within the 64 a party id may have.
PARTY_IDS = (st.sampled_from(COUNCILS) | slugs(segments=4, segment_size=12)).map(party_id)
MEMBERS = st.lists(PARTY_IDS, min_size=2, max_size=6, unique=True).map(tuple)
POOL_NAMES = st.sampled_from(POOLS) | NAMES
POOL_NAME_LISTS = st.lists(POOL_NAMES, min_size=1, max_size=3, unique=True)
CATEGORIES = st.sampled_from(tuple(DEFAULT_STAGE_MINIMUMS)) | slugs(segments=3, segment_size=10)
PARTIES = st.builds(Party, PARTY_IDS, NAMES, st.none() | st.sampled_from(KINDS) | NAMES)
YEAR_ENDS = st.dates(date(2001, 1, 1), date(2001, 12, 31)).map(lambda d: (d.month, d.day))
NOTICES = st.builds(Notice, st.integers(0, 120), st.booleans(), YEAR_ENDS)
FUNCTION_ID_STRINGS = st.sampled_from(FUNCTION_IDS) | dotted_slugs()
FUNCTIONS = st.builds(Function, FUNCTION_ID_STRINGS, NAMES, CATEGORIES)
SCOPES = st.lists(FUNCTIONS, max_size=3, unique_by=lambda function: function.id).map(tuple)
REFERENCES = NAMES | st.builds(
    "{}/{}/{}".format,
    st.sampled_from(("CAB", "JC", "EXE")),
    st.integers(2000, 2040),
    st.integers(1, 99),
)
BODY_NAMES = st.sampled_from(BODIES) | NAMES
MONEY_LIMIT = Decimal(10**15 - 1)
"""The largest amount [`Money`][sharedsvc.Money] accepts (15 digits before the point)."""
GBP = st.builds(
    Money,
    st.decimals(-MONEY_LIMIT, MONEY_LIMIT, allow_nan=False, allow_infinity=False, places=2),
)
SETTLEMENT_VALUES = GBP | NAMES | st.integers()
SUBJECTS = st.sampled_from(TERM_FIELDS) | NAMES
_SIMPLE_TERMS: dict[str, SearchStrategy[Any]] = {
    "scope": SCOPES,
    "notice": NOTICES,
    "governance": st.sampled_from(Governance),
    "casting_vote": st.booleans(),
}


# --- drawing helpers -------------------------------------------------------------------------


def maybe(draw: DrawFn, strategy: SearchStrategy[T]) -> T | None:
    """``None`` or a value of ``strategy`` (shrinking towards ``None``)."""
    return draw(strategy) if draw(st.booleans()) else None


def subset(draw: DrawFn, members: Sequence[T], min_size: int = 0) -> list[T]:
    """Some of ``members`` without repeats, in the order drawn."""
    return draw(st.lists(st.sampled_from(tuple(members)), min_size=min_size, unique=True))


def partition(draw: DrawFn, total: int, parts: int) -> list[int]:
    """``parts`` non-negative whole numbers that sum to ``total`` (cut points on a line)."""
    cuts = draw(st.lists(st.integers(0, total), min_size=parts - 1, max_size=parts - 1))
    return [high - low for low, high in itertools.pairwise([0, *sorted(cuts), total])]


def unit_shares(
    ids: Sequence[PartyId], counts: Sequence[int], places: int
) -> dict[PartyId, Decimal]:
    """Shares of ``counts`` units of ``10 ** -places`` each, keyed by ``ids`` in order."""
    return {p: Decimal(n).scaleb(-places) for p, n in zip(ids, counts, strict=True)}


def draw_pool(
    draw: DrawFn, ids: Sequence[PartyId], basis: Basis | None, name: str | None, places: int
) -> CostPool:
    """A pool over ``ids``: split by [`CostPool.equal`][sharedsvc.domain.values.CostPool.equal] if
    equal, else by drawn units."""
    kind = basis or draw(st.sampled_from(Basis))
    title = name or draw(POOL_NAMES)
    if kind is Basis.EQUAL:
        return CostPool.equal(title, ids, places=places)
    counts = partition(draw, int(HUNDRED) * 10**places, len(ids))
    return CostPool(title, kind, unit_shares(ids, counts, places))


def draw_term(draw: DrawFn, field: str, members: Sequence[PartyId]) -> Any:
    """A value of the ``Terms`` field ``field`` that is valid for a partnership of ``members``."""
    if field == "cost_pools":
        return tuple(draw_pool(draw, members, None, n, 2) for n in draw(POOL_NAME_LISTS))
    if field == "host":
        return maybe(draw, st.sampled_from(tuple(members)))
    if field == "sla":
        return maybe(draw, NAMES)
    return draw(_SIMPLE_TERMS[field])


def different(draw_value: Callable[[], T], other: T) -> T:
    """A value from ``draw_value()`` that differs from ``other`` (a few tries, then rejected)."""
    for _ in range(4):
        value = draw_value()
        if value != other:
            return value
    reject()


def draw_concession(draw: DrawFn, ids: SearchStrategy[PartyId]) -> Concession:
    """A concession by one of ``ids``, in which what was wanted differs from what was
    accepted: about a term of the agreement (with values of that term) or a free subject."""
    party = draw(ids)
    subject = draw(SUBJECTS)
    members = draw(MEMBERS) if subject in TERM_FIELDS else ()

    def value() -> Any:
        return draw_term(draw, subject, members) if members else draw(SETTLEMENT_VALUES)

    wanted = value()
    accepted = different(value, wanted)
    return Concession(party, subject, wanted, accepted, maybe(draw, NAMES))


def decided_between(min_date: date, max_date: date) -> SearchStrategy[DecisionRef]:
    """Decision references decided between ``min_date`` and ``max_date`` inclusive."""
    return st.builds(DecisionRef, BODY_NAMES, REFERENCES, st.dates(min_date, max_date))
