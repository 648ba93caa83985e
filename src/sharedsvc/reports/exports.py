"""The audit trail and the compromise ledger as CSV and JSON Lines, streamed.

Each writer takes an iterable (so a trail read lazily with
[`iter_audit_trail`][sharedsvc.SharedServices.iter_audit_trail] is never held in memory) and a text
file, writes one row or line per entry as it goes, and returns how many it wrote.

* **CSV** (through the `csv` module, with a header row): open the file with
  ``newline=""``, as the `csv` module asks. Values are text: dates in ISO 8601, amounts
  and terms as the audit trail writes them (``£125,000.00``), the decision reference in three
  columns.
* **JSON Lines**: one JSON object per line, in UTF-8 text. Dates and times are ISO 8601
  strings, ``Decimal`` numbers strings (so no digit is lost), ids strings, enums their value,
  and value objects (a [`DecisionRef`][sharedsvc.DecisionRef], [`Money`][sharedsvc.Money],
  [`CostPool`][sharedsvc.CostPool], [`Notice`][sharedsvc.Notice]...) objects of their fields: see
  [`json_value`][sharedsvc.reports.json_value].
"""

from __future__ import annotations

import csv
import enum
import json
from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any, TextIO
from uuid import UUID

import attrs

from sharedsvc.domain.values import DecisionRef
from sharedsvc.projections.audit import AuditEntry
from sharedsvc.projections.audit_values import summarise_value
from sharedsvc.projections.compromises import CompromiseEntry

__all__ = [
    "COMPROMISE_COLUMNS",
    "TRAIL_COLUMNS",
    "Ledger",
    "json_value",
    "ledger_entries",
    "write_compromises_csv",
    "write_compromises_jsonl",
    "write_trail_csv",
    "write_trail_jsonl",
]

TRAIL_COLUMNS = (
    "position",
    "on",
    "recorded_at",
    "aggregate",
    "aggregate_id",
    "version",
    "event",
    "actor",
    "ref_body",
    "ref_reference",
    "ref_decided_on",
    "unreferenced",
    "summary",
)
"""The header row of [`write_trail_csv`][sharedsvc.reports.write_trail_csv]."""

COMPROMISE_COLUMNS = (
    "party",
    "kind",
    "subject",
    "wanted",
    "accepted",
    "rationale",
    "ref_body",
    "ref_reference",
    "ref_decided_on",
    "on",
    "position",
    "event",
    "source",
)
"""The header row of [`write_compromises_csv`][sharedsvc.reports.write_compromises_csv]."""

Ledger = Mapping[str, Iterable[CompromiseEntry]] | Iterable[CompromiseEntry]
"""A compromise ledger as [`compromises`][sharedsvc.SharedServices.compromises] returns it (party ->
entries), or its entries in any iterable."""


def json_value(value: Any) -> Any:
    """``value`` in a form `json.dumps` writes faithfully.

    ``None``, booleans, integers and strings stay as they are; ``Decimal`` becomes its exact
    string (``"33.34"``); dates and datetimes ISO 8601 strings; a ``UUID`` its string; an enum
    its value (``"joint-committee"``); a value object (any attrs class) an object of its fields
    (``Money("5")`` is ``{"amount": "5", "currency": "GBP"}``); mappings objects with string
    keys; sequences and sets lists."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):  # a datetime is a date too
        return value.isoformat()
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, enum.Enum):
        return json_value(value.value)
    if attrs.has(type(value)):
        return {f.name: json_value(getattr(value, f.name)) for f in attrs.fields(type(value))}
    if isinstance(value, Mapping):
        return {str(key): json_value(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [json_value(item) for item in value]
    if isinstance(value, set | frozenset):
        items = [json_value(item) for item in value]
        return sorted(items, key=lambda item: json.dumps(item, sort_keys=True))
    if isinstance(value, float):
        return value
    return str(value)


def _ref_cells(ref: DecisionRef | None) -> list[str]:
    if ref is None:
        return ["", "", ""]
    return [ref.body, ref.reference, ref.decided_on.isoformat()]


def _line(file: TextIO, record: Mapping[str, Any]) -> None:
    file.write(json.dumps(record, ensure_ascii=False) + "\n")


# --- the audit trail --------------------------------------------------------------------------


def trail_record(entry: AuditEntry) -> dict[str, Any]:
    """One audit entry as the JSON object [`write_trail_jsonl`][sharedsvc.reports.write_trail_jsonl]
    writes."""
    return {
        "position": entry.position,
        "on": entry.on.isoformat(),
        "recorded_at": entry.recorded_at.isoformat(),
        "aggregate": entry.aggregate,
        "aggregate_id": str(entry.aggregate_id),
        "version": entry.version,
        "event": entry.event,
        "actor": entry.actor,
        "ref": json_value(entry.ref),
        "unreferenced": entry.unreferenced,
        "summary": entry.summary,
    }


def write_trail_csv(entries: Iterable[AuditEntry], file: TextIO) -> int:
    """Write the audit entries as CSV (a header row of `TRAIL_COLUMNS`, then one row an
    entry); returns the number of entries written."""
    writer = csv.writer(file)
    writer.writerow(TRAIL_COLUMNS)
    count = 0
    for e in entries:
        writer.writerow(
            [
                e.position,
                e.on.isoformat(),
                e.recorded_at.isoformat(),
                e.aggregate,
                str(e.aggregate_id),
                e.version,
                e.event,
                e.actor or "",
                *_ref_cells(e.ref),
                "yes" if e.unreferenced else "no",
                e.summary,
            ]
        )
        count += 1
    return count


def write_trail_jsonl(entries: Iterable[AuditEntry], file: TextIO) -> int:
    """Write the audit entries as JSON Lines (`trail_record` each); returns the number
    of entries written."""
    count = 0
    for entry in entries:
        _line(file, trail_record(entry))
        count += 1
    return count


# --- the compromise ledger --------------------------------------------------------------------


def ledger_entries(ledger: Ledger) -> Iterable[CompromiseEntry]:
    """The entries of a ledger, party by party (a mapping) or in the order given."""
    if isinstance(ledger, Mapping):
        return (entry for entries in ledger.values() for entry in entries)
    return ledger


def compromise_record(entry: CompromiseEntry) -> dict[str, Any]:
    """One compromise as the JSON object
    [`write_compromises_jsonl`][sharedsvc.reports.write_compromises_jsonl] writes: ``wanted`` and
    ``accepted`` in their JSON form ([`json_value`][sharedsvc.reports.json_value]), besides their
    wording."""
    return {
        "party": entry.party,
        "kind": entry.kind,
        "subject": entry.subject,
        "wanted": json_value(entry.wanted),
        "accepted": json_value(entry.accepted),
        "wanted_text": summarise_value(entry.wanted),
        "accepted_text": summarise_value(entry.accepted),
        "rationale": entry.rationale,
        "ref": json_value(entry.ref),
        "on": entry.on.isoformat(),
        "position": entry.position,
        "event": entry.event,
        "source": str(entry.source),
    }


def write_compromises_csv(ledger: Ledger, file: TextIO) -> int:
    """Write the ledger's compromises as CSV (a header row of `COMPROMISE_COLUMNS`, then
    one row each, ``wanted`` and ``accepted`` in words); returns the number written."""
    writer = csv.writer(file)
    writer.writerow(COMPROMISE_COLUMNS)
    count = 0
    for e in ledger_entries(ledger):
        writer.writerow(
            [
                e.party,
                e.kind,
                e.subject,
                summarise_value(e.wanted),
                summarise_value(e.accepted),
                e.rationale or "",
                *_ref_cells(e.ref),
                e.on.isoformat(),
                e.position,
                e.event,
                str(e.source),
            ]
        )
        count += 1
    return count


def write_compromises_jsonl(ledger: Ledger, file: TextIO) -> int:
    """Write the ledger's compromises as JSON Lines (`compromise_record` each); returns
    the number written."""
    count = 0
    for entry in ledger_entries(ledger):
        _line(file, compromise_record(entry))
        count += 1
    return count
