"""The variation workflow: propose, state positions, approve or reject, adopt.

A variation is adopted when every active party, and every party it admits, has approved it;
one rejection closes it. Adoption computes what each party conceded. The commands are methods
of [`Partnership`][sharedsvc.Partnership] (``self`` is the partnership).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import TYPE_CHECKING, Any
from uuid import UUID

from sharedsvc.domain.checks import (
    check_money,
    check_ref,
    check_text,
    require_date,
    require_member,
    require_self,
)
from sharedsvc.domain.errors import NotFound, RuleViolation
from sharedsvc.domain.ids import new_id
from sharedsvc.domain.partnership import events as ev
from sharedsvc.domain.records import RENAME, Variation
from sharedsvc.domain.rules import coverage_problems, host_problems, require
from sharedsvc.domain.validators import shown
from sharedsvc.domain.values import INVALID, DecisionRef, Money, Party, PartyId, Terms

if TYPE_CHECKING:
    from sharedsvc.domain.partnership.aggregate import Partnership

__all__ = [
    "approve_variation",
    "propose_variation",
    "reject_variation",
    "state_position",
    "variation_records",
]


def propose_variation(
    self: Partnership,
    *,
    by: str,
    changes: Mapping[str, Any] | None = None,
    admit: Iterable[Party] = (),
    dissolve: bool = False,
    final_account: Mapping[str, Money] | None = None,
    rationale: str | None = None,
    effective: date | None = None,
    on: date,
    ref: DecisionRef | None = None,
    at: datetime | None = None,
) -> UUID:
    """Propose a variation of the terms; returns its id. Proposing is not approving."""
    proposer = self._begin(by, on, "the proposal")
    if changes is not None and not isinstance(changes, Mapping):
        raise RuleViolation(
            "variation-shape", f"changes map term names to new values, not {shown(changes)}"
        )
    if isinstance(admit, Party | str) or not isinstance(admit, Iterable):
        raise RuleViolation(INVALID, f"admit takes a list of Party values, not {shown(admit)}")
    changes = dict(changes or {})
    joiners = tuple(admit)
    if not changes and not joiners and not dissolve:
        raise RuleViolation("variation-shape", "the variation changes nothing: say what")
    for joiner in joiners:
        if not isinstance(joiner, Party):
            raise RuleViolation(INVALID, f"admit takes Party values, not {shown(joiner)}")
        if joiner.id in self.active or [j.id for j in joiners].count(joiner.id) > 1:
            raise RuleViolation(
                "variation-shape", f"{joiner.id!r} is already a party or listed twice"
            )
    self.check_new_ids([j.id for j in joiners], "a joining party")
    if dissolve and (changes or joiners):
        raise RuleViolation(
            "variation-shape", "a dissolution neither changes terms nor admits parties"
        )
    if final_account is not None:
        if not dissolve:
            raise RuleViolation("variation-shape", "a final account belongs only to a dissolution")
        account: dict[PartyId, Money] | None = _final_account(self, final_account)
    else:
        account = None
    if not isinstance(dissolve, bool):
        raise RuleViolation(INVALID, f"dissolve must be True or False, not {shown(dissolve)}")
    new_terms, changes = _evolve(self, changes, "the new name")
    if changes.get(RENAME) == self.name:
        raise RuleViolation(
            "variation-shape", f"the partnership is already named {self.name!r}: say what changes"
        )
    _check_adoptable(new_terms, (*self.active, *(j.id for j in joiners)))
    if effective is not None:
        require_date(effective, on, "the effective date")
    variation = Variation(
        id=new_id(),
        proposed_by=proposer,
        proposed_on=on,
        changes=changes,
        admit=joiners,
        dissolve=dissolve,
        final_account=account,
        rationale=check_text(rationale, "rationale"),
        effective=effective,
        ref=check_ref(ref),
    )
    self._trigger(ev.VariationProposed, at, variation=variation, on=on)
    return variation.id


def state_position(
    self: Partnership,
    variation_id: UUID,
    *,
    party: str,
    position: Mapping[str, Any],
    on: date,
    by: str | None = None,
    ref: DecisionRef | None = None,
    at: datetime | None = None,
) -> None:
    """Record the terms ``party`` wants from an open variation (the shape of ``changes``)."""
    variation, party = _open_variation(self, variation_id, party, by, on)
    if not isinstance(position, Mapping) or not position:
        raise RuleViolation("variation-shape", "a position maps terms to the values wanted")
    _, position = _evolve(self, position, "the name wanted")
    self._trigger(
        ev.PositionStated,
        at,
        variation_id=variation.id,
        party=party,
        position=position,
        ref=check_ref(ref),
        on=on,
    )


def approve_variation(
    self: Partnership,
    variation_id: UUID,
    *,
    party: str,
    on: date,
    ref: DecisionRef | None = None,
    by: str | None = None,
    at: datetime | None = None,
) -> bool:
    """Approve a variation; the last approval adopts it. Returns whether it was adopted."""
    variation, party = _open_variation(self, variation_id, party, by, on)
    if party in variation.approvals:
        raise RuleViolation(
            "approve-once", f"{party!r} already approved this variation: nothing to do"
        )
    self.check_not_deferred(variation.id, "the variation")
    required = variation.required(tuple(self.active))
    adopts = set(required) <= {*variation.approvals, party}
    if adopts:
        new_terms = self.terms.evolve(variation.term_changes)
        _check_adoptable(new_terms, required)
        effective = variation.effective or on
        require_date(effective, on, "the variation's effective date")
    at = self._stamp(at)
    self._trigger(
        ev.VariationApproved,
        at,
        variation_id=variation.id,
        party=party,
        ref=check_ref(ref),
        on=on,
    )
    if adopts:
        _adopt(self, variation, new_terms, required, effective, on, at)
    return adopts


def _adopt(
    partnership: Partnership,
    variation: Variation,
    terms: Terms,
    required: tuple[PartyId, ...],
    effective: date,
    on: date,
    at: datetime,
) -> None:
    partnership._trigger(
        ev.VariationAdopted,
        at,
        variation_id=variation.id,
        terms=terms,
        effective=effective,
        concessions=variation.concessions_for(terms, variation.renames or partnership.name),
        approved_by=required,
        name=variation.renames,
        on=on,
    )
    for joiner in variation.admit:
        partnership._trigger(
            ev.PartyAdmitted,
            at,
            variation_id=variation.id,
            party=joiner,
            effective=effective,
            on=on,
        )
    if variation.dissolve:
        for pooled in list(partnership.pooled.values()):
            partnership.return_function(
                handover_id=pooled.handover_id,
                reason="the partnership is dissolved",
                on=effective,
                at=at,
                dissolution=variation.id,
                from_party=pooled.from_party,
            )
        partnership._trigger(
            ev.Dissolved,
            at,
            variation_id=variation.id,
            final_account=variation.final_account,
            effective=effective,
            on=on,
        )


def reject_variation(
    self: Partnership,
    variation_id: UUID,
    *,
    party: str,
    on: date,
    reason: str | None = None,
    ref: DecisionRef | None = None,
    by: str | None = None,
    at: datetime | None = None,
) -> None:
    """Reject a variation: one rejection closes it."""
    variation, party = _open_variation(self, variation_id, party, by, on)
    self._trigger(
        ev.VariationRejected,
        at,
        variation_id=variation.id,
        party=party,
        reason=check_text(reason, "reason"),
        ref=check_ref(ref),
        on=on,
    )


def _open_variation(
    partnership: Partnership, variation_id: UUID, party: object, by: object | None, on: date
) -> tuple[Variation, PartyId]:
    known = isinstance(variation_id, UUID)
    variation = partnership.variations.get(variation_id) if known else None
    # only a variation not open is looked for among the closed (which may read the record)
    closed = partnership.closed.get(variation_id) if known and variation is None else None
    if variation is None and closed is None:
        raise NotFound(f"{partnership._where} has no variation {variation_id}")
    if partnership.dissolved_on is not None:
        partnership._begin(party, on, "the act")
    members = variation.required(tuple(partnership.active)) if variation else partnership.active
    pid = require_member(party, members, partnership._where)
    require_self(pid, by)
    require_date(on, partnership.last_on, "the act")
    if variation is None:
        raise RuleViolation(
            "variation-closed",
            f"the variation was {closed}: it takes no more acts; propose a new one",
        )
    return variation, pid


def _evolve(
    partnership: Partnership, changes: Mapping[str, Any], what: str
) -> tuple[Terms, dict[str, Any]]:
    """The terms with ``changes`` applied (refused unless valid), and ``changes`` with each
    value as the terms hold it; a new name (`RENAME`) is non-empty text, kept as given."""
    terms = {key: value for key, value in changes.items() if key != RENAME}
    new_terms = partnership.terms.evolve(terms)
    normalised = {key: getattr(new_terms, key) for key in terms}
    if RENAME in changes:
        normalised[RENAME] = check_text(changes[RENAME], what, optional=False)
    return new_terms, normalised


def _check_adoptable(terms: Terms, parties: Iterable[PartyId]) -> None:
    parties = tuple(parties)
    require(
        "shares-cover-active-parties",
        coverage_problems(terms, parties),
        "give each active and joining party a share in every cost pool",
    )
    require("host-is-active", host_problems(terms, parties), "name an active party as host")


def _final_account(partnership: Partnership, account: Mapping[str, Money]) -> dict[PartyId, Money]:
    """``account`` if it gives every current party, and only them, an amount."""
    if not isinstance(account, Mapping):
        raise RuleViolation(INVALID, f"final_account maps parties to Money, not {account!r}")
    result = {}
    for party, amount in account.items():
        result[require_member(party, partnership.active, partnership._where)] = amount
        check_money(amount, allow_negative=True)
    left_out = [party for party in partnership.active if party not in result]
    if left_out:
        raise RuleViolation(
            INVALID,
            f"the final account leaves out {', '.join(map(repr, left_out))}: give every current "
            "party its amount (zero where it pays and receives nothing)",
        )
    return result


def variation_records(events: Iterable[Any]) -> dict[UUID, Variation]:
    """The record of every variation proposed in ``events`` (a partnership's), oldest first."""
    records: dict[UUID, Variation] = {}
    for event in events:
        if isinstance(event, ev.VariationProposed):
            records[event.variation.id] = event.variation
        elif isinstance(event, ev.VariationEvent):
            records[event.variation_id] = event.update(records[event.variation_id])
        elif isinstance(event, ev.PartySucceeded):  # the predecessor's approvals lapse
            for vid, record in records.items():
                if record.is_open:
                    records[vid] = event.update(record)
    return records
