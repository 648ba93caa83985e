"""Forks: a partnership's history up to a date, copied into an application in memory, to ask
what would have followed had something gone otherwise.

[`fork_of`][sharedsvc.whatif.fork_of] (what ``app.fork(pid, at=...)`` calls) reads the
partnership's history as acts of the catalogue ([`history_of`][sharedsvc.whatif.history_of]) and
takes again, on a new in-memory [`Fork`][sharedsvc.whatif.Fork], every act dated on or before
``at``, through the same ``execute`` as any act: so the fork holds what the rules make of
them, and what an act made keeps the id it has in the store it came from. Nothing is written
to that store. The acts dated after ``at`` wait in the fork for
[`replay_rest`][sharedsvc.whatif.Fork.replay_rest].
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any, NamedTuple, TypeVar
from uuid import UUID

from sharedsvc.acts import Act
from sharedsvc.application import SharedServices
from sharedsvc.domain.errors import (
    ConcurrencyConflict,
    NotFound,
    RuleViolation,
    SharedServiceError,
)
from sharedsvc.domain.ids import ids_given
from sharedsvc.domain.validators import shown
from sharedsvc.domain.values import INVALID
from sharedsvc.whatif.history import Step, history_of

__all__ = ["Fork", "Replayed", "fork_of", "rule_of"]

T = TypeVar("T")

ORDER = "dates-in-order"


class Replayed(NamedTuple):
    """One act of the base's history taken on a fork: its position in the base's global log,
    the act (a command of [`sharedsvc.acts`][sharedsvc.acts]), and ``"ok"`` if the fork
    recorded it or the code of the rule that refused it."""

    position: int
    act: Act[Any]
    outcome: str


def rule_of(error: SharedServiceError) -> str:
    """The code an act's refusal is reported by: a rule's own code (``members-only`` for
    an act by a non-member), ``not-found`` for something that does not exist."""
    if isinstance(error, RuleViolation):
        return error.rule
    if isinstance(error, NotFound):
        return "not-found"
    if isinstance(error, ConcurrencyConflict):
        return "concurrency-conflict"
    return "refused"


class Fork(SharedServices):
    """An in-memory application holding a partnership's history up to a date, made by
    [`SharedServices.fork`][sharedsvc.SharedServices.fork]. It takes every verb with the same
    rules as any application, and writes nothing anywhere else; an act dated before the
    fork's date is refused (``dates-in-order``).

    Attributes:
        at: the date the fork was cut at.
        partnership_id: the partnership it was cut from.
        copied: the acts of the history dated on or before ``at``, each with its outcome
            on the fork: ``"ok"`` unless the cut took away something it stood on (an act
            entered late, after acts dated later).
    """

    def __init__(self, env: dict[str, str] | None = None) -> None:
        super().__init__(env={"PERSISTENCE_MODULE": "eventsourcing.popo", **(env or {})})
        self.at: date | None = None
        self.partnership_id: UUID | None = None
        self.copied: tuple[Replayed, ...] = ()
        self._waiting: list[Step] = []

    def execute(self, act: Act[T]) -> T:
        """As [`SharedServices.execute`][sharedsvc.SharedServices.execute]; an act dated
        before the fork's date is refused (``dates-in-order``)."""
        on = getattr(act, "on", None)
        floor = self.at
        if floor is not None and isinstance(on, date) and on < floor:
            raise RuleViolation(
                ORDER,
                f"this fork holds the record as it stood on {floor.isoformat()}: an act on it "
                f"is dated on or after that day, not {on.isoformat()}",
            )
        return super().execute(act)

    def replay_rest(self) -> list[Replayed]:
        """Take on the fork, in the order of the base's global log and with their own dates,
        the base's acts dated after the fork's date (on the partnership, its handovers and
        its disputes): each [`Replayed`][sharedsvc.whatif.Replayed] with its position in the
        base's log, the act, and ``"ok"`` or the code of the rule that refused it here (a
        refusal is reported, never raised). An act that makes something keeps the id it
        made in the base. The acts are replayed once: a second call finds none left."""
        waiting, self._waiting = self._waiting, []
        return [Replayed(step.position, step.act, self._retake(step)) for step in waiting]

    def _retake(self, step: Step) -> str:
        try:
            with ids_given([] if step.made is None else [step.made]):
                self.execute(step.act)
        except SharedServiceError as error:
            return rule_of(error)
        return "ok"

    def _copy(self, pid: UUID, at: date, steps: Iterable[Step]) -> None:
        copied, waiting = [], []
        for step in steps:
            if step.on <= at:
                copied.append(Replayed(step.position, step.act, self._retake(step)))
            else:
                waiting.append(step)
        self.at, self.partnership_id = at, pid
        self.copied, self._waiting = tuple(copied), waiting


def _a_date(value: object) -> date:
    if not isinstance(value, date) or isinstance(value, datetime):
        raise RuleViolation(INVALID, f"at must be a date, not {shown(value)}")
    return value


def fork_of(base: SharedServices, pid: UUID, at: date) -> Fork:
    """A [`Fork`][sharedsvc.whatif.Fork] of partnership ``pid`` of ``base`` as it stood on
    ``at`` (see the module). Raises [`NotFound`][sharedsvc.NotFound] for an unknown
    partnership or one formed after ``at``, and ``invalid-value`` for an ``at`` that is not
    a date."""
    day = _a_date(at)
    view = base.partnership(pid)  # NotFound for an unknown partnership
    if day < view.formed_on:
        raise NotFound(
            f"partnership {view.name!r} was formed on {view.formed_on.isoformat()}: "
            f"there is nothing to fork on {day.isoformat()}"
        )
    steps = history_of(base, view.id)
    fork = Fork()
    try:
        fork._copy(view.id, day, steps)
    except BaseException:
        fork.close()
        raise
    return fork
