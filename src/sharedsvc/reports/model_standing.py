"""Where the parties of a partnership stand on one date, as an audit report shows it: their
readiness assessments, the targets set, the obligations the record makes and each party's
balance (`sharedsvc.reports.model` gathers it into the report).

This module draws nothing and must not import matplotlib.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

import attrs
from immutabledict import immutabledict

from sharedsvc.application import SharedServices
from sharedsvc.domain.partnership import Partnership
from sharedsvc.domain.readiness import Readiness
from sharedsvc.domain.targets import Target
from sharedsvc.domain.views import PartnershipView
from sharedsvc.projections.balance import Balance
from sharedsvc.projections.obligations import Obligation
from sharedsvc.queries import assessments
from sharedsvc.store import project_until

__all__ = ["LatestScore", "Standing", "standing"]


@attrs.frozen
class LatestScore:
    """A party's latest score in one area of readiness, and the date of the assessment
    that gave it."""

    score: int
    on: date


def _balances(value: Iterable[tuple[str, Balance]]) -> immutabledict[str, Balance]:
    return immutabledict(value)


@attrs.frozen
class Standing:
    """Where the parties stood on ``as_of`` (``None`` only in an empty standing).

    ``assessments`` is every readiness assessment dated on or before it, oldest first;
    ``targets`` every target set by then (with the outcomes recorded by then);
    ``obligations`` the obligations the record makes, with their status on ``as_of``, in
    order of due date; ``balance`` each party the partnership ever had -> its balance."""

    as_of: date | None = None
    assessments: tuple[Readiness, ...] = ()
    targets: tuple[Target, ...] = ()
    obligations: tuple[Obligation, ...] = ()
    balance: immutabledict[str, Balance] = attrs.field(factory=immutabledict, converter=_balances)

    def latest(self) -> dict[str, Readiness]:
        """Each party assessed -> its latest assessment, in the order first assessed (what
        [`readiness`][sharedsvc.SharedServices.readiness] gives)."""
        return {record.party: record for record in self.assessments}

    def area_scores(self, party: str) -> dict[str, LatestScore]:
        """Each area ``party`` was ever scored in -> its latest score there, whichever
        assessment gave it (what a stage gate reads)."""
        found: dict[str, LatestScore] = {}
        for record in self.assessments:
            if record.party == party:
                for area, score in record.scores.items():
                    found[area] = LatestScore(score, record.on)
        return found

    def trend(self, party: str) -> list[tuple[date, Decimal]]:
        """``party``'s overall readiness at each of its assessments, oldest first."""
        return [(r.on, r.overall) for r in self.assessments if r.party == party]

    @property
    def has_balance(self) -> bool:
        """Whether any party's balance counts anything."""
        return any(
            b.conceded or b.ceded or b.kept or b.missed or b.disputes_raised or b.received_from
            for b in self.balance.values()
        )


def standing(
    app: SharedServices, view: PartnershipView, as_of: date, events: Sequence[Any]
) -> Standing:
    """Where the parties of partnership ``view`` stood on ``as_of``: nothing of readiness or
    targets before the partnership was formed. Its readiness and targets are read from the
    partnership's ``events`` (all of them, as the report read them already), as
    [`readiness_trend`][sharedsvc.SharedServices.readiness_trend] and
    [`targets`][sharedsvc.SharedServices.targets] read them from the store."""
    pid: UUID = view.id
    obligations = tuple(app.obligations(pid, as_of=as_of))  # refuses an as_of not a date
    assessed: tuple[Readiness, ...] = ()
    targets: tuple[Target, ...] = ()
    if as_of >= view.formed_on:
        assessed = tuple(assessments(events, as_of))
        dated = project_until(events, as_of, None)
        targets = tuple(dated.targets.values()) if isinstance(dated, Partnership) else ()
    return Standing(
        as_of=as_of,
        assessments=assessed,
        targets=targets,
        obligations=obligations,
        balance=app.balance(pid, as_of=as_of).items(),
    )
