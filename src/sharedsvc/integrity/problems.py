"""The problems a verification finds, gathered into its report."""

from __future__ import annotations

from collections.abc import Callable

from sharedsvc.domain.errors import RuleViolation
from sharedsvc.domain.validators import shown
from sharedsvc.domain.values import INVALID
from sharedsvc.integrity.records import Checkpoint, IntegrityReport, Problem

__all__ = ["PROBLEM_LIMIT", "Problems", "Progress", "checkpoint_of"]

PROBLEM_LIMIT = 100
Progress = Callable[[int], None]


class Problems:
    """The first ``limit`` problems found, and a count of the rest."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.found: list[Problem] = []
        self.omitted = 0

    def add(self, kind: str, position: int | None, message: str) -> None:
        if len(self.found) < self.limit:
            self.found.append(Problem(kind, position, message))
        else:
            self.omitted += 1

    def __bool__(self) -> bool:
        return bool(self.found)

    def report(self, checked: int, checkpoint: Checkpoint | None) -> IntegrityReport:
        """The report, problems in the order of their positions (unplaced ones last)."""
        found = sorted(self.found, key=lambda p: (p.position is None, p.position or 0))
        return IntegrityReport(not found, checked, tuple(found), checkpoint, self.omitted)


def checkpoint_of(value: object, what: str = "checkpoint") -> Checkpoint:
    """``value``, refused unless it is a [`Checkpoint`][sharedsvc.Checkpoint] (``what`` names
    it)."""
    if not isinstance(value, Checkpoint):
        raise RuleViolation(INVALID, f"{what} must be a Checkpoint, not {shown(value)}")
    return value
