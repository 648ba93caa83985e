"""``recharges``: the table, ``--json`` and ``--csv`` of what each council pays in a financial
year, from budgets and usage loaded with ``sharedsvc load`` (so the two acts go through a
scenario file too); the recharge statement as Markdown and HTML; refusals; PostgreSQL."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from cli_harness import sharedsvc

import sharedsvc as ss
from sharedsvc.reports import (
    recharge_statement,
    render_recharges_html,
    render_recharges_markdown,
)

NAME = "West London Legal"

SCENARIO = """
[partnership]
name = "West London Legal"
stage = "co-operating"
on = 2023-04-01

[[parties]]
id = "brent"
name = "London Borough of Brent"

[[parties]]
id = "ealing"
name = "London Borough of Ealing"

[[parties]]
id = "harrow"
name = "London Borough of Harrow"

[[terms.cost_pools]]
name = "ict"
basis = "equal"
shares = { brent = "33.34", ealing = "33.33", harrow = "33.33" }

[[terms.cost_pools]]
name = "legal"
basis = "usage"
shares = { brent = "50", ealing = "25", harrow = "25" }

[[acts]]
act = "set_budget"
on = 2024-02-01
by = "brent"
pool = "ict"
year = 2024
amount = "12000000"
ref = { body = "Joint Committee", reference = "JC/2024/2", decided_on = 2024-02-01 }

[[acts]]
act = "set_budget"
on = 2024-02-01
by = "brent"
pool = "legal"
year = 2024
amount = "300000"

[[acts]]
act = "record_usage"
on = 2025-04-30
by = "harrow"
pool = "legal"
year = 2024
usage = { brent = "410", ealing = "95.5", harrow = 0 }
"""

ICT = {"brent": "4000800.00", "ealing": "3999600.00", "harrow": "3999600.00"}
LEGAL = {"brent": "243323.44", "ealing": "56676.56", "harrow": "0.00"}


@pytest.fixture
def store(tmp_path: Path) -> Path:
    path = tmp_path / "scenario.toml"
    path.write_text(SCENARIO, encoding="utf-8")
    db = tmp_path / "s.db"
    loaded = sharedsvc("load", str(path), "--db", str(db))
    assert 0 == loaded.code, loaded.err
    return db


def parsed(args: tuple[str, ...]) -> Any:
    ran = sharedsvc(*args)
    assert 0 == ran.code, ran.err
    return json.loads(ran.out)


def test_json_gives_each_pools_recharges_to_the_penny(store: Path) -> None:
    record = parsed(("recharges", NAME, "--year", "2024", "--json", "--db", str(store)))
    assert {"partnership", "name", "year", "from", "to", "recharges"} == set(record)
    assert (NAME, 2024, "2024-04-01", "2025-03-31") == (
        record["name"], record["year"], record["from"], record["to"]
    )  # fmt: skip
    assert {"ict": ICT, "legal": LEGAL} == record["recharges"]


def test_csv_has_a_row_a_pool_and_party(store: Path) -> None:
    ran = sharedsvc("recharges", NAME, "--year", "2024", "--csv", "--db", str(store))
    assert 0 == ran.code, ran.err
    rows = list(csv.reader(io.StringIO(ran.out)))
    assert ["pool", "party", "name", "amount", "currency"] == rows[0]
    assert ["ict", "brent", "London Borough of Brent", "4000800.00", "GBP"] == rows[1]
    assert 7 == len(rows)


def test_the_table_names_the_year_and_every_amount(store: Path) -> None:
    ran = sharedsvc("recharges", NAME, "--year", "2024", "--db", str(store))
    assert 0 == ran.code, ran.err
    assert ran.out.startswith(f"{NAME}: financial year 2024, 2024-04-01 to 2025-03-31")
    for amount in ("£4,000,800.00", "£3,999,600.00", "£243,323.44", "£56,676.56"):
        assert amount in ran.out


def test_a_year_without_budgets_has_no_pools(store: Path) -> None:
    record = parsed(("recharges", NAME, "--year", "2025", "--json", "--db", str(store)))
    assert {} == record["recharges"]


def test_refusals_are_one_line(store: Path) -> None:
    assert "no partnership" in sharedsvc(
        "recharges", "Nowhere", "--year", "2024", "--db", str(store)
    ).refused().lower()  # fmt: skip
    sharedsvc("recharges", NAME, "--db", str(store)).refused(2)
    sharedsvc("recharges", NAME, "--year", "x", "--db", str(store)).refused(2)
    sharedsvc("recharges", NAME, "--year", "2024", "--json", "--csv", "--db", str(store)).refused(2)


def test_the_statement_reads_as_markdown_and_html(store: Path) -> None:
    app = ss.SharedServices.sqlite(store)
    try:
        pid = app.partnership_ids().__next__()
        statement = recharge_statement(app, pid, 2024)
        assert "ict" == next(iter(statement.charges))
        assert ss.Money("12000000") == statement.total("ict")
        markdown = render_recharges_markdown(statement).replace("\u2011", "-")
        html = render_recharges_html(statement)
    finally:
        app.close()
    assert markdown.startswith(f"# Recharges: {NAME}\n")
    assert "2024-04-01 to 2025-03-31" in markdown
    assert "| London Borough of Ealing | ealing | £56,676.56 |" in markdown
    assert "| Total |   | £300,000.00 |" in markdown
    assert html.startswith("<!DOCTYPE html>")
    assert '<td class="num">£4,000,800.00</td>' in html


@pytest.mark.postgres
def test_recharges_read_a_postgres_store(postgres_db: dict[str, Any], tmp_path: Path) -> None:
    url = (
        f"postgresql://{postgres_db['user']}:{postgres_db['password']}@"
        f"{postgres_db['host']}:{postgres_db['port']}/{postgres_db['dbname']}"
    )
    path = tmp_path / "scenario.toml"
    path.write_text(SCENARIO, encoding="utf-8")
    assert 0 == sharedsvc("load", str(path), "--postgres", url).code
    record = parsed(("recharges", NAME, "--year", "2024", "--json", "--postgres", url))
    assert {"ict": ICT, "legal": LEGAL} == record["recharges"]
