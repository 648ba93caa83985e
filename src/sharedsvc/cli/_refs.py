"""What the commands' arguments name: a PARTNERSHIP (its id, the first characters of its id,
or its name), a date, a time, a file to read and a file to write."""

from __future__ import annotations

import os
from datetime import date, datetime
from pathlib import Path
from typing import Any
from uuid import UUID

import click

from sharedsvc.application import SharedServices
from sharedsvc.domain.errors import NotFound, RuleViolation
from sharedsvc.domain.parties import party_id
from sharedsvc.projections.listing import PartnershipSummary
from sharedsvc.reports.wording import short_id

__all__ = [
    "MIN_PREFIX",
    "InputFile",
    "OutputFile",
    "as_date",
    "as_moment",
    "as_party",
    "find_partnership",
]

MIN_PREFIX = 4
"""The fewest characters of an id accepted as its prefix (reports print eight)."""

_HEX = frozenset("0123456789abcdef")
_SHOWN = 5


def _is_prefix(ref: str, uid: UUID) -> bool:
    lowered = ref.lower()
    return str(uid).startswith(lowered) or uid.hex.startswith(lowered.replace("-", ""))


def _candidates(found: list[PartnershipSummary]) -> str:
    named = [f"{short_id(summary.id)} ({summary.name})" for summary in found[:_SHOWN]]
    more = len(found) - _SHOWN
    return ", ".join(named) + (f" and {more} more" if more > 0 else "")


def find_partnership(app: SharedServices, ref: str) -> UUID:
    """The id of the partnership ``ref`` names: its id, a unique prefix of its id (at least
    `MIN_PREFIX` characters), or its name if no other has it. Asks the read models' index
    of partnerships where the store keeps one (`SharedServices.partnerships_matching`).

    Raises:
        NotFound: nothing has that id or name, or more than one partnership matches (the
            message lists them).
    """
    try:
        return UUID(ref)
    except ValueError:
        pass
    cleaned = ref.strip().lower()
    prefix = ""
    if len(cleaned.replace("-", "")) >= MIN_PREFIX and set(cleaned) <= _HEX | {"-"}:
        prefix = cleaned
    found = app.partnerships_matching(ref, id_prefix=prefix)
    named = [summary for summary in found if summary.name == ref]
    prefixed = [summary for summary in found if prefix and _is_prefix(prefix, summary.id)]
    matches = list({summary.id: summary for summary in [*named, *prefixed]}.values())
    if len(matches) == 1:
        return matches[0].id
    if not matches:
        raise NotFound(
            f"no partnership has the name or id {ref!r}: list them with 'sharedsvc list'"
        )
    what = "name" if named and not prefixed else "name or id"
    raise NotFound(
        f"{len(matches)} partnerships match the {what} {ref!r}: {_candidates(matches)}; "
        "give more of the id"
    )


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


def as_party(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """An argument's value as a party id (a lowercase slug such as ``camden``)."""
    if value is None:
        return None
    try:
        return party_id(value)
    except RuleViolation:
        raise click.BadParameter(
            f"{value!r} is not a party id: use a lowercase slug such as 'camden'"
        ) from None


class InputFile(click.Path):
    """A file to read: it must exist, be a file and be readable (click's own checks)."""

    def __init__(self) -> None:
        super().__init__(exists=True, dir_okay=False, readable=True)


class OutputFile(click.Path):
    """A file to write: not a folder, and in a folder that exists."""

    name = "file"

    def __init__(self) -> None:
        super().__init__(dir_okay=False, writable=True)

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        path = super().convert(value, param, ctx)
        folder = Path(os.fsdecode(path)).parent
        if not folder.is_dir():
            self.fail(f"there is no folder {str(folder)!r} to write {str(path)!r} in", param, ctx)
        return path
