"""The read side: read models that follow the global event log, and what they answer.

`ReadModels` keeps the audit trail's index, the compromise ledger and the versioned view
of every partnership in tables beside the events (`sharedsvc.projections.store`). It
follows the log a page at a time: `ReadModels.catch_up` applies every event recorded
since the position the read models reached, each page in one transaction with its tracking
record, so each event is applied exactly once and a follower that stops resumes where it
stopped. SQLite has no subscription to the log, so there the catch-up loop is the follower
(`ReadModels.follow` repeats it); on PostgreSQL eventsourcing's projection runner can
follow the log in a process of its own (`sharedsvc.projections.runner`). Either writes the
same rows. `ReadModels.replay` rebuilds every read model from scratch, streaming the log.

One replay, catch-up or follower works on a store's read models at a time: each holds their
lock (`sharedsvc.projections.store.ReadStore.lock`) while it works, and another waits for
it at most ``wait`` seconds, then is refused with `sharedsvc.ReadModelsBusy`. An event
the read models cannot apply stops them with `sharedsvc.EventNotApplied` (its position
and topic); they carry on past it only when told to (``skip=[position]``), and log that they did.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Collection, Iterator
from datetime import date, datetime
from typing import Any, Protocol
from uuid import UUID

import attrs
from eventsourcing.persistence import ApplicationRecorder, Mapper, Tracking

from sharedsvc._adapters.rows import RawRow, id_hex
from sharedsvc._adapters.stores import kept_beside, store_kind
from sharedsvc._adapters.tracking import reached_and_last
from sharedsvc._adapters.wire import decode_value
from sharedsvc.domain.errors import ReadModelsBusy
from sharedsvc.domain.values import PartyId, freeze
from sharedsvc.domain.views import PartnershipView
from sharedsvc.integrity.rows import open_log
from sharedsvc.projections.audit import AuditEntry, audit_entries_of
from sharedsvc.projections.builder import ReadModelBuilder, Rows
from sharedsvc.projections.collecting import paused
from sharedsvc.projections.compromises import CompromiseEntry
from sharedsvc.projections.listing import PartnershipSummary
from sharedsvc.projections.memory_store import MemoryReadStore
from sharedsvc.projections.sovereignty import SovereigntyMap, sovereignty_map
from sharedsvc.projections.store import ReadStore, SQLiteReadStore, SQLReadStore

__all__ = ["WAIT", "FieldVersion", "ReadModels", "Recorded", "open_read_store", "skipping"]

Progress = Callable[[int], None]

log = logging.getLogger("sharedsvc.read_models")

WAIT = 30.0
"""How long a replay or a catch-up waits, by default, for another to finish (seconds)."""

BATCH = 100_000
"""How many events the read models apply per transaction: a batch's rows take a few hundred
bytes per event, and each batch writes a page of the trail and of the versions per partnership
(at 1,000,000 events, batches of 50,000 gave a peak 17 MB lower than 100,000 but their writes
a quarter longer)."""


@attrs.frozen
class FieldVersion:
    """One value a partnership's field held: from which event (its ``position`` in the log and
    its name), on which legal date it was decided (``on``), from when it applied
    (``effective``) and when it was recorded."""

    value: Any
    position: int
    event: str
    on: date
    effective: date
    recorded_at: datetime


class Recorded(Protocol):
    """What the read models need of the application whose log they follow (a
    [`SharedServices`][sharedsvc.SharedServices] is one): its recorder and mapper, and the view of a
    partnership (raising [`NotFound`][sharedsvc.NotFound] for an unknown one)."""

    @property
    def recorder(self) -> ApplicationRecorder: ...

    @property
    def mapper(self) -> Mapper[UUID]: ...

    def partnership(self, pid: UUID) -> PartnershipView: ...


def open_read_store(recorder: ApplicationRecorder) -> ReadStore:
    """The read store beside the events of ``recorder`` (created if missing)."""
    kind = store_kind(recorder)
    store: SQLReadStore
    if kind == "sqlite":
        store = SQLiteReadStore.beside(recorder)
    elif kind == "postgres":
        from sharedsvc.projections.postgres_store import PostgresReadStore

        store = PostgresReadStore.beside(
            recorder, tracking_table_name=f"{ReadStore.projection}_tracking"
        )
    elif kind == "memory":
        return kept_beside(recorder, "read_store", MemoryReadStore)
    else:
        raise TypeError(f"sharedsvc keeps no read models beside a {type(recorder).__name__}")
    store.open()
    return store


class ReadModels:
    """The read models of one application's store (see the module)."""

    def __init__(self, app: Recorded, store: ReadStore | None = None) -> None:
        self.app = app
        self.store = store or open_read_store(app.recorder)
        self._builder = ReadModelBuilder(self.store)
        self._reached: int | None = None  # where this object's builder left the read models
        self._lock = threading.Lock()

    # --- following the log --------------------------------------------------------------------

    @property
    def position(self) -> int:
        """The position in the global log the read models have reached."""
        return self.store.position()

    def up_to_date(self) -> bool:
        """Whether the read models have reached the end of the log, so that a catch-up would
        find nothing to apply (on SQLite one statement; no lock is taken)."""
        reached, last = reached_and_last(self.store, self.store.name, self.app.recorder)
        return reached >= last

    def catch_up(
        self,
        *,
        progress: Progress | None = None,
        batch: int = BATCH,
        skip: Collection[int] = (),
        wait: float = WAIT,
    ) -> int:
        """Apply every event recorded after `position`, ``batch`` events per
        transaction; returns how many were read.

        Waits at most ``wait`` seconds for another replay or catch-up of these read models to
        finish (`sharedsvc.ReadModelsBusy` after that). An event they cannot apply
        raises `sharedsvc.EventNotApplied`, with what came before it applied; the
        events at the positions in ``skip`` are passed over, each with a logged warning."""
        with self._lock, self.store.lock(wait):
            reached = self.store.position()
            if reached != self._reached:  # another wrote them since: remember nothing of ours
                self._builder = ReadModelBuilder(self.store)
            return self._apply_from(reached, progress, batch, skip)

    def replay(
        self,
        *,
        progress: Progress | None = None,
        batch: int = BATCH,
        skip: Collection[int] = (),
        wait: float = WAIT,
    ) -> int:
        """Empty the read models and rebuild them from the whole log; returns how many
        events were read. Memory stays flat: the log streams a page at a time and the rows
        go to the store ``batch`` events at a time (what a batch holds is all that grows).
        ``skip`` and ``wait`` as for `catch_up`; a replay that stops part way leaves
        the read models where it stopped, and a catch-up carries on from there."""
        with self._lock, self.store.lock(wait):
            self.store.clear()
            self._reached = 0
            self._builder = ReadModelBuilder()  # nothing to remember from an empty store
            try:
                return self._apply_from(0, progress, batch, skip)
            finally:
                self._builder = ReadModelBuilder(self.store)

    def follow(
        self, stop: threading.Event, *, interval: float = 0.5, skip: Collection[int] = ()
    ) -> None:
        """Catch up, then again every ``interval`` seconds, until ``stop`` is set: the
        follower for stores without a subscription (SQLite, memory). While another process
        holds the read models (a replay), it waits for its next turn."""
        while True:
            try:
                self.catch_up(skip=skip, wait=interval)
            except ReadModelsBusy as busy:
                log.info("the read models are busy; trying again: %s", busy)
            if stop.wait(interval):
                return

    def _apply_from(
        self, after: int, progress: Progress | None, batch: int, skip: Collection[int]
    ) -> int:
        """Apply the log after ``after``, ``batch`` events (or a little more) per transaction,
        each batch only if the read models are still where the last one left them."""
        try:
            with paused():  # no collector passes over what a batch holds (`collecting`)
                return self._batches(after, progress, batch, frozenset(skip))
        except BaseException:
            # the builder may hold what a batch that was never written taught it
            self._builder, self._reached = ReadModelBuilder(self.store), None
            raise

    def _batches(
        self, after: int, progress: Progress | None, batch: int, skip: frozenset[int]
    ) -> int:
        count = 0
        builder, store = self._builder, self.store
        rows, last, reached = Rows(), 0, after
        add_page = builder.add_page  # EventNotApplied for an event it cannot apply
        for page in open_log(self.app.recorder).pages(after):
            taken, first = page, page[0]
            if skip or type(first[1]) is not str or type(first[4]) is not bytes:
                taken = _as_stored(page, skip)  # a store's columns give every row the same types
            add_page(rows, taken)
            count += len(page)
            last = page[-1][0]
            if count % batch < len(page):  # crossed a batch boundary
                store.apply(builder.flush(rows), Tracking(store.name, last), after=reached)
                self._reached = reached = last
                rows = Rows()
                if progress is not None:
                    progress(count)
        if rows.trail or rows.closed or (last and reached < last):
            store.apply(builder.flush(rows), Tracking(store.name, last), after=reached)
            self._reached = last
        if progress is not None:
            progress(count)
        return count

    # --- queries ------------------------------------------------------------------------------

    def _rows_of(self, pid: UUID) -> str:
        view = self.app.partnership(pid)  # NotFound for an unknown partnership
        return view.id.hex

    def audit_trail(self, pid: UUID) -> list[AuditEntry]:
        """The partnership's audit trail from the read models: the events the trail index
        names, read by position and narrated (equal to ``app.audit_trail(pid)`` once the
        read models have caught up, without reading the rest of the log)."""
        rows = self.store.trail_rows(self._rows_of(pid))
        return list(audit_entries_of(self.app.recorder, self.app.mapper, pid, rows))

    def compromises(self, pid: UUID) -> dict[str, list[CompromiseEntry]]:
        """The compromise ledger from the read models (as ``app.compromises(pid)``)."""
        view = self.app.partnership(pid)
        decode = self._decode
        ledger: dict[str, list[CompromiseEntry]] = {party: [] for party in view.parties}
        for row in self.store.compromise_rows(view.id.hex):
            ledger.setdefault(row.party, []).append(
                CompromiseEntry(
                    PartyId(row.party),
                    row.kind,
                    row.subject,
                    decode(row.wanted),
                    decode(row.accepted),
                    row.rationale,
                    None if row.ref is None else decode(row.ref),
                    date.fromisoformat(row.on),
                    row.position,
                    row.event,
                    UUID(row.source),
                )
            )
        return ledger

    def versions(self, pid: UUID) -> dict[str, list[FieldVersion]]:
        """For each field of the partnership (its name, stage, parties, each field of its
        terms, dissolution), every value it held, oldest first."""
        history: dict[str, list[FieldVersion]] = {}
        for row in self.store.version_rows(self._rows_of(pid)):
            history.setdefault(row.field, []).append(
                FieldVersion(
                    self._decode(row.value),
                    row.position,
                    row.event,
                    date.fromisoformat(row.on),
                    date.fromisoformat(row.effective),
                    datetime.fromisoformat(row.recorded_at),
                )
            )
        return history

    def sovereignty(self, party: PartyId) -> SovereigntyMap:
        """``party``'s sovereignty map from the read models (as ``app.sovereignty(party)``
        once they have caught up): one query by party."""
        return sovereignty_map(party, self.store.sovereignty_rows(party), self.app.mapper)

    def partnerships(self, *, page: int = 500) -> Iterator[PartnershipSummary]:
        """Every partnership from the index, in the order they were formed (as
        ``app.partnerships()`` in brief), read ``page`` rows at a time as it is consumed."""
        after = 0
        while True:
            rows = self.store.partnership_rows(after, page)
            yield from map(PartnershipSummary.of_row, rows)
            if len(rows) < page:
                return
            after = rows[-1].formed

    def partnerships_matching(self, name: str, id_prefix: str = "") -> list[PartnershipSummary]:
        """The partnerships named ``name``, or whose id begins with ``id_prefix`` (hex
        digits, dashes ignored; none if it is empty), in the order they were formed: one
        query of the index."""
        prefix = id_prefix.lower().replace("-", "")
        return list(map(PartnershipSummary.of_row, self.store.partnerships_matching(name, prefix)))

    def _decode(self, text: str) -> Any:
        """A value as the read models keep it (its stored JSON), decoded as events are."""
        return freeze(decode_value(self.app.mapper, text))

    def iter_counts(self) -> Iterator[tuple[str, int]]:
        """How many rows each read model holds."""
        for table in ("trail", "compromises", "versions"):
            yield table, self.store.count(table)


def skipping(position: int, topic: str) -> None:
    """Log that the event at ``position`` is passed over, as its follower was told to."""
    log.warning(
        "skipped the event at position %d (%s), as asked: the read models do not include it",
        position,
        topic,
    )


def _as_stored(page: list[RawRow], skip: frozenset[int]) -> list[RawRow]:
    """A page of the log as the builder takes it (ids as hex, states as bytes), without the
    events at the positions in ``skip``."""
    taken: list[RawRow] = []
    for position, originator, version, topic, state in page:
        if type(originator) is not str:  # a UUID (PostgreSQL, memory); SQLite has hex
            originator = id_hex(originator)
        if type(state) is not bytes:  # a memoryview (PostgreSQL)
            state = bytes(state)
        if skip and position in skip:
            skipping(position, topic)
            continue
        taken.append((position, originator, version, topic, state))
    return taken
