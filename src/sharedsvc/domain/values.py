"""Value objects of the domain: frozen, validated on construction, compared by value.

Invalid data raises [`RuleViolation`][sharedsvc.RuleViolation] (also a ``ValueError``) with
a rule code, so a bad value never reaches an aggregate, let alone the store.

This module gathers them from where they are defined, by what they are about:
`parties` (who acts, on whose authority, and what they concede),
`money` (amounts, shares and cost pools),
`terms` (the terms of an agreement), `enums`
(stages, rungs, bases and governance) and `validators` (the checks they
share, and `INVALID`, the one code for a value of the wrong type or shape).
"""

from __future__ import annotations

from sharedsvc.domain.enums import Basis, Governance, OrderedEnum, Rung, Stage
from sharedsvc.domain.money import HUNDRED, CostPool, Money, apportion, split_equally
from sharedsvc.domain.parties import Concession, DecisionRef, Party, PartyId, party_id
from sharedsvc.domain.terms import Function, Notice, Terms, add_months
from sharedsvc.domain.validators import INVALID as INVALID
from sharedsvc.domain.validators import SLUG as SLUG
from sharedsvc.domain.validators import freeze

__all__ = [
    "HUNDRED",
    "Basis",
    "Concession",
    "CostPool",
    "DecisionRef",
    "Function",
    "Governance",
    "Money",
    "Notice",
    "OrderedEnum",
    "Party",
    "PartyId",
    "Rung",
    "Stage",
    "Terms",
    "add_months",
    "apportion",
    "freeze",
    "party_id",
    "split_equally",
]
