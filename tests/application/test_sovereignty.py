"""The sovereignty map: what a council has ceded, got back, inherited and hosts, across every
partnership in the store, on every store; answered from the read models, and the same from
the events."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from harness import (
    CAMDEN,
    InMemoryStore,
    OpenApp,
    PostgresStore,
    SQLiteStore,
    StoreContract,
    adopt,
    form_pair,
    form_trio,
    ref,
)

from sharedsvc import (
    Function,
    Party,
    RuleViolation,
    SharedServices,
    SovereigntyEntry,
    SovereigntyMap,
    Stage,
)
from sharedsvc.projections.read_models import ReadModels
from sharedsvc.projections.sovereignty import rows_from_log, sovereignty_map

DESK = Function("ict.service-desk", "ICT service desk", category="back-office")
PAYROLL = Function("hr.payroll", "Payroll", category="back-office")
NORTH = Party("north-islington", "North Islington Council")
SOUTH = Party("south-islington", "South Islington Council")
VESTING = date(2019, 4, 1)
ORDER = ref("Parliament", "SI 2018/1", date(2018, 3, 1))
TRIO = "Shared Digital (three boroughs)"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def hand_over(
    app: SharedServices,
    pid: UUID,
    function: Function = DESK,
    *,
    by: str = "islington",
    on: date = date(2017, 1, 10),
    **kwargs: Any,
) -> UUID:
    """A handover every active party consents to, effected on ``on``."""
    hid = app.propose_handover(pid, function=function, by=by, on=on, **kwargs)
    for party in app.partnership(pid).active_parties:
        app.consent_to_handover(hid, party=party, on=on)
    app.effect_handover(hid, on=on, by=app.partnership(pid).host or by)
    return hid


def entry(
    pid: UUID,
    status: str,
    since: date,
    until: date | None = None,
    *,
    whose: str,
    function: Function = DESK,
    name: str = TRIO,
    stage: Stage = Stage.COLLABORATING,
) -> SovereigntyEntry:
    return SovereigntyEntry(pid, name, stage, function, status, since, until, whose)


def from_events(app: SharedServices, party: str) -> SovereigntyMap:
    return sovereignty_map(party, rows_from_log(app.recorder, party), app.mapper)  # type: ignore[arg-type]


class SovereigntyContract(StoreContract):
    def test_a_handover_is_ceded_by_its_council_and_hosted_by_the_host(
        self, app: SharedServices
    ) -> None:
        pid = form_trio(app)
        hand_over(app, pid)
        assert SovereigntyMap(
            "islington", [entry(pid, "ceded", date(2017, 1, 10), whose="islington")]
        ) == app.sovereignty("islington")
        assert (entry(pid, "hosted", date(2017, 1, 10), whose="islington"),) == app.sovereignty(
            "camden"
        ).entries
        assert () == app.sovereignty("haringey").entries

    def test_a_recall_returns_the_function_and_ends_the_hosting(self, app: SharedServices) -> None:
        pid = form_trio(app)
        hid = hand_over(app, pid)
        app.recall_handover(hid, by="islington", reason="back in house", on=date(2018, 2, 1))
        returned = entry(pid, "returned", date(2017, 1, 10), date(2018, 2, 1), whose="islington")
        assert (returned,) == app.sovereignty("islington").entries
        hosted = entry(pid, "hosted", date(2017, 1, 10), date(2018, 2, 1), whose="islington")
        assert (hosted,) == app.sovereignty("camden").entries

    def test_the_host_ceding_its_own_function_hosts_nothing_of_it(
        self, app: SharedServices
    ) -> None:
        pid = form_trio(app)
        hand_over(app, pid, by="camden")
        assert (entry(pid, "ceded", date(2017, 1, 10), whose="camden"),) == app.sovereignty(
            "camden"
        ).entries

    def test_a_combined_handover_is_ceded_by_each_of_its_councils(
        self, app: SharedServices
    ) -> None:
        pid = form_trio(app)
        hid = hand_over(app, pid, from_parties=["islington", "haringey"])
        for party in ("islington", "haringey"):
            assert (entry(pid, "ceded", date(2017, 1, 10), whose=party),) == app.sovereignty(
                party
            ).entries
        app.recall_handover(hid, by="haringey", on=date(2017, 6, 1))  # its own share only
        assert ["ceded"] == [e.status for e in app.sovereignty("islington").entries]
        assert ["returned"] == [e.status for e in app.sovereignty("haringey").entries]
        hosted = app.sovereignty("camden").of("hosted")
        assert [("islington", None), ("haringey", date(2017, 6, 1))] == [
            (e.from_party, e.until) for e in hosted
        ]

    def test_a_successor_inherits_the_functions_of_the_council_it_succeeds(
        self, app: SharedServices
    ) -> None:
        pid = form_trio(app)
        hand_over(app, pid)
        app.succeed(pid, party="islington", successors=[NORTH, SOUTH], on=VESTING, ref=ORDER)
        ceded = entry(pid, "ceded", date(2017, 1, 10), VESTING, whose="islington")
        assert (ceded,) == app.sovereignty("islington").entries
        for successor in ("north-islington", "south-islington"):
            inherited = entry(pid, "inherited", VESTING, whose=successor)
            assert (inherited,) == app.sovereignty(successor).entries
        assert [
            ("islington", date(2017, 1, 10), VESTING),
            ("north-islington", VESTING, None),
            ("south-islington", VESTING, None),
        ] == [(e.from_party, e.since, e.until) for e in app.sovereignty("camden").entries]
        app.recall_handover(
            app.partnership(pid).pooled_functions[0].handover_id,
            by="north-islington",
            on=date(2019, 6, 1),
        )
        returned = entry(pid, "returned", VESTING, date(2019, 6, 1), whose="north-islington")
        assert (returned,) == app.sovereignty("north-islington").entries
        assert ["inherited"] == [e.status for e in app.sovereignty("south-islington").entries]

    def test_hosting_passes_to_the_first_successor_of_a_host(self, app: SharedServices) -> None:
        pid = form_trio(app)
        hand_over(app, pid)
        north, south = Party("north-camden", "North Camden"), Party("south-camden", "South")
        app.succeed(pid, party="camden", successors=[north, south], on=VESTING, ref=ORDER)
        hosted = entry(pid, "hosted", date(2017, 1, 10), VESTING, whose="islington")
        assert (hosted,) == app.sovereignty("camden").entries
        assert (entry(pid, "hosted", VESTING, whose="islington"),) == app.sovereignty(
            "north-camden"
        ).entries
        assert () == app.sovereignty("south-camden").entries

    def test_a_change_of_host_by_variation_moves_the_hosting_from_its_effective_date(
        self, app: SharedServices
    ) -> None:
        pid = form_trio(app)
        hand_over(app, pid, by="haringey")
        adopt(
            app, pid, by="camden", on=date(2018, 1, 5), effective=date(2018, 4, 1),
            changes={"host": "islington"}, approvers=["camden", "islington", "haringey"],
        )  # fmt: skip
        hosted = entry(pid, "hosted", date(2017, 1, 10), date(2018, 4, 1), whose="haringey")
        assert (hosted,) == app.sovereignty("camden").entries
        assert (entry(pid, "hosted", date(2018, 4, 1), whose="haringey"),) == app.sovereignty(
            "islington"
        ).entries

    def test_before_a_change_of_host_takes_effect_the_old_host_still_hosts(
        self, app: SharedServices
    ) -> None:
        pid = form_trio(app)
        hid = hand_over(app, pid, by="haringey")
        adopt(
            app, pid, by="camden", on=date(2018, 1, 5), effective=date(2018, 4, 1),
            changes={"host": "islington"}, approvers=["camden", "islington", "haringey"],
        )  # fmt: skip
        hand_over(app, pid, PAYROLL, by="haringey", on=date(2018, 2, 10))
        app.recall_handover(hid, by="haringey", on=date(2018, 3, 1))  # before the change
        assert (
            entry(pid, "hosted", date(2017, 1, 10), date(2018, 3, 1), whose="haringey"),
            entry(pid, "hosted", date(2018, 2, 10), date(2018, 4, 1), whose="haringey",
                  function=PAYROLL),
        ) == app.sovereignty("camden").entries  # fmt: skip
        # the desk left before islington became host: it never hosted it
        assert (
            entry(pid, "hosted", date(2018, 4, 1), whose="haringey", function=PAYROLL),
        ) == app.sovereignty("islington").entries

    def test_entries_show_the_partnership_as_it_is_named_and_staged_now(
        self, app: SharedServices
    ) -> None:
        pid = form_trio(app)
        hand_over(app, pid)
        app.change_stage(pid, to=Stage.COMBINING, by="camden", on=date(2018, 1, 1))
        adopt(
            app, pid, by="camden", on=date(2018, 2, 1), changes={"name": "Shared Technology"},
            approvers=["camden", "islington", "haringey"],
        )  # fmt: skip
        (ceded,) = app.sovereignty("islington").entries
        assert ("Shared Technology", Stage.COMBINING) == (ceded.partnership, ceded.stage)

    def test_a_dissolution_returns_every_function_on_its_effective_date(
        self, app: SharedServices
    ) -> None:
        pid = form_trio(app)
        hand_over(app, pid)
        hand_over(app, pid, PAYROLL, by="haringey", on=date(2017, 2, 1))
        adopt(
            app, pid, by="camden", on=date(2018, 11, 20), dissolve=True,
            effective=date(2018, 12, 31), approvers=["camden", "islington", "haringey"],
        )  # fmt: skip
        end = date(2018, 12, 31)
        assert (entry(pid, "returned", date(2017, 1, 10), end, whose="islington"),) == (
            app.sovereignty("islington").entries
        )
        assert (
            entry(pid, "returned", date(2017, 2, 1), end, whose="haringey", function=PAYROLL),
        ) == app.sovereignty("haringey").entries
        assert [end, end] == [e.until for e in app.sovereignty("camden").entries]

    def test_a_reorganisation_maps_every_partnership_in_the_order_they_were_formed(
        self, app: SharedServices
    ) -> None:
        trio = form_trio(app)
        pair = form_pair(app, name="Legal Services", on=date(2016, 11, 1), host="islington")
        hand_over(app, pair, PAYROLL, by="islington", on=date(2017, 1, 2))
        hand_over(app, trio, by="islington", on=date(2017, 1, 10))
        app.reorganise(party="islington", successors=[NORTH, SOUTH], on=VESTING, ref=ORDER)
        legal = {"name": "Legal Services", "stage": Stage.CO_OPERATING}
        assert (
            entry(trio, "ceded", date(2017, 1, 10), VESTING, whose="islington"),
            entry(pair, "ceded", date(2017, 1, 2), VESTING, whose="islington", function=PAYROLL,
                  **legal),
        ) == app.sovereignty("islington").entries  # fmt: skip
        # the hosting of the pair passed to the first successor: it holds its partner's share
        assert (
            entry(trio, "inherited", VESTING, whose="north-islington"),
            entry(pair, "inherited", VESTING, whose="north-islington", function=PAYROLL, **legal),
            entry(pair, "hosted", VESTING, whose="south-islington", function=PAYROLL, **legal),
        ) == app.sovereignty("north-islington").entries
        assert () == app.sovereignty("camden").of("ceded")

    def test_a_party_of_no_partnership_has_an_empty_map(self, app: SharedServices) -> None:
        form_trio(app)
        nobody = app.sovereignty("hackney")
        assert SovereigntyMap("hackney", []) == nobody
        assert "hackney: nothing ceded, returned, inherited or hosted" == str(nobody)

    @pytest.mark.parametrize("party", [42, None, "Camden", "", b"camden", CAMDEN])
    def test_a_party_that_is_not_a_party_id_is_refused(
        self, app: SharedServices, party: Any
    ) -> None:
        form_trio(app)
        if isinstance(party, Party):  # a Party stands for its id, as wherever a party enters
            assert SovereigntyMap("camden", []) == app.sovereignty(party)  # type: ignore[arg-type]
            return
        with pytest.raises(RuleViolation) as caught:
            app.sovereignty(party)
        assert "invalid-value" == caught.value.rule

    def test_the_map_reads_as_lines(self, app: SharedServices) -> None:
        pid = form_trio(app)
        hand_over(app, pid)
        assert [
            "camden:",
            "  hosted ict.service-desk (ICT service desk) of islington in"
            f" {TRIO} [collaborating]: since 2017-01-10",
        ] == app.sovereignty("camden").lines()

    def test_the_read_models_and_the_events_give_the_same_map(self, app: SharedServices) -> None:
        pid = form_trio(app)
        hand_over(app, pid, from_parties=["islington", "haringey"])
        app.succeed(pid, party="islington", successors=[NORTH, SOUTH], on=VESTING, ref=ORDER)
        for party in ("camden", "islington", "haringey", "north-islington", "south-islington"):
            assert from_events(app, party) == app.sovereignty(party)
            assert app.sovereignty(party).entries  # something to compare
        assert 8 == ReadModels(app).store.count("sovereignty")

    def test_another_application_answers_from_the_read_models_it_follows(
        self, app: SharedServices, reopen: OpenApp
    ) -> None:
        pid = form_trio(app)
        hand_over(app, pid)
        assert 1 == len(app.sovereignty("islington").entries)  # the read models follow
        other = reopen()
        app.recall_handover(
            app.partnership(pid).pooled_functions[0].handover_id, by="islington",
            on=date(2018, 1, 1),
        )  # fmt: skip
        assert ["returned"] == [e.status for e in other.sovereignty("islington").entries]
        assert from_events(other, "camden") == other.sovereignty("camden")


class TestSovereigntyInMemory(InMemoryStore, SovereigntyContract):
    pass


class TestSovereigntyOnSQLite(SQLiteStore, SovereigntyContract):
    def test_read_models_of_the_previous_layout_are_rebuilt_with_the_map(
        self, app: SharedServices, reopen: OpenApp
    ) -> None:
        pid = form_trio(app)
        hand_over(app, pid)
        models = ReadModels(app)
        models.catch_up()
        store: Any = models.store
        # what the previous release (layout 2) left: its tables, none of the map's
        store._execute("DROP TABLE sharedsvc_rm_sovereignty")
        store._execute("DROP TABLE sharedsvc_rm_sovereignty_state")
        store._execute("UPDATE sharedsvc_rm_layout SET version = 2")
        other = reopen()
        expected = (entry(pid, "hosted", date(2017, 1, 10), whose="islington"),)
        assert expected == other.sovereignty("camden").entries
        assert ReadModels(other).position == other.highest_position()

    def test_the_stored_release_upgrades_and_maps_its_partnerships(self, tmp_path: Path) -> None:
        copy = tmp_path / "release.db"
        shutil.copy(FIXTURES / "release-0.1.0" / "store.db", copy)
        app = SharedServices.sqlite(copy)
        try:
            parties = {party for view in app.partnerships() for party in view.parties}
            mapped = {party: app.sovereignty(party) for party in sorted(parties)}
            assert any(found.entries for found in mapped.values())
            for party, found in mapped.items():
                assert from_events(app, party) == found
        finally:
            app.close()


@pytest.mark.postgres
class TestSovereigntyOnPostgres(PostgresStore, SovereigntyContract):
    pass
