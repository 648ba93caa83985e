"""The dispute verbs and views of :class:`~sharedsvc.SharedServices`."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any
from uuid import UUID

from sharedsvc.domain.dispute import Dispute
from sharedsvc.domain.errors import NotFound, RuleViolation
from sharedsvc.domain.handover import HandoverStatus, SovereigntyHandover
from sharedsvc.domain.partnership import Partnership
from sharedsvc.domain.values import Rung
from sharedsvc.domain.views import DisputeView
from sharedsvc.store import Store, _utc, _uuid

__all__ = ["DisputeVerbs"]


class DisputeVerbs(Store):
    """Raise disputes, climb the ladder, settle or determine them."""

    def _check_act(self, partnership: Partnership, act: object, defer: bool) -> UUID:
        """``act`` as the id of a variation or handover of ``partnership``; to defer it, one
        not yet taken (a variation awaiting approval, a handover not yet in effect)."""
        uid = _uuid(act, "act")
        if uid in partnership.variations or (not defer and uid in partnership.closed):
            return uid
        try:
            handover = self._load(uid, SovereigntyHandover, "variation or handover")
        except NotFound:
            raise NotFound(
                f"{uid} is neither an open variation nor a handover of this partnership"
            ) from None
        if handover.partnership_id != partnership.id or (
            defer and handover.status is not HandoverStatus.PROPOSED
        ):
            raise RuleViolation(
                "dispute-shape",
                f"handover {uid} is {handover.status}"
                + ("" if handover.partnership_id == partnership.id else " in another partnership")
                + ": only an act not yet taken can be disputed and deferred",
            )
        return uid

    def _on_dispute(self, did: object) -> tuple[Dispute, Partnership]:
        dispute = self._load(did, Dispute, "dispute")
        return dispute, self._load(dispute.partnership_id, Partnership, "partnership")

    def _close(self, dispute: Dispute, partnership: Partnership) -> None:
        """Save a dispute, releasing its deferred act in the same save once resolved."""
        if dispute.resolved and dispute.deferred and dispute.act in partnership.deferred:
            assert dispute.act is not None
            last: Any = dispute.pending_events[-1]
            partnership.release_act(
                act=dispute.act, dispute_id=dispute.id, on=last.on, at=last.timestamp
            )
            self._commit(dispute, partnership)
        else:
            self._commit(dispute)

    def raise_dispute(
        self,
        pid: UUID,
        *,
        by: str,
        against: Iterable[str],
        subject: str,
        act: UUID | None = None,
        defer: bool = False,
        on: date,
    ) -> UUID:
        """``by`` raises a dispute with ``against``; ``defer`` freezes ``act`` meanwhile."""
        partnership = self._load(pid, Partnership, "partnership")
        disputed = None if act is None else self._check_act(partnership, act, defer)
        dispute = Dispute.raise_(
            partnership, by=by, against=against, subject=subject, act=disputed, defer=defer,
            on=on, at=self._now(partnership),
        )  # fmt: skip
        self._commit(dispute, partnership)
        return dispute.id

    def state_dispute_position(
        self, did: UUID, *, party: str, position: Mapping[str, Any], on: date,
        by: str | None = None,
    ) -> None:  # fmt: skip
        """``party`` states what it wants: subject -> value."""
        dispute = self._load(did, Dispute, "dispute")
        dispute.state_position(party=party, position=position, on=on, by=by)
        self._commit(dispute)

    def escalate_dispute(
        self, did: UUID, *, by: str, reason: str | None = None, on: date, to: Rung | None = None
    ) -> Rung:
        """Escalate the dispute one rung up the ladder; returns the new rung."""
        dispute = self._load(did, Dispute, "dispute")
        rung = dispute.escalate(by=by, reason=reason, on=on, to=to)
        self._commit(dispute)
        return rung

    def appoint_mediator(self, did: UUID, *, mediator: str, by: str, on: date) -> None:
        """Appoint a mediator, at the mediation rung."""
        dispute = self._load(did, Dispute, "dispute")
        dispute.appoint_mediator(mediator=mediator, by=by, on=on)
        self._commit(dispute)

    def propose_settlement(self, did: UUID, *, by: str, terms: Mapping[str, Any], on: date) -> None:
        """Propose settlement terms: subject -> value."""
        dispute = self._load(did, Dispute, "dispute")
        dispute.propose_settlement(by=by, terms=terms, on=on)
        self._commit(dispute)

    def accept_settlement(self, did: UUID, *, party: str, on: date, by: str | None = None) -> bool:
        """``party`` accepts the proposed terms; returns whether that settled the dispute."""
        dispute, partnership = self._on_dispute(did)
        dispute.accept_settlement(party=party, on=on, by=by, at=self._now(dispute, partnership))
        self._close(dispute, partnership)
        return dispute.resolved

    def determine_dispute(
        self, did: UUID, *, arbiter: str, terms: Mapping[str, Any], on: date
    ) -> None:
        """An arbiter determines the dispute (only at the top rung); binding."""
        dispute, partnership = self._on_dispute(did)
        dispute.determine(arbiter=arbiter, terms=terms, on=on, at=self._now(dispute, partnership))
        self._close(dispute, partnership)

    def withdraw_dispute(self, did: UUID, *, by: str, on: date, reason: str | None = None) -> None:
        """The party that raised the dispute withdraws it."""
        dispute, partnership = self._on_dispute(did)
        dispute.withdraw(by=by, on=on, reason=reason, at=self._now(dispute, partnership))
        self._close(dispute, partnership)

    def dispute(
        self, did: UUID, *, as_of: date | None = None, known_at: datetime | None = None
    ) -> DisputeView:
        """The dispute as it stands, or as it stood on ``as_of`` / was recorded at
        ``known_at``."""
        dispute = self._dated(did, Dispute, "dispute", as_of=as_of, known_at=known_at)
        return DisputeView.of(
            dispute, as_of=as_of, known_at=None if known_at is None else _utc(known_at)
        )
