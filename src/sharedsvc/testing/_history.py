"""What a history is: a formation and its steps, each one act of the catalogue, as data.

Private: import [`History`][sharedsvc.testing.History], [`Step`][sharedsvc.testing.Step],
[`Ref`][sharedsvc.testing.Ref], [`HistoryIds`][sharedsvc.testing.HistoryIds] and `VERBS` from
`sharedsvc.testing.histories`.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator, Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any, cast
from uuid import UUID

import attrs
from immutabledict import immutabledict

from sharedsvc.acts import CATALOGUE, ID_KINDS, FormPartnership
from sharedsvc.application import SharedServices
from sharedsvc.domain.policy import Policy
from sharedsvc.domain.values import CostPool, Party, PartyId, Stage, Terms
from sharedsvc.testing._drafting import aim, fields, movable

__all__ = ["KINDS", "VERBS", "History", "HistoryIds", "Ref", "Step"]

KINDS = ("variation", "handover", "dispute", "target")
"""The kinds of thing a history's steps make, in the order
[`HistoryIds`][sharedsvc.testing.HistoryIds] lists them."""


class _Verbs(Mapping[str, tuple[str | None, str | None, str | None]]):
    """The verbs a step can call, read from the catalogue as it is when asked."""

    def __getitem__(self, verb: str) -> tuple[str | None, str | None, str | None]:
        act = CATALOGUE[verb]
        aimed = aim(act)
        if aimed is None:
            raise KeyError(verb)
        target_kind = None if aimed[1] == "partnership" else aimed[1]
        return act.actor, target_kind, act.creates

    def __iter__(self) -> Iterator[str]:
        return iter([act.verb for act in movable()])

    def __len__(self) -> int:
        return len(movable())

    def __repr__(self) -> str:
        return f"VERBS({dict(self)!r})"


VERBS: Mapping[str, tuple[str | None, str | None, str | None]] = _Verbs()
"""The verbs a step can call, derived from [`CATALOGUE`][sharedsvc.acts.CATALOGUE]: for each, the
keyword naming the acting party, the kind of thing the verb acts on (``None``: the
partnership) and the kind of thing it makes, if any."""


@attrs.frozen
class Ref:
    """A variation, handover, dispute or target of a history, by its order of creation:
    ``v0``."""

    kind: str
    index: int

    def __str__(self) -> str:
        return f"{self.kind[0]}{self.index}"


@attrs.frozen
class Step:
    """One call of a verb: the acting party (``None`` for the arbiter, or the default host
    effecting a handover), the legal date, what it acts on, its other keyword arguments (a
    [`Ref`][sharedsvc.testing.Ref] wherever an id goes) and what it makes, if anything."""

    verb: str
    actor: PartyId | None
    on: date
    target: Ref | None = None
    arguments: immutabledict[str, Any] = attrs.field(factory=immutabledict, converter=immutabledict)
    creates: Ref | None = None

    def _positional(self) -> list[tuple[str, Any]]:
        """The verb's positional arguments: the partnership (``None`` here), then the target."""
        act = CATALOGUE[self.verb]
        return [
            (f.name, None if ID_KINDS.get(f.name) == "partnership" else self.target)
            for f in fields(act)
            if f.positional
        ]

    def apply(self, app: SharedServices, pid: UUID, made: dict[str, list[UUID]]) -> Any:
        """Execute the act on ``app`` for partnership ``pid``; ``made`` holds the ids made so
        far, by kind, and gets the id this act makes. Returns what the verb returned."""
        act = CATALOGUE[self.verb]

        def resolved(value: Any) -> Any:
            return made[value.kind][value.index] if isinstance(value, Ref) else value

        positional = self._positional()
        values = {name: pid if value is None else resolved(value) for name, value in positional}
        values.update((name, resolved(value)) for name, value in self.arguments.items())
        if act.actor is not None:
            values[act.actor] = self.actor
        values["on"] = self.on
        result = app.execute(cast(Any, act)(**values))
        if self.creates is not None:
            made[self.creates.kind].append(result)
        return result

    def __str__(self) -> str:
        actor_keyword = CATALOGUE[self.verb].actor
        parts = ["pid" if value is None else str(value) for _, value in self._positional()]
        if actor_keyword is not None and self.actor is not None:
            parts.append(f"{actor_keyword}={self.actor!r}")
        parts += [f"{name}={_source(value)}" for name, value in self.arguments.items()]
        parts.append(f"on={_source(self.on)}")
        made = "" if self.creates is None else f"{self.creates} = "
        return f"{made}app.{self.verb}({', '.join(parts)})"


@attrs.frozen
class HistoryIds:
    """The ids a history made on one application, each kind in order of creation."""

    partnership: UUID
    variations: tuple[UUID, ...]
    handovers: tuple[UUID, ...]
    disputes: tuple[UUID, ...]
    targets: tuple[UUID, ...] = ()


@attrs.frozen(repr=False)
class History:
    """A partnership's formation and the verb calls that followed, each accepted in turn;
    ``policy`` is the one it was formed with (``None``: the default)."""

    name: str
    founders: tuple[Party, ...]
    terms: Terms
    stage: Stage
    formed_on: date
    steps: tuple[Step, ...]
    policy: Policy | None = None

    def apply(self, app: SharedServices) -> HistoryIds:
        """Form the partnership on ``app`` and make every call; returns the ids made. A call
        the library refuses raises its error (which, for a drawn history, is a bug)."""
        pid = self.form(app)
        made: dict[str, list[UUID]] = {kind: [] for kind in KINDS}
        for step in self.steps:
            step.apply(app, pid, made)
        return HistoryIds(pid, *(tuple(made[kind]) for kind in KINDS))

    def form(self, app: SharedServices) -> UUID:
        """Only form the partnership on ``app``; returns its id."""
        return app.execute(
            FormPartnership(
                self.name, parties=self.founders, terms=self.terms, stage=self.stage,
                on=self.formed_on, policy=self.policy,
            )
        )  # fmt: skip

    @property
    def verbs(self) -> tuple[str, ...]:
        """The verb of each step, in order."""
        return tuple(step.verb for step in self.steps)

    def __str__(self) -> str:
        formation = (
            f"pid = app.{FormPartnership.verb}({self.name!r}, parties={_source(self.founders)}, "
            f"terms={_source(self.terms)}, stage={_source(self.stage)}, "
            f"on={_source(self.formed_on)}"
            + ("" if self.policy is None else f", policy={_source(self.policy)}")
            + ")"
        )
        return "\n".join([formation, *map(str, self.steps)])

    def __repr__(self) -> str:
        script = str(self).replace("\n", "\n    ")
        return f"History(  # {len(self.steps)} steps after the formation\n    {script}\n)"

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        """How Hypothesis prints a falsifying history: as its script."""
        printer.text(repr(self))


def _source(value: Any) -> str:
    """``value`` as Python source that rebuilds it, with sharedsvc's names in scope."""
    if isinstance(value, Ref):
        return str(value)
    if isinstance(value, enum.Enum):
        return f"{type(value).__name__}.{value.name}"
    if isinstance(value, date) and not isinstance(value, datetime):
        return f"date({value.year}, {value.month}, {value.day})"
    if isinstance(value, Decimal):
        return repr(str(value))
    if isinstance(value, CostPool) and value == CostPool.equal(value.name, value.shares):
        return f"CostPool.equal({value.name!r}, {_source(list(value.shares))})"
    if attrs.has(type(value)):
        parts = []
        for field in attrs.fields(type(value)):
            item = getattr(value, field.name)
            if field.default is attrs.NOTHING:
                parts.append(_source(item))
            elif item != _default(field, value):
                parts.append(f"{field.name}={_source(item)}")
        return f"{type(value).__name__}({', '.join(parts)})"
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{_source(k)}: {_source(v)}" for k, v in value.items()) + "}"
    if isinstance(value, tuple | list):
        return "[" + ", ".join(map(_source, value)) + "]"
    return repr(value)


def _default(field: attrs.Attribute[Any], owner: Any) -> Any:
    """The default of ``field`` of ``owner`` (a factory that takes ``self`` is given it)."""
    factory = getattr(field.default, "factory", None)
    if not callable(factory):
        return field.default
    return factory(owner) if getattr(field.default, "takes_self", False) else factory()
