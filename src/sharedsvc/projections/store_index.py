"""The read stores' queries of the partnerships' index (`sharedsvc.projections.builder_index`
keeps it; `sharedsvc.projections.store` keeps its table with the other read models')."""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from sharedsvc.projections.rows import PartnershipRow
from sharedsvc.projections.store_sovereignty import T

__all__ = ["IndexQueries", "SQLIndex"]

_COLUMNS = "partnership, formed, name, stage, active, dissolved"


class IndexQueries:
    """The partnerships' index's queries, whatever the store."""

    @abstractmethod
    def partnership_row(self, partnership: str) -> PartnershipRow | None:
        """The index's row of the partnership (None: none yet)."""

    @abstractmethod
    def partnership_rows(self, after: int = 0, limit: int = 1000) -> list[PartnershipRow]:
        """At most ``limit`` rows of the index, of the partnerships formed after position
        ``after`` in the log, in the order they were formed."""

    @abstractmethod
    def partnerships_matching(self, name: str, prefix: str) -> list[PartnershipRow]:
        """The rows of the partnerships named ``name`` or whose id (32 hex digits) begins
        with ``prefix`` (lowercase hex digits; none if it is empty), in the order they were
        formed."""


class SQLIndex(IndexQueries):
    """The index's queries over the SQL read stores' table (``p``: the driver's
    placeholder)."""

    p = "?"

    if TYPE_CHECKING:  # provided by the tracking recorder

        def query(self, statement: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]: ...

    def partnership_row(self, partnership: str) -> PartnershipRow | None:
        found = self.query(
            f"SELECT {_COLUMNS} FROM {T}partnerships WHERE partnership = {self.p}",
            (partnership,),
        )
        return PartnershipRow(*found[0]) if found else None

    def partnership_rows(self, after: int = 0, limit: int = 1000) -> list[PartnershipRow]:
        rows = self.query(
            f"SELECT {_COLUMNS} FROM {T}partnerships WHERE formed > {self.p}"
            f" ORDER BY formed LIMIT {int(limit)}",
            (after,),
        )
        return [PartnershipRow(*row) for row in rows]

    def partnerships_matching(self, name: str, prefix: str) -> list[PartnershipRow]:
        p = self.p
        if prefix:  # hex digits only: nothing in it that LIKE reads as a pattern
            rows = self.query(
                f"SELECT {_COLUMNS} FROM {T}partnerships WHERE name = {p}"
                f" OR partnership LIKE {p} ORDER BY formed",
                (name, prefix + "%"),
            )
        else:
            rows = self.query(
                f"SELECT {_COLUMNS} FROM {T}partnerships WHERE name = {p} ORDER BY formed",
                (name,),
            )
        return [PartnershipRow(*row) for row in rows]
