"""The audit trail's lines for the partnership's money: budgets set and usage recorded.

Registered with [`describes`][sharedsvc.projections.audit_summaries.describes] like every
other summary; `sharedsvc.projections.audit_summaries` imports this module, so its lines are
there wherever the summaries are.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sharedsvc.domain.partnership import events as pev
from sharedsvc.projections.audit_summaries import Line, describes
from sharedsvc.projections.audit_values import summarise_money

if TYPE_CHECKING:
    from sharedsvc.projections.audit_narrator import Narrator

__all__: list[str] = []


@describes(pev.BudgetSet)
def _budget_set(e: pev.BudgetSet, n: Narrator) -> Line:
    text = f"{n.name(e.by)} set the budget of {e.pool} for the financial year {e.year}"
    return Line(e.by, f"{text}: {summarise_money(e.amount)}")


@describes(pev.UsageRecorded)
def _usage_recorded(e: pev.UsageRecorded, n: Narrator) -> Line:
    used = ", ".join(f"{n.name(party)} {quantity}" for party, quantity in e.usage.items())
    text = f"{n.name(e.by)} recorded the usage of {e.pool} in the financial year {e.year}"
    return Line(e.by, f"{text}: {used}")
