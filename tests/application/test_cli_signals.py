"""In a real process: a reader that stops early (``sharedsvc export | head``) is not an error,
and Ctrl-C ends a command with exit code 130 and one line."""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest
from cli_harness import command, load_example, subprocess_env

TIMEOUT = 60


@pytest.fixture
def store(tmp_path: Path) -> Path:
    db = tmp_path / "s.db"
    load_example(db)
    return db


@pytest.mark.parametrize(
    "argv",
    [
        ("export",),
        ("audit", "Shared Digital", "--format", "jsonl"),
        ("list",),
    ],
)
def test_a_reader_that_stops_early_ends_the_command_quietly_with_0(
    store: Path, argv: tuple[str, ...]
) -> None:
    # The shell's `sharedsvc ... | head -1`, made certain: the reader has gone before the
    # command writes a byte, so the very first write fails with a broken pipe.
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        done = subprocess.run(
            command(*argv, "--db", str(store)),
            stdout=write_end,
            stderr=subprocess.PIPE,
            env=subprocess_env(),
            text=True,
            timeout=TIMEOUT,
            check=False,
        )
    finally:
        os.close(write_end)
    assert (0, "") == (done.returncode, done.stderr)


def _wait_for_a_reader(fifo: Path) -> int:
    """Open ``fifo`` for writing once a reader has it open; the writer's descriptor."""
    deadline = time.monotonic() + TIMEOUT
    while True:
        try:
            return os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
        except OSError as error:
            if error.errno != errno.ENXIO or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


def _interrupt(process: subprocess.Popen[str]) -> tuple[str, str]:
    """Press Ctrl-C, and again every two seconds while the process runs on, as a person would.

    The first press can land in the instant between the reader's ``open`` of the pipe and its
    ``read``: CPython notes the signal there but raises ``KeyboardInterrupt`` only once the
    blocking ``read`` returns, which it never does. Pressing again interrupts the ``read``
    itself."""
    deadline = time.monotonic() + TIMEOUT
    while True:
        process.send_signal(signal.SIGINT)
        try:
            return process.communicate(timeout=2)
        except subprocess.TimeoutExpired:
            if time.monotonic() > deadline:
                raise


def test_ctrl_c_exits_130_with_one_line(tmp_path: Path) -> None:
    # `load` blocks reading a named pipe that never ends: a command at work, interrupted.
    fifo = tmp_path / "scenario.toml"
    os.mkfifo(fifo)
    loading = subprocess.Popen(
        command("load", str(fifo), "--db", str(tmp_path / "s.db")),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=subprocess_env(),
        text=True,
    )
    writer = _wait_for_a_reader(fifo)
    try:
        out, err = _interrupt(loading)
    finally:
        os.close(writer)
        if loading.poll() is None:
            loading.kill()
            loading.communicate()
    assert 130 == loading.returncode, err
    assert "Traceback" not in err
    assert ["sharedsvc: interrupted"] == err.strip().splitlines()
    assert "" == out
    assert not (tmp_path / "s.db").exists()
