"""histories(): valid event histories of a whole partnership, as data that replays anywhere.

A :class:`History` is a formation and a tuple of :class:`Step` s, each one call of a public verb
of :class:`~sharedsvc.SharedServices`. Steps name the variations, handovers and disputes they act
on by their order of creation (``v0``, ``h1``, ``d0``), so a history replays on any store, and
:meth:`History.apply` returns the ids it made there. Printed, a history is the script of its verb
calls, which runs as it reads with ``app``, ``date`` and sharedsvc's names in scope::

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
variation and have it adopted, hand a function over, take a dispute up the ladder, leave...)
tries its verbs there, and only the calls the library accepts become steps. So every history is
one the library accepts, and shrinking one deletes whole moves, which leaves a short script.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any, TypeVar
from uuid import UUID

import attrs
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument
from hypothesis.strategies import DrawFn, SearchStrategy
from immutabledict import immutabledict

from sharedsvc.application import SharedServices
from sharedsvc.domain.errors import SharedServiceError
from sharedsvc.domain.transfers import DataRole, StaffArrangement, StaffTransfer
from sharedsvc.domain.values import (
    Basis,
    CostPool,
    DecisionRef,
    Function,
    Governance,
    Money,
    Notice,
    Party,
    PartyId,
    Rung,
    Stage,
    Terms,
    apportion,
)
from sharedsvc.domain.views import DisputeView, HandoverView, PartnershipView
from sharedsvc.testing._building import distinct_ids

__all__ = ["FUNCTIONS", "VERBS", "History", "HistoryIds", "Ref", "Step", "histories"]

T = TypeVar("T")

VERBS: Mapping[str, tuple[str | None, str | None, str | None]] = immutabledict(
    {
        # verb: (keyword of the acting party, kind of thing it acts on, kind of thing it makes)
        "propose_variation": ("by", None, "variation"),
        "state_position": ("party", "variation", None),
        "approve_variation": ("party", "variation", None),
        "reject_variation": ("party", "variation", None),
        "change_stage": ("by", None, None),
        "serve_withdrawal_notice": ("party", None, None),
        "retract_withdrawal_notice": ("party", None, None),
        "determine_exit_costs": ("by", None, None),
        "settle_exit_payment": ("party", None, None),
        "complete_withdrawal": ("party", None, None),
        "propose_handover": ("by", None, "handover"),
        "consent_to_handover": ("party", "handover", None),
        "withhold_consent": ("party", "handover", None),
        "withdraw_handover": ("by", "handover", None),
        "effect_handover": ("by", "handover", None),
        "recall_handover": ("by", "handover", None),
        "raise_dispute": ("by", None, "dispute"),
        "state_dispute_position": ("party", "dispute", None),
        "escalate_dispute": ("by", "dispute", None),
        "appoint_mediator": ("by", "dispute", None),
        "propose_settlement": ("by", "dispute", None),
        "accept_settlement": ("party", "dispute", None),
        "determine_dispute": (None, "dispute", None),
        "withdraw_dispute": ("by", "dispute", None),
    }
)
"""The verbs a step can call: the keyword naming the acting party, the kind of thing the verb
acts on (``None``: the partnership) and the kind of thing it makes, if any."""

COUNCILS = tuple(
    PartyId(council)
    for council in ("camden", "islington", "haringey", "hackney", "lambeth", "mid-kent")
)
"""The parties histories draw founders and joiners from, unless told otherwise."""
FUNCTIONS = (
    Function("ict.service-desk", "ICT service desk", "back-office"),
    Function("revenues.contact-centre", "Revenues contact centre", "front-line"),
    Function("brand", "Brand and identity", "identity"),
)
"""The functions histories hand over: one of each category the default policy knows."""


# --- what a history is -------------------------------------------------------------------------


@attrs.frozen
class Ref:
    """A variation, handover or dispute of a history, by its order of creation: ``v0``."""

    kind: str
    index: int

    def __str__(self) -> str:
        return f"{self.kind[0]}{self.index}"


@attrs.frozen
class Step:
    """One call of a verb: the acting party (``None`` for the arbiter, or the default host
    effecting a handover), the legal date, what it acts on, its other keyword arguments (a
    :class:`Ref` wherever an id goes) and what it makes, if anything."""

    verb: str
    actor: PartyId | None
    on: date
    target: Ref | None = None
    arguments: immutabledict[str, Any] = attrs.field(factory=immutabledict, converter=immutabledict)
    creates: Ref | None = None

    def apply(self, app: SharedServices, pid: UUID, made: dict[str, list[UUID]]) -> Any:
        """Call the verb on ``app`` for partnership ``pid``; ``made`` holds the ids made so
        far, by kind, and gets the id this call makes. Returns what the verb returned."""
        actor_keyword, target_kind, _ = VERBS[self.verb]

        def resolved(value: Any) -> Any:
            return made[value.kind][value.index] if isinstance(value, Ref) else value

        positional = [pid] if target_kind in (None, "variation") else []
        if self.target is not None:
            positional.append(resolved(self.target))
        keywords = {name: resolved(value) for name, value in self.arguments.items()}
        if actor_keyword is not None:
            keywords[actor_keyword] = self.actor
        result = getattr(app, self.verb)(*positional, **keywords, on=self.on)
        if self.creates is not None:
            made[self.creates.kind].append(result)
        return result

    def __str__(self) -> str:
        actor_keyword, target_kind, _ = VERBS[self.verb]
        parts = ["pid"] if target_kind in (None, "variation") else []
        if self.target is not None:
            parts.append(str(self.target))
        if actor_keyword is not None and self.actor is not None:
            parts.append(f"{actor_keyword}={self.actor!r}")
        parts += [f"{name}={_source(value)}" for name, value in self.arguments.items()]
        parts.append(f"on={_source(self.on)}")
        made = "" if self.creates is None else f"{self.creates} = "
        return f"{made}app.{self.verb}({', '.join(parts)})"


@attrs.frozen
class HistoryIds:
    """The ids a history made on one application, each kind in order of creation."""

    partnership: UUID
    variations: tuple[UUID, ...]
    handovers: tuple[UUID, ...]
    disputes: tuple[UUID, ...]


@attrs.frozen(repr=False)
class History:
    """A partnership's formation and the verb calls that followed, each accepted in turn."""

    name: str
    founders: tuple[Party, ...]
    terms: Terms
    stage: Stage
    formed_on: date
    steps: tuple[Step, ...]

    def apply(self, app: SharedServices) -> HistoryIds:
        """Form the partnership on ``app`` and make every call; returns the ids made. A call
        the library refuses raises its error (which, for a drawn history, is a bug)."""
        pid = self.form(app)
        made: dict[str, list[UUID]] = {"variation": [], "handover": [], "dispute": []}
        for step in self.steps:
            step.apply(app, pid, made)
        return HistoryIds(
            pid, *(tuple(made[kind]) for kind in ("variation", "handover", "dispute"))
        )

    def form(self, app: SharedServices) -> UUID:
        """Only form the partnership on ``app``; returns its id."""
        return app.form_partnership(
            self.name, parties=self.founders, terms=self.terms, stage=self.stage, on=self.formed_on
        )

    @property
    def verbs(self) -> tuple[str, ...]:
        """The verb of each step, in order."""
        return tuple(step.verb for step in self.steps)

    def __str__(self) -> str:
        formation = (
            f"pid = app.form_partnership({self.name!r}, parties={_source(self.founders)}, "
            f"terms={_source(self.terms)}, stage={_source(self.stage)}, "
            f"on={_source(self.formed_on)})"
        )
        return "\n".join([formation, *map(str, self.steps)])

    def __repr__(self) -> str:
        script = str(self).replace("\n", "\n    ")
        return f"History(  # {len(self.steps)} steps after the formation\n    {script}\n)"

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        """How Hypothesis prints a falsifying history: as its script."""
        printer.text(repr(self))


def _source(value: Any) -> str:
    """``value`` as Python source that rebuilds it, with sharedsvc's names in scope."""
    if isinstance(value, Ref):
        return str(value)
    if isinstance(value, enum.Enum):
        return f"{type(value).__name__}.{value.name}"
    if isinstance(value, date) and not isinstance(value, datetime):
        return f"date({value.year}, {value.month}, {value.day})"
    if isinstance(value, Decimal):
        return repr(str(value))
    if isinstance(value, CostPool) and value == CostPool.equal(value.name, value.shares):
        return f"CostPool.equal({value.name!r}, {_source(list(value.shares))})"
    if attrs.has(type(value)):
        parts = []
        for field in attrs.fields(type(value)):
            item = getattr(value, field.name)
            if field.default is attrs.NOTHING:
                parts.append(_source(item))
            elif item != _default(field):
                parts.append(f"{field.name}={_source(item)}")
        return f"{type(value).__name__}({', '.join(parts)})"
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{_source(k)}: {_source(v)}" for k, v in value.items()) + "}"
    if isinstance(value, tuple | list):
        return "[" + ", ".join(map(_source, value)) + "]"
    return repr(value)


def _default(field: attrs.Attribute[Any]) -> Any:
    factory = getattr(field.default, "factory", None)
    return factory() if callable(factory) else field.default


# --- drawing: a scratch application that keeps the calls it accepts ---------------------------


class _Scratch:
    """An in-memory application on which a history is drawn, and the steps it accepted."""

    def __init__(
        self, history: History, max_steps: int, pool: tuple[PartyId, ...], dissolving: bool
    ) -> None:
        self.app = SharedServices.in_memory()
        self.pid = history.form(self.app)
        self.today = history.formed_on
        self.max_steps = max_steps
        self.pool = pool
        self.dissolving = dissolving
        self.steps: list[Step] = []
        self.made: dict[str, list[UUID]] = {"variation": [], "handover": [], "dispute": []}
        self._views: dict[UUID, Any] = {}  # views read since the last accepted step

    def attempt(
        self, verb: str, actor: str | None, target: Ref | None = None, **arguments: Any
    ) -> Ref | bool:
        """Make the call today and keep it as a step if the library accepts it. Returns the
        ``Ref`` of what it made, else whether it was accepted (never, once the history is
        full). Arguments that are ``None`` are left to their defaults."""
        if len(self.steps) >= self.max_steps:
            return False
        kind = VERBS[verb][2]
        creates = None if kind is None else Ref(kind, len(self.made[kind]))
        actor_id = None if actor is None else PartyId(actor)
        given = {name: value for name, value in arguments.items() if value is not None}
        step = Step(verb, actor_id, self.today, target, given, creates)
        try:
            step.apply(self.app, self.pid, self.made)
        except SharedServiceError:
            return False
        self.steps.append(step)
        self._views.clear()
        return creates or True

    def _view(self, uid: UUID, read: Callable[[UUID], Any]) -> Any:
        if uid not in self._views:
            self._views[uid] = read(uid)
        return self._views[uid]

    def partnership(self) -> PartnershipView:
        view: PartnershipView = self._view(self.pid, self.app.partnership)
        return view

    def handover(self, ref: Ref) -> HandoverView:
        view: HandoverView = self._view(self.uid(ref), self.app.handover)
        return view

    def dispute(self, ref: Ref) -> DisputeView:
        view: DisputeView = self._view(self.uid(ref), self.app.dispute)
        return view

    def uid(self, ref: Ref) -> UUID:
        return self.made[ref.kind][ref.index]

    def members(self) -> tuple[PartyId, ...]:
        return self.partnership().active_parties

    def finished(self) -> bool:
        """Whether the history is full or the partnership dissolved."""
        return len(self.steps) >= self.max_steps or self.partnership().dissolved

    def refs(self, kind: str, keep: Callable[[Ref], object] = lambda ref: True) -> list[Ref]:
        """The things of ``kind`` made so far for which ``keep`` holds."""
        return [ref for ref in (Ref(kind, i) for i in range(len(self.made[kind]))) if keep(ref)]

    def open_variations(self) -> list[Ref]:
        view = self.partnership()
        return self.refs("variation", lambda ref: self.uid(ref) in view.open_variations)

    def handovers(self, *statuses: str) -> list[Ref]:
        return self.refs("handover", lambda ref: self.handover(ref).status in statuses)

    def consented(self) -> list[Ref]:
        """The proposed handovers to which every active party has consented."""
        members = set(self.members())
        return [r for r in self.handovers("proposed") if members <= set(self.handover(r).consents)]

    def open_disputes(self, keep: Callable[[DisputeView], bool] = lambda view: True) -> list[Ref]:
        def wanted(ref: Ref) -> bool:
            return self.dispute(ref).status == "open" and keep(self.dispute(ref))

        return self.refs("dispute", wanted)


def _pick(draw: DrawFn, items: Iterable[T]) -> T:
    """One of ``items`` (shrinking towards the first), drawn even when there is only one, so
    that the choices a move makes keep their places when shrinking changes what came before.

    Drawn as a position counted from 1: Hypothesis's shrinker treats a small choice counted from
    0 as the branch of a ``one_of`` and tries it with everything after it drawn afresh, a pass
    that costs far more than it gains here, where each try replays the verbs."""
    choices = tuple(items)
    return choices[draw(st.integers(1, len(choices))) - 1]


def _one(draw: DrawFn, items: Sequence[T]) -> T | None:
    return _pick(draw, items) if items else None


NOTICES = (Notice(), Notice(months=0, aligned_to_year_end=False), Notice(months=3))
FIELDS = ("casting_vote", "notice", "cost_pools", "host", "governance", "sla", "scope")
SLAS = (None, "99.5% uptime", "calls answered within a day")
CHARGES = ("5%", "10%", "15%")
STAGES = (
    Stage.CO_OPERATING, Stage.COLLABORATING, Stage.COMBINING, Stage.COORDINATING,
    Stage.COMMUNICATING, Stage.CO_EXISTING,
)  # fmt: skip


def _name(party: str) -> str:
    return party.replace("-", " ").title()


def _pool(draw: DrawFn, parties: Sequence[PartyId]) -> CostPool:
    """An ``ict`` pool over ``parties``: equal, or by usage with drawn weights."""
    if not draw(st.booleans()):
        return CostPool.equal("ict", parties)
    weights = draw(st.lists(st.integers(0, 9), min_size=len(parties), max_size=len(parties)))
    shares = apportion({p: Decimal(w) for p, w in zip(parties, weights, strict=True)})
    return CostPool("ict", Basis.USAGE, shares)


def _term(draw: DrawFn, field: str, parties: Sequence[PartyId]) -> Any:
    """A value of the term ``field`` for a partnership of ``parties``."""
    if field == "casting_vote":
        return draw(st.booleans())
    if field == "cost_pools":
        return (_pool(draw, parties),)
    if field == "scope":
        return tuple(draw(st.lists(st.sampled_from(FUNCTIONS), max_size=3, unique=True)))
    values: dict[str, Iterable[Any]] = {
        "notice": NOTICES, "host": (None, *parties), "governance": Governance, "sla": SLAS,
    }  # fmt: skip
    return _pick(draw, values[field])


def _decision(draw: DrawFn, party: str, on: date) -> DecisionRef | None:
    """Sometimes the reference of ``party``'s cabinet decision, taken on ``on``."""
    if not draw(st.booleans()):
        return None
    return DecisionRef(f"{_name(party)} Cabinet", f"CAB/{on.year}/{draw(st.integers(1, 99))}", on)


# --- moves: each tries one or more verbs, chosen to suit the partnership as it stands ---------

Move = Callable[[DrawFn, _Scratch], None]


def _approve_everyone(scratch: _Scratch, ref: Ref) -> None:
    view = scratch.partnership()
    variation = view.open_variations.get(scratch.uid(ref))
    if variation is not None:
        for party in variation.required(view.active_parties):
            if party not in variation.approvals:
                scratch.attempt("approve_variation", party, ref)


def _propose(draw: DrawFn, scratch: _Scratch, **proposal: Any) -> None:
    """A member proposes ``proposal``; then (or not) everyone approves it."""
    by, adopted = _pick(draw, scratch.members()), draw(st.booleans())
    made = scratch.attempt("propose_variation", by, **proposal)
    if isinstance(made, Ref) and adopted:
        _approve_everyone(scratch, made)


def vary(draw: DrawFn, scratch: _Scratch) -> None:
    fields = draw(st.lists(st.sampled_from(FIELDS), min_size=1, max_size=2, unique=True))
    changes = {field: _term(draw, field, scratch.members()) for field in fields}
    later = _pick(draw, (None, 30, 365))
    effective = None if later is None else scratch.today + timedelta(days=later)
    _propose(draw, scratch, changes=changes, effective=effective)


def admit(draw: DrawFn, scratch: _Scratch) -> None:
    members = scratch.members()
    joiner = _one(draw, [party for party in scratch.pool if party not in members])
    if joiner is not None:
        pools = (_pool(draw, (*members, joiner)),)
        joining = (Party(joiner, _name(joiner)),)
        _propose(draw, scratch, changes={"cost_pools": pools}, admit=joining)


def dissolve(draw: DrawFn, scratch: _Scratch) -> None:
    account = None
    if draw(st.booleans()):
        account = {p: Money(draw(st.integers(-50, 50)) * 100) for p in scratch.members()}
    _propose(draw, scratch, dissolve=True, final_account=account)


def _required(scratch: _Scratch, ref: Ref) -> tuple[PartyId, ...]:
    """The parties whose approval the open variation ``ref`` needs."""
    view = scratch.partnership()
    return view.open_variations[scratch.uid(ref)].required(view.active_parties)


def approve(draw: DrawFn, scratch: _Scratch) -> None:
    """Everyone, or one party yet to approve, approves an open variation."""
    ref = _one(draw, scratch.open_variations())
    if ref is None:
        return
    if draw(st.booleans()):
        _approve_everyone(scratch, ref)
        return
    approvals = scratch.partnership().open_variations[scratch.uid(ref)].approvals
    party = _one(draw, [p for p in _required(scratch, ref) if p not in approvals])
    if party is not None:
        decision = _decision(draw, party, scratch.today)
        scratch.attempt("approve_variation", party, ref, ref=decision)


def state_position(draw: DrawFn, scratch: _Scratch) -> None:
    ref = _one(draw, scratch.open_variations())
    if ref is not None:
        changes = scratch.partnership().open_variations[scratch.uid(ref)].changes
        field = _one(draw, list(changes)) or "casting_vote"
        parties = _required(scratch, ref)
        position = {field: _term(draw, field, parties)}
        scratch.attempt("state_position", _pick(draw, parties), ref, position=position)


def reject(draw: DrawFn, scratch: _Scratch) -> None:
    ref = _one(draw, scratch.open_variations())
    if ref is not None:
        party = _pick(draw, _required(scratch, ref))
        scratch.attempt("reject_variation", party, ref, reason="too costly")


def change_stage(draw: DrawFn, scratch: _Scratch) -> None:
    by = _pick(draw, scratch.members())
    to = _pick(draw, [stage for stage in STAGES if stage != scratch.partnership().stage])
    scratch.attempt("change_stage", by, to=to)


def _consent_everyone(scratch: _Scratch, ref: Ref) -> None:
    consents = scratch.handover(ref).consents
    for party in scratch.members():
        if party not in consents:
            scratch.attempt("consent_to_handover", party, ref)


def hand_over(draw: DrawFn, scratch: _Scratch) -> None:
    """A member proposes a handover; then (or not) everyone consents and it takes effect."""
    by = _pick(draw, scratch.members())
    extras: dict[str, Any] = {}
    if draw(st.booleans()):
        arrangement = _pick(draw, StaffArrangement)
        extras["staff"] = (StaffTransfer(arrangement, draw(st.integers(1, 40))),)
        extras["data_role"] = _pick(draw, DataRole)
    function, effected = _pick(draw, FUNCTIONS), draw(st.booleans())
    made = scratch.attempt("propose_handover", by, function=function, **extras)
    if isinstance(made, Ref) and effected:
        _consent_everyone(scratch, made)
        scratch.attempt("effect_handover", None, made)


def consent(draw: DrawFn, scratch: _Scratch) -> None:
    """Everyone, or one member yet to consent, consents to a proposed handover."""
    ref = _one(draw, scratch.handovers("proposed"))
    if ref is None:
        return
    if draw(st.booleans()):
        _consent_everyone(scratch, ref)
        return
    consents = scratch.handover(ref).consents
    party = _one(draw, [p for p in scratch.members() if p not in consents])
    if party is not None:
        decision = _decision(draw, party, scratch.today)
        scratch.attempt("consent_to_handover", party, ref, ref=decision)


def effect(draw: DrawFn, scratch: _Scratch) -> None:
    ref = _one(draw, scratch.consented())
    if ref is not None:
        scratch.attempt("effect_handover", _pick(draw, (None, *scratch.members())), ref)


def withhold_consent(draw: DrawFn, scratch: _Scratch) -> None:
    ref = _one(draw, scratch.handovers("proposed"))
    if ref is not None:
        party = _pick(draw, scratch.members())
        scratch.attempt("withhold_consent", party, ref, reason="not yet")


def withdraw_handover(draw: DrawFn, scratch: _Scratch) -> None:
    ref = _one(draw, scratch.handovers("proposed"))
    if ref is not None:
        scratch.attempt("withdraw_handover", scratch.handover(ref).from_party, ref)


def recall(draw: DrawFn, scratch: _Scratch) -> None:
    ref = _one(draw, scratch.handovers("effected"))
    if ref is not None:
        by = scratch.handover(ref).from_party
        scratch.attempt("recall_handover", by, ref, reason="brought back in house")


def raise_dispute(draw: DrawFn, scratch: _Scratch) -> None:
    """A member disputes with one or every other member, about nothing in particular, or about
    a variation or handover (preferably one not yet taken, which it may defer); then (or not)
    the dispute is settled at once, or taken up the ladder."""
    members = scratch.members()
    by = _pick(draw, members)
    others = [party for party in members if party != by]
    against = others if draw(st.booleans()) else [_pick(draw, others)]
    about = _pick(draw, (None, "variation", "handover"))
    act: Ref | None = None
    if about == "variation":
        act = _one(draw, scratch.open_variations() or scratch.refs("variation"))
    elif about == "handover":
        act = _one(draw, scratch.handovers("proposed") or scratch.refs("handover"))
    defer = act is not None and draw(st.booleans())
    made = scratch.attempt(
        "raise_dispute", by, against=tuple(against), subject="charges", act=act,
        defer=defer or None,
    )  # fmt: skip
    then = _pick(draw, (None, "settle", "escalate"))
    if isinstance(made, Ref) and then == "settle":
        _settle(draw, scratch, made, by)
    elif isinstance(made, Ref) and then == "escalate":
        _climb(draw, scratch, made, by)


def _disputing(draw: DrawFn, scratch: _Scratch, ref: Ref) -> PartyId:
    return _pick(draw, scratch.dispute(ref).parties)


def _settle(draw: DrawFn, scratch: _Scratch, ref: Ref, by: PartyId) -> None:
    """``by`` proposes terms; then (or not) every disputing party accepts them."""
    terms, accepted = {"charge": _pick(draw, CHARGES)}, draw(st.booleans())
    if scratch.attempt("propose_settlement", by, ref, terms=terms) and accepted:
        for party in scratch.dispute(ref).parties:
            scratch.attempt("accept_settlement", party, ref)


def _climb(draw: DrawFn, scratch: _Scratch, ref: Ref, by: PartyId) -> None:
    """``by`` takes the dispute up one rung or more; then (or not) the dispute moves on there:
    to a settlement, to a mediator at the mediation rung, or to an arbiter's determination at
    the top."""
    view = scratch.dispute(ref)
    for _ in range(draw(st.integers(1, len(view.ladder) - 1 - view.ladder.index(view.rung)))):
        scratch.attempt("escalate_dispute", by, ref)
    rung, top = scratch.dispute(ref).rung, view.ladder[-1]
    then = _pick(draw, (None, "settle", "rung"))
    if then == "settle":
        _settle(draw, scratch, ref, by)
    elif then == "rung" and rung is Rung.MEDIATION:
        scratch.attempt("appoint_mediator", by, ref, mediator="CEDR")
    elif then == "rung" and rung == top:
        terms = {"charge": _pick(draw, CHARGES)}
        scratch.attempt("determine_dispute", None, ref, arbiter="An Arbiter", terms=terms)


def escalate(draw: DrawFn, scratch: _Scratch) -> None:
    ref = _one(draw, scratch.open_disputes(lambda view: view.rung != view.ladder[-1]))
    if ref is not None:
        _climb(draw, scratch, ref, _disputing(draw, scratch, ref))


def settle(draw: DrawFn, scratch: _Scratch) -> None:
    ref = _one(draw, scratch.open_disputes())
    if ref is not None:
        _settle(draw, scratch, ref, _disputing(draw, scratch, ref))


def accept(draw: DrawFn, scratch: _Scratch) -> None:
    """One disputing party yet to accept the proposed terms accepts them."""
    ref = _one(draw, scratch.open_disputes(lambda view: view.proposal is not None))
    if ref is not None:
        view = scratch.dispute(ref)
        party = _one(draw, [p for p in view.parties if p not in view.accepted])
        if party is not None:
            scratch.attempt("accept_settlement", party, ref)


def state_dispute_position(draw: DrawFn, scratch: _Scratch) -> None:
    ref = _one(draw, scratch.open_disputes())
    if ref is not None:
        party = _disputing(draw, scratch, ref)
        position = {"charge": _pick(draw, CHARGES)}
        scratch.attempt("state_dispute_position", party, ref, position=position)


def withdraw_dispute(draw: DrawFn, scratch: _Scratch) -> None:
    ref = _one(draw, scratch.open_disputes())
    if ref is not None:
        scratch.attempt("withdraw_dispute", scratch.dispute(ref).raised_by, ref)


def serve_notice(draw: DrawFn, scratch: _Scratch) -> None:
    scratch.attempt("serve_withdrawal_notice", _pick(draw, scratch.members()))


def retract_notice(draw: DrawFn, scratch: _Scratch) -> None:
    party = _one(draw, list(scratch.partnership().exits))
    if party is not None:
        scratch.attempt("retract_withdrawal_notice", party)


def leave(draw: DrawFn, scratch: _Scratch) -> None:
    """A party (not the host, if it can help it) serves notice, has its exit costs determined
    and pays them, recalls its pooled functions, and withdraws once its notice allows."""
    view = scratch.partnership()
    party = _pick(draw, [p for p in view.active_parties if p != view.host] or view.active_parties)
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
        if scratch.handover(ref).from_party == party:
            scratch.attempt("recall_handover", party, ref)
    scratch.today = max(scratch.today, notice.effective)
    scratch.attempt("complete_withdrawal", party)


def _topic(always: Sequence[Move], *sometimes: tuple[Callable[[_Scratch], object], Move]) -> Move:
    """A move that makes one of the moves ``always``, or of the ``sometimes`` moves whose
    condition holds of the partnership as it stands (listed last, so that the positions of
    the others do not change with the partnership)."""

    def move(draw: DrawFn, scratch: _Scratch) -> None:
        choices = [*always, *(then for holds, then in sometimes if holds(scratch))]
        _pick(draw, choices)(draw, scratch)

    return move


def _any_open(scratch: _Scratch) -> object:
    return scratch.open_disputes()


VARIATIONS = _topic(
    (vary, admit),
    (lambda s: s.dissolving, dissolve),
    (_Scratch.open_variations, approve),
    (_Scratch.open_variations, state_position),
    (_Scratch.open_variations, reject),
)
DISPUTES = _topic(
    (raise_dispute,),
    (lambda s: s.open_disputes(lambda view: view.rung != view.ladder[-1]), escalate),
    (_any_open, settle),
    (lambda s: s.open_disputes(lambda view: view.proposal is not None), accept),
    (_any_open, state_dispute_position),
    (_any_open, withdraw_dispute),
)
HANDOVERS = _topic(
    (hand_over,),
    (lambda s: s.handovers("proposed"), consent),
    (_Scratch.consented, effect),
    (lambda s: s.handovers("proposed"), withhold_consent),
    (lambda s: s.handovers("proposed"), withdraw_handover),
    (lambda s: s.handovers("effected"), recall),
)
WITHDRAWALS = _topic((serve_notice, leave), (lambda s: s.partnership().exits, retract_notice))
TOPICS: tuple[Move, ...] = (VARIATIONS, DISPUTES, HANDOVERS) * 2 + (WITHDRAWALS, change_stage)
"""What a history does next: vary the agreement, dispute, or hand a function over (each twice
as likely as leaving or changing stage, which have fewer kinds of act)."""

MAX_MOVES = 60
"""The most moves in a history: each nests a strategy in the last, and Hypothesis allows a depth
of 100."""


# --- the strategy --------------------------------------------------------------------------------


@st.composite
def _moves(draw: DrawFn, scratch: _Scratch, done: int = 0) -> None:
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
    _pick(draw, TOPICS)(draw, scratch)
    draw(_moves(scratch, done + 1))


@st.composite
def _histories(
    draw: DrawFn, pool: tuple[PartyId, ...], max_steps: int, dissolving: bool
) -> History:
    founders = draw(
        st.lists(st.sampled_from(pool), min_size=2, max_size=min(4, len(pool)), unique=True)
    )
    terms = Terms(
        cost_pools=(_pool(draw, founders),),
        notice=_pick(draw, NOTICES),
        host=_pick(draw, (None, *founders)),
    )
    formation = History(
        name="Shared Service",
        founders=tuple(Party(p, _name(p)) for p in founders),
        terms=terms,
        stage=_pick(draw, STAGES),
        formed_on=draw(st.dates(date(2010, 1, 1), date(2029, 12, 31))),
        steps=(),
    )
    scratch = _Scratch(formation, max_steps, pool, dissolving)
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
    admitted later from those not yet members. The calls cover variations (positions,
    approvals, rejections, admissions), stage changes, handovers (consents, effect, recall,
    withdrawal), disputes up the ladder (positions, escalations, a mediator at mediation,
    settlements, determination at the top rung, withdrawal), withdrawals from the partnership
    (notice, exit costs, payment, completion) and, unless ``dissolve=False``, dissolution,
    after which a history ends.

    Each call was accepted by the library when the history was drawn, so
    :meth:`History.apply` replays them all on any application; ``str(history)`` is their
    script.
    """
    if isinstance(max_steps, bool) or not isinstance(max_steps, int) or max_steps < 0:
        raise InvalidArgument(f"max_steps must be a whole number >= 0, not {max_steps!r}")
    pool = COUNCILS if parties is None else distinct_ids(parties, "parties")
    if len(pool) < 2:
        raise InvalidArgument(f"parties must offer two or more founders, not {list(pool)}")
    if not isinstance(dissolve, bool):
        raise InvalidArgument(f"dissolve must be True or False, not {dissolve!r}")
    return _histories(pool, max_steps, dissolve)
