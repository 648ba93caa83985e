"""The words the command line and the reports share: one vocabulary for a partnership's status,
money, the terms of an agreement and short ids.

The values themselves are written as the audit trail writes them
(`sharedsvc.projections.audit_values`): money in pounds (``£1,500.00``, other currencies by
code), terms in words (``cost pools``, ``casting vote``). This module adds the status words, so
that ``sharedsvc list``, ``sharedsvc show`` and the text reports say the same thing.
"""

from __future__ import annotations

from datetime import date

from sharedsvc.domain.values import Money
from sharedsvc.projections.audit_values import short_id, summarise_money, term

__all__ = [
    "DISSOLVED",
    "IN_FORCE",
    "money",
    "short_id",
    "status",
    "status_word",
    "subject",
]

IN_FORCE = "in force"
"""The status of a partnership that has not been dissolved."""

DISSOLVED = "dissolved"
"""The status of a partnership that has been dissolved."""


def status_word(dissolved_on: date | None) -> str:
    """``"in force"`` or ``"dissolved"``: the status in one word, for a table's column."""
    return IN_FORCE if dissolved_on is None else DISSOLVED


def status(dissolved_on: date | None) -> str:
    """``"in force"`` or ``"dissolved on 2018-12-31"``."""
    if dissolved_on is None:
        return IN_FORCE
    return f"{DISSOLVED} on {dissolved_on.isoformat()}"


def money(amount: Money) -> str:
    """An amount as every report writes it: ``£125,000.00``, ``-£1,500.00``, ``USD 20.00``."""
    return summarise_money(amount)


def subject(name: object) -> str:
    """A term of the agreement or a subject conceded, in words: ``cost_pools`` reads
    ``cost pools``."""
    return term(name)
