"""The SQL read stores' queries of the sovereignty map (`sharedsvc.projections.store`
keeps its tables with the other read models'), and the prefix of every read-model table."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from sharedsvc.projections.rows import SovereigntyRow, SovereigntyState

__all__ = ["SQLSovereignty", "T"]

T = "sharedsvc_rm_"
"""The prefix of the read models' tables."""


class SQLSovereignty:
    """The sovereignty map's queries over the SQL read stores' tables (``p``: the driver's
    placeholder)."""

    p = "?"

    if TYPE_CHECKING:  # provided by the tracking recorder

        def query(self, statement: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]: ...

    def sovereignty_state(self, partnership: str) -> SovereigntyState | None:
        found = self.query(
            f"SELECT formed, name, stage, state FROM {T}sovereignty_state"
            f" WHERE partnership = {self.p}",
            (partnership,),
        )
        return SovereigntyState(*found[0]) if found else None

    def sovereignty_rows(self, party: str) -> list[SovereigntyRow]:
        """One query by party (the table's key begins with it), joined with the states of
        the partnerships for their names, stages and the order they were formed."""
        rows = self.query(
            f"SELECT e.party, e.partnership, e.opened, e.seq, e.status, e.from_party, e.function,"
            f" e.since, e.until, s.formed, s.name, s.stage FROM {T}sovereignty e"
            f" JOIN {T}sovereignty_state s ON s.partnership = e.partnership"
            f" WHERE e.party = {self.p} ORDER BY s.formed, e.since, e.opened, e.seq",
            (party,),
        )
        return [SovereigntyRow(*row) for row in rows]

    def _drop_entries(self, cursor: Any, keys: list[tuple[str, str, int, int]]) -> None:
        """Within a write: delete the entries of these keys (entries that never began)."""
        if keys:
            p = self.p
            cursor.executemany(
                f"DELETE FROM {T}sovereignty WHERE party = {p} AND partnership = {p}"
                f" AND opened = {p} AND seq = {p}",
                keys,
            )
