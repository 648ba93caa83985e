"""The audit trail of a combined handover, and of a succession inside a handover, on every store.

A line names the parties as they are when its act is taken: every council a combined service
is ceded from (not only the one that proposed it), and, once one of them was succeeded, its
successors in its place. Consents, the effect, each share's recall, a withdrawal and the
return on dissolution read truthfully; the read models' trail (an index, narrated) says the
same as the trail read from the log.
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
    form_pair,
    form_trio,
    ref,
)

from sharedsvc import Function, Party, SharedServices
from sharedsvc.projections.read_models import ReadModels

BEFORE = date(2022, 6, 1)
VESTING = date(2023, 4, 1)
AFTER = date(2023, 5, 2)
ORDER = ref("Parliament", "SI 2022/331", date(2022, 3, 17))
NORTH = Party("north-camden", "North Camden Council")
SOUTH = Party("south-camden", "South Camden Council")
DESK = Function("ict.service-desk", "ICT service desk", category="back-office")
CAMDEN, ISLINGTON, HARINGEY = (
    "London Borough of Camden",
    "London Borough of Islington",
    "London Borough of Haringey",
)
HEIRS = "North Camden Council and South Camden Council"


def lines(app: SharedServices, pid: UUID, hid: UUID) -> list[tuple[str, str]]:
    """The handover's lines (event, summary), after checking that the read models' trail is
    the trail read from the log."""
    trail = app.audit_trail(pid)
    models = ReadModels(app)
    models.catch_up()
    assert trail == models.audit_trail(pid)
    return [(e.event, e.summary) for e in trail if e.aggregate_id == hid]


def combined(app: SharedServices, pid: UUID) -> UUID:
    """Camden proposes the desk combined with Islington; every party of the trio consents."""
    hid = app.propose_handover(
        pid, function=DESK, by="camden", from_parties=["camden", "islington"], on=BEFORE
    )
    for party in ("camden", "islington", "haringey"):
        app.consent_to_handover(hid, party=party, ref=ref(party, "C/1", BEFORE), on=BEFORE)
    return hid


class CombinedAuditContract(StoreContract):
    def test_a_combined_handovers_lines_name_every_council_it_is_ceded_from(
        self, app: SharedServices
    ) -> None:
        pid = form_trio(app)
        hid = combined(app, pid)
        app.effect_handover(hid, on=BEFORE)
        app.recall_handover(hid, by="islington", on=AFTER)
        app.recall_handover(hid, by="camden", on=AFTER)
        short = hid.hex[:8]
        both = f"{CAMDEN} and {ISLINGTON}"
        assert [
            (
                "Proposed",
                f"{CAMDEN} proposed to hand ICT service desk (back-office) over to the shared "
                f"service, combined from {both} (handover {short})",
            ),
            *(
                (
                    "ConsentGiven",
                    f"{name} consented to the handover of ICT service desk from {both} ({party}, "
                    "C/1)",
                )
                for name, party in (
                    (CAMDEN, "camden"),
                    (ISLINGTON, "islington"),
                    (HARINGEY, "haringey"),
                )
            ),
            (
                "Effected",
                f"{CAMDEN} effected the handover of ICT service desk from {both} to the shared "
                "service",
            ),
            (
                "Recalled",
                f"{ISLINGTON} took its share of ICT service desk back from the shared service; "
                f"{CAMDEN}'s share stays pooled [no decision reference]",
            ),
            (
                "Recalled",
                f"{CAMDEN} took its share of ICT service desk back from the shared service; no "
                "share is left pooled [no decision reference]",
            ),
        ] == lines(app, pid, hid)

    def test_after_a_succession_before_the_effect_the_lines_name_the_successors(
        self, app: SharedServices
    ) -> None:
        pid = form_trio(app)
        hid = combined(app, pid)
        app.succeed(pid, party="camden", successors=[NORTH, SOUTH], on=VESTING, ref=ORDER)
        app.effect_handover(hid, on=VESTING)
        app.recall_handover(hid, by="islington", on=AFTER)
        said = lines(app, pid, hid)
        now = f"North Camden Council, South Camden Council and {ISLINGTON}"
        assert [
            (
                "PartySucceeded",
                f"{CAMDEN}'s consent to handing over ICT service desk from {CAMDEN} and "
                f"{ISLINGTON} counts for its successors {HEIRS}; {HEIRS} now cede ICT service "
                f"desk in its place, with {ISLINGTON} (Parliament, SI 2022/331, decided "
                "2022-03-17)",
            ),
            (
                "Effected",
                f"North Camden Council effected the handover of ICT service desk from {now} to "
                "the shared service",
            ),
            (
                "Recalled",
                f"{ISLINGTON} took its share of ICT service desk back from the shared service; "
                f"the shares of {HEIRS} stay pooled [no decision reference]",
            ),
        ] == said[4:]

    def test_after_a_succession_in_effect_the_successors_take_the_function_back(
        self, app: SharedServices
    ) -> None:
        pid = form_pair(app)
        hid = app.propose_handover(pid, function=DESK, by="camden", on=BEFORE)
        for party in ("camden", "islington"):
            app.consent_to_handover(hid, party=party, on=BEFORE)
        app.effect_handover(hid, on=BEFORE)
        app.succeed(pid, party="camden", successors=[NORTH, SOUTH], on=VESTING)
        vid = app.propose_variation(pid, by="islington", dissolve=True, on=AFTER)
        for party in ("islington", "north-camden", "south-camden"):
            app.approve_variation(pid, vid, party=party, on=AFTER)
        said = lines(app, pid, hid)
        assert [
            ("PartySucceeded", f"{HEIRS} now cede ICT service desk in {CAMDEN}'s place"),
            (
                "Recalled",
                f"ICT service desk went back from the shared service to {HEIRS}: the partnership "
                "is dissolved",
            ),
        ] == said[-2:]

    def test_a_withdrawal_names_whose_proposal_it_withdrew(self, app: SharedServices) -> None:
        pid = form_trio(app)
        hid = combined(app, pid)
        app.withdraw_handover(hid, by="islington", on=BEFORE)
        assert (f"{ISLINGTON} withdrew {CAMDEN}'s proposal to hand over ICT service desk") == lines(
            app, pid, hid
        )[-1][1]

    def test_a_successor_of_a_council_that_took_its_share_back_cedes_nothing(
        self, app: SharedServices
    ) -> None:
        pid = form_trio(app)
        hid = combined(app, pid)
        app.effect_handover(hid, on=BEFORE)
        app.recall_handover(hid, by="camden", on=date(2022, 7, 1))
        app.succeed(pid, party="camden", successors=[NORTH, SOUTH], on=VESTING)
        assert ("camden", "islington") == app.handover(hid).from_parties
        assert "PartySucceeded" not in [event for event, _ in lines(app, pid, hid)]
        app.recall_handover(hid, by="islington", on=VESTING)
        assert "recalled" == app.handover(hid).status
        assert (
            f"{ISLINGTON} took its share of ICT service desk back from the shared service; no "
            "share is left pooled [no decision reference]"
        ) == lines(app, pid, hid)[-1][1]


class TestCombinedAuditInMemory(InMemoryStore, CombinedAuditContract):
    pass


class TestCombinedAuditOnSQLite(SQLiteStore, CombinedAuditContract):
    pass


@pytest.mark.postgres
class TestCombinedAuditOnPostgres(PostgresStore, CombinedAuditContract):
    pass
