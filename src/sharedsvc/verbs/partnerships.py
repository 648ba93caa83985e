"""The partnership verbs and views of :class:`~sharedsvc.SharedServices`."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import date, datetime
from typing import Any, TypeVar
from uuid import UUID

from sharedsvc.domain.errors import NotFound
from sharedsvc.domain.handover import SovereigntyHandover
from sharedsvc.domain.partnership import Partnership
from sharedsvc.domain.partnership import events as ev
from sharedsvc.domain.partnership.variations import variation_records
from sharedsvc.domain.policy import Policy
from sharedsvc.domain.records import Variation
from sharedsvc.domain.values import DecisionRef, Money, Party, Stage, Terms
from sharedsvc.domain.views import PartnershipView
from sharedsvc.persistence import notifications
from sharedsvc.store import Store, _utc, _uuid, take_until

__all__ = ["PartnershipVerbs"]

R = TypeVar("R")


class PartnershipVerbs(Store):
    """Form partnerships, vary them, change their stage, and see them at any time."""

    def _on_partnership(self, pid: object, act: Callable[[Partnership], R]) -> R:
        partnership = self._load(pid, Partnership, "partnership")
        result = act(partnership)
        self._commit(partnership, *self._recalled_on_dissolution(partnership))
        return result

    def _recalled_on_dissolution(self, partnership: Partnership) -> list[SovereigntyHandover]:
        """The handovers whose functions a dissolution just returned, recalled to match."""
        recalled = []
        for event in partnership.pending_events:
            if isinstance(event, ev.FunctionReturned):
                handover = self._load(event.handover_id, SovereigntyHandover, "handover")
                handover.recall(
                    partnership, by=None, reason=event.reason, on=event.on, at=event.timestamp
                )
                recalled.append(handover)
        return recalled

    def form_partnership(
        self,
        name: str,
        *,
        parties: Iterable[Party],
        terms: Terms,
        stage: Stage = Stage.CO_OPERATING,
        on: date,
        ref: DecisionRef | None = None,
        policy: Policy | None = None,
    ) -> UUID:
        """Form a partnership of ``parties`` on ``terms``; returns its id."""
        partnership = Partnership.form(
            name, parties=parties, terms=terms, stage=stage, on=on, ref=ref, policy=policy
        )
        self._commit(partnership)
        return partnership.id

    def propose_variation(
        self,
        pid: UUID,
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
    ) -> UUID:
        """Propose a variation of the terms (``changes``, ``admit``, or ``dissolve``)."""
        return self._on_partnership(
            pid,
            lambda p: p.propose_variation(
                by=by, changes=changes, admit=admit, dissolve=dissolve,
                final_account=final_account, rationale=rationale, effective=effective,
                on=on, ref=ref,
            ),
        )  # fmt: skip

    def state_position(
        self,
        pid: UUID,
        vid: UUID,
        *,
        party: str,
        position: Mapping[str, Any],
        on: date,
        by: str | None = None,
    ) -> None:
        """Record what ``party`` wants from the variation (same shape as ``changes``)."""
        self._on_partnership(
            pid,
            lambda p: p.state_position(
                _uuid(vid, "variation"), party=party, position=position, on=on, by=by
            ),
        )

    def approve_variation(
        self,
        pid: UUID,
        vid: UUID,
        *,
        party: str,
        ref: DecisionRef | None = None,
        on: date,
        by: str | None = None,
    ) -> bool:
        """Approve a variation; the last approval adopts it (returns ``True`` then)."""
        return self._on_partnership(
            pid,
            lambda p: p.approve_variation(
                _uuid(vid, "variation"), party=party, ref=ref, on=on, by=by
            ),
        )

    def reject_variation(
        self,
        pid: UUID,
        vid: UUID,
        *,
        party: str,
        reason: str | None = None,
        on: date,
        ref: DecisionRef | None = None,
        by: str | None = None,
    ) -> None:
        """Reject a variation, which closes it."""
        self._on_partnership(
            pid,
            lambda p: p.reject_variation(
                _uuid(vid, "variation"), party=party, reason=reason, on=on, ref=ref, by=by
            ),
        )

    def change_stage(
        self,
        pid: UUID,
        *,
        to: Stage,
        by: str,
        rationale: str | None = None,
        ref: DecisionRef | None = None,
        on: date,
    ) -> None:
        """Move the partnership to stage ``to`` (forward or back)."""
        self._on_partnership(
            pid, lambda p: p.change_stage(to=to, by=by, rationale=rationale, ref=ref, on=on)
        )

    def serve_withdrawal_notice(
        self,
        pid: UUID,
        *,
        party: str,
        on: date,
        ref: DecisionRef | None = None,
        by: str | None = None,
    ) -> date:
        """Serve ``party``'s notice; returns the earliest date the withdrawal takes effect."""
        return self._on_partnership(
            pid, lambda p: p.serve_withdrawal_notice(party=party, on=on, ref=ref, by=by)
        )

    def retract_withdrawal_notice(
        self,
        pid: UUID,
        *,
        party: str,
        on: date,
        ref: DecisionRef | None = None,
        by: str | None = None,
    ) -> None:
        """Retract ``party``'s withdrawal notice."""
        self._on_partnership(
            pid, lambda p: p.retract_withdrawal_notice(party=party, on=on, ref=ref, by=by)
        )

    def determine_exit_costs(
        self,
        pid: UUID,
        *,
        party: str,
        amount: Money,
        by: str,
        on: date,
        ref: DecisionRef | None = None,
    ) -> None:
        """Determine the leaving ``party``'s exit costs (``by`` a party that stays)."""
        self._on_partnership(
            pid,
            lambda p: p.determine_exit_costs(party=party, amount=amount, by=by, on=on, ref=ref),
        )

    def settle_exit_payment(
        self,
        pid: UUID,
        *,
        party: str,
        amount: Money,
        on: date,
        ref: DecisionRef | None = None,
        by: str | None = None,
    ) -> None:
        """Record the leaving ``party``'s payment of its exit costs."""
        self._on_partnership(
            pid,
            lambda p: p.settle_exit_payment(party=party, amount=amount, on=on, ref=ref, by=by),
        )

    def complete_withdrawal(
        self,
        pid: UUID,
        *,
        party: str,
        on: date,
        ref: DecisionRef | None = None,
        by: str | None = None,
    ) -> None:
        """Complete ``party``'s withdrawal and rebase the cost pools over those remaining."""
        self._on_partnership(
            pid, lambda p: p.complete_withdrawal(party=party, on=on, ref=ref, by=by)
        )

    # -------------------------------------------------------------------- views --

    def partnership(
        self,
        pid: UUID,
        *,
        version: int | None = None,
        as_of: date | None = None,
        known_at: datetime | None = None,
    ) -> PartnershipView:
        """The partnership as it stands, or after event ``version``, or as it legally stood
        on ``as_of``, or as the record stood at ``known_at`` (the last two combine)."""
        partnership = self._dated(
            pid, Partnership, "partnership", version=version, as_of=as_of, known_at=known_at
        )
        return PartnershipView.of(
            partnership, as_of=as_of, known_at=None if known_at is None else _utc(known_at)
        )

    def variations(
        self, pid: UUID, *, as_of: date | None = None, known_at: datetime | None = None
    ) -> tuple[Variation, ...]:
        """The record of every variation of the partnership, oldest first: open, adopted (with
        the concessions adoption computed) and rejected; ``as_of`` and ``known_at`` as for
        :meth:`partnership`."""
        self.partnership(pid, as_of=as_of, known_at=known_at)  # NotFound, or refused dates
        moment = None if known_at is None else _utc(known_at)
        events = take_until(self.events.get(_uuid(pid, "partnership")), as_of, moment)
        return tuple(variation_records(events).values())

    def variation(
        self,
        pid: UUID,
        vid: UUID,
        *,
        as_of: date | None = None,
        known_at: datetime | None = None,
    ) -> Variation:
        """The record of one variation (see :meth:`variations`)."""
        uid = _uuid(vid, "variation")
        for record in self.variations(pid, as_of=as_of, known_at=known_at):
            if record.id == uid:
                return record
        raise NotFound(f"partnership {pid} has no variation {uid}")

    def partnership_ids(self) -> Iterator[UUID]:
        """The id of every partnership in the store, in the order they were formed."""
        for notification in notifications(self.recorder, topics=[Partnership.Formed.TOPIC]):
            yield _uuid(notification.originator_id, "partnership")

    def partnerships(self) -> list[PartnershipView]:
        """A view of every partnership in the store, in the order they were formed."""
        return [self.partnership(pid) for pid in self.partnership_ids()]
