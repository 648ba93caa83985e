"""Edge cases of the value types found while reviewing them: each is refused with a rule code
or handled as Python's protocols expect."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from eventsourcing.persistence import DatetimeAsISO, DecimalAsStr, JSONTranscoder, UUIDAsHex
from immutabledict import immutabledict

from sharedsvc import Concession, CostPool, Money, Policy, RuleViolation, Rung, Stage
from sharedsvc.persistence import register_transcodings


def transcoder() -> JSONTranscoder:
    t = JSONTranscoder()
    for transcoding in (UUIDAsHex(), DecimalAsStr(), DatetimeAsISO()):
        t.register(transcoding)
    register_transcodings(t)
    return t


def test_adding_a_number_to_money_is_a_type_error_not_an_attribute_error() -> None:
    with pytest.raises(TypeError):
        Money(1) + 1  # type: ignore[operator]


@pytest.mark.parametrize("amount", ["1e999999999", "1e16", "0.0000000000001"])
def test_money_out_of_range_is_refused(amount: str) -> None:
    with pytest.raises(RuleViolation) as caught:
        Money(amount)
    assert "invalid-value" == caught.value.rule


def test_money_at_the_edge_of_the_range_is_accepted() -> None:
    assert Decimal("999999999999999.99") == Money("999999999999999.99").amount


def test_an_equal_pool_refuses_a_party_listed_twice() -> None:
    with pytest.raises(RuleViolation) as caught:
        CostPool.equal("ict", ["camden", "camden"])
    assert "invalid-value" == caught.value.rule


def test_a_concession_refuses_a_rationale_that_is_not_text() -> None:
    with pytest.raises(RuleViolation):
        Concession("camden", "notice", 6, 12, rationale=42)  # type: ignore[arg-type]


def test_a_concession_about_a_set_can_be_stored_and_read_back() -> None:
    wanted = Concession("camden", "scope", {"ict", "legal"}, {"ict"})
    t = transcoder()
    assert wanted == t.decode(t.encode(wanted))


def test_a_mapping_whose_keys_look_like_a_typed_value_reads_back_as_a_mapping() -> None:
    tricky = immutabledict({"_type_": "decimal_str", "_data_": "1"})
    t = transcoder()
    assert tricky == t.decode(t.encode(tricky))


def test_a_mapping_with_tuple_keys_reads_back_with_tuple_keys() -> None:
    keyed = immutabledict({(1, 2): "a"})
    t = transcoder()
    assert keyed == t.decode(t.encode(keyed))


def test_the_next_rung_of_a_rung_not_on_the_ladder_is_refused() -> None:
    short = Policy(ladder=(Rung.OFFICERS, Rung.ARBITRATION))
    with pytest.raises(RuleViolation) as caught:
        short.next_rung(Rung.MEDIATION)
    assert "invalid-value" == caught.value.rule


def test_a_default_minimum_that_is_not_a_stage_is_refused() -> None:
    with pytest.raises(RuleViolation):
        Policy(default_minimum="banana")  # type: ignore[arg-type]


def test_stage_minimums_refuse_a_category_that_is_not_a_slug() -> None:
    with pytest.raises(RuleViolation):
        Policy(stage_minimums={"Back Office": Stage.CO_OPERATING})


def test_a_continuum_that_is_not_a_sequence_is_refused() -> None:
    with pytest.raises(RuleViolation):
        Policy(continuum=5)  # type: ignore[arg-type]


def test_dates_are_stored_as_iso_text() -> None:
    assert b'{"_type_":"date_iso","_data_":"2016-10-01"}' == transcoder().encode(date(2016, 10, 1))
