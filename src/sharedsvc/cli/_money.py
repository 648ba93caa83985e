"""The command that reads the partnership's money: ``recharges``, what each council pays of
each cost pool's budget in a financial year.

It writes a table, or with ``--json`` one JSON object (amounts as strings of pounds and pence,
dates ISO 8601), or with ``--csv`` the statement as CSV."""

from __future__ import annotations

import click

from sharedsvc.cli._options import opened, store_options
from sharedsvc.cli._output import Output
from sharedsvc.cli._refs import find_partnership
from sharedsvc.projections.audit_values import summarise_money
from sharedsvc.reports.recharges import recharge_statement, recharges_record, write_recharges_csv

__all__ = ["COMMANDS"]


@click.command(
    short_help="Show what each council pays of each pool in a financial year.",
    help="Show the recharges of the financial year that starts in --year (with the default "
    "year end, 2024 is 1 April 2024 to 31 March 2025): each budgeted pool divided among the "
    "parties by the shares in force day by day, or by the year's usage for a pool with usage "
    "recorded, in pennies that sum to the pool's budget. With --json: an object of "
    "partnership, name, year, from, to and recharges (pool -> party -> amount). With --csv: "
    "pool, party, name, amount and currency, one row a pool and party.",
)
@click.argument("partnership")
@click.option("--year", type=int, required=True, metavar="YEAR", help="the year it starts in")
@click.option("--json", "as_json", is_flag=True, help="write JSON instead of a table")
@click.option("--csv", "as_csv", is_flag=True, help="write CSV instead of a table")
@store_options
@click.pass_context
def recharges(
    ctx: click.Context,
    partnership: str,
    year: int,
    as_json: bool,
    as_csv: bool,
    db: str | None,
    postgres: str | None,
) -> None:
    out: Output = ctx.obj
    if as_json and as_csv:
        raise click.UsageError("give --json or --csv, not both")
    with opened(ctx) as app:
        statement = recharge_statement(app, find_partnership(app, partnership), year)
    if as_json:
        out.json(recharges_record(statement))
        return
    if as_csv:
        write_recharges_csv(statement, out.stream)
        return
    rows = [
        (pool, party, statement.names.get(party, party), summarise_money(amount))
        for pool, parts in statement.charges.items()
        for party, amount in parts.items()
    ]
    out.echo(
        f"{statement.name}: financial year {year}, {statement.first.isoformat()} to "
        f"{statement.last.isoformat()}"
    )
    out.table(("pool", "party", "name", "pays"), rows, whole=("pool", "party"))


COMMANDS = (recharges,)
