"""Values as the audit trail writes them: money in pounds, pools with their shares, rungs and
terms in words; and the small pieces of English its summaries are made of."""

from __future__ import annotations

import calendar
import enum
from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from sharedsvc.domain.readiness import overall
from sharedsvc.domain.transfers import DataRole, StaffArrangement, StaffTransfer
from sharedsvc.domain.values import (
    Basis,
    CostPool,
    Function,
    Money,
    Notice,
    Party,
    PartyId,
    Stage,
)

__all__ = [
    "account",
    "assessment",
    "because",
    "joined",
    "short_id",
    "summarise_money",
    "summarise_value",
    "term",
    "words",
]

CURRENCY_SIGNS = {"GBP": "£", "EUR": "€"}
BASIS_WORDS = {
    Basis.EQUAL: "equal shares",
    Basis.USAGE: "by usage",
    Basis.POPULATION: "by population",
    Basis.FIXED: "fixed shares",
}
TERM_WORDS = {
    "cost_pools": "cost pools",
    "casting_vote": "casting vote",
    "sla": "service levels",
}


# --- values -----------------------------------------------------------------------------------


def summarise_money(money: Money) -> str:
    """``£125,000.00``; ``-£1,500.00``; other currencies by code (``USD 20.00``)."""
    sign = "-" if money.amount < 0 else ""
    figure = f"{abs(money.amount):,.2f}"
    symbol = CURRENCY_SIGNS.get(money.currency)
    return f"{sign}{symbol}{figure}" if symbol else f"{sign}{money.currency} {figure}"


def words(value: enum.Enum) -> str:
    """An enum's value in words: ``chief-executives`` reads ``chief executives``."""
    return str(value.value).replace("-", " ")


def _pool(pool: CostPool) -> str:
    shares = ", ".join(f"{party} {share.normalize():f}%" for party, share in pool.shares.items())
    return f"{pool.name} ({BASIS_WORDS[pool.basis]}: {shares})"


def _notice(notice: Notice) -> str:
    months = "1 month's notice" if notice.months == 1 else f"{notice.months} months' notice"
    if not notice.aligned_to_year_end:
        return months
    month, day = notice.year_end
    return f"{months}, to the next {day} {calendar.month_name[month]}"


def _staff(transfer: StaffTransfer) -> str:
    how = "under TUPE" if transfer.arrangement is StaffArrangement.TUPE else "under s.113"
    return f"{transfer.count} staff {how}"


def summarise_value(value: Any) -> str:
    """A short rendering of a term, position or settlement value, for one line of text."""
    if isinstance(value, Money):
        return summarise_money(value)
    if isinstance(value, CostPool):
        return _pool(value)
    if isinstance(value, Notice):
        return _notice(value)
    if isinstance(value, StaffTransfer):
        return _staff(value)
    if value is DataRole.HOST_PROCESSOR:
        return "the host processes the data"
    if isinstance(value, Stage):
        return str(value.value)
    if isinstance(value, enum.Enum):
        return words(value)
    if isinstance(value, Party | Function):
        return value.name
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    if isinstance(value, Mapping):
        items = ", ".join(f"{term(k)}: {summarise_value(v)}" for k, v in value.items())
        return items or "nothing"
    if isinstance(value, tuple | list | frozenset | set):
        return ", ".join(summarise_value(item) for item in value) or "none"
    return "none" if value is None else str(value)


def term(name: object) -> str:
    """A term of the agreement (``cost_pools``) or a subject in dispute, in words."""
    return TERM_WORDS.get(str(name), str(name).replace("_", " "))


def short_id(uid: UUID) -> str:
    """The first eight hex digits of an id: enough to tell a partnership's acts apart."""
    return uid.hex[:8]


def joined(items: Iterable[str]) -> str:
    """``A``, ``A and B``, ``A, B and C`` (``nobody`` for none)."""
    names = list(items)
    if len(names) < 2:
        return names[0] if names else "nobody"
    return ", ".join(names[:-1]) + " and " + names[-1]


def because(text: str | None, joiner: str = ": ") -> str:
    """A reason or rationale appended to a line, if there is one."""
    return f"{joiner}{text}" if text else ""


def account(final: Mapping[PartyId, Money]) -> str:
    """A final account: ``camden £0.00, islington -£1,500.00``."""
    return ", ".join(f"{party} {summarise_money(amount)}" for party, amount in final.items())


def assessment(scores: Mapping[str, int]) -> str:
    """A readiness assessment's scores and their mean: ``trust 3, power-sharing 2 (overall
    2.5)``."""
    listed = ", ".join(f"{area} {score}" for area, score in scores.items())
    return f"{listed} (overall {overall(scores)})"
