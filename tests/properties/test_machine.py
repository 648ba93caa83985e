"""PartnershipMachine run as tests: on every store, and subclassed the way a user would.

The in-memory run takes the active Hypothesis profile as it is (``ci``: 150 examples,
derandomized). SQLite and PostgreSQL are slower per step, so their runs take fewer examples of
the same length: the rules are the same on every store, and what those runs add is the
store's own round trip (transcoding, reloading, replay from stored rows).
"""

from __future__ import annotations

from typing import Any, ClassVar
from uuid import UUID

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import invariant, rule, run_state_machine_as_test

from sharedsvc import SharedServices
from sharedsvc.testing import PartnershipMachine

# Examples for the stores that write to disk or to a server: a few seconds each under `ci`.
SQLITE_EXAMPLES = 30
POSTGRES_EXAMPLES = 12


def _settings(max_examples: int | None = None) -> settings:
    """The active profile's settings, with at most ``max_examples`` examples."""
    active = settings()
    examples = active.max_examples if max_examples is None else max_examples
    return settings(
        active,
        max_examples=min(active.max_examples, examples),
        deadline=None,
        suppress_health_check=[*active.suppress_health_check, HealthCheck.too_slow],
    )


class InMemory(PartnershipMachine):
    store = "memory"


class OnSQLite(PartnershipMachine):
    store = "sqlite"


class OnPostgreSQL(PartnershipMachine):
    store = "postgres"


InMemory.TestCase.settings = _settings()
TestTheMachineInMemory = InMemory.TestCase

OnSQLite.TestCase.settings = _settings(SQLITE_EXAMPLES)
TestTheMachineOnSQLite = OnSQLite.TestCase


@pytest.mark.postgres
def test_the_machine_on_postgresql(
    postgres_db: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(OnPostgreSQL, "postgres", postgres_db)
    run_state_machine_as_test(OnPostgreSQL, settings=_settings(POSTGRES_EXAMPLES))


def test_the_machine_needs_connection_parameters_for_postgresql() -> None:
    with pytest.raises(ValueError, match="connection parameters"):
        OnPostgreSQL()


def test_the_machine_refuses_an_unknown_store() -> None:
    class OnPaper(PartnershipMachine):
        store = "paper"

    with pytest.raises(ValueError, match="'paper'"):
        OnPaper()


# --- a user's subclass ---------------------------------------------------------------------------


class WithOwnRules(PartnershipMachine):
    """A user's machine: one invariant and one rule of its own, reading the documented state."""

    rule_ran: ClassVar[int] = 0
    invariant_checked: ClassVar[int] = 0
    most_seen: ClassVar[dict[str, int]] = {"partnerships": 0, "handovers": 0, "disputes": 0}

    @rule(which=st.integers(0, 7))
    def read_a_partnership(self, which: int) -> None:
        type(self).rule_ran += 1
        if self.partnership_ids:
            pid = self.partnership_ids[which % len(self.partnership_ids)]
            assert pid == self.app.partnership(pid).id

    @invariant()
    def the_lists_name_everything_the_store_holds(self) -> None:
        type(self).invariant_checked += 1
        assert isinstance(self.app, SharedServices)
        listed = [*self.partnership_ids, *self.handover_ids, *self.dispute_ids]
        assert all(isinstance(uid, UUID) for uid in listed)
        assert len(set(listed)) == len(listed)
        stored = self.app.recorder.select_notifications(start=None, limit=1_000_000)
        assert {n.originator_id for n in stored} == set(listed)
        for hid in self.handover_ids:
            assert self.app.handover(hid).partnership_id in self.partnership_ids
        for did in self.dispute_ids:
            assert self.app.dispute(did).partnership_id in self.partnership_ids
        seen = type(self).most_seen
        seen["partnerships"] = max(seen["partnerships"], len(self.partnership_ids))
        seen["handovers"] = max(seen["handovers"], len(self.handover_ids))
        seen["disputes"] = max(seen["disputes"], len(self.dispute_ids))


def test_a_subclass_adds_its_own_invariant_and_rule() -> None:
    # Derandomized, with no example database: the run is the same on every machine and every
    # time (a random run's length, and whether it makes a dispute at all, varied with the seed),
    # and the counts below are those of this run alone.
    WithOwnRules.rule_ran = WithOwnRules.invariant_checked = 0
    WithOwnRules.most_seen = dict.fromkeys(WithOwnRules.most_seen, 0)
    run_state_machine_as_test(
        WithOwnRules, settings=settings(_settings(40), derandomize=True, database=None)
    )

    assert WithOwnRules.rule_ran > 0
    assert WithOwnRules.invariant_checked > WithOwnRules.rule_ran
    assert all(most > 0 for most in WithOwnRules.most_seen.values()), WithOwnRules.most_seen
