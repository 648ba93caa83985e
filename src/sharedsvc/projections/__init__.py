"""Read models built by following the store's global event log."""

from sharedsvc.projections.audit import AuditEntry, audit_entries
from sharedsvc.projections.compromises import CompromiseEntry, compromise_ledger

__all__ = ["AuditEntry", "CompromiseEntry", "audit_entries", "compromise_ledger"]
