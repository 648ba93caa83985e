"""``readiness``, ``obligations``, ``balance`` and ``sovereignty``: their tables, their JSON
(parsed, with its documented keys), ``--as-of`` and ``--status``, and the refusals every command
gives (1 refused, 2 usage, one line each). The history is loaded with ``sharedsvc load``, so
the acts it records (readiness assessments, a target and its outcome) go through the command
line too."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from cli_harness import Ran, load_example, sharedsvc

import sharedsvc as ss

NAME = "Adur and Worthing ICT"

SCENARIO = """
[partnership]
name = "Adur and Worthing ICT"
stage = "collaborating"
on = 2008-04-01

[[parties]]
id = "adur"
name = "Adur District Council"

[[parties]]
id = "worthing"
name = "Worthing Borough Council"

[terms]
host = "worthing"
notice = { months = 12 }
cost_pools = [
    { name = "ict", basis = "equal", shares = { adur = "50.00", worthing = "50.00" } },
]

[[acts]]
act = "assess_readiness"
on = 2009-01-05
party = "adur"
scores = { trust = 2, power-sharing = 3 }

[[acts]]
act = "assess_readiness"
on = 2009-01-12
by = "adur"
party = "worthing"
scores = { trust = 4, communication = 3 }
ref = { body = "Joint Committee", reference = "JC/2009/1", decided_on = 2009-01-12 }

[[acts]]
act = "assess_readiness"
on = 2009-06-01
party = "adur"
scores = { trust = 3, power-sharing = 3, business-buy-in = 4 }

[[acts]]
act = "set_target"
id = "t1"
on = 2009-07-01
by = "worthing"
kind = "savings"
amount = "600000"
due = 2010-03-31

[[acts]]
act = "propose_handover"
id = "h1"
on = 2009-08-03
by = "adur"
function.id = "ict.service-desk"
function.name = "ICT service desk"
function.category = "back-office"

[[acts]]
act = "consent_to_handover"
on = 2009-08-10
party = "adur"
handover = "h1"

[[acts]]
act = "consent_to_handover"
on = 2009-08-17
party = "worthing"
handover = "h1"

[[acts]]
act = "effect_handover"
on = 2009-10-01
by = "worthing"
handover = "h1"

[[acts]]
act = "record_outcome"
on = 2010-03-01
by = "adur"
target = "t1"
amount = "650000"

[[acts]]
act = "serve_withdrawal_notice"
on = 2011-01-10
party = "worthing"
"""
EVENTS = 12  # effecting the handover records on the handover and the partnership


@pytest.fixture
def store(tmp_path: Path) -> Path:
    """The Adur and Worthing history above, loaded through ``sharedsvc load``."""
    path = tmp_path / "scenario.toml"
    path.write_text(SCENARIO, encoding="utf-8")
    db = tmp_path / "s.db"
    loaded = sharedsvc("load", str(path), "--db", str(db))
    assert 0 == loaded.code, loaded.err
    assert loaded.out.endswith(f": {EVENTS} events.\n")
    return db


def parsed(ran: Ran) -> Any:
    assert 0 == ran.code, ran.err
    return json.loads(ran.out)


def rows(ran: Ran) -> list[list[str]]:
    """A table's rows (below its header and rule), split on runs of three or more spaces."""
    assert 0 == ran.code, ran.err
    lines = ran.out.splitlines()
    assert set(lines[1]) == {"-"}, ran.out
    return [[cell.strip() for cell in line.split("   ") if cell.strip()] for line in lines[2:]]


# ---------------------------------------------------------------------------- recording --


def test_the_new_acts_load_from_a_scenario_and_export_again(store: Path, tmp_path: Path) -> None:
    app = ss.SharedServices.sqlite(store)
    try:
        (view,) = app.partnerships()
        (target,) = app.targets(view.id)
        assert ("savings", ss.Money("600000"), date(2010, 3, 1)) == (
            target.kind,
            target.amount,
            target.met_on,
        )
        assert ["adur", "worthing"] == list(app.readiness(view.id))
    finally:
        app.close()
    exported = sharedsvc("export", NAME, "--db", str(store))
    assert 0 == exported.code, exported.err
    for act in ("assess_readiness", "set_target", "record_outcome"):
        assert f'act = "{act}"' in exported.out
    again = tmp_path / "again.toml"
    again.write_text(exported.out, encoding="utf-8")
    copy = tmp_path / "copy.db"
    assert 0 == sharedsvc("load", str(again), "--db", str(copy)).code
    assert (
        parsed(sharedsvc("readiness", NAME, "--json", "--db", str(copy)))["readiness"]
        == (parsed(sharedsvc("readiness", NAME, "--json", "--db", str(store)))["readiness"])
    )


# ---------------------------------------------------------------------------- readiness --


def test_readiness_shows_each_partys_latest_assessment(store: Path) -> None:
    assert [
        ["adur", "adur", "2009-06-01", "3.3", "trust 3, power-sharing 3, business-buy-in 4"],
        ["worthing", "adur", "2009-01-12", "3.5", "trust 4, communication 3"],
    ] == rows(sharedsvc("readiness", NAME, "--db", str(store)))
    assert [["adur", "adur", "2009-01-05", "2.5", "trust 2, power-sharing 3"]] == rows(
        sharedsvc("readiness", NAME, "--as-of", "2009-01-06", "--db", str(store))
    )


def test_readiness_as_json_has_its_documented_keys(store: Path) -> None:
    data = parsed(sharedsvc("readiness", NAME, "--json", "--db", str(store)))
    assert {"partnership", "name", "as_of", "readiness"} == set(data)
    assert (NAME, None) == (data["name"], data["as_of"])
    assert ["adur", "worthing"] == list(data["readiness"])
    assert {
        "party": "worthing",
        "by": "adur",
        "on": "2009-01-12",
        "scores": {"trust": 4, "communication": 3},
        "overall": "3.5",
        "ref": {"body": "Joint Committee", "reference": "JC/2009/1", "decided_on": "2009-01-12"},
    } == data["readiness"]["worthing"]
    assert None is data["readiness"]["adur"]["ref"]
    dated = parsed(
        sharedsvc("readiness", NAME, "--json", "--as-of", "2009-01-06", "--db", str(store))
    )
    assert ("2009-01-06", ["adur"]) == (dated["as_of"], list(dated["readiness"]))


def test_readiness_trend_lists_every_assessment_and_filters_it(store: Path) -> None:
    every = parsed(sharedsvc("readiness", NAME, "--trend", "--json", "--db", str(store)))
    assert {"partnership", "name", "as_of", "assessments"} == set(every)
    assert [("adur", "2009-01-05"), ("worthing", "2009-01-12"), ("adur", "2009-06-01")] == [
        (item["party"], item["on"]) for item in every["assessments"]
    ]
    latest = ["adur", "adur", "2009-06-01", "3.3", "trust 3, power-sharing 3, business-buy-in 4"]
    assert [latest] == rows(
        sharedsvc(
            "readiness", NAME, "--trend", "--party", "adur", "--area", "business-buy-in",
            "--db", str(store),
        )
    )  # fmt: skip


def test_no_readiness_says_so(tmp_path: Path) -> None:
    db = tmp_path / "example.db"
    load_example(db)
    ran = sharedsvc("readiness", "Shared Digital", "--db", str(db))
    assert (0, "No readiness assessed in Shared Digital.\n") == (ran.code, ran.out)
    assert (
        {}
        == parsed(sharedsvc("readiness", "Shared Digital", "--json", "--db", str(db)))["readiness"]
    )


# -------------------------------------------------------------------------- obligations --


def test_obligations_show_their_status_on_the_date_asked(store: Path) -> None:
    listed = rows(sharedsvc("obligations", NAME, "--as-of", "2011-06-01", "--db", str(store)))
    assert [
        ["2009-10-02", "consent", "adur", "met", "2009-08-10"],
        ["2009-10-02", "consent", "worthing", "met", "2009-08-17"],
        ["2010-03-31", "savings", "-", "met", "2010-03-01"],
        ["2012-03-31", "withdrawal", "worthing", "open", "-"],
    ] == [row[:5] for row in listed]
    later = rows(sharedsvc("obligations", NAME, "--as-of", "2012-06-01", "--db", str(store)))
    assert ["2012-03-31", "withdrawal", "worthing", "overdue", "-"] == later[-1][:5]


def test_obligations_as_json_have_their_documented_keys(store: Path) -> None:
    data = parsed(
        sharedsvc("obligations", NAME, "--as-of", "2011-06-01", "--json", "--db", str(store))
    )
    assert {"partnership", "name", "as_of", "obligations"} == set(data)
    assert "2011-06-01" == data["as_of"]
    app = ss.SharedServices.sqlite(store)
    try:
        (view,) = app.partnerships()
        expected = app.obligations(view.id, as_of=date(2011, 6, 1))
    finally:
        app.close()
    assert str(view.id) == data["partnership"]
    assert [
        {
            "kind": item.kind,
            "party": item.party,
            "due": item.due.isoformat(),
            "status": item.status,
            "source": item.source,
            "met_on": None if item.met_on is None else item.met_on.isoformat(),
            "late": item.late,
        }
        for item in expected
    ] == data["obligations"]
    assert "withdrawal" == data["obligations"][-1]["kind"]
    assert None is data["obligations"][-1]["met_on"]


def test_obligations_without_as_of_are_read_today(store: Path) -> None:
    data = parsed(sharedsvc("obligations", NAME, "--json", "--db", str(store)))
    assert date.fromisoformat(data["as_of"]) > date(2012, 3, 31)
    assert "overdue" == data["obligations"][-1]["status"]


def test_status_chooses_the_obligations_shown(store: Path) -> None:
    def statuses(*chosen: str) -> list[str]:
        argv = [arg for status in chosen for arg in ("--status", status)]
        data = parsed(
            sharedsvc(
                "obligations", NAME, "--as-of", "2012-06-01", "--json", *argv, "--db", str(store)
            )
        )
        return [item["status"] for item in data["obligations"]]

    assert ["met", "met", "met", "overdue"] == statuses()
    assert ["met", "met", "met"] == statuses("met")
    assert ["overdue"] == statuses("overdue", "open")
    assert [] == statuses("lapsed")
    ran = sharedsvc("obligations", NAME, "--status", "lapsed", "--db", str(store))
    assert 0 == ran.code
    assert ran.out.startswith(f"No lapsed obligations in {NAME} on ")


def test_an_obligation_of_any_kind_and_of_no_party_is_shown(
    store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Whatever kind the library gives is shown as it is (a target's is its own kind, with no
    # party when the target binds none), and one met late says so.
    target = ss.Obligation("savings", None, date(2010, 3, 31), "met", 5, date(2010, 4, 2), True)

    def obligations(self: ss.SharedServices, pid: Any, *, as_of: date | None = None) -> Any:
        return [target]

    monkeypatch.setattr(ss.SharedServices, "obligations", obligations)
    assert [["2010-03-31", "savings", "-", "met (late)", "2010-04-02", "5"]] == rows(
        sharedsvc("obligations", NAME, "--db", str(store))
    )
    data = parsed(sharedsvc("obligations", NAME, "--json", "--db", str(store)))
    assert [
        {
            "kind": "savings",
            "party": None,
            "due": "2010-03-31",
            "status": "met",
            "source": 5,
            "met_on": "2010-04-02",
            "late": True,
        }
    ] == data["obligations"]


# ------------------------------------------------------------------------------ balance --


def test_balance_counts_for_every_party(tmp_path: Path) -> None:
    db = tmp_path / "example.db"
    load_example(db)
    table = rows(sharedsvc("balance", "Shared Digital", "--as-of", "2019-01-01", "--db", str(db)))
    assert ["camden", "islington", "haringey"] == [row[0] for row in table]
    assert ["haringey", "2", "camden 1, islington 1", "camden 1", "1"] == table[2][:5]
    data = parsed(
        sharedsvc("balance", "Shared Digital", "--as-of", "2019-01-01", "--json", "--db", str(db))
    )
    assert {"partnership", "name", "as_of", "balance"} == set(data)
    assert "2019-01-01" == data["as_of"]
    assert {
        "conceded": 2,
        "conceded_to": {"camden": 1, "islington": 1},
        "received_from": {"camden": 1},
        "ceded": 1,
        "kept": 5,
        "missed": 0,
        "disputes_raised": 1,
    } == data["balance"]["haringey"]
    earlier = parsed(
        sharedsvc("balance", "Shared Digital", "--as-of", "2016-01-01", "--json", "--db", str(db))
    )
    assert 0 == earlier["balance"]["haringey"]["conceded"]


def test_a_missed_obligation_shows_in_the_balance(store: Path) -> None:
    data = parsed(sharedsvc("balance", NAME, "--as-of", "2012-06-01", "--json", "--db", str(store)))
    assert (1, 1) == (data["balance"]["worthing"]["missed"], data["balance"]["worthing"]["kept"])
    assert (1, 1) == (data["balance"]["adur"]["kept"], data["balance"]["adur"]["ceded"])


# -------------------------------------------------------------------------- sovereignty --


def test_sovereignty_shows_a_councils_functions_across_partnerships(store: Path) -> None:
    (row,) = rows(sharedsvc("sovereignty", "adur", "--db", str(store)))
    assert [
        NAME,
        "collaborating",
        "ict.service-desk (ICT service desk)",
        "ceded",
        "adur",
        "2009-10-01",
        "-",
    ] == row[1:]
    (hosted,) = rows(sharedsvc("sovereignty", "worthing", "--db", str(store)))
    assert ("hosted", "adur") == (hosted[4], hosted[5])
    data = parsed(sharedsvc("sovereignty", "adur", "--json", "--db", str(store)))
    assert {"party", "entries"} == set(data)
    (entry,) = data["entries"]
    assert {
        "partnership": NAME,
        "stage": "collaborating",
        "function": {
            "id": "ict.service-desk",
            "name": "ICT service desk",
            "category": "back-office",
        },
        "status": "ceded",
        "from_party": "adur",
        "since": "2009-10-01",
        "until": None,
    } == {key: value for key, value in entry.items() if key != "partnership_id"}
    assert entry["partnership_id"].startswith(row[0])


def test_a_party_with_nothing_ceded_has_an_empty_map(tmp_path: Path) -> None:
    db = tmp_path / "example.db"
    load_example(db)
    ran = sharedsvc("sovereignty", "haringey", "--db", str(db))
    assert 0 == ran.code
    data = parsed(sharedsvc("sovereignty", "camden", "--json", "--db", str(db)))
    assert ["hosted", "hosted"] == [entry["status"] for entry in data["entries"]]
    app = ss.SharedServices.sqlite(db)
    try:
        app.form_partnership(
            "Lewes and Eastbourne",
            parties=[ss.Party("lewes", "Lewes"), ss.Party("eastbourne", "Eastbourne")],
            terms=ss.Terms(cost_pools=(ss.CostPool.equal("ict", ["lewes", "eastbourne"]),)),
            stage=ss.Stage.CO_OPERATING, on=date(2016, 4, 1),
        )  # fmt: skip
    finally:
        app.close()
    ran = sharedsvc("sovereignty", "lewes", "--db", str(db))
    assert (0, "lewes has nothing ceded, returned, inherited or hosted.\n") == (ran.code, ran.out)
    assert {"party": "lewes", "entries": []} == parsed(
        sharedsvc("sovereignty", "lewes", "--json", "--db", str(db))
    )


# ----------------------------------------------------------------------------- refusals --


def test_an_unknown_partnership_is_refused_in_one_line(store: Path) -> None:
    for command in ("readiness", "obligations", "balance"):
        line = sharedsvc(command, "No Such Partnership", "--db", str(store)).refused()
        assert "'No Such Partnership'" in line, command
        assert "sharedsvc list" in line


def test_a_party_of_no_partnership_is_refused(store: Path) -> None:
    line = sharedsvc("sovereignty", "adurr", "--db", str(store)).refused()
    assert "'adurr'" in line
    assert "sharedsvc: no partnership in the store has or had the party" in line
    line = sharedsvc("sovereignty", "Adur", "--db", str(store)).refused(2)
    assert "'Adur' is not a party id" in line


def test_bad_dates_and_statuses_are_usage_errors(store: Path) -> None:
    for command in ("readiness", "obligations", "balance"):
        line = sharedsvc(command, NAME, "--as-of", "2011-13-01", "--db", str(store)).refused(2)
        assert "'2011-13-01' is not a date like 2017-06-01" in line, command
    line = sharedsvc("obligations", NAME, "--status", "late", "--db", str(store)).refused(2)
    assert "'late'" in line
    assert "open" in line


def test_party_and_area_need_the_trend(store: Path) -> None:
    line = sharedsvc("readiness", NAME, "--party", "adur", "--db", str(store)).refused(2)
    assert "--trend" in line


def test_readiness_refuses_an_unknown_party_area_or_an_early_date(store: Path) -> None:
    line = sharedsvc("readiness", NAME, "--trend", "--party", "lewes", "--db", str(store)).refused()
    assert "'lewes'" in line
    line = sharedsvc("readiness", NAME, "--trend", "--area", "morale", "--db", str(store)).refused()
    assert "'morale'" in line
    assert "trust" in line
    line = sharedsvc("readiness", NAME, "--as-of", "2000-01-01", "--db", str(store)).refused()
    assert "2000-01-01" in line


def test_a_missing_store_is_refused(tmp_path: Path) -> None:
    for argv in (("balance", NAME), ("sovereignty", "adur")):
        line = sharedsvc(*argv, "--db", str(tmp_path / "absent.db")).refused()
        assert "no store at" in line
    assert not (tmp_path / "absent.db").exists()


# ---------------------------------------------------------------------------- postgres --


@pytest.mark.postgres
def test_the_commands_read_a_postgres_store(postgres_db: dict[str, Any], tmp_path: Path) -> None:
    url = (
        f"postgresql://{postgres_db['user']}:{postgres_db['password']}@"
        f"{postgres_db['host']}:{postgres_db['port']}/{postgres_db['dbname']}"
    )
    path = tmp_path / "scenario.toml"
    path.write_text(SCENARIO, encoding="utf-8")
    assert 0 == sharedsvc("load", str(path), "--postgres", url).code
    ready = parsed(sharedsvc("readiness", NAME, "--json", "--postgres", url))
    assert ["adur", "worthing"] == list(ready["readiness"])
    owed = parsed(
        sharedsvc("obligations", NAME, "--as-of", "2011-06-01", "--json", "--postgres", url)
    )
    assert ["met", "met", "met", "open"] == [item["status"] for item in owed["obligations"]]
    held = parsed(sharedsvc("balance", NAME, "--as-of", "2012-06-01", "--json", "--postgres", url))
    assert 1 == held["balance"]["worthing"]["missed"]
    ceded = parsed(sharedsvc("sovereignty", "adur", "--json", "--postgres", url))
    assert ["ceded"] == [entry["status"] for entry in ceded["entries"]]
