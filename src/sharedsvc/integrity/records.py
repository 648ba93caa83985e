"""What integrity verification hands out: checkpoints, proofs and reports, with JSON forms.

Hashes are 32-byte `bytes` in Python and lowercase hex in JSON. Every ``from_json``
refuses a malformed document with a [`RuleViolation`][sharedsvc.RuleViolation] (rule
``"invalid-value"``)
instead of building a half-valid value.
"""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime
from typing import Any, Self
from uuid import UUID

import attrs

from sharedsvc.domain.errors import RuleViolation
from sharedsvc.domain.validators import shown, whole
from sharedsvc.domain.values import INVALID
from sharedsvc.integrity.leaves import leaf_bytes
from sharedsvc.integrity.merkle import HASH_SIZE, leaf_hash

__all__ = [
    "Checkpoint",
    "ConsistencyProof",
    "ExportedEvent",
    "InclusionProof",
    "IntegrityReport",
    "Problem",
]

CHECKPOINT_HEADER = "sharedsvc checkpoint v1"


def _hash(value: object, what: str) -> bytes:
    if not isinstance(value, bytes) or len(value) != HASH_SIZE:
        raise RuleViolation(INVALID, f"{what} must be {HASH_SIZE} bytes, not {shown(value)}")
    return value


def _size(value: object, what: str) -> int:
    return whole(value, what)


def _tree_size(value: object) -> int:
    return _size(value, "a tree size")


def _position(value: object) -> int:
    return _size(value, "a position")


def _leaf_index(value: object) -> int:
    return _size(value, "a leaf index")


def _root(value: object) -> bytes:
    return _hash(value, "a root")


def _leaf_digest(value: object) -> bytes:
    return _hash(value, "a leaf hash")


def _path(value: object) -> tuple[bytes, ...]:
    if isinstance(value, bytes | str) or not hasattr(value, "__iter__"):
        raise RuleViolation(
            INVALID, f"a proof's path must be a sequence of hashes, not {shown(value)}"
        )
    return tuple(_hash(node, "each hash of a proof's path") for node in value)


def _moment(value: object) -> datetime:
    if not isinstance(value, datetime):
        raise RuleViolation(INVALID, f"a checkpoint's time must be a datetime, not {shown(value)}")
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _from_hex(value: object, what: str) -> bytes:
    try:
        return _hash(bytes.fromhex(str(value)), what)
    except ValueError:
        raise RuleViolation(INVALID, f"{what} must be {HASH_SIZE * 2} hex digits") from None


def _document(text: str | bytes | dict[str, Any], kind: str, keys: set[str]) -> dict[str, Any]:
    if isinstance(text, dict):
        document = text
    else:
        try:
            document = json.loads(text)
        except ValueError as error:
            raise RuleViolation(INVALID, f"not a {kind} in JSON: {error}") from None
    if not isinstance(document, dict) or document.get("type") != kind:
        raise RuleViolation(INVALID, f"not a {kind}: expected an object with type {kind!r}")
    missing = keys - document.keys()
    if missing:
        raise RuleViolation(INVALID, f"the {kind} lacks {', '.join(sorted(missing))}")
    return document


def _field(document: dict[str, Any], key: str, kind: str) -> Any:
    try:
        return document[key]
    except KeyError:
        raise RuleViolation(INVALID, f"the {kind} lacks {key}") from None


@attrs.frozen
class Checkpoint:
    """The size and root of the store's Merkle tree at a moment: a commitment to publish
    somewhere the store's keepers cannot rewrite (a committee's minutes, another system).

    ``position`` is the global position of the last event the tree covers (0 for an empty store).
    ``signature`` is an Ed25519 signature over
    [`signed_bytes`][sharedsvc.integrity.Checkpoint.signed_bytes], if signed.
    """

    size: int = attrs.field(converter=_tree_size)
    root: bytes = attrs.field(converter=_root)
    at: datetime = attrs.field(converter=_moment)
    position: int = attrs.field(default=0, converter=_position)
    signature: bytes | None = attrs.field(default=None, repr=False)

    def signed_bytes(self) -> bytes:
        """What a signature covers: a short text naming the format, size, root and time."""
        root = base64.b64encode(self.root).decode()
        return (
            f"{CHECKPOINT_HEADER}\n{self.size}\n{root}\n{self.position}\n{self.at.isoformat()}\n"
        ).encode()

    def sign(self, private_key: Any) -> Checkpoint:
        """This checkpoint signed with an Ed25519 private key (a ``cryptography``
        ``Ed25519PrivateKey``, or its 32 raw bytes)."""
        from sharedsvc.integrity.signing import private_key_of

        return attrs.evolve(self, signature=private_key_of(private_key).sign(self.signed_bytes()))

    def verify_signature(self, public_key: Any) -> bool:
        """Whether the checkpoint carries a valid signature by the holder of ``public_key``
        (a ``cryptography`` ``Ed25519PublicKey``, or its 32 raw bytes)."""
        from sharedsvc.integrity.signing import verify_signature

        if self.signature is None:
            return False
        return verify_signature(public_key, self.signature, self.signed_bytes())

    def to_dict(self) -> dict[str, Any]:
        document: dict[str, Any] = {
            "type": "checkpoint",
            "size": self.size,
            "root": self.root.hex(),
            "position": self.position,
            "at": self.at.isoformat(),
        }
        if self.signature is not None:
            document["signature"] = base64.b64encode(self.signature).decode()
        return document

    def to_json(self) -> str:
        """The checkpoint as a JSON object (hashes in hex, the signature in base64)."""
        return json.dumps(self.to_dict(), indent=2)

    @classmethod
    def from_json(cls, text: str | bytes | dict[str, Any]) -> Self:
        """Read a checkpoint written by [`to_json`][sharedsvc.integrity.Checkpoint.to_json]."""
        document = _document(text, "checkpoint", {"size", "root", "at"})
        try:
            at = datetime.fromisoformat(str(document["at"]))
        except ValueError:
            raise RuleViolation(INVALID, f"bad checkpoint time {document['at']!r}") from None
        signature = document.get("signature")
        try:
            raw_signature = (
                None if signature is None else base64.b64decode(signature, validate=True)
            )
        except ValueError:
            raise RuleViolation(INVALID, "the checkpoint's signature is not base64") from None
        return cls(
            document["size"],
            _from_hex(document["root"], "a checkpoint's root"),
            at,
            document.get("position", 0),
            raw_signature,
        )


@attrs.frozen
class InclusionProof:
    """Proof that leaf ``index`` (the ``index``-th stored event, from 0) with hash
    ``leaf_hash`` is in the tree of ``size`` leaves; ``path`` in RFC 9162 order."""

    index: int = attrs.field(converter=_leaf_index)
    size: int = attrs.field(converter=_tree_size)
    leaf_hash: bytes = attrs.field(converter=_leaf_digest)
    path: tuple[bytes, ...] = attrs.field(converter=_path)
    position: int = attrs.field(default=0, converter=_position)

    def to_dict(self) -> dict[str, Any]:
        return {
            "type": "inclusion-proof",
            "index": self.index,
            "size": self.size,
            "leaf_hash": self.leaf_hash.hex(),
            "path": [node.hex() for node in self.path],
            "position": self.position,
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2)

    @classmethod
    def from_json(cls, text: str | bytes | dict[str, Any]) -> Self:
        kind = "inclusion-proof"
        document = _document(text, kind, {"index", "size", "leaf_hash", "path"})
        return cls(
            document["index"],
            document["size"],
            _from_hex(document["leaf_hash"], "a leaf hash"),
            [_from_hex(node, "a path hash") for node in _field(document, "path", kind)],
            document.get("position", 0),
        )


@attrs.frozen
class ConsistencyProof:
    """Proof that the tree of ``old_size`` leaves is a prefix of the tree of ``new_size``
    leaves: nothing logged before the old checkpoint was changed; ``path`` in RFC order."""

    old_size: int = attrs.field(converter=_tree_size)
    new_size: int = attrs.field(converter=_tree_size)
    path: tuple[bytes, ...] = attrs.field(converter=_path)

    def to_dict(self) -> dict[str, Any]:
        return {
            "type": "consistency-proof",
            "old_size": self.old_size,
            "new_size": self.new_size,
            "path": [node.hex() for node in self.path],
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2)

    @classmethod
    def from_json(cls, text: str | bytes | dict[str, Any]) -> Self:
        kind = "consistency-proof"
        document = _document(text, kind, {"old_size", "new_size", "path"})
        return cls(
            document["old_size"],
            document["new_size"],
            [_from_hex(node, "a path hash") for node in _field(document, "path", kind)],
        )


@attrs.frozen
class Problem:
    """One thing verification found wrong: its ``kind`` (``"altered"``, ``"missing"``,
    ``"inserted"``, ``"truncated"``, ``"root-mismatch"``, ``"log-altered"``,
    ``"out-of-order"``, ``"version-gap"``, ``"undecodable"``, ``"malformed"``), the global
    ``position`` of the event concerned (None when it cannot be pinned down) and a sentence."""

    kind: str
    position: int | None
    message: str

    def __str__(self) -> str:
        where = "" if self.position is None else f"position {self.position}: "
        return f"{where}{self.message} [{self.kind}]"


@attrs.frozen
class IntegrityReport:
    """The outcome of [`verify`][sharedsvc.SharedServices.verify].

    ``ok`` is True only when nothing was found wrong; ``checked`` is how many stored events
    were read; ``problems`` lists the first problems found (at most ``limit`` of them) and
    ``omitted`` counts the rest; ``checkpoint`` is the checkpoint verified against, if any.
    """

    ok: bool
    checked: int
    problems: tuple[Problem, ...] = ()
    checkpoint: Checkpoint | None = None
    omitted: int = 0

    def __str__(self) -> str:
        against = (
            ""
            if self.checkpoint is None
            else f" against the checkpoint of {self.checkpoint.size} events"
        )
        if self.ok:
            return f"intact: {self.checked} events checked{against}"
        lines = [f"TAMPERED: {self.checked} events checked{against}"]
        lines += [f"  {problem}" for problem in self.problems]
        if self.omitted:
            lines.append(f"  ... and {self.omitted} more problems")
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        return {
            "type": "integrity-report",
            "ok": self.ok,
            "checked": self.checked,
            "problems": [attrs.asdict(problem) for problem in self.problems],
            "omitted": self.omitted,
            "checkpoint": None if self.checkpoint is None else self.checkpoint.to_dict(),
        }


@attrs.frozen
class ExportedEvent:
    """A stored event as stored, as an auditor receives it for offline verification."""

    position: int
    originator_id: UUID
    version: int
    topic: str
    state: bytes

    def leaf(self) -> bytes:
        """The canonical encoding of the event (the input of its leaf hash)."""
        return leaf_bytes(self.originator_id.bytes, self.version, self.topic, self.state)

    def leaf_hash(self) -> bytes:
        """The event's leaf hash."""
        return leaf_hash(self.leaf())

    def to_json(self) -> str:
        """One line of JSON, the state in base64."""
        return json.dumps(
            {
                "position": self.position,
                "originator_id": str(self.originator_id),
                "version": self.version,
                "topic": self.topic,
                "state": base64.b64encode(self.state).decode(),
            },
            separators=(",", ":"),
        )

    @classmethod
    def from_json(cls, line: str | bytes) -> Self:
        """Read one line written by [`to_json`][sharedsvc.integrity.ExportedEvent.to_json]."""
        try:
            document = json.loads(line)
            return cls(
                int(document["position"]),
                UUID(document["originator_id"]),
                int(document["version"]),
                str(document["topic"]),
                base64.b64decode(document["state"], validate=True),
            )
        except (ValueError, KeyError, TypeError) as error:
            raise RuleViolation(INVALID, f"not an exported event: {error!r}") from None
