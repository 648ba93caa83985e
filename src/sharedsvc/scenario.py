"""Scenario files: one partnership's whole history in TOML, loaded through the public verbs and
written back from the store.

A scenario has a ``[partnership]`` table (``name``, ``stage``, ``on``, ``ref``), the founders as
``[[parties]]``, the ``[terms]`` they signed, optionally a ``[policy]``, then one ``[[acts]]`` table
per act, in order: ``act`` names the verb of [`SharedServices`][sharedsvc.SharedServices], ``on``
its legal date, ``by`` or ``party`` the acting party (as the verb takes it), and the verb's other
arguments follow under their own names. An act that makes a variation, handover or dispute gives it
a label, ``id = "v1"``, by which later acts name it: ``variation = "v1"``. The how-to guide
*Scenario files* describes every key and how each kind of value is written.

Loading is all or nothing: a file with a key, value or label that is wrong, or an act the library
refuses, raises [`ScenarioError`][sharedsvc.ScenarioError] naming the file, the act and the rule,
and records nothing. Writing a history back gives a file that loads to the same partnership, and
that is written again, from there, to the same text.
"""

from __future__ import annotations

import os
import re
import tomllib
from pathlib import Path
from typing import Any
from uuid import UUID

from sharedsvc._scenario.codecs import table
from sharedsvc._scenario.log import partnership_log
from sharedsvc._scenario.problems import FORMAT, SYNTAX, Problem
from sharedsvc._scenario.reading import load, read_acts, take
from sharedsvc._scenario.toml import render
from sharedsvc._scenario.writing import document, labels
from sharedsvc.application import SharedServices
from sharedsvc.domain.errors import SharedServiceError

__all__ = [
    "ScenarioError",
    "dump_scenario",
    "load_scenario",
    "loads_acts",
    "loads_scenario",
    "save_scenario",
    "scenario_ids",
]

COMMENTS = (
    "A sharedsvc scenario: one partnership's history, written by sharedsvc.scenario.",
    "Acts are in the order they were recorded; v1, h1, d1... label the variations, handovers",
    "and disputes in the order they were made. Load it with sharedsvc.scenario.load_scenario.",
)
_ACT_HEADER = re.compile(r"\s*\[\[\s*acts\s*\]\]")


class ScenarioError(SharedServiceError, ValueError):
    """A scenario that cannot be loaded, or a history that cannot be written as one.

    Nothing of a file that raises it is recorded. The error names the place and the rule::

        examples/x.toml, act 7 (approve_variation, line 80): [variation-closed] ...

    Attributes:
        file: the file's name (what ``name=`` gave for text).
        rule: the code of the rule an act broke, as [`RuleViolation`][sharedsvc.RuleViolation] gives
            it (``"variation-needs-every-approval"``); ``"scenario-format"`` for a key, value
            or label the format does not allow; ``"toml-syntax"`` for text that is not TOML;
            ``"not-found"`` for an act on something that does not exist.
        message: what is wrong and what to do about it.
        act_index: the act's index in the file's ``acts`` (from 0), or ``None`` for a problem
            in the sections before them.
        verb: the act's verb, where it is one.
        line: the line on which the act's ``[[acts]]`` header stands, where there is one.
        section: the section (``"partnership"``, ``"parties"``, ``"terms"``, ``"policy"``) of a
            problem before the acts.
    """

    def __init__(
        self,
        file: str,
        rule: str,
        message: str,
        act_index: int | None = None,
        verb: str | None = None,
        line: int | None = None,
        section: str | None = None,
    ) -> None:
        place = section
        if act_index is not None:
            details = ", ".join(
                detail for detail in (verb, None if line is None else f"line {line}") if detail
            )
            place = f"act {act_index}" + (f" ({details})" if details else "")
        super().__init__(f"{file}{f', {place}' if place else ''}: [{rule}] {message}")
        self.file = file
        self.rule = rule
        self.message = message
        self.act_index = act_index
        self.verb = verb
        self.line = line
        self.section = section

    def __reduce__(self) -> tuple[type[ScenarioError], tuple[object, ...]]:
        return (
            type(self),
            (self.file, self.rule, self.message, self.act_index, self.verb, self.line,
             self.section),
        )  # fmt: skip


def _error(problem: Problem, file: str, text: str | None = None) -> ScenarioError:
    line = None
    if isinstance(text, str) and problem.act_index is not None:
        headers = [n for n, row in enumerate(text.split("\n"), 1) if _ACT_HEADER.match(row)]
        line = headers[problem.act_index] if problem.act_index < len(headers) else None
    return ScenarioError(
        file, problem.rule, problem.message, problem.act_index, problem.verb, line, problem.where
    )


def loads_scenario(app: SharedServices, text: str, *, name: str = "<string>") -> UUID:
    """Record the scenario in ``text`` in ``app``; returns the new partnership's id.

    The whole text is checked and its acts are taken on a throwaway in-memory application first;
    only a scenario that passes is saved in ``app``, in one save. Raises
    [`ScenarioError`][sharedsvc.ScenarioError] (with ``name`` as its file) and records nothing
    otherwise."""
    try:
        return load(app, text)
    except Problem as problem:
        raise _error(problem, name, text) from problem.__cause__


def load_scenario(app: SharedServices, path: str | os.PathLike[str]) -> UUID:
    """Record the scenario in the UTF-8 file at ``path`` in ``app``; returns the new
    partnership's id. As `loads_scenario`, naming the file as ``path`` gives it; a file
    that is not UTF-8 raises `ScenarioError` (``"toml-syntax"``)."""
    name = os.fspath(path)
    data = Path(path).read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ScenarioError(
            name,
            SYNTAX,
            f"the file is not UTF-8 text (byte {data[error.start]:#04x} at offset "
            f"{error.start}): save it as UTF-8, as TOML requires",
        ) from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")  # as reading in text mode does
    return loads_scenario(app, text, name=name)


def _dump(app: SharedServices, pid: UUID, file: str) -> str:
    try:
        return render(document(partnership_log(app, pid)), COMMENTS)
    except Problem as problem:
        raise _error(problem, file) from problem.__cause__


def dump_scenario(app: SharedServices, pid: UUID) -> str:
    """The history of partnership ``pid`` in ``app`` as a scenario: its formation and every act
    since, with its handovers and disputes, in the order they were recorded.

    Loading the text gives a partnership whose views equal this one's but for ids and
    recorded times; written again, it gives the same text. ``NotFound`` for an unknown id."""
    return _dump(app, pid, f"<partnership {pid}>")


def save_scenario(app: SharedServices, pid: UUID, path: str | os.PathLike[str]) -> None:
    """Write [`dump_scenario`][sharedsvc.dump_scenario] of partnership ``pid`` to the file at
    ``path`` (UTF-8)."""
    text = _dump(app, pid, os.fspath(path))
    with Path(path).open("w", encoding="utf-8", newline="\n") as file:
        file.write(text)


def scenario_ids(app: SharedServices, pid: UUID) -> dict[str, UUID]:
    """The id of each variation, handover and dispute of partnership ``pid`` by the label
    [`dump_scenario`][sharedsvc.dump_scenario] gives it (``v1``, ``h1``, ``d1``... in the order they
    were made): the labels of a file that follows that convention, as every written file does."""
    return {label.name: uid for uid, label in labels(partnership_log(app, pid)).items()}


def loads_acts(
    app: SharedServices,
    pid: UUID,
    text: str,
    *,
    name: str = "<string>",
    labelled: SharedServices | None = None,
) -> int:
    """Take the acts of ``text`` on the partnership ``pid`` that ``app`` already holds: a
    file of ``[[acts]]`` tables only, as a scenario's acts are written (a what-if file, as
    ``sharedsvc whatif`` takes it on a fork). Its acts may name the partnership's variations,
    handovers and disputes by the labels [`dump_scenario`][sharedsvc.dump_scenario] gives
    them in ``labelled`` (``app`` unless given: the store a fork came from), and make new
    ones under labels of their own. Returns how many acts were taken.

    Meant for a fork or a scratch application: the acts are taken one by one, so an act
    refused raises [`ScenarioError`][sharedsvc.ScenarioError] with the acts before it
    recorded."""
    known = labels(partnership_log(labelled if labelled is not None else app, pid))
    try:
        acts = _acts_only(text, {label.name: label.kind for label in known.values()})
        take(app, pid, acts, {label.name: uid for uid, label in known.items()})
    except Problem as problem:
        raise _error(problem, name, text) from problem.__cause__
    return len(acts)


def _acts_only(text: str, kinds: dict[str, str]) -> tuple[Any, ...]:
    if not isinstance(text, str):
        raise Problem(SYNTAX, f"a file of acts is text (a str), not {type(text).__name__}")
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise Problem(SYNTAX, f"the file is not TOML: {error}") from error
    table(document, "", ("acts",), ())
    acts = document.get("acts", [])
    if not isinstance(acts, list):
        raise Problem(FORMAT, "acts must be an array of tables: begin each act with [[acts]]")
    return read_acts(acts, kinds)
