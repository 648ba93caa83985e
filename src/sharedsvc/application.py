"""SharedServices: the application that records partnerships, handovers and disputes.

Its verbs are grouped by aggregate in :mod:`sharedsvc.verbs`; the store side (configuration,
loading, saving, time travel) is :class:`sharedsvc.store.Store`.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from uuid import UUID

from sharedsvc.integrity.queries import IntegrityQueries
from sharedsvc.projections.audit import AuditEntry, audit_entries
from sharedsvc.projections.compromises import CompromiseEntry, compromise_ledger
from sharedsvc.projections.read_models import ReadModels
from sharedsvc.store import project_events, project_until, take_until
from sharedsvc.verbs.disputes import DisputeVerbs
from sharedsvc.verbs.handovers import HandoverVerbs
from sharedsvc.verbs.partnerships import PartnershipVerbs

__all__ = ["SharedServices", "project_events", "project_until", "take_until"]


class SharedServices(PartnershipVerbs, HandoverVerbs, DisputeVerbs, IntegrityQueries):
    """Records shared-service partnerships as events and answers questions about them.

    Every verb takes the acting party (``by=`` or ``party=``) and the legal date ``on``;
    a refused verb raises a :class:`~sharedsvc.SharedServiceError` and records nothing.
    Open one with :meth:`sqlite`, :meth:`postgres` or :meth:`in_memory`, or construct it
    plainly to configure the store from eventsourcing's environment variables.
    """

    name = "SharedServices"

    def read_models(self) -> ReadModels:
        """The read models kept beside this store's events (audit-trail index, compromise
        ledger, versioned view): call ``catch_up()`` to bring them up to date, ``replay()``
        to rebuild them (see :mod:`sharedsvc.projections.read_models`)."""
        return ReadModels(self)

    def compromises(self, pid: UUID) -> dict[str, list[CompromiseEntry]]:
        """What each party of the partnership (every party it ever had, in order of joining)
        conceded, in variations, settlements and determinations, and ceded (functions handed
        over), each party's entries in the order they were recorded; every concession appears
        exactly once. A party that conceded nothing has an empty list."""
        view = self.partnership(pid)  # NotFound for an unknown partnership
        ledger = compromise_ledger(self.recorder, self.mapper, view.id)
        return {party: ledger.get(party, []) for party in (*view.parties, *ledger)}

    def audit_trail(
        self,
        pid: UUID,
        *,
        since: date | datetime | None = None,
        until: date | datetime | None = None,
    ) -> list[AuditEntry]:
        """Every event of the partnership, of its handovers and of its disputes, in the order
        of the store's global log: one :class:`~sharedsvc.AuditEntry` each, with its position in
        the log, legal date, recorded time, acting party, decision reference, event name and a
        line a person can read; acts recorded without the decision reference they normally
        carry are marked ``unreferenced``.

        ``since`` and ``until`` bound the trail, both ends inclusive: a ``date`` bounds the
        legal date ``on``, a ``datetime`` the recorded time (a naive one is read as UTC); the
        two kinds combine. Any other bound is refused (``invalid-value``), as is ``since``
        after ``until``. Raises :class:`~sharedsvc.NotFound` for an unknown partnership."""
        return list(self.iter_audit_trail(pid, since=since, until=until))

    def iter_audit_trail(
        self,
        pid: UUID,
        *,
        since: date | datetime | None = None,
        until: date | datetime | None = None,
    ) -> Iterator[AuditEntry]:
        """:meth:`audit_trail` read lazily, a page of the log at a time, for histories too
        long to hold in memory. The partnership and the bounds are checked at once; the trail
        ends where the log ended when this was called."""
        view = self.partnership(pid)  # NotFound for an unknown partnership
        return audit_entries(self.recorder, self.mapper, view.id, since=since, until=until)
