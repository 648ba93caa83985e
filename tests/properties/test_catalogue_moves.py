"""A new act of the catalogue gets a working move in the histories without one written for it:
the generic move drafts any act by its fields' types. An act that no move makes (here, one the
library always refuses) is reported by name: ``tests/properties/test_histories.py`` asserts
that no act of the catalogue is.

The searches are derandomized and have their own budgets, so that they take the same path (and
time) under every Hypothesis profile.
"""

from __future__ import annotations

import contextlib
import importlib
from collections.abc import Iterator
from datetime import date
from uuid import UUID

import attrs
import pytest
from hypothesis import HealthCheck, Phase, find, settings
from hypothesis.errors import NoSuchExample
from hypothesis.strategies import SearchStrategy

from sharedsvc import RuleViolation, Stage
from sharedsvc.acts import CATALOGUE, Act, Unit
from sharedsvc.acts import _base as acts_base
from sharedsvc.domain.partnership import Partnership
from sharedsvc.testing import History, histories


def verbs_of(history: History) -> set[str]:
    """The verbs the history's script calls, its formation's included."""
    return {line.split("(")[0].split(".")[-1] for line in str(history).splitlines()}


BUDGET = settings(
    database=None, derandomize=True, max_examples=100, phases=[Phase.generate],
    suppress_health_check=list(HealthCheck),
)  # fmt: skip


def unreached(strategy: SearchStrategy[History], examples: int) -> set[str]:
    """The acts of the catalogue that no history among ``examples`` drawn ones calls."""
    seen: set[str] = set()

    def reached_every_act(history: History) -> bool:
        seen.update(verbs_of(history))
        return set(CATALOGUE) <= seen

    with contextlib.suppress(NoSuchExample):  # the search ends early if every act is reached
        find(strategy, reached_every_act, settings=settings(BUDGET, max_examples=examples))
    return set(CATALOGUE) - seen


# --- with throwaway acts ------------------------------------------------------------------------


@pytest.fixture
def throwaway_acts() -> Iterator[None]:
    """The catalogue as it was, once the test is over: the acts a test defines leave it."""
    before = dict(acts_base._catalogue)
    yield
    acts_base._catalogue.clear()
    acts_base._catalogue.update(before)


@pytest.fixture
def only_the_generic_move(monkeypatch: pytest.MonkeyPatch) -> None:
    """Histories made of the generic move alone (the hand-written ones cover the catalogue's
    own acts, and would make the new ones rare)."""
    module = importlib.import_module("sharedsvc.testing.histories")
    monkeypatch.setattr(module, "TOPICS", (module.any_act,))


@pytest.mark.usefixtures("throwaway_acts", "only_the_generic_move")
def test_a_new_act_is_reached_by_the_generic_move_and_one_never_accepted_is_reported() -> None:
    @attrs.frozen
    class RestateStage(Act[None]):
        """Move the partnership to stage ``to`` (a second door onto ``change_stage``)."""

        actor = "by"
        records = Partnership.StageChanged
        method = "change_stage"

        pid: UUID
        to: Stage = attrs.field(kw_only=True)
        by: str = attrs.field(kw_only=True)
        on: date = attrs.field(kw_only=True)

    @attrs.frozen
    class HoldVote(Act[None]):
        """A vote the library refuses whoever calls it, so that no move can make it."""

        actor = "by"
        records = Partnership.StageChanged

        pid: UUID
        by: str = attrs.field(kw_only=True)
        motion: str = attrs.field(kw_only=True)
        on: date = attrs.field(kw_only=True)

        def run(self, unit: Unit) -> None:
            raise RuleViolation("no-votes", "this library holds no votes")

    assert {"restate_stage", "hold_vote"} <= set(CATALOGUE)
    missing = unreached(histories(), examples=50)
    assert "hold_vote" in missing
    assert "restate_stage" not in missing
    restating = find(histories(), lambda h: "restate_stage" in verbs_of(h), settings=BUDGET)
    assert "app.restate_stage(pid, " in str(restating)
