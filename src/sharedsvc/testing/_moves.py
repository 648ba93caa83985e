"""The hand-written moves of a history: varying the agreement, changing stage, handing
functions over, leaving, and the working relationship (readiness, targets and outcomes).
Each tries one or more verbs, chosen to suit the partnership as it stands, so that histories
reach deep states often (the last approval, a handover in effect, a completed withdrawal).

Private to `sharedsvc.testing.histories`.
"""

from __future__ import annotations

from collections.abc import Callable, Container, Iterable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from hypothesis import strategies as st
from hypothesis.strategies import DrawFn

from sharedsvc.domain.transfers import DataRole, StaffArrangement, StaffTransfer
from sharedsvc.domain.values import DecisionRef, Money, Party, PartyId
from sharedsvc.testing._drafting import FUNCTIONS, name_of, one, pick, scores
from sharedsvc.testing._history import Ref
from sharedsvc.testing._scratch import FIELDS, STAGES, Scratch, pool, term


def _decision(draw: DrawFn, party: str, on: date) -> DecisionRef | None:
    """Sometimes the reference of ``party``'s cabinet decision, taken on ``on``."""
    if not draw(st.booleans()):
        return None
    return DecisionRef(f"{name_of(party)} Cabinet", f"CAB/{on.year}/{draw(st.integers(1, 99))}", on)


def _one_yet_to(
    draw: DrawFn,
    scratch: Scratch,
    verb: str,
    ref: Ref,
    parties: Iterable[str],
    done: Container[str],
) -> None:
    """One of ``parties`` not yet among ``done`` takes ``verb`` on ``ref``, sometimes with its
    decision reference."""
    party = one(draw, [p for p in parties if p not in done])
    if party is not None:
        scratch.attempt(verb, party, ref, ref=_decision(draw, party, scratch.today))


Move = Callable[[DrawFn, Scratch], None]


def _approve_everyone(scratch: Scratch, ref: Ref) -> None:
    view = scratch.partnership()
    variation = view.open_variations.get(scratch.uid(ref))
    if variation is not None:
        for party in variation.required(view.active_parties):
            if party not in variation.approvals:
                scratch.attempt("approve_variation", party, ref)


def _propose(draw: DrawFn, scratch: Scratch, **proposal: Any) -> None:
    """A member proposes ``proposal``; then (or not) everyone approves it."""
    by, adopted = pick(draw, scratch.members()), draw(st.booleans())
    made = scratch.attempt("propose_variation", by, **proposal)
    if isinstance(made, Ref) and adopted:
        _approve_everyone(scratch, made)


def vary(draw: DrawFn, scratch: Scratch) -> None:
    fields = draw(st.lists(st.sampled_from(FIELDS), min_size=1, max_size=2, unique=True))
    changes = {field: term(draw, field, scratch.members()) for field in fields}
    later = pick(draw, (None, 30, 365))
    effective = None if later is None else scratch.today + timedelta(days=later)
    _propose(draw, scratch, changes=changes, effective=effective)


def admit(draw: DrawFn, scratch: Scratch) -> None:
    members = scratch.members()
    joiner = one(draw, [party for party in scratch.pool_of_parties if party not in members])
    if joiner is not None:
        pools = (pool(draw, (*members, joiner)),)
        joining = (Party(joiner, name_of(joiner)),)
        _propose(draw, scratch, changes={"cost_pools": pools}, admit=joining)


def dissolve(draw: DrawFn, scratch: Scratch) -> None:
    account = None
    if draw(st.booleans()):
        account = {p: Money(draw(st.integers(-50, 50)) * 100) for p in scratch.members()}
    _propose(draw, scratch, dissolve=True, final_account=account)


def _required(scratch: Scratch, ref: Ref) -> tuple[PartyId, ...]:
    """The parties whose approval the open variation ``ref`` needs."""
    view = scratch.partnership()
    return view.open_variations[scratch.uid(ref)].required(view.active_parties)


def approve(draw: DrawFn, scratch: Scratch) -> None:
    """Everyone, or one party yet to approve, approves an open variation."""
    ref = one(draw, scratch.open_variations())
    if ref is None:
        return
    if draw(st.booleans()):
        _approve_everyone(scratch, ref)
        return
    approvals = scratch.partnership().open_variations[scratch.uid(ref)].approvals
    _one_yet_to(draw, scratch, "approve_variation", ref, _required(scratch, ref), approvals)


def state_position(draw: DrawFn, scratch: Scratch) -> None:
    ref = one(draw, scratch.open_variations())
    if ref is not None:
        changes = scratch.partnership().open_variations[scratch.uid(ref)].changes
        field = one(draw, list(changes)) or "casting_vote"
        parties = _required(scratch, ref)
        position = {field: term(draw, field, parties)}
        scratch.attempt("state_position", pick(draw, parties), ref, position=position)


def reject(draw: DrawFn, scratch: Scratch) -> None:
    ref = one(draw, scratch.open_variations())
    if ref is not None:
        party = pick(draw, _required(scratch, ref))
        scratch.attempt("reject_variation", party, ref, reason="too costly")


def change_stage(draw: DrawFn, scratch: Scratch) -> None:
    by = pick(draw, scratch.members())
    to = pick(draw, [stage for stage in STAGES if stage != scratch.partnership().stage])
    scratch.attempt("change_stage", by, to=to)


def _consent_everyone(scratch: Scratch, ref: Ref) -> None:
    consents = scratch.handover(ref).consents
    for party in scratch.members():
        if party not in consents:
            scratch.attempt("consent_to_handover", party, ref)


def hand_over(draw: DrawFn, scratch: Scratch) -> None:
    """A member proposes a handover (alone, or of a service combined with other members);
    then (or not) everyone consents and it takes effect."""
    by = pick(draw, scratch.members())
    extras: dict[str, Any] = {}
    if draw(st.booleans()):
        others = [party for party in scratch.members() if party != by]
        joined = draw(st.lists(st.sampled_from(others), unique=True, min_size=1))
        extras["from_parties"] = (by, *joined)
    if draw(st.booleans()):
        arrangement = pick(draw, StaffArrangement)
        extras["staff"] = (StaffTransfer(arrangement, draw(st.integers(1, 40))),)
        extras["data_role"] = pick(draw, DataRole)
    function, effected = pick(draw, FUNCTIONS), draw(st.booleans())
    made = scratch.attempt("propose_handover", by, function=function, **extras)
    if isinstance(made, Ref) and effected:
        _consent_everyone(scratch, made)
        scratch.attempt("effect_handover", None, made)


def consent(draw: DrawFn, scratch: Scratch) -> None:
    """Everyone, or one member yet to consent, consents to a proposed handover."""
    ref = one(draw, scratch.handovers("proposed"))
    if ref is None:
        return
    if draw(st.booleans()):
        _consent_everyone(scratch, ref)
        return
    consents = scratch.handover(ref).consents
    _one_yet_to(draw, scratch, "consent_to_handover", ref, scratch.members(), consents)


def effect(draw: DrawFn, scratch: Scratch) -> None:
    ref = one(draw, scratch.consented())
    if ref is not None:
        scratch.attempt("effect_handover", pick(draw, (None, *scratch.members())), ref)


def withhold_consent(draw: DrawFn, scratch: Scratch) -> None:
    ref = one(draw, scratch.handovers("proposed"))
    if ref is not None:
        party = pick(draw, scratch.members())
        scratch.attempt("withhold_consent", party, ref, reason="not yet")


def withdraw_handover(draw: DrawFn, scratch: Scratch) -> None:
    ref = one(draw, scratch.handovers("proposed"))
    if ref is not None:
        scratch.attempt("withdraw_handover", scratch.handover(ref).from_party, ref)


def recall(draw: DrawFn, scratch: Scratch) -> None:
    ref = one(draw, scratch.handovers("effected"))
    if ref is not None:
        view = scratch.handover(ref)
        by = pick(draw, [p for p in view.from_parties if p not in view.returned])
        scratch.attempt("recall_handover", by, ref, reason="brought back in house")


def serve_notice(draw: DrawFn, scratch: Scratch) -> None:
    scratch.attempt("serve_withdrawal_notice", pick(draw, scratch.members()))


def retract_notice(draw: DrawFn, scratch: Scratch) -> None:
    party = one(draw, list(scratch.partnership().exits))
    if party is not None:
        scratch.attempt("retract_withdrawal_notice", party)


def leave(draw: DrawFn, scratch: Scratch) -> None:
    """A party (not the host, if it can help it) serves notice, has its exit costs determined
    and pays them, recalls its pooled functions, and withdraws once its notice allows."""
    view = scratch.partnership()
    party = pick(draw, [p for p in view.active_parties if p != view.host] or view.active_parties)
    amount = Money(draw(st.integers(0, 50)) * 1000)
    if party not in view.exits:
        scratch.attempt("serve_withdrawal_notice", party)
    view = scratch.partnership()
    notice = view.exits.get(party)
    if notice is None:
        return
    if not notice.settled:
        stays = next(p for p in view.active_parties if p != party)
        scratch.attempt("determine_exit_costs", stays, party=party, amount=amount)
        scratch.attempt("settle_exit_payment", party, amount=amount)
    for ref in scratch.handovers("effected"):
        handover = scratch.handover(ref)
        if party in handover.from_parties and party not in handover.returned:
            scratch.attempt("recall_handover", party, ref)
    scratch.today = max(scratch.today, notice.effective)
    scratch.attempt("complete_withdrawal", party)


def succeed(draw: DrawFn, scratch: Scratch) -> None:
    """A member is succeeded on a vesting day: by one or two councils new to the partnership,
    or absorbed by another member; its shares divided equally or by drawn weights."""
    view = scratch.partnership()
    party = pick(draw, view.active_parties)
    fresh = [p for p in scratch.pool_of_parties if p not in view.parties]
    members = [p for p in view.active_parties if p != party]
    new_councils: bool = draw(st.booleans())
    heirs: list[PartyId] = [pick(draw, members)]
    if fresh and new_councils:
        heirs = draw(st.lists(st.sampled_from(fresh), min_size=1, max_size=2, unique=True))
    split = None
    if len(heirs) > 1 and draw(st.booleans()):
        split = {heir: Decimal(draw(st.integers(1, 3))) for heir in heirs}
    successors = tuple(Party(heir, name_of(heir)) for heir in heirs)
    order = DecisionRef(
        "Parliament", f"SI {scratch.today.year}/{draw(st.integers(1, 999))}", scratch.today
    )
    scratch.attempt("succeed", None, party=party, successors=successors, split=split, ref=order)


def assess(draw: DrawFn, scratch: Scratch) -> None:
    """A member assesses its own readiness, or a peer's, in some areas."""
    members = scratch.members()
    party, by = pick(draw, members), pick(draw, (None, *members))
    scratch.attempt("assess_readiness", by, party=party, scores=scores(draw, scratch))


def assess_everyone(draw: DrawFn, scratch: Scratch) -> None:
    """Every member assesses its own readiness in every area of the policy, each at a score
    drawn for it (mostly 3 or more); then (or not) a member moves the partnership a stage
    deeper, which a stage gate allows only if every party is ready enough."""
    view = scratch.partnership()
    for party in scratch.members():
        score = pick(draw, (3, 4, 5, 0, 1, 2))
        scores = dict.fromkeys(view.policy.readiness_areas, score)
        scratch.attempt("assess_readiness", party, party=party, scores=scores)
    deeper = [stage for stage in view.policy.continuum if stage > view.stage]
    moves_on: bool = draw(st.booleans())
    if deeper and moves_on:
        scratch.attempt("change_stage", pick(draw, scratch.members()), to=deeper[0])


def set_target(draw: DrawFn, scratch: Scratch) -> None:
    """A member sets a savings target, due in a year, for the partnership or one member;
    then (or not) an outcome is recorded against it."""
    by = pick(draw, scratch.members())
    amount = Money(draw(st.integers(1, 50)) * 1000)
    due = scratch.today + timedelta(days=365)
    party = pick(draw, (None, *scratch.members()))
    made = scratch.attempt("set_target", by, kind="savings", amount=amount, due=due, party=party)
    if isinstance(made, Ref) and draw(st.booleans()):
        record_outcome(draw, scratch, made)


def record_outcome(draw: DrawFn, scratch: Scratch, target: Ref | None = None) -> None:
    """A member records an outcome against a target: at, below or above its amount."""
    target = target or one(draw, scratch.refs("target"))
    if target is not None:
        amount = Money(draw(st.integers(0, 60)) * 1000)
        scratch.attempt("record_outcome", pick(draw, scratch.members()), target=target,
                        amount=amount)  # fmt: skip
