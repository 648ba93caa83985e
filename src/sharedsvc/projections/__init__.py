"""Read models built by following the store's global event log."""

from sharedsvc.projections.audit import AuditEntry, audit_entries
from sharedsvc.projections.balance import Balance, balance_of
from sharedsvc.projections.compromises import CompromiseEntry, compromise_ledger
from sharedsvc.projections.notes import NoteEntry, note_entries
from sharedsvc.projections.obligations import Obligation, obligation_entries
from sharedsvc.projections.read_models import FieldVersion, ReadModels
from sharedsvc.projections.recharges import Recharges, recharges_of
from sharedsvc.projections.sovereignty import SovereigntyEntry, SovereigntyMap

__all__ = [
    "AuditEntry",
    "Balance",
    "CompromiseEntry",
    "FieldVersion",
    "NoteEntry",
    "Obligation",
    "ReadModels",
    "Recharges",
    "SovereigntyEntry",
    "SovereigntyMap",
    "audit_entries",
    "balance_of",
    "compromise_ledger",
    "note_entries",
    "obligation_entries",
    "recharges_of",
]
