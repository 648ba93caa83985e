"""Shared test configuration: Hypothesis profiles and a PostgreSQL database per test run.

This module must not import ``sharedsvc``: it has to load before the package is importable, so
that a broken package shows up as failing tests rather than as a conftest import error.

PostgreSQL
    Tests that need a server are marked ``@pytest.mark.postgres`` and request the ``postgres_db``
    fixture. The fixture connects to ``127.0.0.1:5432`` as ``$SHAREDSVC_PG_USER`` (default
    ``postgres``) with ``$SHAREDSVC_PG_PASSWORD`` (default empty), creates a database of its own
    for the test run, and drops it at the end. If no server answers, those tests are skipped —
    unless ``SHAREDSVC_REQUIRE_POSTGRES=1`` is set (as ``.ci/run`` does), when they fail instead.

Hypothesis
    ``HYPOTHESIS_PROFILE`` selects ``dev`` (the default) or ``ci``. Besides more examples, ``ci``
    runs the slow property work that ``dev`` leaves out: shrinking the counterexamples of
    ``tests/properties/test_machine_teeth.py`` and of the history search in
    ``tests/properties/test_histories.py``.

Time limits
    Every test has one (pytest-timeout, configured in pyproject.toml: 300 s unless a test is
    marked with its own), so a hang fails the run in minutes.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from typing import Any, NoReturn

import pytest
from hypothesis import HealthCheck, settings

# --- Hypothesis -------------------------------------------------------------------------------

# No deadlines in either profile: the machines that run this are shared, and a slow example there
# says more about the neighbours than about the code.
settings.register_profile("dev", max_examples=25, deadline=None)
settings.register_profile(
    "ci",
    max_examples=150,
    derandomize=True,
    deadline=None,
    database=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))


# --- PostgreSQL -------------------------------------------------------------------------------

PG_HOST = "127.0.0.1"
PG_PORT = 5432
PG_CONNECT_TIMEOUT_SECONDS = 3
# How long cleaning a test database waits for a lock before giving up with an error, rather than
# hanging on a connection that a test left open in the middle of a transaction.
PG_LOCK_TIMEOUT = "10s"
TEST_DATABASE_PREFIX = "sharedsvc_test_"

REQUIRE_POSTGRES_VARIABLE = "SHAREDSVC_REQUIRE_POSTGRES"


def _postgres_unavailable(problem: str, reason: str) -> NoReturn:
    """Skip the requesting test, or fail it when PostgreSQL is required."""
    where = f"PostgreSQL {problem} at {PG_HOST}:{PG_PORT} ({reason})"
    fix = (
        "install the 'test' extra, start a server there (on Debian: pg_ctlcluster "
        "--skip-systemctl-redirect $(ls /etc/postgresql) main start), and make "
        "$SHAREDSVC_PG_USER a user that may create databases"
    )
    if os.environ.get(REQUIRE_POSTGRES_VARIABLE) == "1":
        pytest.fail(
            f"{where}. {REQUIRE_POSTGRES_VARIABLE}=1 is set, so tests marked 'postgres' must "
            f"run: {fix}.",
            pytrace=False,
        )
    pytest.skip(f"{where}: {fix}, or set {REQUIRE_POSTGRES_VARIABLE}=1 to fail instead of skip")


def _connect(params: dict[str, Any], *, dbname: str) -> Any:
    """Open an autocommit connection (typed loosely: psycopg is an optional dependency)."""
    import psycopg

    return psycopg.connect(
        host=params["host"],
        port=params["port"],
        user=params["user"],
        password=params["password"],
        dbname=dbname,
        connect_timeout=PG_CONNECT_TIMEOUT_SECONDS,
        autocommit=True,
    )


def _empty_public_schema(params: dict[str, Any]) -> None:
    """Remove everything in schema ``public`` of the test database.

    Dropping and re-creating the schema removes the tables and also the composite types and
    functions that eventsourcing's PostgreSQL recorders create beside them, so the next test
    starts from a store that has never been written to.
    """
    from psycopg import errors, sql

    with _connect(params, dbname=params["dbname"]) as conn:
        conn.execute(sql.SQL("SET lock_timeout = {}").format(sql.Literal(PG_LOCK_TIMEOUT)))
        try:
            conn.execute("DROP SCHEMA IF EXISTS public CASCADE")
        except errors.LockNotAvailable as error:
            msg = (
                f"could not empty test database {params['dbname']!r} within {PG_LOCK_TIMEOUT}: "
                "a connection is still inside a transaction. Close what the test opened "
                "(for an application: app.close()) before the test ends."
            )
            raise RuntimeError(msg) from error
        conn.execute("CREATE SCHEMA public")


@pytest.fixture(scope="session")
def postgres_params() -> Iterator[dict[str, Any]]:
    """Connection parameters for a database created for this test run, dropped at its end."""
    try:
        import psycopg
        from psycopg import sql
    except ImportError as error:
        _postgres_unavailable("not reachable", f"psycopg cannot be imported: {error}")

    params: dict[str, Any] = {
        "dbname": f"{TEST_DATABASE_PREFIX}{secrets.token_hex(4)}",
        "host": PG_HOST,
        "port": PG_PORT,
        "user": os.environ.get("SHAREDSVC_PG_USER", "postgres"),
        "password": os.environ.get("SHAREDSVC_PG_PASSWORD", ""),
    }
    try:
        admin = _connect(params, dbname="postgres")
    except psycopg.Error as error:
        _postgres_unavailable("not reachable", f"{type(error).__name__}: {error}".strip())
    with admin:
        try:
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(params["dbname"])))
        except psycopg.Error as error:
            _postgres_unavailable(
                f"refused to create a test database for user {params['user']!r}",
                f"{type(error).__name__}: {error}".strip(),
            )

    yield params

    with _connect(params, dbname="postgres") as admin:
        admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = %s AND pid <> pg_backend_pid()",
            (params["dbname"],),
        )
        admin.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                sql.Identifier(params["dbname"])
            )
        )


@pytest.fixture
def postgres_db(postgres_params: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """The test run's database, emptied before and after each test that uses it."""
    _empty_public_schema(postgres_params)
    yield dict(postgres_params)
    _empty_public_schema(postgres_params)
