"""Plain-text renderings of a partnership, for terminals and logs."""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from sharedsvc.domain.records import Variation
from sharedsvc.domain.values import CostPool, Function, Money, Notice, Party, Rung, Stage
from sharedsvc.domain.views import PartnershipView
from sharedsvc.projections.audit import AuditEntry
from sharedsvc.projections.compromises import CompromiseEntry
from sharedsvc.projections.ledger import kept_by
from sharedsvc.reports.wording import money, status, subject

__all__ = [
    "ceded_function",
    "ceded_status",
    "describe_value",
    "partnership_rows",
    "partnership_title",
    "render_audit_trail",
    "render_compromises",
    "render_concessions",
    "render_partnership",
]


def _percent(share: Decimal) -> str:
    return f"{share.normalize():f}%"


def describe_value(value: Any) -> str:
    """A short, readable rendering of a term's value (a pool, a notice rule, an enum...)."""
    if isinstance(value, CostPool):
        shares = ", ".join(f"{p} {_percent(s)}" for p, s in value.shares.items())
        return f"{value.name} ({value.basis.value}): {shares}"
    if isinstance(value, Notice):
        when = (
            f", at the next year end ({value.year_end[1]:02d}/{value.year_end[0]:02d})"
            if value.aligned_to_year_end
            else ""
        )
        return f"{value.months} months{when}"
    if isinstance(value, Stage | Rung):
        return str(value.value)
    if isinstance(value, enum.Enum):
        return str(value.value).replace("-", " ")
    if isinstance(value, Function):
        return f"{value.name} ({value.id})"
    if isinstance(value, Party):
        return f"{value.name} ({value.id})"
    if isinstance(value, Money):
        return money(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Mapping):
        return ", ".join(f"{k}: {describe_value(v)}" for k, v in value.items()) or "none"
    if isinstance(value, tuple | list):
        return "; ".join(describe_value(item) for item in value) or "none"
    return "none" if value is None else str(value)


def _lines(rows: Iterable[tuple[str, str]]) -> list[str]:
    return [f"  {label + ':':<15}{text}" for label, text in rows]


def partnership_title(view: PartnershipView) -> str:
    """The title line of `render_partnership`: the name, and the date or the recorded
    time the view is of."""
    when = f" as of {view.as_of.isoformat()}" if view.as_of else ""
    if view.known_at is not None:
        when += f" (as recorded at {view.known_at.isoformat(timespec='seconds')})"
    return f"{view.name}{when}"


def partnership_rows(view: PartnershipView) -> list[tuple[str, str]]:
    """The labelled lines of `render_partnership` (``("status", "in force")`` ...)."""
    members = [
        f"{view.parties[p].name} ({p}{', host' if p == view.host else ''})"
        for p in view.active_parties or view.members_at_dissolution
    ]
    terms = view.terms
    rows = [
        ("status", status(view.dissolved_on)),
        ("stage", describe_value(view.stage)),
        ("parties", "; ".join(members)),
        (
            "governance",
            f"{describe_value(terms.governance)}, casting vote: "
            f"{describe_value(terms.casting_vote)}",
        ),
        ("notice", describe_value(terms.notice)),
    ]
    rows += [("cost pool", describe_value(pool)) for pool in terms.cost_pools]
    if terms.sla:
        rows.append(("service", terms.sla))
    if view.pooled_functions:
        rows += [
            ("pooled", f"{p.function.name} from {p.from_party} since {p.since.isoformat()}")
            for p in view.pooled_functions
        ]
    for party, effective in view.withdrawals.items():
        rows.append(("leaving", f"{party}, notice effective {effective.isoformat()}"))
    for variation in view.scheduled_variations:
        rows.append(
            (
                "scheduled",
                f"{variation.rationale or 'a variation'} (effective "
                f"{describe_value(variation.effective)})",
            )
        )
    if view.final_account:
        rows.append(("final account", describe_value(view.final_account)))
    return rows


def render_partnership(view: PartnershipView) -> str:
    """The partnership's state as an indented block of text."""
    return "\n".join([partnership_title(view), *_lines(partnership_rows(view))])


def render_concessions(variations: Iterable[Variation]) -> str:
    """Every concession recorded in ``variations`` (from
    [`variations`][sharedsvc.SharedServices.variations]), oldest first."""
    lines = []
    for variation in variations:
        for c in variation.concessions:
            closed = variation.closed_on.isoformat() if variation.closed_on else "?"
            lines.append(
                f"{closed}  {c.party} conceded {subject(c.subject)}: wanted "
                f"{describe_value(c.wanted)}; accepted {describe_value(c.accepted)}"
                + (f" ({c.rationale})" if c.rationale else "")
            )
    return "\n".join(lines) if lines else "no concessions recorded"


def ceded_function(entry: CompromiseEntry) -> str:
    """The name of the function a ``ceded`` entry gave up (the ledger's ``wanted`` says the
    party wanted it ``kept by <party>: <name>``), or its id if the entry does not say."""
    wanted, prefix = entry.wanted, kept_by(entry.party, "")
    if isinstance(wanted, str) and wanted.startswith(prefix):
        return wanted.removeprefix(prefix)
    return entry.subject


def ceded_status(entry: CompromiseEntry, returned: Mapping[UUID, date] | None) -> str:
    """Where a ceded function is now: ``returned to the council on 2018-11-22`` once its
    handover was recalled, else ``still held by the shared service``; ``""`` where
    ``returned`` (handover id -> the day the function went back) is not known."""
    if returned is None:
        return ""
    back = returned.get(entry.source)
    if back is not None:
        return f"returned to the council on {back.isoformat()}"
    return "still held by the shared service"


def render_compromises(
    ledger: Mapping[str, Iterable[CompromiseEntry]],
    *,
    returned: Mapping[UUID, date] | None = None,
) -> str:
    """A compromise ledger (`sharedsvc.SharedServices.compromises`), party by party.

    ``returned`` maps the handover of each ceded function that went back to its council to
    the day it did (`sharedsvc.reports.writing.returned_functions` reads it from an
    application); given it, each ceded function says where it is now."""
    lines = []
    for party, entries in ledger.items():
        lines.append(party)
        for e in entries:
            authority = f" [{e.ref}]" if e.ref else " [no decision reference recorded]"
            if e.kind == "ceded":
                status = ceded_status(e, returned)
                lines.append(
                    f"  {e.on.isoformat()}  ceded {ceded_function(e)} ({e.subject}) to the "
                    "shared service, giving up running it itself"
                    + (f"; {status}" if status else "")
                    + authority
                )
            else:
                lines.append(
                    f"  {e.on.isoformat()}  conceded {subject(e.subject)}: wanted "
                    f"{describe_value(e.wanted)}; accepted {describe_value(e.accepted)}"
                    + (f" ({e.rationale})" if e.rationale else "")
                    + authority
                )
    return "\n".join(lines) if lines else "no compromises recorded"


def render_audit_trail(entries: Iterable[AuditEntry]) -> str:
    """An audit trail ([`audit_trail`][sharedsvc.SharedServices.audit_trail]) as a table: position
    in the log, legal date, recorded time (UTC, to the second), acting party, event and summary."""
    header = ("position", "on", "recorded (UTC)", "actor", "event", "summary")
    rows = [
        (
            str(e.position),
            e.on.isoformat(),
            e.recorded_at.strftime("%Y-%m-%d %H:%M:%S"),
            e.actor or "-",
            e.event,
            e.summary,
        )
        for e in entries
    ]
    if not rows:
        return "no events recorded"
    widths = [max(len(row[i]) for row in (header, *rows)) for i in range(len(header) - 1)]
    lines = []
    for row in (header, *rows):
        cells = [row[0].rjust(widths[0])]
        cells += [cell.ljust(width) for cell, width in zip(row[1:-1], widths[1:], strict=True)]
        lines.append("  ".join([*cells, row[-1]]))
    return "\n".join(lines)
