"""The views of [`SharedServices`][sharedsvc.SharedServices]: partnerships, their variations,
notes, readiness and targets, handovers and disputes, as they stand or as they stood at any
time."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date, datetime
from typing import Any
from uuid import UUID

from sharedsvc.acts import AssessReadiness, FormPartnership
from sharedsvc.domain.budgets import check_year
from sharedsvc.domain.dispute import Dispute
from sharedsvc.domain.errors import NotFound, RuleViolation
from sharedsvc.domain.handover import SovereigntyHandover
from sharedsvc.domain.partnership import Partnership
from sharedsvc.domain.partnership.variations import variation_records
from sharedsvc.domain.readiness import AREAS, Readiness, overall
from sharedsvc.domain.records import Variation
from sharedsvc.domain.targets import Target
from sharedsvc.domain.validators import shown
from sharedsvc.domain.values import Terms
from sharedsvc.domain.views import DisputeView, HandoverView, PartnershipView
from sharedsvc.persistence import notifications
from sharedsvc.projections.notes import NoteEntry, note_entries
from sharedsvc.projections.recharges import Recharges, recharges_of
from sharedsvc.store import Store, as_utc, as_uuid, project_events, project_until, take_until

__all__ = ["Views", "assessments"]


class Views(Store):
    """Read partnerships, variations, handovers and disputes at any version, date or time."""

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
        partnership = self._dated(
            pid, Partnership, "partnership", version=version, as_of=as_of, known_at=known_at
        )
        if partnership.exited is None:  # from a snapshot that did not keep completed exits
            partnership = project_events(
                None, self.events.get(partnership.id, lte=partnership.version)
            )
        return PartnershipView.of(
            partnership, as_of=as_of, known_at=None if known_at is None else as_utc(known_at)
        )

    def variations(
        self, pid: UUID, *, as_of: date | None = None, known_at: datetime | None = None
    ) -> tuple[Variation, ...]:
        """The record of every variation of the partnership, oldest first: open, adopted (with
        the concessions adoption computed) and rejected; ``as_of`` and ``known_at`` as for
        [`partnership`][sharedsvc.SharedServices.partnership]."""
        self.partnership(pid, as_of=as_of, known_at=known_at)  # NotFound, or refused dates
        moment = None if known_at is None else as_utc(known_at)
        events = take_until(self.events.get(as_uuid(pid, "partnership")), as_of, moment)
        return tuple(variation_records(events).values())

    def variation(
        self,
        pid: UUID,
        vid: UUID,
        *,
        as_of: date | None = None,
        known_at: datetime | None = None,
    ) -> Variation:
        """The record of one variation (see [`variations`][sharedsvc.SharedServices.variations])."""
        uid = as_uuid(vid, "variation")
        for record in self.variations(pid, as_of=as_of, known_at=known_at):
            if record.id == uid:
                return record
        raise NotFound(f"partnership {pid} has no variation {uid}")

    def notes(
        self, pid: UUID, *, as_of: date | None = None, known_at: datetime | None = None
    ) -> list[NoteEntry]:
        """The partnership's notes (outside events recorded with
        [`note`][sharedsvc.SharedServices.note]), in the order they were recorded, each with
        its position in the store's global log; ``as_of`` and ``known_at`` as for
        [`partnership`][sharedsvc.SharedServices.partnership]. Raises
        [`NotFound`][sharedsvc.NotFound] for an unknown partnership."""
        view = self.partnership(pid, as_of=as_of, known_at=known_at)  # NotFound, refused dates
        moment = None if known_at is None else as_utc(known_at)
        return list(note_entries(self.recorder, self.mapper, view.id, as_of=as_of, known_at=moment))

    def readiness(self, pid: UUID, *, as_of: date | None = None) -> dict[str, Readiness]:
        """The latest assessment of each party ever assessed (as it stood on ``as_of``), by
        party, in the order they were first assessed: the latest assessment's own scores
        (which may cover only some areas) and their ``overall`` mean, to one decimal place with
        halves rounded up (2.25 is 2.3). A stage gate reads each area's latest score instead,
        whichever assessment gave it. Raises [`NotFound`][sharedsvc.NotFound] for an unknown
        partnership."""
        return {record.party: record for record in self.readiness_trend(pid, as_of=as_of)}

    def readiness_trend(
        self,
        pid: UUID,
        *,
        party: str | None = None,
        area: str | None = None,
        as_of: date | None = None,
    ) -> list[Readiness]:
        """Every assessment of readiness, oldest first (each as
        [`readiness`][sharedsvc.SharedServices.readiness] gives the latest): of ``party`` only,
        if given (a current or former party), and only those that scored ``area``, if given
        (an area of the policy, else ``readiness-areas``); dated on or before ``as_of``."""
        view = self.partnership(pid, as_of=as_of)  # NotFound, refused dates
        if party is not None and party not in view.parties:
            raise NotFound(f"partnership {view.name!r} has no party {shown(party)}")
        if area is not None and area not in view.policy.readiness_areas:
            raise RuleViolation(
                AREAS,
                f"{shown(area)} is not an area of this agreement's readiness: use "
                f"{', '.join(view.policy.readiness_areas)}",
            )
        return assessments(self.events.get(view.id), as_of, party=party, area=area)

    def targets(self, pid: UUID, *, as_of: date | None = None) -> list[Target]:
        """Every target the partnership set (as it stood on ``as_of``: set by then, with the
        outcomes recorded by then), in the order they were set, each with its outcomes; a
        target's [`met_on`][sharedsvc.Target.met_on] says whether and when it was met. Raises
        [`NotFound`][sharedsvc.NotFound] for an unknown partnership."""
        partnership = self._dated(pid, Partnership, "partnership", as_of=as_of)
        return list(partnership.targets.values())

    def recharges(self, pid: UUID, *, year: int) -> Recharges:
        """What each party pays of each cost pool's budget for the financial year that starts
        in ``year`` (by the agreement's year end, as its terms stand: with the default, 2024
        is 1 April 2024 to 31 March 2025): pool -> party -> [`Money`][sharedsvc.Money].

        Each day of the year applies the pool's shares in the terms in force that day, so an
        admission, a withdrawal, a succession or a variation during the year is pro-rated by
        days; a pool with usage recorded for the year is divided by the usage instead. Each
        pool is rounded to pennies by largest remainder (ties to the party listed first), and
        sums exactly to its budget. Pools without a budget for the year are left out (as is a
        pool budgeted for a year in which it was never in force); a year before the
        partnership was formed has none. The latest budget and the latest usage set for a
        pool and year are the ones that count. Raises [`NotFound`][sharedsvc.NotFound] for an
        unknown partnership, and refuses a ``year`` that is not a whole number
        (``financial-year``)."""
        view = self.partnership(pid)  # NotFound for an unknown partnership
        check_year(year, date.min, view.terms.notice.year_end)
        events = list(self.events.get(view.id))

        def terms_on(day: date) -> Terms | None:
            dated: Partnership | None = project_until(events, day, None)  # type: ignore[assignment]
            if dated is None or (dated.dissolved_on is not None and dated.dissolved_on <= day):
                return None
            return dated.terms

        return recharges_of(events, year, view.terms.notice.year_end, terms_on)

    def partnership_ids(self) -> Iterator[UUID]:
        """The id of every partnership in the store, in the order they were formed."""
        for notification in notifications(self.recorder, topics=[FormPartnership.records.TOPIC]):
            yield as_uuid(notification.originator_id, "partnership")

    def partnerships(self) -> list[PartnershipView]:
        """A view of every partnership in the store, in the order they were formed."""
        return [self.partnership(pid) for pid in self.partnership_ids()]

    def handover(
        self, hid: UUID, *, as_of: date | None = None, known_at: datetime | None = None
    ) -> HandoverView:
        """The handover as it stands, or as it stood on ``as_of`` / was recorded at
        ``known_at``."""
        handover = self._dated(hid, SovereigntyHandover, "handover", as_of=as_of, known_at=known_at)
        return HandoverView.of(
            handover, as_of=as_of, known_at=None if known_at is None else as_utc(known_at)
        )

    def dispute(
        self, did: UUID, *, as_of: date | None = None, known_at: datetime | None = None
    ) -> DisputeView:
        """The dispute as it stands, or as it stood on ``as_of`` / was recorded at
        ``known_at``."""
        dispute = self._dated(did, Dispute, "dispute", as_of=as_of, known_at=known_at)
        return DisputeView.of(
            dispute, as_of=as_of, known_at=None if known_at is None else as_utc(known_at)
        )


def assessments(
    events: Iterable[Any],
    as_of: date | None,
    *,
    party: str | None = None,
    area: str | None = None,
) -> list[Readiness]:
    """The assessments of readiness a partnership's ``events`` record on or before ``as_of``,
    oldest first: of ``party`` only and scoring ``area``, if given (what
    [`readiness_trend`][sharedsvc.SharedServices.readiness_trend] gives, unchecked)."""
    found = []
    for event in take_until(events, as_of, None):
        if not isinstance(event, AssessReadiness.records):
            continue
        read = AssessReadiness.read
        scores = read(event, "scores")
        if (party is None or read(event, "party") == party) and (area is None or area in scores):
            found.append(
                Readiness(read(event, "party"), read(event, "by"), read(event, "on"), scores,
                          overall(scores), read(event, "ref"))
            )  # fmt: skip
    return found
