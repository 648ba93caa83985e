"""The SovereigntyHandover aggregate (:mod:`.aggregate`) and its events (:mod:`.events`)."""

from sharedsvc.domain.handover.aggregate import HandoverState, SovereigntyHandover
from sharedsvc.domain.handover.events import HandoverStatus

__all__ = ["HandoverState", "HandoverStatus", "SovereigntyHandover"]
