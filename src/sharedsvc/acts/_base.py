"""What every act of the catalogue is: a frozen command, its declaration, and its door.

An act is a frozen attrs class named as its verb in CamelCase (``ChangeStage`` for
``change_stage``). Its fields are the verb's parameters, in the verb's order; the first is the
act's *target* (``pid``, ``hid``, ``did``; a formation has none), which
[`Act.acts_on`][sharedsvc.acts.Act.acts_on] names (a field of its own may be called ``target``,
as a recorded outcome's is). Beside its fields, an act declares once, as plain class attributes:

- ``actor``: the keyword of the acting party (``"by"`` or ``"party"``), or ``None``;
- ``creates``: what the act makes and returns the id of (``"variation"``...), or ``None``;
  ``created_id``: where the recording event holds that id (``originator_id`` unless said;
  a dotted path, as in ``sources``: ``"variation.id"``);
- ``authority``: whether it binds a council or the partnership, so that it normally carries a
  decision reference (its ``ref`` field) and the audit marks it when it has none;
- ``records``: the event that records it, and ``consequences``: the events written with it that
  follow from it (an adoption with the last approval), which carrying the act out writes again;
- ``sources``: where a field is read back from the recording event when the event names it
  otherwise (``{"vid": "variation_id"}``; a dotted path reads into a field of the event); a
  target is read from ``originator_id`` unless said; ``flags``: a ``bool`` field that is true
  when the given consequence was written with the act;
- ``compound``: true for an act made of other acts of the catalogue, carried out in one save
  but recording no event of its own (a reorganisation is a succession in each partnership):
  it stays out of [`CATALOGUE`][sharedsvc.acts.CATALOGUE];
- ``method``: the name of the target's method that carries the act out, where it is not named
  as the verb (``"consent"`` for ``consent_to_handover``).

[`Act.read`][sharedsvc.acts.Act.read] reads a field back from a recording event,
[`Act.created`][sharedsvc.acts.Act.created] the id of what it made, and
[`Act.taken`][sharedsvc.acts.Act.taken] tells an event of the act taken from one written as another
act's consequence (a recall written by a dissolution names no acting party).

The read side finds events through the catalogue rather than by their class names:
[`act_for`][sharedsvc.acts.act_for] is the act an event records,
[`Act.consequence`][sharedsvc.acts.Act.consequence] one of an act's consequences by a field it
carries, and [`openings`][sharedsvc.acts.openings] the acts whose event opens a handover or
dispute of a partnership. So an act added to the catalogue needs nothing on the read side beyond
its one-line summary.

``run(unit)`` carries the act out on the aggregates a [`Unit`][sharedsvc.acts.Unit] loads;
[`sharedsvc.SharedServices.execute`][sharedsvc.SharedServices.execute] gives it one, saves what
changed in one go, and returns what ``run`` returned. An act has a ``run`` of its own only where
calling its target's method is not enough (see [`Act.run`][sharedsvc.acts.Act.run]).
[`door`][sharedsvc.acts.door] makes the named verb from the class.
"""

from __future__ import annotations

import dataclasses
import inspect
import re
import typing
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any, ClassVar, Concatenate, Generic, ParamSpec, Protocol, TypeVar, cast

import attrs

from sharedsvc.domain.coordination import Unit
from sharedsvc.domain.partnership import Partnership

__all__ = [
    "CATALOGUE",
    "FREE_MAPPING",
    "ID_KINDS",
    "QUANTITIES",
    "READINESS_SCORES",
    "TERM_CHANGES",
    "Act",
    "Executor",
    "act_for",
    "door",
    "openings",
    "refers_to",
]

R = TypeVar("R", covariant=True)
T = TypeVar("T")
P = ParamSpec("P")

ID_KINDS: Mapping[str, str] = MappingProxyType(
    {"pid": "partnership", "vid": "variation", "hid": "handover", "did": "dispute"}
)
"""The fields that hold the id of something recorded, and what they name."""

TERM_CHANGES: Mapping[str, str] = MappingProxyType({"form": "term-changes"})
"""Field metadata: a mapping of [`Terms`][sharedsvc.Terms] field names to new values."""
FREE_MAPPING: Mapping[str, str] = MappingProxyType({"form": "free"})
"""Field metadata: a mapping of subjects to values of any plain kind (dispute positions)."""
READINESS_SCORES: Mapping[str, str] = MappingProxyType({"form": "readiness-scores"})
"""Field metadata: a mapping of readiness areas to scores from 0 to 5."""
QUANTITIES: Mapping[str, str] = MappingProxyType({"form": "quantities"})
"""Field metadata: a mapping of parties to quantities (whole numbers or decimals)."""


def refers_to(*kinds: str) -> Mapping[str, tuple[str, ...]]:
    """Field metadata: the field holds the id of one of ``kinds`` (``"variation"``...)."""
    return MappingProxyType({"refers": kinds})


_catalogue: dict[str, type[Act[Any]]] = {}

CATALOGUE: Mapping[str, type[Act[Any]]] = MappingProxyType(_catalogue)
"""Every act of the catalogue, by the name of its verb."""


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


class Act(Generic[R]):
    """Base of every act: one call of a verb, as data."""

    verb: ClassVar[str] = ""
    actor: ClassVar[str | None] = None
    creates: ClassVar[str | None] = None
    created_id: ClassVar[str] = "originator_id"
    authority: ClassVar[bool] = False
    records: ClassVar[type[Any]]
    consequences: ClassVar[tuple[type[Any], ...]] = ()
    sources: ClassVar[Mapping[str, str]] = MappingProxyType({})
    flags: ClassVar[Mapping[str, type[Any]]] = MappingProxyType({})
    method: ClassVar[str | None] = None

    compound: ClassVar[bool] = False

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if not cls.__name__.startswith("_"):
            cls.verb = _snake(cls.__name__)
            if not cls.compound:  # an act made of others is carried out, never recorded
                _catalogue[cls.verb] = cls  # attrs remakes the class: the last one is kept

    @classmethod
    def acts_on(cls) -> str | None:
        """The name of the field holding what the act acts on, or ``None`` (it makes it)."""
        first: str = attrs.fields(cast(Any, cls))[0].name
        return first if first in ID_KINDS else None

    @classmethod
    def source(cls, field: str) -> str:
        """The attribute path on the recording event that holds ``field``."""
        if field in cls.sources:
            return cls.sources[field]
        return "originator_id" if field == cls.acts_on() else field

    @classmethod
    def read(cls, event: Any, field: str) -> Any:
        """The value of ``field`` as ``event``, an event of `records`, recorded it."""
        return _follow(event, cls.source(field))

    @classmethod
    def created(cls, event: Any) -> Any:
        """The id of what the act made, as ``event``, an event of `records`, holds it."""
        return _follow(event, cls.created_id)

    @classmethod
    def taken(cls, event: Any) -> bool:
        """Whether ``event``, an event of `records`, records the act taken, not written
        with another act as its consequence: an act that requires its acting party always names
        one, so an event of it without one (a recall written by a dissolution) is a
        consequence."""
        return not (_actor_required(cls) and cls.read(event, cast(str, cls.actor)) is None)

    @classmethod
    def consequence(cls, carrying: str) -> type[Any]:
        """The one event of `consequences` that carries a field named ``carrying``: how
        a reader names a consequence by what it holds (``ApproveVariation.consequence("party")``
        is the admission of a party written with an adoption). Raises ``LookupError`` unless
        exactly one does, so a reader that asks is told when a new consequence makes its
        question ambiguous."""
        found = [
            kind
            for kind in dict.fromkeys(cls.consequences)
            if carrying in {field.name for field in dataclasses.fields(kind)}
        ]
        if len(found) != 1:
            names = ", ".join(kind.__name__ for kind in found) or "none"
            raise LookupError(
                f"{cls.__name__} has not exactly one consequence carrying {carrying!r} ({names})"
            )
        return found[0]

    def run(self, unit: Unit) -> R:
        """Carry the act out on the aggregates ``unit`` loads; return what the verb returns.

        By default, an act on a partnership calls the partnership's method named ``method``
        (the verb, unless the act says otherwise) with the ids of what the act refers to
        within the partnership (a variation's ``vid``), then the act's other fields: an act
        whose method is named and shaped so needs no ``run`` of its own. The acts on handovers
        and on disputes share a default of their own in the same way."""
        arguments = self.arguments()
        name = self.method or self.verb
        if self.acts_on() != "pid" or not hasattr(Partnership, name):
            raise NotImplementedError(f"{type(self).__name__} does not say how it is carried out")
        partnership = unit.partnership(arguments.pop("pid"))
        within = [unit.uuid(arguments.pop(f), ID_KINDS[f]) for f in [*arguments] if f in ID_KINDS]
        return cast(R, getattr(partnership, name)(*within, **arguments))

    def arguments(self) -> dict[str, Any]:
        """The act's fields, by name (as the verb takes them)."""
        return attrs.asdict(self, recurse=False)  # type: ignore[arg-type]


def _follow(event: Any, path: str) -> Any:
    value = event
    for name in path.split("."):
        value = getattr(value, name)
    return value


_actor_required_of: dict[type[Any], bool] = {}


def _actor_required(act: type[Act[Any]]) -> bool:
    """Whether ``act`` has an acting party that must be given (a field without a default)."""
    required = _actor_required_of.get(act)
    if required is None:
        fields = attrs.fields_dict(cast(Any, act))
        required = act.actor is not None and fields[act.actor].default is attrs.NOTHING
        _actor_required_of[act] = required
    return required


_by_event: dict[type[Any], type[Act[Any]]] = {}


def act_for(event: object) -> type[Act[Any]] | None:
    """The act of the catalogue that ``event`` (an event, or its class) records: the one whose
    `Act.records` is its class. ``None`` for an event written only as a consequence of
    acts (an adoption, a function pooled) and for any other class."""
    if len(_by_event) != len(_catalogue):  # indexed once every act is declared
        _by_event.clear()
        _by_event.update((act.records, act) for act in _catalogue.values())
    return _by_event.get(event if isinstance(event, type) else type(event))


def openings() -> dict[str, type[Act[Any]]]:
    """The acts whose event opens something recorded under an id of its own within a
    partnership (a handover, a dispute), by their event's topic: that first event names the
    partnership (``act.read(event, "pid")``), and the later events of what it opened do not."""
    return {
        act.records.TOPIC: act
        for act in _catalogue.values()
        if act.creates is not None
        and ID_KINDS.get(act.acts_on() or "") == "partnership"
        and act.created_id == "originator_id"
    }


class Executor(Protocol):
    """What a door opens onto: an application that executes acts."""

    def execute(self, act: Act[T]) -> T: ...


def door(act: Callable[P, Act[T]]) -> Callable[Concatenate[Executor, P], T]:
    """The named verb of an act: builds the act from the verb's arguments and executes it.

    The verb has the act's name, docstring and signature, so ``help(app.change_stage)`` and
    ``inspect.signature`` show the parameters."""
    kind: Any = act

    def verb(self: Executor, /, *args: P.args, **kwargs: P.kwargs) -> T:
        return self.execute(act(*args, **kwargs))

    parameters = list(inspect.signature(kind).parameters.values())
    self_parameter = inspect.Parameter("self", inspect.Parameter.POSITIONAL_OR_KEYWORD)
    returns = _result_name(kind)
    verb.__name__ = verb.__qualname__ = kind.verb
    verb.__doc__ = kind.__doc__
    verb.__signature__ = inspect.Signature([self_parameter, *parameters], return_annotation=returns)  # type: ignore[attr-defined]
    verb.__wrapped_act__ = kind  # type: ignore[attr-defined]
    return verb


def _result_name(kind: type[Any]) -> str:
    """The name of the type an act returns: the argument of the ``Act[...]`` base it (or the
    nearest of its bases) gives one (``ChangeStage(Act[None])`` returns ``"None"``)."""
    for klass in kind.__mro__:
        for base in vars(klass).get("__orig_bases__", ()):
            origin = typing.get_origin(base)
            if isinstance(origin, type) and issubclass(origin, Act):
                (result,) = typing.get_args(base)
                if not isinstance(result, TypeVar):
                    return "None" if result is type(None) else str(result.__name__)
    raise TypeError(f"{kind.__name__} does not say what it returns: derive it from Act[...]")
