"""The working relationship: readiness assessed, the stage gates it opens, and targets set and
measured. The commands are methods of [`Partnership`][sharedsvc.Partnership] (``self`` is the
partnership).

A partnership keeps, of its assessments, only each party's latest score in each area and the
date of the assessment that gave it (what its stage gates read); the assessments themselves
are read from its events (`sharedsvc.SharedServices.readiness`).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import TYPE_CHECKING
from uuid import UUID

from sharedsvc.domain.checks import check_money, check_ref, check_text, require_member
from sharedsvc.domain.errors import NotFound, RuleViolation
from sharedsvc.domain.ids import new_id
from sharedsvc.domain.partnership import events as ev
from sharedsvc.domain.readiness import ReadinessGate, check_scores
from sharedsvc.domain.rules import require
from sharedsvc.domain.terms import add_months
from sharedsvc.domain.validators import shown
from sharedsvc.domain.values import INVALID, DecisionRef, Money, Stage

if TYPE_CHECKING:
    from sharedsvc.domain.partnership.aggregate import Partnership

__all__ = [
    "assess_readiness",
    "check_gate",
    "crossed_gates",
    "record_outcome",
    "set_target",
    "unready",
]

RECORD_KINDS = ("withdrawal", "exit-payment", "escalation", "consent")
"""The kinds of obligation the record makes of its own acts, which a target's kind may not
take (`SharedServices.obligations` would not tell them apart)."""

GATE = "readiness-for-stage"
"""The rule code of a move to a deeper stage whose readiness gate is not met."""


def assess_readiness(
    self: Partnership,
    *,
    party: str,
    scores: Mapping[str, int],
    by: str | None = None,
    on: date,
    ref: DecisionRef | None = None,
    at: datetime | None = None,
) -> None:
    """``by`` (``party`` itself unless given; any member may assess a peer) scores
    ``party``'s readiness in some or all of the policy's areas."""
    assessor = self._begin(party if by is None else by, on, "the assessment")
    assessed = require_member(party, self.active, self._where)
    given = check_scores(scores, self.policy.readiness_areas)
    self._trigger(
        ev.ReadinessAssessed, at, party=assessed, scores=given, by=assessor, ref=check_ref(ref),
        on=on,
    )  # fmt: skip


def crossed_gates(self: Partnership, to: Stage) -> list[tuple[Stage, ReadinessGate]]:
    """The readiness gates a move from the stage the partnership is at to ``to`` passes: the
    gate of every stage deeper than the current one, up to and including ``to``, shallowest
    first (none for a move to a shallower stage)."""
    return [
        (stage, gate)
        for stage, gate in sorted(self.policy.stage_gates.items())
        if self.stage < stage <= to
    ]


def unready(self: Partnership, to: Stage, on: date) -> list[str]:
    """What keeps the partnership from moving to ``to`` on ``on`` under the readiness gates
    the move passes (see `crossed_gates`; nothing if there are none): each active party's
    area whose latest score within the window is missing or below the minimum, for the
    strictest gate that covers the area (the highest minimum, then the shortest window)."""
    demands: dict[str, tuple[int, date]] = {}
    for _, gate in self.crossed_gates(to):
        since = add_months(on, -gate.within_months)
        for area in self.policy.gate_areas(gate):
            minimum, after = demands.get(area, (0, date.min))
            demands[area] = (max(minimum, gate.minimum), max(after, since))
    problems = []
    for party in self.active:
        short = []
        for area, (minimum, since) in demands.items():
            latest = self.readiness.get(f"{party}/{area}")
            if latest is None:
                short.append(f"{area} never assessed")
            elif latest.on < since:
                short.append(f"{area} last assessed {latest.on.isoformat()}")
            elif latest.score < minimum:
                short.append(f"{area} scored {latest.score}")
        if short:
            problems.append(f"{party}: {', '.join(short)}")
    return problems


def check_gate(self: Partnership, to: Stage, on: date) -> None:
    """Rule ``readiness-for-stage``: every active party is ready enough for ``to`` and for
    every gated stage the move passes on the way."""
    problems = self.unready(to, on)
    if problems:
        needs = "; and ".join(
            f"{stage.value} needs every active party to score at least {gate.minimum} in "
            f"{'every area' if gate.areas is None else ', '.join(gate.areas)}, in an "
            f"assessment on or after {add_months(on, -gate.within_months).isoformat()}"
            for stage, gate in self.crossed_gates(to)
        )
        require(GATE, problems, f"{needs}: assess readiness again first")


def set_target(
    self: Partnership,
    *,
    kind: str,
    amount: Money,
    due: date,
    by: str,
    on: date,
    ref: DecisionRef | None = None,
    party: str | None = None,
    at: datetime | None = None,
) -> UUID:
    """``by`` sets a target of ``kind``: ``amount`` by ``due``, binding ``party`` (``None``: the
    partnership as a whole). Returns the target's id."""
    actor = self._begin(by, on, "the target")
    check_text(kind, "kind", optional=False)
    if kind in RECORD_KINDS:
        raise RuleViolation(
            INVALID,
            f"a target's kind names what it measures; {kind!r} is a kind of obligation the "
            f"record makes itself ({', '.join(RECORD_KINDS)}): choose another",
        )
    check_money(amount)
    if amount.amount <= 0:
        raise RuleViolation(INVALID, f"a target's amount must be more than nothing, not {amount}")
    if not isinstance(due, date) or isinstance(due, datetime):
        raise RuleViolation(INVALID, f"due must be a date, not {shown(due)}")
    if due < on:
        raise RuleViolation(
            "dates-in-order",
            f"the target is due {due.isoformat()}, before it is set on {on.isoformat()}: "
            "give a due date on or after the date it is set",
        )
    bound = None if party is None else require_member(party, self.active, self._where)
    tid = new_id()
    self._trigger(
        ev.TargetSet, at, target_id=tid, kind=kind, amount=amount, due=due, party=bound,
        by=actor, ref=check_ref(ref), on=on,
    )  # fmt: skip
    return tid


def record_outcome(
    self: Partnership,
    *,
    target: object,
    amount: Money,
    by: str,
    on: date,
    ref: DecisionRef | None = None,
    at: datetime | None = None,
) -> None:
    """``by`` records ``amount`` achieved against ``target`` (the id
    [`set_target`][sharedsvc.SharedServices.set_target] returned)."""
    actor = self._begin(by, on, "the outcome")
    tid = _target_id(target)
    found = self.targets.get(tid) if tid is not None else None
    if found is None:
        raise NotFound(f"{self._where} has no target {shown(target)}")
    check_money(amount)
    if amount.currency != found.amount.currency:
        raise RuleViolation(
            INVALID,
            f"the target is in {found.amount.currency}, not {amount.currency}: convert the "
            "outcome first",
        )
    self._trigger(
        ev.OutcomeRecorded, at, target_id=tid, amount=amount, by=actor, ref=check_ref(ref),
        on=on,
    )  # fmt: skip


def _target_id(value: object) -> UUID | None:
    if isinstance(value, UUID):
        return value
    try:
        return UUID(value) if isinstance(value, str) else None
    except ValueError:
        return None
