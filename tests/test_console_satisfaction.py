"""The "Mức độ hài lòng" page for each role: rates, TT 01/2018 indices and grades by unit,
counter and officer, the criteria breakdown, comments; a commune supervisor sees only theirs."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from console_apptest import console_on, no_exception, open_page, shown_text
from console_world import World, make_world
from sqlalchemy import Engine


@pytest.fixture
def world(
    engine: Engine, db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[World]:
    w = make_world(engine)
    with console_on(db_url, tmp_path, monkeypatch):
        yield w


def _tables(at):  # type: ignore[no-untyped-def]
    """The page's tables by their tab: units, counters, officers, criteria, comments."""
    return [df.value for df in at.dataframe]


def test_inspector_sees_every_unit_with_indices_and_grades(world: World) -> None:
    at = open_page("satisfaction", world.users["thanhtra"])
    no_exception(at)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Số lượt đánh giá"] == "3"
    assert metrics["Tỷ lệ hài lòng"] == "66,7 %"
    units, counters, officers, criteria, said = _tables(at)
    assert set(units["Đơn vị"]) == {"UBND xã An Phú", "UBND phường Bình Minh"}
    an_phu = units[units["Đơn vị"] == "UBND xã An Phú"].iloc[0]
    # Index 1 from criterion a: (2 + 0) / 2 = 1,0; index 7 from đ: (2 + 1) / 2 = 1,5.
    assert (an_phu["Chỉ số 1"], an_phu["Chỉ số 7"]) == ("1,0", "1,5")
    # Prorated to 18 points: (1,0 + 1,5) × 18 / 4 = 11,3 → Khá.
    assert (an_phu["Tổng điểm (/18)"], an_phu["Xếp loại"]) == ("11,3", "Khá")
    assert list(counters["Quầy"]) == ["Quầy 1"]
    assert list(officers["Cán bộ"]) == ["Lê Văn Quầy"]
    assert list(criteria["Tiêu chí (NĐ 61/2018)"]) == [
        "a) Thời gian trả kết quả",
        "đ) Thái độ của cán bộ",
    ]
    assert list(said["Ý kiến"]) == ["An Phú phục vụ nhanh", "Bình Minh tạm được", "An Phú chờ lâu"]


def test_commune_supervisor_never_sees_another_communes_ratings(world: World) -> None:
    at = open_page("satisfaction", world.users["giamsat.b"])
    no_exception(at)
    assert "An Phú" not in shown_text(at)
    units, *_rest, said = _tables(at)
    assert list(units["Đơn vị"]) == ["UBND phường Bình Minh"]
    assert list(said["Ý kiến"]) == ["Bình Minh tạm được"]
    assert {m.label: m.value for m in at.metric}["Số lượt đánh giá"] == "1"


def test_comments_can_be_narrowed_to_the_unsatisfied(world: World) -> None:
    at = open_page("satisfaction", world.users["giamsat.a"])
    at.checkbox(key="satisfaction_bad").check().run()
    no_exception(at)
    said = at.dataframe[-1].value
    assert list(said["Ý kiến"]) == ["An Phú chờ lâu"]
    assert list(said["Đánh giá chung"]) == ["Không hài lòng"]


def test_an_empty_period_says_so(world: World) -> None:
    at = open_page("satisfaction", world.users["quantri"])
    start = world.now.date().replace(year=world.now.year - 1)
    at.date_input(key="satisfaction_from").set_value(start)
    at.date_input(key="satisfaction_to").set_value(start).run()
    no_exception(at)
    infos = [i.value for i in at.info]
    assert "Chưa có đánh giá nào trong kỳ." in infos
    assert "Chưa có câu trả lời theo tiêu chí trong kỳ." in infos
