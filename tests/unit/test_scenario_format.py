"""Scenario files: a file that is not TOML, a key, value or label the format does not allow, or
an act the library refuses, raises a ScenarioError that names the file, the act and the rule,
and records nothing of the file in the store, however far through it the problem lies."""

from __future__ import annotations

import pickle
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

import sharedsvc as ss
from sharedsvc._scenario.codecs import TERM_FIELDS
from sharedsvc.scenario import ScenarioError, load_scenario, loads_scenario

HEAD = """\
[partnership]
name = "Shared Digital"
on = 2015-09-24

[[parties]]
id = "camden"
name = "London Borough of Camden"

[[parties]]
id = "islington"
name = "London Borough of Islington"

[terms]
host = "camden"
cost_pools = [{ name = "ict", basis = "equal", shares = { camden = "50.00", islington = "50.00" } }]
"""

PROPOSE = """\
[[acts]]
act = "propose_variation"
id = "v1"
on = 2016-02-01
by = "camden"
changes = { sla = "99.5% availability" }
"""

APPROVE_CAMDEN = """\
[[acts]]
act = "approve_variation"
on = 2016-03-01
party = "camden"
variation = "v1"
"""

APPROVE_ISLINGTON = """\
[[acts]]
act = "approve_variation"
on = 2016-03-02
party = "islington"
variation = "v1"
"""

HANDOVER = """\
[[acts]]
act = "propose_handover"
id = "h1"
on = 2016-04-01
by = "islington"
function = { id = "ict.service-desk", name = "ICT service desk", category = "back-office" }
"""


def scenario(*acts: str, head: str = HEAD) -> str:
    return "\n".join([head, *acts])


VALID = scenario(PROPOSE, APPROVE_CAMDEN, APPROVE_ISLINGTON)


@pytest.fixture
def app() -> Iterator[ss.SharedServices]:
    """An in-memory store that already holds a partnership, so that its log is not empty."""
    app = ss.SharedServices.in_memory()
    app.form_partnership(
        "Another",
        parties=[ss.Party("adur", "Adur"), ss.Party("worthing", "Worthing")],
        terms=ss.Terms(cost_pools=(ss.CostPool.equal("ict", ["adur", "worthing"]),)),
        on=date(2010, 1, 1),
    )
    yield app
    app.close()


def refused(app: ss.SharedServices, text: str, name: str = "x.toml") -> ScenarioError:
    """Load ``text``, which must fail, and check that the store is as it was."""
    position, views = app.highest_position(), app.partnerships()
    with pytest.raises(ScenarioError) as caught:
        loads_scenario(app, text, name=name)
    assert position == app.highest_position()
    assert views == app.partnerships()
    return caught.value


# --- a good file, for contrast --------------------------------------------------------------------


def test_a_valid_scenario_loads_through_the_verbs(app: ss.SharedServices) -> None:
    before = app.highest_position()
    pid = loads_scenario(app, VALID)
    view = app.partnership(pid)
    assert "99.5% availability" == view.terms.sla
    assert ("adopted",) == tuple(view.closed_variations.values())
    # formed, proposed, approved, approved and adopted
    assert before + 5 == app.highest_position()


# --- problems before the acts ---------------------------------------------------------------------

BEFORE_THE_ACTS = [
    pytest.param("[partnership\nname = 1", "toml-syntax", None, "not TOML", id="not TOML"),
    pytest.param(
        HEAD.replace("[terms]", "[conditions]"), "scenario-format", None, "'conditions'",
        id="unknown section",
    ),
    pytest.param(
        HEAD.replace("on = 2015-09-24", "on = 2015-09-24\nfounded = 2015-09-09"),
        "scenario-format", "partnership", "'founded' is not a key", id="unknown header key",
    ),
    pytest.param(
        HEAD.replace('on = 2015-09-24', 'on = "2015-09-24"'), "scenario-format", "partnership",
        "without quotes", id="a date as a string",
    ),
    pytest.param(
        HEAD.replace('name = "Shared Digital"\n', ""), "scenario-format", "partnership",
        "needs 'name'", id="no name",
    ),
    pytest.param(
        HEAD.replace('camden = "50.00"', "camden = 50.0"), "scenario-format", "terms",
        "a float is inexact", id="a float share",
    ),
    pytest.param(
        HEAD.replace('camden = "50.00"', 'camden = "49.99"'), "shares-sum-to-100", "terms",
        "sum to 99.99", id="shares that sum to 99.99",
    ),
    pytest.param(
        HEAD.replace('basis = "equal"', 'basis = "EQUAL"'), "scenario-format", "terms",
        "'equal', 'usage'", id="an enum by its name",
    ),
    pytest.param(
        HEAD.replace('name = "London Borough of Camden"', 'name = "London Borough of Camden"\n'
                     'type = "london-borough"'),
        "scenario-format", "parties", "'type' is not a key of parties[0]", id="unknown party key",
    ),
    pytest.param(
        HEAD + '\n[policy]\nladder = ["mediation", "officers"]\n', "invalid-value", "policy",
        "ascending order", id="a ladder out of order",
    ),
    pytest.param(
        HEAD.replace('[[parties]]\nid = "islington"\nname = "London Borough of Islington"\n', "")
        .replace(', islington = "50.00"', "").replace('"50.00"', '"100"'),
        "two-or-more-parties", "partnership", "", id="formation refused",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("text", "rule", "section", "says"), BEFORE_THE_ACTS)
def test_a_problem_before_the_acts_names_its_section_and_records_nothing(
    app: ss.SharedServices, text: str, rule: str, section: str | None, says: str
) -> None:
    error = refused(app, scenario(PROPOSE, head=text))
    assert (rule, None, section) == (error.rule, error.act_index, error.section)
    assert says in error.message
    place = f", {section}" if section else ""
    assert str(error).startswith(f"x.toml{place}: [{rule}] ")


def test_acts_that_are_not_an_array_of_tables_are_refused(app: ss.SharedServices) -> None:
    error = refused(app, "acts = 3\n" + HEAD)
    assert ("scenario-format", None) == (error.rule, error.act_index)
    assert "begin each act with [[acts]]" in error.message


# --- problems in an act ---------------------------------------------------------------------------

IN_AN_ACT = [
    pytest.param(
        [PROPOSE.replace("propose_variation", "propose_varation")], 0, None, "scenario-format",
        "did you mean 'propose_variation'", id="unknown act",
    ),
    pytest.param(
        [PROPOSE.replace('act = "propose_variation"\n', "")], 0, None, "scenario-format",
        "needs 'act'", id="no act",
    ),
    pytest.param(
        [PROPOSE, APPROVE_CAMDEN.replace("party =", "by =")], 1, "approve_variation",
        "scenario-format", "the acting party of approve_variation is 'party'", id="by for party",
    ),
    pytest.param(
        [PROPOSE, APPROVE_CAMDEN.replace('variation = "v1"', 'variation = "v1"\nreason = "x"')],
        1, "approve_variation", "scenario-format", "'reason' is not a key", id="unknown key",
    ),
    pytest.param(
        [PROPOSE.replace("on = 2016-02-01\n", "")], 0, "propose_variation", "scenario-format",
        "needs 'on'", id="no date",
    ),
    pytest.param(
        [PROPOSE.replace('id = "v1"\n', "")], 0, "propose_variation", "scenario-format",
        "needs 'id'", id="no label for what it makes",
    ),
    pytest.param(
        [PROPOSE, APPROVE_CAMDEN.replace('"v1"', '"v9"')], 1, "approve_variation",
        "scenario-format", "'v9' names no variation", id="unknown label",
    ),
    pytest.param(
        [PROPOSE, HANDOVER, APPROVE_CAMDEN.replace('"v1"', '"h1"')], 2, "approve_variation",
        "scenario-format", "names a handover, not a variation", id="label of another kind",
    ),
    pytest.param(
        [PROPOSE, HANDOVER.replace('"h1"', '"v1"')], 1, "propose_handover", "scenario-format",
        "taken by an earlier act", id="label given twice",
    ),
    pytest.param(
        [APPROVE_CAMDEN, PROPOSE], 0, "approve_variation", "scenario-format",
        "names no variation that an earlier act made", id="label used before it is made",
    ),
    pytest.param(
        [PROPOSE.replace('sla = "99.5% availability"', "colour = 'blue'")], 0,
        "propose_variation", "scenario-format", "'colour' is not a key of changes",
        id="unknown term",
    ),
    pytest.param(
        [PROPOSE, "[[acts]]\nact = 'change_stage'\non = 2016-03-01\nby = 'camden'\n"
                  "to = 'merged'\n"],
        1, "change_stage", "scenario-format", "'co-operating'", id="unknown stage",
    ),
    pytest.param(
        [PROPOSE, HANDOVER, "[[acts]]\nact = 'raise_dispute'\nid = 'd1'\non = 2016-05-01\n"
                            "by = 'camden'\nagainst = ['islington']\nsubject = 'cost'\n"
                            "variation = 'v1'\nhandover = 'h1'\n"],
        2, "raise_dispute", "scenario-format", "once", id="two disputed acts",
    ),
    pytest.param(
        [PROPOSE, HANDOVER, "[[acts]]\nact = 'raise_dispute'\nid = 'd1'\non = 2016-05-01\n"
                            "by = 'camden'\nagainst = ['islington']\nsubject = 'cost'\n",
         "[[acts]]\nact = 'state_dispute_position'\non = 2016-05-02\nparty = 'camden'\n"
         "dispute = 'd1'\nposition = { cost = { type = 'euros', value = '1' } }\n"],
        3, "state_dispute_position", "scenario-format", "position.cost.type",
        id="unknown type of value",
    ),
    pytest.param(
        [PROPOSE.replace("on = 2016-02-01", "on = 2016-02-01T09:00:00")], 0,
        "propose_variation", "scenario-format", "a date", id="a date-time for a date",
    ),
    pytest.param(
        [PROPOSE, "[[acts]]\nact = 'settle_exit_payment'\non = 2016-03-01\nparty = 'camden'\n"
                  "amount = 250000\n"],
        1, "settle_exit_payment", "scenario-format", '"125000.00 EUR"', id="money not a string",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("acts", "index", "verb", "rule", "says"), IN_AN_ACT)
def test_a_problem_in_an_act_names_the_act_and_records_nothing(
    app: ss.SharedServices, acts: list[str], index: int, verb: str | None, rule: str, says: str
) -> None:
    error = refused(app, scenario(*acts))
    assert (index, verb, rule) == (error.act_index, error.verb, error.rule)
    assert says in error.message
    assert error.section is None


# --- acts the library refuses ---------------------------------------------------------------------

REFUSED = [
    pytest.param(
        [PROPOSE, APPROVE_CAMDEN, APPROVE_CAMDEN.replace("2016-03-01", "2016-03-02")], 2,
        "approve_variation", "approve-once", ss.RuleViolation,
        id="approving twice",
    ),
    pytest.param(
        [PROPOSE, APPROVE_CAMDEN, APPROVE_ISLINGTON,
         APPROVE_ISLINGTON.replace("2016-03-02", "2016-03-03")],
        3, "approve_variation", "variation-closed", ss.RuleViolation, id="a closed variation",
    ),
    pytest.param(
        [PROPOSE, APPROVE_CAMDEN.replace('"camden"', '"hackney"')], 1, "approve_variation",
        "members-only", ss.NotAuthorised, id="an outsider",
    ),
    pytest.param(
        [PROPOSE, APPROVE_CAMDEN.replace("2016-03-01", "2016-01-01")], 1, "approve_variation",
        "dates-in-order", ss.RuleViolation, id="a date before the latest act",
    ),
    pytest.param(
        [PROPOSE, HANDOVER, "[[acts]]\nact = 'effect_handover'\non = 2016-05-01\n"
                            "handover = 'h1'\n"],
        2, "effect_handover", "handover-needs-every-consent", ss.RuleViolation,
        id="a handover without consent",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("acts", "index", "verb", "rule", "cause"), REFUSED)
def test_an_act_the_library_refuses_is_reported_under_its_rule_and_nothing_is_recorded(
    app: ss.SharedServices,
    acts: list[str],
    index: int,
    verb: str,
    rule: str,
    cause: type[ss.RuleViolation],
) -> None:
    text = scenario(*acts)
    error = refused(app, text, name="examples/x.toml")
    assert (index, verb, rule) == (error.act_index, error.verb, error.rule)
    assert cause is type(error.__cause__)
    assert error.__cause__.rule == rule  # type: ignore[union-attr]
    line = [n for n, row in enumerate(text.split("\n"), 1) if row == "[[acts]]"][index]
    assert line == error.line
    assert str(error).startswith(f"examples/x.toml, act {index} ({verb}, line {line}): [{rule}] ")


def test_an_act_on_nothing_is_not_found_and_records_nothing(app: ss.SharedServices) -> None:
    consent = "[[acts]]\nact = 'consent_to_handover'\non = 2016-05-01\nparty = 'camden'\n"
    withdraw = "[[acts]]\nact = 'withdraw_handover'\non = 2016-05-01\nby = 'islington'\n"
    text = scenario(HANDOVER, withdraw + "handover = 'h1'\n", consent + "handover = 'h1'\n")
    error = refused(app, text)
    assert (2, "handover-closed") == (error.act_index, error.rule)


def test_the_error_pickles_with_everything_it_says(app: ss.SharedServices) -> None:
    error = refused(app, scenario(PROPOSE, APPROVE_CAMDEN, APPROVE_CAMDEN))
    copy = pickle.loads(pickle.dumps(error))
    assert (str(error), error.act_index, error.rule, error.line) == (
        str(copy), copy.act_index, copy.rule, copy.line
    )  # fmt: skip


def test_a_file_is_named_by_its_path(app: ss.SharedServices, tmp_path: Path) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(scenario(PROPOSE, APPROVE_CAMDEN.replace("v1", "v2")), encoding="utf-8")
    position = app.highest_position()
    with pytest.raises(ScenarioError) as caught:
        load_scenario(app, path)
    assert str(path) == caught.value.file
    assert str(caught.value).startswith(f"{path}, act 1 (approve_variation, line ")
    assert position == app.highest_position()


def test_the_error_is_a_shared_service_error_and_a_value_error(app: ss.SharedServices) -> None:
    error = refused(app, "not toml at all")
    assert isinstance(error, ss.SharedServiceError)
    assert isinstance(error, ValueError)


def test_every_term_has_a_form_in_a_scenario() -> None:
    assert set(ss.Terms.field_names()) == set(TERM_FIELDS)
