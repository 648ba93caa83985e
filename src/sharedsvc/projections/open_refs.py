"""What the read models' builder remembers between events of the acts still open: the decision
reference each party gave when it approved a variation, consented to a handover or accepted a
dispute's settlement, which the ledger entries written when the act closes rest on.

`OpenRefs` keeps them for the builder (`sharedsvc.projections.builder`): those of this batch in
memory, those of earlier batches in the read store (its ``refs`` table), which a builder that
restarts asks. What is kept follows what is open: the references of an act are dropped, here and
in the store, when it closes.
"""

from __future__ import annotations

from typing import Any

import orjson

from sharedsvc.projections.ledger import UNRECORDED
from sharedsvc.projections.rows import Memory, Rows

__all__ = ["OpenRefs"]


def _dump(value: Any) -> str:
    return orjson.dumps(value).decode()


class OpenRefs:
    """The decision references of open variations, handovers and disputes (see the module),
    as decoded JSON, by source (the act's id as 32 hex digits) and party."""

    def __init__(self, memory: Memory) -> None:
        self.memory = memory
        self._refs: dict[str, dict[str, Any]] = {}
        self._unsaved: set[str] = set()  # sources with refs the store does not have yet
        self._saved: set[str] = set()  # open sources with refs in the store
        self._asked = False  # whether _saved includes those the store had before we started

    def remember(self, source: str, party: str, ref: Any) -> None:
        """``party`` gave ``ref`` (decoded JSON, or None) in the open act ``source``."""
        self._refs.setdefault(source, {})[party] = ref
        self._unsaved.add(source)

    def ref(self, source: str, party: str) -> str | bool | None:
        """The decision reference ``party`` gave when it approved a variation, consented to
        a handover or accepted a dispute's settlement (``source``), as JSON text; None if it
        gave none, and `UNRECORDED` if it recorded no such act."""
        try:
            ref = self._refs[source][party]
        except KeyError:
            found = self.memory.ref(source, party)
            if found is not UNRECORDED:
                self._saved.add(source)  # kept by the store before this builder started
            return found
        return None if ref is None else _dump(ref)

    def forget(self, rows: Rows, source: str) -> None:
        """A closed variation's approvals (an effected or withdrawn handover's consents, a
        closed dispute's acceptances) are needed no more: what is remembered, here and in the
        store, follows what is open."""
        self._refs.pop(source, None)
        self._unsaved.discard(source)
        if not self._asked:  # a follower that restarted: what did the store keep before?
            self._saved |= self.memory.ref_sources()
            self._asked = True
        if source in self._saved:
            self._saved.discard(source)
            rows.closed.append(source)

    def flush(self, rows: Rows) -> Rows:
        """Add to ``rows`` the references of the acts still open at the end of a batch (those
        closed within it never reach the store); returns ``rows``."""
        for source in self._unsaved:
            for party, ref in self._refs.get(source, {}).items():
                rows.refs.append((source, party, None if ref is None else _dump(ref)))
            self._saved.add(source)
        self._unsaved.clear()
        return rows
