"""The overview page under AppTest, for each role: the figures of the person's scope, the
charts, and a commune supervisor who sees only the commune."""

from __future__ import annotations

import json

import pytest
from console_pages import console, make_world, open_page, page_text  # noqa: F401
from sqlalchemy import Engine

PAGE = "overview.py"


@pytest.fixture
def world(console: str, engine: Engine):  # noqa: F811
    return make_world(engine)


def _metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


@pytest.mark.parametrize("role", ["quantri", "thanhtra"])
def test_admins_and_inspectors_see_the_whole_province(world, role: str) -> None:
    at = open_page(PAGE, world.users[role])
    m = _metrics(at)
    assert m["Đang quá hạn"] == "3"  # XA-A, XA-B and the land office
    assert m["Sắp đến hạn"] == "1"
    assert at.selectbox(key="overview_unit").options[0] == "Tất cả đơn vị"
    assert len(at.get("vega_lite_chart")) == 2


def test_a_commune_supervisor_sees_only_the_commune(world) -> None:
    at = open_page(PAGE, world.users["giamsat.a"])
    m = _metrics(at)
    assert (m["Đang quá hạn"], m["Sắp đến hạn"]) == ("1", "1")
    # Received in the last 30 days at commune A: XA-A-SAPDEN and XA-A-XONG (online).
    assert m["Hồ sơ tiếp nhận mới"] == "2"
    assert m["Nộp trực tuyến"] == "50,0 %"
    assert m["Tỷ lệ hài lòng"] == "100,0 %"
    units = at.selectbox(key="overview_unit").options
    assert units == ["Toàn bộ đơn vị được giao", "UBND xã An Phú"]
    text = page_text(at)
    assert "Bình Minh" not in text and "Sở Nông nghiệp" not in text
    assert "Cấp xã" in text and "Cấp tỉnh" not in text  # the online share per level


def test_the_other_commune_gets_its_own_figures(world) -> None:
    m = _metrics(open_page(PAGE, world.users["giamsat.b"]))
    assert (m["Đang quá hạn"], m["Sắp đến hạn"], m["Hồ sơ tiếp nhận mới"]) == ("1", "0", "0")


def test_the_trend_charts_are_in_vietnamese(world) -> None:
    at = open_page(PAGE, world.users["thanhtra"])
    specs = [json.loads(c.proto.spec) for c in at.get("vega_lite_chart")]
    assert all(s["config"]["locale"]["number"]["decimal"] == "," for s in specs)
    text = json.dumps(specs, ensure_ascii=False)
    assert "Giải quyết đúng hạn" in text and "Tiếp nhận" in text


def test_picking_a_unit_narrows_the_figures(world) -> None:
    at = open_page(PAGE, world.users["quantri"])
    box = at.selectbox(key="overview_unit")
    label = next(o for o in box.options if o == "UBND phường Bình Minh")
    box.select(label).run()
    assert not at.exception
    assert _metrics(at)["Đang quá hạn"] == "1"


def test_without_a_session_the_page_shows_nothing(console: str) -> None:  # noqa: F811
    at = open_page(PAGE, None)
    assert not at.metric and not at.title
