"""The ``sharedsvc`` command (built with click).

Every command that reads a store takes ``--db PATH`` (SQLite) or ``--postgres URL``. Which
store a command uses, first match wins: the option given on the command line; the environment
variable ``SHAREDSVC_DB`` or ``SHAREDSVC_POSTGRES``; eventsourcing's own variables
(``PERSISTENCE_MODULE`` ...) when they are set; the file ``./sharedsvc.db``, which ``demo``
records too. A PARTNERSHIP is its id, the first characters of its id (at least four, as ``list``
and the reports print them) or its name, when no other partnership matches.

Exit codes: 0 done (or intact); 1 refused or tampered (a one-line reason on standard error, no
traceback); 2 usage (one line too); 130 interrupted (Ctrl-C; ``follow`` stops that way, with
0). Long work (replay, verify, export, audit, timeline) shows a progress bar on a terminal and
stays quiet in a pipe; a reader that stops early (``| head``) is not an error.

The commands live in private modules by what they do: ``_record`` (demo, load), ``_read``
(list, show, audit, compromises, timeline, export, replay, follow), ``_relationship``
(readiness, obligations, balance, sovereignty), ``_money`` (recharges), ``_integrity``
(checkpoint, verify, prove) and ``_whatif`` (whatif), over the store options (``_options``),
what arguments name (``_refs``) and output helpers (``_output``). This module makes the group
of them and runs it: `main`.
"""

from __future__ import annotations

import io
import os
import sqlite3
import sys
from collections.abc import Sequence
from typing import TextIO

import click

from sharedsvc import __version__
from sharedsvc.cli import _integrity, _money, _read, _record, _relationship, _whatif
from sharedsvc.cli._output import Output
from sharedsvc.domain.errors import SharedServiceError

__all__ = ["INTERRUPTED", "cli", "main"]

INTERRUPTED = 130
"""The exit code after Ctrl-C (128 + SIGINT, as shells report it)."""


class _ReaderGone(Exception):
    """Standard output's reader went away (``| head``): click would exit with 1 on it."""


class _Group(click.Group):
    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except BrokenPipeError as error:
            raise _ReaderGone() from error


@click.group(
    cls=_Group,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
    help="Shared-service agreements between public bodies, as an audited record.",
)
@click.version_option(__version__, prog_name="sharedsvc")
@click.pass_context
def cli(ctx: click.Context) -> None:
    ctx.ensure_object(Output)


for _command in (
    *_record.COMMANDS,
    *_read.COMMANDS,
    *_relationship.COMMANDS,
    *_money.COMMANDS,
    *_integrity.COMMANDS,
    *_whatif.COMMANDS,
):
    cli.add_command(_command)


def _usage(error: click.UsageError) -> str:
    """A usage error in one line, with where to find help."""
    ctx = error.ctx
    where = ctx.command_path if ctx is not None else "sharedsvc"
    hint = f" (see '{where} --help')" if ctx is not None else ""
    return f"{where}: {' '.join(error.format_message().split())}{hint}"


def _quiet_stdout() -> None:
    """After the reader of standard output went away: send what is left nowhere, so that
    the interpreter's last flush does not fail too."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, io.UnsupportedOperation):
        pass


def _store_error(error: Exception) -> str | None:
    """One line for a store that cannot be used (not a database, locked, unreachable), or
    None for an error that is not about the store."""
    from eventsourcing.persistence import PersistenceError

    if isinstance(error, PersistenceError | sqlite3.Error):
        cause = " ".join(str(error).split()) or type(error).__name__
        return f"the store cannot be used: {cause}"
    return None


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    """Run the command line; returns the exit code (see the module's docstring)."""
    try:
        cli.main(
            args=list(sys.argv[1:] if argv is None else argv),
            prog_name="sharedsvc",
            standalone_mode=False,
            obj=Output(out),
        )
    except click.exceptions.Exit as done:
        return done.exit_code
    except click.UsageError as error:
        click.echo(_usage(error), err=True)
        return error.exit_code
    except click.ClickException as error:
        click.echo(f"sharedsvc: {' '.join(error.format_message().split())}", err=True)
        return error.exit_code
    except (click.Abort, KeyboardInterrupt):
        click.echo("sharedsvc: interrupted", err=True)
        return INTERRUPTED
    except (_ReaderGone, BrokenPipeError):  # the reader (`head`) stopped reading: not an error
        if out is None:
            _quiet_stdout()
    except SharedServiceError as error:
        click.echo(f"sharedsvc: {' '.join(str(error).split())}", err=True)
        return 1
    except ImportError as error:  # an optional extra (signing, postgres) is not installed
        click.echo(f"sharedsvc: {error}", err=True)
        return 1
    except OSError as error:  # a file that cannot be read or written
        where = f" {error.filename}" if error.filename else ""
        click.echo(f"sharedsvc: cannot use{where}: {error.strerror or error}", err=True)
        return 1
    except Exception as error:
        message = _store_error(error)
        if message is None:
            raise
        click.echo(f"sharedsvc: {message}", err=True)
        return 1
    return 0
