"""The sovereignty-handover verbs and views of :class:`~sharedsvc.SharedServices`."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from uuid import UUID

from sharedsvc.domain.handover import SovereigntyHandover
from sharedsvc.domain.partnership import Partnership
from sharedsvc.domain.transfers import DataRole, StaffTransfer
from sharedsvc.domain.values import DecisionRef, Function
from sharedsvc.domain.views import HandoverView
from sharedsvc.store import Store, _utc

__all__ = ["HandoverVerbs"]


class HandoverVerbs(Store):
    """Hand functions over to the shared service, consent, effect and recall them."""

    def _handover_and_partnership(self, hid: object) -> tuple[SovereigntyHandover, Partnership]:
        handover = self._load(hid, SovereigntyHandover, "handover")
        return handover, self._load(handover.partnership_id, Partnership, "partnership")

    def propose_handover(
        self,
        pid: UUID,
        *,
        function: Function,
        by: str,
        staff: Iterable[StaffTransfer] = (),
        assets: Iterable[str] = (),
        data_role: DataRole | None = None,
        rationale: str | None = None,
        on: date,
        ref: DecisionRef | None = None,
    ) -> UUID:
        """``by`` proposes to hand its ``function`` over (with staff, assets, a data role)."""
        partnership = self._load(pid, Partnership, "partnership")
        handover = SovereigntyHandover.propose(
            partnership, function=function, by=by, staff=staff, assets=assets,
            data_role=data_role, rationale=rationale, on=on, ref=ref,
        )  # fmt: skip
        self._commit(handover)
        return handover.id

    def consent_to_handover(
        self,
        hid: UUID,
        *,
        party: str,
        ref: DecisionRef | None = None,
        on: date,
        by: str | None = None,
    ) -> None:
        """``party`` consents to the handover, with its decision reference."""
        handover, partnership = self._handover_and_partnership(hid)
        handover.consent(partnership, party=party, ref=ref, on=on, by=by)
        self._commit(handover)

    def withhold_consent(
        self,
        hid: UUID,
        *,
        party: str,
        reason: str | None = None,
        on: date,
        ref: DecisionRef | None = None,
        by: str | None = None,
    ) -> None:
        """``party`` withholds (or, before effect, withdraws) its consent."""
        handover, partnership = self._handover_and_partnership(hid)
        handover.withhold_consent(partnership, party=party, reason=reason, ref=ref, on=on, by=by)
        self._commit(handover)

    def withdraw_handover(self, hid: UUID, *, by: str, on: date, reason: str | None = None) -> None:
        """The proposer withdraws the handover before it takes effect."""
        handover, partnership = self._handover_and_partnership(hid)
        handover.withdraw(partnership, by=by, on=on, reason=reason)
        self._commit(handover)

    def effect_handover(
        self, hid: UUID, *, on: date, by: str | None = None, ref: DecisionRef | None = None
    ) -> None:
        """The handover takes effect: the function is pooled (``by`` defaults to the host)."""
        handover, partnership = self._handover_and_partnership(hid)
        handover.effect(partnership, on=on, by=by, ref=ref, at=self._now(handover, partnership))
        self._commit(handover, partnership)

    def recall_handover(
        self,
        hid: UUID,
        *,
        by: str,
        reason: str | None = None,
        on: date,
        ref: DecisionRef | None = None,
    ) -> None:
        """The function goes back to the council it came from."""
        handover, partnership = self._handover_and_partnership(hid)
        handover.recall(
            partnership, by=by, reason=reason, on=on, ref=ref,
            at=self._now(handover, partnership),
        )  # fmt: skip
        self._commit(handover, partnership)

    def handover(
        self, hid: UUID, *, as_of: date | None = None, known_at: datetime | None = None
    ) -> HandoverView:
        """The handover as it stands, or as it stood on ``as_of`` / was recorded at
        ``known_at``."""
        handover = self._dated(hid, SovereigntyHandover, "handover", as_of=as_of, known_at=known_at)
        return HandoverView.of(
            handover, as_of=as_of, known_at=None if known_at is None else _utc(known_at)
        )
