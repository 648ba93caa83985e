"""The rules of [`PartnershipMachine`][sharedsvc.testing.PartnershipMachine] for the working
relationship that the catalogue's rules reach seldom: every member assessing its readiness at
once, then a move to a deeper stage (which a stage gate may refuse), and input the verbs must
refuse by the right rule.

`GATED` is the policy a partnership the machine forms is sometimes given: moving to
collaborating needs every active party to score 3 or more in every area, assessed within the
year. Each kind of bad input (`BAD_INPUT`) names the rule its refusal must give: an area the policy
does not have (``readiness-areas``), a score that is not a whole number from 0 to 5
(``readiness-score``), an assessment by, or of, a party that is not a member
(``members-only``), a target of nothing or less (``invalid-value``), a target due before it is
set (``dates-in-order``), and an outcome for a target the partnership never set (``NotFound``).
[`attempt`][sharedsvc.testing.PartnershipMachine] checks that the refusal recorded nothing.

Private to `sharedsvc.testing.machine`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from functools import partial as partial_call
from typing import Any, cast
from uuid import UUID

from hypothesis import strategies as st
from hypothesis.stateful import precondition, rule

from sharedsvc.domain.policy import Policy
from sharedsvc.domain.readiness import ReadinessGate
from sharedsvc.domain.values import Money, Stage
from sharedsvc.testing._invalid import (
    invalid_readiness_scores,
    invalid_target_amounts,
    unknown_party_ids,
    unknown_readiness_areas,
)
from sharedsvc.testing._machine_base import MachineBase
from sharedsvc.testing._machine_rules import COUNCILS, picks

__all__ = ["BAD_INPUT", "GATED", "assess_everyone", "refuse_bad_input"]

GATED = Policy(stage_gates={Stage.COLLABORATING: ReadinessGate(minimum=3, within_months=12)})
"""The policy of a gated partnership: collaborating needs every party ready."""

BAD_INPUT = {
    "unknown-area": "readiness-areas",
    "bad-score": "readiness-score",
    "assessed-by-a-stranger": "members-only",
    "a-stranger-assessed": "members-only",
    "target-of-nothing-or-less": "invalid-value",
    "due-before-set": "dates-in-order",
    "outcome-for-no-target": "NotFound",
}
"""Each kind of bad input, and the rule that must refuse it."""

CLOSED = ("partnership-dissolved", "dissolution-pending")
"""What refuses any act on a partnership dissolved (or being dissolved), before its input is
looked at."""


@precondition(lambda self: self.partnership_ids)
@rule(which=picks, days=st.integers(0, 30), score=st.integers(0, 5), partial=st.booleans())
def assess_everyone(self: MachineBase, which: int, days: int, score: int, partial: bool) -> None:
    """Every member assesses its own readiness at ``score`` in every area of the policy (or,
    ``partial``, in all but the last), then one moves the partnership one stage deeper
    (refused by ``readiness-for-stage`` where a gate wants more; each step may be
    refused)."""
    pid = self.pick(self.partnership_ids, which)
    view = self.app.partnership(pid)
    areas = view.policy.readiness_areas
    scores = dict.fromkeys(areas[:-1] if partial and len(areas) > 1 else areas, score)
    for member in self.members(pid):
        assess = partial_call(
            self.app.assess_readiness, pid, party=member, scores=scores, on=self.on(days)
        )
        self.attempt("assess_readiness", assess, days)
    deeper = [stage for stage in view.policy.continuum if stage > view.stage]
    if deeper:
        by = self.members(pid)[which % len(self.members(pid))]
        self.attempt(
            "change_stage",
            lambda: self.app.change_stage(pid, to=deeper[0], by=by, on=self.today),
        )


@precondition(lambda self: self.partnership_ids)
@rule(
    which=picks,
    bad=st.sampled_from(tuple(BAD_INPUT)),
    area=unknown_readiness_areas(),
    score=invalid_readiness_scores(),
    stranger=unknown_party_ids(members=COUNCILS),
    amount=invalid_target_amounts(),
    back=st.integers(1, 400),
    stray=st.uuids(),
)
def refuse_bad_input(
    self: MachineBase,
    which: int,
    bad: str,
    area: str,
    score: object,
    stranger: str,
    amount: Money,
    back: int,
    stray: UUID,
) -> None:
    """A member gives an assessment, a target or an outcome the bad input ``bad``; it must be
    refused by the rule `BAD_INPUT` names for it (or because the partnership is dissolved),
    and record nothing."""
    pid = self.pick(self.partnership_ids, which)
    member = self.members(pid)[which % len(self.members(pid))]
    on = self.today
    app = self.app
    tries: dict[str, Callable[[], Any]] = {
        "unknown-area": lambda: app.assess_readiness(
            pid, party=member, scores={"trust": 3, area: 3}, on=on
        ),
        "bad-score": lambda: app.assess_readiness(
            pid, party=member, scores={"trust": cast(Any, score)}, on=on
        ),
        "assessed-by-a-stranger": lambda: app.assess_readiness(
            pid, party=member, scores={"trust": 3}, by=stranger, on=on
        ),
        "a-stranger-assessed": lambda: app.assess_readiness(
            pid, party=stranger, scores={"trust": 3}, by=member, on=on
        ),
        "target-of-nothing-or-less": lambda: app.set_target(
            pid, kind="savings", amount=amount, due=on, by=member, on=on
        ),
        "due-before-set": lambda: app.set_target(
            pid, kind="savings", amount=Money(1000), due=on - timedelta(days=back), by=member,
            on=on,
        ),
        "outcome-for-no-target": lambda: app.record_outcome(
            pid, target=stray, amount=Money(1000), by=member, on=on
        ),
    }  # fmt: skip
    refusals = len(self.refused)
    self.attempt(bad, tries[bad])
    assert len(self.refused) == refusals + 1, f"{bad} was not refused"
    broken = self.refused[-1][1]
    assert broken in (BAD_INPUT[bad], *CLOSED), (
        f"{bad} was refused by {broken}, not {BAD_INPUT[bad]}"
    )
