"""PartnershipMachine: a Hypothesis state machine that drives the public verbs at random.

Its rules are the verbs of :class:`~sharedsvc.SharedServices` (valid and invalid attempts: the
acting party is drawn among members and non-members, dates sometimes go backwards), and a few
rules that take several verbs in one step to reach deep states often (``vary``, ``hand_over``,
``leave``, ``dispute_up_the_ladder``, ``settle`` and the ``..._by_everyone`` rules). Its
invariants are the whole catalogue of :mod:`sharedsvc.invariants`, plus two checks after every
step: a refused command recorded nothing, and replaying the store gives the live view. A failure
names the broken rule (``[code] message``).

Subclass it to test your own agreement rules::

    from hypothesis.stateful import invariant
    from sharedsvc.testing import PartnershipMachine

    class NoMoreThanFourParties(PartnershipMachine):
        @invariant()
        def at_most_four_parties(self):
            for pid in self.partnership_ids:
                assert len(self.app.partnership(pid).active_parties) <= 4

    TestNoMoreThanFourParties = NoMoreThanFourParties.TestCase

Choose the store with the class attribute ``store`` (``"memory"``, ``"sqlite"`` or
``"postgres"``, the last with connection parameters in ``postgres``).
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any, ClassVar
from uuid import UUID

from hypothesis import currently_in_test_context, event
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from sharedsvc.application import SharedServices, project_until
from sharedsvc.domain.errors import SharedServiceError
from sharedsvc.domain.partnership import Partnership
from sharedsvc.domain.values import CostPool, Function, Money, Notice, Party, Rung, Stage, Terms
from sharedsvc.domain.views import PartnershipView
from sharedsvc.invariants import Violation, check_dispute, check_handover, check_partnership

__all__ = ["FUNCTIONS", "PartnershipMachine"]

COUNCILS = ("camden", "islington", "haringey", "hackney")
"""The councils the machine draws acting parties from: members, joiners and outsiders."""
FUNCTIONS = (
    Function("ict.service-desk", "ICT service desk", category="back-office"),
    Function("revenues.contact-centre", "Revenues contact centre", category="front-line"),
    Function("brand", "Brand and identity", category="identity"),
)
"""The functions the machine hands over: one of each default category."""

councils = st.sampled_from(COUNCILS)
picks = st.integers(0, 7)
days_on = st.integers(-10, 120)
kinds = st.sampled_from(["casting", "notice", "pools", "stray-pools", "admit", "host", "dissolve"])


def _tally(outcome: str) -> None:
    """Count ``outcome`` in Hypothesis' statistics; outside a test (a printed counterexample
    replayed by hand, step by step) there is nothing to count it in."""
    if currently_in_test_context():
        event(outcome)


class PartnershipMachine(RuleBasedStateMachine):
    """Drives partnerships, handovers and disputes through the public verbs."""

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
        self.today = date(2015, 4, 1)
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
        return tuple(self.app.partnership(pid).active_parties)

    # ----------------------------------------------------------------------- rules --

    @initialize(founders=st.lists(councils, min_size=2, max_size=3, unique=True))
    def form_first_partnership(self, founders: list[str]) -> None:
        self.form_partnership(founders)

    @rule()
    def let_a_month_pass(self) -> None:
        """A month passes with no act. Also the simplest step there is, which helps shrinking:
        Hypothesis turns a step it cannot delete yet into this one, which it can."""
        self.today += timedelta(days=30)

    @precondition(lambda self: len(self.partnership_ids) < self.max_partnerships)
    @rule(founders=st.lists(councils, min_size=1, max_size=3, unique=True))
    def form_partnership(self, founders: list[str]) -> None:
        terms = Terms(cost_pools=(CostPool.equal("ict", founders),), host=founders[0])
        pid = self.attempt(
            "form_partnership",
            lambda: self.app.form_partnership(
                "Shared Service",
                parties=[Party(p, p.title()) for p in founders],
                terms=terms,
                stage=Stage.CO_OPERATING,
                on=self.today,
            ),
        )
        if pid is not None:
            self.partnership_ids.append(pid)

    @rule(which=picks, by=councils, days=days_on, kind=kinds, joiner=councils, flag=st.booleans())
    def propose_variation(
        self, which: int, by: str, days: int, kind: str, joiner: str, flag: bool
    ) -> None:
        pid = self.pick(self.partnership_ids, which)
        self._propose(pid, by, days, kind, joiner, flag)

    def _propose(
        self, pid: UUID, by: str, days: int, kind: str, joiner: str, flag: bool
    ) -> UUID | None:
        """``by`` proposes a variation of ``kind``; returns its id, or ``None`` if refused."""
        members = list(self.members(pid))
        changes: dict[str, Any] = {}
        admit: list[Party] = []
        if kind == "casting":
            changes = {"casting_vote": flag}
        elif kind == "notice":
            changes = {"notice": Notice(months=3 if flag else 12)}
        elif kind == "pools":
            changes = {"cost_pools": (CostPool.equal("ict", members),)}
        elif kind == "stray-pools":  # pools that leave a member out or take in an outsider
            stray = list(dict.fromkeys([joiner, *members[1:]]))
            changes = {"cost_pools": (CostPool.equal("ict", stray),)}
        elif kind == "admit":
            admit = [Party(joiner, joiner.title())]
            covered = list(dict.fromkeys([*members, joiner]))
            changes = {"cost_pools": (CostPool.equal("ict", covered),)}
        elif kind == "host":
            changes = {"host": joiner if flag else None}
        vid: UUID | None = self.attempt(
            "propose_variation",
            lambda: self.app.propose_variation(
                pid, by=by, changes=changes, admit=admit, dissolve=kind == "dissolve",
                on=self.on(days),
            ),
            days,
        )  # fmt: skip
        return vid

    @rule(which=picks, days=st.integers(0, 30), kind=kinds, joiner=councils, flag=st.booleans())
    def vary(self, which: int, days: int, kind: str, joiner: str, flag: bool) -> None:
        """A member proposes a variation of ``kind`` (to admit, an outsider if there is one),
        and every party whose approval it needs approves it, in turn (each step may be
        refused)."""
        pid = self.pick(self.partnership_ids, which)
        members = self.members(pid)
        if kind == "admit" and joiner in members:
            joiner = next((c for c in COUNCILS if c not in members), joiner)
        vid = self._propose(pid, members[which % len(members)], days, kind, joiner, flag)
        if vid is None:
            return
        view = self.app.partnership(pid)
        for party in view.open_variations[vid].required(view.active_parties):
            self._approve(pid, vid, party, days)

    def _variations(self, which: int) -> tuple[UUID, UUID | None]:
        pid = self.pick(self.partnership_ids, which)
        view = self.app.partnership(pid)
        every = [*view.open_variations, *view.closed_variations]
        return pid, (every[which % len(every)] if every else None)

    @rule(which=picks, party=councils, days=days_on, wanted=st.booleans())
    def state_position(self, which: int, party: str, days: int, wanted: bool) -> None:
        pid, vid = self._variations(which)
        if vid is None:
            return
        self.attempt(
            "state_position",
            lambda: self.app.state_position(
                pid, vid, party=party, position={"casting_vote": wanted}, on=self.on(days)
            ),
            days,
        )

    @rule(which=picks, party=councils, days=days_on)
    def approve_variation(self, which: int, party: str, days: int) -> None:
        pid, vid = self._variations(which)
        if vid is None:
            return
        self.attempt(
            "approve_variation",
            lambda: self.app.approve_variation(pid, vid, party=party, on=self.on(days)),
            days,
        )

    @rule(which=picks, days=st.integers(0, 30))
    def approve_by_everyone(self, which: int, days: int) -> None:
        """Every party whose approval is needed approves an open variation, in turn."""
        pid = self.pick(self.partnership_ids, which)
        view = self.app.partnership(pid)
        waiting = list(view.open_variations.values())
        if not waiting:
            return
        variation = waiting[which % len(waiting)]
        for party in variation.required(view.active_parties):
            if party not in variation.approvals:
                self._approve(pid, variation.id, party, days)

    def _approve(self, pid: UUID, vid: UUID, party: str, days: int) -> None:
        self.attempt(
            "approve_variation",
            lambda: self.app.approve_variation(pid, vid, party=party, on=self.on(days)),
            days,
        )

    @rule(which=picks, party=councils, days=days_on)
    def reject_variation(self, which: int, party: str, days: int) -> None:
        pid, vid = self._variations(which)
        if vid is None:
            return
        self.attempt(
            "reject_variation",
            lambda: self.app.reject_variation(pid, vid, party=party, reason="no", on=self.on(days)),
            days,
        )

    @rule(which=picks, by=councils, to=st.sampled_from(Stage), days=days_on)
    def change_stage(self, which: int, by: str, to: Stage, days: int) -> None:
        pid = self.pick(self.partnership_ids, which)
        self.attempt(
            "change_stage",
            lambda: self.app.change_stage(pid, to=to, by=by, on=self.on(days)),
            days,
        )

    @rule(which=picks, party=councils, days=days_on)
    def serve_withdrawal_notice(self, which: int, party: str, days: int) -> None:
        pid = self.pick(self.partnership_ids, which)
        self.attempt(
            "serve_withdrawal_notice",
            lambda: self.app.serve_withdrawal_notice(pid, party=party, on=self.on(days)),
            days,
        )

    @rule(which=picks, party=councils, days=days_on)
    def retract_withdrawal_notice(self, which: int, party: str, days: int) -> None:
        pid = self.pick(self.partnership_ids, which)
        self.attempt(
            "retract_withdrawal_notice",
            lambda: self.app.retract_withdrawal_notice(pid, party=party, on=self.on(days)),
            days,
        )

    @rule(which=picks, party=councils, days=st.integers(0, 30), pounds=st.integers(0, 10**6))
    def leave(self, which: int, party: str, days: int, pounds: int) -> None:
        """A party serves notice, its exit costs are determined and paid, and it completes its
        withdrawal on the earliest date the notice allows (each step may be refused)."""
        pid = self.pick(self.partnership_ids, which)
        stays = [p for p in self.members(pid) if p != party]
        cost = Money(pounds)
        effective = self.attempt(
            "serve_withdrawal_notice",
            lambda: self.app.serve_withdrawal_notice(pid, party=party, on=self.on(days)),
            days,
        )
        if effective is None or not stays:
            return
        self.attempt(
            "determine_exit_costs",
            lambda: self.app.determine_exit_costs(
                pid, party=party, amount=cost, by=stays[0], on=self.today
            ),
        )
        self.attempt(
            "settle_exit_payment",
            lambda: self.app.settle_exit_payment(pid, party=party, amount=cost, on=self.today),
        )
        wait = (effective - self.today).days
        self.attempt(
            "complete_withdrawal",
            lambda: self.app.complete_withdrawal(pid, party=party, on=effective),
            wait,
        )

    @rule(which=picks, party=councils, days=days_on)
    def complete_withdrawal(self, which: int, party: str, days: int) -> None:
        pid = self.pick(self.partnership_ids, which)
        self.attempt(
            "complete_withdrawal",
            lambda: self.app.complete_withdrawal(pid, party=party, on=self.on(days)),
            days,
        )

    # ------------------------------------------------------------------- handovers --

    @rule(which=picks, by=councils, function=st.sampled_from(FUNCTIONS), days=days_on)
    def propose_handover(self, which: int, by: str, function: Function, days: int) -> None:
        pid = self.pick(self.partnership_ids, which)
        hid = self.attempt(
            "propose_handover",
            lambda: self.app.propose_handover(pid, function=function, by=by, on=self.on(days)),
            days,
        )
        if hid is not None:
            self.handover_ids.append(hid)

    @precondition(lambda self: self.handover_ids)
    @rule(which=picks, party=councils, days=days_on)
    def consent_to_handover(self, which: int, party: str, days: int) -> None:
        hid = self.pick(self.handover_ids, which)
        self.attempt(
            "consent_to_handover",
            lambda: self.app.consent_to_handover(hid, party=party, on=self.on(days)),
            days,
        )

    @rule(which=picks, function=st.sampled_from(FUNCTIONS), days=st.integers(0, 30))
    def hand_over(self, which: int, function: Function, days: int) -> None:
        """A member proposes to hand ``function`` over, every active party consents, and the
        handover takes effect on the host's word (each step may be refused)."""
        pid = self.pick(self.partnership_ids, which)
        members = self.members(pid)
        by = members[which % len(members)]
        hid = self.attempt(
            "propose_handover",
            lambda: self.app.propose_handover(pid, function=function, by=by, on=self.on(days)),
            days,
        )
        if hid is None:
            return
        self.handover_ids.append(hid)
        for party in members:
            self._consent(hid, party, days)
        self.attempt(
            "effect_handover", lambda: self.app.effect_handover(hid, on=self.on(days)), days
        )

    @precondition(lambda self: self.handover_ids)
    @rule(which=picks, days=st.integers(0, 30))
    def consent_by_everyone(self, which: int, days: int) -> None:
        """Every active party that has not consented to a handover consents."""
        hid = self.pick(self.handover_ids, which)
        handover = self.app.handover(hid)
        for party in self.members(handover.partnership_id):
            if party not in handover.consents:
                self._consent(hid, party, days)

    def _consent(self, hid: UUID, party: str, days: int) -> None:
        self.attempt(
            "consent_to_handover",
            lambda: self.app.consent_to_handover(hid, party=party, on=self.on(days)),
            days,
        )

    @precondition(lambda self: self.handover_ids)
    @rule(which=picks, party=councils, days=days_on)
    def withhold_consent(self, which: int, party: str, days: int) -> None:
        hid = self.pick(self.handover_ids, which)
        self.attempt(
            "withhold_consent",
            lambda: self.app.withhold_consent(hid, party=party, reason="not yet", on=self.on(days)),
            days,
        )

    @precondition(lambda self: self.handover_ids)
    @rule(which=picks, by=councils, days=days_on)
    def withdraw_handover(self, which: int, by: str, days: int) -> None:
        hid = self.pick(self.handover_ids, which)
        self.attempt(
            "withdraw_handover",
            lambda: self.app.withdraw_handover(hid, by=by, on=self.on(days)),
            days,
        )

    @precondition(lambda self: self.handover_ids)
    @rule(which=picks, by=st.none() | councils, days=days_on)
    def effect_handover(self, which: int, by: str | None, days: int) -> None:
        hid = self.pick(self.handover_ids, which)
        self.attempt(
            "effect_handover",
            lambda: self.app.effect_handover(hid, by=by, on=self.on(days)),
            days,
        )

    @precondition(lambda self: self.handover_ids)
    @rule(which=picks, by=councils, days=days_on)
    def recall_handover(self, which: int, by: str, days: int) -> None:
        hid = self.pick(self.handover_ids, which)
        self.attempt(
            "recall_handover",
            lambda: self.app.recall_handover(hid, by=by, reason="back", on=self.on(days)),
            days,
        )

    # -------------------------------------------------------------------- disputes --

    @rule(
        which=picks, by=councils, against=st.none() | councils, days=days_on,
        act=st.sampled_from(["none", "variation", "handover"]), defer=st.booleans(),
    )  # fmt: skip
    def raise_dispute(
        self, which: int, by: str, against: str | None, days: int, act: str, defer: bool
    ) -> None:
        """``by`` raises a dispute against ``against`` (``None``: every other member)."""
        pid, vid = self._variations(which)
        others = [against] if against else [p for p in self.members(pid) if p != by]
        target: UUID | None = None
        if act == "variation":
            target = vid
        elif act == "handover":
            target = self.pick(self.handover_ids, which) if self.handover_ids else None
        did = self.attempt(
            "raise_dispute",
            lambda: self.app.raise_dispute(
                pid, by=by, against=others, subject="charges", act=target, defer=defer,
                on=self.on(days),
            ),
            days,
        )  # fmt: skip
        if did is not None:
            self.dispute_ids.append(did)

    @precondition(lambda self: self.dispute_ids)
    @rule(which=picks, party=councils, days=days_on, wanted=st.sampled_from(["5%", "10%"]))
    def state_dispute_position(self, which: int, party: str, days: int, wanted: str) -> None:
        did = self.pick(self.dispute_ids, which)
        self.attempt(
            "state_dispute_position",
            lambda: self.app.state_dispute_position(
                did, party=party, position={"charge": wanted}, on=self.on(days)
            ),
            days,
        )

    @precondition(lambda self: self.dispute_ids)
    @rule(which=picks, by=councils, days=days_on, to=st.none() | st.sampled_from(Rung))
    def escalate_dispute(self, which: int, by: str, days: int, to: Rung | None) -> None:
        did = self.pick(self.dispute_ids, which)
        self.attempt(
            "escalate_dispute",
            lambda: self.app.escalate_dispute(did, by=by, reason="stuck", to=to, on=self.on(days)),
            days,
        )

    @precondition(lambda self: self.dispute_ids)
    @rule(which=picks, days=st.integers(0, 30))
    def climb_the_ladder(self, which: int, days: int) -> None:
        """The party that raised a dispute escalates it rung by rung to the top."""
        did = self.pick(self.dispute_ids, which)
        dispute = self.app.dispute(did)
        for _ in dispute.ladder[dispute.ladder.index(dispute.rung) + 1 :]:
            self._escalate(did, dispute.raised_by, days)

    @rule(which=picks, days=st.integers(0, 30))
    def dispute_up_the_ladder(self, which: int, days: int) -> None:
        """A member raises a dispute with every other member and escalates it rung by rung to
        the top, appointing a mediator at the mediation rung (each step may be refused)."""
        pid = self.pick(self.partnership_ids, which)
        members = self.members(pid)
        by = members[which % len(members)]
        others = [p for p in members if p != by]
        did = self.attempt(
            "raise_dispute",
            lambda: self.app.raise_dispute(
                pid, by=by, against=others, subject="charges", on=self.on(days)
            ),
            days,
        )
        if did is None:
            return
        self.dispute_ids.append(did)
        for rung in self.app.dispute(did).ladder[1:]:
            self._escalate(did, by, days)
            if rung is Rung.MEDIATION:
                self.attempt(
                    "appoint_mediator",
                    lambda: self.app.appoint_mediator(
                        did, mediator="CEDR", by=by, on=self.on(days)
                    ),
                    days,
                )

    def _escalate(self, did: UUID, by: str, days: int) -> None:
        self.attempt(
            "escalate_dispute",
            lambda: self.app.escalate_dispute(did, by=by, reason="no agreement", on=self.on(days)),
            days,
        )

    @precondition(lambda self: self.dispute_ids)
    @rule(which=picks, by=councils, days=days_on)
    def appoint_mediator(self, which: int, by: str, days: int) -> None:
        did = self.pick(self.dispute_ids, which)
        self.attempt(
            "appoint_mediator",
            lambda: self.app.appoint_mediator(did, mediator="CEDR", by=by, on=self.on(days)),
            days,
        )

    @precondition(lambda self: self.dispute_ids)
    @rule(which=picks, by=councils, days=days_on, charge=st.sampled_from(["5%", "10%"]))
    def propose_settlement(self, which: int, by: str, days: int, charge: str) -> None:
        did = self.pick(self.dispute_ids, which)
        self.attempt(
            "propose_settlement",
            lambda: self.app.propose_settlement(
                did, by=by, terms={"charge": charge}, on=self.on(days)
            ),
            days,
        )

    @precondition(lambda self: self.dispute_ids)
    @rule(which=picks, days=st.integers(0, 30))
    def accept_by_everyone(self, which: int, days: int) -> None:
        """Every disputing party accepts the proposed terms, in turn."""
        did = self.pick(self.dispute_ids, which)
        for party in self.app.dispute(did).parties:
            self._accept(did, party, days)

    @precondition(lambda self: self.dispute_ids)
    @rule(which=picks, days=st.integers(0, 30), charge=st.sampled_from(["5%", "10%"]))
    def settle(self, which: int, days: int, charge: str) -> None:
        """The party that raised a dispute proposes terms, and every disputing party accepts
        them, in turn (each step may be refused)."""
        did = self.pick(self.dispute_ids, which)
        dispute = self.app.dispute(did)
        self.attempt(
            "propose_settlement",
            lambda: self.app.propose_settlement(
                did, by=dispute.raised_by, terms={"charge": charge}, on=self.on(days)
            ),
            days,
        )
        for party in dispute.parties:
            self._accept(did, party, days)

    def _accept(self, did: UUID, party: str, days: int) -> None:
        self.attempt(
            "accept_settlement",
            lambda: self.app.accept_settlement(did, party=party, on=self.on(days)),
            days,
        )

    @precondition(lambda self: self.dispute_ids)
    @rule(which=picks, party=councils, days=days_on)
    def accept_settlement(self, which: int, party: str, days: int) -> None:
        did = self.pick(self.dispute_ids, which)
        self.attempt(
            "accept_settlement",
            lambda: self.app.accept_settlement(did, party=party, on=self.on(days)),
            days,
        )

    @precondition(lambda self: self.dispute_ids)
    @rule(which=picks, days=days_on, charge=st.sampled_from(["5%", "10%"]))
    def determine_dispute(self, which: int, days: int, charge: str) -> None:
        did = self.pick(self.dispute_ids, which)
        self.attempt(
            "determine_dispute",
            lambda: self.app.determine_dispute(
                did, arbiter="An Arbiter", terms={"charge": charge}, on=self.on(days)
            ),
            days,
        )

    @precondition(lambda self: self.dispute_ids)
    @rule(which=picks, by=councils, days=days_on)
    def withdraw_dispute(self, which: int, by: str, days: int) -> None:
        did = self.pick(self.dispute_ids, which)
        self.attempt(
            "withdraw_dispute",
            lambda: self.app.withdraw_dispute(did, by=by, on=self.on(days)),
            days,
        )

    # ------------------------------------------------------------------ invariants --

    @invariant()
    def the_catalogue_holds(self) -> None:
        """Every invariant of :mod:`sharedsvc.invariants` holds for every view."""
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
