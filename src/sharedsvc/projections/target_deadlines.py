"""The obligation a target makes (see `sharedsvc.projections.deadlines`).

A target set with [`set_target`][sharedsvc.SharedServices.set_target] is one obligation of the
target's own kind (``savings``...), owed by the party the target binds (``None``: the
partnership as a whole), due on the target's due date, from the act that set it. It is met by
the first outcome recorded at or above the target's amount on or before its due date; an
outcome after the due date does not meet it (the target was missed, as
[`Target.met_on`][sharedsvc.Target] says too), so it stays ``overdue``. If the party it binds is
succeeded, it passes to every successor with the same due date and source, as the succession's
other obligations do.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from uuid import UUID

from sharedsvc.acts import RecordOutcome, SetTarget, Succeed
from sharedsvc.domain.values import PartyId
from sharedsvc.projections.deriving import Deriver, Handler, Pending, Reading

__all__ = ["Targets"]


class Targets(Deriver):
    """A target's obligation: met by an outcome at or above it by its due date."""

    def __init__(self, reading: Reading) -> None:
        super().__init__(reading)
        self.amounts: dict[UUID, Any] = {}
        self.owed: dict[UUID, list[Pending]] = {}

    def handlers(self) -> Mapping[type[Any], Handler]:
        return {
            SetTarget.records: self.set,
            RecordOutcome.records: self.outcome,
            Succeed.records: self.succeeded,
        }

    def set(self, event: Any, position: int) -> None:
        target: UUID = SetTarget.created(event)
        self.amounts[target] = event.amount
        party: PartyId | None = SetTarget.read(event, "party")
        self.owed[target] = [self.book.open(event.kind, party, event.due, position)]

    def outcome(self, event: Any, position: int) -> None:
        target: UUID = RecordOutcome.read(event, "target")
        amount = self.amounts.get(target)
        if amount is None or event.amount.amount < amount.amount:
            return
        for pending in self.owed.get(target, ()):
            if event.on <= pending.due:
                pending.meet(event.on)

    def succeeded(self, event: Any, position: int) -> None:
        predecessor: PartyId = Succeed.read(event, "party")
        heirs = [party.id for party in event.successors]
        for owed in self.owed.values():
            for pending in [p for p in owed if p.open and p.party == predecessor]:
                owed += self.book.pass_on(pending, heirs, event.on)
