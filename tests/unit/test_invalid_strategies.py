"""The strategies for invalid input draw what the library refuses, for the rule they are named
after, and a refusal records nothing.

``invalid_cost_pool_shares`` and ``invalid_party_ids`` are refused by the value constructors
(tested with the other strategies); here the verbs refuse invalid party ids, unknown parties,
dates out of order, readiness areas and scores an assessment cannot have, and targets of
nothing or less.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any
from uuid import UUID

import attrs
import pytest
from hypothesis import Phase, find, given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

import sharedsvc as ss
from sharedsvc import testing as strategies
from sharedsvc.domain.values import party_id

FOUNDERS = ("camden", "islington")
DESK = ss.Function("ict.service-desk", "ICT service desk", "back-office")


@attrs.frozen
class Partnership:
    """An application holding one partnership, one handover and one dispute, all dated ``on``."""

    app: ss.SharedServices
    pid: UUID
    hid: UUID
    did: UUID

    @classmethod
    def formed(cls, on: date) -> Partnership:
        app = ss.SharedServices.in_memory()
        pid = app.form_partnership(
            "Shared ICT",
            parties=[ss.Party(p, p.title()) for p in FOUNDERS],
            terms=ss.Terms(cost_pools=(ss.CostPool.equal("ict", FOUNDERS),)),
            on=on,
        )
        hid = app.propose_handover(pid, function=DESK, by="camden", on=on)
        did = app.raise_dispute(pid, by="camden", against=["islington"], subject="fees", on=on)
        return cls(app, pid, hid, did)

    def refuses(self, act: Callable[[], object]) -> ss.RuleViolation:
        """The error ``act`` raises; it must have recorded nothing."""
        before = self.app.highest_position()
        with pytest.raises(ss.RuleViolation) as raised:
            act()
        assert before == self.app.highest_position()
        return raised.value


Verb = Callable[[Partnership, str, date], object]

VERBS_BY_PARTY: dict[str, Verb] = {
    "propose_variation": lambda p, party, on: p.app.propose_variation(
        p.pid, by=party, changes={"casting_vote": True}, on=on
    ),
    "change_stage": lambda p, party, on: p.app.change_stage(
        p.pid, to=ss.Stage.COLLABORATING, by=party, on=on
    ),
    "serve_withdrawal_notice": lambda p, party, on: p.app.serve_withdrawal_notice(
        p.pid, party=party, on=on
    ),
    "propose_handover": lambda p, party, on: p.app.propose_handover(
        p.pid, function=DESK, by=party, on=on
    ),
    "raise_dispute": lambda p, party, on: p.app.raise_dispute(
        p.pid, by=party, against=["camden" if party != "camden" else "islington"],
        subject="fees", on=on,
    ),
    "consent_to_handover": lambda p, party, on: p.app.consent_to_handover(
        p.hid, party=party, on=on
    ),
    "escalate_dispute": lambda p, party, on: p.app.escalate_dispute(p.did, by=party, on=on),
    "propose_settlement": lambda p, party, on: p.app.propose_settlement(
        p.did, by=party, terms={"fees": "halved"}, on=on
    ),
}  # fmt: skip
"""Verbs of each aggregate, each taking its acting party and its date."""

LATEST = date(2020, 6, 30)
FEW = settings(database=None, derandomize=True, max_examples=10, phases=[Phase.generate])
"""A search that fails unless what it looks for is common."""


# --- the verbs refuse what the invalid strategies draw -------------------------------------------


@pytest.mark.parametrize("verb", VERBS_BY_PARTY.values(), ids=list(VERBS_BY_PARTY))
@settings(max_examples=min(settings().max_examples, 50))
@given(day=strategies.dates_out_of_order(after=LATEST))
def test_a_verb_dated_before_the_latest_act_is_refused_for_dates_in_order(
    verb: Verb, day: date
) -> None:
    partnership = Partnership.formed(LATEST)
    assert day < LATEST
    assert "dates-in-order" == partnership.refuses(lambda: verb(partnership, "camden", day)).rule


@pytest.mark.parametrize("verb", VERBS_BY_PARTY.values(), ids=list(VERBS_BY_PARTY))
@settings(max_examples=min(settings().max_examples, 50))
@given(party=strategies.unknown_party_ids(members=FOUNDERS))
def test_a_verb_by_an_unknown_party_is_not_authorised_members_only(verb: Verb, party: str) -> None:
    partnership = Partnership.formed(LATEST)
    assert party not in FOUNDERS
    refused = partnership.refuses(lambda: verb(partnership, party, LATEST))
    assert isinstance(refused, ss.NotAuthorised)
    assert "members-only" == refused.rule


@pytest.mark.parametrize("verb", VERBS_BY_PARTY.values(), ids=list(VERBS_BY_PARTY))
@settings(max_examples=min(settings().max_examples, 50))
@given(party=strategies.invalid_party_ids())
def test_a_verb_by_an_invalid_party_id_is_refused_as_an_invalid_value(
    verb: Verb, party: str
) -> None:
    partnership = Partnership.formed(LATEST)
    refused = partnership.refuses(lambda: verb(partnership, party, LATEST))
    assert "invalid-value" == refused.rule


@settings(max_examples=min(settings().max_examples, 50))
@given(area=strategies.unknown_readiness_areas())
def test_an_assessment_of_an_unknown_area_is_refused_for_readiness_areas(area: str) -> None:
    partnership = Partnership.formed(LATEST)
    refused = partnership.refuses(
        lambda: partnership.app.assess_readiness(
            partnership.pid, party="camden", scores={"trust": 3, area: 3}, on=LATEST
        )
    )
    assert "readiness-areas" == refused.rule


@settings(max_examples=min(settings().max_examples, 50))
@given(score=strategies.invalid_readiness_scores())
def test_an_invalid_score_is_refused_for_readiness_score(score: Any) -> None:
    partnership = Partnership.formed(LATEST)
    refused = partnership.refuses(
        lambda: partnership.app.assess_readiness(
            partnership.pid, party="camden", scores={"trust": score}, on=LATEST
        )
    )
    assert "readiness-score" == refused.rule


@settings(max_examples=min(settings().max_examples, 50))
@given(amount=strategies.invalid_target_amounts())
def test_a_target_of_nothing_or_less_is_refused_as_an_invalid_value(amount: ss.Money) -> None:
    partnership = Partnership.formed(LATEST)
    refused = partnership.refuses(
        lambda: partnership.app.set_target(
            partnership.pid, kind="savings", amount=amount, due=LATEST, by="camden", on=LATEST
        )
    )
    assert "invalid-value" == refused.rule
    assert amount.amount <= 0


def test_near_misses_of_an_area_and_scores_just_out_of_range_are_common() -> None:
    assert "Trust" == find(
        strategies.unknown_readiness_areas(), lambda a: a == "Trust", settings=FEW
    )
    assert 6 == find(strategies.invalid_readiness_scores(), lambda s: s == 6, settings=FEW)
    assert ss.Money(0) == find(
        strategies.invalid_target_amounts(), lambda m: m.amount == 0, settings=FEW
    )


@given(strategies.unknown_readiness_areas(areas=["trust", "communication"]))
def test_unknown_readiness_areas_are_none_of_the_areas_given(area: str) -> None:
    assert area not in ("trust", "communication")


# --- what they draw, and how they are narrowed ---------------------------------------------------


@given(strategies.unknown_party_ids(members=FOUNDERS))
def test_unknown_party_ids_are_valid_ids_of_no_member(party: str) -> None:
    assert party == party_id(party)
    assert party not in FOUNDERS


@given(strategies.unknown_party_ids())
def test_unknown_party_ids_without_members_are_any_valid_id(party: str) -> None:
    assert party == party_id(party)


def test_unknown_party_ids_are_often_near_misses_of_a_member() -> None:
    near = find(
        strategies.unknown_party_ids(members=["camden"]),
        lambda party: party.startswith("camden-"),
        settings=FEW,
    )
    assert near == party_id(near)


@given(st.data())
def test_dates_out_of_order_are_strictly_before_after_and_within_min_value(
    data: st.DataObject,
) -> None:
    after = data.draw(strategies.dates(min_value=date(2000, 1, 2)))
    earliest = data.draw(strategies.dates(max_value=after).filter(lambda d: d < after))
    day = data.draw(strategies.dates_out_of_order(after=after, min_value=earliest))
    assert earliest <= day < after


def test_the_day_before_the_latest_act_is_often_drawn() -> None:
    the_day_before = date(2020, 6, 29)
    assert the_day_before == find(
        strategies.dates_out_of_order(after=LATEST), lambda day: day == the_day_before, settings=FEW
    )


@given(strategies.dates_out_of_order())
def test_dates_out_of_order_default_to_before_the_end_of_the_default_range(day: date) -> None:
    assert strategies.DEFAULT_MIN_DATE <= day < strategies.DEFAULT_MAX_DATE


MISUSES = [
    pytest.param(lambda: strategies.unknown_party_ids(members=[]), id="no members"),
    pytest.param(lambda: strategies.unknown_readiness_areas(areas=[]), id="no areas"),
    pytest.param(lambda: strategies.unknown_party_ids(members="camden"), id="members a string"),
    pytest.param(lambda: strategies.unknown_party_ids(members=["Camden"]), id="bad member id"),
    pytest.param(
        lambda: strategies.dates_out_of_order(after=datetime(2020, 1, 1)), id="after a datetime"
    ),
    pytest.param(lambda: strategies.dates_out_of_order(after=date.min), id="nothing before"),
    pytest.param(
        lambda: strategies.dates_out_of_order(after=LATEST, min_value=LATEST), id="empty range"
    ),
]


@pytest.mark.parametrize("misuse", MISUSES)
def test_a_misused_argument_is_refused_when_the_strategy_is_built(misuse: Any) -> None:
    with pytest.raises(InvalidArgument):
        misuse()
