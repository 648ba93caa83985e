"""What goes with a function handed over: staff, assets and the role over its data."""

from __future__ import annotations

import enum
from typing import Any

import attrs

from sharedsvc.domain.errors import RuleViolation
from sharedsvc.domain.validators import plain_kind, shown, whole
from sharedsvc.domain.values import INVALID

__all__ = ["DataRole", "StaffArrangement", "StaffTransfer"]


@plain_kind
class StaffArrangement(enum.Enum):
    """How staff go with a function.

    ``S113``: placed at the host's disposal under s.113 of the Local Government Act 1972 while
    still employed by their council; ``TUPE``: transferred to the host's employment.
    """

    S113 = "s113"
    TUPE = "tupe"


@plain_kind
class DataRole(enum.Enum):
    """Who decides about the function's personal data once it is pooled."""

    JOINT_CONTROLLERS = "joint-controllers"
    HOST_PROCESSOR = "host-processor"


def _arrangement(_: object, __: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, StaffArrangement):
        raise RuleViolation(INVALID, f"arrangement must be a StaffArrangement, not {shown(value)}")


def _count(_: object, __: attrs.Attribute[Any], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise RuleViolation(
            INVALID, f"a staff transfer moves one or more people, not {shown(value)}"
        )
    whole(value, "the count of a staff transfer", low=1)


@plain_kind
@attrs.frozen
class StaffTransfer:
    """``count`` staff going with a function under ``arrangement``."""

    arrangement: StaffArrangement = attrs.field(validator=_arrangement)
    count: int = attrs.field(validator=_count)
