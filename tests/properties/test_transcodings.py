"""Every value sharedsvc stores reads back from JSON as the value that was written.

The transcoder is set up as ``SharedServices.register_transcodings`` sets up its own:
eventsourcing's transcodings first, then sharedsvc's.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from eventsourcing.persistence import DatetimeAsISO, DecimalAsStr, JSONTranscoder, UUIDAsHex
from hypothesis import given
from hypothesis import strategies as st
from immutabledict import immutabledict

from sharedsvc import testing as strategies
from sharedsvc.domain.policy import Policy
from sharedsvc.domain.readiness import AreaScore, ReadinessGate
from sharedsvc.domain.records import PooledFunction, Succession, Variation, Withdrawal
from sharedsvc.domain.targets import Outcome, Target
from sharedsvc.domain.transfers import DataRole, StaffArrangement, StaffTransfer
from sharedsvc.domain.values import (
    Basis,
    Concession,
    CostPool,
    DecisionRef,
    Function,
    Governance,
    Money,
    Notice,
    Party,
    Rung,
    Stage,
    Terms,
)
from sharedsvc.persistence import ATTRS_TYPES, ENUM_TYPES, register_transcodings


def make_transcoder() -> JSONTranscoder:
    transcoder = JSONTranscoder()
    transcoder.register(UUIDAsHex())
    transcoder.register(DecimalAsStr())
    transcoder.register(DatetimeAsISO())
    register_transcodings(transcoder)
    return transcoder


TRANSCODER = make_transcoder()

# Keys and leaves that JSON gives back as they were: no tuples (JSON has only lists).
_keys = st.text() | st.integers() | strategies.dates() | strategies.stages()
_leaves = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.text()
    | st.decimals(allow_nan=False)
    | strategies.dates()
    | st.uuids()
    | strategies.money()
    | strategies.stages()
)
immutabledicts = st.recursive(
    st.dictionaries(_keys, _leaves, max_size=4).map(immutabledict),
    lambda inner: st.dictionaries(_keys, _leaves | inner, max_size=4).map(immutabledict),
    max_leaves=12,
)

ROUND_TRIPS: dict[type, st.SearchStrategy[Any]] = {
    Party: strategies.parties(),
    Money: st.integers(0, 6).flatmap(lambda p: strategies.money(currency=None, places=p)),
    DecisionRef: strategies.decision_refs(),
    CostPool: st.integers(0, 6).flatmap(lambda p: strategies.cost_pools(places=p)),
    Notice: strategies.notices(),
    Function: strategies.functions(),
    Terms: strategies.terms(),
    Concession: strategies.concessions(),
    Policy: strategies.policies(),
    Variation: strategies.variations(),
    Withdrawal: strategies.withdrawals(),
    PooledFunction: strategies.pooled_functions(),
    Succession: strategies.successions(),
    ReadinessGate: strategies.readiness_gates(),
    AreaScore: strategies.area_scores(),
    Target: strategies.targets(),
    Outcome: strategies.outcomes(),
    Basis: strategies.bases(),
    Governance: strategies.governances(),
    Stage: strategies.stages(),
    Rung: strategies.rungs(),
    StaffTransfer: strategies.staff_transfers(),
    StaffArrangement: strategies.staff_arrangements(),
    DataRole: strategies.data_roles(),
    date: strategies.dates(min_value=date.min, max_value=date.max),
    immutabledict: immutabledicts,
}


def read_back(value: Any) -> Any:
    return TRANSCODER.decode(TRANSCODER.encode(value))


def test_every_stored_value_type_has_a_round_trip_property() -> None:
    assert {*ATTRS_TYPES, *ENUM_TYPES, date, immutabledict} == set(ROUND_TRIPS)


@pytest.mark.parametrize("kind", list(ROUND_TRIPS), ids=lambda kind: kind.__name__)
@given(data=st.data())
def test_a_stored_value_reads_back_equal_and_of_the_same_type(
    kind: type, data: st.DataObject
) -> None:
    expected = data.draw(ROUND_TRIPS[kind], label=kind.__name__)
    actual = read_back(expected)
    assert kind is type(actual)
    assert type(expected) is type(actual)
    assert expected == actual
    # The repr shows what equality forgives: a list for a tuple, 1.0 for 1.00, the key order.
    assert repr(expected) == repr(actual)


def test_a_cost_pool_keeps_the_exact_digits_of_each_share() -> None:
    pool = CostPool.equal("ict", ["a", "b", "c"])
    assert ["33.34", "33.33", "33.33"] == [str(share) for share in read_back(pool).shares.values()]


def test_terms_read_back_with_tuples_where_json_has_lists() -> None:
    pool = CostPool.equal("ict", ["camden", "islington"])
    expected = Terms(cost_pools=(pool,), notice=Notice(year_end=(12, 31)))
    actual = read_back(expected)
    assert tuple is type(actual.cost_pools)
    assert (12, 31) == actual.notice.year_end


def test_an_immutabledict_with_keys_that_are_not_strings_reads_back() -> None:
    expected = immutabledict({Stage.COMBINING: Decimal("1.50"), 3: "x", date(2020, 1, 1): None})
    assert expected == read_back(expected)


def test_a_tuple_inside_a_bare_immutabledict_reads_back_as_a_tuple() -> None:
    expected = immutabledict({"a": (1, 2)})
    assert expected == read_back(expected)
