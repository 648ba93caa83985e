"""The hand-written moves of a history about disputes: raising one (about an act, which it
may defer), stating positions, climbing the ladder to a mediator or an arbiter, settling and
withdrawing.

Private to `sharedsvc.testing.histories`.
"""

from __future__ import annotations

from hypothesis import strategies as st
from hypothesis.strategies import DrawFn

from sharedsvc.domain.values import PartyId, Rung
from sharedsvc.testing._drafting import CHARGES, one, pick
from sharedsvc.testing._history import Ref
from sharedsvc.testing._scratch import Scratch


def raise_dispute(draw: DrawFn, scratch: Scratch) -> None:
    """A member disputes with one or every other member, about nothing in particular, or about
    a variation or handover (preferably one not yet taken, which it may defer); then (or not)
    the dispute is settled at once, or taken up the ladder."""
    members = scratch.members()
    by = pick(draw, members)
    others = [party for party in members if party != by]
    against = others if draw(st.booleans()) else [pick(draw, others)]
    about = pick(draw, (None, "variation", "handover"))
    act: Ref | None = None
    if about == "variation":
        act = one(draw, scratch.open_variations() or scratch.refs("variation"))
    elif about == "handover":
        act = one(draw, scratch.handovers("proposed") or scratch.refs("handover"))
    defer = act is not None and draw(st.booleans())
    made = scratch.attempt(
        "raise_dispute", by, against=tuple(against), subject="charges", act=act,
        defer=defer or None,
    )  # fmt: skip
    then = pick(draw, (None, "settle", "escalate"))
    if isinstance(made, Ref) and then == "settle":
        _settle(draw, scratch, made, by)
    elif isinstance(made, Ref) and then == "escalate":
        _climb(draw, scratch, made, by)


def _disputing(draw: DrawFn, scratch: Scratch, ref: Ref) -> PartyId:
    return pick(draw, scratch.dispute(ref).parties)


def _settle(draw: DrawFn, scratch: Scratch, ref: Ref, by: PartyId) -> None:
    """``by`` proposes terms; then (or not) every disputing party accepts them."""
    terms, accepted = {"charge": pick(draw, CHARGES)}, draw(st.booleans())
    if scratch.attempt("propose_settlement", by, ref, terms=terms) and accepted:
        for party in scratch.dispute(ref).parties:
            scratch.attempt("accept_settlement", party, ref)


def _climb(draw: DrawFn, scratch: Scratch, ref: Ref, by: PartyId) -> None:
    """``by`` takes the dispute up one rung or more; then (or not) the dispute moves on there:
    to a settlement, to a mediator at the mediation rung, or to an arbiter's determination at
    the top."""
    view = scratch.dispute(ref)
    for _ in range(draw(st.integers(1, len(view.ladder) - 1 - view.ladder.index(view.rung)))):
        scratch.attempt("escalate_dispute", by, ref)
    rung, top = scratch.dispute(ref).rung, view.ladder[-1]
    then = pick(draw, (None, "settle", "rung"))
    if then == "settle":
        _settle(draw, scratch, ref, by)
    elif then == "rung" and rung is Rung.MEDIATION:
        scratch.attempt("appoint_mediator", by, ref, mediator="CEDR")
    elif then == "rung" and rung == top:
        terms = {"charge": pick(draw, CHARGES)}
        scratch.attempt("determine_dispute", None, ref, arbiter="An Arbiter", terms=terms)


def escalate(draw: DrawFn, scratch: Scratch) -> None:
    ref = one(draw, scratch.open_disputes(lambda view: view.rung != view.ladder[-1]))
    if ref is not None:
        _climb(draw, scratch, ref, _disputing(draw, scratch, ref))


def settle(draw: DrawFn, scratch: Scratch) -> None:
    ref = one(draw, scratch.open_disputes())
    if ref is not None:
        _settle(draw, scratch, ref, _disputing(draw, scratch, ref))


def accept(draw: DrawFn, scratch: Scratch) -> None:
    """One disputing party yet to accept the proposed terms accepts them."""
    ref = one(draw, scratch.open_disputes(lambda view: view.proposal is not None))
    if ref is not None:
        view = scratch.dispute(ref)
        party = one(draw, [p for p in view.parties if p not in view.accepted])
        if party is not None:
            scratch.attempt("accept_settlement", party, ref)


def state_dispute_position(draw: DrawFn, scratch: Scratch) -> None:
    ref = one(draw, scratch.open_disputes())
    if ref is not None:
        party = _disputing(draw, scratch, ref)
        position = {"charge": pick(draw, CHARGES)}
        scratch.attempt("state_dispute_position", party, ref, position=position)


def withdraw_dispute(draw: DrawFn, scratch: Scratch) -> None:
    ref = one(draw, scratch.open_disputes())
    if ref is not None:
        scratch.attempt("withdraw_dispute", scratch.dispute(ref).raised_by, ref)
