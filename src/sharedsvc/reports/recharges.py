"""The recharge statement: what each council pays of each cost pool in a financial year
([`recharges`][sharedsvc.SharedServices.recharges]), as Markdown, HTML, CSV or JSON.

[`recharge_statement`][sharedsvc.reports.recharge_statement] reads it once from an application;
[`render_recharges_markdown`][sharedsvc.reports.render_recharges_markdown],
[`render_recharges_html`][sharedsvc.reports.render_recharges_html],
[`write_recharges_csv`][sharedsvc.reports.write_recharges_csv] and
[`recharges_record`][sharedsvc.reports.recharges_record] write it. Each pool lists its parties
in the order the recharges give them, then its total, which is its budget to the penny.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from datetime import date
from typing import Any, TextIO
from uuid import UUID

import attrs
from immutabledict import immutabledict

from sharedsvc.application import SharedServices
from sharedsvc.domain.budgets import financial_year
from sharedsvc.domain.values import Money, PartyId
from sharedsvc.projections.audit_values import summarise_money
from sharedsvc.reports.blocks import Block, Heading, Paragraph, Table
from sharedsvc.reports.html_page import render_page
from sharedsvc.reports.markdown import render_blocks

__all__ = [
    "RechargeStatement",
    "recharge_statement",
    "recharges_record",
    "render_recharges_html",
    "render_recharges_markdown",
    "write_recharges_csv",
]

CSV_HEADER = ("pool", "party", "name", "amount", "currency")
"""The columns of the statement as CSV: one row a pool and party."""


@attrs.frozen
class RechargeStatement:
    """The recharges of one partnership for the financial year starting in ``year``
    (``first`` to ``last``): ``charges`` maps each budgeted pool to each party's
    [`Money`][sharedsvc.Money]; ``names`` each party's name."""

    partnership_id: UUID
    name: str
    year: int
    first: date
    last: date
    charges: immutabledict[str, immutabledict[PartyId, Money]]
    names: immutabledict[str, str]

    def total(self, pool: str) -> Money:
        """What ``pool``'s parties pay together: its budget."""
        amounts = list(self.charges[pool].values())
        return sum(amounts[1:], amounts[0]) if amounts else Money(0)


def recharge_statement(app: SharedServices, pid: UUID, year: int) -> RechargeStatement:
    """The recharge statement of partnership ``pid`` for the financial year starting in
    ``year``, read from ``app``."""
    charges = app.recharges(pid, year=year)
    view = app.partnership(pid)
    first, last = financial_year(year, view.terms.notice.year_end)
    return RechargeStatement(
        view.id,
        view.name,
        year,
        first,
        last,
        immutabledict((pool, immutabledict(parts)) for pool, parts in charges.items()),
        immutabledict((party.id, party.name) for party in view.parties.values()),
    )


def _blocks(statement: RechargeStatement) -> list[Block]:
    blocks: list[Block] = [
        Heading(1, f"Recharges: {statement.name}"),
        Paragraph(
            f"The financial year {statement.year}, {statement.first.isoformat()} to "
            f"{statement.last.isoformat()}: each pool's budget divided by the shares in force "
            "day by day (or by the year's usage, for a pool with usage recorded), in pennies "
            "that sum to the budget."
        ),
    ]
    if not statement.charges:
        blocks.append(Paragraph("No pool has a budget for this year."))
    for pool, parts in statement.charges.items():
        rows: list[tuple[str, str, str]] = [
            (statement.names.get(party, party), party, summarise_money(amount))
            for party, amount in parts.items()
        ]
        rows.append(("Total", "", summarise_money(statement.total(pool))))
        blocks += [
            Heading(2, f"Pool: {pool}"),
            Table(("council", "party", "pays"), tuple(rows), frozenset({2})),
        ]
    return blocks


def render_recharges_markdown(statement: RechargeStatement) -> str:
    """The recharge statement as Markdown (dates kept whole, as in the audit report)."""
    return render_blocks(_blocks(statement))


def render_recharges_html(statement: RechargeStatement) -> str:
    """The recharge statement as a standalone HTML page."""
    return render_page(f"Recharges: {statement.name}", _blocks(statement))


def write_recharges_csv(statement: RechargeStatement, file: TextIO) -> int:
    """Write the statement to ``file`` as CSV (`CSV_HEADER`, then one row a pool and party,
    amounts to the penny without separators); returns the number of rows after the header."""
    writer = csv.writer(file, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    count = 0
    for pool, parts in statement.charges.items():
        for party, amount in parts.items():
            name = statement.names.get(party, party)
            writer.writerow((pool, party, name, f"{amount.amount:.2f}", amount.currency))
            count += 1
    return count


def recharges_record(statement: RechargeStatement) -> dict[str, Any]:
    """The statement as JSON data: ``partnership``, ``name``, ``year``, ``from`` and ``to``
    (ISO dates) and ``recharges`` (pool -> party -> amount as a string of pounds and
    pence; the currency, where not GBP, under ``currency``)."""
    currencies = {m.currency for parts in statement.charges.values() for m in parts.values()}
    record: dict[str, Any] = {
        "partnership": str(statement.partnership_id),
        "name": statement.name,
        "year": statement.year,
        "from": statement.first.isoformat(),
        "to": statement.last.isoformat(),
        "recharges": {pool: _amounts(parts) for pool, parts in statement.charges.items()},
    }
    if currencies - {"GBP"}:
        record["currency"] = sorted(currencies)
    return record


def _amounts(parts: Mapping[PartyId, Money]) -> dict[str, str]:
    return {party: f"{amount.amount:.2f}" for party, amount in parts.items()}
