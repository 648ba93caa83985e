"""The events of a partnership, and its snapshot, in modules by subject.

Each event has an explicit, stable topic (``sharedsvc:Partnership.<EventName>``) so that modules can
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
- `.succession`: a party succeeded by others on a vesting day.
- `.relationship`: readiness assessed, targets set and outcomes recorded.
- `.money`: budgets set and usage recorded, from which the recharges are worked out.
"""

from __future__ import annotations

# Every event of each module, by the names it lists (a new event needs no line here).
from sharedsvc.domain.partnership.events import (
    base,
    formation,
    money,
    notes,
    pooling,
    relationship,
    succession,
    variations,
    withdrawals,
)
from sharedsvc.domain.partnership.events.base import *  # noqa: F403
from sharedsvc.domain.partnership.events.formation import *  # noqa: F403
from sharedsvc.domain.partnership.events.money import *  # noqa: F403
from sharedsvc.domain.partnership.events.notes import *  # noqa: F403
from sharedsvc.domain.partnership.events.pooling import *  # noqa: F403
from sharedsvc.domain.partnership.events.relationship import *  # noqa: F403
from sharedsvc.domain.partnership.events.succession import *  # noqa: F403
from sharedsvc.domain.partnership.events.variations import *  # noqa: F403
from sharedsvc.domain.partnership.events.withdrawals import *  # noqa: F403

__all__ = ["PartnershipEvents"]
__all__ += base.__all__
__all__ += formation.__all__
__all__ += money.__all__
__all__ += notes.__all__
__all__ += pooling.__all__
__all__ += relationship.__all__
__all__ += succession.__all__
__all__ += variations.__all__
__all__ += withdrawals.__all__


class PartnershipEvents(
    base.BaseEvents,
    formation.FormationEvents,
    variations.VariationEvents,
    withdrawals.WithdrawalEvents,
    pooling.PoolingEvents,
    notes.NoteEvents,
    succession.SuccessionEvents,
    relationship.RelationshipEvents,
    money.MoneyEvents,
):
    """The partnership's events, from every subject's namespace, inherited by
    `sharedsvc.domain.partnership.Partnership` (``Partnership.StageChanged``)."""
