"""Readiness: how ready each council says it is to integrate further, area by area.

A party's readiness is assessed in the policy's areas (by default `DEFAULT_READINESS_AREAS`),
each scored as a whole number from 0 to 5, and assessed again over time. A
[`ReadinessGate`][sharedsvc.ReadinessGate] in the policy makes a move to a deeper stage wait until
every active party is ready enough (see ``Partnership.change_stage``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import attrs
from immutabledict import immutabledict

from sharedsvc.domain.errors import RuleViolation
from sharedsvc.domain.validators import SLUG, shown
from sharedsvc.domain.values import INVALID, DecisionRef, PartyId, freeze

__all__ = [
    "AREAS",
    "DEFAULT_READINESS_AREAS",
    "SCORE",
    "AreaScore",
    "Readiness",
    "ReadinessGate",
    "check_areas",
    "check_scores",
    "overall",
]

AREAS = "readiness-areas"
"""The rule code of an area the policy does not assess."""
SCORE = "readiness-score"
"""The rule code of a score that is not a whole number from 0 to 5."""

DEFAULT_READINESS_AREAS: tuple[str, ...] = (
    "trust",
    "power-sharing",
    "business-buy-in",
    "political-backing",
    "branding-and-identity",
    "communication",
)
"""The areas a partnership assesses unless its policy names others."""

TENTH = Decimal("0.1")


def check_areas(value: object, what: str) -> tuple[str, ...]:
    """``value`` as a tuple of one or more distinct area slugs (``invalid-value`` otherwise)."""
    items = (
        ()
        if isinstance(value, str | bytes | Mapping) or not isinstance(value, Iterable)
        else (tuple(value))
    )
    if (
        not items
        or any(not isinstance(area, str) or not SLUG.fullmatch(area) for area in items)
        or len(set(items)) != len(items)
    ):
        raise RuleViolation(
            INVALID, f"{what} must be one or more distinct slugs ('trust'...), not {shown(value)}"
        )
    return items


def _whole(value: object, what: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise RuleViolation(
            INVALID, f"{what} must be a whole number from {low} to {high}, not {shown(value)}"
        )
    return value


def _optional_areas(value: object) -> tuple[str, ...] | None:
    return None if value is None else check_areas(value, "the gate's areas")


def _minimum(value: object) -> int:
    return _whole(value, "the gate's minimum", 0, 5)


def _months(value: object) -> int:
    return _whole(value, "the gate's within_months", 1, 1200)


@attrs.frozen
class ReadinessGate:
    """What a move to a deeper stage needs: every active party's latest score in each area
    of ``areas`` (``None``: every area of the policy) at least ``minimum`` (0 to 5), from an
    assessment dated within ``within_months`` calendar months before the move (on or after
    the same day of the month that many months earlier, or the month's last day if it has no
    such day: 12 months before 2024-02-29 is 2023-02-28)."""

    minimum: int = attrs.field(converter=_minimum)
    within_months: int = attrs.field(default=12, converter=_months)
    areas: tuple[str, ...] | None = attrs.field(default=None, converter=_optional_areas)


def check_scores(scores: object, areas: tuple[str, ...]) -> immutabledict[str, int]:
    """``scores`` if it maps one or more of ``areas`` (rule ``readiness-areas``) to whole
    numbers from 0 to 5 (rule ``readiness-score``; ``True`` and ``2.0`` are not whole
    numbers), in the policy's order of areas."""
    if not isinstance(scores, Mapping):
        raise RuleViolation(INVALID, f"scores map areas to scores from 0 to 5, not {shown(scores)}")
    if not scores:
        raise RuleViolation(SCORE, f"score one or more areas: {', '.join(areas)}")
    unknown = [shown(area, 40) for area in scores if area not in areas]
    if unknown:
        raise RuleViolation(
            AREAS,
            f"{', '.join(unknown[:5])} {'is' if len(unknown) == 1 else 'are'} not "
            f"{'an area' if len(unknown) == 1 else 'areas'} of this agreement's readiness: "
            f"use {', '.join(areas)}",
        )
    for area, score in scores.items():
        if isinstance(score, bool) or not isinstance(score, int) or not 0 <= score <= 5:
            raise RuleViolation(
                SCORE,
                f"the score for {area} must be a whole number from 0 to 5, not {shown(score)}",
            )
    return immutabledict((area, scores[area]) for area in areas if area in scores)


def overall(scores: Mapping[str, int]) -> Decimal:
    """The mean of ``scores`` to one decimal place, halves rounded up (2.25 is 2.3)."""
    total = Decimal(sum(scores.values()))
    return (total / len(scores)).quantize(TENTH, rounding=ROUND_HALF_UP)


def _scores(value: Mapping[str, Any]) -> immutabledict[str, int]:
    return freeze(value)  # type: ignore[no-any-return]


@attrs.frozen
class Readiness:
    """One assessment of ``party``'s readiness, made by ``by`` (the party itself, or a peer)
    on ``on``: ``scores`` by area (only the areas it assessed, in the policy's order) and
    ``overall``, their mean to one decimal place, halves rounded up (see `overall`)."""

    party: PartyId
    by: PartyId
    on: date
    scores: immutabledict[str, int] = attrs.field(converter=_scores)
    overall: Decimal
    ref: DecisionRef | None = None


@attrs.frozen
class AreaScore:
    """The latest score of ``party`` in ``area``, and the date of the assessment that gave it:
    what a partnership keeps of its assessments, for its stage gates."""

    party: PartyId
    area: str
    score: int
    on: date

    @property
    def key(self) -> str:
        """Its identity within a partnership: ``"party/area"``."""
        return f"{self.party}/{self.area}"
