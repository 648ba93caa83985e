"""The variation workflow: propose, state positions, approve or reject, adopt.

A variation is adopted when every active party, and every party it admits, has approved it;
one rejection closes it. Adoption computes what each party conceded.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any
from uuid import UUID, uuid4

from sharedsvc.domain import partnership_events as ev
from sharedsvc.domain.errors import NotFound, RuleViolation
from sharedsvc.domain.partnership_state import PartnershipState, check_money, check_ref, check_text
from sharedsvc.domain.records import Variation
from sharedsvc.domain.rules import (
    coverage_problems,
    host_problems,
    require,
    require_date,
    require_member,
    require_self,
)
from sharedsvc.domain.values import INVALID, DecisionRef, Money, Party, PartyId, Terms

__all__ = ["VariationCommands"]


class VariationCommands(PartnershipState):
    """The partnership's variation commands."""

    def propose_variation(
        self,
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
                "variation-shape", f"changes map term names to new values, not {changes!r}"
            )
        if isinstance(admit, Party | str) or not isinstance(admit, Iterable):
            raise RuleViolation(INVALID, f"admit takes a list of Party values, not {admit!r}")
        changes = dict(changes or {})
        joiners = tuple(admit)
        if not changes and not joiners and not dissolve:
            raise RuleViolation("variation-shape", "the variation changes nothing: say what")
        for joiner in joiners:
            if not isinstance(joiner, Party):
                raise RuleViolation(INVALID, f"admit takes Party values, not {joiner!r}")
            if joiner.id in self.active or [j.id for j in joiners].count(joiner.id) > 1:
                raise RuleViolation(
                    "variation-shape", f"{joiner.id!r} is already a party or listed twice"
                )
        if dissolve and (changes or joiners):
            raise RuleViolation(
                "variation-shape", "a dissolution neither changes terms nor admits parties"
            )
        if final_account is not None:
            if not dissolve:
                raise RuleViolation(
                    "variation-shape", "a final account belongs only to a dissolution"
                )
            account: dict[PartyId, Money] | None = self._final_account(final_account)
        else:
            account = None
        if not isinstance(dissolve, bool):
            raise RuleViolation(INVALID, f"dissolve must be True or False, not {dissolve!r}")
        new_terms = self.terms.evolve(changes)
        changes = {name: getattr(new_terms, name) for name in changes}
        self._check_adoptable(new_terms, (*self.active, *(j.id for j in joiners)))
        if effective is not None:
            require_date(effective, on, "the effective date")
        variation = Variation(
            id=uuid4(),
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
        self,
        variation_id: UUID,
        *,
        party: str,
        position: Mapping[str, Any],
        on: date,
        by: str | None = None,
        at: datetime | None = None,
    ) -> None:
        """Record the terms ``party`` wants from an open variation (the shape of ``changes``)."""
        variation, party = self._open_variation(variation_id, party, by, on)
        if not isinstance(position, Mapping) or not position:
            raise RuleViolation("variation-shape", "a position maps terms to the values wanted")
        wanted = self.terms.evolve(position)
        position = {name: getattr(wanted, name) for name in position}
        self._trigger(
            ev.PositionStated,
            at,
            variation_id=variation.id,
            party=party,
            position=position,
            on=on,
        )

    def approve_variation(
        self,
        variation_id: UUID,
        *,
        party: str,
        on: date,
        ref: DecisionRef | None = None,
        by: str | None = None,
        at: datetime | None = None,
    ) -> bool:
        """Approve a variation; the last approval adopts it. Returns whether it was adopted."""
        variation, party = self._open_variation(variation_id, party, by, on)
        if party in variation.approvals:
            raise RuleViolation(
                "approve-once", f"{party!r} already approved this variation: nothing to do"
            )
        self.check_not_deferred(variation.id, "the variation")
        required = variation.required(tuple(self.active))
        adopts = set(required) <= {*variation.approvals, party}
        if adopts:
            new_terms = self.terms.evolve(variation.changes)
            self._check_adoptable(new_terms, required)
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
            self._adopt(variation, new_terms, required, effective, on, at)
        return adopts

    def _adopt(
        self,
        variation: Variation,
        terms: Terms,
        required: tuple[PartyId, ...],
        effective: date,
        on: date,
        at: datetime,
    ) -> None:
        self._trigger(
            ev.VariationAdopted,
            at,
            variation_id=variation.id,
            terms=terms,
            effective=effective,
            concessions=variation.concessions_for(terms),
            approved_by=required,
            on=on,
        )
        for joiner in variation.admit:
            self._trigger(
                ev.PartyAdmitted,
                at,
                variation_id=variation.id,
                party=joiner,
                effective=effective,
                on=on,
            )
        if variation.dissolve:
            for pooled in list(self.pooled.values()):
                self._trigger(
                    ev.FunctionReturned, at, handover_id=pooled.handover_id,
                    from_party=pooled.from_party, function=pooled.function,
                    reason="the partnership is dissolved", on=on,
                )  # fmt: skip
            self._trigger(
                ev.Dissolved,
                at,
                variation_id=variation.id,
                final_account=variation.final_account,
                effective=effective,
                on=on,
            )

    def reject_variation(
        self,
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
        variation, party = self._open_variation(variation_id, party, by, on)
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
        self, variation_id: UUID, party: object, by: object | None, on: date
    ) -> tuple[Variation, PartyId]:
        known = isinstance(variation_id, UUID)
        variation = self.variations.get(variation_id) if known else None
        closed = self.closed.get(variation_id) if known else None
        if variation is None and closed is None:
            raise NotFound(f"{self._where} has no variation {variation_id}")
        if self.dissolved_on is not None:
            self._begin(party, on, "the act")
        members = variation.required(tuple(self.active)) if variation else self.active
        pid = require_member(party, members, self._where)
        require_self(pid, by)
        require_date(on, self.last_on, "the act")
        if variation is None:
            raise RuleViolation(
                "variation-closed",
                f"the variation was {closed}: it takes no more acts; propose a new one",
            )
        return variation, pid

    def _check_adoptable(self, terms: Terms, parties: Iterable[PartyId]) -> None:
        parties = tuple(parties)
        require(
            "shares-cover-active-parties",
            coverage_problems(terms, parties),
            "give each active and joining party a share in every cost pool",
        )
        require("host-is-active", host_problems(terms, parties), "name an active party as host")

    def _final_account(self, account: Mapping[str, Money]) -> dict[PartyId, Money]:
        result = {}
        for party, amount in account.items():
            result[require_member(party, self.active, self._where)] = amount
            check_money(amount, allow_negative=True)
        return result
