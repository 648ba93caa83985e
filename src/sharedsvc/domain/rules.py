"""Rules shared by the aggregates (which refuse commands) and the invariant catalogue (which
inspects views). Each returns a list of problems, one sentence each, empty when the rule holds;
`require` turns problems into a refusal."""

from __future__ import annotations

from collections.abc import Iterable

from sharedsvc.domain.errors import RuleViolation
from sharedsvc.domain.values import PartyId, Terms

__all__ = ["coverage_problems", "host_problems", "require"]


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
    """Raise [`RuleViolation`][sharedsvc.RuleViolation] for ``rule`` if there are problems, ending
    with the fix."""
    if problems:
        raise RuleViolation(rule, f"{'; '.join(problems)}: {fix}")
