"""The status of each closed variation of a partnership, kept out of its snapshots.

A partnership answers for every variation it ever had: acting on a closed one is refused
(``variation-closed``), a dispute may name one, and a view lists them all. Kept in the state,
those statuses would make every snapshot grow with the history (about 50 bytes a variation:
97 KB at 10,000 events), and every cold load with it. So a snapshot leaves them out, and a
partnership restored from one knows only the variations closed since; the first question it
cannot answer from those reads the rest from its own record, once (the application gives it
the way to read, `ClosedVariations.attach`). A partnership built from its events knows them
all and never reads.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, Self
from uuid import UUID

from sharedsvc.domain.records import VariationStatus

__all__ = ["ClosedStatuses", "ClosedVariations", "Finder"]

Finder = Callable[[], Iterable[tuple[UUID, VariationStatus]]]
"""Reads the statuses of the variations a partnership closed before its snapshot, from the
record: ``(variation id, status)`` pairs."""


class ClosedStatuses(Mapping[UUID, VariationStatus]):
    """Variation id -> ``adopted`` or ``rejected``, read from the record on first use when the
    statuses came from a snapshot. A read-only mapping: what a view holds."""

    __slots__ = ("_complete", "_finder", "_known")

    def __init__(
        self,
        known: Mapping[UUID, VariationStatus] | None = None,
        *,
        complete: bool = True,
        finder: Finder | None = None,
    ) -> None:
        self._known: dict[UUID, VariationStatus] = dict(known or {})
        self._complete = complete
        self._finder = None if complete else finder

    @property
    def complete(self) -> bool:
        """Whether every status is at hand, with no need to read the record."""
        return self._complete

    def _all(self) -> dict[UUID, VariationStatus]:
        if not self._complete:
            if self._finder is None:
                raise LookupError(
                    "this partnership was restored from a snapshot, which leaves out its closed "
                    "variations, and was not given its record to read them from: load it "
                    "through SharedServices"
                )
            found = dict(self._finder())
            found.update(self._known)  # what was closed since the snapshot, in order
            self._known, self._complete, self._finder = found, True, None
        return self._known

    def get(self, key: object, default: Any = None) -> Any:
        status = self._known.get(key)  # type: ignore[call-overload]
        if status is None and not self._complete:
            status = self._all().get(key)  # type: ignore[call-overload]
        return default if status is None else status

    def __getitem__(self, key: UUID) -> VariationStatus:
        status: VariationStatus | None = self.get(key)
        if status is None:
            raise KeyError(key)
        return status

    def __contains__(self, key: object) -> bool:
        return self.get(key) is not None

    def __iter__(self) -> Iterator[UUID]:
        return iter(self._all())

    def __len__(self) -> int:
        return len(self._all())

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Mapping):
            return NotImplemented
        return self._all() == dict(other.items())

    def __hash__(self) -> int:
        return hash(frozenset(self._all().items()))

    def __repr__(self) -> str:
        shown = repr(self._known) if self._complete else f"{self._known!r} and more in the record"
        return f"{type(self).__name__}({shown})"

    def copy(self) -> Self:
        """A copy that shares the finder (and reads the record on its own if it must)."""
        return type(self)(self._known, complete=self._complete, finder=self._finder)

    def __deepcopy__(self, memo: dict[int, Any]) -> Self:
        return self.copy()

    def __reduce__(self) -> tuple[Any, ...]:  # pickled whole: a finder does not travel
        return (type(self), (self._all(),))


class ClosedVariations(ClosedStatuses):
    """A partnership's closed variations: its events add to them (`close`)."""

    __slots__ = ()

    @classmethod
    def restored(cls) -> ClosedVariations:
        """The statuses of a partnership restored from a snapshot: none at hand yet."""
        return cls(complete=False)

    def attach(self, finder: Finder) -> None:
        """Give a restored partnership's statuses the way to read the others from the record
        (nothing changes if every status is at hand)."""
        if not self._complete:
            self._finder = finder

    def close(self, variation_id: UUID, status: VariationStatus) -> None:
        """Record that ``variation_id`` closed with ``status``."""
        self._known[variation_id] = status

    def frozen(self) -> ClosedStatuses:
        """A read-only copy for a view: the record is read only if the view is asked."""
        return ClosedStatuses(self._known, complete=self._complete, finder=self._finder)


def statuses(events: Iterable[Any]) -> Iterator[tuple[UUID, VariationStatus]]:
    """The ``(variation id, status)`` of each closing event among ``events`` (the finder's
    work: events without a ``closes_as`` are passed over)."""
    for event in events:
        status = getattr(event, "closes_as", None)
        if status is not None:
            yield event.variation_id, status
