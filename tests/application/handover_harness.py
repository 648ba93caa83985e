"""Helpers for the handover, dispute and compromise tests: functions to hand over, consents,
climbing the dispute ladder, and reading what a command wrote.

Nothing here is a test. Every helper goes through the application's public verbs (or reads its
event store), so it runs unchanged on every store.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from typing import Any
from uuid import UUID

from harness import assert_refused, ref

from sharedsvc import (
    DecisionRef,
    DisputeView,
    Function,
    HandoverView,
    NotFound,
    RuleViolation,
    Rung,
    SharedServices,
)

__all__ = [
    "BRAND",
    "CONTACT_CENTRE",
    "COUNCIL_TAX",
    "LEGAL_ADVICE",
    "SERVICE_DESK",
    "climb",
    "consent_all",
    "consent_ref",
    "event_names",
    "last_events",
    "notification_position",
    "pool",
    "refused",
]

SERVICE_DESK = Function("ict.service-desk", "ICT service desk", category="back-office")
COUNCIL_TAX = Function("revenues.council-tax", "Council tax collection", category="back-office")
CONTACT_CENTRE = Function("customer.contact-centre", "Customer contact centre", "front-line")
BRAND = Function("brand.shared-digital", "The Shared Digital name and brand", "identity")
LEGAL_ADVICE = Function("legal.advice", "Legal advice", category="professional")
"""A function whose category no default minimum names: it falls to the policy's default."""


def consent_ref(party: str, on: date) -> DecisionRef:
    """The decision of ``party``'s cabinet on ``on`` (reference numbers are made up)."""
    return ref(f"{party.title()} Cabinet", f"CAB/{on.year}/{party[:3].upper()}", on)


def consent_all(
    app: SharedServices, hid: UUID, parties: Iterable[str], *, on: date
) -> dict[str, DecisionRef]:
    """Each of ``parties`` consents on ``on`` with its cabinet's decision; returns the refs."""
    refs = {}
    for party in parties:
        refs[party] = consent_ref(party, on)
        app.consent_to_handover(hid, party=party, ref=refs[party], on=on)
    return refs


def pool(
    app: SharedServices,
    pid: UUID,
    function: Function,
    *,
    by: str,
    on: date,
    **proposal: Any,
) -> UUID:
    """Propose, have every active party consent, and effect a handover, all on ``on``."""
    hid = app.propose_handover(pid, function=function, by=by, on=on, **proposal)
    consent_all(app, hid, app.partnership(pid).active_parties, on=on)
    app.effect_handover(hid, on=on)
    return hid


def climb(app: SharedServices, did: UUID, *, by: str, to: Rung, on: date) -> None:
    """Escalate the dispute one rung at a time until it reaches ``to``."""
    while app.dispute(did).rung != to:
        app.escalate_dispute(did, by=by, reason="not resolved at this level", on=on)


def event_names(app: SharedServices, aggregate_id: UUID) -> list[str]:
    """The names of an aggregate's stored events, in order."""
    return [type(event).__name__ for event in app.events.get(aggregate_id)]


def last_events(app: SharedServices, aggregate_id: UUID, count: int) -> list[Any]:
    """The last ``count`` stored events of an aggregate."""
    return list(app.events.get(aggregate_id))[-count:]


def notification_position(app: SharedServices, aggregate_id: UUID, version: int) -> int:
    """The position in the store's global log of an aggregate's event at ``version``."""
    found = [
        notification.id
        for notification in app.recorder.select_notifications(start=1, limit=10_000)
        if notification.originator_id == aggregate_id and notification.originator_version == version
    ]
    assert 1 == len(found), (aggregate_id, version, found)
    return found[0]


def _view(app: SharedServices, subject: object) -> HandoverView | DisputeView | None:
    for read in (app.handover, app.dispute):
        try:
            return read(subject)  # type: ignore[arg-type]
        except NotFound:
            continue
    return None


def refused(
    app: SharedServices, rule: str, command: Callable[..., object], *args: Any, **kwargs: Any
) -> RuleViolation:
    """:func:`harness.assert_refused`, and besides: when the command's first argument is a
    handover or a dispute, its view is the same afterwards."""
    subject = args[0] if args else None
    before = _view(app, subject)
    error = assert_refused(app, rule, command, *args, **kwargs)
    assert before == _view(app, subject)
    return error
