"""Checkpoints, verification and proofs over a store's events.

Leaf ``i`` of the tree is the ``i``-th stored event in notification order (from 0), whatever
gaps the positions have; its leaf is :func:`~sharedsvc.integrity.rows.leaf_bytes` of the event
exactly as stored. Everything streams: memory does not grow with the number of events (only
with the number of aggregates, whose versions the consistency check follows).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime
from hashlib import sha256
from itertools import chain, islice
from typing import Any, TextIO
from uuid import UUID

import attrs
from eventsourcing.persistence import ApplicationRecorder, Mapper, StoredEvent

from sharedsvc.domain.errors import NotFound, RuleViolation, TamperDetected
from sharedsvc.domain.values import INVALID
from sharedsvc.integrity.merkle import (
    MerkleAccumulator,
    consistency_ranges,
    inclusion_ranges,
    range_roots,
    tree_root,
    verify_consistency_path,
    verify_inclusion_path,
)
from sharedsvc.integrity.records import (
    Checkpoint,
    ConsistencyProof,
    ExportedEvent,
    InclusionProof,
    IntegrityReport,
    Problem,
)
from sharedsvc.integrity.rows import (
    LENGTH_STRUCT,
    VERSION_STRUCT,
    MerkleLog,
    id_bytes,
    open_log,
    state_bytes,
)

__all__ = [
    "PROBLEM_LIMIT",
    "export_events",
    "prove_consistency",
    "prove_inclusion",
    "read_exported_events",
    "take_checkpoint",
    "verify_consistency",
    "verify_exported",
    "verify_inclusion",
    "verify_store",
]

PROBLEM_LIMIT = 100
Progress = Callable[[int], None]


class _Problems:
    """The first ``limit`` problems found, and a count of the rest."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.found: list[Problem] = []
        self.omitted = 0

    def add(self, kind: str, position: int | None, message: str) -> None:
        if len(self.found) < self.limit:
            self.found.append(Problem(kind, position, message))
        else:
            self.omitted += 1

    def __bool__(self) -> bool:
        return bool(self.found)

    def report(self, checked: int, checkpoint: Checkpoint | None) -> IntegrityReport:
        """The report, problems in the order of their positions (unplaced ones last)."""
        found = sorted(self.found, key=lambda p: (p.position is None, p.position or 0))
        return IntegrityReport(not found, checked, tuple(found), checkpoint, self.omitted)


def _checkpoint_of(value: object, what: str = "checkpoint") -> Checkpoint:
    if not isinstance(value, Checkpoint):
        raise RuleViolation(INVALID, f"{what} must be a Checkpoint, not {value!r}")
    return value


# --- checkpoints ---------------------------------------------------------------------------------


def take_checkpoint(
    recorder: ApplicationRecorder, *, sign_with: Any = None, at: datetime | None = None
) -> Checkpoint:
    """Log the leaves of the events stored since the last checkpoint, and return the
    checkpoint of everything logged: its size, root, time and last position."""
    log = open_log(recorder)
    log.extend()
    accumulator = MerkleAccumulator()
    last = 0
    for last, digest in log.leaves():  # noqa: B007 - the last position is the checkpoint's
        accumulator.append(digest)
    checkpoint = Checkpoint(accumulator.size, accumulator.root(), at or datetime.now(UTC), last)
    return checkpoint if sign_with is None else checkpoint.sign(sign_with)


# --- verification --------------------------------------------------------------------------------


def verify_store(
    recorder: ApplicationRecorder,
    mapper: Mapper[UUID] | None,
    against: Checkpoint | None = None,
    *,
    strict: bool = False,
    decode: bool | None = None,
    limit: int = PROBLEM_LIMIT,
    progress: Progress | None = None,
) -> IntegrityReport:
    """Check the store: its internal consistency always (positions strictly increasing, each
    aggregate's versions contiguous from 1, every event decodable when ``decode``), and, given
    a checkpoint, that the store still holds exactly the events it covers.

    ``decode`` defaults to True without a checkpoint and False with one (decoding costs far
    more than hashing). With ``strict=True`` a problem raises :class:`TamperDetected` (its
    ``report`` attribute holds the report) instead of being returned.
    """
    if against is not None:
        _checkpoint_of(against, "against")
    if decode is None:
        decode = against is None
    if decode and mapper is None:
        raise RuleViolation(INVALID, "decoding the events needs the application's mapper")
    log = open_log(recorder)

    def scan(compare_log: bool) -> _Scan:
        return _scan(log, mapper, against, decode, limit, progress, compare_log=compare_log)

    # With a checkpoint, one pass that only hashes tells an intact store; only when the root
    # differs does a second pass merge the store with its Merkle log to say where.
    result = scan(compare_log=against is None)
    problems, count = result.problems, result.count
    if against is not None:
        if result.count < against.size or result.tree.root() != against.root:
            result = scan(compare_log=True)
            problems, count = result.problems, result.count
        _compare_with_checkpoint(
            against,
            result.tree,
            result.log_tree,
            count,
            result.position_at_size,
            problems,
            result.mismatches,
        )
    report = problems.report(count, against)
    if strict and not report.ok:
        raise TamperDetected(str(report), report)
    return report


@attrs.define
class _Scan:
    """What one pass over the store found."""

    problems: _Problems
    tree: MerkleAccumulator
    log_tree: MerkleAccumulator
    mismatches: int
    count: int
    position_at_size: int


def _scan(
    log: MerkleLog,
    mapper: Any,
    against: Checkpoint | None,
    decode: bool,
    limit: int,
    progress: Progress | None,
    *,
    compare_log: bool,
) -> _Scan:
    """One pass over the stored events: internal checks, the tree of the checkpoint's prefix,
    and (``compare_log``) a merge with the Merkle log that names each difference."""
    problems = _Problems(limit)
    # Without a checkpoint, the store's own log is what the events are compared with.
    compared = 0 if not compare_log else against.size if against else log.logged()[0]
    size = against.size if against is not None else 0
    tree = MerkleAccumulator()  # the store's tree of its first `size` events
    leaves = chain.from_iterable(log.leaf_pages())
    log_tree: MerkleAccumulator | None = None  # the log's tree, once it differs from `tree`
    merge: _LoggedLeaves | None = None  # the slow path, once the log differs from the store
    # each aggregate's id as stored -> [its leaf prefix (0x00 + 16 bytes), version, 16 bytes]
    seen: dict[Any, list[Any]] = {}
    join = b"".join
    topics: dict[str, bytes] = {}
    pack_version, pack_length = VERSION_STRUCT.pack, LENGTH_STRUCT.pack
    last = count = position_at_size = 0
    for page in log.pages():
        start = count
        digests: list[bytes] = []
        append = digests.append
        for position, stored_id, version, topic, state in page:
            aggregate = seen.get(stored_id)
            if aggregate is None:
                as_bytes = stored_id.bytes if isinstance(stored_id, UUID) else id_bytes(stored_id)
                aggregate = seen[stored_id] = [b"\x00" + as_bytes, 0, as_bytes]
            if position <= last:
                problems.add("out-of-order", position, f"comes after position {last}")
            last = position
            if version != aggregate[1] + 1:
                problems.add(
                    "version-gap",
                    position,
                    f"aggregate {_show_id(aggregate[2])} jumps from version {aggregate[1]} "
                    f"to {version}",
                )
            aggregate[1] = version
            encoded = topics.get(topic)
            if encoded is None:
                raw = topic.encode()
                encoded = topics[topic] = pack_length(len(raw)) + raw
            if type(state) is not bytes:
                state = state_bytes(state)
            if decode or len(aggregate[2]) != 16:
                _check_row(
                    mapper if decode else None,
                    position,
                    aggregate[2],
                    version,
                    topic,
                    state,
                    problems,
                )
            append(sha256(join((aggregate[0], pack_version(version), encoded, state))).digest())
        positions = [row[0] for row in page]
        count += len(page)
        before = tree.copy() if merge is None and start < compared else None
        if start < size:
            tree.extend_block(digests[: size - start])
            if count >= size:
                position_at_size = positions[size - start - 1]
        if merge is None and start < compared:
            want = min(len(page), compared - start)
            logged = list(islice(leaves, want))
            if logged != list(zip(positions[:want], digests[:want], strict=True)):
                # the log and the store part here: merge them event by event from now on
                log_tree = before
                merge = _LoggedLeaves(chain(logged, leaves), compared - start)
        if merge is not None:
            assert log_tree is not None
            for position, digest in zip(positions, digests, strict=True):
                merge.compare(position, digest, problems, log_tree)
        if progress is not None:
            progress(count)
    if merge is None and count < compared:  # the store ended before the log
        log_tree = tree.copy()
        merge = _LoggedLeaves(leaves, compared - count)
    if merge is not None:
        assert log_tree is not None
        merge.finish(problems, log_tree, count)
    return _Scan(
        problems,
        tree,
        tree if log_tree is None else log_tree,
        0 if merge is None else merge.mismatches,
        count,
        position_at_size,
    )


def _show_id(originator_id: bytes) -> str:
    return str(UUID(bytes=originator_id)) if len(originator_id) == 16 else repr(originator_id)


def _check_row(
    mapper: Any,
    position: int,
    originator_id: bytes,
    version: int,
    topic: str,
    state: bytes,
    problems: _Problems,
) -> None:
    """A malformed id, or (given a mapper) an event that does not decode."""
    if len(originator_id) != 16:
        problems.add("malformed", position, "the originator id is not a UUID")
        return
    if mapper is None:
        return
    try:
        mapper.to_domain_event(StoredEvent(UUID(bytes=originator_id), version, topic, state))
    except Exception as error:  # any failure to decode is what this check looks for
        problems.add("undecodable", position, f"cannot be decoded: {type(error).__name__}")


class _LoggedLeaves:
    """The logged leaves within a checkpoint, merged by position with the store's events."""

    def __init__(self, leaves: Iterator[tuple[int, bytes]], size: int) -> None:
        self._leaves = leaves
        self._left = size
        self.mismatches = 0
        self.current: tuple[int, bytes] | None = None
        self._advance()

    def _advance(self) -> None:
        if self._left:
            self.current = next(self._leaves, None)
            self._left -= 1
        else:
            self.current = None

    def compare(
        self, position: int, leaf: bytes, problems: _Problems, tree: MerkleAccumulator
    ) -> None:
        while self.current is not None and self.current[0] < position:
            problems.add("missing", self.current[0], "an event logged here is no longer stored")
            self.mismatches += 1
            tree.append(self.current[1])
            self._advance()
        if self.current is None:
            return
        if self.current[0] == position:
            if self.current[1] != leaf:
                problems.add("altered", position, "the stored event differs from the one logged")
                self.mismatches += 1
            tree.append(self.current[1])
            self._advance()
        else:
            problems.add("inserted", position, "an event that was never logged here")
            self.mismatches += 1

    def finish(self, problems: _Problems, tree: MerkleAccumulator, stored: int) -> None:
        """The logged leaves the store ran out before: the tail was cut off."""
        current = self.current
        if current is None:
            return
        first, missing = current[0], 0
        while current is not None:
            tree.append(current[1])
            missing += 1
            self._advance()
            current = self.current
        problems.add(
            "truncated",
            first,
            f"the store ends here: {missing} logged events from this position on are gone "
            f"({stored} stored)",
        )
        self.mismatches += 1


def _compare_with_checkpoint(
    checkpoint: Checkpoint,
    store_tree: MerkleAccumulator,
    log_tree: MerkleAccumulator,
    stored: int,
    position_at_size: int,
    problems: _Problems,
    mismatches: int,
) -> None:
    log_trusted = log_tree.size == checkpoint.size and log_tree.root() == checkpoint.root
    store_intact = stored >= checkpoint.size and store_tree.root() == checkpoint.root
    if store_intact:
        if checkpoint.position and position_at_size != checkpoint.position:
            problems.add(
                "renumbered",
                position_at_size,
                f"the checkpoint's last event was at position {checkpoint.position}",
            )
        if mismatches or (log_tree.size and not log_trusted):
            # the events are as checkpointed; what differs is the log kept beside them
            problems.found = [p for p in problems.found if p.kind not in _MERGE_KINDS]
            problems.add("log-altered", None, "the Merkle log kept in the store was altered")
        return
    if log_trusted and mismatches:
        return  # the merge has already said where
    problems.found = [p for p in problems.found if p.kind not in _MERGE_KINDS]
    if stored < checkpoint.size:
        problems.add(
            "truncated",
            None,
            f"the store holds {stored} events, the checkpoint covers {checkpoint.size}",
        )
    else:
        problems.add(
            "root-mismatch",
            None,
            f"the first {checkpoint.size} stored events do not hash to the checkpoint's root "
            "(the Merkle log was altered too, so the change cannot be located)",
        )


_MERGE_KINDS = frozenset({"missing", "altered", "inserted", "truncated"})


# --- proofs --------------------------------------------------------------------------------------


def _leaf_sources(log: MerkleLog, size: int) -> Iterator[Callable[[], Iterator[bytes]]]:
    """Where to read the first ``size`` leaf hashes from: the log when it holds them (fast),
    then the stored events themselves."""
    if log.logged()[0] >= size:
        yield lambda: (digest for _, digest in log.leaves())
    yield lambda: (log.digest(row) for row in log.rows())


def prove_inclusion(
    recorder: ApplicationRecorder, position: int, checkpoint: Checkpoint
) -> InclusionProof:
    """The proof that the event at global ``position`` is in the tree of ``checkpoint``.

    Raises :class:`NotFound` when no event is stored there or the checkpoint does not cover
    it, and :class:`TamperDetected` when the stored event no longer hashes to a leaf of the
    checkpoint's tree (no proof can then be honest). An intact event is proved even when
    others were altered: it is still in the tree."""
    _checkpoint_of(checkpoint)
    if isinstance(position, bool) or not isinstance(position, int):
        raise RuleViolation(INVALID, f"a position must be a whole number, not {position!r}")
    log = open_log(recorder)
    row = log.row_at(position)
    if row is None:
        raise NotFound(f"no event is stored at position {position}")
    leaf = log.digest(row)
    logged_index = log.logged_index(position)
    attempts: list[tuple[int, Callable[[], Iterator[bytes]]]] = []
    if logged_index is not None and log.logged()[0] >= checkpoint.size:
        attempts.append((logged_index, lambda: (digest for _, digest in log.leaves())))
    index = log.count_before(position)
    attempts.append((index, lambda: (log.digest(stored) for stored in log.rows())))
    for index, source in attempts:
        if index >= checkpoint.size:
            raise NotFound(
                f"the event at position {position} is leaf {index}, after the checkpoint's "
                f"{checkpoint.size} leaves: take a newer checkpoint"
            )
        try:
            path = range_roots(source(), inclusion_ranges(index, checkpoint.size))
        except ValueError:
            continue
        if verify_inclusion_path(leaf, index, checkpoint.size, path, checkpoint.root):
            return InclusionProof(index, checkpoint.size, leaf, path, position)
    raise TamperDetected(
        f"the event at position {position} is not in the checkpointed tree as stored now: "
        "the store was altered"
    )


def prove_consistency(
    recorder: ApplicationRecorder, old: Checkpoint, new: Checkpoint
) -> ConsistencyProof:
    """The proof that ``old``'s tree is a prefix of ``new``'s.

    Raises :class:`TamperDetected` when the store cannot prove it: the events logged before
    ``old`` were changed before ``new`` was taken, or either checkpoint is not this store's."""
    _checkpoint_of(old, "old")
    _checkpoint_of(new, "new")
    if old.size > new.size:
        raise RuleViolation(
            "invalid", f"the old checkpoint ({old.size} events) is larger than the new one"
        )
    log = open_log(recorder)
    ranges = consistency_ranges(old.size, new.size)
    for source in _leaf_sources(log, new.size):
        try:
            path = range_roots(source(), ranges)
        except ValueError:
            continue
        if verify_consistency_path(old.size, new.size, old.root, new.root, path):
            return ConsistencyProof(old.size, new.size, path)
    raise TamperDetected(
        f"the checkpoints of {old.size} and {new.size} events are not consistent with each "
        "other and this store: the record was rewritten between them, or one is not this store's"
    )


# --- offline verification (no store needed) ------------------------------------------------------


def _root_of(checkpoint_or_root: Checkpoint | bytes) -> bytes:
    if isinstance(checkpoint_or_root, Checkpoint):
        return checkpoint_or_root.root
    if isinstance(checkpoint_or_root, bytes):
        return checkpoint_or_root
    raise RuleViolation(INVALID, f"expected a Checkpoint or a root, not {checkpoint_or_root!r}")


def verify_inclusion(
    proof: InclusionProof,
    checkpoint: Checkpoint | bytes,
    *,
    event: ExportedEvent | None = None,
) -> bool:
    """Whether ``proof`` shows its leaf in the tree of ``checkpoint`` (or of a bare root);
    given ``event``, also that the proof is about that event (its leaf hash matches)."""
    if isinstance(checkpoint, Checkpoint) and checkpoint.size != proof.size:
        return False
    if event is not None and event.leaf_hash() != proof.leaf_hash:
        return False
    return verify_inclusion_path(
        proof.leaf_hash, proof.index, proof.size, proof.path, _root_of(checkpoint)
    )


def verify_consistency(proof: ConsistencyProof, old: Checkpoint, new: Checkpoint) -> bool:
    """Whether ``proof`` shows that ``old``'s tree is a prefix of ``new``'s."""
    if (proof.old_size, proof.new_size) != (old.size, new.size):
        return False
    return verify_consistency_path(old.size, new.size, old.root, new.root, proof.path)


def export_events(recorder: ApplicationRecorder, out: TextIO, *, after: int = 0) -> int:
    """Write every stored event after ``after`` as one JSON line each (as stored, the state
    in base64), for verification without the store; returns how many were written."""
    count = 0
    for position, originator_id, version, topic, state in open_log(recorder).rows(after):
        if len(originator_id) != 16:
            raise TamperDetected(f"the event at position {position} has a malformed id")
        event = ExportedEvent(position, UUID(bytes=originator_id), version, topic, state)
        out.write(event.to_json() + "\n")
        count += 1
    return count


def read_exported_events(lines: Iterable[str]) -> Iterator[ExportedEvent]:
    """The events of an export written by :func:`export_events` (blank lines skipped)."""
    for line in lines:
        if line.strip():
            yield ExportedEvent.from_json(line)


def verify_exported(events: Iterable[ExportedEvent], checkpoint: Checkpoint) -> IntegrityReport:
    """Check, with no store, that an export begins with exactly the events ``checkpoint``
    covers: their tree's root must be the checkpoint's."""
    _checkpoint_of(checkpoint)
    problems = _Problems(PROBLEM_LIMIT)
    count, last = 0, 0

    def prefix() -> Iterator[bytes]:
        nonlocal count, last
        for event in events:
            if event.position <= last:
                problems.add("out-of-order", event.position, f"comes after position {last}")
            last = event.position
            count += 1
            if count <= checkpoint.size:
                yield event.leaf_hash()

    root = tree_root(prefix())
    if count < checkpoint.size:
        problems.add(
            "truncated", None, f"the export holds {count} events, the checkpoint {checkpoint.size}"
        )
    elif root != checkpoint.root:
        problems.add(
            "root-mismatch",
            None,
            f"the first {checkpoint.size} exported events do not hash to the checkpoint's root",
        )
    return problems.report(count, checkpoint)
