"""How a partnership's `Policy` is written in a scenario file: its continuum, ladder and
stage minimums, its deadlines (the days a dispute may sit at each rung, as a table keyed by
the rung's value) and its readiness areas and stage gates (a table of gates by the value of
the stage each guards). Built from the codecs of `.codecs`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sharedsvc._scenario.codecs import (
    INTEGER,
    TEXT,
    Codec,
    array,
    at,
    enumeration,
    mapping,
    record,
    table,
)
from sharedsvc.domain.policy import Policy
from sharedsvc.domain.readiness import ReadinessGate
from sharedsvc.domain.values import Rung, Stage

__all__ = ["POLICY", "READINESS_GATE", "RUNG_DAYS", "STAGE_GATES"]


def _decode_rung_days(data: object, path: str) -> dict[Rung, int]:
    given = table(data, path, [rung.value for rung in Rung])
    return {
        enumeration(Rung).decode(key, path): INTEGER.decode(value, at(path, key))
        for key, value in given.items()
    }


RUNG_DAYS = Codec(
    _decode_rung_days, lambda days: {rung.value: count for rung, count in days.items()}
)
"""The days a dispute may sit at each rung, as a table keyed by the rung's value."""
READINESS_GATE = record(
    ReadinessGate,
    {"minimum": INTEGER, "within_months": INTEGER, "areas": array(TEXT)},
    ("minimum",),
)


def _decode_gates(data: object, path: str) -> dict[Stage, ReadinessGate]:
    gates = mapping(READINESS_GATE).decode(data, path)
    stage = enumeration(Stage)
    return {stage.decode(key, at(path, key)): gate for key, gate in gates.items()}


def _encode_gates(gates: Mapping[Stage, ReadinessGate]) -> dict[str, Any]:
    return {stage.value: READINESS_GATE.encode(gate) for stage, gate in gates.items()}


STAGE_GATES = Codec(_decode_gates, _encode_gates)
"""A policy's readiness gates: a table of gates by the value of the stage each guards."""

POLICY = record(
    Policy,
    {
        "continuum": array(enumeration(Stage)),
        "ladder": array(enumeration(Rung)),
        "stage_minimums": mapping(enumeration(Stage)),
        "default_minimum": enumeration(Stage),
        "share_places": INTEGER,
        "exit_payment_days": INTEGER,
        "rung_days": RUNG_DAYS,
        "consent_days": INTEGER,
        "readiness_areas": array(TEXT),
        "stage_gates": STAGE_GATES,
    },
)
