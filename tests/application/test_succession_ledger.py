"""The compromise ledger follows a succession inside a handover, on every store.

A council that cedes a function (alone, or as one of a combined service's councils) and is
succeeded before the handover takes effect does not cede it: its successors do, in its place,
as ``HandoverView.ceded_by`` says, each on the authority of the consent that counts for it.
A succession after the handover took effect changes nothing in the ledger: it writes no entry
of any kind. The query over the log and the read models (followed in steps by fresh builders,
which must recall from the read store what they did not see, and rebuilt by a replay) agree.
"""

from __future__ import annotations

from datetime import date
from uuid import UUID

import pytest
from harness import (
    InMemoryStore,
    PostgresStore,
    SQLiteStore,
    StoreContract,
    form_trio,
    ref,
)

from sharedsvc import DecisionRef, Function, Party, SharedServices
from sharedsvc.projections.read_models import ReadModels

VESTING = date(2023, 4, 1)
BEFORE = date(2022, 6, 1)
AFTER = date(2023, 5, 2)
ORDER = ref("Parliament", "SI 2022/331", date(2022, 3, 17))
NORTH = Party("north-camden", "North Camden Council")
SOUTH = Party("south-camden", "South Camden Council")
DESK = Function("ict.service-desk", "ICT service desk", category="back-office")
PROPOSAL = ref("Camden Cabinet", "CAB/2022/01", date(2022, 5, 20))


def consent_ref(party: str) -> DecisionRef:
    return ref(f"{party.title()} Cabinet", f"{party[:3].upper()}/7", date(2022, 5, 25))


def caught_up(app: SharedServices) -> None:
    """A fresh follower catches the read models up: it knows only what the store keeps."""
    ReadModels(app).catch_up()


def ceded(app: SharedServices, pid: UUID) -> dict[str, list[tuple[str, DecisionRef | None]]]:
    """The ceded entries of the ledger of each party that has any: subject, authority;
    checking on the way that the read models (followed, then rebuilt) say the same."""
    ledger = app.compromises(pid)
    models = ReadModels(app)
    models.catch_up()
    assert ledger == models.compromises(pid)
    models.replay()
    assert ledger == models.compromises(pid)
    assert all(e.kind == "ceded" for entries in ledger.values() for e in entries)
    return {party: [(e.subject, e.ref) for e in es] for party, es in ledger.items() if es}


def propose(app: SharedServices, pid: UUID, *, from_parties: tuple[str, ...] = ()) -> UUID:
    """Camden proposes handing the desk over (combined with ``from_parties``), and every
    party of the trio consents, each with a reference of its own."""
    hid = app.propose_handover(
        pid, function=DESK, by="camden", from_parties=from_parties, ref=PROPOSAL, on=BEFORE
    )
    for party in ("camden", "islington", "haringey"):
        app.consent_to_handover(hid, party=party, ref=consent_ref(party), on=BEFORE)
    return hid


class SuccessionLedgerContract(StoreContract):
    def test_successors_of_a_combined_services_council_cede_it_in_its_place(
        self, app: SharedServices
    ) -> None:
        pid = form_trio(app)
        hid = propose(app, pid, from_parties=("camden", "islington"))
        caught_up(app)
        app.succeed(pid, party="camden", successors=[NORTH, SOUTH], on=VESTING, ref=ORDER)
        caught_up(app)
        app.effect_handover(hid, on=VESTING)
        assert ("north-camden", "south-camden", "islington") == app.handover(hid).ceded_by
        camden = consent_ref("camden")  # its consent counts for its successors
        assert {
            "north-camden": [(DESK.id, camden)],
            "south-camden": [(DESK.id, camden)],
            "islington": [(DESK.id, consent_ref("islington"))],
        } == ceded(app, pid)
        assert [] == app.compromises(pid)["camden"]

    def test_successors_that_consent_themselves_cede_on_their_own_authority(
        self, app: SharedServices
    ) -> None:
        pid = form_trio(app)
        hid = app.propose_handover(pid, function=DESK, by="camden", ref=PROPOSAL, on=BEFORE)
        app.consent_to_handover(hid, party="islington", on=BEFORE)
        app.succeed(pid, party="camden", successors=[NORTH, SOUTH], on=VESTING, ref=ORDER)
        caught_up(app)
        north = ref("North Camden Cabinet", "NC/1", VESTING)
        app.consent_to_handover(hid, party="north-camden", ref=north, on=VESTING)
        app.consent_to_handover(hid, party="south-camden", on=VESTING)
        app.consent_to_handover(hid, party="haringey", on=VESTING)
        app.effect_handover(hid, on=VESTING)
        assert {"north-camden": [(DESK.id, north)], "south-camden": [(DESK.id, None)]} == ceded(
            app, pid
        )

    def test_a_council_absorbing_a_fellow_ceding_council_cedes_once(
        self, app: SharedServices
    ) -> None:
        pid = form_trio(app)
        hid = propose(app, pid, from_parties=("camden", "islington"))
        app.succeed(pid, party="camden", successors=[app.partnership(pid).parties["islington"]],
                    on=VESTING)  # fmt: skip
        app.effect_handover(hid, on=VESTING)
        assert ("islington",) == app.handover(hid).ceded_by
        assert {"islington": [(DESK.id, consent_ref("islington"))]} == ceded(app, pid)

    def test_a_succession_of_a_council_that_cedes_nothing_changes_no_entry(
        self, app: SharedServices
    ) -> None:
        pid = form_trio(app)
        hid = propose(app, pid)
        app.succeed(pid, party="haringey", successors=[Party("north-haringey", "NH")],
                    on=VESTING)  # fmt: skip
        app.effect_handover(hid, on=VESTING)
        assert {"camden": [(DESK.id, consent_ref("camden"))]} == ceded(app, pid)

    def test_a_succession_after_the_handover_took_effect_writes_nothing(
        self, app: SharedServices
    ) -> None:
        pid = form_trio(app)
        hid = propose(app, pid, from_parties=("camden", "islington"))
        app.effect_handover(hid, on=BEFORE)
        before = ceded(app, pid)
        assert ["camden", "islington"] == list(before)
        app.succeed(pid, party="camden", successors=[NORTH, SOUTH], on=VESTING, ref=ORDER)
        caught_up(app)
        for party in ("north-camden", "south-camden", "islington"):
            app.recall_handover(hid, by=party, on=AFTER)
        assert before == ceded(app, pid)
        assert [] == app.compromises(pid)["north-camden"]
        assert "recalled" == app.handover(hid).status


class TestSuccessionLedgerInMemory(InMemoryStore, SuccessionLedgerContract):
    pass


class TestSuccessionLedgerOnSQLite(SQLiteStore, SuccessionLedgerContract):
    pass


@pytest.mark.postgres
class TestSuccessionLedgerOnPostgres(PostgresStore, SuccessionLedgerContract):
    pass


class OpenRefsContract(StoreContract):
    def test_the_consents_of_a_withdrawn_handover_are_forgotten(self, app: SharedServices) -> None:
        pid = form_trio(app)
        hid = propose(app, pid)
        models = ReadModels(app)
        models.catch_up()
        assert 3 == models.store.count("refs")  # kept while the handover is open
        app.withdraw_handover(hid, by="camden", on=VESTING)
        ReadModels(app).catch_up()
        assert 0 == models.store.count("refs")


class TestOpenRefsInMemory(InMemoryStore, OpenRefsContract):
    pass


class TestOpenRefsOnSQLite(SQLiteStore, OpenRefsContract):
    pass


@pytest.mark.postgres
class TestOpenRefsOnPostgres(PostgresStore, OpenRefsContract):
    pass
