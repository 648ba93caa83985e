"""A partnership's obligations, derived from its record: what each party must do, by when,
and whether it did.

[`obligation_entries`][sharedsvc.projections.obligation_entries] reads the store's global log
once, in order, through the topics of the events the derivers of
`sharedsvc.projections.deadlines` read (and the openings of handovers and disputes, to learn
which belong to the partnership), and hands each deriver its events with their positions.
What makes each kind of obligation, and when it is met or lapses, is the derivers' (see that
module). Two rules hold for every kind: a party's membership is followed as the log is read
(formation, admissions, withdrawals, successions), and a dissolution lapses every obligation
still open on the date it is adopted.

Status on a date ``as_of``: ``met`` if it was met on or before it (``late`` if after its due
date), else ``lapsed`` if it lapsed by then, else ``overdue`` if ``as_of`` is past its due
date, else ``open``. Only acts dated on or before ``as_of`` count.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any
from uuid import UUID

import attrs
from eventsourcing.persistence import ApplicationRecorder, Mapper

from sharedsvc.acts import (
    ApproveVariation,
    CompleteWithdrawal,
    FormPartnership,
    Succeed,
    openings,
)
from sharedsvc.domain.policy import Policy
from sharedsvc.domain.values import PartyId
from sharedsvc.persistence import notifications
from sharedsvc.projections.deadlines import DERIVERS
from sharedsvc.projections.deriving import Deriver, Handler, Pending, Reading

__all__ = ["KINDS", "STATUSES", "Obligation", "obligation_entries"]

STATUSES = ("open", "met", "overdue", "lapsed")
"""Where an obligation stands on a date."""
KINDS = ("withdrawal", "exit-payment", "escalation", "consent")
"""The kinds of obligation the record makes besides a target's own kind (``"savings"``...)."""

ADMISSION = ApproveVariation.consequence("party")
DISSOLUTION = ApproveVariation.consequence("final_account")


@attrs.frozen
class Obligation:
    """Something a party must do by a date, derived from an act on record.

    Attributes:
        kind: ``"withdrawal"`` (complete a served notice's withdrawal on its effective date),
            ``"exit-payment"`` (pay determined exit costs within the policy's days),
            ``"escalation"`` (escalate or settle a dispute within the policy's days for its
            rung), ``"consent"`` (consent to a proposed handover, or withhold consent, within
            the policy's days), or a target's own kind.
        party: who must do it (``None`` for a target that names no party).
        due: the date by which it is to be done.
        status: ``"open"``, ``"met"``, ``"overdue"`` (not done, and past due) or
            ``"lapsed"`` (no longer owed: the notice retracted, the handover withdrawn, the
            dispute withdrawn, the party succeeded or gone, the partnership dissolved).
        source: the position in the store's global log of the act it came from (a notice
            that passed to a successor keeps the notice's).
        met_on: the date it was met, or ``None``.
        late: whether it was met after its due date.
    """

    kind: str
    party: PartyId | None
    due: date
    status: str
    source: int
    met_on: date | None
    late: bool

    @classmethod
    def of(cls, pending: Pending, as_of: date) -> Obligation:
        """``pending`` as it stands on ``as_of``."""
        met = pending.met_on
        if met is not None:
            status = "met"
        elif pending.lapsed_on is not None:
            status = "lapsed"
        else:
            status = "overdue" if as_of > pending.due else "open"
        late = met is not None and met > pending.due
        return cls(pending.kind, pending.party, pending.due, status, pending.source, met, late)


def obligation_entries(
    recorder: ApplicationRecorder,
    mapper: Mapper[UUID],
    partnership_id: UUID,
    policy: Policy,
    as_of: date,
    derivers: Sequence[type[Deriver]] = DERIVERS,
) -> list[Obligation]:
    """Every obligation of the partnership (whose policy is ``policy``) as it stands on
    ``as_of``, in order of due date, then of source, then of when it arose."""
    reading = Reading(partnership_id, policy)
    handlers: dict[type[Any], list[Handler]] = defaultdict(list)
    for deriver in derivers:
        for kind, handler in deriver(reading).handlers().items():
            handlers[kind].append(handler)
    for kind, handler in _Membership(reading).handlers().items():
        handlers[kind].append(handler)
    handlers[DISSOLUTION].append(lambda event, _: reading.book.lapse_all(event.on))
    for event, position in _events(recorder, mapper, partnership_id, handlers, as_of):
        for handler in handlers[type(event)]:
            handler(event, position)
    found = [Obligation.of(pending, as_of) for pending in reading.book.entries]
    return sorted(found, key=lambda o: (o.due, o.source))


class _Membership(Deriver):
    """The active parties, as the log is read (every deriver sees an event before this)."""

    def handlers(self) -> dict[type[Any], Handler]:
        return {
            FormPartnership.records: self.formed,
            ADMISSION: self.admitted,
            CompleteWithdrawal.records: self.left,
            Succeed.records: self.succeeded,
        }

    def formed(self, event: Any, position: int) -> None:
        self.reading.active[:] = [party.id for party in FormPartnership.read(event, "parties")]

    def admitted(self, event: Any, position: int) -> None:
        if event.party.id not in self.reading.active:
            self.reading.active.append(event.party.id)

    def left(self, event: Any, position: int) -> None:
        party = CompleteWithdrawal.read(event, "party")
        self.reading.active[:] = [p for p in self.reading.active if p != party]

    def succeeded(self, event: Any, position: int) -> None:
        self.reading.active[:] = event.active


def _events(
    recorder: ApplicationRecorder,
    mapper: Mapper[UUID],
    partnership_id: UUID,
    handlers: dict[type[Any], list[Handler]],
    as_of: date,
) -> Iterable[tuple[Any, int]]:
    """The events the handlers read, of the partnership and of what was opened within it,
    dated on or before ``as_of``, with their positions, in log order."""
    opening = openings()
    topics = sorted({*opening, *(kind.TOPIC for kind in handlers)})
    within = {partnership_id}
    for notification in notifications(recorder, topics=topics):
        oid = notification.originator_id
        uid = oid if isinstance(oid, UUID) else UUID(str(oid))
        act = opening.get(notification.topic)
        if act is None and uid not in within:
            continue
        event: Any = mapper.to_domain_event(notification)
        if act is not None:
            if act.read(event, "pid") != partnership_id:
                continue
            within.add(act.created(event))
        if event.on <= as_of and type(event) in handlers:
            yield event, notification.id
