"""Policy: the data that varies between agreements — continuum, ladder, minimums, rounding.

The defaults follow practice in English shared services (see ``DOMAIN.md``); an agreement with a
different ladder or continuum passes its own [`Policy`][sharedsvc.Policy] when the partnership is
formed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import attrs
from immutabledict import immutabledict

from sharedsvc.domain.errors import RuleViolation
from sharedsvc.domain.readiness import DEFAULT_READINESS_AREAS, ReadinessGate, check_areas
from sharedsvc.domain.validators import shown
from sharedsvc.domain.values import INVALID, SLUG, CostPool, OrderedEnum, PartyId, Rung, Stage

__all__ = ["DEFAULT_DAYS", "DEFAULT_STAGE_MINIMUMS", "MAX_DAYS", "Policy"]

DEFAULT_DAYS = 90
"""The default time limit, in days, of an exit payment and of each rung of the ladder."""
DEFAULT_CONSENT_DAYS = 60
"""The default time, in days, a party has to answer a proposed handover."""
MAX_DAYS = 36525
"""The longest time limit a policy may set: a century of days."""

DEFAULT_STAGE_MINIMUMS: immutabledict[str, Stage] = immutabledict(
    {
        "back-office": Stage.CO_OPERATING,
        "front-line": Stage.COLLABORATING,
        "identity": Stage.COMBINING,
    }
)


def _ordered(value: Iterable[Any], kind: type[OrderedEnum], what: str) -> tuple[Any, ...]:
    try:
        items = tuple(value)
    except TypeError:
        items = ()
    if (
        not items
        or any(not isinstance(item, kind) for item in items)
        or items != tuple(sorted(set(items)))
    ):
        raise RuleViolation(
            INVALID,
            f"the {what} must be distinct {kind.__name__}s in ascending order: {shown(value)}",
        )
    return items


def _stages(value: Iterable[Stage]) -> tuple[Stage, ...]:
    return _ordered(value, Stage, "continuum")


def _rungs(value: Iterable[Rung]) -> tuple[Rung, ...]:
    return _ordered(value, Rung, "ladder")


def _minimums(value: Mapping[str, Stage]) -> immutabledict[str, Stage]:
    if (
        not isinstance(value, Mapping)
        or any(not isinstance(s, Stage) for s in value.values())
        or any(not isinstance(c, str) or not SLUG.fullmatch(c) for c in value)
    ):
        raise RuleViolation(
            INVALID, f"stage minimums must map category slugs to Stages: {shown(value)}"
        )
    return immutabledict(value)


def _days(value: object, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_DAYS:
        raise RuleViolation(
            INVALID, f"{what} must be a whole number of days 0..{MAX_DAYS}: {shown(value)}"
        )
    return value


def _whole_days(_: object, attribute: attrs.Attribute[int], value: object) -> None:
    _days(value, attribute.name)


def _ladder_days(policy: Policy) -> immutabledict[Rung, int]:
    return immutabledict((rung, DEFAULT_DAYS) for rung in policy.ladder)


def _rung_days(value: object, policy: Any) -> immutabledict[Rung, int]:
    """``value`` as days for every rung of the policy's ladder (the rungs it leaves out get
    `DEFAULT_DAYS`), in the ladder's order."""
    if not isinstance(value, Mapping) or any(not isinstance(r, Rung) for r in value):
        raise RuleViolation(INVALID, f"rung_days must map Rungs to days: {shown(value)}")
    off = [rung for rung in value if rung not in policy.ladder]
    if off:
        raise RuleViolation(
            INVALID,
            f"rung_days names {', '.join(r.name for r in off)}, not on this ladder: "
            f"{', '.join(r.name for r in policy.ladder)}",
        )
    return immutabledict(
        (rung, _days(value.get(rung, DEFAULT_DAYS), f"the days at {rung.name}"))
        for rung in policy.ladder
    )


def _readiness_areas(value: Iterable[str]) -> tuple[str, ...]:
    return check_areas(value, "readiness_areas")


def _gates(value: Mapping[Stage, ReadinessGate] | None) -> immutabledict[Stage, ReadinessGate]:
    if value is None:
        return immutabledict()
    pairs = value.items() if isinstance(value, Mapping) else None
    if pairs is None or any(
        not isinstance(stage, Stage) or not isinstance(gate, ReadinessGate) for stage, gate in pairs
    ):
        raise RuleViolation(
            INVALID, f"stage_gates must map Stages to ReadinessGates: {shown(value)}"
        )
    return immutabledict(value)


def _a_stage(_: object, __: attrs.Attribute[Stage], value: object) -> None:
    if not isinstance(value, Stage):
        raise RuleViolation(INVALID, f"default_minimum must be a Stage, not {shown(value)}")


@attrs.frozen
class Policy:
    """The rules of an agreement that are data rather than code.

    Attributes:
        continuum: the integration stages a partnership may be at, in order.
        ladder: the dispute-resolution rungs, lowest first.
        stage_minimums: function category -> the stage a partnership must have reached before a
            function of that category can be pooled.
        default_minimum: the minimum for categories not listed (nothing is pooled before it).
        share_places: decimal places of cost-pool shares. Rounding rule: each share is rounded
            down to this many places and the units left over go one each to the largest
            remainders, ties to the party listed first (equal thirds are 33.34/33.33/33.33).
        exit_payment_days: the days a leaving party has to pay its exit costs, from their
            determination (an ``exit-payment`` obligation).
        rung_days: rung -> the days a dispute may sit at that rung before it is escalated or
            settled (an ``escalation`` obligation); every rung of the ladder, those not given
            at 90 days. A rung not on the ladder is refused.
        consent_days: the days each party has to consent to a proposed handover, or withhold
            consent, from the proposal (a ``consent`` obligation).
        readiness_areas: the areas in which parties assess their readiness (slugs; by default
            trust, power-sharing, business-buy-in, political-backing, branding-and-identity
            and communication).
        stage_gates: stage -> the [`ReadinessGate`][sharedsvc.ReadinessGate] a move to it, or
            through it to a deeper stage, from a shallower stage must pass (none by default).
            Each gate's areas are areas of ``readiness_areas``, and each gated stage is on the
            continuum.

    Days are whole numbers from 0 to `MAX_DAYS`. A policy stored before these limits existed
    reads back with the defaults (90, 90 at each rung, 60).
    """

    continuum: tuple[Stage, ...] = attrs.field(default=tuple(Stage), converter=_stages)
    ladder: tuple[Rung, ...] = attrs.field(default=tuple(Rung), converter=_rungs)
    stage_minimums: immutabledict[str, Stage] = attrs.field(
        default=DEFAULT_STAGE_MINIMUMS, converter=_minimums
    )
    default_minimum: Stage = attrs.field(default=Stage.CO_OPERATING, validator=_a_stage)
    share_places: int = attrs.field(default=2)
    exit_payment_days: int = attrs.field(default=DEFAULT_DAYS, validator=_whole_days)
    rung_days: immutabledict[Rung, int] = attrs.field(
        default=attrs.Factory(_ladder_days, takes_self=True),
        converter=attrs.Converter(_rung_days, takes_self=True),  # type: ignore[misc]
    )
    consent_days: int = attrs.field(default=DEFAULT_CONSENT_DAYS, validator=_whole_days)
    readiness_areas: tuple[str, ...] = attrs.field(
        default=DEFAULT_READINESS_AREAS, converter=_readiness_areas
    )
    stage_gates: immutabledict[Stage, ReadinessGate] = attrs.field(
        factory=immutabledict, converter=_gates
    )

    @share_places.validator
    def _check_places(self, _: attrs.Attribute[int], value: Any) -> None:
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 6:
            raise RuleViolation(
                INVALID, f"share_places must be a whole number 0..6: {shown(value)}"
            )

    @stage_gates.validator
    def _check_gates(self, _: attrs.Attribute[Any], value: Mapping[Stage, ReadinessGate]) -> None:
        for stage, gate in value.items():
            if stage not in self.continuum:
                raise RuleViolation(
                    INVALID, f"stage_gates names {stage.name}, which is not on the continuum"
                )
            stray = [area for area in gate.areas or () if area not in self.readiness_areas]
            if stray:
                raise RuleViolation(
                    INVALID,
                    f"the gate of {stage.name} names {', '.join(stray)}, not among the "
                    f"readiness_areas {', '.join(self.readiness_areas)}",
                )

    def gate_areas(self, gate: ReadinessGate) -> tuple[str, ...]:
        """The areas ``gate`` covers: its own, or every area of the policy."""
        return self.readiness_areas if gate.areas is None else gate.areas

    def minimum_stage(self, category: str) -> Stage:
        """The stage a partnership must be at for a function of ``category`` to be pooled."""
        return self.stage_minimums.get(category, self.default_minimum)

    def next_rung(self, rung: Rung) -> Rung | None:
        """The rung above ``rung`` on this ladder, or ``None`` at the top."""
        if rung not in self.ladder:
            raise RuleViolation(
                INVALID,
                f"{shown(rung)} is not on this ladder: {', '.join(r.name for r in self.ladder)}",
            )
        index = self.ladder.index(rung)
        return self.ladder[index + 1] if index + 1 < len(self.ladder) else None

    @property
    def top_rung(self) -> Rung:
        """The last rung of the ladder (arbitration by default)."""
        return self.ladder[-1]

    def equal_pool(self, name: str, parties: Iterable[PartyId]) -> CostPool:
        """An equal cost pool over ``parties`` by this policy's rounding rule."""
        return CostPool.equal(name, parties, places=self.share_places)

    def rebase(self, pool: CostPool, remaining: Iterable[PartyId]) -> CostPool:
        """``pool`` spread over ``remaining``: equal pools stay equal, others pro rata."""
        return pool.rebased(remaining, places=self.share_places)
