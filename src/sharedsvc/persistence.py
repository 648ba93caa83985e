"""How the domain's values are written to and read from the store.

Each value type has one transcoding with a stable name (``"sharedsvc.CostPool"``); values read
back compare equal to the values written (a property test checks every one).
"""

from __future__ import annotations

import enum
from collections.abc import Iterator, Mapping, Sequence
from datetime import date
from typing import Any
from uuid import UUID

import attrs
from eventsourcing.domain import DomainEventProtocol
from eventsourcing.persistence import (
    ApplicationRecorder,
    JSONTranscoder,
    Mapper,
    Notification,
    StoredEvent,
    Transcoding,
)
from immutabledict import immutabledict

from sharedsvc._adapters.wire import RESERVED_KEYS
from sharedsvc.domain.policy import Policy
from sharedsvc.domain.readiness import AreaScore, ReadinessGate
from sharedsvc.domain.records import PooledFunction, Succession, Variation, Withdrawal
from sharedsvc.domain.targets import Outcome, Target
from sharedsvc.domain.transfers import DataRole, StaffArrangement, StaffTransfer
from sharedsvc.domain.values import (
    Basis,
    Concession,
    CostPool,
    DecisionRef,
    Function,
    Governance,
    Money,
    Notice,
    Party,
    Rung,
    Stage,
    Terms,
    freeze,
)

__all__ = [
    "ATTRS_TYPES",
    "ENUM_TYPES",
    "PAGE",
    "AttrsTranscoding",
    "DateAsISO",
    "EnumTranscoding",
    "FrozensetTranscoding",
    "ImmutableDictTranscoding",
    "SharedServicesMapper",
    "notifications",
    "register_transcodings",
    "transcodings",
]

ATTRS_TYPES: tuple[type, ...] = (
    Party,
    Money,
    DecisionRef,
    CostPool,
    Notice,
    Function,
    Terms,
    Concession,
    Policy,
    Variation,
    Withdrawal,
    PooledFunction,
    StaffTransfer,
    Succession,
    ReadinessGate,
    AreaScore,
    Target,
    Outcome,
)
ENUM_TYPES: tuple[type[enum.Enum], ...] = (
    Basis,
    Governance,
    Stage,
    Rung,
    StaffArrangement,
    DataRole,
)


class DateAsISO(Transcoding):
    """A calendar date as ``YYYY-MM-DD``."""

    type = date
    name = "date_iso"

    def encode(self, obj: date) -> str:
        return obj.isoformat()

    def decode(self, data: str) -> date:
        return date.fromisoformat(data)


class ImmutableDictTranscoding(Transcoding):
    """An ``immutabledict``: a JSON object where every key is a string, else a list of pairs."""

    type = immutabledict
    name = "immutabledict"

    def encode(self, obj: immutabledict[Any, Any]) -> Any:
        # A JSON object where that is safe: string keys, and not the two keys eventsourcing's
        # transcoder reserves for typed values.
        if all(isinstance(key, str) for key in obj) and set(obj) != RESERVED_KEYS:
            return dict(obj)
        return [[key, value] for key, value in obj.items()]

    def decode(self, data: Any) -> immutabledict[Any, Any]:
        pairs = data.items() if isinstance(data, Mapping) else data
        return immutabledict((freeze(key), freeze(value)) for key, value in pairs)


class FrozensetTranscoding(Transcoding):
    """A ``frozenset`` (what [`freeze`][sharedsvc.domain.values.freeze] makes of a set)."""

    type = frozenset
    name = "frozenset"

    def encode(self, obj: frozenset[Any]) -> list[Any]:
        return list(obj)

    def decode(self, data: list[Any]) -> frozenset[Any]:
        return frozenset(freeze(item) for item in data)


class EnumTranscoding(Transcoding):
    """An enum member by its value (``Stage.COMBINING`` is ``"combining"``)."""

    def __init__(self, enum_type: type[enum.Enum]) -> None:
        self.type = enum_type
        self.name = f"sharedsvc.{enum_type.__name__}"

    def encode(self, obj: enum.Enum) -> Any:
        return obj.value

    def decode(self, data: Any) -> enum.Enum:
        member: enum.Enum = self.type(data)
        return member


class AttrsTranscoding(Transcoding):
    """A frozen attrs value as an object of its fields; decoding revalidates it."""

    def __init__(self, attrs_type: type) -> None:
        self.type = attrs_type
        self.name = f"sharedsvc.{attrs_type.__name__}"
        self._fields = tuple(field.name for field in attrs.fields(attrs_type))

    def encode(self, obj: Any) -> dict[str, Any]:
        return {name: getattr(obj, name) for name in self._fields}

    def decode(self, data: dict[str, Any]) -> Any:
        return self.type(**data)


def transcodings() -> list[Transcoding]:
    """Every transcoding sharedsvc needs beyond eventsourcing's own."""
    found: list[Transcoding] = [DateAsISO(), ImmutableDictTranscoding(), FrozensetTranscoding()]
    found += [EnumTranscoding(kind) for kind in ENUM_TYPES]
    found += [AttrsTranscoding(kind) for kind in ATTRS_TYPES]
    return found


def register_transcodings(transcoder: JSONTranscoder) -> None:
    """Register every sharedsvc transcoding on ``transcoder``."""
    for transcoding in transcodings():
        transcoder.register(transcoding)


class SharedServicesMapper(Mapper[UUID]):
    """eventsourcing's mapper, which also normalises each decoded event (lists back into
    tuples), so that an event read from the store equals the event that was written."""

    def to_domain_event(self, stored_event: StoredEvent) -> DomainEventProtocol[UUID]:
        event = super().to_domain_event(stored_event)
        normalise = getattr(event, "normalise", None)
        if normalise is not None:
            normalise()
        return event


PAGE = 500
"""How many notifications `notifications` reads from the log at a time."""


def notifications(
    recorder: ApplicationRecorder,
    *,
    start: int | None = None,
    stop: int | None = None,
    topics: Sequence[str] = (),
) -> Iterator[Notification]:
    """The stored events from position ``start`` to ``stop`` (both included; ``None``: from the
    first, to the last), of ``topics`` only if any are given, in log order, read a page at a
    time."""
    inclusive = True
    while True:
        page = recorder.select_notifications(
            start=start, limit=PAGE, stop=stop, topics=topics, inclusive_of_start=inclusive
        )
        yield from page
        if len(page) < PAGE:
            return
        start, inclusive = page[-1].id, False
