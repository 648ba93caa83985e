"""PartnershipMachine: a Hypothesis state machine that drives the public verbs at random.

Its rules are the acts of the catalogue ([`sharedsvc.acts.CATALOGUE`][sharedsvc.acts.CATALOGUE]),
one rule named as each verb, derived from the act's fields: valid and invalid attempts, the acting
party drawn among members and non-members, dates sometimes going backwards, every other field drawn
by its type (an act added to the catalogue gets its rule with no change here). A few hand-written
rules take several verbs in one step to reach deep states often (``vary``, ``hand_over``, ``leave``,
``reorganise``, ``dispute_up_the_ladder``, ``settle``, ``set_and_measure_target``,
``assess_everyone`` and the ``..._by_everyone`` rules); ``refuse_bad_input`` gives the verbs of
readiness and targets input they must refuse, and checks the rule that refuses it. The
machine's first partnership has the default policy, a second one a stage gate on collaborating.
Its invariants are the whole catalogue of [`sharedsvc.invariants`][sharedsvc.invariants], plus
checks after every step: a refused command recorded nothing, replaying the store gives the live
view, [`readiness`][sharedsvc.SharedServices.readiness] is each party's latest assessment,
[`obligations`][sharedsvc.SharedServices.obligations] and
[`balance`][sharedsvc.SharedServices.balance] equal the kit's own recomputation of them from the
events in the store's log, and [`sovereignty`][sharedsvc.SharedServices.sovereignty] from the
read models is the map computed from the events. A failure names the broken rule
(``[code] message``).

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

from datetime import timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID

from hypothesis import strategies as st
from hypothesis.stateful import initialize, precondition, rule

from sharedsvc.domain.values import CostPool, Function, Money, Notice, Party, Rung, Stage, Terms
from sharedsvc.testing._drafting import FUNCTIONS
from sharedsvc.testing._machine_base import MachineBase
from sharedsvc.testing._machine_rules import COUNCILS, catalogue_rules, councils, picks
from sharedsvc.testing._relationship_rules import GATED, assess_everyone, refuse_bad_input

__all__ = ["FUNCTIONS", "PartnershipMachine"]

kinds = st.sampled_from(["casting", "notice", "pools", "stray-pools", "admit", "host", "dissolve"])


class PartnershipMachine(MachineBase):
    """Drives partnerships, handovers and disputes through the public verbs."""

    # ------------------------------------------------------ formation and the clock --

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
        """``founders`` form a partnership: the machine's first under the default policy,
        any other under `GATED`, whose stage gate wants every party ready before
        collaborating."""
        terms = Terms(cost_pools=(CostPool.equal("ict", founders),), host=founders[0])
        pid = self.attempt(
            "form_partnership",
            lambda: self.app.form_partnership(
                "Shared Service",
                parties=[Party(p, p.title()) for p in founders],
                terms=terms,
                stage=Stage.CO_OPERATING,
                on=self.today,
                policy=GATED if self.partnership_ids else None,
            ),
        )
        if pid is not None:
            self.partnership_ids.append(pid)

    # -------------------------------------------------------------- variations --

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

    # ---------------------------------------------------------------- leaving --

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

    @rule(
        party=councils,
        heirs=st.lists(councils, min_size=1, max_size=2, unique=True),
        weights=st.lists(st.integers(0, 3), min_size=2, max_size=2),
        days=st.integers(0, 30),
    )
    def reorganise(self, party: str, heirs: list[str], weights: list[int], days: int) -> None:
        """A council is succeeded, on a vesting day, in every partnership it is in at once:
        by councils new to them or by members that absorb it (refused where an heir is a
        former party, or where too few parties would remain)."""
        successors = [Party(heir, heir.title()) for heir in heirs]
        split = {heir: Decimal(weight) for heir, weight in zip(heirs, weights, strict=False)}
        self.attempt(
            "reorganise",
            lambda: self.app.reorganise(
                party=party,
                successors=successors,
                split=split if any(split.values()) else None,
                on=self.on(days),
            ),
            days,
        )

    @rule(which=picks, days=st.integers(0, 30), thousands=st.integers(0, 20), late=st.booleans())
    def set_and_measure_target(self, which: int, days: int, thousands: int, late: bool) -> None:
        """A member sets a savings target of ten thousand pounds due in a year, and an outcome
        of ``thousands`` is recorded against it, by its due date or (``late``) after it (each
        step may be refused)."""
        pid = self.pick(self.partnership_ids, which)
        by = self.members(pid)[which % len(self.members(pid))]
        due = self.on(days) + timedelta(days=365)
        tid = self.attempt(
            "set_target",
            lambda: self.app.set_target(
                pid, kind="savings", amount=Money(10_000), due=due, by=by, on=self.on(days)
            ),
            days,
        )
        if tid is None:
            return
        self.target_ids.append(tid)
        when = due + timedelta(days=1) if late else due
        self.attempt(
            "record_outcome",
            lambda: self.app.record_outcome(
                pid, target=tid, amount=Money(thousands * 1000), by=by, on=when
            ),
            (when - self.today).days,
        )

    # ------------------------------------------------------------- handovers --

    @rule(
        which=picks,
        function=st.sampled_from(FUNCTIONS),
        days=st.integers(0, 30),
        combined=st.booleans(),
    )
    def hand_over(self, which: int, function: Function, days: int, combined: bool) -> None:
        """A member proposes to hand ``function`` over (``combined``: with every other member,
        a service combined from them all), every active party consents, and the handover
        takes effect on the host's word (each step may be refused)."""
        pid = self.pick(self.partnership_ids, which)
        members = self.members(pid)
        by = members[which % len(members)]
        ceding = members if combined else ()
        hid = self.attempt(
            "propose_handover",
            lambda: self.app.propose_handover(
                pid, function=function, by=by, from_parties=ceding, on=self.on(days)
            ),
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

    # -------------------------------------------------------------- disputes --

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


for _verb, _rule in catalogue_rules().items():
    setattr(PartnershipMachine, _verb, _rule)
PartnershipMachine.assess_everyone = assess_everyone
PartnershipMachine.refuse_bad_input = refuse_bad_input
