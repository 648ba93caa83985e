"""What if? A partnership's history forked at a date, changed, and compared with the record.

``app.fork(pid, at=day)`` gives a [`Fork`][sharedsvc.whatif.Fork]: an in-memory application
holding the partnership's history dated on or before ``day`` (with its handovers and disputes),
which takes every verb with the same rules and writes nothing to the store it came from.
``fork.replay_rest()`` takes on it the record's later acts, in their order, reporting for each
whether it still stands (``"ok"``) or the rule that now refuses it; ``app.compare(pid, fork)``
says, field by field, how the partnership differs between the two
([`Comparison`][sharedsvc.Comparison]). A fork can itself be forked and compared.

The parts: [`history_of`][sharedsvc.whatif.history_of] reads a history as acts of the catalogue,
`fork` makes forks and `compare` compares; `sharedsvc.scenario.loads_acts` takes a what-if
file's acts on a fork (as ``sharedsvc whatif`` does).
"""

from __future__ import annotations

from sharedsvc.whatif.compare import FIELDS, Comparison, Difference, compare
from sharedsvc.whatif.fork import Fork, Replayed, fork_of, rule_of
from sharedsvc.whatif.history import Step, history_of

__all__ = [
    "FIELDS",
    "Comparison",
    "Difference",
    "Fork",
    "Replayed",
    "Step",
    "compare",
    "fork_of",
    "history_of",
    "rule_of",
]
