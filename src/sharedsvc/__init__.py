"""sharedsvc: shared-service agreements between public bodies, as event-sourced aggregates.

Start with [`SharedServices`][sharedsvc.SharedServices]; the value types describe parties, terms and
decisions.
"""

from __future__ import annotations

from sharedsvc.application import SharedServices
from sharedsvc.domain.budgets import financial_year
from sharedsvc.domain.dispute import Dispute
from sharedsvc.domain.errors import (
    ConcurrencyConflict,
    EventNotApplied,
    NotAuthorised,
    NotFound,
    ReadModelsBusy,
    RuleViolation,
    SharedServiceError,
    StoreClosed,
    TamperDetected,
)
from sharedsvc.domain.handover import SovereigntyHandover
from sharedsvc.domain.partnership import Partnership
from sharedsvc.domain.policy import Policy
from sharedsvc.domain.readiness import Readiness, ReadinessGate
from sharedsvc.domain.records import PooledFunction, Succession, Variation, Withdrawal
from sharedsvc.domain.targets import Outcome, Target
from sharedsvc.domain.transfers import DataRole, StaffArrangement, StaffTransfer
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
from sharedsvc.domain.views import DisputeView, HandoverView, PartnershipView, RungReached
from sharedsvc.integrity import (
    Checkpoint,
    ConsistencyProof,
    InclusionProof,
    IntegrityReport,
    Problem,
)
from sharedsvc.projections.audit import AuditEntry
from sharedsvc.projections.balance import Balance
from sharedsvc.projections.compromises import CompromiseEntry
from sharedsvc.projections.listing import PartnershipSummary
from sharedsvc.projections.notes import NoteEntry
from sharedsvc.projections.obligations import Obligation
from sharedsvc.projections.sovereignty import SovereigntyEntry, SovereigntyMap
from sharedsvc.scenario import (
    ScenarioError,
    dump_scenario,
    load_scenario,
    loads_scenario,
    save_scenario,
)
from sharedsvc.whatif import Comparison, Difference

__version__ = "0.1.0"

__all__ = [
    "AuditEntry",
    "Balance",
    "Basis",
    "Checkpoint",
    "Comparison",
    "CompromiseEntry",
    "Concession",
    "ConcurrencyConflict",
    "ConsistencyProof",
    "CostPool",
    "DataRole",
    "DecisionRef",
    "Difference",
    "Dispute",
    "DisputeView",
    "EventNotApplied",
    "Function",
    "Governance",
    "HandoverView",
    "InclusionProof",
    "IntegrityReport",
    "Money",
    "NotAuthorised",
    "NotFound",
    "NoteEntry",
    "Notice",
    "Obligation",
    "Outcome",
    "Partnership",
    "PartnershipSummary",
    "PartnershipView",
    "Party",
    "PartyId",
    "Policy",
    "PooledFunction",
    "Problem",
    "ReadModelsBusy",
    "Readiness",
    "ReadinessGate",
    "RuleViolation",
    "Rung",
    "RungReached",
    "ScenarioError",
    "SharedServiceError",
    "SharedServices",
    "SovereigntyEntry",
    "SovereigntyHandover",
    "SovereigntyMap",
    "StaffArrangement",
    "StaffTransfer",
    "Stage",
    "StoreClosed",
    "Succession",
    "TamperDetected",
    "Target",
    "Terms",
    "Variation",
    "Withdrawal",
    "__version__",
    "dump_scenario",
    "financial_year",
    "load_scenario",
    "loads_scenario",
    "save_scenario",
]
