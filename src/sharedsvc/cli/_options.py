"""The options and arguments the commands share: the store (``--db PATH`` or ``--postgres
URL``, else eventsourcing's environment variables), a PARTNERSHIP by id or name, and dates."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Any
from uuid import UUID

import click

from sharedsvc.application import SharedServices
from sharedsvc.domain.errors import NotFound

__all__ = [
    "DEFAULT_DB",
    "DEMO_DB",
    "as_date",
    "as_moment",
    "find_partnership",
    "open_store",
    "opened",
    "remove_sqlite",
    "store_options",
]

DEMO_DB = "sharedsvc-demo.db"
DEFAULT_DB = "sharedsvc.db"


def remove_sqlite(path: Path) -> None:
    """Delete the SQLite store at ``path`` with its write-ahead log and journal files."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def open_store(db: str | None, postgres: str | None, *, create: bool = False) -> SharedServices:
    """The application on the store the options name (see the package's docstring); a SQLite
    file that does not exist is refused unless ``create``."""
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
def opened(ctx: click.Context, *, create: bool = False) -> Iterator[SharedServices]:
    """The application on the store of the command's options, closed when the block ends."""
    params = ctx.find_root().params | ctx.params
    app = open_store(params.get("db"), params.get("postgres"), create=create)
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


def find_partnership(app: SharedServices, ref: str) -> UUID:
    """The id of the partnership ``ref`` names: its id, or its name if no other has it."""
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


def as_date(ctx: click.Context, param: click.Parameter, value: str | None) -> date | None:
    """An option's value as a date (``2017-06-01``)."""
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date like 2017-06-01") from None


def as_moment(ctx: click.Context, param: click.Parameter, value: str | None) -> datetime | None:
    """An option's value as a time (``2018-07-19T12:00:00+00:00``)."""
    if value is None:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(
            f"{value!r} is not a time like 2018-07-19T12:00:00+00:00"
        ) from None
