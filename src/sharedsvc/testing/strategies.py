"""Hypothesis strategies for every value sharedsvc stores.

Each valid-value strategy can be called with no arguments and draws only values that the
constructors accept; keyword arguments narrow what is drawn. Seven strategies draw *invalid*
input, for tests of error paths. A misused argument raises Hypothesis's ``InvalidArgument``
when the strategy is built, not half-way through a test. (The strategies for invalid input are
defined in ``_invalid`` and those for a partnership's records in ``_records``: import them all
from here.)

Example::

    from hypothesis import given
    from sharedsvc.testing import cost_pools

    @given(cost_pools(parties=["camden", "haringey", "islington"]))
    def test_the_report_lists_every_council(pool):
        assert set(pool.shares) == {"camden", "haringey", "islington"}
"""

from __future__ import annotations

import string
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from types import EllipsisType
from typing import TypeVar

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument
from hypothesis.strategies import DrawFn, SearchStrategy

from sharedsvc.domain.policy import Policy
from sharedsvc.domain.transfers import DataRole, StaffArrangement, StaffTransfer
from sharedsvc.domain.values import (
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
    Rung,
    Stage,
    Terms,
    party_id,
)
from sharedsvc.testing._building import (
    CATEGORIES,
    DEFAULT_MAX_DATE,
    DEFAULT_MIN_DATE,
    FUNCTION_ID_STRINGS,
    FUNCTIONS,
    KINDS,
    MAX_PLACES,
    MEMBERS,
    MONEY_LIMIT,
    NAMES,
    NOTICES,
    PARTIES,
    PARTY_IDS,
    TERM_FIELDS,
    check,
    check_places,
    decided_between,
    distinct_ids,
    draw_concession,
    draw_pool,
    draw_term,
)
from sharedsvc.testing._invalid import (
    dates_out_of_order,
    invalid_cost_pool_shares,
    invalid_party_ids,
    invalid_readiness_scores,
    invalid_target_amounts,
    unknown_party_ids,
    unknown_readiness_areas,
)
from sharedsvc.testing._records import (
    READINESS_AREAS,
    area_scores,
    outcomes,
    pooled_functions,
    readiness_gates,
    successions,
    targets,
    variations,
    withdrawals,
)

__all__ = [
    "DEFAULT_MAX_DATE",
    "DEFAULT_MIN_DATE",
    "area_scores",
    "bases",
    "concessions",
    "cost_pools",
    "data_roles",
    "dates",
    "dates_out_of_order",
    "decision_refs",
    "functions",
    "governances",
    "invalid_cost_pool_shares",
    "invalid_party_ids",
    "invalid_readiness_scores",
    "invalid_target_amounts",
    "money",
    "notices",
    "outcomes",
    "parties",
    "party_ids",
    "policies",
    "pooled_functions",
    "readiness_gates",
    "rungs",
    "staff_arrangements",
    "staff_transfers",
    "stages",
    "successions",
    "targets",
    "terms",
    "unknown_party_ids",
    "unknown_readiness_areas",
    "variations",
    "withdrawals",
]

T = TypeVar("T")


# --- identities, dates, money ----------------------------------------------------------------


def party_ids() -> SearchStrategy[PartyId]:
    """Valid party ids: lowercase slugs such as ``"camden"`` or ``"mid-kent"``."""
    return PARTY_IDS


def parties(*, ids: Sequence[str] | SearchStrategy[str] | None = None) -> SearchStrategy[Party]:
    """Parties; ``ids`` (a sequence of party ids, or a strategy of them) narrows their ids."""
    if ids is None:
        return PARTIES
    if isinstance(ids, SearchStrategy):
        id_strategy = ids.map(party_id)
    else:
        id_strategy = st.sampled_from(distinct_ids(ids, "ids"))
    return st.builds(Party, id_strategy, NAMES, st.none() | st.sampled_from(KINDS) | NAMES)


def dates(
    *, min_value: date = DEFAULT_MIN_DATE, max_value: date = DEFAULT_MAX_DATE
) -> SearchStrategy[date]:
    """Calendar dates (never ``datetime``) from ``min_value`` to ``max_value`` inclusive."""
    return st.dates(min_value, max_value)


def money(
    *,
    min_value: Decimal | int | str | None = None,
    max_value: Decimal | int | str | None = None,
    currency: str | None = "GBP",
    places: int = 2,
) -> SearchStrategy[Money]:
    """Amounts of money with ``places`` decimal places; ``currency=None`` draws any currency.

    Without bounds, amounts stay within what [`Money`][sharedsvc.Money] accepts (15 digits
    before the point)."""
    places = check_places(places)
    min_value = -MONEY_LIMIT if min_value is None else min_value
    max_value = MONEY_LIMIT if max_value is None else max_value
    if currency is None:
        currencies = st.sampled_from(("GBP", "EUR", "USD")) | st.text(
            string.ascii_uppercase, min_size=3, max_size=3
        )
    else:
        currencies = st.just(check("currency", Money, 0, currency).currency)
    amounts = st.decimals(
        min_value, max_value, allow_nan=False, allow_infinity=False, places=places
    )
    return st.builds(Money, amounts, currencies)


def decision_refs(
    *, min_date: date = DEFAULT_MIN_DATE, max_date: date = DEFAULT_MAX_DATE
) -> SearchStrategy[DecisionRef]:
    """Decision references decided between ``min_date`` and ``max_date`` inclusive."""
    return decided_between(min_date, max_date)


# --- enumerations ----------------------------------------------------------------------------


def bases() -> SearchStrategy[Basis]:
    """Any basis on which a cost pool is split."""
    return st.sampled_from(Basis)


def governances() -> SearchStrategy[Governance]:
    """Any governing body."""
    return st.sampled_from(Governance)


def stages() -> SearchStrategy[Stage]:
    """Any stage of the integration continuum."""
    return st.sampled_from(Stage)


def rungs() -> SearchStrategy[Rung]:
    """Any rung of the dispute ladder."""
    return st.sampled_from(Rung)


def staff_arrangements() -> SearchStrategy[StaffArrangement]:
    """s.113 placement or TUPE transfer."""
    return st.sampled_from(StaffArrangement)


def data_roles() -> SearchStrategy[DataRole]:
    """Who decides about a pooled function's personal data."""
    return st.sampled_from(DataRole)


def staff_transfers(*, max_count: int = 500) -> SearchStrategy[StaffTransfer]:
    """Staff going with a function: an arrangement and a head count of 1..``max_count``."""
    return st.builds(StaffTransfer, staff_arrangements(), st.integers(1, max(1, max_count)))


# --- the terms of an agreement ---------------------------------------------------------------


def cost_pools(
    *,
    parties: Sequence[str] | None = None,
    basis: Basis | None = None,
    name: str | None = None,
    places: int = 2,
) -> SearchStrategy[CostPool]:
    """Cost pools whose shares sum to exactly 100, each with ``places`` decimal places.

    ``parties`` fixes who has a share, in that order (by default 2 to 6 parties are drawn). An
    ``EQUAL`` pool is split as [`CostPool.equal`][sharedsvc.domain.values.CostPool.equal] splits it;
    any other basis gets arbitrary non-negative shares (zero included), built from whole units so
    that they add up.
    """
    ids = None if parties is None else distinct_ids(parties, "parties")
    if basis is not None and not isinstance(basis, Basis):
        raise InvalidArgument(f"basis must be a Basis, not {basis!r}")
    if name is not None and (not isinstance(name, str) or not name.strip()):
        raise InvalidArgument(f"name must be a non-empty string, not {name!r}")
    return _cost_pools(ids, basis, name, check_places(places))


@st.composite
def _cost_pools(
    draw: DrawFn,
    ids: tuple[PartyId, ...] | None,
    basis: Basis | None,
    name: str | None,
    places: int,
) -> CostPool:
    return draw_pool(draw, ids or draw(MEMBERS), basis, name, places)


def notices() -> SearchStrategy[Notice]:
    """Notice rules: 0 to 120 months, aligned or not, to any year end every year has."""
    return NOTICES


def functions(*, category: str | None = None) -> SearchStrategy[Function]:
    """Functions a council can hand over; ``category`` fixes their category."""
    if category is None:
        return FUNCTIONS
    fixed = check("category", Function, "f", "f", category).category
    return st.builds(Function, FUNCTION_ID_STRINGS, NAMES, st.just(fixed))


def terms(
    *, parties: Sequence[str] | None = None, host: str | EllipsisType | None = ...
) -> SearchStrategy[Terms]:
    """Terms whose cost pools (one to three) each cover exactly ``parties``.

    By default 2 to 6 parties are drawn and so is the host: ``None`` or one of the parties.
    Pass ``host=None`` for terms without a host, or a party id for that host (it must be one
    of ``parties``; without ``parties`` it becomes the first of the drawn parties).
    """
    ids = None if parties is None else distinct_ids(parties, "parties")
    if isinstance(host, str):
        host = check("host", party_id, host)
        if ids is not None and host not in ids:
            raise InvalidArgument(f"host {host!r} is not one of the parties {list(ids)}")
    elif host is not None and host is not Ellipsis:
        raise InvalidArgument(f"host must be a party id, None or ..., not {host!r}")
    return _terms(ids, host)


@st.composite
def _terms(draw: DrawFn, ids: tuple[PartyId, ...] | None, host: str | EllipsisType | None) -> Terms:
    if ids is None:
        ids = draw(MEMBERS)
        if isinstance(host, str):
            ids = (PartyId(host), *(p for p in ids if p != host))[:6]
    values = {field: draw_term(draw, field, ids) for field in TERM_FIELDS}
    if host is not Ellipsis:
        values["host"] = host
    return Terms(**values)


def concessions(*, parties: Sequence[str] | None = None) -> SearchStrategy[Concession]:
    """Concessions in which what was wanted differs from what was accepted.

    The subject is a term of the agreement, with values of that term, or free text with an
    amount, a sentence or a number (as in a dispute's settlement); ``parties`` narrows who
    conceded.
    """
    ids = PARTY_IDS if parties is None else st.sampled_from(distinct_ids(parties, "parties"))
    return _concessions(ids)


@st.composite
def _concessions(draw: DrawFn, ids: SearchStrategy[PartyId]) -> Concession:
    return draw_concession(draw, ids)


def _ascending(draw: DrawFn, members: Sequence[T]) -> tuple[T, ...]:
    """A non-empty subsequence of ``members``, in their order, without repeats."""
    chosen = tuple(member for member in members if draw(st.booleans()))
    return chosen or (members[-1],)


@st.composite
def _policies(draw: DrawFn) -> Policy:
    continuum = _ascending(draw, tuple(Stage))
    in_continuum = st.sampled_from(continuum)
    areas = draw(st.lists(READINESS_AREAS, min_size=1, unique=True))
    return Policy(
        continuum=continuum,
        ladder=_ascending(draw, tuple(Rung)),
        stage_minimums=draw(st.dictionaries(CATEGORIES, in_continuum, max_size=4)),
        default_minimum=draw(in_continuum),
        share_places=draw(st.integers(0, MAX_PLACES)),
        readiness_areas=areas,
        stage_gates=draw(st.dictionaries(in_continuum, readiness_gates(areas), max_size=2)),
    )


def policies() -> SearchStrategy[Policy]:
    """Policies: an ascending continuum and ladder, minimums that are stages of the continuum,
    some of the default readiness areas, and gates on stages of the continuum over them."""
    return _policies()
