"""The errors a refused command raises.

Every error the library raises on purpose is a [`SharedServiceError`][sharedsvc.SharedServiceError].
A command that raises one has recorded nothing.
"""

from __future__ import annotations

__all__ = [
    "ConcurrencyConflict",
    "NotAuthorised",
    "NotFound",
    "RuleViolation",
    "SharedServiceError",
    "TamperDetected",
]


class SharedServiceError(Exception):
    """Base class of every error raised by sharedsvc."""


class RuleViolation(SharedServiceError, ValueError):
    """A command or a value broke a rule of the agreement.

    Attributes:
        rule: the stable code of the broken invariant (``"shares-sum-to-100"``), listed in
            [`sharedsvc.invariants`][sharedsvc.invariants].
        message: a sentence that says what is wrong and what to do about it.
    """

    def __init__(self, rule: str, message: str) -> None:
        super().__init__(f"[{rule}] {message}")
        self.rule = rule
        self.message = message

    def __reduce__(self) -> tuple[type[RuleViolation], tuple[str, str]]:
        return (type(self), (self.rule, self.message))


class NotAuthorised(RuleViolation):
    """The acting party may not take this act.

    ``rule`` is ``"members-only"`` (the party is not an active member) or ``"acts-for-itself"``
    (a party tried to act on behalf of another).
    """


class NotFound(SharedServiceError, LookupError):
    """No partnership, variation, handover or dispute has the given id."""


class ConcurrencyConflict(SharedServiceError):
    """Another writer changed the aggregate since it was read; retry the command."""


class TamperDetected(SharedServiceError):
    """The stored record no longer matches what was logged.

    Attributes:
        report: the [`IntegrityReport`][sharedsvc.IntegrityReport] that found it, when it
            came from a verification (None when a proof could not be made).
    """

    def __init__(self, message: str, report: object = None) -> None:
        super().__init__(message)
        self.report = report

    def __reduce__(self) -> tuple[type[TamperDetected], tuple[str, object]]:
        return (type(self), (str(self), self.report))
