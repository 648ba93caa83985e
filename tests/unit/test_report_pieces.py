"""The small pieces reports are made of: escaping, JSON forms of values, and the timeline's
label layout and colours (all pure: no store, no matplotlib)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from decimal import Decimal
from itertools import pairwise
from uuid import UUID

import pytest

from sharedsvc import (
    Basis,
    CostPool,
    DecisionRef,
    Governance,
    Money,
    Notice,
    Rung,
    StaffArrangement,
    StaffTransfer,
    Stage,
)
from sharedsvc.reports.exports import json_value
from sharedsvc.reports.markdown import escape_markdown
from sharedsvc.reports.text import describe_value
from sharedsvc.reports.timeline_style import (
    STAGE_COLOURS,
    nice_day,
    on_colour,
    party_colour,
    short_name,
    spread,
    stack,
    stage_colour,
)

# --- Markdown escaping ------------------------------------------------------------------------


def test_markdown_escaping_turns_angle_brackets_into_entities() -> None:
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" == escape_markdown("<script>alert(1)</script>")


def test_markdown_escaping_backslashes_table_and_emphasis_punctuation() -> None:
    assert r"a \| b \*c\* \_d\_ \[e\] \`f\` #g" == escape_markdown("a | b *c* _d_ [e] `f` #g")


def test_markdown_escaping_stops_a_hash_from_starting_a_heading() -> None:
    assert r"\# not a heading" == escape_markdown("# not a heading")


def test_markdown_escaping_keeps_a_plain_ampersand_but_breaks_entities() -> None:
    assert "Barking & Dagenham, &amp;lt; kept" == escape_markdown("Barking & Dagenham, &lt; kept")


def test_markdown_escaping_puts_everything_on_one_line() -> None:
    assert "two lines" == escape_markdown("two\n  lines")


# --- JSON forms -------------------------------------------------------------------------------


def test_json_value_of_a_cost_pool_keeps_its_decimal_shares_as_strings() -> None:
    pool = CostPool("ict", Basis.USAGE, {"camden": "33.34", "islington": "66.66"})
    assert {
        "name": "ict",
        "basis": "usage",
        "shares": {"camden": "33.34", "islington": "66.66"},
    } == json_value(pool)


def test_json_value_of_money_notice_and_a_decision_reference() -> None:
    assert {"amount": "125000.00", "currency": "GBP"} == json_value(Money("125000.00"))
    assert {"months": 6, "aligned_to_year_end": True, "year_end": [3, 31]} == json_value(Notice())
    assert {
        "body": "Camden Cabinet",
        "reference": "CAB/2016/03",
        "decided_on": "2016-03-20",
    } == json_value(DecisionRef("Camden Cabinet", "CAB/2016/03", date(2016, 3, 20)))


def test_a_notice_rule_prints_its_year_end_day_first() -> None:
    assert "6 months, at the next year end (31/03)" == describe_value(Notice())
    assert "3 months, at the next year end (01/12)" == describe_value(
        Notice(months=3, year_end=(12, 1))
    )
    assert "12 months" == describe_value(Notice(months=12, aligned_to_year_end=False))


def test_json_value_of_enums_dates_ids_and_collections() -> None:
    moment = datetime(2018, 2, 15, 9, 30, tzinfo=UTC)
    uid = UUID("12345678-1234-5678-1234-567812345678")
    value = {
        "governance": Governance.LEAD_AUTHORITY,
        "stage": Stage.CO_OPERATING,
        "rung": Rung.CHIEF_EXECUTIVES,
        "on": date(2018, 10, 1),
        "at": moment,
        "id": uid,
        "staff": (StaffTransfer(StaffArrangement.TUPE, 48),),
        "share": Decimal("33.30"),
        "parties": frozenset({"islington", "camden"}),
        "nothing": None,
    }
    assert {
        "governance": "lead-authority",
        "stage": "co-operating",
        "rung": "chief-executives",
        "on": "2018-10-01",
        "at": "2018-02-15T09:30:00+00:00",
        "id": "12345678-1234-5678-1234-567812345678",
        "staff": [{"arrangement": "tupe", "count": 48}],
        "share": "33.30",
        "parties": ["camden", "islington"],
        "nothing": None,
    } == json_value(value)


def test_json_value_is_always_something_json_can_write() -> None:
    pool = CostPool.equal("ict", ["camden", "islington", "haringey"])
    written = json.dumps(json_value({"pools": (pool,), "money": Money("-1.5", "EUR")}))
    assert '"shares": {"camden": "33.34", "islington": "33.33", "haringey": "33.33"}' in written


# --- timeline layout --------------------------------------------------------------------------


def test_stack_puts_overlapping_spans_on_new_rows_and_reuses_free_rows() -> None:
    spans = [(0.0, 2.0), (1.0, 3.0), (2.5, 4.0), (3.5, 5.0)]
    assert [0, 1, 0, 1] == stack(spans)


def test_stack_respects_the_gap_and_the_given_order() -> None:
    assert [1, 0] == stack([(2.05, 3.0), (0.0, 2.0)], gap=0.1)
    assert [0, 0] == stack([(2.2, 3.0), (0.0, 2.0)], gap=0.1)


def test_spread_leaves_labels_that_fit_where_they_belong() -> None:
    assert [1.0, 5.0] == spread([1.0, 5.0], [1.0, 1.0], gap=0.5)


def test_spread_lays_colliding_labels_side_by_side_around_where_they_belong() -> None:
    placed = spread([2.0, 2.0, 2.0], [1.0, 1.0, 1.0], gap=0.0)
    assert [1.0, 2.0, 3.0] == placed


def test_spread_never_lets_labels_overlap_and_keeps_their_order() -> None:
    centres, widths = [0.0, 0.1, 0.2, 3.0, 3.05], [1.2, 0.8, 1.5, 1.0, 0.6]
    placed = spread(centres, widths, gap=0.1)
    edges = [(c - w / 2, c + w / 2) for c, w in zip(placed, widths, strict=True)]
    for (_, right), (left, _) in pairwise(edges):
        assert right + 0.1 <= left + 1e-9


@pytest.mark.parametrize(
    ("name", "short"),
    [
        ("London Borough of Camden", "Camden"),
        ("Royal Borough of Kingston upon Thames", "Kingston upon Thames"),
        ("Swale Borough Council", "Swale"),
        ("Kent County Council", "Kent"),
        ("Northmoor District Council", "Northmoor"),
        ("City of London", "City of London"),
        ("Shared Digital", "Shared Digital"),
    ],
)
def test_short_name_drops_the_kind_of_council(name: str, short: str) -> None:
    assert short == short_name(name)


def test_stage_colours_run_from_light_to_dark_along_the_continuum() -> None:
    continuum = tuple(Stage)
    assert list(STAGE_COLOURS) == [stage_colour(s, continuum) for s in continuum]
    short = (Stage.CO_OPERATING, Stage.COMBINING)
    assert (STAGE_COLOURS[0], STAGE_COLOURS[-1]) == tuple(stage_colour(s, short) for s in short)


def test_text_on_a_colour_is_dark_on_light_and_white_on_dark() -> None:
    assert "#ffffff" == on_colour("#0072b2")
    assert "#1f2933" == on_colour("#e69f00")
    assert "#1f2933" == on_colour(STAGE_COLOURS[0])
    assert "#ffffff" == on_colour(STAGE_COLOURS[-1])


def test_party_colours_cycle_after_ten() -> None:
    assert party_colour(0) == party_colour(10)
    assert 10 == len({party_colour(i) for i in range(10)})


def test_nice_day_has_no_leading_zero() -> None:
    assert "1 Oct 2016" == nice_day(date(2016, 10, 1))
