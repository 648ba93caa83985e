"""The read models' rows: what each read model keeps of an event, and what a batch adds.

The builder (`sharedsvc.projections.builder`) makes them; the read stores
(`sharedsvc.projections.store`) keep them and give them back to queries.
"""

from __future__ import annotations

from typing import Any, NamedTuple, Protocol

__all__ = [
    "CompromiseRow",
    "Memory",
    "Owner",
    "PartnershipRow",
    "Rows",
    "SovereigntyRow",
    "SovereigntyState",
    "TrailRow",
    "VersionRow",
]


class TrailRow(NamedTuple):
    """An entry of the audit trail's index: where an event is and whose it is
    (``aggregate`` None when it is the partnership's own), its name and legal date. The rest
    of the entry is read from the event itself when the trail is read."""

    position: int
    partnership: str
    aggregate: str | None
    version: int
    event: str
    on: str

    @property
    def aggregate_id(self) -> str:
        """The id (32 hex digits) of the aggregate whose event it is."""
        return self.partnership if self.aggregate is None else self.aggregate


class CompromiseRow(NamedTuple):
    """An entry of the compromise ledger (``seq``: its place among its event's entries),
    its values and decision reference as stored JSON text."""

    position: int
    seq: int
    partnership: str
    party: str
    kind: str
    subject: str
    wanted: str
    accepted: str
    rationale: str | None
    ref: str | None
    on: str
    event: str
    source: str


class VersionRow(NamedTuple):
    """A value a partnership's field took (as stored JSON text), and the event that set it."""

    position: int
    partnership: str
    field: str
    value: str
    event: str
    on: str
    effective: str
    recorded_at: str


class SovereigntyState(NamedTuple):
    """What the sovereignty map keeps of a partnership: where it was formed in the log, its
    name and stage (stored JSON text) and, as JSON text, what the builder needs to carry on
    (its host, its pooled functions and the entries still open)."""

    formed: int
    name: str
    stage: str
    state: str


class SovereigntyRow(NamedTuple):
    """An entry of a party's sovereignty map, with its partnership's `SovereigntyState`
    (``opened``, ``seq``: the event that opened the entry and its place among that event's
    entries; ``from_party``: whose share of the function it is; ``function`` as stored JSON
    text; dates in ISO form, ``until`` None while it
    lasts)."""

    party: str
    partnership: str
    opened: int
    seq: int
    status: str
    from_party: str
    function: str
    since: str
    until: str | None
    formed: int
    name: str
    stage: str


class PartnershipRow(NamedTuple):
    """A partnership as it stands, as the partnerships' index keeps it: where it was formed in
    the log, its name (the latest rename adopted), its stage, its members in order of joining
    (as JSON text: the members it had when it was dissolved, once it is) and the date its
    dissolution takes effect (ISO form, None while it is in force)."""

    partnership: str
    formed: int
    name: str
    stage: str
    active: str
    dissolved: str | None


class Owner(NamedTuple):
    """Whose a handover or dispute is, and for a handover what its ledger entry needs."""

    partnership: str
    kind: str
    info: str | None


class Rows:
    """What one batch of events adds to the read store: plain tuples, in the order of the
    fields of `TrailRow`, `CompromiseRow` and `VersionRow`; the trail's
    and the versions' grouped by partnership (and without it), as they are kept in pages."""

    __slots__ = (
        "closed",
        "compromises",
        "owners",
        "partnerships",
        "refs",
        "sovereignty",
        "sovereignty_state",
        "trail",
        "versions",
    )

    def __init__(self) -> None:
        self.closed: list[str] = []  # variations, handovers, disputes whose kept refs can go
        self.trail: dict[str, list[tuple[Any, ...]]] = {}
        self.compromises: list[tuple[Any, ...]] = []
        self.versions: dict[str, list[tuple[Any, ...]]] = {}
        self.owners: list[tuple[str, str, str, str | None]] = []
        self.refs: list[tuple[str, str, str | None]] = []
        # the sovereignty map's entries (the first nine fields of `SovereigntyRow`; None:
        # dropped) by (party, partnership, opened, seq), and its partnerships' states: the
        # last wins
        self.sovereignty: dict[tuple[str, str, int, int], tuple[Any, ...] | None] = {}
        self.sovereignty_state: dict[str, tuple[str, int, str, str, str]] = {}
        # the partnerships' index, by partnership: the last wins
        self.partnerships: dict[str, PartnershipRow] = {}


class Memory(Protocol):
    """Where the builder finds what it has not seen itself (the read store)."""

    def owner(self, aggregate: str) -> Owner | None: ...

    def ref(self, source: str, party: str) -> str | bool | None:
        """The decision reference (JSON text, or None) ``party`` gave when it approved the
        variation, consented to the handover or accepted the settlement of the dispute
        ``source``; False if none was recorded."""
        ...

    def latest(self, partnership: str) -> dict[str, str]: ...

    def ref_sources(self) -> set[str]:
        """The variations, handovers and disputes whose decision references the store
        keeps."""
        ...

    def sovereignty_state(self, partnership: str) -> SovereigntyState | None:
        """What the sovereignty map keeps of the partnership (None: nothing yet)."""
        ...

    def partnership_row(self, partnership: str) -> PartnershipRow | None:
        """The partnerships' index's row of the partnership (None: nothing yet)."""
        ...
