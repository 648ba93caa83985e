"""The timeline picture: valid PNG and SVG files of the expected size, holding the names and
dates of the history as text, with no two labels on top of each other."""

from __future__ import annotations

import io
import struct
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import date, timedelta
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

from sharedsvc import CostPool, Function, Party, SharedServices, Stage, Terms
from sharedsvc.demo import build_shared_digital
from sharedsvc.reports import PartnershipReport, gather, write_timeline

pytest.importorskip("matplotlib")

from matplotlib.text import Text

from sharedsvc.reports.timeline import DPI, WIDTH, draw_timeline, timeline_figure
from sharedsvc.reports.timeline_marks import KEY_LINES

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
    assert 900 < height < 1700  # with its three lanes of obligations


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


def build_inherited(app: SharedServices) -> UUID:
    """Camden and Islington; Camden pools its service desk in 2016, North Camden succeeds
    Camden in 2019 and Camden Unitary succeeds North Camden in 2023: one function, held in
    turn by three councils, and the record goes on to 2025."""
    camden, islington = Party("camden", "London Borough of Camden"), Party("islington", "Islington")
    pid = app.form_partnership(
        "Inherited desk",
        parties=[camden, islington],
        terms=Terms(cost_pools=(CostPool.equal("ict", [camden, islington]),), host="islington"),
        stage=Stage.CO_OPERATING,
        on=date(2015, 4, 1),
    )
    hid = app.propose_handover(pid, function=DESK, by="camden", on=date(2016, 3, 1))
    for party in ("camden", "islington"):
        app.consent_to_handover(hid, party=party, on=date(2016, 3, 1))
    app.effect_handover(hid, on=date(2016, 4, 1))
    for predecessor, heir, vesting in (
        ("camden", Party("north-camden", "North Camden Council"), date(2019, 4, 1)),
        ("north-camden", Party("camden-unitary", "Camden Unitary Council"), date(2023, 4, 1)),
    ):
        app.succeed(pid, party=predecessor, successors=[heir], on=vesting)
    app.change_stage(pid, to=Stage.COORDINATING, by="islington", on=date(2025, 4, 1))
    return pid


DESK = Function("ict.service-desk", "ICT service desk", category="back-office")


def test_an_inherited_function_is_drawn_from_the_council_that_ceded_it_through_each_holder(
    app: SharedServices, tmp_path: Path
) -> None:
    report = gather(app, build_inherited(app))
    (record,) = report.handovers
    assert (
        ("camden", None),
        ("north-camden", date(2019, 4, 1)),
        ("camden-unitary", date(2023, 4, 1)),
    ) == record.holders("camden-unitary")
    assert (("islington", None),) == record.holders("islington")
    path = tmp_path / "inherited.svg"
    draw_timeline(report, path)
    texts = _svg_texts(path)
    assert "from Camden" in texts  # the council that ceded it, not its latest successor
    assert "from Camden Unitary" not in texts
    assert "pooled 1 Apr 2016" in texts
    assert any(t.startswith("inherited") and t.endswith("1 Apr 2019") for t in texts), texts
    assert any(t.startswith("inherited") and t.endswith("1 Apr 2023") for t in texts), texts
    assert [] == _overlapping_texts(report)


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


def build_long(app: SharedServices, variations: int = 150) -> UUID:
    """Three councils and ``variations`` adopted variations, one every 20 days."""
    councils = ("camden", "islington", "haringey")
    start = date(2010, 1, 4)
    pid = app.form_partnership(
        "Long Shared Service",
        parties=[Party(c, f"{c.title()} Council") for c in councils],
        terms=Terms(cost_pools=(CostPool.equal("all", councils),), host="camden"),
        on=start,
    )
    for number in range(variations):
        on = start + timedelta(days=20 * (number + 1))
        vid = app.propose_variation(pid, by="camden", changes={"sla": f"level {number}"}, on=on)
        for council in councils:
            app.approve_variation(pid, vid, party=council, on=on)
    return pid


def test_a_long_history_keeps_its_badges_clear_of_the_title_and_its_key_short(
    app: SharedServices,
) -> None:
    figure = timeline_figure(gather(app, build_long(app)))
    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()  # type: ignore[attr-defined]
    texts = [t for t in figure.findobj(Text) if isinstance(t, Text) and t.get_text().strip()]
    heading = [t.get_window_extent(renderer) for t in figure.texts[:2]]  # title, subtitle
    assert figure.texts[0].get_text().startswith("Long Shared Service")
    badges = [t for t in texts if t.get_bbox_patch() is not None and t.get_text()[0].isdigit()]
    on_lanes = [t for t in badges if t not in figure.texts]
    assert 0 < len(on_lanes) <= KEY_LINES
    assert 2 * len(on_lanes) == len(badges)  # each has its line in the key
    for text in on_lanes:
        patch = text.get_bbox_patch()
        assert patch is not None
        box = patch.get_window_extent(renderer)
        for title_box in heading:
            assert not box.overlaps(title_box), (text.get_text(), box, title_box)
    labels = [t.get_text() for t in on_lanes]
    assert labels[0].startswith("1\N{EN DASH}")
    assert labels[-1].endswith("\N{EN DASH}150")


def test_no_two_labels_of_a_long_history_overlap(app: SharedServices) -> None:
    assert [] == _overlapping_texts(gather(app, build_long(app, 60)))
