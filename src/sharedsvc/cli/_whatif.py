"""The ``whatif`` command: a partnership forked at a date, a file's acts taken on the fork,
the record's later acts replayed there, and how the fork then differs from the record.

The file holds ``[[acts]]`` tables only, written as a scenario's acts are (see the how-to
*Ask what if*); its acts may name the partnership's variations, handovers and disputes by the
labels ``sharedsvc export`` or a saved scenario gives them (``v1``, ``h1``, ``d1``...). Nothing
is written to the store."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import click

from sharedsvc.cli._errors import Refused
from sharedsvc.cli._options import opened, store_options
from sharedsvc.cli._output import Output
from sharedsvc.cli._refs import InputFile, as_date, find_partnership
from sharedsvc.reports.exports import json_value
from sharedsvc.scenario import loads_acts
from sharedsvc.whatif import Comparison, Replayed

__all__ = ["COMMANDS"]


def _read(path: str) -> str:
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        raise Refused(f"cannot read {path}: {error.strerror}") from None
    try:
        return data.decode("utf-8").replace("\r\n", "\n")
    except UnicodeDecodeError as error:
        raise Refused(
            f"{path} is not UTF-8 text (byte {error.start} is {data[error.start]:#04x}): "
            "save it as UTF-8"
        ) from None


def _on(replayed: Replayed) -> str:
    act: Any = replayed.act
    return str(act.on.isoformat())


def _replayed_json(replayed: Replayed) -> dict[str, Any]:
    return {
        "position": replayed.position,
        "act": replayed.act.verb,
        "on": _on(replayed),
        "outcome": replayed.outcome,
    }


def _write_text(
    out: Output, title: str, replayed: list[Replayed] | None, comparison: Comparison
) -> None:
    out.echo(title)
    if replayed is not None:
        refused = [r for r in replayed if r.outcome != "ok"]
        out.echo(
            f"Replayed {len(replayed)} later act(s) of the record: "
            f"{len(replayed) - len(refused)} stand, {len(refused)} no longer stand."
        )
        if refused:
            rows = [(str(r.position), r.act.verb, _on(r), r.outcome) for r in refused]
            out.table(("position", "act", "on", "refused by"), rows, whole=("position", "act"))
    when = "as it stands" if comparison.as_of is None else f"on {comparison.as_of.isoformat()}"
    if comparison.same:
        out.echo(f"The fork and the record agree {when}.")
        return
    out.echo(f"Differences {when} (record -> fork):")
    for difference in comparison.differences:
        out.echo(f"  {difference}")


@click.command(
    short_help="Ask what if: fork a partnership, take a file's acts, compare.",
    help="Fork PARTNERSHIP as it stood on --at DATE (its history dated on or before it, in "
    "memory), take the acts of ACTS (a TOML file of [[acts]] tables, written as a scenario's "
    "acts; they may name the partnership's variations, handovers and disputes v1, h1, d1... "
    "as a saved scenario does, and are dated on or after DATE), replay the record's later "
    "acts on the fork (not with --no-replay), and show which of them no longer stand and how "
    "the partnership then differs from the record, field by field (as it stands, or on "
    "--as-of). Nothing is written to the store. With --json: an object of partnership, name, "
    "at, acts (how many the file had), replayed (a list of position, act, on, outcome: 'ok' "
    "or the rule that refused it; null with --no-replay) and comparison (as_of and "
    "differences: a list of field, base, fork).",
)
@click.argument("partnership")
@click.argument("acts", metavar="SCENARIO", type=InputFile())
@click.option(
    "--at", "at", metavar="DATE", callback=as_date, required=True, help="fork as it stood on DATE"
)
@click.option("--as-of", metavar="DATE", callback=as_date, help="compare as both stood on DATE")
@click.option("--no-replay", is_flag=True, help="do not replay the record's later acts")
@click.option("--json", "as_json", is_flag=True, help="write JSON instead of text")
@store_options
@click.pass_context
def whatif(
    ctx: click.Context,
    partnership: str,
    acts: str,
    at: date,
    as_of: date | None,
    no_replay: bool,
    as_json: bool,
    db: str | None,
    postgres: str | None,
) -> None:
    out: Output = ctx.obj
    text = _read(acts)
    with opened(ctx) as app:
        pid = find_partnership(app, partnership)
        name = app.partnership(pid).name
        fork = app.fork(pid, at=at)
        try:
            taken = loads_acts(fork, pid, text, name=acts, labelled=app)
            replayed = None if no_replay else fork.replay_rest()
            comparison = app.compare(pid, fork, as_of=as_of)
        finally:
            fork.close()
    if as_json:
        out.json(
            {
                "partnership": str(pid),
                "name": name,
                "at": at.isoformat(),
                "acts": taken,
                "replayed": None if replayed is None else list(map(_replayed_json, replayed)),
                "comparison": {
                    "as_of": json_value(comparison.as_of),
                    "differences": comparison.as_data()["differences"],
                },
            }
        )
        return
    title = f"What if: {name}, forked on {at.isoformat()}, with {taken} act(s) of {acts}."
    _write_text(out, title, replayed, comparison)


COMMANDS = (whatif,)
