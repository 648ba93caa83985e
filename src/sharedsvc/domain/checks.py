"""The checks commands make of their arguments, each refusing a bad one with a rule code
(the checks that value objects make when they are built are in `.validators`).

Every check returns the value it accepted (normalised where it says so), so a command reads
``party = require_member(by, self.active, self._where)``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any, TypeVar

from sharedsvc.domain.errors import NotAuthorised, RuleViolation
from sharedsvc.domain.validators import plain, shown, string
from sharedsvc.domain.values import INVALID, DecisionRef, Money, PartyId, party_id

__all__ = [
    "check_money",
    "check_ref",
    "check_terms",
    "check_text",
    "check_values",
    "require_date",
    "require_member",
    "require_self",
]

T = TypeVar("T")


def check_ref(ref: object) -> DecisionRef | None:
    """``ref`` if it is a [`DecisionRef`][sharedsvc.DecisionRef] or ``None``; otherwise refuse
    it."""
    if ref is not None and not isinstance(ref, DecisionRef):
        raise RuleViolation(INVALID, f"ref must be a DecisionRef or None, not {shown(ref)}")
    return ref


def check_text(value: object, what: str, *, optional: bool = True) -> str | None:
    """``value`` if it is a non-empty string (or ``None`` where optional); otherwise refuse it."""
    if value is None and optional:
        return None
    return string(value, what)


def check_money(amount: object, *, allow_negative: bool = False) -> Money:
    """``amount`` if it is [`Money`][sharedsvc.Money] (not negative, unless allowed); otherwise
    refuse it."""
    if not isinstance(amount, Money):
        raise RuleViolation(INVALID, f"amount must be Money, not {shown(amount)}")
    if amount.amount < 0 and not allow_negative:
        raise RuleViolation(INVALID, f"amount {amount} is negative")
    return amount


def check_values(items: Iterable[Any], kind: type[T], what: str) -> tuple[T, ...]:
    """``items`` as a tuple, if it is a collection (not a lone value) of ``kind`` values, none
    of them blank or unwritable text (see `sharedsvc.domain.validators.string`);
    otherwise refuse it."""
    if isinstance(items, str | bytes | Mapping | kind) or not isinstance(items, Iterable):
        raise RuleViolation(INVALID, f"{what} takes a list of {kind.__name__}, not {shown(items)}")
    values = tuple(items)
    for index, item in enumerate(values):
        if not isinstance(item, kind):
            raise RuleViolation(INVALID, f"{shown(item)} in {what} is not a {kind.__name__}")
        if isinstance(item, str):
            string(item, f"{what}[{index}]")
    return values


def check_terms(terms: object, what: str) -> Mapping[str, Any]:
    """``terms`` if it maps one or more subjects (non-empty text) to values (rule
    ``dispute-shape``), each a free value (rule ``invalid-value``, see
    `sharedsvc.domain.validators.plain`): no NaN or infinity, no bytes or objects."""
    if not isinstance(terms, Mapping) or not terms:
        raise RuleViolation("dispute-shape", f"{what} map subjects to values, not {shown(terms)}")
    for subject, value in terms.items():
        if not isinstance(subject, str) or not subject.strip():
            raise RuleViolation("dispute-shape", f"{what}: subject {shown(subject)} is not text")
        string(subject, f"{what}: the subject {subject[:40]!r}")
        plain(value, f"{what}[{subject[:40]!r}]")
    return terms


def require_date(on: object, after: date | None, what: str = "the act") -> date:
    """Rule ``dates-in-order``: ``on`` is a date no earlier than ``after``."""
    if not isinstance(on, date) or isinstance(on, datetime):
        raise RuleViolation(
            INVALID, f"on must be a date (the legal date of {what}), not {shown(on)}"
        )
    if after is not None and on < after:
        raise RuleViolation(
            "dates-in-order",
            f"{what} is dated {on.isoformat()}, before the latest act of "
            f"{after.isoformat()}: legal dates never go backwards; "
            "record a correction as a new act",
        )
    return on


def require_member(party: object, members: Iterable[PartyId], where: str) -> PartyId:
    """Rule ``members-only``: ``party`` is a valid id and one of ``members``."""
    pid = party_id(party)
    if pid not in set(members):
        raise NotAuthorised(
            "members-only", f"{pid!r} is not an active party of {where} and cannot act on it"
        )
    return pid


def require_self(party: PartyId, by: object | None) -> None:
    """Rule ``acts-for-itself``: if an acting party is named, it is the party itself."""
    if by is not None and party_id(by) != party:
        raise NotAuthorised(
            "acts-for-itself",
            f"{by!r} cannot act on behalf of {party!r}: {party!r} must act itself",
        )
