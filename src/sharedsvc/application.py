"""SharedServices: the application that records partnerships in an event store.

The store is chosen by configuration, as in eventsourcing: :meth:`SharedServices.sqlite`,
:meth:`SharedServices.postgres`, :meth:`SharedServices.in_memory`, or eventsourcing's
environment variables (``PERSISTENCE_MODULE``, ``SQLITE_DBNAME``, ``POSTGRES_DBNAME`` ...).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import UTC, date, datetime
from typing import Any, ClassVar, TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application, ProcessingEvent
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import JSONTranscoder, Mapper, RecordConflictError

from sharedsvc.domain.errors import ConcurrencyConflict, NotFound, RuleViolation
from sharedsvc.domain.partnership import Partnership
from sharedsvc.domain.partnership_events import variation_records
from sharedsvc.domain.policy import Policy
from sharedsvc.domain.records import Variation
from sharedsvc.domain.values import INVALID, DecisionRef, Money, Party, Stage, Terms
from sharedsvc.domain.views import PartnershipView
from sharedsvc.persistence import SharedServicesMapper, register_transcodings

__all__ = ["SharedServices", "project_events"]

A = TypeVar("A", bound=Aggregate)
R = TypeVar("R")


def project_events(aggregate: Any, events: Iterable[Any]) -> Any:
    """Apply ``events`` to ``aggregate`` in order (eventsourcing's projector without its
    per-event protocol check, which costs nearly half of a rebuild)."""
    for event in events:
        aggregate = event.mutate(aggregate)
    return aggregate


def _uuid(value: object, what: str) -> UUID:
    if isinstance(value, UUID):
        return value
    try:
        return UUID(str(value))
    except ValueError:
        raise NotFound(f"{value!r} is not the id of any {what}") from None


def _utc(moment: datetime) -> datetime:
    if not isinstance(moment, datetime):
        raise RuleViolation(INVALID, f"known_at must be a datetime, not {moment!r}")
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


class SharedServices(Application[UUID]):
    """Records shared-service partnerships as events and answers questions about them.

    Every verb takes the acting party (``by=`` or ``party=``) and the legal date ``on``;
    a refused verb raises a :class:`~sharedsvc.SharedServiceError` and records nothing.
    """

    name = "SharedServices"
    env: ClassVar[dict[str, str]] = {
        "AGGREGATE_CACHE_MAXSIZE": "1000",
        "IS_SNAPSHOTTING_ENABLED": "y",
    }
    snapshotting_intervals: ClassVar[dict[type[Any], int]] = {
        Partnership: Partnership.snapshot_every
    }
    snapshotting_projectors: ClassVar[dict[type[Any], Any]] = {Partnership: project_events}

    # ---------------------------------------------------------------------- stores --

    @classmethod
    def in_memory(cls, **env: str) -> SharedServices:
        """An application whose store lives in memory (for tests and experiments)."""
        return cls(env={"PERSISTENCE_MODULE": "eventsourcing.popo", **env})

    @classmethod
    def sqlite(cls, path: str | os.PathLike[str], **env: str) -> SharedServices:
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
    ) -> SharedServices:
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

    def construct_mapper(self) -> Mapper[UUID]:
        """eventsourcing's mapper, normalising decoded events (unless ``MAPPER_TOPIC`` names
        another)."""
        if self.env.get("MAPPER_TOPIC"):
            return super().construct_mapper()
        return self.factory.mapper(
            transcoder=self.construct_transcoder(), mapper_class=SharedServicesMapper
        )

    def _take_snapshots(self, processing_event: ProcessingEvent[UUID]) -> None:
        # eventsourcing rebuilds each aggregate from the store to snapshot it; the aggregate
        # just saved is already in hand, at the version of its last event.
        if self.snapshots is None:
            return
        for aggregate in processing_event.aggregates.values():
            interval = self.snapshotting_intervals.get(type(aggregate))
            if interval and any(
                event.originator_id == aggregate.id and event.originator_version % interval == 0
                for event in processing_event.events
            ):
                snapshot = type(aggregate).Snapshot.take(aggregate)  # type: ignore[attr-defined]
                self.snapshots.put([snapshot])

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        register_transcodings(transcoder)

    # --------------------------------------------------------------- internals --

    def _load(self, aggregate_id: object, kind: type[A], what: str) -> A:
        uid = _uuid(aggregate_id, what)
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

    def _on_partnership(self, pid: object, act: Callable[[Partnership], R]) -> R:
        partnership = self._load(pid, Partnership, "partnership")
        result = act(partnership)
        self._commit(partnership)
        return result

    def highest_position(self) -> int:
        """The position of the latest event in the store's global log (0 when empty)."""
        return self.recorder.max_notification_id() or 0

    # ------------------------------------------------------------- partnerships --

    def form_partnership(
        self,
        name: str,
        *,
        parties: Iterable[Party],
        terms: Terms,
        stage: Stage = Stage.CO_OPERATING,
        on: date,
        ref: DecisionRef | None = None,
        policy: Policy | None = None,
    ) -> UUID:
        """Form a partnership of ``parties`` on ``terms``; returns its id."""
        partnership = Partnership.form(
            name, parties=parties, terms=terms, stage=stage, on=on, ref=ref, policy=policy
        )
        self._commit(partnership)
        return partnership.id

    def propose_variation(
        self,
        pid: UUID,
        *,
        by: str,
        changes: Mapping[str, Any] | None = None,
        admit: Iterable[Party] = (),
        dissolve: bool = False,
        final_account: Mapping[str, Money] | None = None,
        rationale: str | None = None,
        effective: date | None = None,
        on: date,
        ref: DecisionRef | None = None,
    ) -> UUID:
        """Propose a variation of the terms (``changes``, ``admit``, or ``dissolve``)."""
        return self._on_partnership(
            pid,
            lambda p: p.propose_variation(
                by=by, changes=changes, admit=admit, dissolve=dissolve,
                final_account=final_account, rationale=rationale, effective=effective,
                on=on, ref=ref,
            ),
        )  # fmt: skip

    def state_position(
        self,
        pid: UUID,
        vid: UUID,
        *,
        party: str,
        position: Mapping[str, Any],
        on: date,
        by: str | None = None,
    ) -> None:
        """Record what ``party`` wants from the variation (same shape as ``changes``)."""
        self._on_partnership(
            pid,
            lambda p: p.state_position(
                _uuid(vid, "variation"), party=party, position=position, on=on, by=by
            ),
        )

    def approve_variation(
        self,
        pid: UUID,
        vid: UUID,
        *,
        party: str,
        ref: DecisionRef | None = None,
        on: date,
        by: str | None = None,
    ) -> bool:
        """Approve a variation; the last approval adopts it (returns ``True`` then)."""
        return self._on_partnership(
            pid,
            lambda p: p.approve_variation(
                _uuid(vid, "variation"), party=party, ref=ref, on=on, by=by
            ),
        )

    def reject_variation(
        self,
        pid: UUID,
        vid: UUID,
        *,
        party: str,
        reason: str | None = None,
        on: date,
        ref: DecisionRef | None = None,
        by: str | None = None,
    ) -> None:
        """Reject a variation, which closes it."""
        self._on_partnership(
            pid,
            lambda p: p.reject_variation(
                _uuid(vid, "variation"), party=party, reason=reason, on=on, ref=ref, by=by
            ),
        )

    def change_stage(
        self,
        pid: UUID,
        *,
        to: Stage,
        by: str,
        rationale: str | None = None,
        ref: DecisionRef | None = None,
        on: date,
    ) -> None:
        """Move the partnership to stage ``to`` (forward or back)."""
        self._on_partnership(
            pid, lambda p: p.change_stage(to=to, by=by, rationale=rationale, ref=ref, on=on)
        )

    def serve_withdrawal_notice(
        self,
        pid: UUID,
        *,
        party: str,
        on: date,
        ref: DecisionRef | None = None,
        by: str | None = None,
    ) -> date:
        """Serve ``party``'s notice; returns the earliest date the withdrawal takes effect."""
        return self._on_partnership(
            pid, lambda p: p.serve_withdrawal_notice(party=party, on=on, ref=ref, by=by)
        )

    def retract_withdrawal_notice(
        self,
        pid: UUID,
        *,
        party: str,
        on: date,
        ref: DecisionRef | None = None,
        by: str | None = None,
    ) -> None:
        """Retract ``party``'s withdrawal notice."""
        self._on_partnership(
            pid, lambda p: p.retract_withdrawal_notice(party=party, on=on, ref=ref, by=by)
        )

    def determine_exit_costs(
        self,
        pid: UUID,
        *,
        party: str,
        amount: Money,
        by: str,
        on: date,
        ref: DecisionRef | None = None,
    ) -> None:
        """Determine the leaving ``party``'s exit costs (``by`` a party that stays)."""
        self._on_partnership(
            pid,
            lambda p: p.determine_exit_costs(party=party, amount=amount, by=by, on=on, ref=ref),
        )

    def settle_exit_payment(
        self,
        pid: UUID,
        *,
        party: str,
        amount: Money,
        on: date,
        ref: DecisionRef | None = None,
        by: str | None = None,
    ) -> None:
        """Record the leaving ``party``'s payment of its exit costs."""
        self._on_partnership(
            pid,
            lambda p: p.settle_exit_payment(party=party, amount=amount, on=on, ref=ref, by=by),
        )

    def complete_withdrawal(
        self,
        pid: UUID,
        *,
        party: str,
        on: date,
        ref: DecisionRef | None = None,
        by: str | None = None,
    ) -> None:
        """Complete ``party``'s withdrawal and rebase the cost pools over those remaining."""
        self._on_partnership(
            pid, lambda p: p.complete_withdrawal(party=party, on=on, ref=ref, by=by)
        )

    # -------------------------------------------------------------------- views --

    def partnership(
        self,
        pid: UUID,
        *,
        version: int | None = None,
        as_of: date | None = None,
        known_at: datetime | None = None,
    ) -> PartnershipView:
        """The partnership as it stands, or after event ``version``, or as it legally stood
        on ``as_of``, or as the record stood at ``known_at`` (the last two combine)."""
        if version is None and as_of is None and known_at is None:
            return PartnershipView.of(self._load(pid, Partnership, "partnership"))
        uid = _uuid(pid, "partnership")
        if version is not None and (isinstance(version, bool) or not isinstance(version, int)):
            raise RuleViolation(INVALID, f"version must be a whole number, not {version!r}")
        if as_of is None and known_at is None:
            try:
                aggregate = self.repository.get(uid, version=version, projector_func=project_events)
            except AggregateNotFoundError:
                raise NotFound(f"partnership {uid} has no version {version}") from None
            if not isinstance(aggregate, Partnership):
                raise NotFound(f"{uid} is not the id of a partnership")
            return PartnershipView.of(aggregate)
        if as_of is not None and (not isinstance(as_of, date) or isinstance(as_of, datetime)):
            raise RuleViolation(INVALID, f"as_of must be a date, not {as_of!r}")
        moment = None if known_at is None else _utc(known_at)
        aggregate = project_until(self.events.get(uid, lte=version), as_of, moment)
        if aggregate is None:
            self._load(pid, Partnership, "partnership")  # NotFound if it never existed
            raise NotFound(
                f"partnership {uid} did not exist yet"
                + (f" on {as_of.isoformat()}" if as_of else "")
                + (f" as recorded at {moment.isoformat()}" if moment else "")
            )
        if not isinstance(aggregate, Partnership):
            raise NotFound(f"{uid} is not the id of a partnership")
        return PartnershipView.of(aggregate, as_of=as_of, known_at=moment)

    def variations(
        self, pid: UUID, *, as_of: date | None = None, known_at: datetime | None = None
    ) -> tuple[Variation, ...]:
        """The record of every variation of the partnership, oldest first: open, adopted (with
        the concessions adoption computed) and rejected; ``as_of`` and ``known_at`` as for
        :meth:`partnership`."""
        self.partnership(pid, as_of=as_of, known_at=known_at)  # NotFound, or refused dates
        moment = None if known_at is None else _utc(known_at)
        events = take_until(self.events.get(_uuid(pid, "partnership")), as_of, moment)
        return tuple(variation_records(events).values())

    def variation(
        self,
        pid: UUID,
        vid: UUID,
        *,
        as_of: date | None = None,
        known_at: datetime | None = None,
    ) -> Variation:
        """The record of one variation (see :meth:`variations`)."""
        uid = _uuid(vid, "variation")
        for record in self.variations(pid, as_of=as_of, known_at=known_at):
            if record.id == uid:
                return record
        raise NotFound(f"partnership {pid} has no variation {uid}")

    def partnership_ids(self) -> Iterator[UUID]:
        """The id of every partnership in the store, in the order they were formed."""
        start: int | None = None
        while True:
            page = self.recorder.select_notifications(
                start=start,
                limit=500,
                topics=[Partnership.Formed.TOPIC],
                inclusive_of_start=start is None,
            )
            for notification in page:
                yield _uuid(notification.originator_id, "partnership")
            if len(page) < 500:
                return
            start = page[-1].id

    def partnerships(self) -> list[PartnershipView]:
        """A view of every partnership in the store, in the order they were formed."""
        return [self.partnership(pid) for pid in self.partnership_ids()]


def take_until(
    events: Iterable[Any], as_of: date | None, known_at: datetime | None
) -> Iterator[Any]:
    """The prefix of ``events`` dated on or before ``as_of`` and recorded at or before
    ``known_at`` (legal dates never go backwards within an aggregate, nor recorded times)."""
    for event in events:
        if as_of is not None and event.on > as_of:
            return
        if known_at is not None and event.timestamp > known_at:
            return
        yield event


def project_until(
    events: Iterable[Any], as_of: date | None, known_at: datetime | None
) -> Aggregate | None:
    """Replay the prefix of ``events`` given by :func:`take_until`; an adopted change
    effective after ``as_of`` is left pending."""
    aggregate: Any = None
    for event in take_until(events, as_of, known_at):
        aggregate = event.mutate(aggregate)
        if as_of is not None and isinstance(aggregate, Partnership):
            aggregate.cutoff = as_of
    return aggregate  # type: ignore[no-any-return]
