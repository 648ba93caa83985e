"""Succession: a party abolished and replaced by its successors on a vesting day.

A statutory succession is an act of law, not of the parties: it needs no approval, no notice
and no exit costs, and concedes nothing. The successors take the predecessor's place among the
active parties (in the order given), its shares of every cost pool (divided by ``split``), its
hosting (the first successor), its pooled functions, and its withdrawal in progress. A
successor may be a current party, which absorbs the predecessor; a former party's id is never
used again (``party-ids-unique``). The command is a method of
[`Partnership`][sharedsvc.Partnership] (``self`` is the partnership).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

import attrs

from sharedsvc.domain.checks import check_ref, require_date, require_member
from sharedsvc.domain.errors import RuleViolation
from sharedsvc.domain.partnership import events as ev
from sharedsvc.domain.partnership.division import divide_money, divided_pools
from sharedsvc.domain.records import PooledFunction, Withdrawal
from sharedsvc.domain.validators import decimal, shown
from sharedsvc.domain.values import INVALID, DecisionRef, Party, PartyId

if TYPE_CHECKING:
    from sharedsvc.domain.partnership.aggregate import Partnership

__all__ = ["check_new_ids", "succeed", "successors_of"]

SHAPE = "succession-shape"
"""The rule code of a succession that is not well formed (no successors, a bad split)."""


def succeed(
    self: Partnership,
    *,
    party: str,
    successors: Iterable[Party],
    split: Mapping[str, object] | None = None,
    on: date,
    ref: DecisionRef | None = None,
    at: datetime | None = None,
) -> None:
    """``party`` is succeeded by ``successors`` on the vesting day ``on``."""
    self._refuse_if_closed()
    predecessor = require_member(party, self.active, self._where)
    heirs = _successors(self, predecessor, successors)
    ids = tuple(heir.id for heir in heirs)
    weights = _weights(ids, split)
    require_date(on, self.last_on, "the succession")
    active = _active_after(self.active, predecessor, ids)
    if len(active) < 2:
        raise RuleViolation(
            "two-or-more-parties",
            f"succeeding {predecessor!r} by {', '.join(ids)} would leave only {list(active)}: "
            "the parties merge; dissolve the partnership, or vary it, instead",
        )
    places = self.policy.share_places
    pools = divided_pools(self.terms.cost_pools, predecessor, weights, active, places)
    host = ids[0] if self.terms.host == predecessor else self.terms.host
    self._trigger(
        ev.PartySucceeded,
        at,
        predecessor=predecessor,
        successors=heirs,
        split=weights,
        active=active,
        cost_pools=pools,
        host=host,
        pooled=_pooled(self, predecessor, ids, on),
        withdrawals=_withdrawals(self, predecessor, weights),
        ref=check_ref(ref),
        on=on,
    )


def successors_of(self: Partnership, party: PartyId) -> tuple[PartyId, ...]:
    """Every party that succeeded ``party``, and their successors in turn (none if it was
    never succeeded)."""
    found: list[PartyId] = []
    todo = [party]
    while todo:
        succession = self.successions.get(todo.pop(0))
        if succession is not None:
            new = [p for p in succession.successors if p not in found]
            found += new
            todo += new
    return tuple(found)


def check_new_ids(self: Partnership, ids: Iterable[PartyId], what: str) -> None:
    """Rule ``party-ids-unique``: none of ``ids`` is a former party's id."""
    former = [pid for pid in ids if pid in self.parties and pid not in self.active]
    if former:
        raise RuleViolation(
            "party-ids-unique",
            f"{', '.join(former)} {'was a party' if len(former) == 1 else 'were parties'} of "
            f"{self._where}: {what} needs an id never used by any of its parties",
        )


def _successors(self: Partnership, predecessor: PartyId, given: object) -> tuple[Party, ...]:
    if isinstance(given, Party | str) or not isinstance(given, Iterable):
        raise RuleViolation(INVALID, f"successors takes a list of Party values, not {shown(given)}")
    heirs = tuple(given)
    for heir in heirs:
        if not isinstance(heir, Party):
            raise RuleViolation(INVALID, f"successors takes Party values, not {shown(heir)}")
    ids = [heir.id for heir in heirs]
    if not ids:
        raise RuleViolation(SHAPE, f"name one or more successors of {predecessor!r}")
    if len(set(ids)) != len(ids):
        raise RuleViolation(SHAPE, f"a successor is listed twice among {ids}")
    if predecessor in ids:
        raise RuleViolation(SHAPE, f"{predecessor!r} cannot succeed itself")
    check_new_ids(self, ids, "a successor")
    for other in self.variations.values():
        joining = sorted(set(ids) & set(other.admitted_ids))
        if joining:
            raise RuleViolation(
                "party-ids-unique",
                f"{', '.join(joining)} would join by an open variation too: reject it, or "
                "name the successor otherwise",
            )
    # A current party absorbs the predecessor: it keeps its own record.
    return tuple(self.parties.get(heir.id, heir) for heir in heirs)


def _weights(ids: tuple[PartyId, ...], split: object) -> dict[PartyId, Decimal]:
    if split is None:
        return {pid: Decimal(1) for pid in ids}
    if not isinstance(split, Mapping):
        raise RuleViolation(SHAPE, f"split maps each successor to a weight, not {shown(split)}")
    unknown = [shown(key) for key in split if key not in ids]
    if unknown:
        named = ", ".join(unknown[:5]) + (" ..." if len(unknown) > 5 else "")
        raise RuleViolation(SHAPE, f"split names {named}, not successors {ids}")
    missing = [pid for pid in ids if pid not in split]
    if missing:
        raise RuleViolation(SHAPE, f"split gives no weight for {', '.join(missing)}")
    weights = {}
    for pid in ids:
        value = split[pid]
        if isinstance(value, bool):
            raise RuleViolation(
                INVALID, f"the weight of {pid!r} must be a number, not {shown(value)}"
            )
        weights[pid] = decimal(value, f"weight of {pid!r}")
        if weights[pid] < 0:
            raise RuleViolation(SHAPE, f"the weight of {pid!r} is negative: {shown(value)}")
    if not sum(weights.values(), Decimal(0)):
        raise RuleViolation(SHAPE, "every weight of the split is zero: give one a positive weight")
    return weights


def _active_after(
    active: Iterable[PartyId], predecessor: PartyId, ids: tuple[PartyId, ...]
) -> tuple[PartyId, ...]:
    after: list[PartyId] = []
    for member in active:
        if member == predecessor:
            after += [pid for pid in ids if pid not in active]
        else:
            after.append(member)
    return tuple(after)


def _pooled(
    self: Partnership, predecessor: PartyId, ids: tuple[PartyId, ...], on: date
) -> tuple[PooledFunction, ...]:
    inherited = []
    for pooled in self.pooled.values():
        if pooled.from_party != predecessor:
            continue
        for pid in ids:
            held = self.pooled.get(PooledFunction.key_of(pid, pooled.function))
            if held is not None:
                raise RuleViolation(
                    "one-holder-per-function",
                    f"{pooled.function.id} of {pid} is pooled already (handover "
                    f"{held.handover_id}): recall one of the two before the succession",
                )
            inherited.append(PooledFunction(pid, pooled.function, pooled.handover_id, on))
    return tuple(inherited)


def _withdrawals(
    self: Partnership, predecessor: PartyId, weights: Mapping[PartyId, Decimal]
) -> tuple[Withdrawal, ...]:
    withdrawal = self.withdrawals.get(predecessor)
    if withdrawal is None:
        return ()
    serving = sorted(pid for pid in weights if pid in self.withdrawals)
    if serving:
        raise RuleViolation(
            "notice-served",
            f"{', '.join(serving)} and {predecessor!r} both served notice: retract one first",
        )
    costs = None if withdrawal.exit_costs is None else divide_money(withdrawal.exit_costs, weights)
    paid = None if withdrawal.paid is None else divide_money(withdrawal.paid, weights)
    return tuple(
        attrs.evolve(
            withdrawal,
            party=pid,
            exit_costs=None if costs is None else costs[pid],
            paid=None if paid is None else paid[pid],
        )
        for pid in weights
    )
