"""How a predecessor's part is divided among its successors: shares of every cost pool, and
amounts of money, by weights, with the largest-remainder method (no unit lost or made)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import ROUND_DOWN, Decimal

from sharedsvc.domain.values import Basis, CostPool, Money, PartyId, split_equally

__all__ = ["divide", "divide_money", "divided_pools"]


def divide(
    amount: Decimal, weights: Mapping[PartyId, Decimal], places: int
) -> dict[PartyId, Decimal]:
    """``amount`` divided in proportion to ``weights`` (positive in total), each part rounded
    down to ``places`` decimal places and the units left over given one each to the largest
    remainders, ties to the party listed first; the parts sum to ``amount`` exactly."""
    total = sum(weights.values(), Decimal(0))
    unit = Decimal(1).scaleb(-places)
    exact = {party: amount * weight / total for party, weight in weights.items()}
    parts = {party: value.quantize(unit, rounding=ROUND_DOWN) for party, value in exact.items()}
    order = sorted(exact, key=lambda party: -(exact[party] - parts[party]))
    left = amount - sum(parts.values(), Decimal(0))
    for party in order:
        if left < unit:
            break
        parts[party] += unit
        left -= unit
    if left and order:  # an amount with more places than the policy's: the rest to the first
        parts[order[0]] += left
    return parts


def divide_money(amount: Money, weights: Mapping[PartyId, Decimal]) -> dict[PartyId, Money]:
    """``amount`` divided by ``weights`` to the penny (see `divide`)."""
    return {
        party: Money(part, amount.currency)
        for party, part in divide(amount.amount, weights, 2).items()
    }


def divided_pools(
    pools: Iterable[CostPool],
    predecessor: PartyId,
    weights: Mapping[PartyId, Decimal],
    active: Iterable[PartyId],
    places: int,
) -> tuple[CostPool, ...]:
    """Every pool with ``predecessor``'s share divided among the successors by ``weights``
    (a successor that had a share already adds its part to it). The other shares stay as they
    were; an equal pool that is still equal over ``active`` stays equal, one made unequal
    becomes fixed."""
    order = tuple(active)
    result = []
    for pool in pools:
        shares = {p: s for p, s in pool.shares.items() if p != predecessor}
        for party, part in divide(
            pool.shares.get(predecessor, Decimal(0)), weights, places
        ).items():
            shares[party] = shares.get(party, Decimal(0)) + part
        ordered = {party: shares[party] for party in order if party in shares}
        basis = pool.basis
        if basis is Basis.EQUAL and ordered != split_equally(order, places):
            basis = Basis.FIXED
        result.append(CostPool(pool.name, basis, ordered))
    return tuple(result)
