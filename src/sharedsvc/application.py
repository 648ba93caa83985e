"""SharedServices: the application that records partnerships, handovers and disputes.

Its verbs are grouped by aggregate in :mod:`sharedsvc.verbs`; the store side (configuration,
loading, saving, time travel) is :class:`sharedsvc.store.Store`.
"""

from __future__ import annotations

from uuid import UUID

from sharedsvc.integrity.queries import IntegrityQueries
from sharedsvc.projections.compromises import CompromiseEntry, compromise_ledger
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

    def compromises(self, pid: UUID) -> dict[str, list[CompromiseEntry]]:
        """What each party of the partnership (every party it ever had, in order of joining)
        conceded, in variations, settlements and determinations, and ceded (functions handed
        over), each party's entries in the order they were recorded; every concession appears
        exactly once. A party that conceded nothing has an empty list."""
        view = self.partnership(pid)  # NotFound for an unknown partnership
        ledger = compromise_ledger(self.recorder, self.mapper, view.id)
        return {party: ledger.get(party, []) for party in (*view.parties, *ledger)}
