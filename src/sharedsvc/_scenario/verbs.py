"""The acts a scenario file can hold: one for each verb of :class:`~sharedsvc.SharedServices`
after the formation, with the keys each takes.

Every act has ``act`` (the verb's name) and ``on`` (its legal date). Besides, it has the acting
party under the keyword the verb takes it by (``by`` or ``party``), the label of what it acts on
(``variation``, ``handover`` or ``dispute``), ``id``, the label of what it makes (for the three
verbs that make something), and the verb's own arguments under their keyword names. The one
exception is ``raise_dispute``, whose disputed act is named by its label under ``variation`` or
``handover`` (``act`` already names the verb).
"""

from __future__ import annotations

from collections.abc import Mapping

import attrs

from sharedsvc._scenario.codecs import (
    BOOLEAN,
    DATE,
    DECISION_REF,
    FUNCTION,
    MONEY,
    PARTY,
    STAFF_TRANSFER,
    TERM_CHANGES,
    TEXT,
    Codec,
    array,
    enumeration,
    label,
    mapping,
)
from sharedsvc._scenario.freeform import ANY
from sharedsvc.domain.transfers import DataRole
from sharedsvc.domain.values import Rung, Stage

__all__ = ["VERBS", "Argument", "Verb"]


@attrs.frozen
class Argument:
    """One key of an act: the verb's ``keyword`` it fills (its own name unless said), how its
    value is written, whether it must be given, and the value the verb takes when it is not
    (which a written act leaves out)."""

    key: str
    codec: Codec
    required: bool = False
    default: object = None
    keyword: str = ""

    @property
    def parameter(self) -> str:
        return self.keyword or self.key


@attrs.frozen
class Verb:
    """An act's shape: the keyword of its acting party (``None``: it has none), whether the
    party may be left out, the kind of thing it acts on and makes, and its other arguments."""

    actor: str | None
    target: str | None = None
    creates: str | None = None
    arguments: tuple[Argument, ...] = ()
    actor_optional: bool = False

    @property
    def keys(self) -> tuple[str, ...]:
        """Every key an act of this verb may have, in the order a written act gives them."""
        own = ["act"] + (["id"] if self.creates else []) + ["on"]
        own += [self.actor] if self.actor else []
        own += [self.target] if self.target else []
        return (*own, *(argument.key for argument in self.arguments))


REF = Argument("ref", DECISION_REF)
TEXTS = array(TEXT)


def _optional_text(key: str) -> Argument:
    return Argument(key, TEXT)


def _verb(
    actor: str | None,
    target: str | None,
    *arguments: Argument,
    creates: str | None = None,
    actor_optional: bool = False,
) -> Verb:
    return Verb(actor, target, creates, arguments, actor_optional)


VERBS: Mapping[str, Verb] = {
    # variations
    "propose_variation": _verb(
        "by",
        None,
        Argument("changes", TERM_CHANGES, default={}),
        Argument("admit", array(PARTY), default=()),
        Argument("dissolve", BOOLEAN, default=False),
        Argument("final_account", mapping(MONEY)),
        _optional_text("rationale"),
        Argument("effective", DATE),
        REF,
        creates="variation",
    ),
    "state_position": _verb(
        "party", "variation", Argument("position", TERM_CHANGES, required=True)
    ),
    "approve_variation": _verb("party", "variation", REF),
    "reject_variation": _verb("party", "variation", _optional_text("reason"), REF),
    # the partnership's stage and its members' withdrawal
    "change_stage": _verb(
        "by",
        None,
        Argument("to", enumeration(Stage), required=True),
        _optional_text("rationale"),
        REF,
    ),
    "serve_withdrawal_notice": _verb("party", None, REF),
    "retract_withdrawal_notice": _verb("party", None, REF),
    "determine_exit_costs": _verb(
        "by",
        None,
        Argument("party", TEXT, required=True),
        Argument("amount", MONEY, required=True),
        REF,
    ),
    "settle_exit_payment": _verb("party", None, Argument("amount", MONEY, required=True), REF),
    "complete_withdrawal": _verb("party", None, REF),
    # handovers
    "propose_handover": _verb(
        "by",
        None,
        Argument("function", FUNCTION, required=True),
        Argument("staff", array(STAFF_TRANSFER), default=()),
        Argument("assets", TEXTS, default=()),
        Argument("data_role", enumeration(DataRole)),
        _optional_text("rationale"),
        REF,
        creates="handover",
    ),
    "consent_to_handover": _verb("party", "handover", REF),
    "withhold_consent": _verb("party", "handover", _optional_text("reason"), REF),
    "withdraw_handover": _verb("by", "handover", _optional_text("reason")),
    "effect_handover": _verb("by", "handover", REF, actor_optional=True),
    "recall_handover": _verb("by", "handover", _optional_text("reason"), REF),
    # disputes
    "raise_dispute": _verb(
        "by",
        None,
        Argument("against", TEXTS, required=True),
        Argument("subject", TEXT, required=True),
        Argument("variation", label("variation"), keyword="act"),
        Argument("handover", label("handover"), keyword="act"),
        Argument("defer", BOOLEAN, default=False),
        creates="dispute",
    ),
    "state_dispute_position": _verb(
        "party", "dispute", Argument("position", mapping(ANY), required=True)
    ),
    "escalate_dispute": _verb(
        "by", "dispute", _optional_text("reason"), Argument("to", enumeration(Rung))
    ),
    "appoint_mediator": _verb("by", "dispute", Argument("mediator", TEXT, required=True)),
    "propose_settlement": _verb("by", "dispute", Argument("terms", mapping(ANY), required=True)),
    "accept_settlement": _verb("party", "dispute"),
    "determine_dispute": _verb(
        None,
        "dispute",
        Argument("arbiter", TEXT, required=True),
        Argument("terms", mapping(ANY), required=True),
    ),
    "withdraw_dispute": _verb("by", "dispute", _optional_text("reason")),
}
"""Every act a file can hold, by the name of its verb."""
