"""The Dispute aggregate (`.aggregate`) and its events (`.events`)."""

from sharedsvc.domain.dispute.aggregate import Dispute, DisputeState, settlement_concessions
from sharedsvc.domain.dispute.events import DisputeStatus

__all__ = ["Dispute", "DisputeState", "DisputeStatus", "settlement_concessions"]
