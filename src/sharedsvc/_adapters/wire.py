"""What a stored event's state looks like on the wire: eventsourcing's JSON transcoding.

eventsourcing's ``JSONTranscoder`` writes a value of a registered type as a JSON object of two
keys, ``{"_type_": <the transcoding's name>, "_data_": <what it encoded>}`` (a UUID is
``{"_type_": "uuid_hex", "_data_": <32 hex digits>}``, a date
``{"_type_": "date_iso", ...}``); everything else is plain JSON. The read models read stored
states as plain JSON for speed, and keep a value in that form to decode it later.
"""

from __future__ import annotations

from typing import Any

__all__ = ["DATA", "RESERVED_KEYS", "TYPE", "decode_value", "payload"]

TYPE = "_type_"
DATA = "_data_"
RESERVED_KEYS = frozenset({TYPE, DATA})
"""The keys of a transcoded value: a plain mapping with exactly these keys would read back as
one."""


def payload(value: Any) -> Any:
    """The data of a transcoded value (``{"_type_": ..., "_data_": ...}``); any other value as
    it is."""
    return value[DATA] if isinstance(value, dict) and TYPE in value else value


def decode_value(mapper: Any, text: str) -> Any:
    """A value from its stored JSON (as the read models keep it), decoded by ``mapper``'s
    transcoder as the events are."""
    return mapper.transcoder.decode(text.encode())
