"""The commands that read a store: ``list``, ``show``, ``audit``, ``compromises``,
``timeline`` and ``export``, and those that keep its read models: ``replay`` and ``follow``."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from datetime import date, datetime

import click

from sharedsvc.cli._errors import MissingExtra
from sharedsvc.cli._options import opened, store_options
from sharedsvc.cli._output import Output, counting, progress, writing_to
from sharedsvc.cli._refs import OutputFile, as_date, as_moment, find_partnership
from sharedsvc.projections.listing import PartnershipSummary
from sharedsvc.reports.exports import json_value
from sharedsvc.reports.text import partnership_rows, partnership_title
from sharedsvc.reports.wording import short_id, status, status_word

__all__ = ["COMMANDS", "MissingExtra"]

_JSON = click.option("--json", "as_json", is_flag=True, help="write JSON instead of a table")


@click.command(
    name="list",
    short_help="List the partnerships in the store.",
    help="List the partnerships in the store: the first characters of each id (enough to "
    "name it in other commands), its name, stage, members and status.",
)
@_JSON
@store_options
@click.pass_context
def list_partnerships(
    ctx: click.Context, as_json: bool, db: str | None, postgres: str | None
) -> None:
    out: Output = ctx.obj
    with opened(ctx) as app:
        if as_json:
            out.json_list(
                {
                    "id": str(summary.id),
                    "name": summary.name,
                    "stage": summary.stage.value,
                    "parties": list(summary.active_parties),
                    "status": status_word(summary.dissolved_on),
                    "dissolved_on": json_value(summary.dissolved_on),
                }
                for summary in app.iter_partnerships()
            )
            return
        out.streamed_table(
            ("id", "name", "stage", "parties", "status"),
            lambda: _listed(app.iter_partnerships()),
            whole=("id", "stage"),
        )


def _listed(summaries: Iterable[PartnershipSummary]) -> Iterator[tuple[str, ...]]:
    """The rows of ``sharedsvc list``'s table."""
    for summary in summaries:
        yield (
            short_id(summary.id),
            summary.name,
            summary.stage.value,
            ", ".join(summary.active_parties or summary.members_at_dissolution),
            status(summary.dissolved_on),
        )


@click.command(help="Show a partnership, now or as it stood.")
@click.argument("partnership")
@click.option("--as-of", metavar="DATE", callback=as_date, help="as it legally stood then")
@click.option("--known-at", metavar="TIME", callback=as_moment, help="as recorded then")
@_JSON
@store_options
@click.pass_context
def show(
    ctx: click.Context,
    partnership: str,
    as_of: date | None,
    known_at: datetime | None,
    as_json: bool,
    db: str | None,
    postgres: str | None,
) -> None:
    out: Output = ctx.obj
    with opened(ctx) as app:
        view = app.partnership(find_partnership(app, partnership), as_of=as_of, known_at=known_at)
    if as_json:
        out.json(json_value(view))
    else:
        out.labelled(partnership_title(view), partnership_rows(view))


@click.command(
    short_help="Write an audit report or trail.",
    help="Write a partnership's audit report (md, html) or its audit trail (csv, jsonl).",
)
@click.argument("partnership")
@click.option(
    "--format",
    "format_",
    type=click.Choice(["md", "html", "csv", "jsonl"]),
    default="md",
    show_default=True,
)
@click.option(
    "--output",
    type=OutputFile(),
    metavar="FILE",
    help="write it to FILE (default: standard output)",
)
@click.option("--timeline/--no-timeline", default=False, help="embed the timeline (html)")
@store_options
@click.pass_context
def audit(
    ctx: click.Context,
    partnership: str,
    format_: str,
    output: str | None,
    timeline: bool,
    db: str | None,
    postgres: str | None,
) -> None:
    from sharedsvc.reports.writing import REPORT_STEPS, write_audit

    # A bar on the terminal only when the report itself does not go there (nor a trail).
    shown = (output is not None or not ctx.obj.stream.isatty()) and format_ in ("md", "html")
    with opened(ctx) as app:
        pid = find_partnership(app, partnership)
        with (
            writing_to(output, ctx.obj) as target,
            progress("auditing", REPORT_STEPS if shown else 0) as advance,
        ):
            entries = write_audit(app, pid, format_, target, timeline=timeline, progress=advance)
    if output is not None:
        ctx.obj.echo(f"Wrote the audit of {entries} events to {output}.")


@click.command(
    short_help="List the compromises of each party.",
    help="List what each party of a partnership conceded or ceded, in order.",
)
@click.argument("partnership")
@click.option(
    "--format",
    "format_",
    type=click.Choice(["text", "csv", "jsonl"]),
    default="text",
    show_default=True,
)
@click.option(
    "--output",
    type=OutputFile(),
    metavar="FILE",
    help="write it to FILE (default: standard output)",
)
@store_options
@click.pass_context
def compromises(
    ctx: click.Context,
    partnership: str,
    format_: str,
    output: str | None,
    db: str | None,
    postgres: str | None,
) -> None:
    from sharedsvc.reports.writing import write_compromises

    with opened(ctx) as app, writing_to(output, ctx.obj) as target:
        write_compromises(app, find_partnership(app, partnership), format_, target)


@click.command(
    short_help="Draw a timeline (PNG or SVG).",
    help="Draw a partnership's timeline: stages, members, handovers and disputes.",
)
@click.argument("partnership")
@click.option("--png", type=OutputFile(), metavar="FILE", help="write a PNG picture")
@click.option("--svg", type=OutputFile(), metavar="FILE", help="write an SVG picture")
@store_options
@click.pass_context
def timeline(
    ctx: click.Context,
    partnership: str,
    png: str | None,
    svg: str | None,
    db: str | None,
    postgres: str | None,
) -> None:
    if (png is None) == (svg is None):
        raise click.UsageError("give one of --png FILE or --svg FILE")
    from sharedsvc.reports.writing import REPORT_STEPS, write_timeline

    try:
        import matplotlib  # noqa: F401 - only to say clearly when it is missing
    except ImportError:
        raise MissingExtra(
            "drawing the timeline needs matplotlib: pip install 'sharedsvc[timeline]'"
        ) from None
    path, kind = (png, "png") if png is not None else (svg, "svg")
    assert path is not None
    with opened(ctx) as app:
        pid = find_partnership(app, partnership)
        with progress("drawing", REPORT_STEPS) as advance:
            width, height = write_timeline(app, pid, path, format=kind, progress=advance)
    ctx.obj.echo(f"Drew the timeline in {path} ({width} x {height} pixels).")


@click.command(help="Rebuild every read model from the whole log.")
@store_options
@click.pass_context
def replay(ctx: click.Context, db: str | None, postgres: str | None) -> None:
    from sharedsvc.projections.read_models import ReadModels

    with opened(ctx) as app:
        models = ReadModels(app)
        with progress("replaying", app.highest_position()) as advance:
            count = models.replay(progress=advance)
        counts = ", ".join(f"{rows} {name} rows" for name, rows in models.iter_counts())
    ctx.obj.echo(f"Replayed {count} events: {counts}.")


@click.command(
    short_help="Keep the read models up to date.",
    help="Keep the read models up to date as events are recorded, until Ctrl-C (which is how "
    "it stops: exit code 0).",
)
@click.option(
    "--interval",
    type=click.FloatRange(min=0.01, max=3600),
    default=1.0,
    show_default=True,
    help="seconds between catch-ups (SQLite)",
)
@store_options
@click.pass_context
def follow(ctx: click.Context, interval: float, db: str | None, postgres: str | None) -> None:
    import threading

    from sharedsvc._adapters.stores import store_kind

    with opened(ctx) as app:
        if store_kind(app.recorder) == "postgres":
            from sharedsvc.projections.runner import run

            env = {**os.environ, **{key: str(value) for key, value in app.env.items()}}
            app.close()
            run(env)  # eventsourcing's projection runner, until SIGTERM or SIGINT
            return
        from sharedsvc.projections.read_models import ReadModels

        models, stop = ReadModels(app), threading.Event()
        click.echo("sharedsvc: following the log (Ctrl-C stops)", err=True)
        try:
            models.follow(stop, interval=interval)
        except KeyboardInterrupt:
            stop.set()
        ctx.obj.echo(f"Stopped at position {models.position}.")


@click.command(
    short_help="Export a history (TOML) or the events.",
    help="Write a partnership's history as a scenario file (TOML); without PARTNERSHIP, "
    "every stored event as it is stored, one JSON line each (for offline verification).",
)
@click.argument("partnership", required=False)
@click.option(
    "--output",
    type=OutputFile(),
    metavar="FILE",
    help="write it to FILE (default: standard output)",
)
@store_options
@click.pass_context
def export(
    ctx: click.Context,
    partnership: str | None,
    output: str | None,
    db: str | None,
    postgres: str | None,
) -> None:
    out: Output = ctx.obj
    with opened(ctx) as app:
        if partnership is not None:
            from sharedsvc.scenario import dump_scenario

            text = dump_scenario(app, find_partnership(app, partnership))
            with writing_to(output, out) as target:
                target.write(text)
            if output is not None:
                out.echo(f"Wrote the history of {partnership!r} to {output}.")
            return
        # A bar on the terminal only when the events themselves do not go there.
        shown = output is not None or not out.stream.isatty()
        with (
            writing_to(output, out) as target,
            counting(target, "exporting", app.highest_position() if shown else 0) as lines,
        ):
            count = app.export_events(lines)
    if output is not None:
        out.echo(f"Exported {count} events to {output}.")


COMMANDS = (
    list_partnerships,
    show,
    audit,
    compromises,
    timeline,
    replay,
    follow,
    export,
)
