"""The errors a refused command raises.

Every error the library raises on purpose is a [`SharedServiceError`][sharedsvc.SharedServiceError].
A command that raises one has recorded nothing.
"""

from __future__ import annotations

__all__ = [
    "ConcurrencyConflict",
    "EventNotApplied",
    "NotAuthorised",
    "NotFound",
    "ReadModelsBusy",
    "RuleViolation",
    "SharedServiceError",
    "StoreClosed",
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


class StoreClosed(SharedServiceError):
    """What was asked must be read from the store, and the application on it has been closed.

    A view of a partnership loaded from a snapshot reads the statuses of its closed variations
    (``closed_variations``) from the record the first time they are asked for: ask while the
    application is open, or open another on the same store."""


class ReadModelsBusy(SharedServiceError):
    """Another process (or thread) is rebuilding or catching up the read models of this store.

    A replay, a catch-up and a follower take one lock per store; one that cannot take it within
    the time it was allowed to wait (``wait=`` seconds) raises this and has written nothing.
    Raised too if the read models moved under a catch-up (a writer that took no lock): run it
    again."""


class EventNotApplied(SharedServiceError):
    """The read models could not apply a stored event; nothing of its batch was written.

    The read models stop at the event rather than pass over it unseen. Look at the event (the
    store may have been edited by hand, or hold a value an older release accepted); to carry on
    without it, decide so explicitly: ``catch_up(skip=[position])`` or
    ``replay(skip=[position])``, which logs each event it skips.

    Attributes:
        position: the event's position in the store's global log.
        topic: the event's topic (its type, as stored).
        reason: what went wrong, in a sentence.
    """

    def __init__(self, position: int, topic: str, reason: str) -> None:
        super().__init__(
            f"the read models cannot apply the event at position {position} ({topic}): "
            f"{reason}; skip it only on purpose, with skip=[{position}]"
        )
        self.position = position
        self.topic = topic
        self.reason = reason

    def __reduce__(self) -> tuple[type[EventNotApplied], tuple[int, str, str]]:
        return (type(self), (self.position, self.topic, self.reason))
