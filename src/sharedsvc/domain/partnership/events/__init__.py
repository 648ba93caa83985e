"""The events of a partnership, and its snapshot, in modules by subject.

Each event has an explicit, stable topic (``sharedsvc:Partnership.Formed``) so that modules can
move without orphaning stored history, and carries the legal date ``on`` of the act besides
eventsourcing's recording ``timestamp``. Events carry their results (new terms, rebased pools,
concessions), so applying one never recomputes or re-checks anything.

Each module names its own events in a namespace class (`.variations.VariationEvents`
...); `PartnershipEvents` joins them, for
`sharedsvc.domain.partnership.Partnership` to inherit (``Partnership.StageChanged``).
An event is added to the module of its subject, and to that module's namespace; a new subject
is a new module, whose namespace joins `PartnershipEvents`. This module re-exports every
event, so ``from sharedsvc.domain.partnership import events`` names them all.

- `.base`: the base event, the creation base and the snapshot.
- `.formation`: the formation and changes of stage.
- `.variations`: a variation's life, and the joiners and dissolution it adopts.
- `.withdrawals`: a party's withdrawal.
- `.pooling`: the partnership's side of handovers and disputes.
- `.notes`: outside events recorded as notes.
"""

from __future__ import annotations

from sharedsvc.domain.partnership.events.base import (
    BaseEvents,
    Created,
    PartnershipEvent,
    PartnershipSnapshot,
)
from sharedsvc.domain.partnership.events.formation import FormationEvents, Formed, StageChanged
from sharedsvc.domain.partnership.events.notes import NoteEvents, NoteRecorded
from sharedsvc.domain.partnership.events.pooling import (
    ActDeferred,
    ActReleased,
    FunctionPooled,
    FunctionReturned,
    PoolingEvents,
)
from sharedsvc.domain.partnership.events.variations import (
    Dissolved,
    PartyAdmitted,
    PositionStated,
    VariationAdopted,
    VariationApproved,
    VariationEvent,
    VariationEvents,
    VariationProposed,
    VariationRejected,
)
from sharedsvc.domain.partnership.events.withdrawals import (
    ExitCostsDetermined,
    ExitPaymentSettled,
    PartyWithdrew,
    WithdrawalEvents,
    WithdrawalNoticeRetracted,
    WithdrawalNoticeServed,
)

__all__ = [
    "ActDeferred",
    "ActReleased",
    "Created",
    "Dissolved",
    "ExitCostsDetermined",
    "ExitPaymentSettled",
    "Formed",
    "FunctionPooled",
    "FunctionReturned",
    "NoteRecorded",
    "PartnershipEvent",
    "PartnershipEvents",
    "PartnershipSnapshot",
    "PartyAdmitted",
    "PartyWithdrew",
    "PositionStated",
    "StageChanged",
    "VariationAdopted",
    "VariationApproved",
    "VariationEvent",
    "VariationProposed",
    "VariationRejected",
    "WithdrawalNoticeRetracted",
    "WithdrawalNoticeServed",
]


class PartnershipEvents(
    BaseEvents, FormationEvents, VariationEvents, WithdrawalEvents, PoolingEvents, NoteEvents
):
    """The partnership's events, from every subject's namespace, inherited by
    `sharedsvc.domain.partnership.Partnership` (``Partnership.StageChanged``)."""
