"""The domain's enumerations: the integration continuum, the dispute ladder, how a cost pool
is split and which body governs the shared service."""

from __future__ import annotations

import enum

from sharedsvc.domain.validators import plain_kind

__all__ = ["Basis", "Governance", "OrderedEnum", "Rung", "Stage"]


class OrderedEnum(enum.Enum):
    """An enum whose members compare by the order in which they are defined."""

    def _rank(self) -> int:
        return list(type(self)).index(self)

    def __lt__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        assert isinstance(other, OrderedEnum)
        return self._rank() < other._rank()

    def __le__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        assert isinstance(other, OrderedEnum)
        return self._rank() <= other._rank()

    def __gt__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        assert isinstance(other, OrderedEnum)
        return self._rank() > other._rank()

    def __ge__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        assert isinstance(other, OrderedEnum)
        return self._rank() >= other._rank()


@plain_kind
class Stage(OrderedEnum):
    """The integration continuum, from councils that merely co-exist to a combined service."""

    CO_EXISTING = "co-existing"
    COMMUNICATING = "communicating"
    CO_OPERATING = "co-operating"
    COORDINATING = "coordinating"
    COLLABORATING = "collaborating"
    COMBINING = "combining"


@plain_kind
class Rung(OrderedEnum):
    """The dispute-resolution ladder, lowest rung first."""

    OFFICERS = "officers"
    DIRECTORS = "directors"
    CHIEF_EXECUTIVES = "chief-executives"
    JOINT_COMMITTEE = "joint-committee"
    MEDIATION = "mediation"
    ARBITRATION = "arbitration"


@plain_kind
class Basis(enum.Enum):
    """How a cost pool is split between the parties."""

    EQUAL = "equal"
    USAGE = "usage"
    POPULATION = "population"
    FIXED = "fixed"


@plain_kind
class Governance(enum.Enum):
    """The body that governs the shared service."""

    JOINT_COMMITTEE = "joint-committee"
    LEAD_AUTHORITY = "lead-authority"
    COMPANY = "company"
