"""The compromise ledger's rules, written once: which events make entries, and what each says.

Three kinds of event put entries in a partnership's ledger:

* a **variation adopted**: each concession it records is an entry of the party that made it
  (``conceded``), on the authority of the decision reference that party gave when it approved
  the variation (None if it gave none, or did not approve);
* a **handover effected**: each party it hands the function over from ``ceded`` it to the
  shared service (its proposer; of a service combined from several councils, every one of its
  ``from_parties``, in their order, the proposer first): each wanted the function kept by
  itself and accepted that the shared service holds it. The authority of each entry is the
  decision reference that party gave in its latest consent (None if it gave none, even when
  the proposal gave one); only where no consent of the party's is recorded (which the
  handover's rules do not let happen today) is it the proposal's for the proposer, and None
  for another party. A party **succeeded** while the handover was still proposed does not
  cede it: its successors do, in its place (as `HandoverView.ceded_by` says), and the consent
  it gave counts for each successor that had not answered (`handover_succeeded`); a
  succession after the handover took effect changes no entry (a succession writes none);
* a **dispute settled**: each concession it records is an entry of the party that made it
  (``conceded``), on the authority of the decision reference that party gave when it accepted
  the settlement (None if it gave none: acceptances recorded before 0.2.0 could not);
* a **dispute determined**: each concession it records is an entry of the party that made it
  (``conceded``), with no decision reference: the determination binds, and is the record of
  it.

Two readers apply these rules: the query over the log
([`sharedsvc.projections.compromises.compromise_ledger`][sharedsvc.projections.compromise_ledger]),
which reads domain events, and the read models' builder (`sharedsvc.projections.builder`), which
reads the events' stored JSON. They hold values differently (value objects, or their stored JSON);
the functions here pass values on untouched, so each reader gets its entries in its own form. What
the rules need to remember between events (approvals, proposals, consents, acceptances, which
partnership a handover or a dispute belongs to) each reader keeps itself: the builder keeps it in
the read store.

Both find the events these rules read through the catalogue of acts (`sharedsvc.acts`), as
`APPROVAL`, `ADOPTION`, `CONSENT`, `SUCCESSION`, `EFFECT`, `ACCEPTANCE`, `SETTLEMENT` and
`DETERMINATION` (`CLOSINGS`: the last two).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any, Final, NamedTuple

from sharedsvc.acts import (
    AcceptSettlement,
    ApproveVariation,
    ConsentToHandover,
    DetermineDispute,
    EffectHandover,
    Succeed,
)
from sharedsvc.domain.parties import PartyId, in_place_of

__all__ = [
    "ACCEPTANCE",
    "ADOPTION",
    "APPROVAL",
    "CEDED",
    "CLOSINGS",
    "CONCEDED",
    "CONSENT",
    "DETERMINATION",
    "EFFECT",
    "HELD",
    "SETTLEMENT",
    "SUCCESSION",
    "UNRECORDED",
    "Compromise",
    "ConcessionFields",
    "Handed",
    "dispute_closed",
    "handover_effected",
    "handover_succeeded",
    "kept_by",
    "variation_adopted",
]

CONCEDED, CEDED = "conceded", "ceded"

APPROVAL: Final = ApproveVariation.records
"""A party's approval of a variation, with the decision reference its concessions rest on."""
ADOPTION: Final = ApproveVariation.consequence("concessions")
"""The adoption the last approval writes, with the concessions the variation records."""
CONSENT: Final = ConsentToHandover.records
"""A party's consent to a handover, with the decision reference its ceding rests on."""
SUCCESSION: Final = Succeed.consequence("inheriting")
"""A party succeeded, as a handover records it (written with the partnership's succession): the
parties that cede the function, and the consents that count, follow it."""
EFFECT: Final = EffectHandover.records
"""A handover taking effect: each party it hands over from ceded the function."""
ACCEPTANCE: Final = AcceptSettlement.records
"""A party's acceptance of a proposed settlement, with the decision reference its concessions
rest on."""
SETTLEMENT: Final = AcceptSettlement.consequence("concessions")
"""A dispute settled (written with the last acceptance), with its concessions."""
DETERMINATION: Final = DetermineDispute.records
"""A dispute determined by an arbiter, with its concessions."""
CLOSINGS: Final = (SETTLEMENT, DETERMINATION)
"""A dispute settled or determined, with its concessions."""

HELD = "held by the shared service"
"""What the ledger says a party that ceded a function accepted."""

UNRECORDED: Final = False
"""What a look-up of a party's decision reference gives when the party recorded no act to
give one (no consent of its was recorded): not None, which is an act recorded without a
reference."""

ConcessionFields = tuple[str, str, Any, Any, "str | None"]
"""A concession as a reader holds it: party, subject, wanted, accepted, rationale."""


class Compromise(NamedTuple):
    """One entry an event makes: by ``party``, ``conceded`` or ``ceded`` (``kind``), on
    ``subject``, what it ``wanted`` and what it ``accepted``, why, and on whose authority
    (``ref``). The reader adds where the event is (its legal date, its place in the log, its
    name) and the variation, handover or dispute it came from."""

    party: str
    kind: str
    subject: str
    wanted: Any
    accepted: Any
    rationale: str | None
    ref: Any


def kept_by(party: str, function_name: str) -> str:
    """What the ledger says a party that ceded a function wanted: to keep it."""
    return f"kept by {party}: {function_name}"


def variation_adopted(
    concessions: Iterable[ConcessionFields], approval: Callable[[str], Any]
) -> list[Compromise]:
    """The entries of a variation adopted: each of its ``concessions``, in order, on the
    authority of its party's approval (``approval(party)``: the decision reference, None, or
    `UNRECORDED`, which counts as None)."""
    return _conceded(concessions, approval)


def dispute_closed(
    concessions: Iterable[ConcessionFields], acceptance: Callable[[str], Any] | None = None
) -> list[Compromise]:
    """The entries of a dispute settled or determined: each of its ``concessions``, in
    order. A settlement's (``acceptance`` given) are on the authority of its party's
    acceptance (``acceptance(party)``: the decision reference, None, or `UNRECORDED`, which
    counts as None); a determination's (no ``acceptance``) have no decision reference."""
    return _conceded(concessions, acceptance or (lambda party: None))


def _conceded(
    concessions: Iterable[ConcessionFields], authority: Callable[[str], Any]
) -> list[Compromise]:
    """Each of ``concessions`` as a ``conceded`` entry, on the authority ``authority(party)``
    gives (`UNRECORDED` counts as None)."""
    made = []
    for party, subject, wanted, accepted, rationale in concessions:
        ref = authority(party)
        made.append(
            Compromise(
                party, CONCEDED, subject, wanted, accepted, rationale,
                None if ref is UNRECORDED else ref,
            )
        )  # fmt: skip
    return made


def handover_effected(
    proposer: str,
    function_id: str,
    function_name: str,
    rationale: str | None,
    proposal_ref: Any,
    consent: Callable[[str], Any],
    from_parties: Sequence[str] = (),
) -> list[Compromise]:
    """The entries of a handover effected: each party it hands the function over from
    (``from_parties``, a combined service's; empty: ``proposer`` alone) ceded it, in that
    order, on the authority of its latest consent (``consent(party)``: the decision reference
    it gave, None, or `UNRECORDED`). A party that recorded no consent rests on the proposal
    (``proposal_ref``) if it is the proposer, and on nothing otherwise."""
    made = []
    for party in from_parties or (proposer,):
        ref = consent(party)
        if ref is UNRECORDED:
            ref = proposal_ref if party == proposer else None
        made.append(
            Compromise(
                party, CEDED, function_id, kept_by(party, function_name), HELD, rationale, ref
            )
        )
    return made


class Handed(NamedTuple):
    """What a succession changes in a handover for the entries its effect will make: the
    parties that cede the function (``ceding``, in order), and the consent that now counts
    for each successor that inherits one (``consents``: party -> decision reference)."""

    ceding: tuple[str, ...]
    consents: dict[str, Any]


def handover_succeeded(
    ceding: Sequence[str],
    predecessor: str,
    successors: Sequence[str],
    inheriting: Iterable[str],
    consent: Any,
) -> Handed:
    """A succession on a handover (`SUCCESSION`) whose function ``ceding`` cede: a
    ``predecessor`` among them is replaced, where it stood, by its ``successors`` (each party
    named once, as the handover's ``ceding()`` does), and the predecessor's ``consent`` (its
    decision reference) counts for each of ``inheriting``, the successors that had not
    answered. Of a handover in effect, ``inheriting`` is empty and its entries are written:
    nothing here changes them."""
    now = in_place_of(map(PartyId, ceding), predecessor, map(PartyId, successors))
    return Handed(now, dict.fromkeys(inheriting, consent))
