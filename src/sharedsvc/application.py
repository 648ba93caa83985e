"""SharedServices: the application that records partnerships, handovers and disputes.

Every act is a command of the catalogue ([`sharedsvc.acts`][sharedsvc.acts]), recorded by
[`SharedServices.execute`][sharedsvc.SharedServices.execute]; the named verbs are the catalogue's
doors onto it. The views are in `sharedsvc.queries`, the store side (configuration, loading, saving,
time travel) is `sharedsvc.store.Store`.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, TypeVar
from uuid import UUID

from eventsourcing.domain import Aggregate

from sharedsvc.acts import (
    Act,
    DisputeDoors,
    HandoverDoors,
    MoneyDoors,
    PartnershipDoors,
    ReorganisationDoors,
    openings,
)
from sharedsvc.domain.dispute import Dispute
from sharedsvc.domain.errors import NotFound, ReadModelsBusy, RuleViolation
from sharedsvc.domain.handover import SovereigntyHandover
from sharedsvc.domain.partnership import Partnership
from sharedsvc.domain.validators import shown
from sharedsvc.domain.values import INVALID, party_id
from sharedsvc.integrity.queries import IntegrityQueries
from sharedsvc.persistence import notifications
from sharedsvc.projections.audit import AuditEntry, audit_entries
from sharedsvc.projections.balance import Balance, balance_of
from sharedsvc.projections.compromises import CompromiseEntry, compromise_ledger
from sharedsvc.projections.listing import PartnershipSummary
from sharedsvc.projections.obligations import Obligation, obligation_entries
from sharedsvc.projections.read_models import ReadModels
from sharedsvc.projections.sovereignty import SovereigntyMap, rows_from_log, sovereignty_map
from sharedsvc.queries import Views
from sharedsvc.store import Store, as_uuid, project_events, project_until, take_until

if TYPE_CHECKING:
    from sharedsvc.whatif import Comparison, Fork

__all__ = ["SharedServices", "project_events", "project_until", "take_until"]


T = TypeVar("T")


class _Openings:
    """The handovers and disputes opened within each partnership, read from the log once and
    then only from where the last reading stopped (the log only grows), so that a succession
    does not read the whole store each time."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._reached = 0
        self._found: dict[UUID, list[UUID]] = {}
        self._lock = threading.Lock()

    def of(self, pid: UUID) -> list[UUID]:
        topics = openings()
        with self._lock:
            start = self._reached + 1
            for notification in notifications(self._store.recorder, start=start, topics=[*topics]):
                event = self._store.mapper.to_domain_event(notification)
                act = topics[notification.topic]
                self._found.setdefault(act.read(event, "pid"), []).append(act.created(event))
                self._reached = notification.id
            return list(self._found.get(pid, ()))


class _StoreUnit:
    """The aggregates of one act, loaded from the store once each (see
    [`Unit`][sharedsvc.acts.Unit])."""

    def __init__(self, store: Store) -> None:
        self._store: Any = store
        self._loaded: dict[UUID, Aggregate] = {}
        self._made: list[Aggregate] = []
        self._now: datetime | None = None

    def _get(self, uid: object, kind: type[Any], what: str) -> Any:
        key = as_uuid(uid, what)
        aggregate = self._loaded.get(key)
        if aggregate is None:
            aggregate = self._loaded[key] = self._store._load(key, kind, what)
        elif not isinstance(aggregate, kind):
            raise NotFound(f"{key} is the id of a {type(aggregate).__name__}, not a {what}")
        return aggregate

    def partnership(self, pid: object) -> Partnership:
        return self._get(pid, Partnership, "partnership")  # type: ignore[no-any-return]

    def handover(self, hid: object) -> SovereigntyHandover:
        return self._get(hid, SovereigntyHandover, "handover")  # type: ignore[no-any-return]

    def dispute(self, did: object) -> Dispute:
        return self._get(did, Dispute, "dispute")  # type: ignore[no-any-return]

    def add(self, aggregate: Any) -> UUID:
        self._made.append(aggregate)
        return aggregate.id  # type: ignore[no-any-return]

    def now(self) -> datetime:
        if self._now is None:
            self._now = self._store._now(*self._made, *self._loaded.values())
        return self._now

    def uuid(self, value: object, what: str) -> UUID:
        return as_uuid(value, what)

    def partnership_ids(self) -> Iterator[UUID]:
        ids: Iterator[UUID] = self._store.partnership_ids()
        return ids

    def opened_within(self, pid: UUID) -> Iterator[UUID]:
        index: _Openings = self._store._openings
        return iter(index.of(pid))

    def changed(self) -> list[Aggregate]:
        """What the act made, then what it changed, in the order it was loaded."""
        return [a for a in (*self._made, *self._loaded.values()) if a.pending_events]


def _a_date(value: object) -> date:
    if not isinstance(value, date) or isinstance(value, datetime):
        raise RuleViolation(INVALID, f"as_of must be a date, not {shown(value)}")
    return value


class SharedServices(
    PartnershipDoors,
    HandoverDoors,
    DisputeDoors,
    ReorganisationDoors,
    MoneyDoors,
    Views,
    IntegrityQueries,
):
    """Records shared-service partnerships as events and answers questions about them.

    Every verb takes the acting party (``by=`` or ``party=``) and the legal date ``on``; a refused
    verb raises a [`SharedServiceError`][sharedsvc.SharedServiceError] and records nothing. Open one
    with [`sqlite`][sharedsvc.SharedServices.sqlite],
    [`postgres`][sharedsvc.SharedServices.postgres] or
    [`in_memory`][sharedsvc.SharedServices.in_memory], or construct it plainly to configure the
    store from eventsourcing's environment variables.
    """

    name = "SharedServices"

    @functools.cached_property
    def _openings(self) -> _Openings:
        return _Openings(self)

    def execute(self, act: Act[T]) -> T:
        """Record ``act``, any act of the catalogue ([`sharedsvc.acts`][sharedsvc.acts]), and return
        what its verb returns: every aggregate it changes is saved in one go, with one recorded
        time, or nothing is saved if it is refused."""
        if not isinstance(act, Act):
            raise RuleViolation(INVALID, f"execute takes an act of the catalogue, not {shown(act)}")
        unit = _StoreUnit(self)
        result = act.run(unit)
        self._commit(*unit.changed())
        return result

    def read_models(self) -> ReadModels:
        """The read models kept beside this store's events (audit-trail index, compromise
        ledger, versioned view): call ``catch_up()`` to bring them up to date, ``replay()``
        to rebuild them (see `sharedsvc.projections.read_models`)."""
        return ReadModels(self)

    @functools.cached_property
    def _followed(self) -> ReadModels:
        """The read models the read-side queries catch up and ask (one per application, so
        that its builder remembers what it saw between queries)."""
        return ReadModels(self)

    def sovereignty(self, party: str) -> SovereigntyMap:
        """What ``party`` has ceded (to which partnership, since when), got back, inherited
        through a succession and holds for others as a host, across every partnership in the
        store, with each partnership's name and stage as they stand: a
        [`SovereigntyMap`][sharedsvc.SovereigntyMap] (see
        [`SovereigntyEntry`][sharedsvc.SovereigntyEntry] for what each status means).

        Answered from the read models, brought up to date first (one query by party, however
        big the store); where the store keeps none, or another process is rebuilding them,
        from the events. A party of no partnership has an empty map; a ``party`` that is not
        a party id is refused (``invalid-value``)."""
        member = party_id(party)
        models = self._caught_up()
        if models is not None:
            return models.sovereignty(member)
        return sovereignty_map(member, rows_from_log(self.recorder, member), self.mapper)

    def _caught_up(self) -> ReadModels | None:
        """The read models the read-side queries ask, brought up to date first; None where
        the store keeps none, or another process is rebuilding them (ask the events)."""
        try:
            models = self._followed
        except TypeError:  # a store that keeps no read models beside its events
            return None
        if models.up_to_date():  # the usual case: one cheap query, no lock
            return models
        try:
            models.catch_up()
        except ReadModelsBusy:
            return None
        return models

    def iter_partnerships(self) -> Iterator[PartnershipSummary]:
        """Every partnership in the store in brief, in the order they were formed: a
        [`PartnershipSummary`][sharedsvc.PartnershipSummary] each, read lazily. Answered from
        the read models' index of partnerships, brought up to date first; where the store
        keeps none, or another process is rebuilding them, from each partnership's view."""
        models = self._caught_up()
        if models is not None:
            return models.partnerships()
        return (PartnershipSummary.of_view(self.partnership(p)) for p in self.partnership_ids())

    def partnerships_matching(self, name: str, *, id_prefix: str = "") -> list[PartnershipSummary]:
        """The partnerships named ``name`` (names need not be unique), or whose id begins with
        ``id_prefix`` (hex digits, dashes ignored; none if it is empty), in brief, in the order
        they were formed. Answered from the read models' index as
        [`iter_partnerships`][sharedsvc.SharedServices.iter_partnerships] is (one query)."""
        models = self._caught_up()
        if models is not None:
            return models.partnerships_matching(name, id_prefix)
        prefix = id_prefix.lower().replace("-", "")
        return [
            PartnershipSummary.of_view(view)
            for view in map(self.partnership, self.partnership_ids())
            if view.name == name or (prefix and view.id.hex.startswith(prefix))
        ]

    def compromises(
        self, pid: UUID, *, as_of: date | None = None
    ) -> dict[str, list[CompromiseEntry]]:
        """What each party of the partnership (every party it ever had, in order of joining)
        conceded, in variations, settlements and determinations, and ceded (functions handed
        over), each party's entries in the order they were recorded; every concession appears
        exactly once. A party that conceded nothing has an empty list. With ``as_of`` (a
        date), only what was conceded or ceded on or before it."""
        view = self.partnership(pid)  # NotFound for an unknown partnership
        day = None if as_of is None else _a_date(as_of)
        ledger = compromise_ledger(self.recorder, self.mapper, view.id, as_of=day)
        return {party: ledger.get(party, []) for party in (*view.parties, *ledger)}

    def obligations(self, pid: UUID, *, as_of: date | None = None) -> list[Obligation]:
        """What the parties must do, derived from the record: complete a withdrawal on its
        notice's effective date, pay exit costs, escalate or settle a dispute, answer a
        proposed handover; each an [`Obligation`][sharedsvc.Obligation] with its due date (from
        the partnership's [`Policy`][sharedsvc.Policy]) and its status on ``as_of`` (a date;
        ``None``: today), ordered by due date, then by the log position of the act it came
        from. A former party's obligations stay listed. What makes each kind, and when it is
        met or lapses, is told in `sharedsvc.projections.deadlines`. Raises
        [`NotFound`][sharedsvc.NotFound] for an unknown partnership."""
        view = self.partnership(pid)  # NotFound for an unknown partnership
        day = self._today() if as_of is None else _a_date(as_of)
        return obligation_entries(self.recorder, self.mapper, view.id, view.policy, day)

    def balance(self, pid: UUID, *, as_of: date | None = None) -> dict[str, Balance]:
        """Each party the partnership ever had -> its [`Balance`][sharedsvc.Balance] on
        ``as_of`` (a date; ``None``: today): the concessions it made (and to whom: the
        proposer of the act it conceded in; a determination's to nobody) and received, the
        functions it ceded, its obligations kept and missed, the disputes it raised (see
        `sharedsvc.projections.balance`). Raises [`NotFound`][sharedsvc.NotFound] for an
        unknown partnership."""
        view = self.partnership(pid)  # NotFound for an unknown partnership
        day = self._today() if as_of is None else _a_date(as_of)
        ledger = compromise_ledger(self.recorder, self.mapper, view.id, as_of=day)
        owed = obligation_entries(self.recorder, self.mapper, view.id, view.policy, day)
        return balance_of(self.recorder, self.mapper, view.id, view.parties, ledger, owed, day)

    def fork(self, pid: UUID, *, at: date) -> Fork:
        """An in-memory application holding partnership ``pid``'s history (with its handovers
        and disputes) as it stood on ``at``: every act dated on or before ``at`` taken again
        there, through the same rules, what each made keeping its id. It takes every verb, and
        refuses an act dated before ``at`` (``dates-in-order``); nothing it records reaches
        this store. Its [`replay_rest`][sharedsvc.whatif.Fork.replay_rest] takes this store's
        later acts on it and reports which still stand. Raises
        [`NotFound`][sharedsvc.NotFound] for an unknown partnership or one formed after
        ``at``. See `sharedsvc.whatif`."""
        from sharedsvc.whatif.fork import fork_of  # it stands on this module

        return fork_of(self, pid, at)

    def compare(self, pid: UUID, fork: SharedServices, *, as_of: date | None = None) -> Comparison:
        """How partnership ``pid`` differs in ``fork`` (a fork of this store, or any other
        application holding it) from how it stands here, field by field: a
        [`Comparison`][sharedsvc.Comparison] of name, stage, parties, active parties, each
        term (``terms.notice``...), pooled functions, exits and obligations. With ``as_of``
        (a date), as both stood on it; obligations are read on ``as_of``, or today. Raises
        [`NotFound`][sharedsvc.NotFound] where either has no such partnership."""
        from sharedsvc.whatif.compare import compare  # it stands on this module

        day = None if as_of is None else _a_date(as_of)
        return compare(self, pid, fork, day)

    def _today(self) -> date:
        """The date ``as_of=None`` stands for: today, by this machine's clock."""
        return date.today()

    def audit_trail(
        self,
        pid: UUID,
        *,
        since: date | datetime | None = None,
        until: date | datetime | None = None,
    ) -> list[AuditEntry]:
        """Every event of the partnership, of its handovers and of its disputes, in the order of the
        store's global log: one [`AuditEntry`][sharedsvc.AuditEntry] each, with its position in the
        log, legal date, recorded time, acting party, decision reference, event name and a line a
        person can read; acts recorded without the decision reference they normally carry are marked
        ``unreferenced``.

        ``since`` and ``until`` bound the trail, both ends inclusive: a ``date`` bounds the
        legal date ``on``, a ``datetime`` the recorded time (a naive one is read as UTC); the
        two kinds combine. Any other bound is refused (``invalid-value``), as is ``since``
        after ``until``. Raises [`NotFound`][sharedsvc.NotFound] for an unknown partnership."""
        return list(self.iter_audit_trail(pid, since=since, until=until))

    def iter_audit_trail(
        self,
        pid: UUID,
        *,
        since: date | datetime | None = None,
        until: date | datetime | None = None,
    ) -> Iterator[AuditEntry]:
        """[`audit_trail`][sharedsvc.SharedServices.audit_trail] read lazily, a page of the log at a
        time, for histories too long to hold in memory. The partnership and the bounds are checked
        at once; the trail ends where the log ended when this was called."""
        view = self.partnership(pid)  # NotFound for an unknown partnership
        return audit_entries(self.recorder, self.mapper, view.id, since=since, until=until)
