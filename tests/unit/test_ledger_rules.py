"""The compromise ledger's rules, as pure functions: what an event's entries say."""

from __future__ import annotations

from sharedsvc.projections.ledger import (
    CEDED,
    CONCEDED,
    HELD,
    UNRECORDED,
    Compromise,
    dispute_closed,
    handover_effected,
    variation_adopted,
)

SLA = ("islington", "sla", "99.9%", "99.5%", "what the desk can meet")
FEES = ("camden", "fees", "fixed", "hourly", None)


def test_a_variation_adopted_makes_an_entry_per_concession_on_its_partys_approval() -> None:
    approvals = {"islington": "EXE/1"}
    assert [
        Compromise("islington", CONCEDED, "sla", "99.9%", "99.5%", "what the desk can meet",
                   "EXE/1"),
        Compromise("camden", CONCEDED, "fees", "fixed", "hourly", None, None),
    ] == variation_adopted([SLA, FEES], lambda party: approvals.get(party, UNRECORDED))  # fmt: skip


def test_a_dispute_closed_makes_an_entry_per_concession_without_a_reference() -> None:
    assert [
        Compromise("islington", CONCEDED, "sla", "99.9%", "99.5%", "what the desk can meet",
                   None),
        Compromise("camden", CONCEDED, "fees", "fixed", "hourly", None, None),
    ] == dispute_closed([SLA, FEES])  # fmt: skip
    assert [] == dispute_closed([])


def test_a_function_ceded_rests_on_the_proposers_consent_even_one_without_a_reference() -> None:
    def ceded(consent: object) -> Compromise:
        [entry] = handover_effected(
            "haringey", "revenues.tax", "Tax", "scale", "OFFER", lambda party: consent
        )
        return entry

    assert Compromise(
        "haringey", CEDED, "revenues.tax", "kept by haringey: Tax", HELD, "scale", "CAB/2"
    ) == ceded("CAB/2")
    assert ceded(None).ref is None
    assert "OFFER" == ceded(UNRECORDED).ref


def test_a_combined_service_is_ceded_by_every_from_party_on_its_own_consent() -> None:
    consents = {"islington": "EXE/7", "camden": None}
    made = handover_effected(
        "islington", "ict.desk", "Desk", None, "OFFER",
        lambda party: consents.get(party, UNRECORDED), ("islington", "camden", "haringey"),
    )  # fmt: skip
    assert [
        Compromise("islington", CEDED, "ict.desk", "kept by islington: Desk", HELD, None, "EXE/7"),
        Compromise("camden", CEDED, "ict.desk", "kept by camden: Desk", HELD, None, None),
        # no consent of its recorded: the proposal is the proposer's, not haringey's, authority
        Compromise("haringey", CEDED, "ict.desk", "kept by haringey: Desk", HELD, None, None),
    ] == made
