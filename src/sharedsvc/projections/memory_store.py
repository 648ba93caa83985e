"""The read models of an in-memory store: dictionaries kept beside the recorder, written under
its lock with the tracking record (as `sharedsvc.projections.store`'s tables are)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from eventsourcing.persistence import Tracking

from sharedsvc._adapters.tracking import MemoryTracking
from sharedsvc.projections.rows import (
    CompromiseRow,
    Owner,
    PartnershipRow,
    Rows,
    SovereigntyRow,
    SovereigntyState,
    TrailRow,
    VersionRow,
)
from sharedsvc.projections.store import TABLES, ReadStore

__all__ = ["MemoryReadStore"]


class MemoryReadStore(ReadStore, MemoryTracking):
    """The read models of an in-memory store."""

    def __init__(self) -> None:
        super().__init__()
        self._tables: dict[str, Any] = {}
        self._reset()

    def _reset(self) -> None:
        self._tables = {
            "trail": defaultdict(list),
            "compromises": defaultdict(list),
            "versions": defaultdict(list),
            "owners": {},
            "refs": {},
            "sovereignty": defaultdict(dict),  # party -> (partnership, opened, seq) -> row
            "sovereignty_state": {},  # partnership -> SovereigntyState
            "partnerships": {},  # partnership -> PartnershipRow
        }

    def apply(self, rows: Rows, tracking: Tracking, *, after: int | None = None) -> None:
        with self.writing(tracking):
            self._expect(self.position_in(self.name), after)
            for name, record_type in (("trail", TrailRow), ("versions", VersionRow)):
                table = self._tables[name]
                for partnership, entries in getattr(rows, name).items():
                    table[partnership].extend(
                        record_type(position, partnership, *entry) for position, *entry in entries
                    )
            for row in rows.compromises:
                compromise = CompromiseRow(*row)
                self._tables["compromises"][compromise.partnership].append(compromise)
            for aggregate, partnership, kind, info in rows.owners:
                self._tables["owners"][aggregate] = Owner(partnership, kind, info)  # latest wins
            for source, party, ref in rows.refs:
                self._tables["refs"][(source, party)] = ref
            for key, entry in rows.sovereignty.items():
                entries = self._tables["sovereignty"][key[0]]
                if entry is None:  # an entry that never began
                    entries.pop(key[1:], None)
                else:
                    entries[key[1:]] = entry
            for partnership, formed, name, stage, state in rows.sovereignty_state.values():
                kept = SovereigntyState(formed, name, stage, state)
                self._tables["sovereignty_state"][partnership] = kept
            self._tables["partnerships"].update(rows.partnerships)
            closed = set(rows.closed)
            for key in [key for key in self._tables["refs"] if key[0] in closed]:
                del self._tables["refs"][key]

    def clear(self) -> None:
        with self.writing():
            self._reset()
            self.forget_position(self.name)

    def position(self) -> int:
        return self.max_tracking_id(self.name) or 0

    def owner(self, aggregate: str) -> Owner | None:
        return self._tables["owners"].get(aggregate)  # type: ignore[no-any-return]

    def ref(self, source: str, party: str) -> str | bool | None:
        return self._tables["refs"].get((source, party), False)  # type: ignore[no-any-return]

    def ref_sources(self) -> set[str]:
        return {source for source, _ in self._tables["refs"]}

    def sovereignty_state(self, partnership: str) -> SovereigntyState | None:
        return self._tables["sovereignty_state"].get(partnership)  # type: ignore[no-any-return]

    def sovereignty_rows(self, party: str) -> list[SovereigntyRow]:
        states = self._tables["sovereignty_state"]
        found = [
            SovereigntyRow(*row, *states[row[1]][:3])
            for row in self._tables["sovereignty"].get(party, {}).values()
            if row[1] in states
        ]
        return sorted(found, key=lambda r: (r.formed, r.since, r.opened, r.seq))

    def partnership_row(self, partnership: str) -> PartnershipRow | None:
        return self._tables["partnerships"].get(partnership)  # type: ignore[no-any-return]

    def _index(self) -> list[PartnershipRow]:
        return sorted(self._tables["partnerships"].values(), key=lambda row: row.formed)

    def partnership_rows(self, after: int = 0, limit: int = 1000) -> list[PartnershipRow]:
        return [row for row in self._index() if row.formed > after][:limit]

    def partnerships_matching(self, name: str, prefix: str) -> list[PartnershipRow]:
        return [
            row
            for row in self._index()
            if row.name == name or (prefix and row.partnership.startswith(prefix))
        ]

    def latest(self, partnership: str) -> dict[str, str]:
        return {row.field: row.value for row in self._tables["versions"][partnership]}

    def trail_rows(self, partnership: str) -> list[TrailRow]:
        return list(self._tables["trail"][partnership])

    def compromise_rows(self, partnership: str) -> list[CompromiseRow]:
        return list(self._tables["compromises"][partnership])

    def version_rows(self, partnership: str) -> list[VersionRow]:
        return sorted(self._tables["versions"][partnership], key=lambda r: (r.position, r.field))

    def count(self, table: str) -> int:
        if table not in TABLES:
            raise ValueError(f"no read model {table!r}")
        found = self._tables[table]
        grouped = table in ("trail", "compromises", "versions", "sovereignty")
        return sum(len(rows) for rows in found.values()) if grouped else len(found)
