"""Verification of a store: one streaming pass over its events, against a checkpoint or not.

Leaf ``i`` of the tree is the ``i``-th stored event in notification order (from 0), whatever
gaps the positions have; its leaf is [`leaf_bytes`][sharedsvc.integrity.leaf_bytes] of the
event exactly as stored. Memory does not grow with the number of events (only with the number
of aggregates, whose versions the pass follows).
"""

from __future__ import annotations

from hashlib import sha256
from itertools import chain, islice
from typing import Any
from uuid import UUID

import attrs
from eventsourcing.persistence import ApplicationRecorder, Mapper, StoredEvent

from sharedsvc.domain.errors import RuleViolation, TamperDetected
from sharedsvc.domain.values import INVALID
from sharedsvc.integrity.leaves import VERSION_STRUCT, topic_field
from sharedsvc.integrity.locating import LoggedLeaves, compare_with_checkpoint
from sharedsvc.integrity.merkle import LEAF_PREFIX, MerkleAccumulator
from sharedsvc.integrity.problems import PROBLEM_LIMIT, Problems, Progress, checkpoint_of
from sharedsvc.integrity.records import Checkpoint, IntegrityReport
from sharedsvc.integrity.rows import MAX_VERSION, MerkleLog, id_bytes, open_log, sound

__all__ = ["Scan", "scan", "verify_store"]

_PACKED = 4096
"""Versions below this have their leaf encoding made once per scan (a list look-up is cheaper
than packing each event's)."""


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

    ``decode`` defaults to True without a checkpoint and False with one (decoding costs far more
    than hashing). With ``strict=True`` a problem raises
    [`TamperDetected`][sharedsvc.TamperDetected] (its ``report`` attribute holds the report) instead
    of being returned.
    """
    if against is not None:
        checkpoint_of(against, "against")
    if decode is None:
        decode = against is None
    if decode and mapper is None:
        raise RuleViolation(INVALID, "decoding the events needs the application's mapper")
    log = open_log(recorder)

    def one_pass(compare_log: bool) -> Scan:
        return scan(log, mapper, against, decode, limit, progress, compare_log=compare_log)

    # With a checkpoint, one pass that only hashes tells an intact store; only when the root
    # differs does a second pass merge the store with its Merkle log to say where.
    result = one_pass(compare_log=against is None)
    problems, count = result.problems, result.count
    if against is not None:
        if result.count < against.size or result.tree.root() != against.root:
            result = one_pass(compare_log=True)
            problems, count = result.problems, result.count
        compare_with_checkpoint(
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
class Scan:
    """What one pass over the store found."""

    problems: Problems
    tree: MerkleAccumulator
    log_tree: MerkleAccumulator
    mismatches: int
    count: int
    position_at_size: int


def scan(
    log: MerkleLog,
    mapper: Any,
    against: Checkpoint | None,
    decode: bool,
    limit: int,
    progress: Progress | None,
    *,
    compare_log: bool,
) -> Scan:
    """One pass over the stored events: internal checks, the tree of the checkpoint's prefix,
    and (``compare_log``) a merge with the Merkle log that names each difference."""
    problems = Problems(limit)
    # Without a checkpoint, the store's own log is what the events are compared with.
    compared = 0 if not compare_log else against.size if against else log.logged()[0]
    size = against.size if against is not None else 0
    tree = MerkleAccumulator()  # the store's tree of its first `size` events
    leaves = chain.from_iterable(log.leaf_pages())
    log_tree: MerkleAccumulator | None = None  # the log's tree, once it differs from `tree`
    merge: LoggedLeaves | None = None  # the slow path, once the log differs from the store
    # each aggregate's id as stored -> [0x00 || its 16 bytes, the version expected next,
    # whether its id is malformed (not 16 bytes), its bytes]
    seen: dict[Any, list[Any]] = {}
    # the leaf hash is written out in the loop (a call per event costs more than the checks)
    fields: dict[str, bytes] = {}  # each topic's field in a leaf
    pack_version, join = VERSION_STRUCT.pack, b"".join
    cached, packed = _PACKED, [pack_version(version) for version in range(_PACKED)]
    last = count = position_at_size = 0
    malformed: str | None = None  # what is wrong with the row (reset once it is checked)
    for page in log.pages():
        start = count
        digests: list[bytes] = []
        append = digests.append
        for position, stored_id, version, topic, state in page:
            if (
                type(version) is not int
                or not 0 < version <= MAX_VERSION
                or type(topic) is not str
                or type(state) is not bytes
            ):
                version, topic, state, malformed = sound(version, topic, state)
                if malformed is not None:
                    problems.add("malformed", position, malformed)
            aggregate = seen.get(stored_id)
            if aggregate is None:
                as_bytes = stored_id.bytes if isinstance(stored_id, UUID) else id_bytes(stored_id)
                aggregate = seen[stored_id] = [LEAF_PREFIX + as_bytes, 1, len(as_bytes) != 16]
                aggregate.append(as_bytes)
            if position <= last:
                problems.add("out-of-order", position, f"comes after position {last}")
            last = position
            if version != aggregate[1]:
                problems.add(
                    "version-gap",
                    position,
                    f"aggregate {_show_id(aggregate[3])} jumps from version {aggregate[1] - 1} "
                    f"to {version}",
                )
            aggregate[1] = version + 1
            if decode or aggregate[2]:
                _check_row(
                    mapper if decode and malformed is None else None,
                    position,
                    aggregate[3],
                    version,
                    topic,
                    state,
                    problems,
                )
                malformed = None
            field = fields.get(topic)
            if field is None:
                field = fields[topic] = topic_field(topic)
            encoded = packed[version] if version < cached else pack_version(version)
            append(sha256(join((aggregate[0], encoded, field, state))).digest())
        count += len(page)
        before = tree.copy() if merge is None and start < compared else None
        if start < size:
            tree.extend_block(digests if count <= size else digests[: size - start])
            if count >= size:
                position_at_size = page[size - start - 1][0]
        if merge is not None or start < compared:  # the log is compared with the store
            positions = [row[0] for row in page]
        if merge is None and start < compared:
            want = min(len(page), compared - start)
            logged = list(islice(leaves, want))
            if logged != list(zip(positions[:want], digests[:want], strict=True)):
                # the log and the store part here: merge them event by event from now on
                log_tree = before
                merge = LoggedLeaves(chain(logged, leaves), compared - start)
        if merge is not None:
            assert log_tree is not None
            for position, leaf in zip(positions, digests, strict=True):
                merge.compare(position, leaf, problems, log_tree)
        if progress is not None:
            progress(count)
    if merge is None and count < compared:  # the store ended before the log
        log_tree = tree.copy()
        merge = LoggedLeaves(leaves, compared - count)
    if merge is not None:
        assert log_tree is not None
        merge.finish(problems, log_tree, count)
    return Scan(
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
    problems: Problems,
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
