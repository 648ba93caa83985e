"""What the processes of ``test_concurrency.py`` run (a module of its own, so that a process
started with ``spawn`` can import it). Each opens the store itself, waits at a barrier or an
event for its cue, and puts what happened on ``out``: ``("ok", value)`` or
``("error", exception type name, message)``."""

from __future__ import annotations

from typing import Any

from sharedsvc import SharedServices
from sharedsvc.demo import build_shared_digital

CUE = 60.0  # how long a process waits for its cue (seconds)


def open_store(spec: tuple[str, Any]) -> SharedServices:
    """The store ``("sqlite", path)`` or ``("postgres", connection parameters)``."""
    kind, where = spec
    if kind == "sqlite":
        return SharedServices.sqlite(where)
    return SharedServices.postgres(**where)


def _report(out: Any, work: Any) -> None:
    try:
        out.put(("ok", work()))
    except Exception as error:
        out.put(("error", type(error).__name__, str(error)))


def replay(spec: tuple[str, Any], barrier: Any, batch: int, wait: float | None, out: Any) -> None:
    """Replay the read models as soon as every process is ready."""
    from sharedsvc.projections.read_models import ReadModels

    app = open_store(spec)
    try:
        models = ReadModels(app)
        options: dict[str, Any] = (
            {"batch": batch} if wait is None else {"batch": batch, "wait": wait}
        )
        barrier.wait(CUE)
        _report(out, lambda: models.replay(**options))
    finally:
        app.close()


def write_until(spec: tuple[str, Any], started: Any, stop: Any, out: Any) -> None:
    """Record partnerships' histories, one after another, until ``stop`` is set (``started``
    once the first is recorded)."""

    def work() -> int:
        app = open_store(spec)
        try:
            count = 0
            while not stop.is_set():
                build_shared_digital(app)
                count += 1
                started.set()
            return count
        finally:
            app.close()

    _report(out, work)


def checkpoints(spec: tuple[str, Any], barrier: Any, times: int, out: Any) -> None:
    """Take ``times`` checkpoints as soon as every process is ready; their sizes."""
    app = open_store(spec)
    try:
        barrier.wait(CUE)
        _report(out, lambda: [app.checkpoint().size for _ in range(times)])
    finally:
        app.close()


def open_all(spec: tuple[str, Any], barrier: Any, out: Any) -> None:
    """Open the store (its tables, its read models' tables, its Merkle log's) as soon as
    every process is ready."""
    from sharedsvc.projections.read_models import ReadModels

    barrier.wait(CUE)

    def work() -> int:
        app = open_store(spec)
        try:
            ReadModels(app)
            return app.checkpoint().size
        finally:
            app.close()

    _report(out, work)
