"""The integrity subcommands of ``sharedsvc``: checkpoint, verify, prove, export.

Exit codes follow the command line's: 0 intact (or done), 1 tampered or refused, 2 usage.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TextIO

from sharedsvc.application import SharedServices
from sharedsvc.domain.errors import NotFound, RuleViolation, TamperDetected
from sharedsvc.integrity import Checkpoint, IntegrityReport, read_exported_events, verify_exported
from sharedsvc.integrity.signing import load_private_key, load_public_key

__all__ = ["add_integrity_commands"]

Opener = Callable[[argparse.Namespace], SharedServices]


def _read(path: str, what: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as error:
        raise NotFound(f"cannot read the {what} {path}: {error.strerror}") from None


def _checkpoint_file(path: str) -> Checkpoint:
    return Checkpoint.from_json(_read(path, "checkpoint"))


@contextmanager
def _output(path: str | None, out: TextIO) -> Iterator[TextIO]:
    if path is None:
        yield out
        return
    with open(path, "w", encoding="utf-8") as file:
        yield file


def _progress(stream: TextIO) -> Callable[[int], None] | None:
    """A one-line counter on a terminal, nothing in a pipe or a file."""
    if not stream.isatty():
        return None

    def show(count: int) -> None:
        print(f"\r  {count:,} events checked", end="", file=stream, flush=True)

    return show


def _conclude(report: IntegrityReport, out: TextIO) -> None:
    print(report, file=out)
    if not report.ok:
        first = report.problems[0] if report.problems else None
        count = len(report.problems) + report.omitted
        raise TamperDetected(f"TAMPERED: {count} problem(s); first: {first}", report)


def _signature_checked(checkpoint: Checkpoint, public_key: str | None) -> Checkpoint:
    if public_key is not None and not checkpoint.verify_signature(
        load_public_key(_read(public_key, "public key"))
    ):
        raise TamperDetected("the checkpoint's signature does not verify with that public key")
    return checkpoint


def _checkpoint(args: argparse.Namespace, out: TextIO, open_app: Opener) -> None:
    key = None if args.sign_key is None else load_private_key(_read(args.sign_key, "key"))
    app = open_app(args)
    try:
        checkpoint = app.checkpoint(sign_with=key)
    finally:
        app.close()
    with _output(args.output, out) as target:
        print(checkpoint.to_json(), file=target)


def _verify(args: argparse.Namespace, out: TextIO, open_app: Opener) -> None:
    checkpoint = None
    if args.checkpoint is not None:
        checkpoint = _signature_checked(_checkpoint_file(args.checkpoint), args.public_key)
    elif args.public_key is not None:
        raise RuleViolation("invalid", "--public-key checks a checkpoint: pass --checkpoint FILE")
    if args.events is not None:
        if checkpoint is None:
            raise RuleViolation("invalid", "verifying an export needs --checkpoint FILE")
        try:
            lines = open(args.events, encoding="utf-8")  # noqa: SIM115 - closed just below
        except OSError as error:
            raise NotFound(f"cannot read the export {args.events}: {error.strerror}") from None
        with lines:
            report = verify_exported(read_exported_events(lines), checkpoint)
        _conclude(report, out)
        return
    app = open_app(args)
    try:
        report = app.verify(against=checkpoint, progress=_progress(sys.stderr))
    finally:
        app.close()
        if sys.stderr.isatty():
            print(file=sys.stderr)
    _conclude(report, out)


def _prove(args: argparse.Namespace, out: TextIO, open_app: Opener) -> None:
    checkpoint = _checkpoint_file(args.checkpoint)
    app = open_app(args)
    try:
        proof = app.prove(args.position, checkpoint)
    finally:
        app.close()
    with _output(args.output, out) as target:
        print(proof.to_json(), file=target)


def _export(args: argparse.Namespace, out: TextIO, open_app: Opener) -> None:
    app = open_app(args)
    try:
        with _output(args.output, out) as target:
            count = app.export_events(target)
    finally:
        app.close()
    if args.output is not None:
        print(f"Exported {count} events to {args.output}.", file=out)


def add_integrity_commands(commands: Any, store: argparse.ArgumentParser, open_app: Opener) -> None:
    """Add ``checkpoint``, ``verify``, ``prove`` and ``export`` to the subcommands."""

    def runs(command: Callable[[argparse.Namespace, TextIO, Opener], None]) -> Any:
        return lambda args, out: command(args, out, open_app)

    checkpoint = commands.add_parser(
        "checkpoint",
        parents=[store],
        help="log the store's events and print its checkpoint (size, root, time) as JSON",
    )
    checkpoint.add_argument("--output", metavar="FILE", help="write it to FILE")
    checkpoint.add_argument(
        "--sign-key", metavar="FILE", help="sign it with this Ed25519 private key (PEM)"
    )
    checkpoint.set_defaults(run=runs(_checkpoint))

    verify = commands.add_parser(
        "verify",
        parents=[store],
        help="check the store (against a checkpoint: that nothing it covers was altered)",
    )
    verify.add_argument("--checkpoint", metavar="FILE", help="a checkpoint written earlier")
    verify.add_argument(
        "--public-key", metavar="FILE", help="first check the checkpoint's signature (PEM)"
    )
    verify.add_argument(
        "--events",
        metavar="FILE",
        help="verify an export of the events (from 'sharedsvc export') instead of a store",
    )
    verify.set_defaults(run=runs(_verify))

    prove = commands.add_parser(
        "prove",
        parents=[store],
        help="print the inclusion proof of the event at POSITION as JSON",
    )
    prove.add_argument("position", type=int, metavar="POSITION", help="its global position")
    prove.add_argument("--checkpoint", metavar="FILE", required=True, help="the checkpoint")
    prove.add_argument("--output", metavar="FILE", help="write it to FILE")
    prove.set_defaults(run=runs(_prove))

    export = commands.add_parser(
        "export",
        parents=[store],
        help="write the stored events, as stored, one JSON line each (for offline checks)",
    )
    export.add_argument("--output", metavar="FILE", help="write them to FILE")
    export.set_defaults(run=runs(_export))
