"""The terms of an agreement: its cost pools, the functions in its scope, the withdrawal
notice, its governance, host and service level."""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

import attrs

from sharedsvc.domain.enums import Governance
from sharedsvc.domain.errors import RuleViolation
from sharedsvc.domain.money import CostPool
from sharedsvc.domain.parties import PartyId, party_id
from sharedsvc.domain.validators import (
    DOTTED_SLUG,
    INVALID,
    SLUG,
    calendar_year,
    instance_of,
    optional_text,
    plain_kind,
    shown,
    text,
)

__all__ = ["Function", "Notice", "Terms", "add_months"]


def add_months(day: date, months: int) -> date:
    """``day`` moved ``months`` calendar months on, clamped to the end of a shorter month.

    Refused (``invalid-value``) if that leaves the calendar (after 9999)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    calendar_year(year, f"{months} months after {day.isoformat()}")
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _year_end(value: Iterable[int]) -> tuple[int, int]:
    try:
        month, day = tuple(value)
        date(2001, month, day)  # a year that is not a leap year: 29 February is refused
    except (TypeError, ValueError):
        raise RuleViolation(
            INVALID, f"year_end {shown(value)} is not a (month, day) that every year has"
        ) from None
    return (month, day)


@plain_kind
@attrs.frozen
class Notice:
    """The withdrawal notice rule: ``months`` after service, moved on to the next year end."""

    months: int = attrs.field(default=6)
    aligned_to_year_end: bool = attrs.field(default=True, validator=instance_of(bool))
    year_end: tuple[int, int] = attrs.field(default=(3, 31), converter=_year_end)

    @months.validator
    def _check_months(self, _: attrs.Attribute[int], value: object) -> None:
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 120:
            raise RuleViolation(
                INVALID, f"notice months must be a whole number 0..120: {shown(value)}"
            )

    def effective_date(self, served_on: date) -> date:
        """The earliest date a withdrawal served on ``served_on`` can take effect."""
        earliest = add_months(served_on, self.months)
        if not self.aligned_to_year_end:
            return earliest
        month, day = self.year_end
        year_end = date(earliest.year, month, day)
        if year_end >= earliest:
            return year_end
        after = f"the first year end after {earliest.isoformat()}"
        return date(calendar_year(earliest.year + 1, after), month, day)


@plain_kind
@attrs.frozen
class Function:
    """Something a council does that it can hand over to the shared service."""

    id: str = attrs.field()
    name: str = attrs.field(validator=text)
    category: str = attrs.field()

    @id.validator
    def _check_id(self, _: attrs.Attribute[str], value: object) -> None:
        if not isinstance(value, str) or not DOTTED_SLUG.fullmatch(value):
            raise RuleViolation(
                INVALID, f"function id {shown(value)} is not like 'ict.service-desk'"
            )

    @category.validator
    def _check_category(self, _: attrs.Attribute[str], value: object) -> None:
        if not isinstance(value, str) or not SLUG.fullmatch(value):
            raise RuleViolation(
                INVALID, f"category {shown(value)} is not a slug like 'back-office'"
            )


def _cost_pools(value: Iterable[CostPool]) -> tuple[CostPool, ...]:
    if isinstance(value, CostPool) or not isinstance(value, Iterable):
        raise RuleViolation(
            INVALID, f"cost_pools must be a sequence of CostPool, not {shown(value)}"
        )
    return tuple(value)


def _scope(value: Iterable[Function]) -> tuple[Function, ...]:
    if isinstance(value, Function) or not isinstance(value, Iterable):
        raise RuleViolation(INVALID, f"scope must be a sequence of Function, not {shown(value)}")
    return tuple(value)


def _optional_party(value: object) -> PartyId | None:
    return None if value is None else party_id(value)


@plain_kind
@attrs.frozen
class Terms:
    """The agreement's terms as they stand. A variation produces new ``Terms``."""

    cost_pools: tuple[CostPool, ...] = attrs.field(converter=_cost_pools)
    scope: tuple[Function, ...] = attrs.field(default=(), converter=_scope)
    notice: Notice = attrs.field(factory=Notice, validator=instance_of(Notice))
    governance: Governance = attrs.field(
        default=Governance.JOINT_COMMITTEE, validator=instance_of(Governance)
    )
    casting_vote: bool = attrs.field(default=False, validator=instance_of(bool))
    host: PartyId | None = attrs.field(default=None, converter=_optional_party)
    sla: str | None = attrs.field(default=None, validator=optional_text)

    def __attrs_post_init__(self) -> None:
        if not self.cost_pools:
            raise RuleViolation(INVALID, "terms need at least one cost pool")
        for pool in self.cost_pools:
            if not isinstance(pool, CostPool):
                raise RuleViolation(INVALID, f"{shown(pool)} in cost_pools is not a CostPool")
        names = [pool.name for pool in self.cost_pools]
        if len(set(names)) != len(names):
            raise RuleViolation(INVALID, f"cost pool names must be unique: {names}")
        for function in self.scope:
            if not isinstance(function, Function):
                raise RuleViolation(INVALID, f"{shown(function)} in scope is not a Function")
        ids = [function.id for function in self.scope]
        if len(set(ids)) != len(ids):
            raise RuleViolation(INVALID, f"function ids in scope must be unique: {ids}")

    @classmethod
    def field_names(cls) -> tuple[str, ...]:
        """The names of the terms a variation may change."""
        return tuple(field.name for field in attrs.fields(cls))

    def evolve(self, changes: Mapping[str, Any], *, rule: str = "variation-shape") -> Terms:
        """New terms with ``changes`` (field name -> new value) applied and validated."""
        names = self.field_names()
        unknown = sorted(shown(name) for name in changes if name not in names)
        if unknown:
            raise RuleViolation(
                rule,
                f"{', '.join(unknown)} not a term of the agreement: "
                f"change one of {', '.join(self.field_names())}",
            )
        return attrs.evolve(self, **dict(changes))

    @property
    def parties(self) -> frozenset[PartyId]:
        """Every party with a share in any cost pool."""
        return frozenset().union(*(pool.parties for pool in self.cost_pools))
