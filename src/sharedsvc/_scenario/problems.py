"""What the parts of the scenario reader and writer raise: a problem with its rule and place.

[`sharedsvc.scenario`][sharedsvc.scenario] turns it into a
[`ScenarioError`][sharedsvc.ScenarioError] that names the file as well, so the parts need not know
where the text came from.
"""

from __future__ import annotations

__all__ = ["FORMAT", "SYNTAX", "Problem"]

FORMAT = "scenario-format"
"""The rule of a file that is TOML but not a scenario: an unknown or missing key, a value of
the wrong type, a label that names nothing."""

SYNTAX = "toml-syntax"
"""The rule of a file that is not TOML at all."""


class Problem(Exception):
    """A problem found in (or, when writing, for) a scenario.

    ``where`` names the part of the file (``"terms"``, ``"parties[1]"``) or is ``None`` for an
    act, which ``act_index`` and ``verb`` name instead."""

    def __init__(
        self,
        rule: str,
        message: str,
        *,
        where: str | None = None,
        act_index: int | None = None,
        verb: str | None = None,
    ) -> None:
        super().__init__(f"[{rule}] {message}")
        self.rule = rule
        self.message = message
        self.where = where
        self.act_index = act_index
        self.verb = verb

    def placed(
        self, *, where: str | None = None, act_index: int | None = None, verb: str | None = None
    ) -> Problem:
        """This problem, placed in the part of the file it was found in (a place it already
        has is kept: it is the more precise)."""
        return Problem(
            self.rule,
            self.message,
            where=self.where if self.where is not None else where,
            act_index=self.act_index if self.act_index is not None else act_index,
            verb=self.verb if self.verb is not None else verb,
        )
