"""histories(): valid event histories of a whole partnership, as data that replays anywhere.

A [`History`][sharedsvc.testing.History] is a formation and a tuple of
[`Step`][sharedsvc.testing.Step] s, each one call of a public verb of
[`SharedServices`][sharedsvc.SharedServices]. Steps name the variations, handovers and disputes they
act on by their order of creation (``v0``, ``h1``, ``d0``), so a history replays on any store, and
[`History.apply`][sharedsvc.testing.History.apply] returns the ids it made there. Printed, a history
is the script of its verb calls, which runs as it reads with ``app``, ``date`` and sharedsvc's names
in scope::

    from hypothesis import given
    from sharedsvc import SharedServices
    from sharedsvc.testing import histories

    @given(histories(dissolve=False))
    def test_every_member_has_a_share_of_every_cost_pool(history):
        app = SharedServices.in_memory()
        ids = history.apply(app)
        view = app.partnership(ids.partnership)
        assert all(pool.parties == set(view.active_parties) for pool in view.terms.cost_pools)

The strategy draws a history by acting on a scratch in-memory application: each move (propose a
variation and have it adopted, hand a function over, take a dispute up the ladder, leave...) tries
its verbs there, and only the calls the library accepts become steps. So every history is one the
library accepts, and shrinking one deletes whole moves, which leaves a short script. Beside the
hand-written moves, which reach deep states often, one generic move tries any act of
[`sharedsvc.acts.CATALOGUE`][sharedsvc.acts.CATALOGUE], its fields drawn by their types: an act
added to the catalogue appears in histories without a move of its own.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, timedelta

import attrs
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument
from hypothesis.strategies import DrawFn, SearchStrategy

from sharedsvc.domain.policy import Policy
from sharedsvc.domain.readiness import ReadinessGate
from sharedsvc.domain.values import Party, PartyId, Stage, Terms
from sharedsvc.testing import _dispute_moves as disputes
from sharedsvc.testing import _moves as moves
from sharedsvc.testing import _record_moves as record_moves
from sharedsvc.testing._building import distinct_ids
from sharedsvc.testing._drafting import (
    FUNCTIONS,
    NOTICES,
    aim,
    draft,
    fields,
    movable,
    name_of,
    pick,
)
from sharedsvc.testing._history import VERBS, History, HistoryIds, Ref, Step
from sharedsvc.testing._moves import Move
from sharedsvc.testing._scratch import STAGES, Scratch, pool

__all__ = ["FUNCTIONS", "VERBS", "History", "HistoryIds", "Ref", "Step", "histories"]

COUNCILS = tuple(
    PartyId(council)
    for council in ("camden", "islington", "haringey", "hackney", "lambeth", "mid-kent")
)
"""The parties histories draw founders and joiners from, unless told otherwise."""


# --- the generic move: any act of the catalogue -------------------------------------------------


def any_act(draw: DrawFn, scratch: Scratch) -> None:
    """Any act of the catalogue on something the history made: what it acts on is drawn from
    what there is, its acting party from the members, and each other field by its type (see
    `sharedsvc.testing._drafting`). An act added to the catalogue is tried here with no
    move of its own; the hand-written moves reach the deep states sooner."""
    act = pick(draw, movable())
    aimed = aim(act)
    assert aimed is not None
    kind = aimed[1]
    target = None if kind == "partnership" else scratch.thing(draw, (kind,))
    if kind != "partnership" and target is None:
        return
    positional = [f.name for f in fields(act) if f.positional]
    arguments = draft(draw, act, scratch, leave=(*positional, "on"))
    if arguments is not None:
        actor = None if act.actor is None else arguments.pop(act.actor, None)
        scratch.attempt(act.verb, actor, target, **arguments)


def _topic(always: Sequence[Move], *sometimes: tuple[Callable[[Scratch], object], Move]) -> Move:
    """A move that makes one of the moves ``always``, or of the ``sometimes`` moves whose
    condition holds of the partnership as it stands (listed last, so that the positions of
    the others do not change with the partnership)."""

    def move(draw: DrawFn, scratch: Scratch) -> None:
        choices = [*always, *(then for holds, then in sometimes if holds(scratch))]
        pick(draw, choices)(draw, scratch)

    return move


def _any_open(scratch: Scratch) -> object:
    return scratch.open_disputes()


VARIATIONS = _topic(
    (moves.vary, moves.admit),
    (lambda s: s.dissolving, moves.dissolve),
    (Scratch.open_variations, moves.approve),
    (Scratch.open_variations, moves.state_position),
    (Scratch.open_variations, moves.reject),
)
DISPUTES = _topic(
    (disputes.raise_dispute,),
    (lambda s: s.open_disputes(lambda view: view.rung != view.ladder[-1]), disputes.escalate),
    (_any_open, disputes.settle),
    (lambda s: s.open_disputes(lambda view: view.proposal is not None), disputes.accept),
    (_any_open, disputes.state_dispute_position),
    (_any_open, disputes.withdraw_dispute),
)
HANDOVERS = _topic(
    (moves.hand_over,),
    (lambda s: s.handovers("proposed"), moves.consent),
    (Scratch.consented, moves.effect),
    (lambda s: s.handovers("proposed"), moves.withhold_consent),
    (lambda s: s.handovers("proposed"), moves.withdraw_handover),
    (lambda s: s.handovers("effected"), moves.recall),
)
WITHDRAWALS = _topic(
    (moves.serve_notice, moves.leave, moves.succeed),
    (lambda s: s.partnership().exits, moves.retract_notice),
)
RELATIONSHIP = _topic(
    (moves.assess, moves.assess_everyone, moves.set_target),
    (lambda s: s.refs("target"), moves.record_outcome),
)
RECORDS = _topic(
    (record_moves.note, record_moves.set_budget),
    (record_moves.usage_pools, record_moves.record_usage),
)
TOPICS: tuple[Move, ...] = (
    (VARIATIONS, DISPUTES, HANDOVERS) * 4
    + (WITHDRAWALS, moves.change_stage, RELATIONSHIP) * 2
    + (RECORDS, any_act)
)
"""What a history does next: vary the agreement, dispute, or hand a function over (each twice
as likely as leaving, changing stage, or assessing readiness and setting and measuring
targets, which have fewer kinds of act), or, half as often again, keep the record (note an
outside event, set a budget, record usage), or any act of the catalogue drafted by its fields'
types. The generic move is there for
acts without a move of their own and for arguments the others never give; most of its drafts
are refused, and the hand-written moves reach deep states far sooner."""

MAX_MOVES = 60
"""The most moves in a history: each nests a strategy in the last, and Hypothesis allows a depth
of 100."""

# --- the strategy --------------------------------------------------------------------------------


@st.composite
def _moves(draw: DrawFn, scratch: Scratch, done: int = 0) -> None:
    """The rest of the history: nothing, or a move (some days pass, and the partnership does
    something) and the rest after it.

    Drawing the rest inside the move nests them, so shrinking can put a later rest in place of
    an earlier one (as it replaces a tree by one of its subtrees), which deletes the moves in
    between whole and leaves the others as they were."""
    if done >= MAX_MOVES:
        return
    # Drawing 1 ends the history, which is how shrinking ends one early. A full or dissolved
    # history ends whatever is drawn, but draws all the same: once shrinking deletes moves
    # before that point, the history must go on ending by a choice (by then 1, the simplest)
    # rather than by running out of them.
    if draw(st.integers(1, 20)) == 1 or scratch.finished():
        return
    scratch.today += timedelta(days=draw(st.integers(0, 60)))
    pick(draw, TOPICS)(draw, scratch)
    draw(_moves(scratch, done + 1))


@st.composite
def _histories(
    draw: DrawFn, councils: tuple[PartyId, ...], max_steps: int, dissolving: bool
) -> History:
    founders = draw(
        st.lists(st.sampled_from(councils), min_size=2, max_size=min(4, len(councils)), unique=True)
    )
    terms = Terms(
        cost_pools=(pool(draw, founders),),
        notice=pick(draw, NOTICES),
        host=pick(draw, (None, *founders)),
    )
    gated = [stage for stage in STAGES if stage > Stage.CO_EXISTING]
    gate = ReadinessGate(minimum=draw(st.integers(1, 4)), within_months=pick(draw, (6, 12, 24)))
    policy = None if draw(st.booleans()) else Policy(stage_gates={pick(draw, gated): gate})
    formation = History(
        name="Shared Service",
        founders=tuple(Party(p, name_of(p)) for p in founders),
        terms=terms,
        stage=pick(draw, STAGES),
        formed_on=draw(st.dates(date(2010, 1, 1), date(2029, 12, 31))),
        steps=(),
        policy=policy,
    )
    scratch = Scratch(formation, max_steps, councils, dissolving)
    try:
        draw(_moves(scratch))
    finally:
        scratch.app.close()
    return attrs.evolve(formation, steps=tuple(scratch.steps))


def histories(
    *, max_steps: int = 40, parties: Sequence[str] | None = None, dissolve: bool = True
) -> SearchStrategy[History]:
    """Valid histories of one partnership: its formation and up to ``max_steps`` verb calls.

    Two to four founders are drawn from ``parties`` (by default six councils), and the parties
    admitted later from those not yet members. Half the partnerships are formed with a policy
    whose stage gate wants every party ready (scoring 1 to 4 in every area, assessed within 6,
    12 or 24 months) before moving to one stage. The calls cover variations (positions,
    approvals, rejections, admissions), stage changes, handovers (consents, effect, recall,
    withdrawal), disputes up the ladder (positions, escalations, a mediator at mediation,
    settlements, determination at the top rung, withdrawal), withdrawals from the partnership
    (notice, exit costs, payment, completion), successions on a vesting day, readiness
    assessments (of some areas or all, by the party or a peer; every member's at once, then a
    move a stage deeper), targets and outcomes recorded against them and, unless
    ``dissolve=False``, dissolution, after which a history ends; besides, any act of the
    catalogue, drafted by its fields' types.

    Each call was accepted by the library when the history was drawn, so
    [`History.apply`][sharedsvc.testing.History.apply] replays them all on any application;
    ``str(history)`` is their script.
    """
    if isinstance(max_steps, bool) or not isinstance(max_steps, int) or max_steps < 0:
        raise InvalidArgument(f"max_steps must be a whole number >= 0, not {max_steps!r}")
    councils = COUNCILS if parties is None else distinct_ids(parties, "parties")
    if len(councils) < 2:
        raise InvalidArgument(f"parties must offer two or more founders, not {list(councils)}")
    if not isinstance(dissolve, bool):
        raise InvalidArgument(f"dissolve must be True or False, not {dissolve!r}")
    return _histories(councils, max_steps, dissolve)
