"""The Partnership aggregate: the class with its declared state and every command
(`.aggregate`), the commands by subject (`.variations`, `.withdrawals`,
`.pooling`) and its events (`.events`)."""

from sharedsvc.domain.partnership.aggregate import Partnership, PartnershipState

__all__ = ["Partnership", "PartnershipState"]
