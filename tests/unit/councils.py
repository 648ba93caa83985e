"""The councils the unit tests' partnerships are made of (a test module imports them by name)."""

from __future__ import annotations

from sharedsvc import Party

CAMDEN = Party("camden", "London Borough of Camden")
ISLINGTON = Party("islington", "London Borough of Islington")
HARINGEY = Party("haringey", "London Borough of Haringey")
