"""The commands that read how a partnership's members stand with each other: ``readiness``,
``obligations`` and ``balance`` (of one partnership) and ``sovereignty`` (of one council,
across every partnership in the store).

Each writes a table, or with ``--json`` one JSON object whose keys are listed in its help:
dates are ISO 8601 strings (``"2016-06-01"``), decimal numbers strings (``"2.3"``), a decision
reference an object of ``body``, ``reference`` and ``decided_on`` (or ``null``). The object
names what was read (``partnership`` and its ``name``, or ``party``) and the date it was read
on (``as_of``: for obligations and balance, today when no ``--as-of`` is given)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

import click

from sharedsvc.application import SharedServices
from sharedsvc.cli._options import opened, store_options
from sharedsvc.cli._output import Output
from sharedsvc.cli._refs import as_date, as_party, find_partnership
from sharedsvc.domain.errors import NotFound
from sharedsvc.domain.readiness import Readiness
from sharedsvc.projections.balance import Balance
from sharedsvc.projections.obligations import Obligation
from sharedsvc.projections.sovereignty import SovereigntyEntry
from sharedsvc.reports.exports import json_value
from sharedsvc.reports.wording import short_id

__all__ = ["COMMANDS", "STATUSES"]

STATUSES = ("open", "met", "overdue", "lapsed")
"""The statuses an obligation can have, as ``--status`` takes them."""

NONE = "-"
"""What a table's cell says where there is nothing (no party, not met, no end)."""

_JSON = click.option("--json", "as_json", is_flag=True, help="write JSON instead of a table")
_AS_OF = click.option(
    "--as-of", metavar="DATE", callback=as_date, help="as it stood on DATE (default: today)"
)


def _day(value: date | None) -> str:
    return NONE if value is None else value.isoformat()


def _counts(counts: Mapping[str, int]) -> str:
    """``{"camden": 2, "islington": 1}`` as ``camden 2, islington 1``."""
    return ", ".join(f"{party} {count}" for party, count in counts.items()) or NONE


def _readiness_json(record: Readiness) -> dict[str, Any]:
    return {
        "party": record.party,
        "by": record.by,
        "on": record.on.isoformat(),
        "scores": dict(record.scores),
        "overall": str(record.overall),
        "ref": json_value(record.ref),
    }


def _readiness_row(record: Readiness) -> tuple[str, ...]:
    scores = ", ".join(f"{area} {score}" for area, score in record.scores.items())
    return (record.party, record.by, record.on.isoformat(), str(record.overall), scores)


@click.command(
    short_help="Show how ready each party says it is.",
    help="Show each party's latest readiness assessment (as it stood on --as-of): who assessed "
    "it and when, its overall score (the mean of the areas it scored, to one decimal place) and "
    "its score in each area, from 0 to 5. With --trend, every assessment, oldest first, of "
    "--party only and scoring --area only when given. With --json: an object of partnership, "
    "name, as_of and readiness (party -> party, by, on, scores, overall, ref), or with --trend "
    "assessments (a list of the same objects).",
)
@click.argument("partnership")
@click.option(
    "--as-of", metavar="DATE", callback=as_date, help="as it stood on DATE (default: as it stands)"
)
@click.option("--trend", is_flag=True, help="every assessment, not only each party's latest")
@click.option("--party", metavar="PARTY", help="with --trend: only this party's assessments")
@click.option("--area", metavar="AREA", help="with --trend: only assessments that scored AREA")
@_JSON
@store_options
@click.pass_context
def readiness(
    ctx: click.Context,
    partnership: str,
    as_of: date | None,
    trend: bool,
    party: str | None,
    area: str | None,
    as_json: bool,
    db: str | None,
    postgres: str | None,
) -> None:
    if not trend and (party is not None or area is not None):
        raise click.UsageError("--party and --area choose among assessments: add --trend", ctx)
    out: Output = ctx.obj
    with opened(ctx) as app:
        pid = find_partnership(app, partnership)
        name = app.partnership(pid, as_of=as_of).name
        if trend:
            records = app.readiness_trend(pid, party=party, area=area, as_of=as_of)
        else:
            records = list(app.readiness(pid, as_of=as_of).values())
    if as_json:
        head = {"partnership": str(pid), "name": name, "as_of": json_value(as_of)}
        if trend:
            out.json({**head, "assessments": [_readiness_json(record) for record in records]})
        else:
            out.json({**head, "readiness": {r.party: _readiness_json(r) for r in records}})
        return
    if not records:
        out.echo(f"No readiness assessed in {name}{_until(as_of)}.")
        return
    out.table(
        ("party", "by", "on", "overall", "scores"),
        [_readiness_row(record) for record in records],
        whole=("party", "by", "on", "overall"),
    )


def _until(as_of: date | None) -> str:
    return "" if as_of is None else f" by {as_of.isoformat()}"


def _obligation_json(obligation: Obligation) -> dict[str, Any]:
    return {
        "kind": obligation.kind,
        "party": obligation.party,
        "due": obligation.due.isoformat(),
        "status": obligation.status,
        "source": obligation.source,
        "met_on": json_value(obligation.met_on),
        "late": obligation.late,
    }


def _obligation_row(obligation: Obligation) -> tuple[str, ...]:
    state = f"{obligation.status} (late)" if obligation.late else obligation.status
    return (
        obligation.due.isoformat(),
        obligation.kind,
        obligation.party or NONE,
        state,
        _day(obligation.met_on),
        str(obligation.source),
    )


@click.command(
    short_help="List what the parties must do, and by when.",
    help="List the obligations the record gives the parties (complete a withdrawal, pay exit "
    "costs, escalate or settle a dispute, answer a proposed handover, meet a target...), as "
    "they stand on --as-of (default: today), by due date: each with whose it is, its status "
    "(open, met, overdue or lapsed; met late says so), when it was met and the position in the "
    "log of the act it came from (as 'sharedsvc audit' shows it). --status shows only those "
    "with that status (repeat it for several). With --json: an object of partnership, name, "
    "as_of and obligations (a list of kind, party, due, status, source, met_on, late).",
)
@click.argument("partnership")
@_AS_OF
@click.option(
    "--status",
    "statuses",
    type=click.Choice(STATUSES),
    multiple=True,
    help="only obligations with this status (repeatable)",
)
@_JSON
@store_options
@click.pass_context
def obligations(
    ctx: click.Context,
    partnership: str,
    as_of: date | None,
    statuses: Sequence[str],
    as_json: bool,
    db: str | None,
    postgres: str | None,
) -> None:
    out: Output = ctx.obj
    with opened(ctx) as app:
        pid = find_partnership(app, partnership)
        name = app.partnership(pid).name
        day = as_of or date.today()
        found = app.obligations(pid, as_of=day)
    chosen = [item for item in found if not statuses or item.status in statuses]
    if as_json:
        out.json(
            {
                "partnership": str(pid),
                "name": name,
                "as_of": day.isoformat(),
                "obligations": [_obligation_json(item) for item in chosen],
            }
        )
        return
    if not chosen:
        which = " or ".join(dict.fromkeys(statuses))
        out.echo(f"No {which + ' ' if which else ''}obligations in {name} on {day.isoformat()}.")
        return
    out.table(
        ("due", "kind", "party", "status", "met on", "source"),
        [_obligation_row(item) for item in chosen],
        whole=("due", "kind", "party", "met on", "source"),
    )


def _balance_json(balance: Balance) -> dict[str, Any]:
    return {
        "conceded": balance.conceded,
        "conceded_to": dict(balance.conceded_to),
        "received_from": dict(balance.received_from),
        "ceded": balance.ceded,
        "kept": balance.kept,
        "missed": balance.missed,
        "disputes_raised": balance.disputes_raised,
    }


def _balance_row(party: str, balance: Balance) -> tuple[str, ...]:
    return (
        party,
        str(balance.conceded),
        _counts(balance.conceded_to),
        _counts(balance.received_from),
        str(balance.ceded),
        str(balance.kept),
        str(balance.missed),
        str(balance.disputes_raised),
    )


@click.command(
    short_help="Show what each party gave and kept.",
    help="Show each party's balance in a partnership (every party it ever had) on --as-of "
    "(default: today): the concessions it made, to whom (the proposer of the act it conceded "
    "in) and received from whom, the functions it ceded, its obligations kept (met by their "
    "due date) and missed (overdue or met late), and the disputes it raised. With --json: an "
    "object of partnership, name, as_of and balance (party -> conceded, conceded_to, "
    "received_from, ceded, kept, missed, disputes_raised).",
)
@click.argument("partnership")
@_AS_OF
@_JSON
@store_options
@click.pass_context
def balance(
    ctx: click.Context,
    partnership: str,
    as_of: date | None,
    as_json: bool,
    db: str | None,
    postgres: str | None,
) -> None:
    out: Output = ctx.obj
    with opened(ctx) as app:
        pid = find_partnership(app, partnership)
        name = app.partnership(pid).name
        day = as_of or date.today()
        balances = app.balance(pid, as_of=day)
    if as_json:
        out.json(
            {
                "partnership": str(pid),
                "name": name,
                "as_of": day.isoformat(),
                "balance": {party: _balance_json(item) for party, item in balances.items()},
            }
        )
        return
    out.table(
        ("party", "conceded", "to", "received from", "ceded", "kept", "missed", "disputes"),
        [_balance_row(party, item) for party, item in balances.items()],
        whole=("party", "conceded", "ceded", "kept", "missed", "disputes"),
    )


def _entry_json(entry: SovereigntyEntry) -> dict[str, Any]:
    return {
        "partnership_id": str(entry.partnership_id),
        "partnership": entry.partnership,
        "stage": entry.stage.value,
        "function": json_value(entry.function),
        "status": entry.status,
        "from_party": entry.from_party,
        "since": entry.since.isoformat(),
        "until": json_value(entry.until),
    }


def _entry_row(entry: SovereigntyEntry) -> tuple[str, ...]:
    return (
        short_id(entry.partnership_id),
        entry.partnership,
        entry.stage.value,
        f"{entry.function.id} ({entry.function.name})",
        entry.status,
        entry.from_party or NONE,
        entry.since.isoformat(),
        _day(entry.until),
    )


def _check_known(app: SharedServices, party: str) -> None:
    """Refuse a party that no partnership in the store ever had (a mistyped id, most likely)."""
    if not any(party in view.parties for view in app.partnerships()):
        raise NotFound(
            f"no partnership in the store has or had the party {party!r}: "
            "'sharedsvc list' shows the partnerships and their parties"
        )


@click.command(
    short_help="Show what a council ceded, got back, inherited and hosts.",
    help="Show a council's sovereignty map across every partnership in the store: each "
    "function it ceded (to which partnership, from when), got back (until when), inherited "
    "through a succession, or holds for another council as host (whose share: 'of'); with "
    "each partnership's name and stage as they stand. PARTY is a party id ('camden'). With "
    "--json: an object of party and entries (a list of partnership_id, partnership, stage, "
    "function, status, from_party, since, until).",
)
@click.argument("party", callback=as_party)
@_JSON
@store_options
@click.pass_context
def sovereignty(
    ctx: click.Context, party: str, as_json: bool, db: str | None, postgres: str | None
) -> None:
    out: Output = ctx.obj
    with opened(ctx) as app:
        _check_known(app, party)
        found = app.sovereignty(party)
    if as_json:
        out.json({"party": found.party, "entries": [_entry_json(e) for e in found.entries]})
        return
    if not found.entries:
        out.echo(f"{party} has nothing ceded, returned, inherited or hosted.")
        return
    out.table(
        ("id", "partnership", "stage", "function", "status", "of", "since", "until"),
        [_entry_row(entry) for entry in found.entries],
        whole=("id", "stage", "status", "of", "since", "until"),
    )


COMMANDS = (readiness, obligations, balance, sovereignty)
