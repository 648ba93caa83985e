"""The state of [`PartnershipMachine`][sharedsvc.testing.PartnershipMachine] and its checks: the
store under test, what it has made, the machine's clock, ``attempt``, and the built-in invariants.

Private: subclass [`PartnershipMachine`][sharedsvc.testing.PartnershipMachine], which adds the
rules.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any, ClassVar
from uuid import UUID

from hypothesis import currently_in_test_context, event
from hypothesis.stateful import RuleBasedStateMachine, invariant

from sharedsvc.acts import AssessReadiness
from sharedsvc.application import SharedServices, project_until
from sharedsvc.domain.errors import SharedServiceError
from sharedsvc.domain.partnership import Partnership
from sharedsvc.domain.readiness import Readiness
from sharedsvc.domain.views import PartnershipView
from sharedsvc.invariants import Violation, check_dispute, check_handover, check_partnership
from sharedsvc.projections.obligations import Obligation
from sharedsvc.projections.sovereignty import rows_from_log, sovereignty_map
from sharedsvc.testing._oracle import expected_balance, expected_obligations, logged_events

__all__ = ["MachineBase"]

START = date(2015, 4, 1)
"""The machine's first day."""


def _tally(outcome: str) -> None:
    """Count ``outcome`` in Hypothesis' statistics; outside a test (a printed counterexample
    replayed by hand, step by step) there is nothing to count it in."""
    if currently_in_test_context():
        event(outcome)


class MachineBase(RuleBasedStateMachine):
    """The store, the ids made, the clock, and the checks after every step."""

    store: ClassVar[str] = "memory"
    """``"memory"``, ``"sqlite"`` (a temporary file) or ``"postgres"``."""
    postgres: ClassVar[dict[str, Any] | None] = None
    """Connection parameters for ``SharedServices.postgres`` when ``store`` is ``"postgres"``."""
    max_partnerships: ClassVar[int] = 2

    def __init__(self) -> None:
        super().__init__()
        self._folder: str | None = None
        self.app = self._open()
        self.partnership_ids: list[UUID] = []
        self.handover_ids: list[UUID] = []
        self.dispute_ids: list[UUID] = []
        self.target_ids: list[UUID] = []
        self.today = START
        self.refused: list[tuple[str, str]] = []
        """Each refused attempt: the verb and the rule (or error) it broke."""
        self._checked_at: dict[str, int] = {}
        """The store's position when each built-in invariant last held."""

    def _open(self) -> SharedServices:
        if self.store == "memory":
            return SharedServices.in_memory()
        if self.store == "sqlite":
            self._folder = tempfile.mkdtemp(prefix="sharedsvc-machine-")
            return SharedServices.sqlite(Path(self._folder) / "store.db")
        if self.store == "postgres":
            if not self.postgres:
                raise ValueError("set PartnershipMachine.postgres to connection parameters")
            return SharedServices.postgres(**self.postgres)
        raise ValueError(f"store must be 'memory', 'sqlite' or 'postgres', not {self.store!r}")

    def teardown(self) -> None:
        self.app.close()
        if self._folder is not None:
            shutil.rmtree(self._folder, ignore_errors=True)

    # --------------------------------------------------------------------- helpers --

    def attempt(self, verb: str, act: Callable[[], Any], days: int = 0) -> Any:
        """Try ``act`` (a verb dated ``days`` after the machine's today); a refusal must
        record nothing and change no view. Returns what the verb returned, or ``None``."""
        before = self.app.highest_position()
        views = [self.app.partnership(pid) for pid in self.partnership_ids]
        try:
            result = act()
        except SharedServiceError as error:
            rule_broken = getattr(error, "rule", type(error).__name__)
            self.refused.append((verb, rule_broken))
            _tally(f"refused {verb}: {rule_broken}")
            assert before == self.app.highest_position(), f"refused {verb} recorded events"
            after = [self.app.partnership(pid) for pid in self.partnership_ids]
            assert views == after, f"refused {verb} changed a partnership's view"
            return None
        self.today = max(self.today, self.today + timedelta(days=days))
        _tally(f"recorded {verb}")
        return result

    def on(self, days: int) -> date:
        """The legal date ``days`` after the latest act (before it, when ``days`` < 0)."""
        return self.today + timedelta(days=days)

    def _unchanged_since_held(self, check: str) -> bool:
        """Whether the store is where it was when the built-in invariant ``check`` last held.
        Then it holds still (the views are a function of the store, and ``attempt`` checks
        that a refusal changes none): most steps are refused, so this saves most checks."""
        return self._checked_at.get(check) == self.app.highest_position()

    def _held(self, check: str) -> None:
        self._checked_at[check] = self.app.highest_position()

    def pick(self, ids: list[UUID], index: int) -> UUID:
        """One of ``ids`` (the rules' preconditions make sure there is one)."""
        return ids[index % len(ids)]

    def members(self, pid: UUID) -> tuple[str, ...]:
        view = self.app.partnership(pid)  # once dissolved, the members at the end may still note
        return tuple(view.active_parties or view.members_at_dissolution)

    def made(self, kind: str) -> list[UUID] | None:
        """The ids of the ``kind`` of thing made so far (``"partnership"``, ``"handover"``,
        ``"dispute"`` or ``"target"``); ``None`` for a kind the machine does not list
        (variations are read from their partnership)."""
        lists = {
            "partnership": self.partnership_ids,
            "handover": self.handover_ids,
            "dispute": self.dispute_ids,
            "target": self.target_ids,
        }
        return lists.get(kind)

    # ------------------------------------------------------------------ invariants --

    @invariant()
    def the_catalogue_holds(self) -> None:
        """Every invariant of [`sharedsvc.invariants`][sharedsvc.invariants] holds for every
        view."""
        if self._unchanged_since_held("catalogue"):
            return
        violations: list[Violation] = []
        for pid in self.partnership_ids:
            view = self.app.partnership(pid)
            violations += check_partnership(view, self.app.variations(pid))
        for hid in self.handover_ids:
            violations += check_handover(self.app.handover(hid))
        for did in self.dispute_ids:
            violations += check_dispute(self.app.dispute(did))
        assert not violations, "; ".join(f"[{v.code}] {v.message}" for v in violations)
        self._held("catalogue")

    @invariant()
    def replaying_the_store_gives_the_live_view(self) -> None:
        """Each partnership rebuilt from its stored events equals the live view."""
        if self._unchanged_since_held("replay"):
            return
        for pid in self.partnership_ids:
            rebuilt = project_until(self.app.events.get(pid), None, None)
            assert isinstance(rebuilt, Partnership)
            assert self.app.partnership(pid) == PartnershipView.of(rebuilt), (
                f"partnership {pid} rebuilt from the store differs from the live view"
            )
        self._held("replay")

    @invariant()
    def readiness_is_each_partys_latest_assessment(self) -> None:
        """`readiness` gives, for each party assessed, its latest assessment read from the
        stored events, with the mean of its scores to one decimal place (halves up)."""
        if self._unchanged_since_held("readiness"):
            return
        read = AssessReadiness.read
        for pid in self.partnership_ids:
            latest: dict[str, Readiness] = {}
            for stored in self.app.events.get(pid):
                if isinstance(stored, AssessReadiness.records):
                    scores = dict(read(stored, "scores"))
                    tenths = Decimal(sum(scores.values()) * 10) / len(scores)
                    mean = tenths.to_integral_value(ROUND_HALF_UP) / 10
                    latest[read(stored, "party")] = Readiness(
                        read(stored, "party"), read(stored, "by"), read(stored, "on"), scores,
                        mean, read(stored, "ref"),
                    )  # fmt: skip
            assert latest == self.app.readiness(pid), f"readiness of {pid} is not the latest"
        self._held("readiness")

    def _day_to_check(self) -> date:
        """The date obligations and balance are checked on after a step that recorded
        something: in turn (by the store's position), half-way through the machine's time so
        far, its today, and a year after it (when whatever is still open is overdue). One date
        a step keeps the check cheap; a run checks all three."""
        days = (START + (self.today - START) / 2, self.today, self.today + timedelta(days=365))
        return days[self.app.highest_position() % len(days)]

    @invariant()
    def obligations_and_balance_agree_with_the_log(self) -> None:
        """[`obligations`][sharedsvc.SharedServices.obligations] and
        [`balance`][sharedsvc.SharedServices.balance], on a date, equal their
        recomputation from the events in the store's log (the testing kit's own,
        simpler, reading of their rules); the obligations are in order of due date, then of
        source."""
        if self._unchanged_since_held("obligations"):
            return
        day = self._day_to_check()
        for pid in self.partnership_ids:
            events = logged_events(self.app, pid)
            expected = expected_obligations(self.app, pid, day, events)
            owed = self.app.obligations(pid, as_of=day)
            order = [(o.due, o.source) for o in owed]
            assert order == sorted(order), f"obligations of {pid} on {day} out of order"
            assert _sorted(owed) == _sorted(expected), (
                f"obligations of {pid} on {day} differ from the log's:\n"
                f"  listed: {_sorted(owed)}\n  log:    {_sorted(expected)}"
            )
            balance = self.app.balance(pid, as_of=day)
            recomputed = expected_balance(self.app, pid, day, events, expected)
            assert balance == recomputed, (
                f"balance of {pid} on {day} differs from the log's:\n"
                f"  given: {balance}\n  log:   {recomputed}"
            )
        self._held("obligations")

    @invariant()
    def sovereignty_from_the_read_models_is_that_of_the_events(self) -> None:
        """[`sovereignty`][sharedsvc.SharedServices.sovereignty] of every party, answered from
        the store's read models, equals the map computed from the events."""
        if self._unchanged_since_held("sovereignty"):
            return
        parties = {p for pid in self.partnership_ids for p in self.app.partnership(pid).parties}
        for party in sorted(parties):
            from_events = sovereignty_map(party, rows_from_log(self.app.recorder, party),
                                          self.app.mapper)  # fmt: skip
            assert self.app.sovereignty(party) == from_events, f"sovereignty of {party} differs"
        self._held("sovereignty")


def _sorted(obligations: list[Obligation]) -> list[Obligation]:
    """``obligations`` in one order whatever order those with the same due date and source
    arose in."""
    return sorted(obligations, key=lambda o: (o.due, o.source, o.kind, o.party or "", repr(o)))
