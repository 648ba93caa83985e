"""Hypothesis strategies for every value sharedsvc stores.

Each valid-value strategy can be called with no arguments and draws only values that the
constructors accept; keyword arguments narrow what is drawn. Four strategies draw *invalid*
input, for tests of error paths. A misused argument raises Hypothesis's ``InvalidArgument``
when the strategy is built, not half-way through a test.

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
from datetime import date, datetime, timedelta
from decimal import Decimal
from types import EllipsisType
from typing import Any, TypeVar

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument
from hypothesis.strategies import DrawFn, SearchStrategy

from sharedsvc.domain.policy import Policy
from sharedsvc.domain.records import PooledFunction, Variation, Withdrawal
from sharedsvc.domain.transfers import DataRole, StaffArrangement, StaffTransfer
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
    Rung,
    Stage,
    Terms,
    party_id,
)
from sharedsvc.testing._building import (
    BODY_NAMES,
    CATEGORIES,
    FUNCTION_ID_STRINGS,
    FUNCTIONS,
    GBP,
    KINDS,
    LOWER_ALNUM,
    MAX_PLACES,
    MEMBERS,
    MONEY_LIMIT,
    NAMES,
    NOTICES,
    PARTIES,
    PARTY_IDS,
    REFERENCES,
    SETTLEMENT_VALUES,
    SLUG,
    SUBJECTS,
    TERM_FIELDS,
    check,
    check_places,
    different,
    distinct_ids,
    draw_pool,
    draw_term,
    maybe,
    partition,
    subset,
    unit_shares,
)

__all__ = [
    "DEFAULT_MAX_DATE",
    "DEFAULT_MIN_DATE",
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
    "money",
    "notices",
    "parties",
    "party_ids",
    "policies",
    "pooled_functions",
    "rungs",
    "staff_arrangements",
    "staff_transfers",
    "stages",
    "terms",
    "unknown_party_ids",
    "variations",
    "withdrawals",
]

T = TypeVar("T")

DEFAULT_MIN_DATE = date(2000, 1, 1)
"""The earliest legal date drawn unless a strategy is told otherwise."""
DEFAULT_MAX_DATE = date(2040, 12, 31)
"""The latest legal date drawn unless a strategy is told otherwise."""


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

    Without bounds, amounts stay within what :class:`~sharedsvc.Money` accepts (15 digits
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
    return st.builds(DecisionRef, BODY_NAMES, REFERENCES, st.dates(min_date, max_date))


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

    ``parties`` fixes who has a share, in that order (by default 2 to 6 parties are drawn).
    An ``EQUAL`` pool is split as :meth:`CostPool.equal` splits it; any other basis gets
    arbitrary non-negative shares (zero included), built from whole units so that they add up.
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


def _draw_concession(draw: DrawFn, ids: SearchStrategy[PartyId]) -> Concession:
    party = draw(ids)
    subject = draw(SUBJECTS)
    members = draw(MEMBERS) if subject in TERM_FIELDS else ()

    def value() -> Any:
        return draw_term(draw, subject, members) if members else draw(SETTLEMENT_VALUES)

    wanted = value()
    accepted = different(value, wanted)
    return Concession(party, subject, wanted, accepted, maybe(draw, NAMES))


@st.composite
def _concessions(draw: DrawFn, ids: SearchStrategy[PartyId]) -> Concession:
    return _draw_concession(draw, ids)


def _ascending(draw: DrawFn, members: Sequence[T]) -> tuple[T, ...]:
    """A non-empty subsequence of ``members``, in their order, without repeats."""
    chosen = tuple(member for member in members if draw(st.booleans()))
    return chosen or (members[-1],)


@st.composite
def _policies(draw: DrawFn) -> Policy:
    continuum = _ascending(draw, tuple(Stage))
    in_continuum = st.sampled_from(continuum)
    return Policy(
        continuum=continuum,
        ladder=_ascending(draw, tuple(Rung)),
        stage_minimums=draw(st.dictionaries(CATEGORIES, in_continuum, max_size=4)),
        default_minimum=draw(in_continuum),
        share_places=draw(st.integers(0, MAX_PLACES)),
    )


def policies() -> SearchStrategy[Policy]:
    """Policies: an ascending continuum and ladder, minimums that are stages of the continuum."""
    return _policies()


# --- records a partnership keeps -------------------------------------------------------------


def pooled_functions() -> SearchStrategy[PooledFunction]:
    """Functions held by the shared service, with the handover that pooled them."""
    return st.builds(PooledFunction, PARTY_IDS, FUNCTIONS, st.uuids(), dates())


@st.composite
def _withdrawals(draw: DrawFn) -> Withdrawal:
    served_on = draw(dates())
    exit_costs = maybe(draw, GBP)
    return Withdrawal(
        party=draw(PARTY_IDS),
        served_on=served_on,
        effective=draw(NOTICES).effective_date(served_on),
        exit_costs=exit_costs,
        determined_by=None if exit_costs is None else draw(PARTY_IDS),
        paid=exit_costs if exit_costs is not None and draw(st.booleans()) else None,
    )


def withdrawals() -> SearchStrategy[Withdrawal]:
    """Withdrawals in progress, effective by a notice rule; paid only once costs are set."""
    return _withdrawals()


def _draw_joiners(draw: DrawFn, members: Sequence[PartyId]) -> list[Party]:
    """Up to two parties to admit, renamed (``"camden-2"``) where an id is already taken."""
    taken, joiners = set(members), []
    for party in draw(st.lists(PARTIES, max_size=2)):
        new_id, n = party.id, 1
        while new_id in taken:
            n += 1
            new_id = PartyId(f"{party.id}-{n}")
        taken.add(new_id)
        joiners.append(Party(new_id, party.name, party.kind))
    return joiners


@st.composite
def _variations(draw: DrawFn) -> Variation:
    members = draw(MEMBERS)
    admit = _draw_joiners(draw, members)
    required = (*members, *(joiner.id for joiner in admit))
    dissolve = not admit and draw(st.booleans())
    final_account = None
    fields: list[str] = []
    if dissolve:
        final_account = maybe(draw, st.dictionaries(st.sampled_from(members), GBP))
    else:
        fields = subset(draw, TERM_FIELDS, min_size=1)[:3]
        if admit and "cost_pools" not in fields:
            fields.append("cost_pools")  # the new pools must cover the joiners
    positions = {
        party: {field: draw_term(draw, field, required) for field in subset(draw, fields, 1)}
        for party in (subset(draw, required) if fields else ())
    }
    proposed_on = draw(dates())
    status = draw(st.sampled_from(("open", "adopted", "rejected")))
    rejected_by = draw(st.sampled_from(required)) if status == "rejected" else None
    approvers = required if status == "adopted" else subset(draw, required)
    adopted = status == "adopted"
    return Variation(
        id=draw(st.uuids()),
        proposed_by=draw(st.sampled_from(members)),
        proposed_on=proposed_on,
        changes={field: draw_term(draw, field, required) for field in fields},
        admit=admit,
        dissolve=dissolve,
        final_account=final_account,
        rationale=maybe(draw, NAMES),
        effective=maybe(draw, dates(min_value=proposed_on)),
        ref=maybe(draw, decision_refs(max_date=proposed_on)),
        positions=positions,
        approvals={
            party: maybe(draw, decision_refs(min_date=proposed_on))
            for party in approvers
            if party != rejected_by
        },
        status=status,
        closed_on=None if status == "open" else draw(dates(min_value=proposed_on)),
        rejected_by=rejected_by,
        reason=draw(NAMES) if rejected_by else None,
        concessions=[
            _draw_concession(draw, st.sampled_from(required))
            for _ in range(draw(st.integers(0, 2)) if adopted else 0)
        ],
        approved_by=required if adopted else (),
    )


def variations() -> SearchStrategy[Variation]:
    """Variations that are open, adopted or rejected, coherent with their status.

    Changes name terms of the agreement and give them valid values; a variation that admits
    parties changes the cost pools to cover them; an adopted one was approved by every party
    it needed; positions state values for terms the variation changes.
    """
    return _variations()


# --- invalid input, for error paths ----------------------------------------------------------


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

    They go back as far as ``min_value`` (by default :data:`DEFAULT_MIN_DATE`, or further if
    ``after`` is earlier still).
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
