"""What sharedsvc's three aggregates share: their declared state, the checks every command
starts with, one recorded time per command, the cheap copy, and snapshots.

An aggregate class inherits three things::

    class SovereigntyHandover(HandoverEvents, HandoverState, SharedAggregate): ...

its events (an `AggregateEvents` namespace from its events module, so that an event is
also an attribute of its aggregate), its declared state (see `sharedsvc.domain.state`),
and this base.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, ClassVar, Self, TypeAlias

import attrs
from eventsourcing.domain import Aggregate, Snapshot

from sharedsvc._adapters.aggregates import copy_aggregate
from sharedsvc.domain.checks import require_date, require_self
from sharedsvc.domain.dated import DatedEvent, stamp
from sharedsvc.domain.state import DeclaredState
from sharedsvc.domain.values import PartyId

__all__ = ["AggregateEvents", "Past", "SharedAggregate", "StateSnapshot"]

Past: TypeAlias = Callable[[Collection[str]], Iterable[Any]]
"""Reads an aggregate's own record as loaded: its events up to its version whose topics are
among those given, decoded, in order."""


class AggregateEvents:
    """Base of an aggregate's events namespace: a class in its events module that names each
    event, the base event (``Event``), the creation events (``Created`` and the concrete one)
    and the ``Snapshot`` class. A namespace may instead inherit the namespaces of several
    modules, one a subject (as the partnership's does).

    The aggregate inherits the namespace, and `SharedAggregate` copies its classes into
    the aggregate's own namespace, where eventsourcing looks for them (it would otherwise
    define subclasses of inherited events)."""


class SharedAggregate(Aggregate):
    """Base of sharedsvc's aggregates.

    Subclasses say when they are closed (`_refuse_if_closed`) and who may act on them
    (`_member`); `_begin` makes the checks every command starts with, and
    `_trigger` records an event at the command's one recorded time."""

    # Declared for type checkers only: an annotation in the class body would make eventsourcing
    # turn every aggregate into a dataclass.
    if TYPE_CHECKING:
        declared_state: ClassVar[DeclaredState]  # set for each aggregate class, from its state
        last_on: date  # every event sets it (DatedEvent.mutate); declared in each state

    def __init_subclass__(cls, **kwargs: Any) -> None:
        for base in cls.__bases__:
            if issubclass(base, AggregateEvents):
                for namespace in base.__mro__:  # a namespace may join others, one a subject
                    for name, value in vars(namespace).items():
                        if isinstance(value, type) and name not in vars(cls):
                            setattr(cls, name, value)
        if _declares_state(cls):
            cls.declared_state = DeclaredState.of(cls)
        super().__init_subclass__(**kwargs)

    def _initialise(self, **given: Any) -> None:
        """Set every declared field: as ``given`` by the creation event, else its default."""
        vars(self).update(self.declared_state.initial(given))

    def __deepcopy__(self, memo: dict[int, Any]) -> Self:
        # The aggregate cache hands out a copy for each command. The state holds immutable
        # values in containers its events update in place: copying the containers (not the
        # values) is enough, and the copy stays cheap however long the history is.
        return copy_aggregate(self, self.declared_state.containers)

    def attach_record(self, past: Past) -> None:
        """Given on each load from the store: how to read this aggregate's record, for what its
        snapshots leave out (nothing, unless a subclass says so). Nothing is read here."""

    # ------------------------------------------------------------- what commands share --

    def _refuse_if_closed(self, on: date | None = None) -> None:
        """Refuse any act (dated ``on``, if known) if the aggregate takes no more (dissolved,
        settled, effected...)."""

    def _member(self, actor: object) -> PartyId:
        """``actor`` as the id of a party that may act on this aggregate; otherwise refuse."""
        raise NotImplementedError  # pragma: no cover - every aggregate says who

    def _begin(
        self,
        actor: object,
        on: date,
        what: str = "the act",
        *,
        by: object | None = None,
        within: SharedAggregate | None = None,
    ) -> PartyId:
        """The checks every command starts with, in this order: this aggregate is open (and
        ``within``, the aggregate whose members act, if another), ``actor`` may act, it acts
        for itself (``by``, if given, is ``actor``), and ``on`` is no earlier than the latest
        act on this aggregate. Returns the acting party's id."""
        self._refuse_if_closed(on)
        members = self if within is None else within
        if within is not None:
            within._refuse_if_closed(on)
        party = members._member(actor)
        require_self(party, by)
        require_date(on, self.last_on, what)
        return party

    def _stamp(self, at: datetime | None, *others: SharedAggregate) -> datetime:
        """The command's one recorded time: ``at`` (or now), never before the latest recorded
        time of this aggregate or ``others``."""
        return stamp(at, self, *others)

    def _trigger(
        self,
        event_class: type[DatedEvent],
        at: datetime | None,
        *others: SharedAggregate,
        **fields: Any,
    ) -> None:
        """Record ``event_class`` with ``fields`` at `_stamp` of ``at`` and ``others``."""
        self.trigger_event(event_class, timestamp=self._stamp(at, *others), **fields)


def _declares_state(cls: type) -> bool:
    return attrs.has(cls)  # an attrs class among its bases (attrs.has narrows what it is given)


class StateSnapshot(Snapshot):
    """A snapshot of a `SharedAggregate`: eventsourcing's snapshot, with the declared
    fields written as `state` says, so that a restored aggregate equals
    the live one. Each aggregate's events module defines its own with a stable topic."""

    @classmethod
    def take(cls, aggregate: Any) -> Self:
        snapshot = super().take(aggregate)
        type(aggregate).declared_state.encode(snapshot.state)
        return snapshot

    def mutate(self, _: None) -> Any:
        aggregate: Any = super().mutate(None)
        type(aggregate).declared_state.decode(vars(aggregate))
        return aggregate
