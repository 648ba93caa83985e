"""The store side of the application: configuration, loading, saving, time travel.

The store is chosen by configuration, as in eventsourcing:
[`Store.sqlite`][sharedsvc.SharedServices.sqlite],
[`Store.postgres`][sharedsvc.SharedServices.postgres],
[`Store.in_memory`][sharedsvc.SharedServices.in_memory], or eventsourcing's environment variables
(``PERSISTENCE_MODULE``, ``SQLITE_DBNAME``, ``POSTGRES_DBNAME`` ...).
"""

from __future__ import annotations

import os
from collections.abc import Collection, Iterable, Iterator, Sequence
from datetime import UTC, date, datetime
from typing import Any, ClassVar, Self, TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Repository
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import (
    JSONTranscoder,
    Mapper,
    RecordConflictError,
    StoredEvent,
)

from sharedsvc._adapters.locks import TablesInTurn
from sharedsvc._adapters.snapshots import SnapshotsInHand
from sharedsvc.domain.aggregate import Past, SharedAggregate
from sharedsvc.domain.dated import stamp
from sharedsvc.domain.errors import ConcurrencyConflict, NotFound, RuleViolation, StoreClosed
from sharedsvc.domain.partnership import Partnership
from sharedsvc.domain.validators import shown, whole
from sharedsvc.domain.values import INVALID
from sharedsvc.persistence import SharedServicesMapper, register_transcodings

__all__ = ["Store", "project_events", "project_through", "project_until", "take_until"]

A = TypeVar("A", bound=Aggregate)

PAGE = 1_000
"""Stored events read at a time when an aggregate reads its own record."""


def project_events(aggregate: Any, events: Iterable[Any]) -> Any:
    """Apply ``events`` to ``aggregate`` in order (eventsourcing's projector without its
    per-event protocol check, which costs nearly half of a rebuild)."""
    for event in events:
        aggregate = event.mutate(aggregate)
    return aggregate


class RecallingRepository(Repository[UUID]):
    """eventsourcing's repository, giving every aggregate it loads, by any caller, the way to
    read its own record up to the version loaded (`SharedAggregate.attach_record`): what a
    snapshot leaves out is read from there, and only if it is asked for."""

    closed = False
    """Set when the application closes: its aggregates then read nothing more."""

    @classmethod
    def like(cls, repository: Repository[UUID]) -> RecallingRepository:
        """One with the settings and the cache of ``repository``."""
        made = cls(
            repository.event_store,
            snapshot_store=repository.snapshot_store,
            fastforward=repository.fastforward,
            fastforward_skipping=repository.fastforward_skipping,
            deepcopy_from_cache=repository.deepcopy_from_cache,
        )
        made.cache = repository.cache
        return made

    def get(self, aggregate_id: UUID, **options: Any) -> Any:
        aggregate: Any = super().get(aggregate_id, **options)
        if isinstance(aggregate, SharedAggregate):
            aggregate.attach_record(self._reader(aggregate_id, aggregate.version))
        return aggregate

    def _reader(self, uid: UUID, version: int) -> Past:
        events = self.event_store

        def past(topics: Collection[str]) -> Iterator[Any]:
            after = 0
            while page := select(after):
                for stored in page:
                    if stored.topic in topics:
                        yield events.mapper.to_domain_event(stored)
                after = page[-1].originator_version

        def select(after: int) -> Sequence[StoredEvent]:
            if self.closed:
                raise StoreClosed(
                    f"reading the record of {uid} needs its application open; it was closed"
                )
            return events.recorder.select_events(uid, gt=after, lte=version, limit=PAGE)

        return past


def as_uuid(value: object, what: str) -> UUID:
    if isinstance(value, UUID):
        return value
    try:
        if isinstance(value, str):
            return UUID(value)
    except ValueError:
        pass
    raise NotFound(f"{shown(value)} is not the id of any {what}")


def as_utc(moment: datetime) -> datetime:
    if not isinstance(moment, datetime):
        raise RuleViolation(INVALID, f"known_at must be a datetime, not {shown(moment)}")
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


class Store(TablesInTurn, SnapshotsInHand):
    """An eventsourcing application configured for sharedsvc's aggregates: the aggregate
    cache, snapshots of partnerships (taken of the aggregate in hand as it is saved),
    sharedsvc's transcodings, and typed loading. Any number of processes may open one store at
    once: on PostgreSQL they create its tables in turn."""

    env: ClassVar[dict[str, str]] = {
        "AGGREGATE_CACHE_MAXSIZE": "1000",
        "IS_SNAPSHOTTING_ENABLED": "y",
    }
    snapshotting_intervals: ClassVar[dict[type[Any], int]] = {
        Partnership: Partnership.snapshot_every
    }
    snapshotting_projectors: ClassVar[dict[type[Any], Any]] = {Partnership: project_events}

    @classmethod
    def in_memory(cls, **env: str) -> Self:
        """An application whose store lives in memory (for tests and experiments)."""
        return cls(env={"PERSISTENCE_MODULE": "eventsourcing.popo", **env})

    @classmethod
    def sqlite(cls, path: str | os.PathLike[str], **env: str) -> Self:
        """An application on the embedded SQLite store in the file at ``path``."""
        return cls(
            env={
                "PERSISTENCE_MODULE": "eventsourcing.sqlite",
                "SQLITE_DBNAME": os.fspath(path),
                **env,
            }
        )

    @classmethod
    def postgres(
        cls,
        dbname: str,
        *,
        host: str = "127.0.0.1",
        port: int = 5432,
        user: str = "postgres",
        password: str = "",
        **env: str,
    ) -> Self:
        """An application on a PostgreSQL database (tables are created if missing)."""
        return cls(
            env={
                "PERSISTENCE_MODULE": "eventsourcing.postgres",
                "POSTGRES_DBNAME": dbname,
                "POSTGRES_HOST": host,
                "POSTGRES_PORT": str(port),
                "POSTGRES_USER": user,
                "POSTGRES_PASSWORD": password,
                **env,
            }
        )

    def construct_repository(self) -> Repository[UUID]:
        """eventsourcing's repository, configured as eventsourcing configures it, which gives
        each aggregate it loads the way to read its own record (`RecallingRepository`)."""
        return RecallingRepository.like(super().construct_repository())

    def close(self) -> None:
        """Close the store's connections. Views read from it before keep what they hold; one
        that would still have to read the record raises `StoreClosed`."""
        if isinstance(self.repository, RecallingRepository):
            self.repository.closed = True
        super().close()

    def construct_mapper(self) -> Mapper[UUID]:
        """eventsourcing's mapper, normalising decoded events (unless ``MAPPER_TOPIC`` names
        another)."""
        if self.env.get("MAPPER_TOPIC"):
            return super().construct_mapper()
        return self.factory.mapper(
            transcoder=self.construct_transcoder(), mapper_class=SharedServicesMapper
        )

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        register_transcodings(transcoder)

    # --------------------------------------------------------------- internals --

    def _load(self, aggregate_id: object, kind: type[A], what: str) -> A:
        uid = as_uuid(aggregate_id, what)
        try:
            aggregate: Any = self.repository.get(uid, projector_func=project_events)
        except AggregateNotFoundError:
            raise NotFound(f"there is no {what} with id {uid}") from None
        if not isinstance(aggregate, kind):
            raise NotFound(f"{uid} is the id of a {type(aggregate).__name__}, not a {what}")
        return aggregate

    def _commit(self, *aggregates: Aggregate) -> None:
        try:
            self.save(*aggregates)
        except RecordConflictError as error:
            raise ConcurrencyConflict(
                "another writer changed this record since it was read: read it again and retry"
            ) from error
        # What was just saved is each aggregate as its stored events make it: the cache holds
        # it, so that the next command's fast-forward finds nothing new to decode and apply
        # (eventsourcing caches on saving only without fast-forward). A later write by
        # another process is still read by the fast-forward, from this version on.
        cache = self.repository.cache
        if cache is not None and self.repository.fastforward:
            for aggregate in aggregates:
                cache.put(aggregate.id, aggregate)

    def highest_position(self) -> int:
        """The position of the latest event in the store's global log (0 when empty)."""
        return self.recorder.max_notification_id() or 0

    def _dated(
        self,
        aggregate_id: object,
        kind: type[A],
        what: str,
        *,
        version: int | None = None,
        as_of: date | None = None,
        known_at: datetime | None = None,
    ) -> A:
        """The aggregate as it stands, or after event ``version``, or as it legally stood on
        ``as_of``, or as the record stood at ``known_at`` (the last two combine)."""
        if version is None and as_of is None and known_at is None:
            return self._load(aggregate_id, kind, what)
        uid = as_uuid(aggregate_id, what)
        if version is not None:
            whole(version, "version")
        if as_of is not None and (not isinstance(as_of, date) or isinstance(as_of, datetime)):
            raise RuleViolation(INVALID, f"as_of must be a date, not {shown(as_of)}")
        moment = None if known_at is None else as_utc(known_at)
        if as_of is None and moment is None:
            try:
                aggregate: Any = self.repository.get(
                    uid, version=version, projector_func=project_events
                )
            except AggregateNotFoundError:
                raise NotFound(f"{what} {uid} has no version {version}") from None
        else:
            aggregate = project_until(self.events.get(uid, lte=version), as_of, moment)
            if aggregate is None:
                self._load(uid, kind, what)  # NotFound if it never existed
                raise NotFound(
                    f"{what} {uid} did not exist yet"
                    + (f" on {as_of.isoformat()}" if as_of else "")
                    + (f" as recorded at {moment.isoformat()}" if moment else "")
                )
        if not isinstance(aggregate, kind):
            raise NotFound(f"{uid} is not the id of a {what}")
        return aggregate

    def _now(self, *aggregates: Aggregate) -> datetime:
        """One recorded time for a command that writes to ``aggregates``."""
        return stamp(None, *aggregates)


def take_until(
    events: Iterable[Any], as_of: date | None, known_at: datetime | None
) -> Iterator[Any]:
    """The prefix of ``events`` dated on or before ``as_of`` and recorded at or before
    ``known_at`` (legal dates never go backwards within an aggregate, nor recorded times).

    An event recorded ahead of its date (`DatedEvent.ahead`: a dissolution's returns) does
    not end the prefix: it is taken with the act that scheduled it, and the events after it
    are still read. Applied to a partnership as of a date before it, it changes nothing (the
    dissolution that wrote it is ``scheduled`` there)."""
    for event in events:
        if as_of is not None and event.on > as_of and not getattr(event, "ahead", False):
            return
        if known_at is not None and event.timestamp > known_at:
            return
        yield event


def project_until(
    events: Iterable[Any], as_of: date | None, known_at: datetime | None
) -> Aggregate | None:
    """Replay the prefix of ``events`` given by `take_until`; an adopted change
    effective after ``as_of`` is left pending."""
    aggregate: Any = None
    for event in take_until(events, as_of, known_at):
        aggregate = event.mutate(aggregate)
        if as_of is not None and isinstance(aggregate, Partnership):
            aggregate.cutoff = as_of
    return aggregate  # type: ignore[no-any-return]


def project_through(
    events: Sequence[Any], dates: Iterable[date]
) -> Iterator[tuple[date, Aggregate | None]]:
    """For each of ``dates`` (ascending), the aggregate `project_until` gives of ``events`` as
    of that date, with no time of recording, reading ``events`` once where it can.

    The projection carries on from one date to the next while it has scheduled nothing (no
    adopted change left pending for being effective after the date): every change it applied
    would have applied as well on the later date. Otherwise it starts again from the first
    event. The aggregate yielded is the one the next step goes on changing: read it before
    asking for the next."""
    aggregate: Any = None
    taken = 0
    for day in dates:
        if getattr(aggregate, "scheduled", None):
            aggregate, taken = None, 0
        if isinstance(aggregate, Partnership):
            aggregate.cutoff = day
        while taken < len(events):
            event = events[taken]
            if event.on > day and not getattr(event, "ahead", False):
                break
            aggregate = event.mutate(aggregate)
            taken += 1
            if isinstance(aggregate, Partnership):
                aggregate.cutoff = day
        yield day, aggregate
