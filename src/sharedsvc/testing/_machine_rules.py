"""The rules [`PartnershipMachine`][sharedsvc.testing.PartnershipMachine] derives from the catalogue
of acts.

Each act of [`CATALOGUE`][sharedsvc.acts.CATALOGUE] that acts on something recorded becomes a rule
named as its verb. The rule picks what the act acts on by position (``which``), dates it
``days`` after the machine's clock (which may be before it), and takes every other field as an
argument drawn by the field's type (see `sharedsvc.testing._drafting`), among the
machine's councils, members and outsiders alike. It then calls the verb through its door, so a
counterexample line such as ``state.change_stage(by='camden', days=3, ..., which=0)`` names the
verb and every value it was given.

Private to `sharedsvc.testing.machine`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, cast
from uuid import UUID

import attrs
from hypothesis import strategies as st
from hypothesis.stateful import precondition, rule
from hypothesis.strategies import DrawFn, SearchStrategy

from sharedsvc.acts import Act
from sharedsvc.domain.values import CostPool, PartyId
from sharedsvc.testing._drafting import Field, aim, fields, movable, pick
from sharedsvc.testing._machine_base import START, MachineBase

__all__ = ["COUNCILS", "catalogue_rules", "councils", "days_on", "picks"]

COUNCILS = tuple(PartyId(council) for council in ("camden", "islington", "haringey", "hackney"))
"""The councils the machine draws acting parties from: members, joiners and outsiders."""

councils = st.sampled_from(COUNCILS)
picks = st.integers(0, 7)
days_on = st.integers(-10, 120)


class _Councils:
    """The machine's setting for drafting acts: the same for every step, so that each field's
    strategy is built once. Ids are drawn as ``(kind, position)``, found when the rule runs."""

    today = START

    def parties(self) -> Sequence[PartyId]:
        return COUNCILS

    def joiners(self) -> Sequence[PartyId]:
        return COUNCILS

    def pool(self, draw: DrawFn, parties: Sequence[PartyId]) -> CostPool:
        """An equal pool over two or more of ``parties`` (a machine's pools are all equal)."""
        shared = draw(st.lists(st.sampled_from(tuple(parties)), min_size=2, unique=True))
        return CostPool.equal("ict", shared)

    def thing(self, draw: DrawFn, kinds: tuple[str, ...]) -> tuple[str, int]:
        return pick(draw, kinds), draw(picks)


_COUNCILS = _Councils()


def _strategy(field: Field) -> SearchStrategy[Any]:
    """The values of ``field`` in the machine: drawn by its type; one time in four for a
    field with a default, which it is otherwise given."""

    @st.composite
    def value(draw: DrawFn) -> Any:
        if field.default is not attrs.NOTHING and draw(st.integers(0, 3)) < 3:
            return field.default
        return field.draw(draw, _COUNCILS)

    return value()


def _find(machine: MachineBase, kind: str, index: int, pid: UUID | None) -> UUID | None:
    """The ``index``-th (cyclically) recorded thing of ``kind``: variations are those of the
    partnership ``pid``. ``None`` if there is none."""
    if kind == "variation":
        if pid is None:
            return None
        view = machine.app.partnership(pid)
        every: list[UUID] = [*view.open_variations, *view.closed_variations]
    else:
        every = machine.made(kind) or []
    return every[index % len(every)] if every else None


def _resolved(
    machine: MachineBase, act: type[Act[Any]], which: int, drafted: dict[str, Any]
) -> dict[str, Any] | None:
    """The act's arguments with its ids found: positional ones by ``which``, others from the
    ``(kind, position)`` they were drawn as. ``None`` if one that must be given is not there."""
    values: dict[str, Any] = {}
    pid: UUID | None = None
    for field in fields(act):
        if field.positional and field.names:
            values[field.name] = found = _find(machine, field.names[0], which, pid)
            if found is None:
                return None
            if field.names[0] == "partnership":
                pid = found
        elif field.names and drafted.get(field.name) is not None:
            kind, index = drafted[field.name]
            values[field.name] = _find(machine, kind, index, pid)
        elif field.name in drafted:
            values[field.name] = drafted[field.name]
    return values


_RULE_KEYS = {"target_": "target", "targets_": "targets"}
"""Hypothesis's ``rule`` takes ``target`` and ``targets`` itself (bundles): a field named so
(a recorded outcome's ``target``) is drawn under another name."""


def _key(name: str) -> str:
    return f"{name}_" if f"{name}_" in _RULE_KEYS else name


def catalogue_rule(act: type[Act[Any]]) -> Callable[..., None]:
    """The machine's rule for ``act``: see the module's docstring."""
    aimed = aim(act)
    assert aimed is not None
    kind = aimed[1]
    dated = any(field.name == "on" for field in fields(act))
    drafted = [f for f in fields(act) if not (f.positional and f.names)]
    arguments = {_key(f.name): _strategy(f) for f in drafted if f.name != "on"}

    def step(self: MachineBase, which: int, days: int, **values: Any) -> None:
        values = {_RULE_KEYS.get(key, key): value for key, value in values.items()}
        found = _resolved(self, act, which, values)
        if found is None:
            return
        if dated:
            found["on"] = self.on(days)
        verb = getattr(self.app, act.verb)
        made = self.attempt(act.verb, lambda: verb(**found), days)
        listed = None if act.creates is None else self.made(act.creates)
        if made is not None and listed is not None:
            listed.append(made)

    step.__name__ = act.verb
    step.__qualname__ = f"PartnershipMachine.{act.verb}"
    step.__doc__ = f"Try ``{act.verb}``, any of its fields drawn by type (from the catalogue)."
    # mypy cannot tell that no drawn field is named ``target`` or ``targets`` (see _key).
    made: Callable[..., None] = cast(Any, rule)(which=picks, days=days_on, **arguments)(step)
    if kind in ("handover", "dispute"):
        made = precondition(lambda self: bool(self.made(kind)))(made)
    return made


def catalogue_rules() -> dict[str, Callable[..., None]]:
    """A rule for every act of the catalogue that acts on something recorded, by verb."""
    return {act.verb: catalogue_rule(act) for act in movable()}
