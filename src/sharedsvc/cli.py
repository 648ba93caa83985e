"""The ``sharedsvc`` command (built with click).

Every command that reads a store takes ``--db PATH`` (SQLite, default ``./sharedsvc.db``) or
``--postgres URL``; without either, eventsourcing's environment variables
(``PERSISTENCE_MODULE`` ...) choose the store when they are set. A PARTNERSHIP is its id or its
unique name.

Exit codes: 0 done (or intact); 1 refused or tampered (a one-line reason on standard error, no
traceback); 2 usage. Long work (replay, verify, export) shows a progress bar on a terminal and
stays quiet in a pipe.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Any, TextIO
from uuid import UUID

import click

from sharedsvc import __version__
from sharedsvc.application import SharedServices
from sharedsvc.demo import DEMO_DATES, build_shared_digital
from sharedsvc.domain.errors import NotFound, RuleViolation, SharedServiceError, TamperDetected
from sharedsvc.integrity import Checkpoint, IntegrityReport, read_exported_events, verify_exported
from sharedsvc.integrity.signing import load_private_key, load_public_key
from sharedsvc.reports.text import render_compromises, render_partnership

__all__ = ["cli", "main"]

DEMO_DB = "sharedsvc-demo.db"
DEFAULT_DB = "sharedsvc.db"


# --- plumbing ------------------------------------------------------------------------------------


class MissingExtra(SharedServiceError):
    """A command needs an optional dependency that is not installed."""


class Output:
    """Where a command writes (standard output, or the stream a caller of :func:`main` gave)."""

    def __init__(self, out: TextIO | None) -> None:
        self.out = out

    @property
    def stream(self) -> TextIO:
        return self.out or sys.stdout

    def echo(self, text: str = "", **kwargs: Any) -> None:
        click.echo(text, file=self.stream, **kwargs)


def _remove_sqlite(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def _open(db: str | None, postgres: str | None, *, create: bool = False) -> SharedServices:
    if postgres:
        from urllib.parse import urlparse

        url = urlparse(postgres)
        return SharedServices.postgres(
            (url.path or "/").lstrip("/") or "postgres",
            host=url.hostname or "127.0.0.1",
            port=url.port or 5432,
            user=url.username or "postgres",
            password=url.password or "",
        )
    if os.environ.get("PERSISTENCE_MODULE") and db is None:
        return SharedServices()
    path = Path(db or DEFAULT_DB)
    if not create and not path.exists():
        raise NotFound(f"no store at {path}: run 'sharedsvc demo' or pass --db PATH")
    return SharedServices.sqlite(path)


@contextmanager
def _app(ctx: click.Context, *, create: bool = False) -> Iterator[SharedServices]:
    params = ctx.find_root().params | ctx.params
    app = _open(params.get("db"), params.get("postgres"), create=create)
    try:
        yield app
    finally:
        app.close()


def store_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """``--db`` and ``--postgres`` on a command that reads or writes a store."""
    command = click.option(
        "--postgres", metavar="URL", help="PostgreSQL store: postgresql://user@host/dbname"
    )(command)
    return click.option("--db", metavar="PATH", help=f"SQLite store (default ./{DEFAULT_DB})")(
        command
    )


def _find(app: SharedServices, ref: str) -> UUID:
    try:
        return UUID(ref)
    except ValueError:
        pass
    matches = [view.id for view in app.partnerships() if view.name == ref]
    if len(matches) != 1:
        raise NotFound(
            f"{len(matches) or 'no'} partnerships named {ref!r}: "
            + ("pass its id instead" if matches else "list them with 'sharedsvc list'")
        )
    return matches[0]


@contextmanager
def _target(path: str | None, out: Output) -> Iterator[TextIO]:
    if path is None:
        yield out.stream
        return
    with open(path, "w", encoding="utf-8", newline="") as file:
        yield file


@contextmanager
def _progress(label: str, total: int) -> Iterator[Callable[[int], None]]:
    """A progress bar on standard error when it is a terminal; nothing otherwise."""
    stream = sys.stderr
    if not stream.isatty() or total <= 0:
        yield lambda count: None
        return
    with click.progressbar(length=total, label=label, file=stream, show_pos=True) as bar:
        done = 0

        def advance(count: int) -> None:
            nonlocal done
            bar.update(max(0, min(count, total) - done))
            done = max(done, min(count, total))

        yield advance


def _as_date(ctx: click.Context, param: click.Parameter, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date like 2017-06-01") from None


def _as_moment(ctx: click.Context, param: click.Parameter, value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(
            f"{value!r} is not a time like 2018-07-19T12:00:00+00:00"
        ) from None


# --- the command group ---------------------------------------------------------------------------


@click.group(
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
    help="Shared-service agreements between public bodies, as an audited record.",
)
@click.version_option(__version__, prog_name="sharedsvc")
@click.pass_context
def cli(ctx: click.Context) -> None:
    ctx.ensure_object(Output)


@cli.command(
    short_help="Record and show the demo history.",
    help=f"Record the Camden-Islington-Haringey history in ./{DEMO_DB} and show it.",
)
@click.option("--db", metavar="PATH", help=f"where to record it (default ./{DEMO_DB})")
@click.pass_obj
def demo(out: Output, db: str | None) -> None:
    path = Path(db or DEMO_DB)
    _remove_sqlite(path)
    app = SharedServices.sqlite(path)
    try:
        pid = build_shared_digital(app)
        out.echo(f"Recorded the Shared Digital history in {path} (partnership {pid}).\n")
        for day in DEMO_DATES:
            out.echo(render_partnership(app.partnership(pid, as_of=day)) + "\n")
        out.echo(render_partnership(app.partnership(pid)) + "\n")
        out.echo("Compromises")
        out.echo(render_compromises(app.compromises(pid)))
    finally:
        app.close()


@cli.command(name="list", help="List the partnerships in the store.")
@store_options
@click.pass_context
def list_partnerships(ctx: click.Context, db: str | None, postgres: str | None) -> None:
    out: Output = ctx.obj
    with _app(ctx) as app:
        views = app.partnerships()
    rows = [
        (
            str(view.id),
            view.name,
            view.stage.value,
            ", ".join(view.active_parties),
            "dissolved" if view.dissolved else "active",
        )
        for view in views
    ]
    out.echo(_table(("id", "name", "stage", "parties", "status"), rows))


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *rows, strict=False)]
    lines = [header, ["-" * width for width in widths], *rows]
    return "\n".join(
        "  ".join(str(cell).ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip()
        for line in lines
    )


@cli.command(help="Show a partnership, now or as it stood.")
@click.argument("partnership")
@click.option("--as-of", metavar="DATE", callback=_as_date, help="as it legally stood then")
@click.option("--known-at", metavar="TIME", callback=_as_moment, help="as recorded then")
@store_options
@click.pass_context
def show(
    ctx: click.Context,
    partnership: str,
    as_of: date | None,
    known_at: datetime | None,
    db: str | None,
    postgres: str | None,
) -> None:
    with _app(ctx) as app:
        view = app.partnership(_find(app, partnership), as_of=as_of, known_at=known_at)
        ctx.obj.echo(render_partnership(view))


@cli.command(
    short_help="Record a scenario file.",
    help="Record the history in a scenario file (TOML), whole or not at all.",
)
@click.argument("scenario", type=click.Path(dir_okay=False))
@store_options
@click.pass_context
def load(ctx: click.Context, scenario: str, db: str | None, postgres: str | None) -> None:
    from sharedsvc.scenario import load_scenario

    with _app(ctx, create=True) as app:
        before = app.highest_position()
        pid = load_scenario(app, scenario)
        view = app.partnership(pid)
        recorded = app.highest_position() - before
        ctx.obj.echo(f"Recorded {view.name} (partnership {pid}): {recorded} events.")


@cli.command(
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
@click.option("--output", metavar="FILE", help="write it to FILE (default: standard output)")
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
    from sharedsvc.reports.writing import write_audit

    with _app(ctx) as app:
        pid = _find(app, partnership)
        with _target(output, ctx.obj) as target:
            entries = write_audit(app, pid, format_, target, timeline=timeline)
    if output is not None:
        ctx.obj.echo(f"Wrote the audit of {entries} events to {output}.")


@cli.command(
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
@click.option("--output", metavar="FILE", help="write it to FILE (default: standard output)")
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

    with _app(ctx) as app, _target(output, ctx.obj) as target:
        write_compromises(app, _find(app, partnership), format_, target)


@cli.command(
    short_help="Draw a timeline (PNG or SVG).",
    help="Draw a partnership's timeline: stages, members, handovers and disputes.",
)
@click.argument("partnership")
@click.option("--png", metavar="FILE", help="write a PNG picture")
@click.option("--svg", metavar="FILE", help="write an SVG picture")
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
    from sharedsvc.reports.writing import write_timeline

    try:
        import matplotlib  # noqa: F401 - only to say clearly when it is missing
    except ImportError:
        raise MissingExtra(
            "drawing the timeline needs matplotlib: pip install 'sharedsvc[timeline]'"
        ) from None
    path, kind = (png, "png") if png is not None else (svg, "svg")
    assert path is not None
    with _app(ctx) as app:
        width, height = write_timeline(app, _find(app, partnership), path, format=kind)
    ctx.obj.echo(f"Drew the timeline in {path} ({width} x {height} pixels).")


@cli.command(help="Rebuild every read model from the whole log.")
@store_options
@click.pass_context
def replay(ctx: click.Context, db: str | None, postgres: str | None) -> None:
    from sharedsvc.projections.read_models import ReadModels

    with _app(ctx) as app:
        models = ReadModels(app)
        with _progress("replaying", app.highest_position()) as advance:
            count = models.replay(progress=advance)
        counts = ", ".join(f"{rows} {table} rows" for table, rows in models.iter_counts())
    ctx.obj.echo(f"Replayed {count} events: {counts}.")


@cli.command(
    short_help="Keep the read models up to date.",
    help="Keep the read models up to date as events are recorded (until Ctrl-C).",
)
@click.option("--interval", type=float, default=1.0, show_default=True, help="seconds (SQLite)")
@store_options
@click.pass_context
def follow(ctx: click.Context, interval: float, db: str | None, postgres: str | None) -> None:
    import threading

    from sharedsvc._adapters.stores import store_kind

    with _app(ctx) as app:
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


@cli.command(
    short_help="Export a history (TOML) or the events.",
    help="Write a partnership's history as a scenario file (TOML); without PARTNERSHIP, "
    "every stored event as it is stored, one JSON line each (for offline verification).",
)
@click.argument("partnership", required=False)
@click.option("--output", metavar="FILE", help="write it to FILE (default: standard output)")
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
    with _app(ctx) as app:
        if partnership is not None:
            from sharedsvc.scenario import dump_scenario

            text = dump_scenario(app, _find(app, partnership))
            with _target(output, out) as target:
                target.write(text)
            if output is not None:
                out.echo(f"Wrote the history of {partnership} to {output}.")
            return
        with _target(output, out) as target:
            count = app.export_events(target)
    if output is not None:
        out.echo(f"Exported {count} events to {output}.")


# --- integrity -----------------------------------------------------------------------------------


def _read(path: str, what: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as error:
        raise NotFound(f"cannot read the {what} {path}: {error.strerror}") from None


def _checkpoint_file(path: str) -> Checkpoint:
    return Checkpoint.from_json(_read(path, "checkpoint"))


def _conclude(report: IntegrityReport, out: Output) -> None:
    out.echo(str(report))
    if not report.ok:
        first = report.problems[0] if report.problems else None
        count = len(report.problems) + report.omitted
        raise TamperDetected(f"TAMPERED: {count} problem(s); first: {first}", report)


@cli.command(
    short_help="Take a checkpoint to publish.",
    help="Log the store's events and print its checkpoint (size, root, time) as JSON.",
)
@click.option("--output", metavar="FILE", help="write it to FILE")
@click.option("--sign-key", metavar="FILE", help="sign it with this Ed25519 private key (PEM)")
@store_options
@click.pass_context
def checkpoint(
    ctx: click.Context,
    output: str | None,
    sign_key: str | None,
    db: str | None,
    postgres: str | None,
) -> None:
    key = None if sign_key is None else load_private_key(_read(sign_key, "key"))
    with _app(ctx) as app:
        made = app.checkpoint(sign_with=key)
    with _target(output, ctx.obj) as target:
        target.write(made.to_json() + "\n")


@cli.command(
    short_help="Check the record for tampering.",
    help="Check the store; against a checkpoint, that nothing it covers was altered.",
)
@click.option("--checkpoint", "checkpoint_file", metavar="FILE", help="a checkpoint taken earlier")
@click.option("--public-key", metavar="FILE", help="first check the checkpoint's signature (PEM)")
@click.option("--events", metavar="FILE", help="verify an export (sharedsvc export), not a store")
@store_options
@click.pass_context
def verify(
    ctx: click.Context,
    checkpoint_file: str | None,
    public_key: str | None,
    events: str | None,
    db: str | None,
    postgres: str | None,
) -> None:
    against = None
    if checkpoint_file is not None:
        against = _checkpoint_file(checkpoint_file)
        if public_key is not None and not against.verify_signature(
            load_public_key(_read(public_key, "public key"))
        ):
            raise TamperDetected("the checkpoint's signature does not verify with that key")
    elif public_key is not None:
        raise RuleViolation("invalid", "--public-key checks a checkpoint: pass --checkpoint FILE")
    if events is not None:
        if against is None:
            raise RuleViolation("invalid", "verifying an export needs --checkpoint FILE")
        try:
            lines = open(events, encoding="utf-8")  # noqa: SIM115 - closed just below
        except OSError as error:
            raise NotFound(f"cannot read the export {events}: {error.strerror}") from None
        with lines:
            _conclude(verify_exported(read_exported_events(lines), against), ctx.obj)
        return
    with _app(ctx) as app, _progress("verifying", app.highest_position()) as advance:
        report = app.verify(against=against, progress=advance)
    _conclude(report, ctx.obj)


@cli.command(
    short_help="Prove one event is in a checkpoint.",
    help="Print the inclusion proof of the event at POSITION as JSON.",
)
@click.argument("position", type=int)
@click.option("--checkpoint", "checkpoint_file", metavar="FILE", required=True)
@click.option("--output", metavar="FILE", help="write it to FILE")
@store_options
@click.pass_context
def prove(
    ctx: click.Context,
    position: int,
    checkpoint_file: str,
    output: str | None,
    db: str | None,
    postgres: str | None,
) -> None:
    against = _checkpoint_file(checkpoint_file)
    with _app(ctx) as app:
        proof = app.prove(position, against)
    with _target(output, ctx.obj) as target:
        target.write(proof.to_json() + "\n")


# --- entry point ---------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    """Run the command line; returns the exit code."""
    try:
        cli.main(
            args=list(sys.argv[1:] if argv is None else argv),
            prog_name="sharedsvc",
            standalone_mode=False,
            obj=Output(out),
        )
    except click.exceptions.Exit as done:
        return done.exit_code
    except click.ClickException as error:  # usage errors: 2
        error.show()
        return error.exit_code
    except click.Abort:
        click.echo("sharedsvc: interrupted", err=True)
        return 1
    except SharedServiceError as error:
        click.echo(f"sharedsvc: {error}", err=True)
        return 1
    except ImportError as error:  # an optional extra (signing, postgres) is not installed
        click.echo(f"sharedsvc: {error}", err=True)
        return 1
    except BrokenPipeError:  # the reader (say, `head`) stopped reading: not an error
        sys.stderr.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
