"""The query over the log and the read models give the same compromise ledger.

Both apply the rules of :mod:`sharedsvc.projections.ledger`; these tests draw histories whose
entries depend on those rules' finer points (which decision reference is the authority for a
concession or a ceded function: an approval's, a consent's, a later consent's, each consent of
a combined service's ceding parties, a predecessor's consent that counts for its successors,
a settlement acceptance's, none; who cedes a function when a ceding party was succeeded before
the handover took effect, and that a succession after it changes nothing), after a
generated history of another partnership in the same store, and compare the two readers: with
the read models followed in steps by fresh builders (which must recall approvals, consents
and the parties that cede a handover's function from the read store) and rebuilt by a replay,
in memory and on SQLite.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path
from uuid import UUID

from handover_harness import climb
from harness import CAMDEN, HARINGEY, ISLINGTON, form_trio
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sharedsvc import DecisionRef, Function, Party, Rung, SharedServices
from sharedsvc.projections.read_models import ReadModels
from sharedsvc.testing import History, histories

PARTIES = [CAMDEN.id, ISLINGTON.id, HARINGEY.id]
FUNCTIONS = [
    Function("ict.service-desk", "ICT service desk", category="back-office"),
    Function("revenues.council-tax", "Council tax collection", category="back-office"),
    Function("hr.payroll", "Payroll", category="back-office"),
]

DECISIONS = st.none() | st.builds(
    lambda body, number: DecisionRef(f"{body.title()} Cabinet", f"CAB/{number}", date(2016, 9, 1)),
    st.sampled_from(PARTIES),
    st.integers(1, 99),
)


class Steps:
    """Records acts on one day after another, and now and then lets a fresh follower catch
    the read models up (a new builder, which knows only what the read store keeps)."""

    def __init__(self, app: SharedServices, data: st.DataObject, pid: UUID) -> None:
        self.app, self.data, self.day, self.pid = app, data, date(2016, 10, 1), pid
        self.heirs = 0  # successors made so far
        # handover -> each party that ceded its function when it took effect -> the consent
        # that counted for it then (what the handover's view says: the ledger's oracle)
        self.ceded: dict[UUID, dict[str, DecisionRef | None]] = {}

    @property
    def parties(self) -> list[str]:
        """The partnership's active parties (a succession changes them)."""
        return list(self.app.partnership(self.pid).active_parties)

    def on(self) -> date:
        self.day += timedelta(days=1)
        if self.data.draw(st.booleans(), label="catch up here"):
            ReadModels(self.app).catch_up()
        return self.day

    def order(self) -> list[str]:
        return list(self.data.draw(st.permutations(self.parties), label="order"))

    def decision(self) -> DecisionRef | None:
        return self.data.draw(DECISIONS, label="decision")


def succeed(steps: Steps, hid: UUID) -> None:
    """A succession, by the drawn order, of a party of the partnership (often one that cedes
    the handover's function): by one or two new councils, or absorbed by another party (when
    that leaves two or more); sometimes one of its successors withholds the consent it inherited
    and gives it again."""
    app, data = steps.app, steps.data
    ceding = app.handover(hid).from_parties
    pool = ceding if data.draw(st.booleans(), label="a ceding party") else steps.parties
    predecessor = data.draw(st.sampled_from(pool), label="succeeded")
    others = [party for party in steps.parties if party != predecessor]
    pooled = app.partnership(steps.pid).pooled_functions
    its = {p.function.id for p in pooled if p.from_party == predecessor}
    # an absorbing party must not pool a function the predecessor pools too
    able = [
        o for o in others if not any(p.from_party == o and p.function.id in its for p in pooled)
    ]
    if len(others) > 2 and able and data.draw(st.booleans(), label="absorbed"):
        absorber = data.draw(st.sampled_from(able), label="absorbed by")
        heirs = [app.partnership(steps.pid).parties[absorber]]
    else:
        heirs = []
        for _ in range(data.draw(st.integers(1, 2), label="successors")):
            steps.heirs += 1
            heirs.append(Party(f"heir-{steps.heirs}", f"Heir {steps.heirs} Council"))
    app.succeed(steps.pid, party=predecessor, successors=heirs, ref=steps.decision(), on=steps.on())
    if app.handover(hid).status == "proposed" and data.draw(st.booleans(), label="answers"):
        heir = data.draw(st.sampled_from(heirs), label="answers again").id
        app.withhold_consent(hid, party=heir, reason="on reflection", on=steps.on())
        app.consent_to_handover(hid, party=heir, ref=steps.decision(), on=steps.on())


def hand_over(steps: Steps, pid: UUID, function: Function) -> None:
    """A handover with drawn references: proposal, each consent; sometimes of a service
    combined from several councils; sometimes one of the parties that cede it withholds its
    consent and gives it again; sometimes a party is succeeded before it takes effect (then
    each party that has not consented does), or after; sometimes it takes effect."""
    app, data = steps.app, steps.data
    parties = steps.parties
    by = data.draw(st.sampled_from(parties), label="proposer")
    others = [party for party in parties if party != by]
    joined = data.draw(st.lists(st.sampled_from(others), unique=True), label="combined with")
    ceding = [by, *joined]
    hid = app.propose_handover(
        pid, function=function, by=by, rationale="scale", ref=steps.decision(), on=steps.on(),
        from_parties=ceding if joined else (),
    )  # fmt: skip
    for party in steps.order():
        app.consent_to_handover(hid, party=party, ref=steps.decision(), on=steps.on())
    if data.draw(st.booleans(), label="a ceding party consents again"):
        again = data.draw(st.sampled_from(ceding), label="consents again")
        app.withhold_consent(hid, party=again, reason="on reflection", on=steps.on())
        app.consent_to_handover(hid, party=again, ref=steps.decision(), on=steps.on())
    when = data.draw(st.sampled_from(["never", "before", "after"]), label="a succession")
    if when == "before":
        succeed(steps, hid)
        for party in steps.parties:
            if party not in app.handover(hid).consents:
                app.consent_to_handover(hid, party=party, ref=steps.decision(), on=steps.on())
    if data.draw(st.booleans(), label="effected"):
        app.effect_handover(hid, on=steps.on())
        view = app.handover(hid)
        steps.ceded[hid] = {party: view.consents[party] for party in view.from_parties}
        if when == "after":
            succeed(steps, hid)


def vary(steps: Steps, pid: UUID) -> None:
    """A variation of the service level that the others wanted otherwise, approved (or not,
    then rejected) with drawn references."""
    app, proposer = steps.app, steps.data.draw(st.sampled_from(steps.parties), label="proposer")
    level = f"{steps.data.draw(st.integers(90, 99), label='level')}% availability"
    vid = app.propose_variation(
        pid, by=proposer, changes={"sla": level}, rationale="what we can do", on=steps.on()
    )
    for party in steps.parties:
        if party != proposer and steps.data.draw(st.booleans(), label="states a position"):
            app.state_position(pid, vid, party=party, position={"sla": "100%"}, on=steps.on())
    if steps.data.draw(st.integers(0, 3), label="rejected") == 0:
        app.reject_variation(pid, vid, party=proposer, reason="withdrawn", on=steps.on())
        return
    for party in steps.order():
        app.approve_variation(pid, vid, party=party, ref=steps.decision(), on=steps.on())


def settle(steps: Steps, pid: UUID) -> None:
    """A dispute in which every party states a position; sometimes a first proposal is
    accepted by some, then another; then every party accepts the last (with drawn
    references), or an arbiter determines it, or the party that raised it withdraws it."""
    app, data = steps.app, steps.data
    raiser, *others = steps.order()
    did = app.raise_dispute(pid, by=raiser, against=others, subject="recharges", on=steps.on())
    for party in steps.parties:
        app.state_dispute_position(did, party=party, position={"basis": party}, on=steps.on())
    if data.draw(st.booleans(), label="a first proposal"):
        app.propose_settlement(did, by=raiser, terms={"basis": "equal"}, on=steps.on())
        for party in steps.order()[: data.draw(st.integers(1, 2), label="accepted by")]:
            app.accept_settlement(did, party=party, ref=steps.decision(), on=steps.on())
    ending = data.draw(st.sampled_from(["settled", "determined", "withdrawn"]), label="ending")
    if ending == "settled":
        app.propose_settlement(did, by=raiser, terms={"basis": "usage"}, on=steps.on())
        for party in steps.order():
            app.accept_settlement(did, party=party, ref=steps.decision(), on=steps.on())
    elif ending == "determined":
        climb(app, did, by=raiser, to=Rung.ARBITRATION, on=steps.on())
        app.determine_dispute(did, arbiter="CEDR", terms={"basis": "usage"}, on=steps.on())
    else:
        app.withdraw_dispute(did, by=raiser, ref=steps.decision(), on=steps.on())


def agree(app: SharedServices, recorded: tuple[list[UUID], Steps]) -> None:
    """The two readers agree, and the ceded entries of each handover that took effect name
    the parties that ceded it then, on the authority of the consent that counted for each
    (a succession before the effect put successors in a party's place; one after it changes
    nothing)."""
    pids, steps = recorded
    models = ReadModels(app)
    models.catch_up()
    for pid in pids:
        assert app.compromises(pid) == models.compromises(pid)
    models.replay()
    for pid in pids:
        assert app.compromises(pid) == models.compromises(pid)
    ledger = app.compromises(steps.pid)
    for hid, expected in steps.ceded.items():
        entries = [e for es in ledger.values() for e in es if e.source == hid]
        assert expected == {e.party: e.ref for e in entries}
        assert len(expected) == len(entries)


def record(app: SharedServices, history: History, data: st.DataObject) -> tuple[list[UUID], Steps]:
    first = history.apply(app).partnership
    pid = form_trio(app)
    steps = Steps(app, data, pid)
    for function in FUNCTIONS[: data.draw(st.integers(0, len(FUNCTIONS)), label="handovers")]:
        hand_over(steps, pid, function)
        if data.draw(st.booleans(), label="a variation"):
            vary(steps, pid)
    for _ in range(data.draw(st.integers(0, 2), label="disputes")):
        settle(steps, pid)
    return [first, pid], steps


@contextmanager
def sqlite_app() -> Iterator[SharedServices]:
    with tempfile.TemporaryDirectory() as folder:
        app = SharedServices.sqlite(Path(folder) / "store.db")
        try:
            yield app
        finally:
            app.close()


@settings(max_examples=30, suppress_health_check=[HealthCheck.too_slow])
@given(history=histories(max_steps=8), data=st.data())
def test_the_query_and_the_read_models_give_equal_ledgers_in_memory(
    history: History, data: st.DataObject
) -> None:
    app = SharedServices.in_memory()
    agree(app, record(app, history, data))


@settings(max_examples=10, suppress_health_check=[HealthCheck.too_slow])
@given(history=histories(max_steps=8), data=st.data())
def test_the_query_and_the_read_models_give_equal_ledgers_on_sqlite(
    history: History, data: st.DataObject
) -> None:
    with sqlite_app() as app:
        agree(app, record(app, history, data))
