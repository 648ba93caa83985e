"""Comparing a partnership in two applications (a store and a fork of it, or two forks),
field by field.

The fields are the partnership's ``name``, ``stage``, ``parties`` (the id of every party it
ever had, in order of joining), ``active_parties``, each term of the agreement as
``terms.<field>`` (``terms.cost_pools``, ``terms.notice``...), ``pooled_functions``, ``exits``
(party -> its [`Withdrawal`][sharedsvc.Withdrawal]) and ``obligations`` (its
[`Obligation`][sharedsvc.Obligation] s, compared without their ``source``: a place in the log of
the store each came from, which differs between stores).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from datetime import date
from typing import TYPE_CHECKING, Any
from uuid import UUID

import attrs

from sharedsvc.domain.records import PooledFunction, Withdrawal
from sharedsvc.domain.terms import Terms
from sharedsvc.domain.views import PartnershipView
from sharedsvc.projections.audit_values import summarise_money, summarise_value
from sharedsvc.projections.obligations import Obligation
from sharedsvc.reports.exports import json_value

if TYPE_CHECKING:
    from sharedsvc.application import SharedServices

__all__ = ["FIELDS", "Comparison", "Difference", "compare"]

FIELDS: tuple[str, ...] = (
    "name",
    "stage",
    "parties",
    "active_parties",
    *(f"terms.{name}" for name in Terms.field_names()),
    "pooled_functions",
    "exits",
    "obligations",
)
"""Every field a comparison looks at, in the order it reports them."""


@attrs.frozen
class Difference:
    """One field that differs: its name (one of [`FIELDS`][sharedsvc.whatif.FIELDS]) and its
    value in the base and in the fork."""

    field: str
    base: Any
    fork: Any

    def __str__(self) -> str:
        base, fork = _records(self.base), _records(self.fork)
        if base is None or fork is None:
            return f"{self.field}: {shown(self.base)} -> {shown(self.fork)}"
        parts = [
            f"only in {side}: {'; '.join(_SHOWN[type(r)](r) for r in records)}"
            for side, records in (("base", _less(base, fork)), ("fork", _less(fork, base)))
            if records
        ]
        return f"{self.field}: {' | '.join(parts)}"


def _differences(value: Any) -> tuple[Difference, ...]:
    return tuple(value)


@attrs.frozen
class Comparison:
    """How a partnership differs between two applications: one
    [`Difference`][sharedsvc.Difference] per field that differs, in the order of
    [`FIELDS`][sharedsvc.whatif.FIELDS] (none: the two agree). ``as_of`` is the date the two
    were read on (``None``: as they stand). Printed, one line per difference, ``field: base
    -> fork``; [`as_data`][sharedsvc.Comparison.as_data] gives it as plain data."""

    differences: tuple[Difference, ...] = attrs.field(converter=_differences)
    partnership_id: UUID | None = attrs.field(default=None, kw_only=True)
    as_of: date | None = attrs.field(default=None, kw_only=True)

    @property
    def fields(self) -> tuple[str, ...]:
        """The names of the fields that differ."""
        return tuple(difference.field for difference in self.differences)

    @property
    def same(self) -> bool:
        """Whether the two agree on every field."""
        return not self.differences

    def get(self, field: str) -> Difference | None:
        """The difference in ``field``, or ``None`` where the two agree on it."""
        return next((d for d in self.differences if d.field == field), None)

    def as_data(self) -> dict[str, Any]:
        """The comparison as JSON-ready data: ``partnership``, ``as_of`` and ``differences``
        (a list of ``field``, ``base`` and ``fork``; dates as ISO strings, decimal numbers
        and amounts as strings, value objects as objects of their fields)."""
        return {
            "partnership": json_value(self.partnership_id),
            "as_of": json_value(self.as_of),
            "differences": [
                {"field": d.field, "base": json_value(d.base), "fork": json_value(d.fork)}
                for d in self.differences
            ],
        }

    def __str__(self) -> str:
        if not self.differences:
            return "no differences"
        return "\n".join(str(difference) for difference in self.differences)


# --- how each value is shown ---------------------------------------------------------------------


def _pooled(pooled: PooledFunction) -> str:
    return f"{pooled.function.id} from {pooled.from_party} since {pooled.since.isoformat()}"


def _exit(withdrawal: Withdrawal) -> str:
    steps = [f"notice {withdrawal.served_on.isoformat()} for {withdrawal.effective.isoformat()}"]
    if withdrawal.exit_costs is not None:
        steps.append(f"costs {summarise_money(withdrawal.exit_costs)}")
    if withdrawal.paid is not None:
        steps.append(f"paid {summarise_money(withdrawal.paid)}")
    if withdrawal.completed_on is not None:
        steps.append(f"left {withdrawal.completed_on.isoformat()}")
    return f"{withdrawal.party} ({', '.join(steps)})"


def _obligation(owed: Obligation) -> str:
    who = owed.party or "the partnership"
    return f"{owed.kind} by {who} due {owed.due.isoformat()} {owed.status}"


_SHOWN: Mapping[type, Callable[[Any], str]] = {
    PooledFunction: _pooled,
    Withdrawal: _exit,
    Obligation: _obligation,
}


def _records(value: Any) -> list[Any] | None:
    """The records of a field that holds several (pooled functions, exits, obligations);
    ``None`` for a field of another kind."""
    records = list(value.values()) if isinstance(value, Mapping) else value
    if not isinstance(records, list | tuple) or not all(type(r) in _SHOWN for r in records):
        return None
    return list(records)


def _less(records: list[Any], others: list[Any]) -> list[Any]:
    """``records`` but those that ``others`` has too (each matched once), compared as a
    comparison compares them."""
    left = [_key("", other) for other in others]
    kept = []
    for record in records:
        key = _key("", record)
        if key in left:
            left.remove(key)
        else:
            kept.append(record)
    return kept


def shown(value: Any) -> str:
    """A value of a compared field, for one line of text."""
    if isinstance(value, Mapping):
        return "; ".join(shown(item) for item in value.values()) or "none"
    if isinstance(value, tuple) and value and type(value[0]) in _SHOWN:
        return "; ".join(_SHOWN[type(item)](item) for item in value)
    if type(value) in _SHOWN:
        return _SHOWN[type(value)](value)
    return summarise_value(value)


# --- reading the two -----------------------------------------------------------------------------


def _fields(view: PartnershipView, owed: list[Obligation]) -> Iterator[tuple[str, Any]]:
    yield "name", view.name
    yield "stage", view.stage
    yield "parties", tuple(view.parties)
    yield "active_parties", view.active_parties
    for name in Terms.field_names():
        yield f"terms.{name}", getattr(view.terms, name)
    yield "pooled_functions", view.pooled_functions
    yield "exits", dict(view.exits)
    yield "obligations", tuple(owed)


def _key(field: str, value: Any) -> Any:
    """What is compared of a field's value: an obligation without its place in the log."""
    if isinstance(value, Obligation):
        return attrs.evolve(value, source=0)
    if field == "obligations":
        return [_key(field, owed) for owed in value]
    return value


def compare(
    base: SharedServices, pid: UUID, fork: SharedServices, as_of: date | None = None
) -> Comparison:
    """Partnership ``pid`` in ``base`` against the same in ``fork``, as they stand or, with
    ``as_of``, as they stood on that date (see the module). Raises
    [`NotFound`][sharedsvc.NotFound] where either has no such partnership (on ``as_of``)."""
    base_view = base.partnership(pid, as_of=as_of)
    fork_view = fork.partnership(base_view.id, as_of=as_of)
    left = dict(_fields(base_view, base.obligations(base_view.id, as_of=as_of)))
    right = dict(_fields(fork_view, fork.obligations(fork_view.id, as_of=as_of)))
    differences = [
        Difference(field, left[field], right[field])
        for field in FIELDS
        if _key(field, left[field]) != _key(field, right[field])
    ]
    return Comparison(differences, partnership_id=base_view.id, as_of=as_of)
