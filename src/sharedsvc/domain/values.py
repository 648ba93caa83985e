"""Value objects of the domain: frozen, validated on construction, compared by value.

Invalid data raises :class:`~sharedsvc.domain.errors.RuleViolation` (also a ``ValueError``) with
a rule code, so a bad value never reaches an aggregate, let alone the store.
"""

from __future__ import annotations

import calendar
import enum
import re
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from decimal import ROUND_DOWN, Decimal
from typing import Any, NewType

import attrs
from immutabledict import immutabledict

from sharedsvc.domain.errors import RuleViolation

__all__ = [
    "HUNDRED",
    "Basis",
    "Concession",
    "CostPool",
    "DecisionRef",
    "Function",
    "Governance",
    "Money",
    "Notice",
    "OrderedEnum",
    "Party",
    "PartyId",
    "Rung",
    "Stage",
    "Terms",
    "add_months",
    "apportion",
    "freeze",
    "party_id",
    "split_equally",
]

INVALID = "invalid-value"
HUNDRED = Decimal(100)

PartyId = NewType("PartyId", str)
"""A party's identifier: a lowercase slug such as ``"camden"``; a plain ``str`` at run time."""

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_DOTTED_SLUG = re.compile(r"[a-z0-9]+(?:[-.][a-z0-9]+)*")


def party_id(value: object) -> PartyId:
    """Validate ``value`` as a party id (a lowercase slug of at most 64 characters)."""
    if isinstance(value, Party):
        return value.id
    if not isinstance(value, str) or len(value) > 64 or not SLUG.fullmatch(value):
        raise RuleViolation(
            INVALID,
            f"{value!r} is not a party id: use a lowercase slug such as 'camden' or 'mid-kent'",
        )
    return PartyId(value)


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


def _decimal(value: object, what: str) -> Decimal:
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


def _amount(value: object) -> Decimal:
    return _decimal(value, "amount")


def _text(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, str) or not value.strip():
        raise RuleViolation(INVALID, f"{attribute.name} must be a non-empty string, not {value!r}")


def _optional_text(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None:
        _text(_, attribute, value)


def _a_date(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, date) or isinstance(value, datetime):
        raise RuleViolation(INVALID, f"{attribute.name} must be a date, not {value!r}")


def _instance_of(kind: type) -> Any:
    def check(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if not isinstance(value, kind):
            raise RuleViolation(
                INVALID, f"{attribute.name} must be a {kind.__name__}, not {value!r}"
            )

    return check


class OrderedEnum(enum.Enum):
    """An enum whose members compare by the order in which they are defined."""

    def _rank(self) -> int:
        return list(type(self)).index(self)

    def __lt__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        assert isinstance(other, OrderedEnum)
        return self._rank() < other._rank()

    def __le__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        assert isinstance(other, OrderedEnum)
        return self._rank() <= other._rank()

    def __gt__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        assert isinstance(other, OrderedEnum)
        return self._rank() > other._rank()

    def __ge__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        assert isinstance(other, OrderedEnum)
        return self._rank() >= other._rank()


class Stage(OrderedEnum):
    """The integration continuum, from councils that merely co-exist to a combined service."""

    CO_EXISTING = "co-existing"
    COMMUNICATING = "communicating"
    CO_OPERATING = "co-operating"
    COORDINATING = "coordinating"
    COLLABORATING = "collaborating"
    COMBINING = "combining"


class Rung(OrderedEnum):
    """The dispute-resolution ladder, lowest rung first."""

    OFFICERS = "officers"
    DIRECTORS = "directors"
    CHIEF_EXECUTIVES = "chief-executives"
    JOINT_COMMITTEE = "joint-committee"
    MEDIATION = "mediation"
    ARBITRATION = "arbitration"


class Basis(enum.Enum):
    """How a cost pool is split between the parties."""

    EQUAL = "equal"
    USAGE = "usage"
    POPULATION = "population"
    FIXED = "fixed"


class Governance(enum.Enum):
    """The body that governs the shared service."""

    JOINT_COMMITTEE = "joint-committee"
    LEAD_AUTHORITY = "lead-authority"
    COMPANY = "company"


@attrs.frozen
class Party:
    """A public body that is, was or may become a party to an agreement."""

    id: PartyId = attrs.field(converter=party_id)
    name: str = attrs.field(validator=_text)
    kind: str | None = attrs.field(default=None, validator=_optional_text)


@attrs.frozen
class Money:
    """An amount of money: a ``Decimal``, never a float."""

    amount: Decimal = attrs.field(converter=_amount)
    currency: str = attrs.field(default="GBP")

    @currency.validator
    def _check_currency(self, _: attrs.Attribute[str], value: object) -> None:
        if not isinstance(value, str) or not re.fullmatch(r"[A-Z]{3}", value):
            raise RuleViolation(INVALID, f"currency {value!r} is not an ISO 4217 code like 'GBP'")

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


@attrs.frozen
class DecisionRef:
    """The authority for an act: which body decided it, its reference, and when."""

    body: str = attrs.field(validator=_text)
    reference: str = attrs.field(validator=_text)
    decided_on: date = attrs.field(validator=_a_date)

    def __str__(self) -> str:
        return f"{self.body}, {self.reference}, {self.decided_on.isoformat()}"


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
        raise RuleViolation(INVALID, f"shares must map party ids to percentages, not {value!r}")
    return immutabledict(
        (party_id(party), _decimal(share, f"share of {party!r}")) for party, share in value.items()
    )


@attrs.frozen
class CostPool:
    """A pool of costs split between the parties by percentage shares that sum to exactly 100."""

    name: str = attrs.field(validator=_text)
    basis: Basis = attrs.field(validator=_instance_of(Basis))
    shares: immutabledict[PartyId, Decimal] = attrs.field(converter=_shares)

    def __attrs_post_init__(self) -> None:
        if not self.shares:
            raise RuleViolation(INVALID, f"cost pool {self.name!r} has no shares")
        for party, share in self.shares.items():
            if share < 0:
                raise RuleViolation(
                    INVALID, f"{party}'s share of {self.name!r} is {share}: shares cannot be < 0"
                )
        total = sum(self.shares.values(), Decimal(0))
        if total != HUNDRED:
            gap = HUNDRED - total
            raise RuleViolation(
                "shares-sum-to-100",
                f"the shares of cost pool {self.name!r} sum to {total}, not 100: "
                f"{'add' if gap > 0 else 'take'} {abs(gap)} {'to' if gap > 0 else 'from'} "
                "one share",
            )

    @classmethod
    def equal(
        cls, name: str, parties: Iterable[PartyId | Party | str], *, places: int = 2
    ) -> CostPool:
        """An equal pool over ``parties``, by the rounding rule of :func:`split_equally`."""
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


def add_months(day: date, months: int) -> date:
    """``day`` moved ``months`` calendar months on, clamped to the end of a shorter month."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _year_end(value: Iterable[int]) -> tuple[int, int]:
    try:
        month, day = tuple(value)
        date(2001, month, day)  # a year that is not a leap year: 29 February is refused
    except (TypeError, ValueError):
        raise RuleViolation(
            INVALID, f"year_end {value!r} is not a (month, day) that every year has"
        ) from None
    return (month, day)


@attrs.frozen
class Notice:
    """The withdrawal notice rule: ``months`` after service, moved on to the next year end."""

    months: int = attrs.field(default=6)
    aligned_to_year_end: bool = attrs.field(default=True, validator=_instance_of(bool))
    year_end: tuple[int, int] = attrs.field(default=(3, 31), converter=_year_end)

    @months.validator
    def _check_months(self, _: attrs.Attribute[int], value: object) -> None:
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 120:
            raise RuleViolation(INVALID, f"notice months must be a whole number 0..120: {value!r}")

    def effective_date(self, served_on: date) -> date:
        """The earliest date a withdrawal served on ``served_on`` can take effect."""
        earliest = add_months(served_on, self.months)
        if not self.aligned_to_year_end:
            return earliest
        month, day = self.year_end
        year_end = date(earliest.year, month, day)
        return year_end if year_end >= earliest else date(earliest.year + 1, month, day)


@attrs.frozen
class Function:
    """Something a council does that it can hand over to the shared service."""

    id: str = attrs.field()
    name: str = attrs.field(validator=_text)
    category: str = attrs.field()

    @id.validator
    def _check_id(self, _: attrs.Attribute[str], value: object) -> None:
        if not isinstance(value, str) or not _DOTTED_SLUG.fullmatch(value):
            raise RuleViolation(INVALID, f"function id {value!r} is not like 'ict.service-desk'")

    @category.validator
    def _check_category(self, _: attrs.Attribute[str], value: object) -> None:
        if not isinstance(value, str) or not SLUG.fullmatch(value):
            raise RuleViolation(INVALID, f"category {value!r} is not a slug like 'back-office'")


def _cost_pools(value: Iterable[CostPool]) -> tuple[CostPool, ...]:
    if isinstance(value, CostPool) or not isinstance(value, Iterable):
        raise RuleViolation(INVALID, f"cost_pools must be a sequence of CostPool, not {value!r}")
    return tuple(value)


def _scope(value: Iterable[Function]) -> tuple[Function, ...]:
    if isinstance(value, Function) or not isinstance(value, Iterable):
        raise RuleViolation(INVALID, f"scope must be a sequence of Function, not {value!r}")
    return tuple(value)


def _optional_party(value: object) -> PartyId | None:
    return None if value is None else party_id(value)


@attrs.frozen
class Terms:
    """The agreement's terms as they stand. A variation produces new ``Terms``."""

    cost_pools: tuple[CostPool, ...] = attrs.field(converter=_cost_pools)
    scope: tuple[Function, ...] = attrs.field(default=(), converter=_scope)
    notice: Notice = attrs.field(factory=Notice, validator=_instance_of(Notice))
    governance: Governance = attrs.field(
        default=Governance.JOINT_COMMITTEE, validator=_instance_of(Governance)
    )
    casting_vote: bool = attrs.field(default=False, validator=_instance_of(bool))
    host: PartyId | None = attrs.field(default=None, converter=_optional_party)
    sla: str | None = attrs.field(default=None, validator=_optional_text)

    def __attrs_post_init__(self) -> None:
        if not self.cost_pools:
            raise RuleViolation(INVALID, "terms need at least one cost pool")
        for pool in self.cost_pools:
            if not isinstance(pool, CostPool):
                raise RuleViolation(INVALID, f"{pool!r} in cost_pools is not a CostPool")
        names = [pool.name for pool in self.cost_pools]
        if len(set(names)) != len(names):
            raise RuleViolation(INVALID, f"cost pool names must be unique: {names}")
        for function in self.scope:
            if not isinstance(function, Function):
                raise RuleViolation(INVALID, f"{function!r} in scope is not a Function")
        ids = [function.id for function in self.scope]
        if len(set(ids)) != len(ids):
            raise RuleViolation(INVALID, f"function ids in scope must be unique: {ids}")

    @classmethod
    def field_names(cls) -> tuple[str, ...]:
        """The names of the terms a variation may change."""
        return tuple(field.name for field in attrs.fields(cls))

    def evolve(self, changes: Mapping[str, Any], *, rule: str = "variation-shape") -> Terms:
        """New terms with ``changes`` (field name -> new value) applied and validated."""
        unknown = sorted(set(changes) - set(self.field_names()))
        if unknown:
            raise RuleViolation(
                rule,
                f"{', '.join(map(repr, unknown))} not a term of the agreement: "
                f"change one of {', '.join(self.field_names())}",
            )
        return attrs.evolve(self, **dict(changes))

    @property
    def parties(self) -> frozenset[PartyId]:
        """Every party with a share in any cost pool."""
        return frozenset().union(*(pool.parties for pool in self.cost_pools))


@attrs.frozen
class Concession:
    """One party's compromise: on ``subject`` it wanted ``wanted`` and accepted ``accepted``."""

    party: PartyId = attrs.field(converter=party_id)
    subject: str = attrs.field(validator=_text)
    wanted: Any = attrs.field(converter=freeze)
    accepted: Any = attrs.field(converter=freeze)
    rationale: str | None = attrs.field(default=None, validator=_optional_text)
