"""What a stored event's state looks like on the wire: eventsourcing's JSON transcoding.

eventsourcing's ``JSONTranscoder`` writes a value of a registered type as a JSON object of two
keys, ``{"_type_": <the transcoding's name>, "_data_": <what it encoded>}`` (a UUID is
``{"_type_": "uuid_hex", "_data_": <32 hex digits>}``, a date
``{"_type_": "date_iso", ...}``); everything else is plain JSON. The read models read stored
states as plain JSON for speed, and keep a value in that form to decode it later.
"""

from __future__ import annotations

from typing import Any

__all__ = ["DATA", "RESERVED_KEYS", "TYPE", "decode_value", "legal_date", "payload"]

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


_TIMESTAMP = b'{"timestamp":{"_type_":"datetime_iso","_data_":"'
_ON = b'"},"on":{"_type_":"date_iso","_data_":"'


def legal_date(state: bytes) -> str | None:
    """The legal date (``on``, ISO form) of a stored event's state without decoding it, when
    the state begins as eventsourcing writes every event of ours: its ``timestamp`` first (an
    object of two strings, so its first ``"}`` ends it), then ``on``, both at the top level;
    None when it does not, or is not bytes (decode it then)."""
    if type(state) is not bytes or not state.startswith(_TIMESTAMP):
        return None
    start = state.find(b'"}', len(_TIMESTAMP))
    if start < 0 or not state.startswith(_ON, start):
        return None
    start += len(_ON)
    end = state.find(b'"', start)
    if end < 0:
        return None
    on = state[start:end]
    return None if b"\\" in on else on.decode()
