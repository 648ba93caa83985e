"""Read models built by following the store's global event log."""

from sharedsvc.projections.audit import AuditEntry, audit_entries
from sharedsvc.projections.compromises import CompromiseEntry, compromise_ledger
from sharedsvc.projections.notes import NoteEntry, note_entries
from sharedsvc.projections.read_models import FieldVersion, ReadModels
from sharedsvc.projections.sovereignty import SovereigntyEntry, SovereigntyMap

__all__ = [
    "AuditEntry",
    "CompromiseEntry",
    "FieldVersion",
    "NoteEntry",
    "ReadModels",
    "SovereigntyEntry",
    "SovereigntyMap",
    "audit_entries",
    "compromise_ledger",
    "note_entries",
]
