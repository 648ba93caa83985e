"""What-if forks of any history: a fork never changes the store it came from (its event count
and checkpoint root), and a fork at any date whose later acts are replayed unchanged is the
same partnership as the record, every act standing, what each made under the record's id."""

from __future__ import annotations

import contextlib
from datetime import date, timedelta

import attrs
from hypothesis import given
from hypothesis import strategies as st

import sharedsvc as ss
from sharedsvc.testing import History, histories


def cut(history: History, offset: int) -> date:
    """A date from the formation to a little after the history's last step."""
    last = max([history.formed_on, *(step.on for step in history.steps)])
    span = (last - history.formed_on).days + 2
    return history.formed_on + timedelta(days=offset % span)


@given(histories(max_steps=25), st.integers(min_value=0, max_value=10_000))
def test_a_fork_never_changes_the_store_it_came_from(history: History, offset: int) -> None:
    app = ss.SharedServices.in_memory()
    try:
        pid = history.apply(app).partnership
        count, checkpoint = app.highest_position(), app.checkpoint()
        at = cut(history, offset)
        fork = app.fork(pid, at=at)
        with contextlib.suppress(ss.SharedServiceError):  # a fork's own act, where it stands
            fork.note(pid, kind="what-if", text="a fork's own act", by=_member(fork, pid), on=at)
        fork.replay_rest()
        fork.fork(pid, at=at).replay_rest()
        app.compare(pid, fork)
        assert count == app.highest_position()
        assert checkpoint.root == app.checkpoint().root
        assert app.verify(against=checkpoint).ok
    finally:
        app.close()


@given(histories(max_steps=25), st.integers(min_value=0, max_value=10_000))
def test_replaying_the_rest_unchanged_reproduces_the_record(history: History, offset: int) -> None:
    app = ss.SharedServices.in_memory()
    try:
        ids = history.apply(app)
        pid = ids.partnership
        fork = app.fork(pid, at=cut(history, offset))
        assert {outcome for _, _, outcome in fork.copied} == {"ok"}
        assert {outcome for _, _, outcome in fork.replay_rest()} <= {"ok"}
        assert app.compare(pid, fork).same
        mine, theirs = fork.partnership(pid), app.partnership(pid)
        assert theirs == attrs.evolve(mine, recorded_at=theirs.recorded_at)
        for hid in ids.handovers:
            assert app.handover(hid).status == fork.handover(hid).status
        for did in ids.disputes:
            assert app.dispute(did).status == fork.dispute(did).status
        assert [e.summary for e in app.audit_trail(pid)] == [
            e.summary for e in fork.audit_trail(pid)
        ]
    finally:
        app.close()


def _member(app: ss.SharedServices, pid: object) -> str:
    view = app.partnership(pid)  # type: ignore[arg-type]
    return (view.active_parties or view.members_at_dissolution or tuple(view.parties))[0]
