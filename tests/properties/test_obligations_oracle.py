"""On every drawn history, obligations and balance equal the testing kit's recomputation of them
from the store's log (the oracle `PartnershipMachine` checks after every step), on several dates:
the formation, half-way, the last act, and a year after it (when what is still open is
overdue)."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings

import sharedsvc as ss
from sharedsvc.testing import History, histories
from sharedsvc.testing._oracle import expected_balance, expected_obligations, logged_events


def canonical(obligations: list[ss.Obligation]) -> list[ss.Obligation]:
    return sorted(obligations, key=lambda o: (o.due, o.source, o.kind, o.party or "", repr(o)))


def days_of(history: History) -> list[date]:
    last = max([history.formed_on, *(step.on for step in history.steps)])
    return [
        history.formed_on,
        history.formed_on + (last - history.formed_on) / 2,
        last,
        last + timedelta(days=365),
    ]


@settings(max_examples=min(settings().max_examples, 60))
@given(histories())
def test_obligations_and_balance_of_every_history_agree_with_the_log(history: History) -> None:
    app = ss.SharedServices.in_memory()
    pid = history.apply(app).partnership
    events = logged_events(app, pid)
    for day in days_of(history):
        expected = expected_obligations(app, pid, day, events)
        owed = app.obligations(pid, as_of=day)
        assert [(o.due, o.source) for o in owed] == sorted((o.due, o.source) for o in owed)
        assert canonical(expected) == canonical(owed), day
        assert expected_balance(app, pid, day, events, expected) == app.balance(pid, as_of=day)
