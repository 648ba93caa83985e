"""The invariant catalogue: every rule of an agreement, with its stable code.

The aggregates enforce these rules before any event is triggered. Here each rule is also a
check over a view, so tests (and users' own property tests) can confirm that no sequence of
commands ever leaves the record in a state that breaks one. Rules that concern a single act
rather than a state (who may act, approving twice) are listed with ``check=None``: they are
enforced when a command is refused, and tested that way.

    >>> from sharedsvc.invariants import CATALOGUE
    >>> "shares-sum-to-100" in CATALOGUE
    True
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import Decimal

import attrs
from immutabledict import immutabledict

from sharedsvc.domain.budgets import MONEY_RULES
from sharedsvc.domain.records import Variation, VariationStatus
from sharedsvc.domain.rules import coverage_problems, host_problems
from sharedsvc.domain.values import HUNDRED
from sharedsvc.domain.views import DisputeView, HandoverView, PartnershipView

__all__ = [
    "CATALOGUE",
    "Invariant",
    "Violation",
    "assert_partnership",
    "check_dispute",
    "check_handover",
    "check_partnership",
]

Check = Callable[[PartnershipView], list[str]]
VariationCheck = Callable[[Variation], list[str]]
HandoverCheck = Callable[[HandoverView], list[str]]
DisputeCheck = Callable[[DisputeView], list[str]]


@attrs.frozen
class Invariant:
    """A rule of the agreement: its stable ``code``, what it says, and a check over a view,
    or over a variation's record (``None`` for rules that concern an act rather than a
    state)."""

    code: str
    description: str
    check: Check | None = attrs.field(default=None, eq=False, repr=False)
    check_variation: VariationCheck | None = attrs.field(default=None, eq=False, repr=False)
    check_handover: HandoverCheck | None = attrs.field(default=None, eq=False, repr=False)
    check_dispute: DisputeCheck | None = attrs.field(default=None, eq=False, repr=False)


@attrs.frozen
class Violation:
    """One broken invariant found in a view."""

    code: str
    message: str


def _sums(view: PartnershipView) -> list[str]:
    return [
        f"cost pool {pool.name!r} sums to {sum(pool.shares.values(), Decimal(0))}"
        for pool in view.terms.cost_pools
        if sum(pool.shares.values(), Decimal(0)) != HUNDRED
    ]


def _coverage(view: PartnershipView) -> list[str]:
    return [] if view.dissolved else coverage_problems(view.terms, view.active_parties)


def _two_or_more(view: PartnershipView) -> list[str]:
    if view.dissolved or len(view.active_parties) >= 2:
        return []
    return [f"only {list(view.active_parties)} active"]


def _host(view: PartnershipView) -> list[str]:
    return [] if view.dissolved else host_problems(view.terms, view.active_parties)


def _every_approval(variation: Variation) -> list[str]:
    problems = []
    if variation.status == VariationStatus.ADOPTED:
        missing = set(variation.approved_by) | set(variation.admitted_ids)
        missing -= set(variation.approvals)
        if missing:
            problems.append(f"variation {variation.id} adopted without {sorted(missing)}")
    if variation.status == VariationStatus.REJECTED and variation.rejected_by is None:
        problems.append(f"variation {variation.id} closed as rejected by nobody")
    return problems


def _variation_dates(variation: Variation) -> list[str]:
    if variation.closed_on is not None and variation.closed_on < variation.proposed_on:
        return [f"variation {variation.id} closed before it was proposed"]
    return []


def _stage_minimum(view: PartnershipView) -> list[str]:
    return [
        f"{pooled.key} is pooled at {view.stage.value}"
        for pooled in view.pooled_functions
        if view.stage < view.policy.minimum_stage(pooled.function.category)
    ]


def _one_holder(view: PartnershipView) -> list[str]:
    keys = [pooled.key for pooled in view.pooled_functions]
    return [
        f"{key} is pooled more than once" for key in sorted({k for k in keys if keys.count(k) > 1})
    ]


def _exit_paid(view: PartnershipView) -> list[str]:
    return [
        f"{party} paid {w.paid} against exit costs of {w.exit_costs}"
        for party, w in view.exits.items()
        if w.paid is not None and w.paid != w.exit_costs
    ]


def _dates(view: PartnershipView) -> list[str]:
    problems = []
    if view.last_on < view.formed_on:
        problems.append(f"latest act {view.last_on} precedes formation {view.formed_on}")
    for variation in view.open_variations.values():
        if variation.proposed_on < view.formed_on:
            problems.append(f"variation {variation.id} proposed before formation")
    for party, w in view.exits.items():
        if w.effective < w.served_on:
            problems.append(f"{party}'s notice takes effect before it was served")
    return problems


def _successor_shares(view: PartnershipView) -> list[str]:
    problems = []
    for predecessor, succession in view.successions.items():
        weights = succession.split
        if set(weights) != set(succession.successors):
            problems.append(f"{predecessor}'s shares are split among {sorted(weights)}, not "
                            f"its successors {list(succession.successors)}")  # fmt: skip
        if any(w < 0 for w in weights.values()) or not any(weights.values()):
            problems.append(f"{predecessor}'s shares are split by weights {dict(weights)}")
    return problems


def _predecessor_gone(view: PartnershipView) -> list[str]:
    problems = []
    for predecessor, succession in view.successions.items():
        when = f"after its vesting day {succession.on.isoformat()}"
        if predecessor in view.active_parties:
            problems.append(f"{predecessor} is active {when}")
        if view.host == predecessor:
            problems.append(f"{predecessor} hosts the service {when}")
        if predecessor in view.exits:
            problems.append(f"{predecessor} has a withdrawal in progress {when}")
        problems += [
            f"{pooled.key} is pooled from {predecessor} {when}"
            for pooled in view.pooled_functions
            if pooled.from_party == predecessor
        ]
        problems += [
            f"{predecessor} approves open variation {variation.id} {when}"
            for variation in view.open_variations.values()
            if predecessor in variation.approvals
        ]
    return problems


def _ids_unique(view: PartnershipView) -> list[str]:
    problems = [
        f"{predecessor} succeeded itself"
        for predecessor, succession in view.successions.items()
        if predecessor in succession.successors
    ]
    problems += [
        f"{party} is listed twice among the active parties"
        for party in sorted({p for p in view.active_parties if view.active_parties.count(p) > 1})
    ]
    return problems


def _every_consent(view: HandoverView) -> list[str]:
    if view.status not in ("effected", "recalled"):
        return []
    ceding = view.from_parties or (view.from_party,)  # a view made before combined services
    return [
        f"handover {view.id} took effect without {party}'s own consent"
        for party in ceding
        if party not in view.consents
    ]


def _consent_once(view: HandoverView) -> list[str]:
    both = sorted(set(view.consents) & set(view.withheld))
    return [f"{party} both consents to and withholds consent from {view.id}" for party in both]


def _one_rung(view: DisputeView) -> list[str]:
    climbed = tuple(reached.rung for reached in view.rungs)
    if climbed != view.ladder[: len(climbed)] or view.rung != climbed[-1]:
        return [f"dispute {view.id} climbed {[r.value for r in climbed]}, not rung by rung"]
    return []


def _top_rung(view: DisputeView) -> list[str]:
    if view.status == "determined" and view.rung != view.ladder[-1]:
        return [f"dispute {view.id} determined at {view.rung.value}, below the top rung"]
    return []


def _every_acceptance(view: DisputeView) -> list[str]:
    missing = sorted(set(view.parties) - set(view.accepted))
    if view.status == "settled" and missing:
        return [f"dispute {view.id} settled without {missing}'s acceptance"]
    return []


def _dispute_dates(view: DisputeView) -> list[str]:
    dates = [reached.on for reached in view.rungs]
    return [] if dates == sorted(dates) else [f"dispute {view.id} climbed rungs out of date order"]


_RULES: tuple[Invariant, ...] = (
    Invariant("shares-sum-to-100", "every cost pool's shares sum to exactly 100", _sums),
    Invariant(
        "shares-cover-active-parties",
        "every cost pool has a share for each active party and no other",
        _coverage,
    ),
    Invariant("two-or-more-parties", "at least two active parties until dissolution", _two_or_more),
    Invariant("host-is-active", "the host, if any, is an active party", _host),
    Invariant("members-only", "only an active member (or a joiner, on its variation) acts"),
    Invariant("acts-for-itself", "no party acts on behalf of another"),
    Invariant(
        "variation-needs-every-approval",
        "a variation is adopted only when every active and joining party approved it",
        check_variation=_every_approval,
    ),
    Invariant("approve-once", "a party approves a variation at most once"),
    Invariant("variation-closed", "an adopted or rejected variation takes no further acts"),
    Invariant("variation-shape", "a variation changes terms, admits parties, or dissolves"),
    Invariant(
        "handover-needs-every-consent",
        "a handover takes effect only with every active party's consent",
        check_handover=_every_consent,
    ),
    Invariant(
        "stage-minimum-for-function",
        "a function is pooled only at or past its category's minimum stage",
        _stage_minimum,
    ),
    Invariant("stage-in-continuum", "a partnership is only at a stage of its continuum"),
    Invariant("stage-changes", "a stage change moves to a different stage"),
    Invariant("one-holder-per-function", "a function has exactly one holder", _one_holder),
    Invariant(
        "consent-once",
        "consent is given once, and not withdrawn after effect",
        check_handover=_consent_once,
    ),
    Invariant("notice-period", "a withdrawal takes effect no earlier than the notice rule allows"),
    Invariant("notice-served", "withdrawal steps follow a served notice, one at a time"),
    Invariant(
        "exit-costs",
        "exit costs are determined by a remaining party and paid in the amount determined",
        _exit_paid,
    ),
    Invariant("exit-paid-before-leaving", "a withdrawal completes only after the exit payment"),
    Invariant(
        "functions-returned-before-leaving",
        "a leaving party's pooled functions are recalled first",
    ),
    Invariant(
        "one-rung-at-a-time",
        "a dispute escalates exactly one rung up, never down",
        check_dispute=_one_rung,
    ),
    Invariant(
        "deferred-act-frozen",
        "an act under a deferring dispute waits until the dispute is resolved",
    ),
    Invariant(
        "determination-at-top-rung",
        "an arbiter determines a dispute only at the top rung",
        check_dispute=_top_rung,
    ),
    Invariant(
        "settlement-needs-every-acceptance",
        "a settlement binds only when every disputing party accepted the same terms",
        check_dispute=_every_acceptance,
    ),
    Invariant(
        "dates-in-order",
        "within an aggregate, legal dates never go backwards",
        _dates,
        _variation_dates,
        check_dispute=_dispute_dates,
    ),
    Invariant("partnership-dissolved", "a dissolved partnership takes no further acts"),
    Invariant(
        "dissolution-pending",
        "between a dissolution's adoption and its effective date the partnership takes no act "
        "but notes",
    ),
    Invariant("handover-closed", "a withdrawn, effected or recalled handover takes no consents"),
    Invariant("dispute-closed", "a settled, determined or withdrawn dispute takes no more acts"),
    Invariant("dispute-shape", "a dispute is raised against others and defers only a named act"),
    Invariant("mediator-at-mediation", "a mediator is appointed at the mediation rung"),
    Invariant("invalid-value", "values are well formed (ids, dates, money, percentages)"),
    Invariant(
        "successor-shares",
        "a succeeded party's shares pass whole to its successors, divided by weights (not all "
        "zero, none negative) for exactly them, so that the pools still sum to 100",
        _successor_shares,
    ),
    Invariant(
        "predecessor-never-acts",
        "a succeeded party never acts after its vesting day: it is not active, hosts nothing, "
        "pools nothing and approves nothing",
        _predecessor_gone,
    ),
    Invariant(
        "party-ids-unique",
        "a party id names one body: a former party's id is never used again, by a successor "
        "or a joiner",
        _ids_unique,
    ),
    Invariant("readiness-areas", "an assessment scores only areas its policy names"),
    Invariant("readiness-score", "a readiness score is a whole number from 0 to 5"),
    Invariant("readiness-for-stage", "a gated stage needs every active party's recent scores"),
    *(Invariant(code, description) for code, description in MONEY_RULES.items()),
    Invariant(
        "succession-shape",
        "a succession names one or more distinct successors, and weights (not all zero) for "
        "exactly them",
    ),
)

CATALOGUE: immutabledict[str, Invariant] = immutabledict((rule.code, rule) for rule in _RULES)
"""Every invariant by code."""


def check_partnership(
    view: PartnershipView, variations: Iterable[Variation] = ()
) -> list[Violation]:
    """Every invariant the view breaks (an empty list when the record is sound).

    The view holds the records of its open and scheduled variations; pass ``variations``
    (from [`variations`][sharedsvc.SharedServices.variations]) to check the closed ones too."""
    records = {v.id: v for v in (*view.open_variations.values(), *view.scheduled_variations)}
    records.update((v.id, v) for v in variations)
    found = [
        Violation(rule.code, message)
        for rule in _RULES
        if rule.check is not None
        for message in rule.check(view)
    ]
    found += [
        Violation(rule.code, message)
        for rule in _RULES
        if rule.check_variation is not None
        for record in records.values()
        for message in rule.check_variation(record)
    ]
    return found


def assert_partnership(view: PartnershipView, variations: Iterable[Variation] = ()) -> None:
    """Raise ``AssertionError`` listing every invariant the view (and ``variations``) break."""
    violations = check_partnership(view, variations)
    if violations:
        raise AssertionError("; ".join(f"[{v.code}] {v.message}" for v in violations))


def check_handover(view: HandoverView) -> list[Violation]:
    """Every invariant the handover's view breaks."""
    return [
        Violation(rule.code, message)
        for rule in _RULES
        if rule.check_handover is not None
        for message in rule.check_handover(view)
    ]


def check_dispute(view: DisputeView) -> list[Violation]:
    """Every invariant the dispute's view breaks."""
    return [
        Violation(rule.code, message)
        for rule in _RULES
        if rule.check_dispute is not None
        for message in rule.check_dispute(view)
    ]
