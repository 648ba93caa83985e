"""The acts on a sovereignty handover: proposing it, consenting, effecting and recalling it.

Each class is one act of the catalogue (see [`sharedsvc.acts`][sharedsvc.acts]); its docstring is
the verb's.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from types import MappingProxyType
from uuid import UUID

import attrs

from sharedsvc.acts._base import Act, door
from sharedsvc.domain.coordination import Unit, with_partnership
from sharedsvc.domain.handover import SovereigntyHandover
from sharedsvc.domain.partnership import Partnership
from sharedsvc.domain.transfers import DataRole, StaffTransfer
from sharedsvc.domain.values import DecisionRef, Function

__all__ = [
    "ConsentToHandover",
    "EffectHandover",
    "HandoverDoors",
    "ProposeHandover",
    "RecallHandover",
    "WithdrawHandover",
    "WithholdConsent",
]


@attrs.frozen
class ProposeHandover(Act[UUID]):
    """``by`` proposes to hand its ``function`` over (with staff, assets, a data role)."""

    actor = "by"
    creates = "handover"
    records = SovereigntyHandover.Proposed
    sources = MappingProxyType({"pid": "partnership_id", "by": "from_party"})

    pid: UUID
    function: Function = attrs.field(kw_only=True)
    by: str = attrs.field(kw_only=True)
    staff: Iterable[StaffTransfer] = attrs.field(kw_only=True, default=())
    assets: Iterable[str] = attrs.field(kw_only=True, default=())
    data_role: DataRole | None = attrs.field(kw_only=True, default=None)
    rationale: str | None = attrs.field(kw_only=True, default=None)
    on: date = attrs.field(kw_only=True)
    ref: DecisionRef | None = attrs.field(kw_only=True, default=None)

    def run(self, unit: Unit) -> UUID:
        return unit.add(
            SovereigntyHandover.propose(
                unit.partnership(self.pid),
                function=self.function,
                by=self.by,
                staff=self.staff,
                assets=self.assets,
                data_role=self.data_role,
                rationale=self.rationale,
                on=self.on,
                ref=self.ref,
            )
        )


@attrs.frozen
class ConsentToHandover(Act[None]):
    """``party`` consents to the handover, with its decision reference."""

    actor = "party"
    records = SovereigntyHandover.ConsentGiven
    authority = True

    hid: UUID
    party: str = attrs.field(kw_only=True)
    ref: DecisionRef | None = attrs.field(kw_only=True, default=None)
    on: date = attrs.field(kw_only=True)
    by: str | None = attrs.field(kw_only=True, default=None)

    def run(self, unit: Unit) -> None:
        handover, partnership = with_partnership(unit, unit.handover(self.hid))
        handover.consent(partnership, party=self.party, ref=self.ref, on=self.on, by=self.by)


@attrs.frozen
class WithholdConsent(Act[None]):
    """``party`` withholds (or, before effect, withdraws) its consent."""

    actor = "party"
    records = SovereigntyHandover.ConsentWithheld
    authority = True

    hid: UUID
    party: str = attrs.field(kw_only=True)
    reason: str | None = attrs.field(kw_only=True, default=None)
    on: date = attrs.field(kw_only=True)
    ref: DecisionRef | None = attrs.field(kw_only=True, default=None)
    by: str | None = attrs.field(kw_only=True, default=None)

    def run(self, unit: Unit) -> None:
        handover, partnership = with_partnership(unit, unit.handover(self.hid))
        handover.withhold_consent(
            partnership, party=self.party, reason=self.reason, ref=self.ref, on=self.on,
            by=self.by,
        )  # fmt: skip


@attrs.frozen
class WithdrawHandover(Act[None]):
    """The proposer withdraws the handover before it takes effect."""

    actor = "by"
    records = SovereigntyHandover.Withdrawn

    hid: UUID
    by: str = attrs.field(kw_only=True)
    on: date = attrs.field(kw_only=True)
    reason: str | None = attrs.field(kw_only=True, default=None)

    def run(self, unit: Unit) -> None:
        handover, partnership = with_partnership(unit, unit.handover(self.hid))
        handover.withdraw(partnership, by=self.by, on=self.on, reason=self.reason)


@attrs.frozen
class EffectHandover(Act[None]):
    """The handover takes effect: the function is pooled (``by`` defaults to the host)."""

    actor = "by"
    records = SovereigntyHandover.Effected
    consequences = (Partnership.FunctionPooled,)

    hid: UUID
    on: date = attrs.field(kw_only=True)
    by: str | None = attrs.field(kw_only=True, default=None)
    ref: DecisionRef | None = attrs.field(kw_only=True, default=None)

    def run(self, unit: Unit) -> None:
        handover, partnership = with_partnership(unit, unit.handover(self.hid))
        handover.effect(partnership, on=self.on, by=self.by, ref=self.ref, at=unit.now())


@attrs.frozen
class RecallHandover(Act[None]):
    """The function goes back to the council it came from."""

    actor = "by"
    records = SovereigntyHandover.Recalled
    consequences = (Partnership.FunctionReturned,)
    authority = True

    hid: UUID
    by: str = attrs.field(kw_only=True)
    reason: str | None = attrs.field(kw_only=True, default=None)
    on: date = attrs.field(kw_only=True)
    ref: DecisionRef | None = attrs.field(kw_only=True, default=None)

    def run(self, unit: Unit) -> None:
        handover, partnership = with_partnership(unit, unit.handover(self.hid))
        handover.recall(
            partnership, by=self.by, reason=self.reason, on=self.on, ref=self.ref,
            at=unit.now(),
        )  # fmt: skip


class HandoverDoors:
    """The named verbs of the handovers' acts (see [`door`][sharedsvc.acts.door])."""

    propose_handover = door(ProposeHandover)
    consent_to_handover = door(ConsentToHandover)
    withhold_consent = door(WithholdConsent)
    withdraw_handover = door(WithdrawHandover)
    effect_handover = door(EffectHandover)
    recall_handover = door(RecallHandover)
