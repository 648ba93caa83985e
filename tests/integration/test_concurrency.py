"""Processes working on one store at once, on SQLite and PostgreSQL (issue 11).

Real processes (``spawn``), started together at a barrier or on an event, never by sleeping;
every wait is bounded. Two replays at once lose nothing (the second waits for the first, or is
refused with ``ReadModelsBusy`` and writes nothing); checkpoints succeed while another process
records; eight processes open a new PostgreSQL store at once.
"""

from __future__ import annotations

import multiprocessing
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import concurrency_workers as workers
import pytest

from sharedsvc import SharedServices
from sharedsvc.demo import build_shared_digital
from sharedsvc.projections.read_models import ReadModels

SPAWN = multiprocessing.get_context("spawn")
RESULT_WAIT = 180.0  # seconds for a process's result (a spawned process imports the library)


def run_all(processes: list[Any], out: Any, expected: int | None = None) -> list[tuple[Any, ...]]:
    """Start ``processes`` and gather a result from each (or ``expected`` results)."""
    for process in processes:
        process.start()
    try:
        return [out.get(timeout=RESULT_WAIT) for _ in range(expected or len(processes))]
    finally:
        for process in processes:
            process.join(30)
            if process.is_alive():
                process.terminate()
                process.join(10)


def everything(models: ReadModels, pids: list[Any]) -> dict[str, Any]:
    store = models.store
    return {
        "position": models.position,
        "counts": dict(models.iter_counts()),
        "rows": [
            (store.trail_rows(p.hex), store.compromise_rows(p.hex), store.version_rows(p.hex))
            for p in pids
        ],
    }


class ConcurrencyContract:
    @pytest.fixture
    def spec(self) -> tuple[str, Any]:
        raise NotImplementedError

    @pytest.fixture
    def filled(self, spec: tuple[str, Any]) -> Iterator[tuple[list[Any], dict[str, Any]]]:
        """A store of six histories (300 events) and its read models as one replay makes
        them."""
        app = workers.open_store(spec)
        try:
            pids = [build_shared_digital(app) for _ in range(6)]
            models = ReadModels(app)
            assert app.highest_position() == models.replay()
            yield pids, everything(models, pids)
        finally:
            app.close()

    def test_two_replays_at_once_lose_nothing(
        self, spec: tuple[str, Any], filled: tuple[list[Any], dict[str, Any]]
    ) -> None:
        pids, expected = filled
        out, barrier = SPAWN.Queue(), SPAWN.Barrier(2)
        results = run_all(
            [
                SPAWN.Process(target=workers.replay, args=(spec, barrier, 10, None, out))
                for _ in range(2)
            ],
            out,
        )
        assert [("ok", expected["position"])] * 2 == results  # the second waited its turn
        app = workers.open_store(spec)
        try:
            models = ReadModels(app)
            assert expected == everything(models, pids)
            assert 0 == models.catch_up()
        finally:
            app.close()

    def test_a_replay_that_cannot_wait_is_refused_and_writes_nothing(
        self, spec: tuple[str, Any], filled: tuple[list[Any], dict[str, Any]]
    ) -> None:
        pids, expected = filled
        app = workers.open_store(spec)
        try:
            models = ReadModels(app)
            out, barrier = SPAWN.Queue(), SPAWN.Barrier(1)
            with models.store.lock(30):  # this process is rebuilding them
                [result] = run_all(
                    [SPAWN.Process(target=workers.replay, args=(spec, barrier, 10, 0.5, out))],
                    out,
                )
            assert ("error", "ReadModelsBusy") == result[:2]
            assert "another process is rebuilding or catching up" in result[2]
            assert expected == everything(models, pids)
        finally:
            app.close()

    def test_checkpoints_succeed_while_another_process_records(self, spec: tuple[str, Any]) -> None:
        out, started, stop = SPAWN.Queue(), SPAWN.Event(), SPAWN.Event()
        writer = SPAWN.Process(target=workers.write_until, args=(spec, started, stop, out))
        writer.start()
        try:
            assert started.wait(RESULT_WAIT), "the writer never recorded anything"
            barrier = SPAWN.Barrier(2)
            results = run_all(
                [
                    SPAWN.Process(target=workers.checkpoints, args=(spec, barrier, 10, out))
                    for _ in range(2)
                ],
                out,
            )
            assert writer.is_alive()  # the checkpoints were taken while it wrote
        finally:
            stop.set()
            wrote = out.get(timeout=RESULT_WAIT)
            writer.join(30)
        assert "ok" == wrote[0], wrote
        assert wrote[1] >= 1
        assert ["ok", "ok"] == [result[0] for result in results], results
        for _, sizes in results:
            assert sizes == sorted(sizes)
            assert sizes[0] > 0
        app = workers.open_store(spec)
        try:
            assert app.verify(against=app.checkpoint()).ok
        finally:
            app.close()


class TestConcurrencyOnSQLite(ConcurrencyContract):
    @pytest.fixture
    def spec(self, tmp_path: Path) -> tuple[str, Any]:
        return ("sqlite", str(tmp_path / "store.db"))


@pytest.mark.postgres
class TestConcurrencyOnPostgres(ConcurrencyContract):
    @pytest.fixture
    def spec(self, postgres_db: dict[str, Any]) -> tuple[str, Any]:
        return ("postgres", postgres_db)

    def test_the_runner_waits_while_a_catch_up_holds_the_read_models(
        self, spec: tuple[str, Any], filled: tuple[list[Any], dict[str, Any]]
    ) -> None:
        import psycopg

        pids, expected = filled
        params = spec[1]
        env = {
            **os.environ,
            "PERSISTENCE_MODULE": "eventsourcing.postgres",
            "POSTGRES_DBNAME": params["dbname"],
            "POSTGRES_HOST": params["host"],
            "POSTGRES_PORT": str(params["port"]),
            "POSTGRES_USER": params["user"],
            "POSTGRES_PASSWORD": params["password"],
        }
        app = workers.open_store(spec)
        runner = None
        try:
            models = ReadModels(app)
            with models.store.lock(30):  # this process is working on them
                pids.append(build_shared_digital(app))
                runner = subprocess.Popen(
                    [sys.executable, "-m", "sharedsvc.projections.runner"], env=env
                )
                with psycopg.connect(**params, autocommit=True) as conn:
                    deadline = time.monotonic() + RESULT_WAIT
                    while not conn.execute(
                        "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
                    ).fetchone()[0]:  # type: ignore[index]
                        assert time.monotonic() < deadline, "the runner never waited"
                        assert runner.poll() is None, "the runner stopped"
                        time.sleep(0.05)
                assert expected["position"] == models.position  # it wrote nothing meanwhile
                assert 50 == models.catch_up()  # the holder goes on, its lock taken again
            # let go: the runner passes over what the catch-up applied, then follows the log
            pids.append(build_shared_digital(app))
            deadline = time.monotonic() + RESULT_WAIT
            while models.position < app.highest_position():
                assert time.monotonic() < deadline, f"the runner stopped at {models.position}"
                assert runner.poll() is None, "the runner stopped"
                time.sleep(0.05)
            followed = everything(models, pids)
            models.replay()
            assert followed == everything(models, pids)
        finally:
            if runner is not None:
                runner.terminate()
                runner.wait(30)
            app.close()

    def test_eight_processes_open_a_new_store_at_once(self, spec: tuple[str, Any]) -> None:
        out, barrier = SPAWN.Queue(), SPAWN.Barrier(8)
        results = run_all(
            [SPAWN.Process(target=workers.open_all, args=(spec, barrier, out)) for _ in range(8)],
            out,
        )
        assert [("ok", 0)] * 8 == results


def test_the_workers_open_what_they_are_given(tmp_path: Path) -> None:
    app = workers.open_store(("sqlite", str(tmp_path / "x.db")))
    try:
        assert isinstance(app, SharedServices)
    finally:
        app.close()
