"""Strategies for the records a partnership keeps: pooled functions, withdrawals, variations,
successions, readiness scores and gates, targets and their outcomes.

Private: import them from [`sharedsvc.testing`][sharedsvc.testing] (or
`sharedsvc.testing.strategies`).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from hypothesis import strategies as st
from hypothesis.strategies import DrawFn, SearchStrategy

from sharedsvc.domain.readiness import DEFAULT_READINESS_AREAS, AreaScore, ReadinessGate
from sharedsvc.domain.records import PooledFunction, Succession, Variation, Withdrawal
from sharedsvc.domain.targets import Outcome, Target
from sharedsvc.domain.values import Party, PartyId
from sharedsvc.testing._building import (
    DEFAULT_MAX_DATE,
    DEFAULT_MIN_DATE,
    FUNCTIONS,
    GBP,
    MEMBERS,
    NAMES,
    NOTICES,
    PARTIES,
    PARTY_IDS,
    TERM_FIELDS,
    decided_between,
    draw_concession,
    draw_term,
    maybe,
    subset,
)

__all__ = [
    "READINESS_AREAS",
    "area_scores",
    "outcomes",
    "pooled_functions",
    "readiness_gates",
    "successions",
    "targets",
    "variations",
    "withdrawals",
]

DATES = st.dates(DEFAULT_MIN_DATE, DEFAULT_MAX_DATE)
READINESS_AREAS = st.sampled_from(DEFAULT_READINESS_AREAS)
"""The default readiness areas."""


def readiness_gates(
    areas: Sequence[str] = DEFAULT_READINESS_AREAS,
) -> SearchStrategy[ReadinessGate]:
    """Readiness gates: a minimum of 0 to 5, a window of 1 to 60 months, and every area or
    some of ``areas``."""
    chosen = st.none() | st.lists(st.sampled_from(tuple(areas)), min_size=1, unique=True).map(tuple)
    return st.builds(ReadinessGate, st.integers(0, 5), st.integers(1, 60), chosen)


def area_scores() -> SearchStrategy[AreaScore]:
    """A party's latest score (0 to 5) in a readiness area, and its date."""
    return st.builds(AreaScore, PARTY_IDS, READINESS_AREAS, st.integers(0, 5), DATES)


def outcomes() -> SearchStrategy[Outcome]:
    """Outcomes recorded against a target: an amount in pounds, by a party, on a date."""
    return st.builds(Outcome, GBP, PARTY_IDS, DATES, st.none() | decided_between(
        DEFAULT_MIN_DATE, DEFAULT_MAX_DATE))  # fmt: skip


@st.composite
def _targets(draw: DrawFn) -> Target:
    on = draw(DATES)
    return Target(
        id=draw(st.uuids()),
        kind=draw(st.sampled_from(("savings", "income", "efficiency"))),
        amount=draw(GBP.filter(lambda money: money.amount > 0)),
        due=draw(st.dates(on, DEFAULT_MAX_DATE)),
        party=maybe(draw, PARTY_IDS),
        by=draw(PARTY_IDS),
        on=on,
        ref=maybe(draw, decided_between(DEFAULT_MIN_DATE, on)),
        outcomes=draw(st.lists(outcomes(), max_size=3)),
    )


def targets() -> SearchStrategy[Target]:
    """Targets of a positive amount, due on or after the day they were set, with up to three
    outcomes."""
    return _targets()


def pooled_functions() -> SearchStrategy[PooledFunction]:
    """Functions held by the shared service, with the handover that pooled them."""
    return st.builds(PooledFunction, PARTY_IDS, FUNCTIONS, st.uuids(), DATES)


@st.composite
def _successions(draw: DrawFn) -> Succession:
    heirs = draw(st.lists(PARTY_IDS, min_size=1, max_size=3, unique=True))
    weights = st.integers(0, 5).map(Decimal)
    split = {heir: draw(weights) for heir in heirs}
    if not any(split.values()):
        split[heirs[0]] = Decimal(1)
    on = draw(DATES)
    return Succession(heirs, split, on, maybe(draw, decided_between(DEFAULT_MIN_DATE, on)))


def successions() -> SearchStrategy[Succession]:
    """Successions: one to three successors, each with a whole weight (not all zero), on a
    vesting day, by an order or none."""
    return _successions()


@st.composite
def _withdrawals(draw: DrawFn) -> Withdrawal:
    served_on = draw(DATES)
    exit_costs = maybe(draw, GBP)
    return Withdrawal(
        party=draw(PARTY_IDS),
        served_on=served_on,
        effective=draw(NOTICES).effective_date(served_on),
        exit_costs=exit_costs,
        determined_by=None if exit_costs is None else draw(PARTY_IDS),
        paid=exit_costs if exit_costs is not None and draw(st.booleans()) else None,
    )


def withdrawals() -> SearchStrategy[Withdrawal]:
    """Withdrawals in progress, effective by a notice rule; paid only once costs are set."""
    return _withdrawals()


def _draw_joiners(draw: DrawFn, members: Sequence[PartyId]) -> list[Party]:
    """Up to two parties to admit, renamed (``"camden-2"``) where an id is already taken."""
    taken, joiners = set(members), []
    for party in draw(st.lists(PARTIES, max_size=2)):
        new_id, n = party.id, 1
        while new_id in taken:
            n += 1
            new_id = PartyId(f"{party.id}-{n}")
        taken.add(new_id)
        joiners.append(Party(new_id, party.name, party.kind))
    return joiners


@st.composite
def _variations(draw: DrawFn) -> Variation:
    members = draw(MEMBERS)
    admit = _draw_joiners(draw, members)
    required = (*members, *(joiner.id for joiner in admit))
    dissolve = not admit and draw(st.booleans())
    final_account = None
    fields: list[str] = []
    if dissolve:
        final_account = maybe(draw, st.dictionaries(st.sampled_from(members), GBP))
    else:
        fields = subset(draw, TERM_FIELDS, min_size=1)[:3]
        if admit and "cost_pools" not in fields:
            fields.append("cost_pools")  # the new pools must cover the joiners
    positions = {
        party: {field: draw_term(draw, field, required) for field in subset(draw, fields, 1)}
        for party in (subset(draw, required) if fields else ())
    }
    proposed_on = draw(DATES)
    status = draw(st.sampled_from(("open", "adopted", "rejected")))
    rejected_by = draw(st.sampled_from(required)) if status == "rejected" else None
    approvers = required if status == "adopted" else subset(draw, required)
    adopted = status == "adopted"
    return Variation(
        id=draw(st.uuids()),
        proposed_by=draw(st.sampled_from(members)),
        proposed_on=proposed_on,
        changes={field: draw_term(draw, field, required) for field in fields},
        admit=admit,
        dissolve=dissolve,
        final_account=final_account,
        rationale=maybe(draw, NAMES),
        effective=maybe(draw, st.dates(proposed_on, DEFAULT_MAX_DATE)),
        ref=maybe(draw, decided_between(DEFAULT_MIN_DATE, proposed_on)),
        positions=positions,
        approvals={
            party: maybe(draw, decided_between(proposed_on, DEFAULT_MAX_DATE))
            for party in approvers
            if party != rejected_by
        },
        status=status,
        closed_on=None if status == "open" else draw(st.dates(proposed_on, DEFAULT_MAX_DATE)),
        rejected_by=rejected_by,
        reason=draw(NAMES) if rejected_by else None,
        concessions=[
            draw_concession(draw, st.sampled_from(required))
            for _ in range(draw(st.integers(0, 2)) if adopted else 0)
        ],
        approved_by=required if adopted else (),
    )


def variations() -> SearchStrategy[Variation]:
    """Variations that are open, adopted or rejected, coherent with their status.

    Changes name terms of the agreement and give them valid values; a variation that admits
    parties changes the cost pools to cover them; an adopted one was approved by every party
    it needed; positions state values for terms the variation changes.
    """
    return _variations()
