"""Where the read models live: tables beside the events, written with their tracking record.

Each store is one of eventsourcing's tracking recorders (SQLite, PostgreSQL, in memory) with the
read models' tables added, so that a batch of rows and the position it brings the read models
to are committed in one transaction: an event is applied exactly once, and a follower that
stops resumes after the last batch it committed. eventsourcing's projection runner can drive
the PostgreSQL store directly (it is a ``TrackingRecorder``; it lives in
`sharedsvc.projections.postgres_store`, imported only where psycopg is installed).

One process at a time rebuilds or catches up the read models of a store: `ReadStore.lock`
holds their lock (`sharedsvc._adapters.locks`) across the transactions of a replay or a
catch-up, and each batch checks, in its transaction, that the read models are still where its
writer left them (`ReadStore.apply`'s ``after``), so that no interleaving can lose rows.
"""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from typing import TYPE_CHECKING, Any

import orjson
from eventsourcing.persistence import Tracking

from sharedsvc._adapters.locks import LockTimeout, held
from sharedsvc._adapters.tracking import SQLiteTracking
from sharedsvc.domain.errors import ReadModelsBusy
from sharedsvc.projections.rows import (
    CompromiseRow,
    Owner,
    Rows,
    SovereigntyRow,
    SovereigntyState,
    TrailRow,
    VersionRow,
)
from sharedsvc.projections.store_index import IndexQueries, SQLIndex
from sharedsvc.projections.store_sovereignty import SQLSovereignty, T

__all__ = ["CREATE", "TABLES", "ReadStore", "SQLReadStore", "SQLiteReadStore", "T"]

CACHE_KIB = 2048
TABLES = (
    "trail", "compromises", "versions", "owners", "refs", "sovereignty", "sovereignty_state",
    "partnerships",
)  # fmt: skip
ALL_TABLES = (*TABLES, "layout")
PAGED = frozenset({"trail", "versions"})

LAYOUT = 5
"""The version of the read models' tables: a store whose tables have another layout has them
dropped and rebuilt (by the next catch-up, from the start of the log) when it is opened.
Layout 3 added the sovereignty map's tables, layout 4 the partnerships' index; layout 5 made the
trail, versions and ledger rowid tables on SQLite."""

CREATE = (
    f"CREATE TABLE IF NOT EXISTS {T}layout (version INTEGER NOT NULL)",
    f"CREATE TABLE IF NOT EXISTS {T}trail (partnership TEXT NOT NULL, first BIGINT NOT NULL,"
    " last BIGINT NOT NULL, entries INTEGER NOT NULL, page TEXT NOT NULL,"
    " PRIMARY KEY (partnership, first))",
    f"CREATE TABLE IF NOT EXISTS {T}compromises (position BIGINT NOT NULL, seq INTEGER NOT NULL,"
    " partnership TEXT NOT NULL, party TEXT NOT NULL, kind TEXT NOT NULL, subject TEXT NOT NULL,"
    " wanted TEXT NOT NULL, accepted TEXT NOT NULL, rationale TEXT, ref TEXT,"
    " on_date TEXT NOT NULL, event TEXT NOT NULL, source TEXT NOT NULL,"
    " PRIMARY KEY (partnership, position, seq))",
    f"CREATE TABLE IF NOT EXISTS {T}versions (partnership TEXT NOT NULL, first BIGINT NOT NULL,"
    " last BIGINT NOT NULL, entries INTEGER NOT NULL, page TEXT NOT NULL,"
    " PRIMARY KEY (partnership, first))",
    f"CREATE TABLE IF NOT EXISTS {T}owners (aggregate TEXT PRIMARY KEY,"
    " partnership TEXT NOT NULL, kind TEXT NOT NULL, info TEXT){without_rowid}",
    f"CREATE TABLE IF NOT EXISTS {T}refs (source TEXT NOT NULL, party TEXT NOT NULL, ref TEXT,"
    " PRIMARY KEY (source, party)){without_rowid}",
    f"CREATE TABLE IF NOT EXISTS {T}sovereignty (party TEXT NOT NULL, partnership TEXT NOT NULL,"
    " opened BIGINT NOT NULL, seq INTEGER NOT NULL, status TEXT NOT NULL,"
    " from_party TEXT NOT NULL, function TEXT NOT NULL,"
    " since TEXT NOT NULL, until TEXT,"
    " PRIMARY KEY (party, partnership, opened, seq)){without_rowid}",
    f"CREATE TABLE IF NOT EXISTS {T}sovereignty_state (partnership TEXT PRIMARY KEY,"
    " formed BIGINT NOT NULL, name TEXT NOT NULL, stage TEXT NOT NULL, state TEXT NOT NULL)"
    "{without_rowid}",
    f"CREATE TABLE IF NOT EXISTS {T}partnerships (partnership TEXT PRIMARY KEY,"
    " formed BIGINT NOT NULL, name TEXT NOT NULL, stage TEXT NOT NULL, active TEXT NOT NULL,"
    " dissolved TEXT){without_rowid}",
)
"""The read models' tables. Each is keyed by what it is queried by (a partnership's rows in log
order), so no table needs a second index. On SQLite the small tables are clustered on that key
(``WITHOUT ROWID``); the trail, versions and ledger, which grow with the log, are rowid tables
with their key as an index, so that a batch appends its rows in the order it writes them rather
than writing into the middle of tables clustered by partnership (layout 5)."""


_KEYS: dict[str, Any] = {
    "trail": None,  # pages, made in order
    "compromises": lambda row: (row[2], row[0], row[1]),
    "versions": None,  # pages, made in order
    "owners": None,  # upserts: their order matters
    "refs": None,
    "sovereignty": lambda row: row[:4],
    "sovereignty_state": None,
    "partnerships": None,
}


def pages(grouped: dict[str, list[tuple[Any, ...]]]) -> Iterator[tuple[Any, ...]]:
    """A batch's rows of a read model that grows with the history (the trail, the versions),
    grouped by partnership, as one page each: (partnership, first position, last position,
    entries, the entries as JSON). Such a read model is kept a page per partnership per batch,
    which costs a write per page rather than per event. Each partnership's rows are taken out
    of ``grouped`` as its page is made (it is empty at the end), so that a batch's rows and its
    pages are not all held at once."""
    dumps = orjson.dumps
    while grouped:
        partnership, entries = grouped.popitem()
        yield partnership, entries[0][0], entries[-1][0], len(entries), dumps(entries).decode()


def _unpage(found: list[tuple[Any, ...]], partnership: str) -> Iterator[tuple[Any, ...]]:
    for (page,) in found:
        for position, *entry in orjson.loads(page):
            yield (position, partnership, *entry)


def _inserts(p: str) -> dict[str, str]:
    def values(n: int) -> str:
        return ", ".join([p] * n)

    return {
        "trail": f"INSERT INTO {T}trail VALUES ({values(5)})",
        "compromises": f"INSERT INTO {T}compromises VALUES ({values(13)})",
        "versions": f"INSERT INTO {T}versions VALUES ({values(5)})",
        # a handover's row is written when it is proposed, and again when a succession
        # changes the parties that cede its function: the latest wins
        "owners": f"INSERT INTO {T}owners VALUES ({values(4)})"
        " ON CONFLICT (aggregate) DO UPDATE SET info = excluded.info",
        "refs": f"INSERT INTO {T}refs VALUES ({values(3)})"
        " ON CONFLICT (source, party) DO UPDATE SET ref = excluded.ref",
        "sovereignty": f"INSERT INTO {T}sovereignty VALUES ({values(9)})"
        " ON CONFLICT (party, partnership, opened, seq)"
        " DO UPDATE SET status = excluded.status, until = excluded.until",
        "sovereignty_state": f"INSERT INTO {T}sovereignty_state VALUES ({values(5)})"
        " ON CONFLICT (partnership) DO UPDATE SET name = excluded.name,"
        " stage = excluded.stage, state = excluded.state",
        "partnerships": f"INSERT INTO {T}partnerships VALUES ({values(6)})"
        " ON CONFLICT (partnership) DO UPDATE SET name = excluded.name,"
        " stage = excluded.stage, active = excluded.active, dissolved = excluded.dissolved",
    }


class ReadStore(IndexQueries):
    """The read models' queries and writes, whatever the store (see the module)."""

    name = "SharedServices"
    """The name of the application whose log the read models follow: their position is
    tracked under it, as eventsourcing's projection runner tracks it."""

    projection = "sharedsvc_read_models"
    """The projection's name (on PostgreSQL its tracking table is ``<name>_tracking``)."""

    kind = "memory"
    """The kind of store (which lock `lock` takes)."""

    # --- the lock -------------------------------------------------------------------------

    @contextmanager
    def lock(self, wait: float) -> Iterator[None]:
        """Hold the read models' lock (one replay, catch-up or follower at a time), waiting at
        most ``wait`` seconds for it; `sharedsvc.ReadModelsBusy` if it is not free by
        then."""
        with ExitStack() as stack:
            try:
                stack.enter_context(held(self, self.kind, self.projection, self._schema(), wait))
            except LockTimeout as error:
                raise ReadModelsBusy(
                    f"another process is rebuilding or catching up these read models ({error});"
                    f" waited {wait:g} s: try again when it is done"
                ) from None
            yield

    def _schema(self) -> str:
        return ""

    def _expect(self, reached: int, after: int | None) -> None:
        if after is not None and reached != after:
            raise ReadModelsBusy(
                f"the read models moved from position {after} to {reached} under this writer"
                " (another wrote them meanwhile): nothing of this batch was written; run it again"
            )

    # --- writing --------------------------------------------------------------------------

    @abstractmethod
    def apply(self, rows: Rows, tracking: Tracking, *, after: int | None = None) -> None:
        """Write ``rows`` and record ``tracking`` in one transaction; with ``after``, only if
        the read models are still at position ``after`` when it begins (else
        `sharedsvc.ReadModelsBusy`, and nothing is written)."""

    @abstractmethod
    def clear(self) -> None:
        """Empty the read models and forget the position they reached (before a replay)."""

    @abstractmethod
    def position(self) -> int:
        """The position in the global log the read models have reached (0: none)."""

    # --- the builder's memory -------------------------------------------------------------

    @abstractmethod
    def owner(self, aggregate: str) -> Owner | None: ...

    @abstractmethod
    def ref(self, source: str, party: str) -> str | bool | None: ...

    @abstractmethod
    def latest(self, partnership: str) -> dict[str, str]: ...

    @abstractmethod
    def ref_sources(self) -> set[str]:
        """The variations and handovers whose decision references are kept (open ones)."""

    @abstractmethod
    def sovereignty_state(self, partnership: str) -> SovereigntyState | None: ...

    # --- queries --------------------------------------------------------------------------

    @abstractmethod
    def trail_rows(self, partnership: str) -> list[TrailRow]: ...

    @abstractmethod
    def compromise_rows(self, partnership: str) -> list[CompromiseRow]: ...

    @abstractmethod
    def version_rows(self, partnership: str) -> list[VersionRow]: ...

    @abstractmethod
    def sovereignty_rows(self, party: str) -> list[SovereigntyRow]:
        """The entries of ``party``'s sovereignty map, with their partnerships' names and
        stages, in the order the partnerships were formed, then by ``since``, then in the
        order they were opened."""

    @abstractmethod
    def count(self, table: str) -> int:
        """How many rows a read model holds (``"trail"``, ``"compromises"``, ``"versions"``)."""


class SQLReadStore(SQLSovereignty, SQLIndex, ReadStore):
    """What the SQL stores share: the tables, their queries and writes (``p`` is the driver's
    placeholder), over the tracking recorder each store also is (`sharedsvc._adapters`)."""

    p = "?"

    if TYPE_CHECKING:  # provided by the tracking recorder, after this class in the MRO

        def create_table(self) -> None: ...

        def own_tables(self) -> list[str]: ...

        def max_tracking_id(self, application_name: str) -> int | None: ...

        def query(self, statement: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]: ...

        @contextmanager
        def writing(self, tracking: Tracking | None = None, *, lock: str = "") -> Iterator[Any]: ...

        def forget_position(self, cursor: Any, application_name: str) -> None: ...

        def position_in(self, cursor: Any, application_name: str) -> int: ...

        def has_table(self, name: str) -> bool: ...

    def open(self) -> None:
        """Create the tables, first dropping those of another layout (the read models are
        then empty and at position 0: the next catch-up rebuilds them)."""
        if self.has_table(f"{T}trail") and self._layout() != LAYOUT:
            self.clear()  # new tables, and forget the position the old ones had reached
        self.create_table()
        if not self.query(f"SELECT version FROM {T}layout"):
            self._execute(f"INSERT INTO {T}layout VALUES ({LAYOUT})")

    def _layout(self) -> int | None:
        if not self.has_table(f"{T}layout"):
            return None  # tables from before the layout was recorded
        found = self.query(f"SELECT MAX(version) FROM {T}layout")[0][0]
        return None if found is None else int(found)

    def _execute(self, statement: str) -> None:
        with self.writing() as cursor:
            cursor.execute(statement)

    def apply(self, rows: Rows, tracking: Tracking, *, after: int | None = None) -> None:
        with self.writing(tracking) as cursor:
            self._expect(self.position_in(cursor, self.name), after)
            self._write(cursor, rows)

    def clear(self) -> None:
        # dropped and made again, in one transaction with forgetting the position: quicker
        # than deleting every row, and the tables are then of this layout whatever they were
        with self.writing() as cursor:
            self._drop(cursor)
            for statement in self.own_tables():
                cursor.execute(statement)
            cursor.execute(f"INSERT INTO {T}layout VALUES ({LAYOUT})")
            self.forget_position(cursor, self.name)

    def position(self) -> int:
        return self.max_tracking_id(self.name) or 0

    def owner(self, aggregate: str) -> Owner | None:
        found = self.query(
            f"SELECT partnership, kind, info FROM {T}owners WHERE aggregate = {self.p}",
            (aggregate,),
        )
        return Owner(*found[0]) if found else None

    def ref(self, source: str, party: str) -> str | bool | None:
        found = self.query(
            f"SELECT ref FROM {T}refs WHERE source = {self.p} AND party = {self.p}",
            (source, party),
        )
        return found[0][0] if found else False

    def ref_sources(self) -> set[str]:
        return {source for (source,) in self.query(f"SELECT DISTINCT source FROM {T}refs")}

    def _pages(self, table: str, partnership: str) -> Iterator[tuple[Any, ...]]:
        found = self.query(
            f"SELECT page FROM {T}{table} WHERE partnership = {self.p} ORDER BY first",
            (partnership,),
        )
        return _unpage(found, partnership)

    def latest(self, partnership: str) -> dict[str, str]:
        # the latest value of each field wins
        return {row[2]: row[3] for row in self._pages("versions", partnership)}

    def trail_rows(self, partnership: str) -> list[TrailRow]:
        return [TrailRow(*row) for row in self._pages("trail", partnership)]

    def compromise_rows(self, partnership: str) -> list[CompromiseRow]:
        rows = self.query(
            f"SELECT * FROM {T}compromises WHERE partnership = {self.p} ORDER BY position, seq",
            (partnership,),
        )
        return [CompromiseRow(*row) for row in rows]

    def version_rows(self, partnership: str) -> list[VersionRow]:
        rows = [VersionRow(*row) for row in self._pages("versions", partnership)]
        return sorted(rows, key=lambda row: (row.position, row.field))

    def count(self, table: str) -> int:
        if table not in TABLES:
            raise ValueError(f"no read model {table!r}")
        if table in PAGED:  # entries, not pages
            found = self.query(f"SELECT COALESCE(SUM(entries), 0) FROM {T}{table}")
            return int(found[0][0])
        return int(self.query(f"SELECT COUNT(*) FROM {T}{table}")[0][0])

    def write(self, cursor: Any, rows: Rows) -> None:
        """Within `writing`: write ``rows``."""
        self._write(cursor, rows)

    def _write(self, cursor: Any, rows: Rows) -> None:
        inserts = _inserts(self.p)
        for table, key in _KEYS.items():
            batch = getattr(rows, table)
            if table in PAGED:
                if batch:  # written as its pages are made
                    cursor.executemany(inserts[table], pages(batch))
                continue
            if isinstance(batch, dict):  # rows a batch keeps the latest form of (None: gone)
                self._drop_entries(cursor, [key for key, row in batch.items() if row is None])
                batch = [row for row in batch.values() if row is not None]
            if batch:
                # in the order of the table's key: B-trees take sorted inserts fastest
                cursor.executemany(inserts[table], sorted(batch, key=key) if key else batch)
        if rows.closed:
            cursor.executemany(
                f"DELETE FROM {T}refs WHERE source = {self.p}", [(s,) for s in rows.closed]
            )

    def _drop(self, cursor: Any) -> None:
        for table in ALL_TABLES:
            cursor.execute(f"DROP TABLE IF EXISTS {T}{table}")


class SQLiteReadStore(SQLReadStore, SQLiteTracking):
    """The read models in the SQLite database of the events."""

    kind = "sqlite"

    def own_tables(self) -> list[str]:
        return [statement.format(without_rowid=" WITHOUT ROWID") for statement in CREATE]

    def apply(self, rows: Rows, tracking: Tracking, *, after: int | None = None) -> None:
        with self.writing(tracking) as cursor:
            self._expect(self.position_in(cursor, self.name), after)
            # The trail, versions and ledger are rowid tables: a batch appends its rows and
            # adds to their small key indexes, so SQLite's default page cache (2 MiB) does.
            cursor.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
            self._write(cursor, rows)
