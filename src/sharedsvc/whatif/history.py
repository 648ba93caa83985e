"""A partnership's history read back as the acts of the catalogue that made it.

The acts are read from the store's global log as the scenario writer reads them
(`sharedsvc._scenario.writing.acts_of`): the partnership's own events and those of its handovers
and disputes, in log order, each act once (the events that follow from an act are not acts of
their own), with its original legal date ``on``, and, for an act that made something, the id it
made.
"""

from __future__ import annotations

from datetime import date
from typing import Any, cast
from uuid import UUID

import attrs

from sharedsvc._scenario.log import positioned_log
from sharedsvc._scenario.verbs import VERBS
from sharedsvc._scenario.writing import Written, acts_of
from sharedsvc.acts import Act, FormPartnership
from sharedsvc.application import SharedServices

__all__ = ["Step", "history_of"]


@attrs.frozen
class Step:
    """One act of a partnership's history: its place in the store's global log (that of the
    event that records it), the act, and the id of what it made (``None`` if it made
    nothing)."""

    position: int
    act: Act[Any]
    made: UUID | None = None

    @property
    def on(self) -> date:
        """The act's legal date (every act of the catalogue has one)."""
        on: date = cast(Any, self.act).on
        return on


def _formation(position: int, event: Any) -> Step:
    names = [field.name for field in attrs.fields(FormPartnership)]
    act = FormPartnership(**{name: FormPartnership.read(event, name) for name in names})
    return Step(position, act, FormPartnership.created(event))


def _act(pid: UUID, position: int, written: Written) -> Step:
    verb = VERBS[written.verb]
    fields = attrs.fields_dict(cast(Any, verb.act))
    arguments: dict[str, Any] = {**written.arguments, "on": written.on}
    if verb.actor is not None and (written.actor is not None or not verb.actor_optional):
        arguments[verb.actor] = written.actor
    if verb.target_field is not None:
        arguments[verb.target_field] = written.target
    if "pid" in fields:
        arguments["pid"] = pid
    return Step(position, verb.act(**arguments), written.creates)


def history_of(app: SharedServices, pid: UUID) -> list[Step]:
    """Every act of partnership ``pid``'s history in ``app``, in the order of the store's
    global log, its formation first (``NotFound`` for an unknown partnership)."""
    events = iter(positioned_log(app, pid))
    position, formed = next(events)
    first = _formation(position, formed)
    return [first, *(_act(first.made or pid, p, w) for p, w in acts_of(events))]
