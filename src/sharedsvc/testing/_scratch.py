"""The scratch application a history is drawn on, which keeps the calls the library accepts.

Private to `sharedsvc.testing.histories`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from typing import Any
from uuid import UUID

from hypothesis import strategies as st
from hypothesis.strategies import DrawFn

from sharedsvc.application import SharedServices
from sharedsvc.domain.errors import SharedServiceError
from sharedsvc.domain.records import RENAME
from sharedsvc.domain.values import Basis, CostPool, Governance, PartyId, Stage, apportion
from sharedsvc.domain.views import DisputeView, HandoverView, PartnershipView
from sharedsvc.testing._drafting import FUNCTIONS, NOTICES, RENAMES, one, pick
from sharedsvc.testing._history import KINDS, VERBS, History, Ref, Step

__all__ = ["FIELDS", "SLAS", "STAGES", "Scratch", "pool", "term"]

FIELDS = ("casting_vote", "notice", "cost_pools", "host", "governance", "sla", "scope", RENAME)
"""What a drawn variation changes: the terms, and the partnership's name (a rename)."""
SLAS = (None, "99.5% uptime", "calls answered within a day")
STAGES = (
    Stage.CO_OPERATING, Stage.COLLABORATING, Stage.COMBINING, Stage.COORDINATING,
    Stage.COMMUNICATING, Stage.CO_EXISTING,
)  # fmt: skip


def pool(draw: DrawFn, parties: Sequence[PartyId]) -> CostPool:
    """An ``ict`` pool over ``parties``: equal, or by usage with drawn weights."""
    if not draw(st.booleans()):
        return CostPool.equal("ict", parties)
    weights = draw(
        st.lists(st.integers(0, 9), min_size=len(parties), max_size=len(parties)).filter(any)
    )  # no usage at all is nothing to apportion
    shares = apportion({p: Decimal(w) for p, w in zip(parties, weights, strict=True)})
    return CostPool("ict", Basis.USAGE, shares)


def term(draw: DrawFn, field: str, parties: Sequence[PartyId]) -> Any:
    """A value of the term ``field`` (or a name, for `RENAME`) for a partnership of
    ``parties``."""
    if field == "casting_vote":
        return draw(st.booleans())
    if field == "cost_pools":
        return (pool(draw, parties),)
    if field == "scope":
        return tuple(draw(st.lists(st.sampled_from(FUNCTIONS), max_size=3, unique=True)))
    values: dict[str, Iterable[Any]] = {
        "notice": NOTICES, "host": (None, *parties), "governance": Governance, "sla": SLAS,
        RENAME: RENAMES,
    }  # fmt: skip
    return pick(draw, values[field])


class Scratch:
    """An in-memory application on which a history is drawn, and the steps it accepted.

    It is also the `Setting` the generic move drafts acts
    in: the members and the parties yet to join, today, and what the history has made."""

    def __init__(
        self, history: History, max_steps: int, pool: tuple[PartyId, ...], dissolving: bool
    ) -> None:
        self.app = SharedServices.in_memory()
        self.pid = history.form(self.app)
        self.today = history.formed_on
        self.max_steps = max_steps
        self.pool_of_parties = pool
        self.dissolving = dissolving
        self.steps: list[Step] = []
        self.made: dict[str, list[UUID]] = {kind: [] for kind in KINDS}
        self._views: dict[UUID, Any] = {}  # views read since the last accepted step

    def attempt(
        self, verb: str, actor: str | None, target: Ref | None = None, /, **arguments: Any
    ) -> Ref | bool:
        """Make the call today and keep it as a step if the library accepts it. Returns the
        ``Ref`` of what it made, else whether it was accepted (never, once the history is
        full, nor a proposal to dissolve in a history that may not dissolve). Arguments that
        are ``None`` are left to their defaults. What the verb acts on, ``target``, is given by
        position: an act may have an argument named ``target`` of its own (a recorded
        outcome's)."""
        if len(self.steps) >= self.max_steps or (arguments.get("dissolve") and not self.dissolving):
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
        view = self.partnership()  # once dissolved, the members at the end may still note
        return view.active_parties or view.members_at_dissolution

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

    # --- as a setting for drafting acts ---------------------------------------------------------

    def parties(self) -> Sequence[PartyId]:
        return self.members()

    def joiners(self) -> Sequence[PartyId]:
        members = self.members()
        return [party for party in self.pool_of_parties if party not in members]

    def pool(self, draw: DrawFn, parties: Sequence[PartyId]) -> CostPool:
        return pool(draw, parties)

    def thing(self, draw: DrawFn, kinds: tuple[str, ...]) -> Ref | None:
        return one(draw, [ref for kind in kinds for ref in self.refs(kind)])
