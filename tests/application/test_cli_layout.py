"""What the commands print: one vocabulary across ``list``, ``show`` and ``compromises`` (and
the reports), tables that fit the terminal without breaking words, JSON for scripts, and a
word about what ``--output`` wrote and how far an export has got."""

from __future__ import annotations

import io
import json
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from cli_harness import EXAMPLE_EVENTS, load_example, sharedsvc

import sharedsvc as ss
from sharedsvc.cli import main
from sharedsvc.reports.writing import REPORT_STEPS


@pytest.fixture
def store(tmp_path: Path) -> Path:
    """The example (dissolved, with a final account) and a partnership still in force."""
    db = tmp_path / "s.db"
    load_example(db)
    app = ss.SharedServices.sqlite(db)
    try:
        app.form_partnership(
            "Adur and Worthing Councils Joint Strategic Committee for Shared Services",
            parties=[ss.Party("adur", "Adur"), ss.Party("worthing", "Worthing")],
            terms=ss.Terms(cost_pools=(ss.CostPool.equal("ict", ["adur", "worthing"]),)),
            stage=ss.Stage.CO_OPERATING,
            on=date(2008, 4, 1),
        )
    finally:
        app.close()
    return db


def test_list_and_show_say_in_force_and_dissolved_alike(store: Path) -> None:
    listed = sharedsvc("list", "--db", str(store))
    assert 0 == listed.code
    assert "active" not in listed.out
    dissolved, in_force = listed.out.splitlines()[2:]
    assert dissolved.endswith("dissolved on 2018-12-31")
    assert in_force.endswith("in force")
    shown = sharedsvc(
        "show",
        "Adur and Worthing Councils Joint Strategic Committee for Shared Services",
        "--db",
        str(store),
    )
    assert "  status:        in force\n" in shown.out
    assert (
        "  status:        dissolved on 2018-12-31\n"
        in sharedsvc("show", "Shared Digital", "--db", str(store)).out
    )


def test_money_is_written_in_pounds_everywhere(tmp_path: Path) -> None:
    db = tmp_path / "demo.db"
    demo = sharedsvc("demo", "--db", str(db))
    shown = sharedsvc("show", "Shared Digital", "--db", str(db))
    for text in (demo.out, shown.out):
        assert "GBP " not in text
        assert "final account: camden: £" in text
    audit = sharedsvc("audit", "Shared Digital", "--db", str(db))
    assert "GBP " not in audit.out


def test_terms_are_written_in_words_in_the_compromise_ledger(store: Path) -> None:
    ran = sharedsvc("compromises", "Shared Digital", "--db", str(store))
    assert 0 == ran.code
    assert "conceded cost pools: wanted" in ran.out
    assert "cost_pools" not in ran.out


def tokens(text: str) -> Counter[str]:
    return Counter(word for word in text.split() if set(word) != {"-"})


@pytest.mark.parametrize(
    "argv",
    [
        ("list",),
        ("show", "Shared Digital"),
        ("show", "Shared Digital", "--as-of", "2017-06-01"),
    ],
)
def test_at_80_columns_lines_fit_and_no_word_is_broken(store: Path, argv: tuple[str, ...]) -> None:
    wide = sharedsvc(*argv, "--db", str(store))
    narrow = sharedsvc(*argv, "--db", str(store), env={"COLUMNS": "80"})
    assert 0 == narrow.code
    assert max(len(line) for line in wide.out.splitlines()) > 80  # there was wrapping to do
    assert max(len(line) for line in narrow.out.splitlines()) <= 80
    assert tokens(wide.out) == tokens(narrow.out)


def test_list_json(store: Path) -> None:
    ran = sharedsvc("list", "--json", "--db", str(store))
    rows = json.loads(ran.out)
    assert ["Shared Digital", "Adur and Worthing Councils Joint Strategic Committee for Shared "
            "Services"] == [row["name"] for row in rows]  # fmt: skip
    first, second = rows
    assert {"id", "name", "stage", "parties", "status", "dissolved_on"} == set(first)
    assert ("dissolved", "2018-12-31") == (first["status"], first["dissolved_on"])
    assert ("in force", None, ["adur", "worthing"]) == (
        second["status"],
        second["dissolved_on"],
        second["parties"],
    )
    assert 36 == len(first["id"])


def test_show_json(store: Path) -> None:
    ran = sharedsvc("show", "Shared Digital", "--as-of", "2017-06-01", "--json", "--db", str(store))
    view = json.loads(ran.out)
    assert ("Shared Digital", "2017-06-01", None) == (
        view["name"],
        view["as_of"],
        view["dissolved_on"],
    )
    assert ["camden", "islington", "haringey"] == view["active_parties"]
    assert "combining" == view["stage"]
    assert [{"camden": "33.34", "islington": "33.33", "haringey": "33.33"}] == [
        pool["shares"] for pool in view["terms"]["cost_pools"]
    ]


def test_checkpoint_and_prove_say_what_they_wrote(store: Path, tmp_path: Path) -> None:
    ran = sharedsvc("checkpoint", "--db", str(store), "--output", str(tmp_path / "cp.json"))
    assert 0 == ran.code
    assert ran.out.startswith(f"Wrote the checkpoint of {EXAMPLE_EVENTS + 1} events (root ")
    assert ran.out.rstrip().endswith(f"to {tmp_path / 'cp.json'}.")
    proved = sharedsvc(
        "prove", "3", "--db", str(store), "--checkpoint", str(tmp_path / "cp.json"),
        "--output", str(tmp_path / "proof.json"),
    )  # fmt: skip
    assert f"Wrote the proof of the event at position 3 to {tmp_path / 'proof.json'}.\n" == (
        proved.out
    )


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_export_shows_progress_on_a_terminal_and_none_in_a_pipe(
    store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    terminal = Terminal()
    monkeypatch.setattr("sys.stderr", terminal)
    out = io.StringIO()
    assert 0 == main(["export", "--db", str(store), "--output", str(tmp_path / "e.jsonl")], out)
    assert "exporting" in terminal.getvalue()
    assert f"{EXAMPLE_EVENTS + 1}/{EXAMPLE_EVENTS + 1}" in terminal.getvalue()
    assert f"Exported {EXAMPLE_EVENTS + 1} events to {tmp_path / 'e.jsonl'}.\n" == out.getvalue()
    quiet = sharedsvc("export", "--db", str(store), "--output", str(tmp_path / "f.jsonl"))
    assert "" == quiet.err


def test_audit_shows_progress_on_a_terminal_and_none_in_a_pipe_or_over_the_report(
    store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    terminal = Terminal()
    monkeypatch.setattr("sys.stderr", terminal)
    out = io.StringIO()
    report = tmp_path / "a.md"
    assert 0 == main(["audit", "Shared Digital", "--db", str(store), "--output", str(report)], out)
    assert "auditing" in terminal.getvalue()
    assert f"{REPORT_STEPS}/{REPORT_STEPS}" in terminal.getvalue()
    assert out.getvalue().startswith("Wrote the audit of ")
    # The report itself on the terminal: no bar over it.
    over = Terminal()
    monkeypatch.setattr("sys.stderr", over)
    assert 0 == main(["audit", "Shared Digital", "--db", str(store)], Terminal())
    assert "" == over.getvalue()
    monkeypatch.undo()
    quiet = sharedsvc("audit", "Shared Digital", "--db", str(store), "--output", str(report))
    assert "" == quiet.err
    assert report.read_text(encoding="utf-8").startswith("# ")


def test_timeline_shows_progress_on_a_terminal_and_none_in_a_pipe(
    store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("matplotlib")
    terminal = Terminal()
    monkeypatch.setattr("sys.stderr", terminal)
    out = io.StringIO()
    picture = tmp_path / "t.svg"
    assert 0 == main(["timeline", "Shared Digital", "--db", str(store), "--svg", str(picture)], out)
    assert "drawing" in terminal.getvalue()
    assert f"{REPORT_STEPS}/{REPORT_STEPS}" in terminal.getvalue()
    monkeypatch.undo()
    quiet = sharedsvc("timeline", "Shared Digital", "--db", str(store), "--svg", str(picture))
    assert "" == quiet.err
    assert quiet.out.startswith("Drew the timeline in ")
