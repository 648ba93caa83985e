"""A partnership in one line, as ``sharedsvc list`` shows it: from the read models' index of
partnerships (`sharedsvc.projections.builder_index`), or from its view where a store keeps
no read models."""

from __future__ import annotations

from datetime import date
from uuid import UUID

import attrs
import orjson

from sharedsvc.domain.enums import Stage
from sharedsvc.domain.values import PartyId
from sharedsvc.domain.views import PartnershipView
from sharedsvc.projections.rows import PartnershipRow

__all__ = ["PartnershipSummary"]


@attrs.frozen
class PartnershipSummary:
    """A partnership as it stands, in brief: its id, name, stage, the members it has in order
    of joining (none once it is dissolved: ``members_at_dissolution`` then lists those it
    had) and the date its dissolution takes effect (None while it is in force). Each has the
    meaning it has in [`PartnershipView`][sharedsvc.PartnershipView]."""

    id: UUID
    name: str
    stage: Stage
    active_parties: tuple[PartyId, ...]
    members_at_dissolution: tuple[PartyId, ...]
    dissolved_on: date | None

    @classmethod
    def of_view(cls, view: PartnershipView) -> PartnershipSummary:
        """The summary of a partnership's view."""
        return cls(
            view.id,
            view.name,
            view.stage,
            view.active_parties,
            view.members_at_dissolution,
            view.dissolved_on,
        )

    @classmethod
    def of_row(cls, row: PartnershipRow) -> PartnershipSummary:
        """The summary of a row of the read models' index."""
        members = tuple(PartyId(party) for party in orjson.loads(row.active))
        dissolved = None if row.dissolved is None else date.fromisoformat(row.dissolved)
        return cls(
            UUID(row.partnership),
            row.name,
            Stage(row.stage),
            members if dissolved is None else (),
            () if dissolved is None else members,
            dissolved,
        )
