"""The read models' builder decodes only the events a read model follows: of the others the
trail needs only the legal date, which it reads from the stored bytes where eventsourcing always
writes it, and decodes the state when it is anywhere else."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import orjson
import pytest

from sharedsvc import SharedServices
from sharedsvc._adapters.wire import legal_date
from sharedsvc.demo import build_shared_digital
from sharedsvc.projections import builder as builder_module
from sharedsvc.projections.builder import ReadModelBuilder

PID = "ab" * 16
STATED = "sharedsvc:Partnership.PositionStated"  # the trail alone follows it
TIMESTAMP = {"_type_": "datetime_iso", "_data_": "2019-04-01T09:38:41.000000+00:00"}


def on(day: str) -> dict[str, str]:
    return {"_type_": "date_iso", "_data_": day}


def stored_states() -> list[bytes]:
    app = SharedServices()
    build_shared_digital(app)
    rows = app.recorder.select_notifications(start=1, limit=10_000)
    return [row.state for row in rows]


def test_the_legal_date_of_every_stored_event_is_read_without_decoding() -> None:
    states = stored_states()
    assert len(states) > 40
    for state in states:
        data = orjson.loads(state)
        if "originator_topic" in data:  # an aggregate's first event, its topic second
            assert legal_date(state) is None
        else:
            assert data["on"]["_data_"] == legal_date(state)


@pytest.mark.parametrize(
    "state",
    [
        orjson.dumps({"on": on("2020-01-02"), "timestamp": TIMESTAMP}),  # another order
        b'{"timestamp": {"_type_": "datetime_iso", "_data_": "2019-04-01"}, "on": '
        b'{"_type_": "date_iso", "_data_": "2020-01-02"}}',  # spaced
        orjson.dumps(
            {"timestamp": TIMESTAMP, "x": {"on": on("1999-01-01")}, "on": on("2020-01-02")}
        ),
        orjson.dumps({"timestamp": TIMESTAMP, "on": on("2020\\u002d01-02")}),  # an escape
        orjson.dumps({"timestamp": TIMESTAMP, "on": {"_data_": "2020-01-02"}}),
        b'{"timestamp":{"_type_":"datetime_iso","_data_":"2019',  # cut short
        memoryview(orjson.dumps({"timestamp": TIMESTAMP, "on": on("2020-01-02")})),
    ],
)
def test_a_legal_date_written_otherwise_is_left_to_the_decoder(state: bytes) -> None:
    assert legal_date(state) is None


def test_the_trail_has_the_same_date_however_the_state_is_written() -> None:
    written = [
        orjson.dumps({"timestamp": TIMESTAMP, "on": on("2020-01-02"), "party": "camden"}),
        orjson.dumps({"party": "camden", "on": on("2020-01-02"), "timestamp": TIMESTAMP}),
        orjson.dumps(
            {"timestamp": TIMESTAMP, "x": {"on": on("1999-01-01")}, "on": on("2020-01-02")}
        ),
    ]
    for state in written:
        rows = ReadModelBuilder().add_all([(7, PID, 3, STATED, state)])
        assert {PID: [(7, None, 3, "PositionStated", "2020-01-02")]} == rows.trail


def test_only_the_events_a_read_model_follows_are_decoded(monkeypatch: pytest.MonkeyPatch) -> None:
    app = SharedServices()
    build_shared_digital(app)
    stored = [
        (row.id, row.originator_id.hex, row.originator_version, row.topic, row.state)
        for row in app.recorder.select_notifications(start=1, limit=10_000)
    ]
    expected = ReadModelBuilder().add_all(stored)
    decoded: list[Any] = []

    def loads(state: bytes) -> Any:
        decoded.append(state)
        return orjson.loads(state)

    monkeypatch.setattr(builder_module, "orjson", SimpleNamespace(loads=loads, dumps=orjson.dumps))
    builder = ReadModelBuilder()
    rows = builder.add_all(stored)
    assert (expected.trail, expected.versions, expected.compromises) == (
        rows.trail,
        rows.versions,
        rows.compromises,
    )
    trail_only = {
        topic
        for topic, (_, _, handler, opening) in builder._topics.items()
        if handler is None and opening is None
    }
    assert STATED in trail_only
    states = [d for d in decoded if type(d) is bytes]  # the builder also decodes its own text
    assert [s for *_, topic, s in stored if topic not in trail_only] == states
