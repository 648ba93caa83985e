"""A succession divides the predecessor's share of every pool, and its exit costs, among its
successors by weight: nothing is lost or made, the others keep their shares, and each part is
within one unit of its exact proportion."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from sharedsvc import testing as strategies
from sharedsvc.domain.partnership.division import divide, divide_money, divided_pools
from sharedsvc.domain.values import HUNDRED, Basis, CostPool, Money, PartyId

MEMBERS = [PartyId(p) for p in ("camden", "islington", "haringey", "hackney")]
FRESH = [PartyId(p) for p in ("north", "south", "east")]
weights = st.integers(0, 7).map(Decimal)


@st.composite
def successions(draw: st.DrawFn) -> tuple[CostPool, PartyId, dict[PartyId, Decimal]]:
    """A pool of two to four members, one of them succeeded by one to three successors (new
    councils, or members absorbing it), with weights not all zero."""
    members = draw(st.lists(st.sampled_from(MEMBERS), min_size=2, max_size=4, unique=True))
    pool = draw(strategies.cost_pools(parties=members))
    predecessor = draw(st.sampled_from(members))
    others = [p for p in members if p != predecessor]
    heirs = draw(st.lists(st.sampled_from([*FRESH, *others]), min_size=1, max_size=3, unique=True))
    split = {heir: draw(weights) for heir in heirs}
    if not any(split.values()):
        split[heirs[0]] = Decimal(1)
    return pool, predecessor, split


def active_after(pool: CostPool, predecessor: PartyId, heirs: list[PartyId]) -> list[PartyId]:
    after: list[PartyId] = []
    for party in pool.shares:
        after += [h for h in heirs if h not in pool.shares] if party == predecessor else [party]
    return after


@given(successions())
def test_the_pool_still_sums_to_100_and_only_the_predecessors_share_moves(
    drawn: tuple[CostPool, PartyId, dict[PartyId, Decimal]],
) -> None:
    pool, predecessor, split = drawn
    active = active_after(pool, predecessor, list(split))
    (divided,) = divided_pools((pool,), predecessor, split, active, 2)
    assert HUNDRED == sum(divided.shares.values())
    assert predecessor not in divided.shares
    assert list(divided.shares) == active
    total = sum(split.values())
    unit = Decimal("0.01")
    for party in active:
        before = pool.shares.get(party, Decimal(0))
        exact = pool.shares[predecessor] * split.get(party, Decimal(0)) / total
        assert abs(divided.shares[party] - before - exact) < unit
    if pool.basis is not Basis.EQUAL:
        assert divided.basis is pool.basis
    elif divided.basis is Basis.EQUAL:
        assert divided == CostPool.equal(pool.name, active)


@given(st.integers(0, 10**9), st.lists(weights, min_size=1, max_size=4))
def test_an_amount_divides_to_the_penny_with_nothing_lost(
    pennies: int, parts: list[Decimal]
) -> None:
    if not any(parts):
        parts[0] = Decimal(1)
    split = {PartyId(f"heir-{i}"): weight for i, weight in enumerate(parts)}
    amount = Money(Decimal(pennies).scaleb(-2))
    divided = divide_money(amount, split)
    assert amount.amount == sum(part.amount for part in divided.values())
    assert all(part.amount >= 0 for part in divided.values())
    assert divide(Decimal("0.005"), {PartyId("a"): Decimal(1)}, 2) == {"a": Decimal("0.005")}
