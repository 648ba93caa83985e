"""The Partnership aggregate: the class with its declared state and every command
(:mod:`.aggregate`), the commands by subject (:mod:`.variations`, :mod:`.withdrawals`,
:mod:`.pooling`) and its events (:mod:`.events`)."""

from sharedsvc.domain.partnership.aggregate import Partnership, PartnershipState

__all__ = ["Partnership", "PartnershipState"]
