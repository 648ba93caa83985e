"""sharedsvc: shared-service agreements between public bodies, as event-sourced aggregates.

Start with :class:`SharedServices`; the value types describe parties, terms and decisions.
"""

from __future__ import annotations

from sharedsvc.application import SharedServices
from sharedsvc.domain.errors import (
    ConcurrencyConflict,
    NotAuthorised,
    NotFound,
    RuleViolation,
    SharedServiceError,
    TamperDetected,
)
from sharedsvc.domain.partnership import Partnership
from sharedsvc.domain.policy import Policy
from sharedsvc.domain.records import PooledFunction, Variation, Withdrawal
from sharedsvc.domain.values import (
    Basis,
    Concession,
    CostPool,
    DecisionRef,
    Function,
    Governance,
    Money,
    Notice,
    Party,
    PartyId,
    Rung,
    Stage,
    Terms,
)
from sharedsvc.domain.views import PartnershipView

__version__ = "0.1.0"

__all__ = [
    "Basis",
    "Concession",
    "ConcurrencyConflict",
    "CostPool",
    "DecisionRef",
    "Function",
    "Governance",
    "Money",
    "NotAuthorised",
    "NotFound",
    "Notice",
    "Partnership",
    "PartnershipView",
    "Party",
    "PartyId",
    "Policy",
    "PooledFunction",
    "RuleViolation",
    "Rung",
    "SharedServiceError",
    "SharedServices",
    "Stage",
    "TamperDetected",
    "Terms",
    "Variation",
    "Withdrawal",
    "__version__",
]
