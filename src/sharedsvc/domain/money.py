"""Money and how costs are divided: amounts in a currency, percentage shares that sum to 100,
and cost pools split by them."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from decimal import ROUND_DOWN, Decimal
from typing import Any

import attrs
from immutabledict import immutabledict

from sharedsvc.domain.enums import Basis
from sharedsvc.domain.errors import RuleViolation
from sharedsvc.domain.parties import Party, PartyId, party_id
from sharedsvc.domain.validators import INVALID, decimal, instance_of, plain_kind, shown, text

__all__ = ["HUNDRED", "CostPool", "Money", "apportion", "split_equally"]

HUNDRED = Decimal(100)
"""A hundred per cent: what the shares of a cost pool add up to."""


def _amount(value: object) -> Decimal:
    return decimal(value, "amount")


@plain_kind
@attrs.frozen
class Money:
    """An amount of money: a ``Decimal``, never a float."""

    amount: Decimal = attrs.field(converter=_amount)
    currency: str = attrs.field(default="GBP")

    @currency.validator
    def _check_currency(self, _: attrs.Attribute[str], value: object) -> None:
        if not isinstance(value, str) or not re.fullmatch(r"[A-Z]{3}", value):
            raise RuleViolation(
                INVALID, f"currency {shown(value)} is not an ISO 4217 code like 'GBP'"
            )

    def _same_currency(self, other: Money) -> None:
        if other.currency != self.currency:
            raise RuleViolation(
                INVALID, f"cannot combine {self.currency} with {other.currency}: convert first"
            )

    def __add__(self, other: object) -> Money:
        if not isinstance(other, Money):
            return NotImplemented
        self._same_currency(other)
        return Money(self.amount + other.amount, self.currency)

    def __sub__(self, other: object) -> Money:
        if not isinstance(other, Money):
            return NotImplemented
        self._same_currency(other)
        return Money(self.amount - other.amount, self.currency)

    def __str__(self) -> str:
        return f"{self.currency} {self.amount:,.2f}"


def split_equally(parties: Iterable[PartyId], places: int = 2) -> dict[PartyId, Decimal]:
    """Split 100 equally, rounding each share down to ``places`` decimal places and giving the
    units left over one each to the parties in the order given (thirds: 33.34/33.33/33.33)."""
    ids = [party_id(p) for p in parties]
    if len(set(ids)) != len(ids):
        raise RuleViolation(INVALID, f"a party is listed twice among {ids}")
    return apportion({p: Decimal(1) for p in ids}, places)


def apportion(weights: Mapping[PartyId, Decimal], places: int = 2) -> dict[PartyId, Decimal]:
    """Split 100 in proportion to ``weights`` (the largest-remainder method).

    Each share is rounded down to ``places`` decimal places; the units left over go one each
    to the largest remainders, ties to the earlier party. Equal weights give equal shares.
    """
    if not weights:
        raise RuleViolation(INVALID, "cannot apportion a cost pool among no parties")
    total = sum(weights.values(), Decimal(0))
    if total <= 0:
        weights = {party: Decimal(1) for party in weights}
        total = Decimal(len(weights))
    unit = Decimal(1).scaleb(-places)
    exact = {party: HUNDRED * weight / total for party, weight in weights.items()}
    shares = {party: value.quantize(unit, rounding=ROUND_DOWN) for party, value in exact.items()}
    left = int((HUNDRED - sum(shares.values(), Decimal(0))) / unit)
    order = sorted(exact, key=lambda party: -(exact[party] - shares[party]))
    for party in order[:left]:
        shares[party] += unit
    return shares


def _shares(value: Mapping[Any, Any]) -> immutabledict[PartyId, Decimal]:
    if not isinstance(value, Mapping):
        raise RuleViolation(
            INVALID, f"shares must map party ids to percentages, not {shown(value)}"
        )
    return immutabledict(
        (party_id(party), decimal(share, f"share of {party!r}")) for party, share in value.items()
    )


@plain_kind
@attrs.frozen
class CostPool:
    """A pool of costs split between the parties by percentage shares that sum to exactly 100."""

    name: str = attrs.field(validator=text)
    basis: Basis = attrs.field(validator=instance_of(Basis))
    shares: immutabledict[PartyId, Decimal] = attrs.field(converter=_shares)

    def __attrs_post_init__(self) -> None:
        name = shown(self.name, 80)  # a name may be long: a refusal shows its start
        if not self.shares:
            raise RuleViolation(INVALID, f"cost pool {name} has no shares")
        for party, share in self.shares.items():
            if share < 0:
                raise RuleViolation(
                    INVALID, f"{party}'s share of {name} is {share}: shares cannot be < 0"
                )
        total = sum(self.shares.values(), Decimal(0))
        if total != HUNDRED:
            gap = HUNDRED - total
            raise RuleViolation(
                "shares-sum-to-100",
                f"the shares of cost pool {name} sum to {total}, not 100: "
                f"{'add' if gap > 0 else 'take'} {abs(gap)} {'to' if gap > 0 else 'from'} "
                "one share",
            )

    @classmethod
    def equal(
        cls, name: str, parties: Iterable[PartyId | Party | str], *, places: int = 2
    ) -> CostPool:
        """An equal pool over ``parties``, by the rounding rule of
        [`split_equally`][sharedsvc.domain.values.split_equally]."""
        return cls(name, Basis.EQUAL, split_equally((party_id(p) for p in parties), places))

    @property
    def parties(self) -> frozenset[PartyId]:
        """The parties that have a share in this pool."""
        return frozenset(self.shares)

    def rebased(self, remaining: Iterable[PartyId], *, places: int = 2) -> CostPool:
        """This pool spread over ``remaining``: equal pools stay equal, others pro rata."""
        remaining = [party_id(p) for p in remaining]
        if self.basis is Basis.EQUAL:
            return CostPool.equal(self.name, remaining, places=places)
        weights = {p: self.shares.get(p, Decimal(0)) for p in remaining}
        return CostPool(self.name, self.basis, apportion(weights, places))
