"""Strategies for invalid input, for tests of error paths: shares that do not sum to 100,
strings that are not party ids, parties a partnership does not know, dates out of order,
readiness areas an agreement does not have, scores that are not whole numbers from 0 to 5, and
target amounts of nothing or less.

Private: import them from [`sharedsvc.testing`][sharedsvc.testing] (or
`sharedsvc.testing.strategies`).
"""

from __future__ import annotations

import string
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from decimal import Decimal

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument
from hypothesis.strategies import DrawFn, SearchStrategy

from sharedsvc.domain.money import Money
from sharedsvc.domain.readiness import DEFAULT_READINESS_AREAS
from sharedsvc.domain.values import HUNDRED, PartyId, party_id
from sharedsvc.testing._building import (
    DEFAULT_MAX_DATE,
    DEFAULT_MIN_DATE,
    LOWER_ALNUM,
    PARTY_IDS,
    SLUG,
    distinct_ids,
    partition,
    unit_shares,
)

__all__ = [
    "dates_out_of_order",
    "invalid_cost_pool_shares",
    "invalid_party_ids",
    "invalid_readiness_scores",
    "invalid_target_amounts",
    "unknown_party_ids",
    "unknown_readiness_areas",
]


@st.composite
def _invalid_shares(draw: DrawFn) -> dict[PartyId, Decimal]:
    ids = draw(st.lists(PARTY_IDS, min_size=1, max_size=6, unique=True))
    places = draw(st.integers(0, 4))
    whole = int(HUNDRED) * 10**places
    miss = draw(st.integers(1, 3) | st.integers(1, whole))  # near misses (99.99) are common
    total = whole - miss if draw(st.booleans()) else whole + miss
    return unit_shares(ids, partition(draw, total, len(ids)), places)


def invalid_cost_pool_shares() -> SearchStrategy[dict[PartyId, Decimal]]:
    """Non-empty, non-negative shares keyed by valid party ids that do NOT sum to exactly 100."""
    return _invalid_shares()


def _inserted(pieces: SearchStrategy[str]) -> SearchStrategy[str]:
    """A valid party id with one of ``pieces`` inserted at the start, the end or in between."""

    def insert(slug: str, at: int, piece: str) -> str:
        return slug[:at] + piece + slug[at:]

    return st.builds(insert, PARTY_IDS, st.integers(0, 64), pieces)


def invalid_party_ids() -> SearchStrategy[str]:
    """Strings that are not party ids: empty, too long, or not shaped like a lowercase slug."""
    return st.one_of(
        st.just(""),
        _inserted(st.sampled_from(string.ascii_uppercase)),
        _inserted(st.sampled_from(" \t\n_./'&,:") | st.just("--")),
        _inserted(st.sampled_from("éößçıÅ")),
        PARTY_IDS.map(lambda slug: "-" + slug),
        PARTY_IDS.map(lambda slug: slug + "-"),
        st.text(LOWER_ALNUM, min_size=65, max_size=100),
        st.text(max_size=70).filter(lambda text: not SLUG.fullmatch(text) or len(text) > 64),
    )


def unknown_party_ids(*, members: Sequence[str] | None = None) -> SearchStrategy[PartyId]:
    """Valid party ids that are not among ``members``: a party a partnership does not know.

    Near misses are common (``"camden-2"`` for a member ``"camden"``), as are the other
    councils; without ``members`` any valid id is drawn.
    """
    known = () if members is None else distinct_ids(members, "members")
    strangers = PARTY_IDS.filter(lambda candidate: candidate not in known)
    if not known:
        return strangers
    near_misses = st.builds(
        "{}-{}".format, st.sampled_from(known), st.text(LOWER_ALNUM, min_size=1, max_size=3)
    ).filter(lambda candidate: len(candidate) <= 64 and candidate not in known)
    return st.one_of(near_misses.map(party_id), strangers)


def dates_out_of_order(
    *, after: date = DEFAULT_MAX_DATE, min_value: date | None = None
) -> SearchStrategy[date]:
    """Dates strictly before ``after`` (the date of an aggregate's latest act), which every
    verb refuses with ``dates-in-order``; the day before is common.

    They go back as far as ``min_value`` (by default
    [`DEFAULT_MIN_DATE`][sharedsvc.testing.DEFAULT_MIN_DATE], or further if ``after`` is earlier
    still).
    """
    after = _a_date("after", after)
    if after == date.min:
        raise InvalidArgument("no date is before date.min: pass a later after")
    latest = after - timedelta(days=1)
    if min_value is None:
        earliest = min(DEFAULT_MIN_DATE, latest)
    else:
        earliest = _a_date("min_value", min_value)
        if earliest > latest:
            raise InvalidArgument(f"min_value {earliest} is not before after {after}")
    return st.just(latest) | st.dates(earliest, latest)


def _a_date(what: str, value: object) -> date:
    if not isinstance(value, date) or isinstance(value, datetime):
        raise InvalidArgument(f"{what} must be a date (not a datetime), not {value!r}")
    return value


def unknown_readiness_areas(
    *, areas: Sequence[str] = DEFAULT_READINESS_AREAS
) -> SearchStrategy[str]:
    """Strings that are not among ``areas`` (by default the default readiness areas): scored
    in an assessment, they are refused with ``readiness-areas``.

    Near misses are common: an area capitalised, with a suffix, spaces for hyphens or a space
    around it."""
    known = tuple(areas)
    if not known or any(not isinstance(area, str) for area in known):
        raise InvalidArgument(f"areas must be one or more strings, not {areas!r}")
    near = st.sampled_from(known).flatmap(
        lambda area: st.sampled_from(
            (area.title(), area.upper(), f"{area}-2", area.replace("-", " "), f" {area}",
             f"{area} ", area.replace("-", "_"), area[:-1])
        )
    )  # fmt: skip
    return (near | PARTY_IDS | st.text(max_size=30)).filter(lambda area: area not in known)


def invalid_readiness_scores() -> SearchStrategy[object]:
    """Values that are not a readiness score (a whole number from 0 to 5): whole numbers out of
    range (``-1`` and ``6`` are common), numbers of other types (``2.0``, ``Decimal(3)``,
    ``True``), text and ``None``. Given for an area, they are refused with
    ``readiness-score``."""
    return st.one_of(
        st.sampled_from((-1, 6)),
        st.integers(max_value=-1),
        st.integers(min_value=6),
        st.booleans(),
        st.integers(0, 5).map(float),
        st.floats(allow_nan=False),
        st.integers(0, 5).map(Decimal),
        st.integers(0, 5).map(str),
        st.none(),
    )


def invalid_target_amounts() -> SearchStrategy[Money]:
    """Money of nothing or less (pounds and pence): the amount of a target, refused with
    ``invalid-value``; nothing is common."""
    pence = st.just(0) | st.integers(-(10**12), 0)
    return pence.map(lambda p: Money(Decimal(p) / 100))
