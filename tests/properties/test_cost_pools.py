"""Cost pools split 100 exactly, by the stated rounding rule, however many parties share them.

The rule: each share is rounded down to the pool's decimal places and the units left over go one
each to the largest remainders, ties to the party listed first.
"""

from __future__ import annotations

from decimal import ROUND_DOWN, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sharedsvc import testing as strategies
from sharedsvc.domain.errors import RuleViolation
from sharedsvc.domain.values import HUNDRED, Basis, CostPool, PartyId

many_party_ids = st.lists(strategies.party_ids(), min_size=2, max_size=50, unique=True)
places = st.integers(0, 4)


def unit(places: int) -> Decimal:
    return Decimal(1).scaleb(-places)


def total(pool: CostPool) -> Decimal:
    return sum(pool.shares.values(), Decimal(0))


# --- equal pools ---------------------------------------------------------------------------


def test_equal_thirds_are_33_34_then_33_33_and_33_33() -> None:
    pool = CostPool.equal("ict", ["a", "b", "c"])
    expected = {"a": Decimal("33.34"), "b": Decimal("33.33"), "c": Decimal("33.33")}
    assert expected == dict(pool.shares)
    assert ["33.34", "33.33", "33.33"] == [str(share) for share in pool.shares.values()]


@given(ids=many_party_ids, places=places)
def test_an_equal_pool_sums_to_exactly_100(ids: list[PartyId], places: int) -> None:
    assert HUNDRED == total(CostPool.equal("ict", ids, places=places))


@given(ids=many_party_ids, places=places)
def test_equal_shares_differ_by_at_most_one_unit(ids: list[PartyId], places: int) -> None:
    shares = CostPool.equal("ict", ids, places=places).shares.values()
    assert max(shares) - min(shares) <= unit(places)


@given(ids=many_party_ids, places=places)
def test_the_first_listed_parties_get_the_units_left_over(ids: list[PartyId], places: int) -> None:
    floor = (HUNDRED / len(ids)).quantize(unit(places), rounding=ROUND_DOWN)
    left_over = int((HUNDRED - floor * len(ids)) / unit(places))
    expected = [floor + unit(places)] * left_over + [floor] * (len(ids) - left_over)
    pool = CostPool.equal("ict", ids, places=places)
    assert ids == list(pool.shares)
    assert expected == list(pool.shares.values())


@given(ids=many_party_ids, places=places)
def test_equal_shares_have_exactly_the_pools_decimal_places(
    ids: list[PartyId], places: int
) -> None:
    pool = CostPool.equal("ict", ids, places=places)
    assert {-places} == {share.as_tuple().exponent for share in pool.shares.values()}


# --- rebasing ------------------------------------------------------------------------------


@st.composite
def pools_and_subsets(
    draw: st.DrawFn, basis: Basis | None = None
) -> tuple[CostPool, list[PartyId], int]:
    """A pool, a non-empty subset of its parties (in any order) and the places to rebase at."""
    rebase_places = draw(places)
    ids = draw(st.lists(strategies.party_ids(), min_size=1, max_size=12, unique=True))
    pool = draw(strategies.cost_pools(parties=ids, basis=basis, places=rebase_places))
    members = draw(st.permutations(list(pool.shares)))
    remaining = members[: draw(st.integers(1, len(members)))]
    return pool, remaining, rebase_places


@given(pools_and_subsets())
def test_a_rebased_pool_sums_to_100_and_covers_exactly_the_remaining_parties(
    case: tuple[CostPool, list[PartyId], int],
) -> None:
    pool, remaining, places = case
    rebased = pool.rebased(remaining, places=places)
    assert HUNDRED == total(rebased)
    assert set(remaining) == set(rebased.parties)
    assert (pool.name, pool.basis) == (rebased.name, rebased.basis)


@given(pools_and_subsets(basis=Basis.EQUAL))
def test_an_equal_pool_stays_equal_when_rebased(
    case: tuple[CostPool, list[PartyId], int],
) -> None:
    pool, remaining, places = case
    assert CostPool.equal(pool.name, remaining, places=places) == pool.rebased(
        remaining, places=places
    )


non_equal_bases = st.sampled_from([basis for basis in Basis if basis is not Basis.EQUAL])


@given(non_equal_bases.flatmap(lambda basis: pools_and_subsets(basis=basis)))
def test_a_rebased_pool_keeps_the_order_of_the_shares(
    case: tuple[CostPool, list[PartyId], int],
) -> None:
    pool, remaining, places = case
    rebased = pool.rebased(remaining, places=places).shares
    for larger in remaining:
        for smaller in remaining:
            if pool.shares[larger] > pool.shares[smaller]:
                assert rebased[larger] >= rebased[smaller] - unit(places)


@given(non_equal_bases.flatmap(lambda basis: pools_and_subsets(basis=basis)))
def test_a_rebased_share_is_within_one_unit_of_its_exact_pro_rata_share(
    case: tuple[CostPool, list[PartyId], int],
) -> None:
    pool, remaining, places = case
    weight = sum((pool.shares[party] for party in remaining), Decimal(0))
    rebased = pool.rebased(remaining, places=places).shares
    for party in remaining:
        exact = HUNDRED * pool.shares[party] / weight if weight else HUNDRED / len(remaining)
        assert abs(exact - rebased[party]) < unit(places)


def test_a_pool_rebased_over_parties_that_had_no_share_is_split_equally() -> None:
    pool = CostPool("ict", Basis.USAGE, {"a": 100, "b": 0, "c": 0})
    assert CostPool("ict", Basis.USAGE, CostPool.equal("ict", ["b", "c"]).shares) == pool.rebased(
        ["b", "c"]
    )


def test_a_pool_cannot_be_rebased_over_no_parties() -> None:
    pool = CostPool.equal("ict", ["a", "b"])
    with pytest.raises(RuleViolation) as raised:
        pool.rebased([])
    assert "invalid-value" == raised.value.rule
