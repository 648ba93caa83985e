"""The acts of a reorganisation: a council abolished and replaced by successor councils on a
vesting day, in one partnership (`Succeed`) or in every partnership it is in at once
(`Reorganise`).

Each class is an act (see [`sharedsvc.acts`][sharedsvc.acts]); its docstring is the verb's.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from types import MappingProxyType
from uuid import UUID

import attrs

from sharedsvc.acts._base import Act, door
from sharedsvc.domain.coordination import Unit, succeed_within
from sharedsvc.domain.dispute import Dispute
from sharedsvc.domain.errors import NotFound
from sharedsvc.domain.handover import SovereigntyHandover
from sharedsvc.domain.partnership import Partnership
from sharedsvc.domain.values import DecisionRef, Party, party_id

__all__ = ["ReorganisationDoors", "Reorganise", "Succeed"]


@attrs.frozen
class Succeed(Act[None]):
    """A statutory succession: ``party`` is abolished and replaced by ``successors`` on the
    vesting day ``on``, by the order ``ref`` (a structural changes order). No notice, exit
    costs or approval: the successors take its place among the active parties, its shares of
    every cost pool (divided by ``split``, weights by successor; equal by default), its hosting
    (the first successor), its pooled functions, its notice and exit costs, and its place in
    open variations (its approval lapses), handovers (its consent counts for them) and disputes.
    A successor may be a current party, which absorbs it; a former party's id is refused
    (``party-ids-unique``)."""

    actor = None
    records = Partnership.PartySucceeded
    consequences = (SovereigntyHandover.PartySucceeded, Dispute.PartySucceeded)
    authority = True
    sources = MappingProxyType({"party": "predecessor"})

    pid: UUID
    party: str = attrs.field(kw_only=True)
    successors: Iterable[Party] = attrs.field(kw_only=True)
    split: Mapping[str, Decimal] | None = attrs.field(kw_only=True, default=None)
    on: date = attrs.field(kw_only=True)
    ref: DecisionRef | None = attrs.field(kw_only=True, default=None)

    def run(self, unit: Unit) -> None:
        arguments = self.arguments()
        succeed_within(unit, unit.partnership(arguments.pop("pid")), **arguments)


@attrs.frozen
class Reorganise(Act[list[UUID]]):
    """A reorganisation: ``party`` is succeeded (as by
    [`succeed`][sharedsvc.SharedServices.succeed]) in every partnership it is an active party of,
    all in one save; returns their ids, in the order they were formed. Raises
    [`NotFound`][sharedsvc.NotFound] if it is in none."""

    compound = True  # made of successions: it records no event of its own
    actor = None
    records = Partnership.PartySucceeded
    authority = True

    party: str = attrs.field(kw_only=True)
    successors: Iterable[Party] = attrs.field(kw_only=True)
    split: Mapping[str, Decimal] | None = attrs.field(kw_only=True, default=None)
    on: date = attrs.field(kw_only=True)
    ref: DecisionRef | None = attrs.field(kw_only=True, default=None)

    def run(self, unit: Unit) -> list[UUID]:
        member = party_id(self.party)
        found = []
        for pid in unit.partnership_ids():
            partnership = unit.partnership(pid)
            if member in partnership.active and partnership.dissolved_on is None:
                found.append(partnership)
        if not found:
            raise NotFound(f"{member!r} is an active party of no partnership")
        for uid in [uid for p in found for uid in unit.opened_within(p.id)]:  # loaded first,
            try:  # so that the act's one recorded time is after every one of them
                unit.handover(uid)
            except NotFound:
                unit.dispute(uid)
        heirs = tuple(self.successors)
        for partnership in found:
            succeed_within(
                unit, partnership, party=member, successors=heirs, split=self.split,
                on=self.on, ref=self.ref,
            )  # fmt: skip
        return [partnership.id for partnership in found]


class ReorganisationDoors:
    """The named verbs of a reorganisation's acts (see [`door`][sharedsvc.acts.door])."""

    succeed = door(Succeed)
    reorganise = door(Reorganise)
