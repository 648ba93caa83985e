"""Stores written by released versions open, verify and read the same with the current code.

Each folder ``tests/fixtures/release-<version>/`` holds a SQLite store written by that release
(``store.db``), the checkpoint that release took of it (``checkpoint.json``, in the library's
own JSON form) and, under ``golden/``, the answers that release gave to questions about it.
``tests/fixtures/make_release_store.py`` says how a folder was made; a new release adds a
folder and every test here runs on it too. A fixture is never written to: each test works on
a copy in ``tmp_path``.

Golden files. Each ``golden/*.json`` is ``{"release": ..., "answers": [...]}``, one answer per
question: ``{"call": ..., "args": {...}, "answer": ...}``. :func:`ask` turns a question into a
call of the public API and :func:`plain` turns what the call returned into JSON, the same way
for the release that wrote the file and for the code under test; :func:`differences` compares.

:func:`plain`, deterministic and documented because old golden files depend on it:

* ``None``, ``bool``, ``int``, ``float`` and ``str`` stay as they are;
* an enum is its value (so a plain string that becomes an enum of the same value is the same);
* a ``Decimal`` is its ``str`` (``"33.34"``), a ``datetime`` or ``date`` its ISO form, a
  ``UUID`` its hyphenated ``str``, ``bytes`` their lowercase hex;
* an attrs instance is an object of its fields, in declaration order, after ``"@type"``, its
  class's name;
* any other mapping is an object of its entries in their order (each key made plain must be a
  string); a list or tuple is a list; a set is a list sorted by each element's JSON;
* anything else is refused with a ``TypeError`` rather than written as its ``repr``.

:func:`differences`, the meaning of "the same answer": equal JSON values, where the entries of
a mapping must come in the same order, and an attrs object (``"@type"``) must have the same
class name and every field the golden answer has, with an equal value. Fields a later release
adds to a class are not in an older golden answer, so they are not compared.

A question whose call raised a :class:`~sharedsvc.SharedServiceError` has the answer
``{"raises": <class name>, "rule": <its rule, or null>}``.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator, Mapping
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import Any
from uuid import UUID

import attrs
import pytest

from sharedsvc import Checkpoint, Policy, SharedServiceError, SharedServices

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
RELEASES = sorted(FIXTURES.glob("release-*"))
STORE, CHECKPOINT, GOLDEN = "store.db", "checkpoint.json", "golden"
READ_MODEL_CALLS = "read_models."


# --- turning answers into JSON ----------------------------------------------------------------


def plain(value: Any) -> Any:
    """``value`` as JSON data, by the rules in the module's docstring."""
    if isinstance(value, Enum):
        return plain(value.value)
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, bytes):
        return value.hex()
    if attrs.has(type(value)):
        fields = attrs.fields(type(value))
        return {"@type": type(value).__name__} | {
            field.name: plain(getattr(value, field.name)) for field in fields
        }
    if isinstance(value, Mapping):
        return {_key(key): plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    if isinstance(value, set | frozenset):
        return sorted((plain(item) for item in value), key=json.dumps)
    raise TypeError(f"no plain form for a {type(value).__qualname__}: {value!r}")


def _key(key: Any) -> str:
    made = plain(key)
    if not isinstance(made, str):
        raise TypeError(f"a mapping key must be plain as a string, not {key!r}")
    return made


def differences(golden: Any, current: Any, where: str = "answer") -> Iterator[str]:
    """Where ``current`` is not the same answer as ``golden`` (see the module's docstring)."""
    if isinstance(golden, dict) and isinstance(current, dict):
        if "@type" in golden:
            if golden["@type"] != current.get("@type"):
                yield f"{where}: a {current.get('@type')}, not a {golden['@type']}"
                return
            for name, value in golden.items():
                if name not in current:
                    yield f"{where}.{name}: missing"
                else:
                    yield from differences(value, current[name], f"{where}.{name}")
            return
        if list(golden) != list(current):
            yield f"{where}: keys {list(current)}, not {list(golden)}"
            return
        for name, value in golden.items():
            yield from differences(value, current[name], f"{where}[{name!r}]")
    elif isinstance(golden, list) and isinstance(current, list):
        if len(golden) != len(current):
            yield f"{where}: {len(current)} items, not {len(golden)}"
        for index, (old, new) in enumerate(zip(golden, current, strict=False)):
            yield from differences(old, new, f"{where}[{index}]")
    elif type(golden) is not type(current) or golden != current:
        yield f"{where}: {current!r}, not {golden!r}"


# --- asking the questions ---------------------------------------------------------------------


def _moment(text: str) -> date | datetime:
    """A bound of an audit trail: a ``datetime`` if it has a time, else a ``date``."""
    return datetime.fromisoformat(text) if "T" in text else date.fromisoformat(text)


def _dated(args: Mapping[str, Any]) -> dict[str, Any]:
    """The keyword arguments ``version``, ``as_of``, ``known_at`` that ``args`` gives."""
    found: dict[str, Any] = {}
    if "version" in args:
        found["version"] = args["version"]
    if "as_of" in args:
        found["as_of"] = date.fromisoformat(args["as_of"])
    if "known_at" in args:
        found["known_at"] = datetime.fromisoformat(args["known_at"])
    return found


class Asker:
    """Asks one store the questions of golden files; ``folder`` holds the checkpoints they
    name. Read-model questions are answered after the read models ``catch_up()`` (from the
    rows the store holds) or ``replay()`` (rebuilt from the log), as ``read_models`` says."""

    def __init__(self, app: SharedServices, folder: Path, read_models: str = "catch_up") -> None:
        self.app = app
        self.folder = folder
        self.read_models_by = read_models
        self._models: Any = None

    def checkpoint(self, name: str) -> Checkpoint:
        return Checkpoint.from_json((self.folder / name).read_bytes())

    def models(self) -> Any:
        if self._models is None:
            self._models = self.app.read_models()
            getattr(self._models, self.read_models_by)()
        return self._models

    def ask(self, call: str, args: Mapping[str, Any]) -> Any:
        """The plain answer to one question (see the module's docstring)."""
        try:
            return plain(self._call(call, args))
        except SharedServiceError as error:
            return {"raises": type(error).__name__, "rule": getattr(error, "rule", None)}

    def _call(self, call: str, args: Mapping[str, Any]) -> Any:
        app = self.app
        if call == "partnership_ids":
            return list(app.partnership_ids())
        if call == "partnerships":
            return app.partnerships()
        if call == "verify":
            against = args.get("against")
            return app.verify(against=None if against is None else self.checkpoint(against))
        if call == "prove":
            return app.prove(args["position"], self.checkpoint(args["checkpoint"]))
        if call == "handover":
            return app.handover(UUID(args["hid"]), **_dated(args))
        if call == "dispute":
            return app.dispute(UUID(args["did"]), **_dated(args))
        if call == "read_models.counts":
            return dict(self.models().iter_counts())
        pid = UUID(args["pid"])
        if call == "partnership":
            return app.partnership(pid, **_dated(args))
        if call == "variations":
            return app.variations(pid, **_dated(args))
        if call == "audit_trail":
            bounds = {name: _moment(args[name]) for name in ("since", "until") if name in args}
            return app.audit_trail(pid, **bounds)
        if call == "compromises":
            return app.compromises(pid)
        if call.startswith(READ_MODEL_CALLS):
            return getattr(self.models(), call.removeprefix(READ_MODEL_CALLS))(pid)
        raise ValueError(f"no such question: {call!r}")


# --- the tests --------------------------------------------------------------------------------


def _release_id(folder: Path) -> str:
    return folder.name


def _golden_files() -> list[Any]:
    return [
        pytest.param(release, file, id=f"{release.name}-{file.stem}")
        for release in RELEASES
        for file in sorted(release.glob("golden/*.json"))
    ]


@pytest.fixture
def copy_of(tmp_path: Path) -> Any:
    """Opens a copy of a release's store (the fixture itself is never opened)."""
    opened: list[SharedServices] = []

    def open_copy(release: Path) -> SharedServices:
        target = tmp_path / release.name / STORE
        target.parent.mkdir()
        shutil.copyfile(release / STORE, target)
        app = SharedServices.sqlite(target)
        opened.append(app)
        return app

    yield open_copy
    for app in opened:
        app.close()


def test_there_is_a_fixture_of_the_first_release() -> None:
    assert "release-0.1.0" in [folder.name for folder in RELEASES]


@pytest.mark.parametrize("release", RELEASES, ids=_release_id)
def test_a_release_folder_holds_only_a_closed_store_its_checkpoint_and_answers(
    release: Path,
) -> None:
    names = {path.name for path in release.iterdir()}
    assert {STORE, CHECKPOINT, GOLDEN} <= names
    assert not [name for name in names if name.endswith(("-wal", "-shm", "-journal"))]
    assert sorted(release.glob("golden/*.json"))


@pytest.mark.parametrize("release", RELEASES, ids=_release_id)
def test_the_store_verifies_against_the_checkpoint_its_release_took(
    release: Path, copy_of: Any
) -> None:
    taken = Checkpoint.from_json((release / CHECKPOINT).read_bytes())
    app = copy_of(release)

    report = app.verify(against=taken)

    assert report.ok, report
    assert taken.size == report.checked
    assert app.verify().ok  # every stored event decodes with the current code
    again = app.checkpoint()
    assert (taken.size, taken.root, taken.position) == (again.size, again.root, again.position)


@pytest.mark.parametrize("release", RELEASES, ids=_release_id)
def test_a_policy_stored_before_deadlines_existed_reads_back_with_the_default_ones(
    release: Path, copy_of: Any
) -> None:
    views = copy_of(release).partnerships()
    assert views
    for view in views:
        assert (90, 60) == (view.policy.exit_payment_days, view.policy.consent_days)
        assert dict.fromkeys(view.policy.ladder, 90) == dict(view.policy.rung_days)


@pytest.mark.parametrize(("release", "golden"), _golden_files())
def test_the_current_code_gives_every_golden_answer(
    release: Path, golden: Path, copy_of: Any
) -> None:
    asker = Asker(copy_of(release), release)
    recorded = json.loads(golden.read_text(encoding="utf-8"))

    wrong = [
        f"{question['call']}({json.dumps(question['args'])}): {problem}"
        for question in recorded["answers"]
        for problem in list(differences(question["answer"], asker.ask(**_question(question))))[:3]
    ]

    assert [] == wrong


@pytest.mark.parametrize("release", RELEASES, ids=_release_id)
def test_read_models_rebuilt_from_the_log_give_the_golden_answers(
    release: Path, copy_of: Any
) -> None:
    asker = Asker(copy_of(release), release, read_models="replay")
    questions = [
        question
        for file in sorted(release.glob("golden/*.json"))
        for question in json.loads(file.read_text(encoding="utf-8"))["answers"]
        if question["call"].startswith(READ_MODEL_CALLS)
    ]

    wrong = [
        f"{question['call']}({json.dumps(question['args'])}): {problem}"
        for question in questions
        for problem in list(differences(question["answer"], asker.ask(**_question(question))))[:3]
    ]

    assert questions
    assert [] == wrong


def _question(question: Mapping[str, Any]) -> dict[str, Any]:
    return {"call": question["call"], "args": question["args"]}


@pytest.mark.parametrize("release", RELEASES, ids=_release_id)
def test_a_policy_stored_before_readiness_reads_with_the_default_areas_and_no_gates(
    release: Path, copy_of: Any
) -> None:
    app = copy_of(release)
    formed = [
        n for n in app.recorder.select_notifications(start=1, limit=10**6)
        if n.topic == "sharedsvc:Partnership.Formed"
    ]  # fmt: skip
    assert formed
    for notification in formed:
        assert b"readiness_areas" not in notification.state  # stored without the new fields
        policy = app.mapper.to_domain_event(notification).policy
        assert (Policy().readiness_areas, {}) == (policy.readiness_areas, dict(policy.stage_gates))
        pid = notification.originator_id
        assert ({}, []) == (app.readiness(pid), app.targets(pid))
