"""The catalogue of acts: every act the library records, declared once.

Each act is a frozen command class named as its verb in CamelCase, with the verb's parameters as
fields (:class:`ChangeStage` for :meth:`SharedServices.change_stage
<sharedsvc.SharedServices.change_stage>`). ``app.execute(act)`` records any of them and returns
what the verb returns; the named verbs are doors onto the same path. Everything that needs the
list of acts (scenario files, the audit narrator, the testing kit) reads :data:`CATALOGUE`::

    from datetime import date
    from sharedsvc import SharedServices, Stage
    from sharedsvc.acts import CATALOGUE, ChangeStage

    assert CATALOGUE["change_stage"] is ChangeStage
    assert ChangeStage.actor == "by" and ChangeStage.target() == "pid"
"""

from __future__ import annotations

# isort: off
# The catalogue lists acts in the order their modules are imported: a partnership's acts first.
from sharedsvc.acts import partnerships, handovers, disputes  # noqa: F401
# isort: on

from sharedsvc.acts._base import (
    CATALOGUE,
    FREE_MAPPING,
    ID_KINDS,
    TERM_CHANGES,
    Act,
    Executor,
    door,
    refers_to,
)
from sharedsvc.acts.disputes import (
    AcceptSettlement,
    AppointMediator,
    DetermineDispute,
    DisputeDoors,
    EscalateDispute,
    ProposeSettlement,
    RaiseDispute,
    StateDisputePosition,
    WithdrawDispute,
)
from sharedsvc.acts.handovers import (
    ConsentToHandover,
    EffectHandover,
    HandoverDoors,
    ProposeHandover,
    RecallHandover,
    WithdrawHandover,
    WithholdConsent,
)
from sharedsvc.acts.partnerships import (
    ApproveVariation,
    ChangeStage,
    CompleteWithdrawal,
    DetermineExitCosts,
    FormPartnership,
    PartnershipDoors,
    ProposeVariation,
    RejectVariation,
    RetractWithdrawalNotice,
    ServeWithdrawalNotice,
    SettleExitPayment,
    StatePosition,
)
from sharedsvc.domain.coordination import Unit

__all__ = [
    "CATALOGUE",
    "FREE_MAPPING",
    "ID_KINDS",
    "TERM_CHANGES",
    "AcceptSettlement",
    "Act",
    "AppointMediator",
    "ApproveVariation",
    "ChangeStage",
    "CompleteWithdrawal",
    "ConsentToHandover",
    "DetermineDispute",
    "DetermineExitCosts",
    "DisputeDoors",
    "EffectHandover",
    "EscalateDispute",
    "Executor",
    "FormPartnership",
    "HandoverDoors",
    "PartnershipDoors",
    "ProposeHandover",
    "ProposeSettlement",
    "ProposeVariation",
    "RaiseDispute",
    "RecallHandover",
    "RejectVariation",
    "RetractWithdrawalNotice",
    "ServeWithdrawalNotice",
    "SettleExitPayment",
    "StateDisputePosition",
    "StatePosition",
    "Unit",
    "WithdrawDispute",
    "WithdrawHandover",
    "WithholdConsent",
    "door",
    "refers_to",
]
