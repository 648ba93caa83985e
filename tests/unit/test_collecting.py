"""The garbage collector held off while the read models apply events: turned back on by the
last of several holders, and left off if something else had turned it off."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from sharedsvc import SharedServices
from sharedsvc.demo import build_shared_digital
from sharedsvc.projections.collecting import paused
from sharedsvc.projections.read_models import ReadModels


@pytest.fixture(autouse=True)
def collector_on() -> Iterator[None]:
    gc.enable()
    yield
    gc.enable()


def test_paused_turns_collection_off_and_back_on() -> None:
    with paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_collection_comes_back_when_the_last_holder_is_done() -> None:
    outer = paused()
    outer.__enter__()
    with paused():
        assert not gc.isenabled()
    assert not gc.isenabled()  # the outer one still holds it
    outer.__exit__(None, None, None)
    assert gc.isenabled()


def test_collection_comes_back_after_an_error() -> None:
    def stopping() -> None:
        with paused():
            raise ValueError("stop")

    with pytest.raises(ValueError, match="stop"):
        stopping()
    assert gc.isenabled()


def test_collection_turned_off_elsewhere_stays_off() -> None:
    gc.disable()
    with paused():
        pass
    assert not gc.isenabled()


def test_a_replay_and_a_catch_up_leave_collection_on() -> None:
    app = SharedServices.in_memory()
    build_shared_digital(app)
    models = ReadModels(app)
    seen: list[bool] = []
    assert app.highest_position() == models.replay(progress=lambda _: seen.append(gc.isenabled()))
    assert [False] == seen[-1:]  # off while it worked
    assert gc.isenabled()
    assert 0 == models.catch_up()
    assert gc.isenabled()
