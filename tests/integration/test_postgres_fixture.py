"""The ``postgres_db`` fixture gives each test an empty database of the test run's own."""

from __future__ import annotations

import re
from typing import Any

import pytest

pytestmark = pytest.mark.postgres


def _connect(params: dict[str, Any]) -> Any:
    # Imported here, after the fixture has checked that psycopg and a server are available.
    import psycopg

    return psycopg.connect(
        host=params["host"],
        port=params["port"],
        user=params["user"],
        password=params["password"],
        dbname=params["dbname"],
        autocommit=True,
    )


def _public_tables(conn: Any) -> list[str]:
    rows = conn.execute(
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
    ).fetchall()
    return [row[0] for row in rows]


def test_the_database_is_made_for_this_test_run(postgres_db: dict[str, Any]) -> None:
    assert re.fullmatch(r"sharedsvc_test_[0-9a-f]{8}", postgres_db["dbname"])
    with _connect(postgres_db) as conn:
        (current,) = conn.execute("SELECT current_database()").fetchone()
    assert postgres_db["dbname"] == current


def test_a_row_written_to_the_database_can_be_read_back(postgres_db: dict[str, Any]) -> None:
    with _connect(postgres_db) as conn:
        conn.execute("CREATE TABLE probe (id integer PRIMARY KEY, name text NOT NULL)")
        conn.execute("INSERT INTO probe (id, name) VALUES (%s, %s)", (1, "camden"))
        rows = conn.execute("SELECT id, name FROM probe").fetchall()
    assert [(1, "camden")] == rows


@pytest.mark.parametrize("attempt", [1, 2])
def test_each_test_starts_with_an_empty_public_schema(
    postgres_db: dict[str, Any], attempt: int
) -> None:
    # The second attempt finds the first attempt's table unless the fixture emptied the schema.
    with _connect(postgres_db) as conn:
        assert [] == _public_tables(conn)
        conn.execute("CREATE TYPE leftover_type AS (n integer)")
        conn.execute("CREATE TABLE leftover (n leftover_type)")
        assert ["leftover"] == _public_tables(conn)
