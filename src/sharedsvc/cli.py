"""The ``sharedsvc`` command.

Exit codes: 0 done (or intact); 1 refused or tampered (a one-line reason on standard error, no
traceback); 2 usage.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import TextIO
from uuid import UUID

from sharedsvc import __version__
from sharedsvc.application import SharedServices
from sharedsvc.cli_integrity import add_integrity_commands
from sharedsvc.demo import DEMO_DATES, build_shared_digital
from sharedsvc.domain.errors import NotFound, SharedServiceError
from sharedsvc.reports.text import render_compromises, render_partnership

__all__ = ["main"]

DEMO_DB = "sharedsvc-demo.db"
DEFAULT_DB = "sharedsvc.db"


def _remove_sqlite(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def _open(args: argparse.Namespace) -> SharedServices:
    if args.postgres:
        from urllib.parse import urlparse

        url = urlparse(args.postgres)
        return SharedServices.postgres(
            (url.path or "/").lstrip("/") or "postgres",
            host=url.hostname or "127.0.0.1",
            port=url.port or 5432,
            user=url.username or "postgres",
            password=url.password or "",
        )
    if os.environ.get("PERSISTENCE_MODULE") and args.db is None:
        return SharedServices()
    path = Path(args.db or DEFAULT_DB)
    if not path.exists():
        raise NotFound(f"no store at {path}: run 'sharedsvc demo' or pass --db PATH")
    return SharedServices.sqlite(path)


def _find(app: SharedServices, ref: str) -> UUID:
    try:
        return UUID(ref)
    except ValueError:
        pass
    matches = [view.id for view in app.partnerships() if view.name == ref]
    if len(matches) != 1:
        raise NotFound(
            f"{len(matches) or 'no'} partnerships named {ref!r}: "
            + ("pass its id instead" if matches else "check the name with 'sharedsvc show'")
        )
    return matches[0]


def _demo(args: argparse.Namespace, out: TextIO) -> None:
    path = Path(args.db or DEMO_DB)
    _remove_sqlite(path)
    app = SharedServices.sqlite(path)
    try:
        pid = build_shared_digital(app)
        print(f"Recorded the Shared Digital history in {path} (partnership {pid}).\n", file=out)
        for day in DEMO_DATES:
            print(render_partnership(app.partnership(pid, as_of=day)), end="\n\n", file=out)
        print(render_partnership(app.partnership(pid)), end="\n\n", file=out)
        print("Compromises", file=out)
        print(render_compromises(app.compromises(pid)), file=out)
    finally:
        app.close()


def _show(args: argparse.Namespace, out: TextIO) -> None:
    app = _open(args)
    try:
        pid = _find(app, args.partnership)
        view = app.partnership(pid, as_of=args.as_of, known_at=args.known_at)
        print(render_partnership(view), file=out)
    finally:
        app.close()


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2017-06-01") from None


def _datetime(text: str) -> datetime:
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a time like 2018-07-19T12:00:00+00:00"
        ) from None


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sharedsvc",
        description="Shared-service agreements between public bodies, as an audited record.",
    )
    parser.add_argument("--version", action="version", version=f"sharedsvc {__version__}")
    store = argparse.ArgumentParser(add_help=False)
    store.add_argument("--db", metavar="PATH", help=f"SQLite store (default ./{DEFAULT_DB})")
    store.add_argument("--postgres", metavar="URL", help="PostgreSQL store, postgresql://...")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    demo = commands.add_parser(
        "demo", help=f"record the Camden-Islington-Haringey history in ./{DEMO_DB} and show it"
    )
    demo.add_argument("--db", metavar="PATH", help=f"where to record it (default ./{DEMO_DB})")
    demo.set_defaults(run=_demo)
    show = commands.add_parser("show", parents=[store], help="show a partnership")
    show.add_argument("partnership", metavar="PARTNERSHIP", help="its id or its unique name")
    show.add_argument("--as-of", type=_date, metavar="DATE", help="as it legally stood then")
    show.add_argument("--known-at", type=_datetime, metavar="TIME", help="as recorded then")
    show.set_defaults(run=_show)
    add_integrity_commands(commands, store, _open)
    return parser


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    """Run the command line; returns the exit code."""
    args = _parser().parse_args(argv)
    try:
        args.run(args, out or sys.stdout)
    except SharedServiceError as error:
        print(f"sharedsvc: {error}", file=sys.stderr)
        return 1
    except BrokenPipeError:  # the reader (say, `head`) stopped reading: not an error
        sys.stderr.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
