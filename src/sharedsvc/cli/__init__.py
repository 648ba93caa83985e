"""The ``sharedsvc`` command (built with click).

Every command that reads a store takes ``--db PATH`` (SQLite, default ``./sharedsvc.db``) or
``--postgres URL``; without either, eventsourcing's environment variables
(``PERSISTENCE_MODULE`` ...) choose the store when they are set. A PARTNERSHIP is its id or its
unique name.

Exit codes: 0 done (or intact); 1 refused or tampered (a one-line reason on standard error, no
traceback); 2 usage. Long work (replay, verify, export) shows a progress bar on a terminal and
stays quiet in a pipe.

The commands live in private modules by what they do: ``_record`` (demo, load), ``_read``
(list, show, audit, compromises, timeline, export, replay, follow) and ``_integrity``
(checkpoint, verify, prove), over the shared store options (``_options``) and output helpers
(``_output``). This module makes the group of them and runs it: `main`.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TextIO

import click

from sharedsvc import __version__
from sharedsvc.cli import _integrity, _read, _record
from sharedsvc.cli._output import Output
from sharedsvc.domain.errors import SharedServiceError

__all__ = ["cli", "main"]


@click.group(
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
    help="Shared-service agreements between public bodies, as an audited record.",
)
@click.version_option(__version__, prog_name="sharedsvc")
@click.pass_context
def cli(ctx: click.Context) -> None:
    ctx.ensure_object(Output)


for _command in (*_record.COMMANDS, *_read.COMMANDS, *_integrity.COMMANDS):
    cli.add_command(_command)


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
