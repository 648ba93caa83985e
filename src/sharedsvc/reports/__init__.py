"""Renderers: views and histories as text a person can read."""

from sharedsvc.reports.text import (
    describe_value,
    render_compromises,
    render_concessions,
    render_partnership,
)

__all__ = ["describe_value", "render_compromises", "render_concessions", "render_partnership"]
