"""The commands that record histories: ``demo`` and ``load``."""

from __future__ import annotations

from pathlib import Path

import click

from sharedsvc.application import SharedServices
from sharedsvc.cli._options import DEMO_DB, opened, remove_sqlite, store_options
from sharedsvc.cli._output import Output
from sharedsvc.demo import DEMO_DATES, build_shared_digital
from sharedsvc.reports.text import render_compromises, render_partnership
from sharedsvc.reports.writing import returned_functions

__all__ = ["COMMANDS"]


@click.command(
    short_help="Record and show the demo history.",
    help=f"Record the Camden-Islington-Haringey history in ./{DEMO_DB} and show it.",
)
@click.option("--db", metavar="PATH", help=f"where to record it (default ./{DEMO_DB})")
@click.pass_obj
def demo(out: Output, db: str | None) -> None:
    path = Path(db or DEMO_DB)
    remove_sqlite(path)
    app = SharedServices.sqlite(path)
    try:
        pid = build_shared_digital(app)
        out.echo(f"Recorded the Shared Digital history in {path} (partnership {pid}).\n")
        for day in DEMO_DATES:
            out.echo(render_partnership(app.partnership(pid, as_of=day)) + "\n")
        out.echo(render_partnership(app.partnership(pid)) + "\n")
        out.echo("Compromises")
        ledger = app.compromises(pid)
        out.echo(render_compromises(ledger, returned=returned_functions(app, ledger)))
    finally:
        app.close()


@click.command(
    short_help="Record a scenario file.",
    help="Record the history in a scenario file (TOML), whole or not at all.",
)
@click.argument("scenario", type=click.Path(dir_okay=False))
@store_options
@click.pass_context
def load(ctx: click.Context, scenario: str, db: str | None, postgres: str | None) -> None:
    from sharedsvc.scenario import load_scenario

    with opened(ctx, create=True) as app:
        before = app.highest_position()
        pid = load_scenario(app, scenario)
        view = app.partnership(pid)
        recorded = app.highest_position() - before
        ctx.obj.echo(f"Recorded {view.name} (partnership {pid}): {recorded} events.")


COMMANDS = (demo, load)
