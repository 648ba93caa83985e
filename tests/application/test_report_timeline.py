"""The timeline picture: valid PNG and SVG files of the expected size, holding the names and
dates of the history as text, with no two labels on top of each other."""

from __future__ import annotations

import io
import struct
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from uuid import UUID

import pytest
from report_histories import (
    ARBITER,
    SCRIPT_NAME,
    build_crowded,
    build_script_partnership,
    build_wold_and_fen,
)

from sharedsvc import SharedServices
from sharedsvc.demo import build_shared_digital
from sharedsvc.reports import PartnershipReport, gather, write_timeline

pytest.importorskip("matplotlib")

from matplotlib.text import Text

from sharedsvc.reports.timeline import DPI, WIDTH, draw_timeline, timeline_figure

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def app() -> Iterator[SharedServices]:
    app = SharedServices.in_memory()
    yield app
    app.close()


@pytest.fixture(scope="module")
def demo(app: SharedServices) -> PartnershipReport:
    return gather(app, build_shared_digital(app))


@pytest.fixture(scope="module")
def wold(app: SharedServices) -> PartnershipReport:
    return gather(app, build_wold_and_fen(app))


def _png_size(data: bytes) -> tuple[int, int]:
    assert PNG_SIGNATURE == data[:8]
    assert b"IHDR" == data[12:16]
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def _svg_texts(path: Path | io.BytesIO) -> list[str]:
    root = ET.parse(path).getroot()
    assert root.tag.endswith("svg")
    return ["".join(node.itertext()) for node in root.iter() if node.tag.endswith("}text")]


def test_the_demo_timeline_is_a_png_of_the_size_it_reports(
    demo: PartnershipReport, tmp_path: Path
) -> None:
    path = tmp_path / "shared-digital.png"
    size = draw_timeline(demo, path)
    assert size == _png_size(path.read_bytes())
    width, height = size
    assert round(WIDTH * DPI) == width == 1800
    assert 900 < height < 1500


def test_a_lower_resolution_scales_the_picture_and_a_file_object_takes_a_format(
    demo: PartnershipReport,
) -> None:
    picture = io.BytesIO()
    size = draw_timeline(demo, picture, format="png", dpi=100)
    assert (1200, size[1]) == _png_size(picture.getvalue())


def test_the_demo_timeline_as_svg_holds_its_names_and_dates_as_text(
    demo: PartnershipReport, tmp_path: Path
) -> None:
    path = tmp_path / "shared-digital.svg"
    draw_timeline(demo, path)
    texts = _svg_texts(path)
    for expected in (
        "Shared Digital, 2015\N{EN DASH}2018",
        "London Borough of Camden",
        "London Borough of Islington",
        "London Borough of Haringey",
        "joined 1 Oct 2016",
        "combining",
        "Islington ICT",
        "returned 31 Dec 2018, on dissolution",
        "TUPE transfer of ICT staff",
        "officers",
        "directors",
        "chief executives",
        "settled 15 Feb 2018",
        "dissolved 31 Dec 2018",
        "2016",
        "2018",
    ):
        assert expected in texts, expected


def test_a_withdrawal_and_an_arbitration_are_drawn(wold: PartnershipReport, tmp_path: Path) -> None:
    path = tmp_path / "wold.svg"
    draw_timeline(wold, path)
    texts = _svg_texts(path)
    for expected in (
        "Wold and Fen Revenues, 2019\N{EN DASH}2022",
        "Westfen District Council",
        "left 31 Mar 2022",
        "recalled 1 Mar 2022",
        "mediation",
        "arbitration",
        f"determined 18 Jan 2021 by {ARBITER}",
        "open",
        "record ends 24 May 2022",
        "notice period",
        "dispute still open",
    ):
        assert expected in texts, expected


def test_markup_in_a_name_is_text_in_the_svg(app: SharedServices, tmp_path: Path) -> None:
    path = tmp_path / "script.svg"
    draw_timeline(gather(app, build_script_partnership(app)), path)
    texts = _svg_texts(path)  # parses: the name did not break the XML
    assert any(SCRIPT_NAME.split(" ")[0] in text for text in texts)
    assert not [node for node in ET.parse(path).getroot().iter() if node.tag.endswith("script")]


def _overlapping_texts(report: PartnershipReport) -> list[tuple[str, str]]:
    figure = timeline_figure(report)
    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()  # type: ignore[attr-defined]
    boxes = [
        (t.get_text(), t.get_window_extent(renderer))
        for t in figure.findobj(Text)
        if isinstance(t, Text) and t.get_visible() and t.get_text().strip()
    ]
    found = []
    for index, (first, a) in enumerate(boxes):
        for second, b in boxes[index + 1 :]:
            across = min(a.x1, b.x1) - max(a.x0, b.x0)
            down = min(a.y1, b.y1) - max(a.y0, b.y0)
            if across > 0.5 and down > 0.5:  # more than half a pixel each way
                found.append((first, second))
    return found


@pytest.mark.parametrize("build", [build_shared_digital, build_wold_and_fen, build_crowded])
def test_no_two_labels_of_the_picture_overlap(app: SharedServices, build: object) -> None:
    assert callable(build)
    pid: UUID = build(app)
    assert [] == _overlapping_texts(gather(app, pid))


def test_the_format_comes_from_the_suffix_or_is_asked_for(
    demo: PartnershipReport, tmp_path: Path
) -> None:
    with pytest.raises(ValueError, match="png or svg"):
        draw_timeline(demo, tmp_path / "timeline.pdf")
    with pytest.raises(ValueError, match="not 'gif'"):
        draw_timeline(demo, tmp_path / "timeline.png", format="gif")
    draw_timeline(demo, tmp_path / "timeline.picture", format="svg")
    assert (tmp_path / "timeline.picture").read_bytes().lstrip().startswith(b"<?xml")


def test_write_timeline_goes_from_the_application_to_the_file(
    app: SharedServices, demo: PartnershipReport, tmp_path: Path
) -> None:
    path = tmp_path / "t.png"
    size = write_timeline(app, demo.view.id, path, dpi=80)
    assert 960 == size[0]
    assert size == _png_size(path.read_bytes())


def test_the_report_data_does_not_need_matplotlib() -> None:
    code = (
        "import sys; import sharedsvc.reports, sharedsvc.reports.model; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'matplotlib'))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "[]" == done.stdout.strip()
