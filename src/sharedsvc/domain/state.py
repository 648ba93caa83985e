"""An aggregate's state, declared once: the fields its events set, what each starts as, and
how each is written into a snapshot.

An aggregate declares its state as an attrs class that it inherits (so type checkers know the
fields) and never instantiates::

    @attrs.define(init=False, eq=False, repr=False, slots=False, kw_only=True)
    class HandoverState:
        function: Function                              # set by the creation event
        consents: dict[PartyId, DecisionRef | None] = mapping()   # starts empty
        status: HandoverStatus = kept(HandoverStatus)   # decoded from its stored string

A field without a default is given by the creation event; a field with one starts with it.
The creation event's ``apply``, the copy the aggregate cache hands out, and the snapshot state
are all derived from this one list (`DeclaredState`), so adding a field is one line.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from enum import Enum
from typing import Any

import attrs

from sharedsvc.domain.values import freeze

__all__ = [
    "DeclaredState",
    "Stored",
    "items",
    "kept",
    "mapping",
    "pairs",
    "recalled",
    "records",
    "transient",
]

STORED = "sharedsvc.stored"
"""The key of a field's `Stored` in its attrs metadata."""


def _same(value: Any) -> Any:
    return value


@attrs.frozen
class Stored:
    """How a field is written into a snapshot state and read back from it.

    ``encode`` makes a value the JSON transcoder can write (whose mappings have string keys);
    ``decode`` makes the value back from what the transcoder reads (lists for tuples).
    A field that is not ``kept`` is left out of snapshots and restored as ``restore()``, or
    else as its default."""

    encode: Callable[[Any], Any] = _same
    decode: Callable[[Any], Any] = freeze
    kept: bool = True
    restore: Callable[[], Any] | None = None


KEPT = Stored()


def _field(stored: Stored, factory: Callable[[], Any] | None) -> Any:
    if factory is None:
        return attrs.field(default=None, metadata={STORED: stored})
    return attrs.field(factory=factory, metadata={STORED: stored})


def _reader(decode: Callable[[Any], Any]) -> Callable[[Any], Any]:
    # An enum's members by value: a dict lookup, several times quicker than calling the enum.
    if isinstance(decode, type) and issubclass(decode, Enum):
        return {member.value: member for member in decode}.__getitem__
    return decode


def kept(decode: Callable[[Any], Any], *, default: Any = attrs.NOTHING) -> Any:
    """An immutable value, read back from a snapshot with ``decode`` (an enum type, say)."""
    return attrs.field(default=default, metadata={STORED: Stored(decode=_reader(decode))})


def items() -> Any:
    """A list, starting empty; stored as a list."""
    return _field(Stored(encode=list, decode=lambda data: [freeze(item) for item in data]), list)


def mapping() -> Any:
    """A dict with string keys, starting empty; stored as a JSON object."""
    return _field(
        Stored(encode=dict, decode=lambda data: {key: freeze(v) for key, v in data.items()}), dict
    )


def records(key: str) -> Any:
    """A dict of records, each under its attribute ``key``, starting empty; stored as the list
    of the records."""

    def decode(data: Iterable[Any]) -> dict[Any, Any]:
        return {getattr(record, key): record for record in data}

    return _field(Stored(encode=lambda value: list(value.values()), decode=decode), dict)


def pairs() -> Any:
    """A dict with keys JSON cannot name (UUIDs), starting empty; stored as ``[key, value]``
    pairs."""
    return _field(
        Stored(
            encode=lambda value: [[key, item] for key, item in value.items()],
            decode=lambda data: {freeze(key): freeze(item) for key, item in data},
        ),
        dict,
    )


def recalled(factory: Callable[[], Any], restore: Callable[[], Any]) -> Any:
    """A container its events fill that snapshots leave out, so that they do not grow with the
    history: it starts as ``factory()`` and is restored from a snapshot as ``restore()``, which
    reads what the snapshot left out from the record when it is asked (see
    `sharedsvc.domain.partnership.closed`). Copied for each command, like a dict."""
    return _field(Stored(kept=False, restore=restore), factory)


def transient(factory: Callable[[], Any] | None = None) -> Any:
    """A field only a view as of a date sets: never stored, restored as ``factory()`` (or
    ``None``)."""
    return _field(Stored(kept=False), factory)


@attrs.frozen
class DeclaredState:
    """The fields an aggregate class declares, and what is derived from them (worked out once
    per class: the copy and the snapshot run on every command and every hundredth event)."""

    names: tuple[str, ...]
    """The fields' names, in declaration order."""
    containers: tuple[str, ...]
    """The fields that start as an empty container, a dict, a list or another type with a
    ``copy`` method (events update them in place)."""
    stored: tuple[tuple[str, Stored], ...]
    starts: tuple[tuple[str, Callable[[], Any]], ...]

    @classmethod
    def of(cls, aggregate_class: type) -> DeclaredState:
        """The state declared by ``aggregate_class`` (an attrs class among its bases)."""
        fields = attrs.fields(aggregate_class)
        return cls(
            names=tuple(field.name for field in fields),
            containers=tuple(field.name for field in fields if _is_container(_factory(field))),
            stored=tuple((field.name, _stored(field)) for field in fields),
            starts=tuple((field.name, _start(field)) for field in fields),
        )

    def initial(self, given: Mapping[str, Any]) -> dict[str, Any]:
        """Every field's first value: as ``given`` (by the creation event), else its default."""
        unknown = given.keys() - set(self.names)
        if unknown:
            raise TypeError(f"not fields of the declared state: {sorted(unknown)}")
        return {name: given[name] if name in given else start() for name, start in self.starts}

    def encode(self, state: dict[str, Any]) -> None:
        """Write the declared fields of an aggregate's ``state`` (a copy of its attributes) as
        a snapshot keeps them, in place; other attributes are left as they are."""
        for name, stored in self.stored:
            if stored.kept:
                state[name] = stored.encode(state[name])
            else:
                state.pop(name, None)

    def decode(self, state: dict[str, Any]) -> None:
        """Read the declared fields of a restored aggregate's ``state`` back, in place; a field
        the snapshot does not hold takes its default."""
        starts = dict(self.starts)
        for name, stored in self.stored:
            if stored.kept and name in state:
                state[name] = stored.decode(state[name])
            elif stored.restore is not None:
                state[name] = stored.restore()
            else:
                state[name] = starts[name]()


def _stored(field: attrs.Attribute[Any]) -> Stored:
    stored: Stored = field.metadata.get(STORED, KEPT)
    return stored


_FACTORY: Any = type(attrs.Factory(dict))  # attrs types Factory as a function


def _factory(field: attrs.Attribute[Any]) -> Callable[[], Any] | None:
    default: Any = field.default
    factory: Callable[[], Any] | None = default.factory if isinstance(default, _FACTORY) else None
    return factory


def _start(field: attrs.Attribute[Any]) -> Callable[[], Any]:
    """What makes the field's first value where the creation event does not give it."""
    factory = _factory(field)
    if factory is not None:
        return factory
    default = field.default
    if default is attrs.NOTHING:

        def missing() -> Any:
            raise TypeError(f"the field {field.name!r} has no default: the creation event sets it")

        return missing
    return lambda: default


def _is_container(factory: Callable[[], Any] | None) -> bool:
    return isinstance(factory, type) and callable(getattr(factory, "copy", None))
