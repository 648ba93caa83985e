"""The refusals of the command line itself (beside the library's own errors): each is printed
as one line on standard error, and the command exits with code 1."""

from __future__ import annotations

from sharedsvc.domain.errors import SharedServiceError

__all__ = ["MissingExtra", "Refused"]


class Refused(SharedServiceError):
    """The command line refused what it was asked (a duplicate load, a store it cannot reach,
    a file it cannot read): nothing was recorded."""


class MissingExtra(Refused):
    """A command needs an optional dependency that is not installed."""
