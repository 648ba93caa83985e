"""The acts a scenario file can hold, and the keys each takes: derived from the catalogue of acts
([`sharedsvc.acts`][sharedsvc.acts]), one for each act after the formation, which the file's
sections before its acts describe.

Every act has ``act`` (the verb's name) and ``on`` (its legal date). Besides, it has the acting
party under the keyword the act declares (``by`` or ``party``), ``id``, the label of what it
makes (for an act that makes something), and its other fields under their own names, in the
order the act declares them, each written as its type is (`SCALARS`, enumerations, arrays
and tables of them). Where a field is not a plain value:

- the partnership's id (``pid``) is the file's partnership, and is not written;
- the id of what the act acts on (``vid``, ``hid``, ``did``) is the label of that thing, under
  its kind: ``variation = "v1"``;
- a field that may name things of several kinds ([`refers_to`][sharedsvc.acts.refers_to]) names one
  by its label under the key of its kind: a dispute's ``act`` is ``variation = "v1"`` or
  ``handover = "h1"`` (``act`` already names the verb);
- ``by`` beside an acting ``party`` is not a key: its events do not record it;
- changes of terms ([`TERM_CHANGES`][sharedsvc.acts.TERM_CHANGES]) are tables of terms, free
  mappings ([`FREE_MAPPING`][sharedsvc.acts.FREE_MAPPING]) tables of free-form values (`.freeform`),
  quantities ([`QUANTITIES`][sharedsvc.acts.QUANTITIES]) tables of decimals by party.

A field without a default must be given. A field with one may be left out, and a written act
leaves it out when its value is the default (or, for changes of terms defaulting to none, the
empty changes the domain records for none).
"""

from __future__ import annotations

import enum
import types
import typing
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any, cast

import attrs

from sharedsvc._scenario.codecs import (
    BOOLEAN,
    DATE,
    DECIMAL,
    DECISION_REF,
    FUNCTION,
    INTEGER,
    MONEY,
    PARTY,
    STAFF_TRANSFER,
    TERM_CHANGES,
    TEXT,
    Codec,
    array,
    enumeration,
    label,
    mapping,
)
from sharedsvc._scenario.freeform import ANY
from sharedsvc.acts import CATALOGUE, FREE_MAPPING, ID_KINDS, QUANTITIES, Act
from sharedsvc.acts import TERM_CHANGES as TERM_CHANGES_FIELD
from sharedsvc.domain.transfers import StaffTransfer
from sharedsvc.domain.values import DecisionRef, Function, Money, Party

__all__ = ["SCALARS", "VERBS", "Argument", "Verb", "codec_of", "verb_of"]

PARTNERSHIP = "partnership"


@attrs.frozen
class Argument:
    """One key of an act: the verb's ``keyword`` it fills (its own name unless said), how its
    value is written, whether it must be given, and the value the verb takes when it is not
    (which a written act leaves out). A key that names a thing of one ``kind`` among several
    the field may name has that kind."""

    key: str
    codec: Codec
    required: bool = False
    default: object = None
    keyword: str = ""
    kind: str | None = None

    @property
    def parameter(self) -> str:
        return self.keyword or self.key


@attrs.frozen
class Verb:
    """An act's shape: its class, the keyword of its acting party (``None``: it has none),
    whether the party may be left out, the kind of thing it acts on (named by its label, in
    field ``target_field``) and makes, its other arguments, and the fields it takes by position
    (the ids of what it acts on)."""

    act: type[Act[Any]]
    actor: str | None
    target: str | None = None
    creates: str | None = None
    arguments: tuple[Argument, ...] = ()
    actor_optional: bool = False
    target_field: str | None = None
    positional: tuple[str, ...] = ()

    @property
    def keys(self) -> tuple[str, ...]:
        """Every key an act of this verb may have, in the order a written act gives them."""
        own = ["act"] + (["id"] if self.creates else []) + ["on"]
        own += [self.actor] if self.actor else []
        own += [self.target] if self.target else []
        return (*own, *(argument.key for argument in self.arguments))


SCALARS: Mapping[type, Codec] = {
    date: DATE,
    str: TEXT,
    bool: BOOLEAN,
    int: INTEGER,
    Decimal: DECIMAL,
    Money: MONEY,
    DecisionRef: DECISION_REF,
    Function: FUNCTION,
    Party: PARTY,
    StaffTransfer: STAFF_TRANSFER,
}
"""How a field of each plain type is written (an enumeration by its value)."""

_ARRAYS = (Iterable, Sequence, tuple)
"""The types of a field written as an array (``tuple`` as ``tuple[T, ...]``)."""


def codec_of(hint: Any) -> Codec:
    """How a field of type ``hint`` is written: a scalar, an enumeration, an optional one
    (written when it is not ``None``), an array of one, or a table of one by strings."""
    origin, arguments = typing.get_origin(hint), typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        given = [argument for argument in arguments if argument is not type(None)]
        if len(given) == 1:
            return codec_of(given[0])
    elif origin in _ARRAYS and arguments[1:] in ((), (Ellipsis,)):
        return array(codec_of(arguments[0]))
    elif origin is Mapping and len(arguments) == 2 and arguments[0] is str:
        return mapping(codec_of(arguments[1]))
    elif isinstance(hint, type) and issubclass(hint, enum.Enum):
        return enumeration(hint)
    elif hint in SCALARS:
        return SCALARS[hint]
    raise TypeError(f"a field of type {hint!r} has no form in a scenario file")


def _default(field: attrs.Attribute[Any]) -> object:
    if field.default is attrs.NOTHING:
        return None
    default: Any = field.default
    return default.factory() if isinstance(default, attrs.Factory) else default  # type: ignore[arg-type]


def _arguments(field: attrs.Attribute[Any], hint: Any) -> tuple[Argument, ...]:
    """The keys of one field of an act (several for one that names a thing of several kinds)."""
    required = field.default is attrs.NOTHING
    default = _default(field)
    kinds: tuple[str, ...] = field.metadata.get("refers", ())
    if kinds:
        return tuple(
            Argument(kind, label(kind), required, default, field.name, kind) for kind in kinds
        )
    form = field.metadata.get("form")
    if form == TERM_CHANGES_FIELD["form"]:
        empty = {} if default is None and not required else default  # what the domain records
        return (Argument(field.name, TERM_CHANGES, required, empty),)
    if form == FREE_MAPPING["form"]:
        return (Argument(field.name, mapping(ANY), required, default),)
    if form == QUANTITIES["form"]:
        return (Argument(field.name, mapping(DECIMAL), required, default),)
    try:
        codec = codec_of(hint)
    except TypeError as error:
        raise TypeError(f"field {field.name!r}: {error}") from None
    return (Argument(field.name, codec, required, default),)


def verb_of(act: type[Act[Any]]) -> Verb:
    """The shape of ``act`` in a scenario file, from its declaration (see the module).
    Raises ``TypeError`` for a field whose type has no form in a file."""
    hints = typing.get_type_hints(act)
    fields = attrs.fields(cast(Any, act))
    ids = [field.name for field in fields if field.name in ID_KINDS]
    targets = [name for name in ids if ID_KINDS[name] != PARTNERSHIP]
    if len(targets) > 1:
        raise TypeError(f"{act.__name__} acts on {targets}: a file names one target an act")
    target_field = targets[0] if targets else None
    actor = act.actor
    left_out = {*ids, "on", *([actor] if actor else []), *(["by"] if actor == "party" else [])}
    arguments: list[Argument] = []
    try:
        for field in fields:
            if field.name not in left_out:
                arguments += _arguments(field, hints[field.name])
    except TypeError as error:
        raise TypeError(f"{act.__name__}: {error}") from None
    actor_field = attrs.fields_dict(cast(Any, act)).get(actor) if actor else None
    return Verb(
        act,
        actor,
        None if target_field is None else ID_KINDS[target_field],
        act.creates,
        tuple(arguments),
        actor_optional=actor_field is not None and actor_field.default is not attrs.NOTHING,
        target_field=target_field,
        positional=tuple(field.name for field in fields if not field.kw_only),
    )


def _verbs() -> dict[str, Verb]:
    verbs = {}
    for name, act in CATALOGUE.items():
        if act.acts_on() is not None:
            try:
                verbs[name] = verb_of(act)
            except TypeError:  # tests/unit/test_catalogue.py reports it; the rest still works
                continue
    return verbs


VERBS: Mapping[str, Verb] = _verbs()
"""Every act a file can hold, by the name of its verb: every act of the catalogue but the
formation (and any with a field of a type that has no form in a file, which writing a
history then refuses: ``cannot write a ... event``)."""
