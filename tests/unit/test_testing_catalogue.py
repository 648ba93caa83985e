"""The testing kit reads its acts from the catalogue: every act can be drafted field by field,
the histories' verb table and the machine's rules are the catalogue's, and an act that cannot be
drafted is named.

Whether drafted acts are accepted (so that every act has a working move) is tested with the
histories, in ``tests/properties/test_catalogue_moves.py``.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

import attrs
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine

from sharedsvc import CostPool
from sharedsvc.acts import CATALOGUE, ID_KINDS, Act, refers_to
from sharedsvc.testing import PartnershipMachine
from sharedsvc.testing._drafting import aim, draft, fields, movable, undrawable
from sharedsvc.testing._machine_rules import catalogue_rule
from sharedsvc.testing.histories import VERBS


@attrs.frozen
class _WeighMotion(Act[None]):
    """A throwaway act (its name starts with ``_``, so it joins no catalogue) with a field of
    a type no drawer knows, and one that refers to something of an unknown kind."""

    actor = "by"

    pid: UUID
    by: str = attrs.field(kw_only=True)
    weight: complex = attrs.field(kw_only=True)
    about: UUID | None = attrs.field(kw_only=True, default=None, metadata=refers_to("motion"))
    on: date = attrs.field(kw_only=True)


def test_every_field_of_every_act_has_a_drawer() -> None:
    missing = {verb: undrawable(act) for verb, act in CATALOGUE.items() if undrawable(act)}
    assert not missing, f"no strategy for these fields (add one to _drafting.PLAIN): {missing}"


def test_a_field_of_a_type_no_drawer_knows_is_named() -> None:
    assert ["weight: <class 'complex'>"] == undrawable(_WeighMotion)
    assert ("pid", "partnership") == aim(_WeighMotion)


def test_every_act_but_the_formation_aims_at_an_id_it_is_given_first_or_second() -> None:
    for verb, act in CATALOGUE.items():
        aimed = aim(act)
        if act.creates == "partnership":
            assert aimed is None, verb
            continue
        assert aimed is not None, verb
        field, kind = aimed
        assert ID_KINDS[field] == kind
        assert field in {act.acts_on(), *(f.name for f in fields(act)[1:2])}, verb


def test_the_histories_verb_table_is_the_catalogue_s() -> None:
    assert list(VERBS) == [act.verb for act in movable()]
    assert set(VERBS) == set(CATALOGUE) - {"form_partnership"}
    for verb, (actor, target, creates) in VERBS.items():
        act = CATALOGUE[verb]
        assert (actor, creates) == (act.actor, act.creates)
        assert target in (None, *ID_KINDS.values())
    assert VERBS["state_position"] == ("party", "variation", None)
    assert VERBS["consent_to_handover"] == ("party", "handover", None)
    assert VERBS["propose_variation"] == ("by", None, "variation")


def rule_names(machine: type[RuleBasedStateMachine]) -> set[str]:
    return {rule.function.__name__ for rule in machine.setup_state().rules}


def test_the_machine_has_a_rule_for_every_act_of_the_catalogue() -> None:
    assert set(CATALOGUE) <= rule_names(PartnershipMachine)


def test_a_new_act_gets_a_machine_rule_named_as_its_verb() -> None:
    @attrs.frozen
    class _HoldVote(Act[None]):
        actor = "by"

        pid: UUID
        by: str = attrs.field(kw_only=True)
        motion: str = attrs.field(kw_only=True)
        on: date = attrs.field(kw_only=True)

    _HoldVote.verb = "hold_vote"  # unregistered acts get no verb of their own

    class WithAVote(PartnershipMachine):
        hold_vote = catalogue_rule(_HoldVote)

    assert "hold_vote" in rule_names(WithAVote)


class Members:
    """A setting of three members and nothing recorded yet."""

    today = date(2020, 4, 1)

    def parties(self) -> tuple[str, ...]:
        return ("camden", "islington", "haringey")

    def joiners(self) -> tuple[str, ...]:
        return ("hackney",)

    def pool(self, draw: Any, parties: Any) -> CostPool:
        return CostPool.equal("ict", parties)

    def thing(self, draw: Any, kinds: tuple[str, ...]) -> None:
        return None


@given(st.data())
def test_a_draft_gives_each_field_a_value_of_its_type(data: st.DataObject) -> None:
    act = data.draw(st.sampled_from(movable()))
    ids = {f.name: UUID(int=n) for n, f in enumerate(fields(act)) if f.positional}
    drafted = draft(data.draw, act, Members(), leave=ids)
    if drafted is None:  # a field that must be given names something not recorded yet
        assert any(f.name in ID_KINDS and f.default is attrs.NOTHING for f in fields(act))
        return
    built = act(**ids, **drafted)  # type: ignore[call-arg]
    for field in fields(act):
        value = getattr(built, field.name)
        if field.name not in drafted or value is None:
            continue
        if isinstance(field.hint, type):
            assert isinstance(value, field.hint), (field.name, value)
        if isinstance(value, str):
            assert value in Members().parties()
        if field.hint is date:
            assert value == Members.today
