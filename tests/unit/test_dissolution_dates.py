"""A dissolution takes effect on its effective date: the returns it writes are dated then.

Returns written by a dissolution before 0.2 carry no ``dissolution`` and are dated on the
adoption: they must still read as they were recorded.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any

from councils import CAMDEN, ISLINGTON

from sharedsvc import CostPool, Function, Partnership, SharedServices, Stage, Terms
from sharedsvc.application import project_until

FORMED = date(2016, 1, 4)
ADOPTED = date(2017, 3, 1)
MEANWHILE = date(2017, 5, 1)
ENDS = date(2017, 6, 30)
DESK = Function("ict.service-desk", "ICT service desk", category="back-office")


def dissolving() -> tuple[Partnership, list[Any]]:
    """A pair with a pooled service desk that adopts a dissolution effective on ENDS; its
    events, all pending."""
    partnership = Partnership.form(
        "Shared Digital",
        parties=[CAMDEN, ISLINGTON],
        terms=Terms(cost_pools=(CostPool.equal("ict", [CAMDEN, ISLINGTON]),), host="camden"),
        stage=Stage.CO_OPERATING,
        on=FORMED,
    )
    partnership.pool_function(
        handover_id=partnership.id, from_party="camden", function=DESK, on=FORMED
    )
    vid = partnership.propose_variation(by="camden", dissolve=True, effective=ENDS, on=ADOPTED)
    partnership.approve_variation(vid, party="camden", on=ADOPTED)
    partnership.approve_variation(vid, party="islington", on=ADOPTED)
    return partnership, list(partnership.pending_events)


def pooled_on(events: list[Any], day: date | None) -> list[str]:
    view: Any = project_until(events, day, None)
    return [p.function.id for p in view.pooled.values()]


def test_the_returns_are_dated_on_the_effective_date_and_do_not_move_the_latest_act() -> None:
    partnership, events = dissolving()
    returned = [e for e in events if isinstance(e, Partnership.FunctionReturned)]
    assert [(ENDS, True)] == [(e.on, e.ahead) for e in returned]
    assert (ADOPTED, ENDS) == (partnership.last_on, partnership.dissolved_on)
    assert ["ict.service-desk"] == pooled_on(events, MEANWHILE)
    assert [] == pooled_on(events, ENDS)
    assert [] == pooled_on(events, None)


def test_a_return_recorded_before_0_2_still_reads_as_dated_on_the_adoption() -> None:
    _, events = dissolving()
    legacy = [
        dataclasses.replace(e, on=ADOPTED, dissolution=None)
        if isinstance(e, Partnership.FunctionReturned)
        else e
        for e in events
    ]
    returned = next(e for e in legacy if isinstance(e, Partnership.FunctionReturned))
    assert not returned.ahead
    assert [] == pooled_on(legacy, MEANWHILE)
    assert ["ict.service-desk"] == pooled_on(legacy, date(2017, 2, 1))


def test_a_stored_return_without_the_field_decodes_with_none() -> None:
    app = SharedServices.in_memory()
    _, events = dissolving()
    returned = next(e for e in events if isinstance(e, Partnership.FunctionReturned))
    stored = app.mapper.to_stored_event(returned)
    state = app.mapper.transcoder.decode(stored.state)
    del state["dissolution"]
    old = dataclasses.replace(stored, state=app.mapper.transcoder.encode(state))
    decoded: Any = app.mapper.to_domain_event(old)
    assert (None, False, ENDS) == (decoded.dissolution, decoded.ahead, decoded.on)
