"""Drafting any act of the catalogue: a value for each of its fields, chosen by the field's type.

The generic move of `histories` and the rules of
[`PartnershipMachine`][sharedsvc.testing.PartnershipMachine] draw acts this way, so an act added to
[`CATALOGUE`][sharedsvc.acts.CATALOGUE] is tried by both without a line of the testing kit changing.
Each field's drawer is chosen once, from its type annotation (``str | None``, ``Iterable[Party]``,
``Mapping[str, Money]``...), the id kinds of [`ID_KINDS`][sharedsvc.acts.ID_KINDS] and the field
metadata of [`sharedsvc.acts`][sharedsvc.acts] (term changes, free mappings, references). What the
values are drawn from (the parties, what has been recorded, the day) is a `Setting`: a partnership
as it stands in a history, or the machine's councils.

A field of a type no drawer knows has none: `undrawable` lists them, and a test fails on
any act that has one.
"""

from __future__ import annotations

import enum
import types
import typing
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, Protocol, TypeVar
from uuid import UUID

import attrs
from hypothesis import strategies as st
from hypothesis.strategies import DrawFn

from sharedsvc.acts import (
    CATALOGUE,
    FREE_MAPPING,
    ID_KINDS,
    QUANTITIES,
    READINESS_SCORES,
    TERM_CHANGES,
    Act,
)
from sharedsvc.domain.policy import Policy
from sharedsvc.domain.readiness import DEFAULT_READINESS_AREAS
from sharedsvc.domain.records import RENAME
from sharedsvc.domain.transfers import StaffArrangement, StaffTransfer
from sharedsvc.domain.values import (
    CostPool,
    DecisionRef,
    Function,
    Money,
    Notice,
    Party,
    PartyId,
    Terms,
)

__all__ = [
    "CHARGES",
    "FUNCTIONS",
    "NOTICES",
    "Drawer",
    "Field",
    "Setting",
    "aim",
    "draft",
    "fields",
    "movable",
    "name_of",
    "one",
    "pick",
    "quantities",
    "scores",
    "undrawable",
]

T = TypeVar("T")

FUNCTIONS = (
    Function("ict.service-desk", "ICT service desk", "back-office"),
    Function("revenues.contact-centre", "Revenues contact centre", "front-line"),
    Function("brand", "Brand and identity", "identity"),
)
"""The functions acts hand over: one of each category the default policy knows."""
NOTICES = (Notice(), Notice(months=0, aligned_to_year_end=False), Notice(months=3))
CHARGES = ("5%", "10%", "15%")


def pick(draw: DrawFn, items: Iterable[T]) -> T:
    """One of ``items`` (shrinking towards the first), drawn even when there is only one, so
    that the choices a move makes keep their places when shrinking changes what came before.

    Drawn as a position counted from 1: Hypothesis's shrinker treats a small choice counted from
    0 as the branch of a ``one_of`` and tries it with everything after it drawn afresh, a pass
    that costs far more than it gains here, where each try replays the verbs."""
    choices = tuple(items)
    return choices[draw(st.integers(1, len(choices))) - 1]


def one(draw: DrawFn, items: Sequence[T]) -> T | None:
    """One of ``items``, or ``None`` if there are none."""
    return pick(draw, items) if items else None


def name_of(party: str) -> str:
    """A party's display name made from its id: ``"mid-kent"`` is ``"Mid Kent"``."""
    return party.replace("-", " ").title()


class Setting(Protocol):
    """Where an act is drafted: what its parties, days, pools and references are drawn from."""

    @property
    def today(self) -> date:
        """The day of the act."""

    def parties(self) -> Sequence[PartyId]:
        """The party ids an act may name, the members first."""

    def joiners(self) -> Sequence[PartyId]:
        """The parties that may be admitted."""

    def pool(self, draw: DrawFn, parties: Sequence[PartyId]) -> CostPool:
        """A cost pool shared by ``parties``."""

    def thing(self, draw: DrawFn, kinds: tuple[str, ...]) -> Any:
        """The id (as the setting names ids) of something recorded of one of ``kinds``
        (``"variation"``...), or ``None`` if there is none."""


Drawer = Callable[[DrawFn, Setting], Any]
"""Draws the value of one field in a setting."""


# --- drawers of plain types ----------------------------------------------------------------------


def _text(draw: DrawFn, setting: Setting) -> str:
    """Text: a party id, as most text an act takes is (and any party id is valid text)."""
    return pick(draw, setting.parties())


def _money(draw: DrawFn, setting: Setting) -> Money:
    """Whole thousands of pounds, up to fifty."""
    return Money(draw(st.integers(0, 50)) * 1000)


def _decision(draw: DrawFn, setting: Setting) -> DecisionRef:
    """A party's cabinet decision, taken today."""
    body = f"{name_of(pick(draw, setting.parties()))} Cabinet"
    return DecisionRef(body, f"CAB/{setting.today.year}/{draw(st.integers(1, 99))}", setting.today)


def _joiner(draw: DrawFn, setting: Setting) -> Party | None:
    joiner = one(draw, setting.joiners())
    return None if joiner is None else Party(joiner, name_of(joiner))


def _terms(draw: DrawFn, setting: Setting) -> Terms:
    parties = setting.parties()
    return Terms(cost_pools=(setting.pool(draw, parties),), host=one(draw, parties))


def _staff(draw: DrawFn, setting: Setting) -> StaffTransfer:
    return StaffTransfer(pick(draw, StaffArrangement), draw(st.integers(1, 40)))


PLAIN: Mapping[Any, Drawer] = {
    str: _text,
    PartyId: lambda draw, setting: pick(draw, setting.parties()),
    bool: lambda draw, setting: draw(st.booleans()),
    int: lambda draw, setting: draw(st.integers(0, 10)),
    Decimal: lambda draw, setting: Decimal(draw(st.integers(0, 4))),
    date: lambda draw, setting: setting.today,
    Money: _money,
    Function: lambda draw, setting: pick(draw, FUNCTIONS),
    Notice: lambda draw, setting: pick(draw, NOTICES),
    Party: _joiner,
    DecisionRef: _decision,
    StaffTransfer: _staff,
    CostPool: lambda draw, setting: setting.pool(draw, setting.parties()),
    Terms: _terms,
    Policy: lambda draw, setting: Policy(),
}
"""The drawer of each type that is not built of others (an enumeration draws its members)."""


# --- drawers built from a field's annotation and metadata -----------------------------------------


def _optional(inner: Drawer) -> Drawer:
    """``None`` (first, so shrinking leaves it out) or a value of ``inner``."""

    def drawer(draw: DrawFn, setting: Setting) -> Any:
        return inner(draw, setting) if draw(st.booleans()) else None

    return drawer


def _later(draw: DrawFn, setting: Setting) -> date:
    """A date after the act's (an optional date is when something takes effect)."""
    return setting.today + timedelta(days=pick(draw, (30, 365)))


def _many(inner: Drawer) -> Drawer:
    """A tuple of one or two values of ``inner``, without repeats (or none, where ``inner``
    has nothing to draw)."""

    def drawer(draw: DrawFn, setting: Setting) -> Any:
        values: list[Any] = []
        for _ in range(draw(st.integers(1, 2))):
            value = inner(draw, setting)
            if value is not None and value not in values:
                values.append(value)
        return tuple(values)

    return drawer


def _mapping(key: Drawer, value: Drawer) -> Drawer:
    def drawer(draw: DrawFn, setting: Setting) -> Any:
        return {key(draw, setting): value(draw, setting) for _ in range(draw(st.integers(1, 2)))}

    return drawer


RENAMES = ("Shared Service", "Joint Shared Service", "Shared Services Partnership")
"""The names a drawn variation (or a position on one) may give the partnership."""


def _term_changes(draw: DrawFn, setting: Setting) -> dict[str, Any]:
    """New values for one or two terms of the agreement, each drawn by its own type, and
    sometimes a new name for the partnership (a rename)."""
    terms = [field for field in fields(Terms) if field.drawer is not None]
    chosen = draw(st.lists(st.sampled_from(terms), min_size=1, max_size=2, unique=True))
    changes = {field.name: field.draw(draw, setting) for field in chosen}
    if draw(st.integers(0, 3)) == 0:
        changes[RENAME] = pick(draw, RENAMES)
    return changes


def _free(draw: DrawFn, setting: Setting) -> dict[str, Any]:
    """A position or settlement: subject -> value."""
    return {"charge": pick(draw, CHARGES)}


def scores(draw: DrawFn, setting: Setting) -> dict[str, int]:
    """Readiness scores from 0 to 5 in one to three of the default areas."""
    areas = draw(st.lists(st.sampled_from(DEFAULT_READINESS_AREAS), min_size=1, max_size=3,
                          unique=True))  # fmt: skip
    return {area: draw(st.integers(0, 5)) for area in areas}


def quantities(draw: DrawFn, setting: Setting) -> dict[str, int]:
    """Usage: a whole quantity from 0 to 500 for one or more of the parties, not all 0."""
    parties = draw(st.lists(st.sampled_from(setting.parties()), min_size=1, max_size=3,
                            unique=True))  # fmt: skip
    used: dict[str, int] = {party: draw(st.integers(0, 500)) for party in parties}
    used[parties[0]] = max(used[parties[0]], 1)
    return used


def _thing(kinds: tuple[str, ...]) -> Drawer:
    def drawer(draw: DrawFn, setting: Setting) -> Any:
        return setting.thing(draw, kinds)

    return drawer


def _enumeration(kind: type[enum.Enum]) -> Drawer:
    members = tuple(kind)
    return lambda draw, setting: pick(draw, members)


def drawer_for(hint: Any, name: str, metadata: Mapping[Any, Any]) -> Drawer | None:
    """The drawer of a field named ``name`` with type ``hint`` and ``metadata``, or ``None``."""
    form, refers = metadata.get("form"), metadata.get("refers")
    options = typing.get_args(hint)
    if typing.get_origin(hint) in (typing.Union, types.UnionType) and type(None) in options:
        rest = [option for option in options if option is not type(None)]
        inner = drawer_for(rest[0], name, metadata) if len(rest) == 1 else None
        if inner is None:
            return None
        return _later if inner is PLAIN[date] else _optional(inner)
    if refers or name in ID_KINDS:
        return _thing(tuple(refers or (ID_KINDS[name],))) if hint is UUID else None
    if form == TERM_CHANGES["form"]:
        return _term_changes
    if form == FREE_MAPPING["form"]:
        return _free
    if form == READINESS_SCORES["form"]:
        return scores
    if form == QUANTITIES["form"]:
        return quantities
    origin = typing.get_origin(hint)
    if origin in (Iterable, Sequence, tuple, list) and options:
        inner = drawer_for(options[0], name, {})
        return None if inner is None else _many(inner)
    if origin is Mapping and len(options) == 2:
        key, value = drawer_for(options[0], name, {}), drawer_for(options[1], name, {})
        return None if key is None or value is None else _mapping(key, value)
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        return _enumeration(hint)
    return PLAIN.get(hint)


# --- the fields of an act ------------------------------------------------------------------------


@attrs.frozen
class Field:
    """One field of an act (or value): its name, its drawer (``None``: no drawer knows its
    type), its default (``attrs.NOTHING``: it must be given), whether it is positional, and
    the kinds of recorded thing it names, if it holds an id."""

    name: str
    hint: Any
    drawer: Drawer | None
    default: Any
    positional: bool
    names: tuple[str, ...] = ()

    def draw(self, draw: DrawFn, setting: Setting) -> Any:
        assert self.drawer is not None, f"no drawer for {self.name}: {self.hint}"
        return self.drawer(draw, setting)


_FIELDS: dict[type[Any], tuple[Field, ...]] = {}


def fields(kind: type[Any]) -> tuple[Field, ...]:
    """The fields of the attrs class ``kind`` (an act, or a value such as ``Terms``)."""
    if kind not in _FIELDS:
        _FIELDS[kind] = _read_fields(kind)
    return _FIELDS[kind]


def _read_fields(kind: type[Any]) -> tuple[Field, ...]:
    hints = typing.get_type_hints(kind)
    found = []
    for attribute in attrs.fields(kind):
        default = attribute.default
        if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
            default = default.factory()
        name, hint, metadata = attribute.name, hints[attribute.name], attribute.metadata
        drawer = drawer_for(hint, name, metadata)
        names = tuple(metadata.get("refers") or ((ID_KINDS[name],) if name in ID_KINDS else ()))
        found.append(Field(name, hint, drawer, default, not attribute.kw_only, names))
    return tuple(found)


def undrawable(act: type[Act[Any]]) -> list[str]:
    """The fields of ``act`` that no drawer knows how to draw, with their types."""
    return [f"{field.name}: {field.hint}" for field in fields(act) if field.drawer is None]


def aim(act: type[Act[Any]]) -> tuple[str, str] | None:
    """The field naming what ``act`` acts on, and its kind: the last of its positional id
    fields (``vid`` for ``state_position(pid, vid, ...)``); ``None`` for an act that makes
    what it acts on (a formation)."""
    named = [f.name for f in fields(act) if f.positional and f.name in ID_KINDS]
    return (named[-1], ID_KINDS[named[-1]]) if named else None


def movable() -> tuple[type[Act[Any]], ...]:
    """The acts of the catalogue, as it is now, that act on something recorded: all but the
    formation, which begins every history and every machine."""
    return tuple(act for act in CATALOGUE.values() if aim(act) is not None)


def draft(
    draw: DrawFn, act: type[Act[Any]], setting: Setting, *, leave: Iterable[str] = ()
) -> dict[str, Any] | None:
    """Values for the fields of ``act`` other than ``leave``, drawn in ``setting``; a field with
    a default is given one time in four (and shrinks to being left out). ``None`` if a field
    that must be given names something of a kind not recorded yet."""
    left = set(leave)
    values: dict[str, Any] = {}
    for field in fields(act):
        if field.name in left:
            continue
        if field.default is not attrs.NOTHING and draw(st.integers(0, 3)) < 3:
            continue
        value = field.draw(draw, setting)
        if value is None and field.default is attrs.NOTHING:
            return None
        values[field.name] = value
    return values
