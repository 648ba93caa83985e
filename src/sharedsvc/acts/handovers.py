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
    """``by`` proposes to hand its ``function`` over (with staff, assets, a data role); a
    service combined from several councils names them all in ``from_parties`` (``by`` among
    them), and each cedes its own share of the function."""

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
    from_parties: Iterable[str] = attrs.field(kw_only=True, default=())

    def run(self, unit: Unit) -> UUID:
        arguments = self.arguments()
        partnership = unit.partnership(arguments.pop("pid"))
        return unit.add(SovereigntyHandover.propose(partnership, **arguments))


@attrs.frozen
class _OnHandover(Act[None]):
    """An act on a handover once proposed. It is carried out by the handover's method named
    ``method`` (the verb, unless the act says otherwise), called with the partnership the
    handover belongs to, the act's other fields, and the act's one recorded time (an act on a
    handover may write to the partnership too)."""

    hid: UUID

    def run(self, unit: Unit) -> None:
        arguments = self.arguments()
        handover, partnership = with_partnership(unit, unit.handover(arguments.pop("hid")))
        getattr(handover, self.method or self.verb)(partnership, **arguments, at=unit.now())


@attrs.frozen
class _ConsentStep(_OnHandover):
    """A party's answer to a proposed handover: acted by the party, and binding it."""

    actor = "party"
    authority = True

    party: str = attrs.field(kw_only=True)


@attrs.frozen
class ConsentToHandover(_ConsentStep):
    """``party`` consents to the handover, with its decision reference."""

    records = SovereigntyHandover.ConsentGiven
    method = "consent"

    ref: DecisionRef | None = attrs.field(kw_only=True, default=None)
    on: date = attrs.field(kw_only=True)
    by: str | None = attrs.field(kw_only=True, default=None)


@attrs.frozen
class WithholdConsent(_ConsentStep):
    """``party`` withholds (or, before effect, withdraws) its consent."""

    records = SovereigntyHandover.ConsentWithheld

    reason: str | None = attrs.field(kw_only=True, default=None)
    on: date = attrs.field(kw_only=True)
    ref: DecisionRef | None = attrs.field(kw_only=True, default=None)
    by: str | None = attrs.field(kw_only=True, default=None)


@attrs.frozen
class WithdrawHandover(_OnHandover):
    """The proposer withdraws the handover before it takes effect."""

    actor = "by"
    records = SovereigntyHandover.Withdrawn
    method = "withdraw"

    by: str = attrs.field(kw_only=True)
    on: date = attrs.field(kw_only=True)
    reason: str | None = attrs.field(kw_only=True, default=None)
    ref: DecisionRef | None = attrs.field(kw_only=True, default=None)


@attrs.frozen
class EffectHandover(_OnHandover):
    """The handover takes effect: the function is pooled. ``by`` defaults to the host; a
    partnership without one names who effects it."""

    actor = "by"
    records = SovereigntyHandover.Effected
    consequences = (Partnership.FunctionPooled,)
    method = "effect"

    on: date = attrs.field(kw_only=True)
    by: str | None = attrs.field(kw_only=True, default=None)
    ref: DecisionRef | None = attrs.field(kw_only=True, default=None)


@attrs.frozen
class RecallHandover(_OnHandover):
    """The function goes back to the council it came from (of a combined service, ``by``'s
    share only)."""

    actor = "by"
    records = SovereigntyHandover.Recalled
    consequences = (Partnership.FunctionReturned,)
    authority = True
    method = "recall"

    by: str = attrs.field(kw_only=True)
    reason: str | None = attrs.field(kw_only=True, default=None)
    on: date = attrs.field(kw_only=True)
    ref: DecisionRef | None = attrs.field(kw_only=True, default=None)


class HandoverDoors:
    """The named verbs of the handovers' acts (see [`door`][sharedsvc.acts.door])."""

    propose_handover = door(ProposeHandover)
    consent_to_handover = door(ConsentToHandover)
    withhold_consent = door(WithholdConsent)
    withdraw_handover = door(WithdrawHandover)
    effect_handover = door(EffectHandover)
    recall_handover = door(RecallHandover)
