"""``sharedsvc list`` writes its table a row at a time (`Output.streamed_table`), laid out as
the whole table would be (`Output.table`) at any width, and its JSON as ``json`` would."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator

import pytest

from sharedsvc.cli._output import Output

HEADER = ("id", "name", "stage", "parties", "status")
ROWS = [
    ("114722ef", "Shared Digital Services of the north", "co-operating", "camden, islington",
     "in force"),
    ("cc81703e", "Shared Digital", "combining", "camden, islington, hackney, haringey, barnet",
     "dissolved on 2018-12-31"),
    ("0a1b2c3d", "Ünïcode Déjà vu — 共有サービス", "co-existing", "", "in force"),
]  # fmt: skip


@pytest.mark.parametrize("columns", ["", "200", "80", "60", "40"])
@pytest.mark.parametrize("rows", [ROWS, ROWS[:1], []])
def test_a_streamed_table_is_laid_out_as_the_whole_table(
    columns: str, rows: list[tuple[str, ...]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", columns)
    whole, streamed = io.StringIO(), io.StringIO()
    Output(whole).table(HEADER, rows, whole=("id", "stage"))
    Output(streamed).streamed_table(HEADER, lambda: rows, whole=("id", "stage"))
    assert whole.getvalue() == streamed.getvalue()


def test_each_row_is_written_before_the_next_is_read() -> None:
    out = io.StringIO()
    passes: list[int] = []

    def rows() -> Iterator[tuple[str, ...]]:
        passes.append(0)
        for row in ROWS:
            if len(passes) == 2:  # the writing pass: the rows before this one are written
                assert out.getvalue().count("\n") == 2 + passes[-1]
                passes[-1] += 1
            yield row

    Output(out).streamed_table(HEADER, rows)
    assert [0, 3] == passes


@pytest.mark.parametrize("values", [[], [{"a": 1}], [{"a": [1, "é"]}, {"b": None}, 3]])
def test_a_json_list_is_written_as_json_writes_it(values: list[object]) -> None:
    whole, streamed = io.StringIO(), io.StringIO()
    Output(whole).json(values)
    Output(streamed).json_list(iter(values))
    assert whole.getvalue() == streamed.getvalue()
    assert values == json.loads(streamed.getvalue())
