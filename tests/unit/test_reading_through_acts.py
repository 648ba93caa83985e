"""The read side finds events through the catalogue of acts (:mod:`sharedsvc.acts`), not by
their class names: :func:`~sharedsvc.acts.act_for`, :meth:`~sharedsvc.acts.Act.consequence` and
:func:`~sharedsvc.acts.openings` answer what it asks, and no module outside the domain, the
acts and the audit's one-line summaries names an event class, so that adding an act touches
nothing on the read side but its summary."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import sharedsvc
from sharedsvc import SharedServices
from sharedsvc._scenario.log import partnership_log
from sharedsvc.acts import (
    CATALOGUE,
    AcceptSettlement,
    ApproveVariation,
    FormPartnership,
    ProposeHandover,
    RaiseDispute,
    act_for,
    openings,
)
from sharedsvc.demo import build_shared_digital
from sharedsvc.domain.dated import DatedEvent

SOURCE = Path(sharedsvc.__file__).resolve().parent

MAY_NAME_EVENTS = (
    "domain/",
    "acts/",
    "projections/audit_summaries.py",
    "projections/audit_summaries_",
)
"""Where an event class may be named: the domain (its events module, the aggregate modules that
write and apply it), the acts (what records it, or writes it as a consequence), and its
one-line summary (in `audit_summaries` or one of its modules by subject)."""


def _event_classes() -> set[type]:
    found: set[type] = set()
    todo = [DatedEvent]
    while todo:
        kind = todo.pop()
        for sub in kind.__subclasses__():
            if sub not in found and sub.__module__.startswith("sharedsvc."):
                found.add(sub)
                todo.append(sub)
    return found


EVENT_NAMES = frozenset(kind.__name__ for kind in _event_classes())


def test_every_act_is_found_from_the_event_it_records() -> None:
    for act in CATALOGUE.values():
        assert act_for(act.records) is act, act.__name__


def test_an_event_that_is_only_a_consequence_or_no_event_has_no_act() -> None:
    recorded = {act.records for act in CATALOGUE.values()}
    for act in CATALOGUE.values():
        for consequence in set(act.consequences) - recorded:
            assert act_for(consequence) is None, consequence.__name__
    assert act_for(object()) is None
    assert act_for(str) is None


def test_an_act_is_found_from_each_recorded_event_of_a_history() -> None:
    app = SharedServices.in_memory()
    try:
        pid = build_shared_digital(app)
        events = list(partnership_log(app, pid))
    finally:
        app.close()
    consequences = {kind for act in CATALOGUE.values() for kind in act.consequences}
    assert act_for(events[0]) is FormPartnership
    for event in events:
        act = act_for(event)
        assert (act is not None and act.records is type(event)) or type(event) in consequences


def test_a_consequence_is_named_by_a_field_it_carries() -> None:
    adoption = ApproveVariation.consequence("concessions")
    assert adoption in ApproveVariation.consequences
    assert "approved_by" in adoption.__dataclass_fields__
    assert "party" in ApproveVariation.consequence("party").__dataclass_fields__
    settlement = AcceptSettlement.consequence("concessions")
    assert settlement in AcceptSettlement.consequences
    assert settlement is not adoption


def test_a_consequence_asked_for_ambiguously_or_not_there_is_refused() -> None:
    with pytest.raises(LookupError, match="effective"):  # the adoption, admission, dissolution
        ApproveVariation.consequence("effective")
    with pytest.raises(LookupError, match="none"):
        FormPartnership.consequence("concessions")


def test_the_openings_are_the_proposal_of_a_handover_and_the_raising_of_a_dispute() -> None:
    found = openings()
    assert set(found.values()) == {ProposeHandover, RaiseDispute}
    for topic, act in found.items():
        assert topic == act.records.TOPIC
        assert act.source("pid") == "partnership_id"


def _is_topic(value: object) -> bool:
    return isinstance(value, str) and ":" in value and value.rpartition(".")[2] in EVENT_NAMES


def _names_of_events(path: Path) -> list[str]:
    """Where the module at ``path`` names an event class in code, spells an event's topic, or
    compares a string that is an event class's name or builds a key from one (a dispatch on
    names). A name that is only text (a heading ``"Formed"``) is not a dispatch."""
    found: list[str] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Name) and node.id in EVENT_NAMES:
            found.append(f"{node.id} at line {node.lineno}")
        elif isinstance(node, ast.Attribute) and node.attr in EVENT_NAMES:
            found.append(f".{node.attr} at line {node.lineno}")
        elif isinstance(node, ast.alias) and node.name in EVENT_NAMES:
            found.append(f"import of {node.name}")
        elif isinstance(node, ast.Constant) and _is_topic(node.value):
            found.append(f"topic {node.value!r} at line {node.lineno}")
        elif isinstance(node, ast.Compare | ast.BinOp | ast.Dict):
            parts = (
                [*node.keys, *node.values]
                if isinstance(node, ast.Dict)
                else [node.left, node.right]
                if isinstance(node, ast.BinOp)
                else [node.left, *node.comparators]
            )
            for part in parts:
                for value in ast.walk(part) if part is not None else ():
                    if isinstance(value, ast.Constant) and value.value in EVENT_NAMES:
                        found.append(f"{value.value!r} dispatched on at line {node.lineno}")
    return sorted(set(found))


def test_the_scan_sees_event_names_in_code_and_in_comparisons(tmp_path: Path) -> None:
    module = tmp_path / "example.py"
    module.write_text(
        "from x import StageChanged\n"
        "handlers = {pev.VariationAdopted.TOPIC: 1}\n"
        "deferred = any(e.event == 'DecisionDeferred' for e in trail)\n"
        "label = ('Formed', day)  # a heading, not a dispatch\n"
        "more = {P + 'PartyAdmitted': 1, 'sharedsvc:Dispute.Settled': 2}\n"
    )
    assert _names_of_events(module) == [
        "'DecisionDeferred' dispatched on at line 3",
        "'PartyAdmitted' dispatched on at line 5",
        ".VariationAdopted at line 2",
        "import of StageChanged",
        "topic 'sharedsvc:Dispute.Settled' at line 5",
    ]


def test_no_module_outside_the_domain_the_acts_and_the_summaries_names_an_event() -> None:
    assert {"StageChanged", "VariationAdopted", "Recalled"} <= EVENT_NAMES
    named = {}
    for path in sorted(SOURCE.rglob("*.py")):
        relative = path.relative_to(SOURCE).as_posix()
        if relative.startswith(MAY_NAME_EVENTS):
            continue
        found = _names_of_events(path)
        if found:
            named[relative] = found
    assert named == {}
