"""The integrity commands: ``checkpoint``, ``verify`` and ``prove``."""

from __future__ import annotations

from pathlib import Path

import click

from sharedsvc.cli._options import opened, store_options
from sharedsvc.cli._output import Output, progress, writing_to
from sharedsvc.cli._refs import InputFile, OutputFile
from sharedsvc.domain.errors import NotFound, RuleViolation, TamperDetected
from sharedsvc.integrity import Checkpoint, IntegrityReport, read_exported_events, verify_exported
from sharedsvc.integrity.signing import load_private_key, load_public_key

__all__ = ["COMMANDS"]


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


@click.command(
    short_help="Take a checkpoint to publish.",
    help="Log the store's events and print its checkpoint (size, root, time) as JSON.",
)
@click.option("--output", type=OutputFile(), metavar="FILE", help="write it to FILE")
@click.option(
    "--sign-key",
    type=InputFile(),
    metavar="FILE",
    help="sign it with this Ed25519 private key (PEM)",
)
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
    with opened(ctx) as app:
        made = app.checkpoint(sign_with=key)
    with writing_to(output, ctx.obj) as target:
        target.write(made.to_json() + "\n")
    if output is not None:
        signed = ", signed" if made.signature is not None else ""
        ctx.obj.echo(
            f"Wrote the checkpoint of {made.size} events (root {made.root.hex()[:16]}..."
            f"{signed}) to {output}."
        )


@click.command(
    short_help="Check the record for tampering.",
    help="Check the store; against a checkpoint, that nothing it covers was altered.",
)
@click.option(
    "--checkpoint",
    "checkpoint_file",
    type=InputFile(),
    metavar="FILE",
    help="a checkpoint taken earlier",
)
@click.option(
    "--public-key",
    type=InputFile(),
    metavar="FILE",
    help="first check the checkpoint's signature (PEM)",
)
@click.option(
    "--events",
    type=InputFile(),
    metavar="FILE",
    help="verify an export (sharedsvc export), not a store",
)
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
    with opened(ctx) as app, progress("verifying", app.highest_position()) as advance:
        report = app.verify(against=against, progress=advance)
    _conclude(report, ctx.obj)


@click.command(
    short_help="Prove one event is in a checkpoint.",
    help="Print the inclusion proof of the event at POSITION as JSON.",
)
@click.argument("position", type=click.IntRange(min=1))
@click.option("--checkpoint", "checkpoint_file", type=InputFile(), metavar="FILE", required=True)
@click.option("--output", type=OutputFile(), metavar="FILE", help="write it to FILE")
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
    with opened(ctx) as app:
        proof = app.prove(position, against)
    with writing_to(output, ctx.obj) as target:
        target.write(proof.to_json() + "\n")
    if output is not None:
        ctx.obj.echo(f"Wrote the proof of the event at position {position} to {output}.")


COMMANDS = (checkpoint, verify, prove)
