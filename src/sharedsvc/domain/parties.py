"""Who acts, and on whose authority: parties and their ids, the decisions that authorise
their acts, and what they concede."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any, NewType, cast

import attrs

from sharedsvc.domain.errors import RuleViolation
from sharedsvc.domain.validators import (
    INVALID,
    SLUG,
    a_date,
    freeze,
    optional_text,
    plain_kind,
    shown,
    text,
)

__all__ = ["Concession", "DecisionRef", "Party", "PartyId", "in_place_of", "party_id"]

PartyId = NewType("PartyId", str)
"""A party's identifier: a lowercase slug such as ``"camden"``; a plain ``str`` at run time."""


def party_id(value: object) -> PartyId:
    """Validate ``value`` as a party id (a lowercase slug of at most 64 characters)."""
    if isinstance(value, Party):
        return value.id
    if not isinstance(value, str) or len(value) > 64 or not SLUG.fullmatch(value):
        raise RuleViolation(
            INVALID,
            f"{shown(value)} is not a party id: "
            "use a lowercase slug such as 'camden' or 'mid-kent'",
        )
    return cast("PartyId", value)


def in_place_of(
    parties: Iterable[PartyId], predecessor: str, successors: Iterable[PartyId]
) -> tuple[PartyId, ...]:
    """``parties`` with ``predecessor`` replaced, where it stood, by ``successors`` (a
    succession), each party named once: a successor already among them (absorbing the
    predecessor) keeps the first of its places. ``parties`` unchanged if ``predecessor`` is
    not among them."""
    named = tuple(parties)
    if predecessor not in named:
        return named
    at = named.index(predecessor)
    return tuple(dict.fromkeys([*named[:at], *successors, *named[at + 1 :]]))


@plain_kind
@attrs.frozen
class Party:
    """A public body that is, was or may become a party to an agreement."""

    id: PartyId = attrs.field(converter=party_id)
    name: str = attrs.field(validator=text)
    kind: str | None = attrs.field(default=None, validator=optional_text)


@plain_kind
@attrs.frozen
class DecisionRef:
    """The authority for an act: which body decided it, its reference, and when."""

    body: str = attrs.field(validator=text)
    reference: str = attrs.field(validator=text)
    decided_on: date = attrs.field(validator=a_date)

    def __str__(self) -> str:
        return f"{self.body}, {self.reference}, {self.decided_on.isoformat()}"


@attrs.frozen
class Concession:
    """One party's compromise: on ``subject`` it wanted ``wanted`` and accepted ``accepted``."""

    party: PartyId = attrs.field(converter=party_id)
    subject: str = attrs.field(validator=text)
    wanted: Any = attrs.field(converter=freeze)
    accepted: Any = attrs.field(converter=freeze)
    rationale: str | None = attrs.field(default=None, validator=optional_text)
