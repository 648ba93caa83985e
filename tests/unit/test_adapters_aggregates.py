"""What ``sharedsvc._adapters.aggregates`` assumes of eventsourcing's aggregates and snapshots.

Each test pins one assumption. If an eventsourcing upgrade fails one, the message says which
assumption broke: change ``sharedsvc/_adapters/aggregates.py`` (and nothing else should need to).
"""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

from eventsourcing.domain import Aggregate, Snapshot
from eventsourcing.utils import resolve_topic

from sharedsvc import CostPool, Dispute, Partnership, Party, SovereigntyHandover, Stage, Terms
from sharedsvc._adapters.aggregates import (
    PRIVATE_ATTRIBUTES,
    RECORDED_TIMES,
    copy_aggregate,
    create,
    upcast_v1_snapshot_state,
)

UPGRADE = "eventsourcing changed how {}: update sharedsvc/_adapters/aggregates.py"
ON = date(2016, 1, 4)


def pair() -> Partnership:
    parties = (Party("camden", "Camden"), Party("islington", "Islington"))
    terms = Terms(cost_pools=(CostPool.equal("ict", parties),), host="camden")
    return Partnership.form("Shared", parties=parties, terms=terms, stage=Stage.CO_OPERATING, on=ON)


class Counter(Aggregate):
    """A plain eventsourcing aggregate, to pin eventsourcing's own behaviour."""

    class_version = 3

    def __init__(self) -> None:
        self.count = 0
        self.seen: list[int] = []

    @staticmethod
    def upcast_v1_v2(state: dict[str, Any]) -> None:
        state["count"] = state.pop("total")

    @staticmethod
    def upcast_v2_v3(state: dict[str, Any]) -> None:
        state["seen"] = list(range(state["count"]))


class Opened(Aggregate):
    """An aggregate created by a creation event of its own class."""

    class Started(Aggregate.Created):
        name: str

        def apply(self, aggregate: Any) -> None:
            aggregate.name = self.name


def test_an_aggregate_is_created_from_a_creation_event_of_its_own_class() -> None:
    opened = create(Opened, Opened.Started, name="first", id=Opened.create_id())
    assert ("first", 1) == (opened.name, opened.version), UPGRADE.format("_create works")
    assert [Opened.Started] == [type(e) for e in opened.pending_events], UPGRADE.format(
        "_create records the creation event"
    )


def test_an_aggregate_keeps_its_id_version_times_and_pending_events_in_private_attributes() -> None:
    counter = Counter()
    assert {*PRIVATE_ATTRIBUTES, "count", "seen"} == set(vars(counter)), UPGRADE.format(
        "an aggregate keeps its id, version, recorded times and pending events"
    )
    private = {name: vars(counter)[name] for name in PRIVATE_ATTRIBUTES}
    public = [counter.id, counter.version, counter.created_on, counter.modified_on]
    assert public == list(private.values())[:4], UPGRADE.format("the private attributes are named")
    assert counter.pending_events is private["_pending_events"]


def test_the_copy_shares_values_copies_the_containers_named_and_has_no_pending_events() -> None:
    partnership = pair()
    partnership.collect_events()
    partnership.change_stage(to=Stage.COLLABORATING, by="camden", on=ON)
    twin = copy_aggregate(partnership, ["active", "parties"])
    assert partnership.pending_events
    assert not twin.pending_events
    assert vars(partnership) | {"_pending_events": []} == vars(twin)
    assert twin.active is not partnership.active
    assert twin.parties is not partnership.parties
    assert twin.terms is partnership.terms
    assert twin.pooled is partnership.pooled
    twin.change_stage(to=Stage.CO_OPERATING, by="camden", on=ON)
    assert (Stage.COLLABORATING, 2) == (partnership.stage, partnership.version)
    assert (Stage.CO_OPERATING, 3) == (twin.stage, twin.version)


def test_each_aggregate_is_copied_with_its_declared_containers() -> None:
    for kind in (Partnership, SovereigntyHandover, Dispute):
        assert kind.declared_state.containers, kind
    partnership = pair()
    twin = copy.deepcopy(partnership)
    for name in Partnership.declared_state.containers:
        assert getattr(twin, name) == getattr(partnership, name)
        assert getattr(twin, name) is not getattr(partnership, name), name


def test_a_snapshot_state_is_the_aggregates_attributes_without_id_version_and_pending() -> None:
    counter = Counter()
    state = Snapshot.take(counter).state
    assert {"_created_on", "_modified_on", "count", "seen", "class_version"} == set(state), (
        UPGRADE.format("Snapshot.take writes the aggregate's attributes")
    )
    assert 3 == state["class_version"], UPGRADE.format("Snapshot.take records class_version")


def test_restoring_a_snapshot_upcasts_its_state_with_the_aggregates_upcasters() -> None:
    counter = Counter()
    state = Snapshot.take(counter).state
    del state["class_version"], state["count"], state["seen"]
    state["total"] = 2  # as version 1 of Counter kept it
    old = Snapshot(
        originator_id=counter.id,
        originator_version=counter.version,
        timestamp=counter.modified_on,
        topic=Snapshot.take(counter).topic,
        state=state,
    )
    restored: Any = old.mutate(None)
    assert (2, [0, 1]) == (restored.count, restored.seen), UPGRADE.format(
        "Snapshot.mutate upcasts with upcast_vN_vM on the aggregate class"
    )
    assert (counter.id, counter.version, []) == (
        restored.id,
        restored.version,
        restored.pending_events,
    )


def test_a_version_1_snapshot_state_is_upcast_to_eventsourcings_shape() -> None:
    partnership = pair()
    state = Partnership.Snapshot.take(partnership).state
    del state["class_version"]
    old_name = {new: old for old, new in RECORDED_TIMES.items()}
    version_1 = {old_name.get(key, key): value for key, value in state.items()}
    assert {"created_on", "modified_on"} <= set(version_1)
    upcast_v1_snapshot_state(version_1)
    assert state == version_1


def test_a_snapshot_topic_resolves_through_its_aggregates_topic() -> None:
    # sharedsvc does not register its snapshot classes' topics: eventsourcing resolves
    # "sharedsvc:Partnership.Snapshot" as the attribute Snapshot of "sharedsvc:Partnership".
    for kind in (Partnership, SovereigntyHandover, Dispute):
        topic = kind.Snapshot.TOPIC
        assert f"{kind.TOPIC}.Snapshot" == topic
        assert kind.Snapshot is resolve_topic(topic), UPGRADE.format("topics are resolved")
