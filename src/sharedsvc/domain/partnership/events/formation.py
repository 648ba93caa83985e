"""The events of a partnership's formation and of its place on the continuum."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeAlias

from sharedsvc.domain.aggregate import AggregateEvents
from sharedsvc.domain.partnership.events.base import Created, PartnershipEvent
from sharedsvc.domain.policy import Policy
from sharedsvc.domain.values import DecisionRef, Party, PartyId, Stage, Terms

if TYPE_CHECKING:
    from sharedsvc.domain.partnership.aggregate import Partnership

__all__ = ["FormationEvents", "Formed", "StageChanged"]


class Formed(Created):
    """The founders signed the agreement."""

    TOPIC = "sharedsvc:Partnership.Formed"
    name: str
    parties: tuple[Party, ...]
    terms: Terms
    stage: Stage
    policy: Policy
    ref: DecisionRef | None

    def apply(self, agg: Partnership) -> None:
        agg._initialise(
            name=self.name,
            policy=self.policy,
            parties={party.id: party for party in self.parties},
            active=[party.id for party in self.parties],
            terms=self.terms,
            stage=self.stage,
            formed_on=self.on,
            last_on=self.on,
        )


class StageChanged(PartnershipEvent):
    TOPIC = "sharedsvc:Partnership.StageChanged"
    from_stage: Stage
    to: Stage
    by: PartyId
    rationale: str | None
    ref: DecisionRef | None

    def apply(self, agg: Partnership) -> None:
        agg.stage = self.to


class FormationEvents(AggregateEvents):
    """This module's part of `sharedsvc.domain.partnership.events.PartnershipEvents`."""

    Formed: TypeAlias = Formed
    StageChanged: TypeAlias = StageChanged
