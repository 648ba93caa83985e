"""The plain blocks an audit report is made of (headings, paragraphs, facts, tables, lists),
and how its values are written in them (dates, amounts, shares, decision references).

`sharedsvc.reports.document` decides what the report says; the renderers decide how
these blocks look.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import attrs

from sharedsvc.domain.values import DecisionRef, Money
from sharedsvc.projections.audit_values import summarise_money, summarise_value

__all__ = [
    "NONE",
    "Block",
    "Bullets",
    "Facts",
    "Heading",
    "Paragraph",
    "Table",
    "authority",
    "day",
    "decided",
    "money",
    "percent",
]

NONE = "—"


@attrs.frozen
class Heading:
    """A heading: level 1 is the report's title. ``anchor`` is a stable id for links."""

    level: int
    text: str
    anchor: str | None = None


@attrs.frozen
class Paragraph:
    """A paragraph of plain text."""

    text: str


@attrs.frozen
class Facts:
    """Labelled facts (label, value), shown as a definition list or a two-column table."""

    rows: tuple[tuple[str, str], ...]


@attrs.frozen
class Table:
    """A table with a header row; ``numeric`` names the columns to align right. A cell of
    several lines (a list in one cell) separates them with newlines: each renderer breaks
    the lines its own way."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    numeric: frozenset[int] = frozenset()


@attrs.frozen
class Bullets:
    """A list of plain-text items."""

    items: tuple[str, ...]


Block = Heading | Paragraph | Facts | Table | Bullets


def day(value: date | None) -> str:
    """A date as the trail writes it (ISO 8601), or a dash."""
    return value.isoformat() if value is not None else NONE


def money(value: Money | None) -> str:
    """An amount as the trail writes it (``£125,000.00``), or a dash."""
    return summarise_money(value) if value is not None else NONE


def percent(share: Decimal) -> str:
    """A share of a cost pool: ``33.34%``."""
    return f"{summarise_value(share)}%"


def authority(ref: DecisionRef | None) -> str:
    """A decision reference in words, or a note that none was recorded."""
    return str(ref) if ref is not None else "none recorded"


def decided(verb: str, on: date | None, ref: DecisionRef | None) -> str:
    """An approval or consent in words: ``consented on 2016-01-04, decision Camden Cabinet,
    CAB/7, 2016-01-02``, or ``..., no decision reference`` where it gave none."""
    when = f"{verb} on {day(on)}" if on is not None else verb
    return f"{when}, " + (f"decision {ref}" if ref is not None else "no decision reference")
