"""The SovereigntyHandover aggregate (`.aggregate`) and its events (`.events`)."""

from sharedsvc.domain.handover.aggregate import HandoverState, SovereigntyHandover
from sharedsvc.domain.handover.events import HandoverStatus

__all__ = ["HandoverState", "HandoverStatus", "SovereigntyHandover"]
