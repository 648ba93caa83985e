"""The scenario files in ``examples/``: each loads on every store, is written back to a file
that loads to the same record and the same text, and reads the same from a fresh application;
and the facts of the Somerset Waste Partnership, a history through two reorganisations, hold
once it is loaded (the comments of its file say where each comes from).

The Camden, Islington and Haringey example has tests of its own in ``test_scenario.py``.
"""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from harness import InMemoryStore, OpenApp, PostgresStore, SQLiteStore, StoreContract
from test_scenario import record, round_trip

import sharedsvc as ss
from sharedsvc.reports import gather, render_markdown, write_timeline
from sharedsvc.scenario import dump_scenario, load_scenario, scenario_ids

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples").glob("*.toml"))
SOMERSET = ROOT / "examples" / "somerset-waste-partnership.toml"

MERGED = date(2019, 4, 1)  # Somerset West and Taunton's vesting day
UNITARY = date(2023, 4, 1)  # Somerset Council's vesting day
DISTRICTS_2007 = ("mendip", "sedgemoor", "south-somerset", "west-somerset", "taunton-deane")
DISTRICTS_2019 = ("mendip", "sedgemoor", "south-somerset", "somerset-west-and-taunton")


def test_the_examples_folder_holds_the_files_these_tests_name() -> None:
    names = [path.name for path in EXAMPLES]
    assert {"camden-islington-haringey.toml", "somerset-waste-partnership.toml"} <= set(names)


# --- on every store ---------------------------------------------------------------------------


@pytest.mark.parametrize("example", EXAMPLES, ids=[path.stem for path in EXAMPLES])
class ExamplesContract(StoreContract):
    def test_an_example_loads_and_is_written_back_to_the_same_record_and_text(
        self, app: ss.SharedServices, example: Path
    ) -> None:
        pid = load_scenario(app, example)
        text = dump_scenario(app, pid)
        assert (record(app, pid), text) == round_trip(text)

    def test_an_example_reads_the_same_from_a_fresh_application(
        self, app: ss.SharedServices, reopen: OpenApp, example: Path
    ) -> None:
        pid = load_scenario(app, example)
        fresh = reopen()  # no aggregate cache: everything is read from the store
        assert dump_scenario(app, pid) == dump_scenario(fresh, pid)
        assert record(app, pid) == record(fresh, pid)

    def test_every_cost_pool_of_an_example_sums_to_100_on_every_day_it_changed(
        self, app: ss.SharedServices, example: Path
    ) -> None:
        report = gather(app, load_scenario(app, example))
        for shares in report.cost_shares:
            for pool in shares.cost_pools:
                assert Decimal(100) == sum(pool.shares.values()), (shares.effective, pool)


class TestExamplesInMemory(InMemoryStore, ExamplesContract):
    pass


class TestExamplesOnSQLite(SQLiteStore, ExamplesContract):
    pass


@pytest.mark.postgres
class TestExamplesOnPostgres(PostgresStore, ExamplesContract):
    pass


# --- the Somerset Waste Partnership ---------------------------------------------------------------


@pytest.fixture(scope="module")
def somerset() -> tuple[ss.SharedServices, ss.PartnershipView]:
    app = ss.SharedServices.in_memory()
    pid = load_scenario(app, SOMERSET)
    return app, app.partnership(pid)


def test_somerset_is_formed_by_the_county_and_five_districts_and_ends_with_no_invented_end(
    somerset: tuple[ss.SharedServices, ss.PartnershipView],
) -> None:
    """The record of how the agreement ended was not found, so the file records none."""
    _, view = somerset
    assert ("Somerset Waste Partnership", date(2007, 10, 1)) == (view.name, view.formed_on)
    assert ("somerset-county", *DISTRICTS_2007, "somerset-west-and-taunton") == tuple(view.parties)
    assert (None, ("somerset-county", *DISTRICTS_2019)) == (view.dissolved_on, view.active_parties)
    assert not view.open_variations
    assert not view.closed_variations


def test_somerset_west_and_taunton_succeeds_both_districts_on_its_vesting_day(
    somerset: tuple[ss.SharedServices, ss.PartnershipView],
) -> None:
    app, view = somerset
    assert {"taunton-deane", "west-somerset"} == set(view.successions)
    for succession in view.successions.values():
        assert ("somerset-west-and-taunton",) == succession.successors
        assert MERGED == succession.on
        assert succession.ref is not None
        assert "SI 2018/649" in succession.ref.reference
    before = app.partnership(view.id, as_of=MERGED.replace(day=1, month=3))
    after = app.partnership(view.id, as_of=MERGED)
    assert ("somerset-county", *DISTRICTS_2007) == before.active_parties
    assert ("somerset-county", *DISTRICTS_2019) == after.active_parties
    assert "somerset-county" == before.host == after.host


def test_the_successor_holds_the_two_districts_shares_as_the_board_agreed_them_in_2018(
    somerset: tuple[ss.SharedServices, ss.PartnershipView],
) -> None:
    app, view = somerset
    (before,) = app.partnership(view.id, as_of=date(2019, 3, 31)).terms.cost_pools
    (after,) = app.partnership(view.id, as_of=MERGED).terms.cost_pools
    assert Decimal("15.33") == before.shares["taunton-deane"] + before.shares["west-somerset"]
    expected = {
        "somerset-county": "45.76",
        "mendip": "10.95",
        "sedgemoor": "11.63",
        "south-somerset": "16.33",
        "somerset-west-and-taunton": "15.33",
    }
    assert {p: Decimal(s) for p, s in expected.items()} == dict(after.shares)
    assert Decimal(100) == sum(before.shares.values()) == sum(after.shares.values())


def test_the_successor_inherits_both_districts_collection(
    somerset: tuple[ss.SharedServices, ss.PartnershipView],
) -> None:
    app, view = somerset
    held = app.partnership(view.id).pooled_functions
    inherited = {
        p.function.id: p.since for p in held if p.from_party == "somerset-west-and-taunton"
    }
    assert {
        "waste.collection.taunton-deane": MERGED,
        "waste.collection.west-somerset": MERGED,
    } == inherited
    assert 6 == len(held)


def test_the_two_orders_are_noted_on_the_days_they_were_made(
    somerset: tuple[ss.SharedServices, ss.PartnershipView],
) -> None:
    app, view = somerset
    notes = app.notes(view.id)
    assert [date(2018, 5, 30), date(2022, 3, 15)] == [note.on for note in notes]
    assert ["SI 2018/649", "SI 2022/329"] == [
        note.ref.reference.rsplit(", ", 1)[-1] for note in notes if note.ref is not None
    ]


def test_succeeding_the_four_districts_into_the_county_stops_at_a_partnership_of_one() -> None:
    """The file's last comment says why it stops before the 2023 vesting day: the fourth
    succession is refused."""
    app = ss.SharedServices.in_memory()
    pid = load_scenario(app, SOMERSET)
    order = ss.DecisionRef("Secretary of State", "SI 2022/329", date(2022, 3, 15))
    county = ss.Party("somerset-county", "Somerset County Council", kind="county")
    for district in DISTRICTS_2019[:-1]:
        app.succeed(pid, party=district, successors=[county], on=UNITARY, ref=order)
    with pytest.raises(ss.RuleViolation) as refused:
        app.succeed(pid, party=DISTRICTS_2019[-1], successors=[county], on=UNITARY, ref=order)
    assert "two-or-more-parties" == refused.value.rule


def test_the_example_labels_its_handovers_as_they_are_written_back(
    somerset: tuple[ss.SharedServices, ss.PartnershipView],
) -> None:
    app, view = somerset
    assert [f"h{i}" for i in range(1, 7)] == sorted(scenario_ids(app, view.id))
    assert "h6" in SOMERSET.read_text(encoding="utf-8")


def test_the_timeline_draws_the_inherited_collections_from_the_districts_that_ceded_them(
    somerset: tuple[ss.SharedServices, ss.PartnershipView],
) -> None:
    pytest.importorskip("matplotlib")
    app, view = somerset
    picture = io.BytesIO()
    write_timeline(app, view.id, picture, format="svg")
    svg = picture.getvalue().decode()
    assert "from West Somerset" in svg
    assert "from Taunton Deane" in svg
    assert 2 == svg.count("inherited 1 Apr 2019")
    assert "successor, 1 Apr 2019" in svg


def test_the_audit_report_names_the_districts_that_ceded_the_collections_and_their_heir(
    somerset: tuple[ss.SharedServices, ss.PartnershipView],
) -> None:
    app, view = somerset
    text = render_markdown(gather(app, view.id)).replace("\u2011", "-")
    for district in ("West Somerset District Council", "Taunton Deane Borough Council"):
        assert f" from {district}\n" in text
        assert (
            "- **Inherited by Somerset West and Taunton Council:** 2019-04-01, from " + district
        ) in text


def test_the_audit_trail_says_the_one_successor_now_cedes_each_collection(
    somerset: tuple[ss.SharedServices, ss.PartnershipView],
) -> None:
    app, view = somerset
    lines = [entry.summary for entry in app.audit_trail(view.id)]
    heir = "Somerset West and Taunton Council now cedes"
    assert 2 == sum(line.startswith(heir) for line in lines)
    assert not any("Council now cede " in line for line in lines)
