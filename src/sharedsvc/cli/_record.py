"""The commands that record histories: ``demo`` and ``load``."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from uuid import UUID

import click

from sharedsvc.application import SharedServices
from sharedsvc.cli._errors import Refused
from sharedsvc.cli._options import (
    DB_ENV,
    DEFAULT_DB,
    Target,
    opened,
    remove_sqlite,
    store_options,
    target_of,
)
from sharedsvc.cli._output import Output
from sharedsvc.cli._refs import InputFile
from sharedsvc.demo import DEMO_DATES, build_shared_digital
from sharedsvc.reports.text import partnership_rows, partnership_title, render_compromises
from sharedsvc.reports.wording import short_id
from sharedsvc.reports.writing import returned_functions

__all__ = ["COMMANDS"]


def _holds_only_the_demo(path: Path) -> bool:
    """Whether the store at ``path`` holds the demo's history and nothing else."""
    app = SharedServices.sqlite(path)
    try:
        views = app.partnerships()
        recorded = app.highest_position()
    finally:
        app.close()
    if recorded == 0:
        return True
    if len(views) != 1:
        return False
    sample = SharedServices.in_memory()
    try:
        pid = build_shared_digital(sample)
        return (views[0].name, recorded) == (
            sample.partnership(pid).name,
            sample.highest_position(),
        )
    finally:
        sample.close()


@click.command(
    short_help="Record and show the demo history.",
    help=f"Record the Camden-Islington-Haringey history in ./{DEFAULT_DB} (the store every "
    "command reads by default) and show it. The file is recorded afresh if it holds the demo "
    "already; a store that holds anything else is refused.",
)
@click.option(
    "--db",
    metavar="PATH",
    envvar=DB_ENV,
    show_envvar=True,
    help=f"where to record it (default ./{DEFAULT_DB})",
)
@click.pass_obj
def demo(out: Output, db: str | None) -> None:
    path = Path(db or DEFAULT_DB)
    if path.is_dir() or not path.parent.is_dir():
        raise Refused(f"cannot make the store {path}: pass --db FILE in a folder that exists")
    if path.exists() and not _holds_only_the_demo(path):
        raise Refused(
            f"{path} holds other records, which the demo would replace: "
            "pass --db PATH to record the demo somewhere else"
        )
    remove_sqlite(path)
    app = SharedServices.sqlite(path)
    try:
        pid = build_shared_digital(app)
        out.echo(f"Recorded the Shared Digital history in {path} (partnership {short_id(pid)}).\n")
        for day in [*DEMO_DATES, None]:
            view = app.partnership(pid, as_of=day)
            out.labelled(partnership_title(view), partnership_rows(view))
            out.echo()
        out.echo("Compromises")
        ledger = app.compromises(pid)
        out.echo(render_compromises(ledger, returned=returned_functions(app, ledger)))
        hint = "" if db is None else f" --db {path}"
        out.echo(f"\nNext: sharedsvc list{hint}; sharedsvc audit {short_id(pid)}{hint}")
    finally:
        app.close()


def _read_text(path: str) -> str:
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        raise Refused(f"cannot read {path}: {error.strerror}") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise Refused(
            f"{path} is not UTF-8 text (byte {error.start} is {data[error.start]:#04x}): "
            "save it as UTF-8"
        ) from None


def _name_in(text: str) -> str | None:
    """The partnership's name a scenario gives, if it can be read (else loading says why)."""
    try:
        name = tomllib.loads(text).get("partnership", {}).get("name")
    except (tomllib.TOMLDecodeError, RecursionError, AttributeError):
        return None
    return name if isinstance(name, str) else None


def _record(app: SharedServices, text: str, path: str) -> UUID:
    from sharedsvc.scenario import loads_scenario

    try:
        return loads_scenario(app, text, name=path)
    except RecursionError:
        raise Refused(f"{path} is nested too deeply to read") from None


def _check(text: str, path: str) -> None:
    """Load the scenario in memory only: its faults raise, nothing is kept."""
    scratch = SharedServices.in_memory()
    try:
        _record(scratch, text, path)
    finally:
        scratch.close()


def _replace(target: Target, text: str, path: str) -> tuple[str, UUID, int]:
    """Record the scenario in a new SQLite file beside the store, then put it in the
    store's place: the old store is untouched unless the new one is complete."""
    assert target.db is not None
    fresh = target.db.with_name(f".{target.db.name}.replacing")
    remove_sqlite(fresh)
    try:
        app = SharedServices.sqlite(fresh)
        try:
            pid = _record(app, text, path)
            recorded, name = app.highest_position(), app.partnership(pid).name
        finally:
            app.close()
        remove_sqlite(target.db)
        os.replace(fresh, target.db)
    finally:
        remove_sqlite(fresh)
    return name, pid, recorded


@click.command(
    short_help="Record a scenario file.",
    help="Record the history in a scenario file (TOML), whole or not at all. A store the load "
    "makes is removed again if the load fails. Loading a partnership whose name the store "
    "holds already is refused: --as-new records it again beside it (a new id), --replace "
    "starts the SQLite store afresh with this file (only a store that holds nothing but "
    "partnerships of that name).",
)
@click.argument("scenario", type=InputFile())
@click.option("--as-new", is_flag=True, help="record it even if the store has its name")
@click.option("--replace", is_flag=True, help="start the store afresh with this file")
@store_options
@click.pass_context
def load(
    ctx: click.Context,
    scenario: str,
    as_new: bool,
    replace: bool,
    db: str | None,
    postgres: str | None,
) -> None:
    if as_new and replace:
        raise click.UsageError("give --as-new or --replace, not both", ctx)
    text = _read_text(scenario)  # before the store, so that a bad file makes none
    name = _name_in(text)
    target = target_of(ctx)
    made = target.db is not None and not target.db.exists()
    try:
        with opened(ctx, create=True) as app:
            before = app.highest_position()
            views = app.partnerships() if name is not None and not made else []
            same = [view for view in views if view.name == name]
            if same and replace:
                if target.db is None:
                    raise Refused("--replace starts a SQLite store afresh; this store is not one")
                if len(same) != len(views):
                    raise Refused(
                        f"--replace would discard {len(views) - len(same)} other partnership(s) "
                        f"in {target.db}: load into another store instead"
                    )
            elif same and not as_new:
                _check(text, scenario)  # a fault in the file is worth more than "again"
                ids = ", ".join(short_id(view.id) for view in same)
                raise Refused(
                    f"the store holds {name!r} already (partnership {ids}): pass --as-new to "
                    "record it again beside it, or --replace to start the store afresh with it"
                )
            if not (same and replace):
                pid = _record(app, text, scenario)
                recorded = app.highest_position() - before
                name = app.partnership(pid).name
        if same and replace:
            name, pid, recorded = _replace(target, text, scenario)
    except BaseException:
        if made and target.db is not None:
            remove_sqlite(target.db)
        raise
    ctx.obj.echo(f"Recorded {name} (partnership {pid}): {recorded} events.")


COMMANDS = (demo, load)
