"""Each aggregate's state is declared once; the initial state, the cache's copy and the snapshot
are derived from the declaration, and a snapshot restores an aggregate equal to the live one."""

from __future__ import annotations

import copy
import dataclasses
import importlib
import pkgutil
from collections.abc import Callable, Collection, Iterator, Sequence
from datetime import date
from typing import Any

import pytest
from councils import CAMDEN, HARINGEY, ISLINGTON

from sharedsvc import (
    CostPool,
    DataRole,
    DecisionRef,
    Dispute,
    Function,
    Money,
    Partnership,
    SharedServices,
    SovereigntyHandover,
    StaffArrangement,
    StaffTransfer,
    Stage,
    Terms,
)
from sharedsvc.domain.aggregate import SharedAggregate
from sharedsvc.domain.dispute import DisputeStatus
from sharedsvc.domain.handover import HandoverStatus
from sharedsvc.domain.partnership import events
from sharedsvc.domain.records import VariationStatus

ON = date(2016, 1, 4)
DESK = Function("ict.service-desk", "ICT service desk", category="back-office")
AGGREGATES: tuple[type[SharedAggregate], ...] = (Partnership, SovereigntyHandover, Dispute)


def cabinet(party: str) -> DecisionRef:
    return DecisionRef(f"{party.title()} Cabinet", "CAB/1", ON)


def busy() -> tuple[Partnership, SovereigntyHandover, Dispute]:
    """A partnership, a handover and a dispute with something in every container."""
    parties = (CAMDEN, ISLINGTON)
    terms = Terms(cost_pools=(CostPool.equal("ict", parties),), host="camden")
    p = Partnership.form("Busy", parties=parties, terms=terms, stage=Stage.COLLABORATING, on=ON)
    thirds = CostPool.equal("ict", [CAMDEN, ISLINGTON, HARINGEY])
    joining = p.propose_variation(
        by="camden", admit=[HARINGEY], changes={"cost_pools": (thirds,)}, on=ON
    )
    for party in ("camden", "islington", "haringey"):
        p.approve_variation(joining, party=party, on=ON)
    refused = p.propose_variation(by="islington", changes={"sla": "95%"}, on=ON)
    p.reject_variation(refused, party="camden", on=ON)
    open_one = p.propose_variation(by="camden", changes={"sla": "99%"}, on=ON)
    p.state_position(open_one, party="islington", position={"sla": "98%"}, on=ON)
    p.serve_withdrawal_notice(party="haringey", on=ON)
    p.determine_exit_costs(party="haringey", amount=Money("10.50"), by="camden", on=ON)
    h = SovereigntyHandover.propose(
        p, function=DESK, by="islington", staff=[StaffTransfer(StaffArrangement.TUPE, 3)],
        assets=["laptops"], data_role=DataRole.JOINT_CONTROLLERS, on=ON,
    )  # fmt: skip
    for party in ("camden", "islington", "haringey"):
        h.consent(p, party=party, ref=cabinet(party), on=ON)
    h.effect(p, on=ON)
    d = Dispute.raise_(
        p, by="haringey", against=["camden"], subject="sla", act=open_one, defer=True, on=ON
    )
    d.escalate(by="camden", reason="no progress", on=ON)
    d.state_position(party="haringey", position={"sla": "98%"}, on=ON)
    d.propose_settlement(by="camden", terms={"sla": "99%"}, on=ON)
    d.accept_settlement(party="camden", on=ON)
    return p, h, d


def test_every_field_of_a_live_aggregate_is_declared() -> None:
    for aggregate in busy():
        declared = set(type(aggregate).declared_state.names)
        assert declared == {name for name in vars(aggregate) if not name.startswith("_")}


def test_a_snapshot_written_to_the_store_and_read_back_restores_an_equal_aggregate() -> None:
    app = SharedServices.in_memory()
    restored: list[Any] = []
    for aggregate in busy():
        record = aggregate.collect_events()  # as once saved
        snapshot = type(aggregate).Snapshot.take(aggregate)
        read_back: Any = app.mapper.to_domain_event(app.mapper.to_stored_event(snapshot))
        restored.append(read_back.mutate(None))
        restored[-1].attach_record(reading(record))  # as SharedServices does on each load
        assert aggregate == restored[-1]  # every attribute, containers and tuples included
    partnership, handover, dispute = restored
    assert {VariationStatus} == {type(status) for status in partnership.closed.values()}
    assert (HandoverStatus, DisputeStatus) == (type(handover.status), type(dispute.status))
    app.close()


def reading(record: Sequence[Any]) -> Callable[[Collection[str]], Iterator[Any]]:
    """What SharedServices gives a loaded aggregate: its events with the given topics."""
    return lambda topics: (event for event in record if type(event).TOPIC in topics)


def snapshot_with(partnership: Partnership, state: dict[str, Any]) -> Any:
    """A snapshot of ``partnership`` holding ``state``."""
    return Partnership.Snapshot(
        originator_id=partnership.id,
        originator_version=partnership.version,
        timestamp=partnership.modified_on,
        topic=Partnership.TOPIC,
        state=state,
    )


def restore(partnership: Partnership, state: dict[str, Any]) -> Any:
    """``partnership`` restored from a snapshot holding ``state``."""
    return snapshot_with(partnership, state).mutate(None)


def test_a_snapshot_leaves_out_closed_variations_and_the_record_answers_for_them() -> None:
    partnership, _, _ = busy()
    record = partnership.collect_events()
    state = Partnership.Snapshot.take(partnership).state
    assert "closed" not in state
    restored = restore(partnership, state)
    assert not restored.closed.complete
    with pytest.raises(LookupError, match="load it through SharedServices"):
        restored.closed.get(next(iter(partnership.closed)))
    read: list[Collection[str]] = []

    def past(topics: Collection[str]) -> Iterator[Any]:
        read.append(topics)
        return reading(record)(topics)

    restored.attach_record(past)
    view = restored.closed.frozen()
    assert [] == read  # nothing is read until asked
    assert dict(partnership.closed) == dict(restored.closed)
    assert 1 == len(read)  # once
    assert dict(partnership.closed) == dict(view)  # the view reads on its own


def test_a_snapshot_does_not_grow_with_closed_variations() -> None:
    def snapshot_size(variations: int) -> int:
        partnership, _, _ = busy()
        for number in range(variations):
            vid = partnership.propose_variation(by="camden", changes={"sla": f"{number}%"}, on=ON)
            partnership.reject_variation(vid, party="islington", reason="no", on=ON)
        snapshot = Partnership.Snapshot.take(partnership)
        return len(SharedServices.in_memory().mapper.to_stored_event(snapshot).state)

    assert snapshot_size(0) == snapshot_size(50)


def test_a_snapshot_keeps_no_field_that_only_a_dated_view_sets() -> None:
    partnership, _, _ = busy()
    partnership.cutoff = ON
    state = Partnership.Snapshot.take(partnership).state
    assert {"scheduled", "cutoff"}.isdisjoint(state)
    kept = set(Partnership.declared_state.names) - {"scheduled", "cutoff", "closed"}
    assert kept <= set(state)
    restored = restore(partnership, state)
    assert (None, {}) == (restored.cutoff, restored.scheduled)


def test_statuses_are_enums_equal_to_their_stored_strings() -> None:
    partnership, handover, dispute = busy()
    assert {VariationStatus.ADOPTED, VariationStatus.REJECTED} == set(partnership.closed.values())
    assert {"adopted", "rejected"} == set(partnership.closed.values())
    assert HandoverStatus.EFFECTED is handover.status
    assert "effected" == handover.status
    assert DisputeStatus.OPEN is dispute.status
    assert "the dispute is open" == f"the dispute is {dispute.status}"


def test_the_cache_copy_is_equal_and_a_command_on_it_leaves_the_original_alone() -> None:
    for aggregate in busy():
        aggregate.collect_events()
        twin = copy.deepcopy(aggregate)
        assert aggregate == twin
        for name in type(aggregate).declared_state.containers:
            assert getattr(aggregate, name) is not getattr(twin, name)
    partnership, _, _ = busy()
    twin = copy.deepcopy(partnership)
    twin.retract_withdrawal_notice(party="haringey", on=ON)
    assert ["haringey"] == list(partnership.withdrawals)
    assert {} == twin.withdrawals


def test_the_initial_state_takes_every_declared_field_given_or_its_default() -> None:
    declared = Partnership.declared_state
    with pytest.raises(TypeError, match="not fields of the declared state"):
        declared.initial({"nmae": "typo"})
    with pytest.raises(TypeError, match="'name' has no default"):
        declared.initial({})
    partnership, _, _ = busy()
    given = {name: getattr(partnership, name) for name in ("name", "policy", "terms", "stage")}
    state = declared.initial({**given, "formed_on": ON, "last_on": ON})
    assert declared.names == tuple(state)
    assert ([], {}, None) == (state["active"], state["variations"], state["dissolved_on"])


def test_no_aggregate_is_made_a_dataclass_by_an_annotation_in_its_class_body() -> None:
    for kind in (SharedAggregate, *AGGREGATES):
        assert not dataclasses.is_dataclass(kind), kind
        assert "__init__" not in vars(kind), kind


def test_an_aggregate_has_its_events_as_attributes_without_eventsourcing_redefining_them() -> None:
    assert Partnership.StageChanged is events.StageChanged
    assert Partnership.Snapshot is events.PartnershipSnapshot
    for kind in AGGREGATES:
        named = 0
        for namespace in kind.__mro__[1].__mro__:  # the partnership's joins one a subject
            for name, value in vars(namespace).items():
                if isinstance(value, type):
                    assert value is vars(kind)[name], f"{kind.__name__}.{name}"
                    named += 1
        assert named >= 8, kind


def test_every_event_in_the_partnership_events_modules_is_named_on_the_partnership() -> None:
    named = {value for value in vars(Partnership).values() if isinstance(value, type)}
    found = []
    for info in pkgutil.iter_modules(events.__path__, f"{events.__name__}."):
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            if isinstance(value, type) and value.__module__ == info.name and "TOPIC" in vars(value):
                assert value in named, f"add {name} to the list at the end of {info.name}"
                assert getattr(events, name) is value, f"re-export {name} from {events.__name__}"
                found.append(name)
    assert len(found) >= 21, found


def test_a_version_4_snapshot_with_closed_variations_is_read_without_them() -> None:
    partnership, _, _ = busy()
    record = partnership.collect_events()
    state = dict(Partnership.Snapshot.take(partnership).state)
    state["class_version"] = 4  # as written before version 5: with every closed status
    state["closed"] = {vid.hex: str(status) for vid, status in partnership.closed.items()}
    app = SharedServices.in_memory()
    stored = app.mapper.to_stored_event(snapshot_with(partnership, state))
    restored: Any = app.mapper.to_domain_event(stored).mutate(None)
    assert not restored.closed.complete  # the upcaster passed the old statuses over
    restored.attach_record(reading(record))
    assert partnership == restored
    app.close()
