"""Read models built by following the store's global event log."""

from sharedsvc.projections.compromises import CompromiseEntry, compromise_ledger

__all__ = ["CompromiseEntry", "compromise_ledger"]
