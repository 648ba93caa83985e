"""The store the commands share: ``--db PATH`` or ``--postgres URL``, their environment
variables ``SHAREDSVC_DB`` and ``SHAREDSVC_POSTGRES``, eventsourcing's own variables, and the
default file ``./sharedsvc.db``, in that order of precedence."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

import attrs
import click
from click.core import ParameterSource

from sharedsvc.application import SharedServices
from sharedsvc.cli._errors import MissingExtra, Refused
from sharedsvc.domain.errors import NotFound

__all__ = [
    "CONNECT_TIMEOUT",
    "DB_ENV",
    "DEFAULT_DB",
    "POSTGRES_ENV",
    "Target",
    "open_store",
    "opened",
    "remove_sqlite",
    "store_options",
    "target_of",
]

DEFAULT_DB = "sharedsvc.db"
"""The SQLite file every command uses (``demo`` too) when no store is named."""

DB_ENV = "SHAREDSVC_DB"
POSTGRES_ENV = "SHAREDSVC_POSTGRES"

CONNECT_TIMEOUT = 5
"""Seconds to wait for a PostgreSQL server before giving up with the reason."""


@attrs.frozen
class Target:
    """The store a command was pointed at: a SQLite file, a PostgreSQL URL, or (neither)
    eventsourcing's environment variables."""

    db: Path | None = None
    postgres: str | None = None


def remove_sqlite(path: Path) -> None:
    """Delete the SQLite store at ``path`` with its write-ahead log and journal files."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def _given(ctx: click.Context, name: str) -> bool:
    return ctx.get_parameter_source(name) is ParameterSource.COMMANDLINE


def target_of(ctx: click.Context) -> Target:
    """The store the command's options (else environment variables, else the default) name.

    An option given on the command line wins over an environment variable; ``--db`` and
    ``--postgres`` together, or both variables set with neither option, are a usage error."""
    db, postgres = ctx.params.get("db"), ctx.params.get("postgres")
    if db and postgres:
        db_given, postgres_given = _given(ctx, "db"), _given(ctx, "postgres")
        if db_given and postgres_given:
            raise click.UsageError("give --db or --postgres, not both", ctx)
        if db_given:
            postgres = None
        elif postgres_given:
            db = None
        else:
            raise click.UsageError(
                f"{DB_ENV} and {POSTGRES_ENV} are both set: unset one, or pass --db or --postgres",
                ctx,
            )
    if postgres:
        return Target(postgres=postgres)
    if db is None and os.environ.get("PERSISTENCE_MODULE"):
        return Target()
    return Target(db=Path(db or DEFAULT_DB))


def _one_line(error: BaseException) -> str:
    return " ".join(str(error).split()) or type(error).__name__


def _postgres(url_text: str) -> SharedServices:
    url = urlparse(url_text)
    if url.scheme not in ("postgresql", "postgres"):
        raise click.BadParameter(
            f"{url_text!r} is not a URL like postgresql://user@host/dbname",
            param_hint="'--postgres'",
        )
    try:
        port = url.port or 5432
    except ValueError:
        raise click.BadParameter(
            f"the port of {url.netloc!r} is not a number", param_hint="'--postgres'"
        ) from None
    dbname = unquote(url.path.lstrip("/")) or "postgres"
    host, user = url.hostname or "127.0.0.1", unquote(url.username or "postgres")
    password = unquote(url.password or "")
    try:
        import psycopg
    except ImportError:
        raise MissingExtra(
            "a PostgreSQL store needs psycopg: pip install 'sharedsvc[postgres]'"
        ) from None
    try:  # a direct try first, so that the real cause is what the user sees
        psycopg.connect(
            dbname=dbname,
            host=host,
            port=port,
            user=user,
            password=password,
            connect_timeout=CONNECT_TIMEOUT,
        ).close()
    except psycopg.Error as error:
        raise Refused(
            f"cannot reach PostgreSQL database {dbname!r} at {host}:{port} as {user}: "
            f"{_one_line(error)}"
        ) from None
    return SharedServices.postgres(
        dbname,
        host=host,
        port=port,
        user=user,
        password=password,
        POSTGRES_CONNECT_TIMEOUT=str(CONNECT_TIMEOUT),
    )


def open_store(target: Target, *, create: bool = False) -> SharedServices:
    """The application on ``target``; a SQLite file that does not exist is refused unless
    ``create`` (and then its folder must exist)."""
    if target.postgres:
        return _postgres(target.postgres)
    if target.db is None:
        return SharedServices()
    path = target.db
    if path.is_dir():
        raise Refused(f"{path} is a folder, not a store: pass --db FILE")
    if not create and not path.exists():
        raise NotFound(
            f"no store at {path}: record one with 'sharedsvc demo' or 'sharedsvc load FILE', "
            "or name one with --db PATH"
        )
    if create and not path.parent.is_dir():
        raise Refused(f"there is no folder {path.parent} to make the store {path} in")
    return SharedServices.sqlite(path)


@contextmanager
def opened(ctx: click.Context, *, create: bool = False) -> Iterator[SharedServices]:
    """The application on the store of the command's options, closed when the block ends."""
    app = open_store(target_of(ctx), create=create)
    try:
        yield app
    finally:
        app.close()


def store_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """``--db`` and ``--postgres`` (and their environment variables) on a command that reads
    or writes a store."""
    command = click.option(
        "--postgres",
        metavar="URL",
        envvar=POSTGRES_ENV,
        show_envvar=True,
        help="PostgreSQL store: postgresql://user@host/dbname",
    )(command)
    return click.option(
        "--db",
        metavar="PATH",
        envvar=DB_ENV,
        show_envvar=True,
        help=f"SQLite store (default ./{DEFAULT_DB})",
    )(command)
