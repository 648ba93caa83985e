"""The hand-written moves of a history that keep the partnership's record rather than change
its terms: outside events noted, and each year's budgets and usage.

Private to `sharedsvc.testing.histories`.
"""

from __future__ import annotations

from hypothesis import strategies as st
from hypothesis.strategies import DrawFn

from sharedsvc.domain.budgets import financial_year
from sharedsvc.domain.values import Basis, Money
from sharedsvc.testing._drafting import pick
from sharedsvc.testing._scratch import Scratch

__all__ = ["note", "record_usage", "set_budget", "usage_pools"]

NOTES = (
    ("statutory", "Section 114 notice issued"),
    ("political", "Control changed at the election"),
    ("audit", "The external auditor reported on the shared service"),
)


def note(draw: DrawFn, scratch: Scratch) -> None:
    """A member notes an outside event, sometimes about one party."""
    kind, text = pick(draw, NOTES)
    party = pick(draw, (None, *scratch.partnership().parties))
    scratch.attempt("note", pick(draw, scratch.members()), kind=kind, text=text, party=party)


def _this_year(scratch: Scratch) -> int:
    """The financial year (by the year it starts in) that today falls in."""
    year_end = scratch.partnership().terms.notice.year_end
    start, _ = financial_year(scratch.today.year, year_end)
    return scratch.today.year if scratch.today >= start else scratch.today.year - 1


def set_budget(draw: DrawFn, scratch: Scratch) -> None:
    """A member sets this year's (or next year's) budget of one of the pools."""
    pools = scratch.partnership().terms.cost_pools
    if pools:
        pool = pick(draw, pools).name
        year = _this_year(scratch) + draw(st.integers(0, 1))
        amount = Money(draw(st.integers(0, 5_000)) * 100)
        scratch.attempt("set_budget", pick(draw, scratch.members()), pool=pool, year=year,
                        amount=amount)  # fmt: skip


def usage_pools(scratch: Scratch) -> tuple[str, ...]:
    """The names of the partnership's pools shared by usage."""
    return tuple(p.name for p in scratch.partnership().terms.cost_pools if p.basis is Basis.USAGE)


def record_usage(draw: DrawFn, scratch: Scratch) -> None:
    """A member records this year's usage of a usage pool by each member."""
    pools = usage_pools(scratch)
    if pools:
        usage = {party: draw(st.integers(0, 500)) for party in scratch.members()}
        scratch.attempt("record_usage", pick(draw, scratch.members()), pool=pick(draw, pools),
                        year=_this_year(scratch), usage=usage)  # fmt: skip
