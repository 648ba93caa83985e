"""Checks shared by the aggregates (which refuse commands) and the invariant catalogue (which
inspects views). Each returns a list of problems, one sentence each, empty when the rule holds."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from sharedsvc.domain.errors import NotAuthorised, RuleViolation
from sharedsvc.domain.values import INVALID, PartyId, Terms, party_id

__all__ = [
    "coverage_problems",
    "host_problems",
    "require",
    "require_date",
    "require_member",
    "require_self",
]


def coverage_problems(terms: Terms, parties: Iterable[PartyId]) -> list[str]:
    """Rule ``shares-cover-active-parties``: a share for each party and no other, in every pool."""
    wanted = set(parties)
    problems = []
    for pool in terms.cost_pools:
        missing, extra = sorted(wanted - pool.parties), sorted(pool.parties - wanted)
        if missing:
            problems.append(f"cost pool {pool.name!r} has no share for {', '.join(missing)}")
        if extra:
            problems.append(
                f"cost pool {pool.name!r} has a share for {', '.join(extra)}, not active parties"
            )
    return problems


def host_problems(terms: Terms, parties: Iterable[PartyId]) -> list[str]:
    """Rule ``host-is-active``: the host, if any, is an active party."""
    if terms.host is not None and terms.host not in set(parties):
        return [f"the host {terms.host!r} is not an active party"]
    return []


def require(rule: str, problems: list[str], fix: str) -> None:
    """Raise :class:`RuleViolation` for ``rule`` if there are problems, ending with the fix."""
    if problems:
        raise RuleViolation(rule, f"{'; '.join(problems)}: {fix}")


def require_date(on: object, after: date | None, what: str = "the act") -> date:
    """Rule ``dates-in-order``: ``on`` is a date no earlier than ``after``."""
    if not isinstance(on, date) or isinstance(on, datetime):
        raise RuleViolation(INVALID, f"on must be a date (the legal date of {what}), not {on!r}")
    if after is not None and on < after:
        raise RuleViolation(
            "dates-in-order",
            f"{what} is dated {on.isoformat()}, before the latest act of "
            f"{after.isoformat()}: legal dates never go backwards; "
            "record a correction as a new act",
        )
    return on


def require_member(party: object, members: Iterable[PartyId], where: str) -> PartyId:
    """Rule ``members-only``: ``party`` is a valid id and one of ``members``."""
    pid = party_id(party)
    if pid not in set(members):
        raise NotAuthorised(
            "members-only", f"{pid!r} is not an active party of {where} and cannot act on it"
        )
    return pid


def require_self(party: PartyId, by: object | None) -> None:
    """Rule ``acts-for-itself``: if an acting party is named, it is the party itself."""
    if by is not None and party_id(by) != party:
        raise NotAuthorised(
            "acts-for-itself",
            f"{by!r} cannot act on behalf of {party!r}: {party!r} must act itself",
        )
