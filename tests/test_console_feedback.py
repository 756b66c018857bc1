"""The "Phản ánh, góp ý" page for each role: urgent first, filters, a label corrected in place
(recorded as a correction), inspectors read-only, a commune supervisor sees only their commune."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from console_apptest import button, console_on, no_exception, open_page, shown_text
from console_world import World, make_world
from sqlalchemy import Engine, select

from monitor.db import session_scope
from monitor.models import Feedback, LabelCorrection


@pytest.fixture
def world(
    engine: Engine, db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[World]:
    w = make_world(engine)
    with console_on(db_url, tmp_path, monkeypatch):
        yield w


def test_inspector_sees_all_feedback_urgent_first_and_cannot_correct(world: World) -> None:
    at = open_page("feedback", world.users["thanhtra"])
    no_exception(at)
    table = at.dataframe[0].value
    assert len(table) == 5
    assert list(table["Khẩn"][:2]) == ["🔴 Khẩn", "🔴 Khẩn"]
    assert list(table["Số"][:2]) == [world.feedback["b_fees"], world.feedback["a_urgent"]]
    assert "Tiêu cực, nhũng nhiễu" in set(table["Chủ đề"])
    assert {m.label: m.value for m in at.metric}["Số phản ánh"] == "5"
    assert "Tài khoản thanh tra chỉ được xem, không sửa nhãn." in [i.value for i in at.info]
    assert not [b for b in at.button if b.label == "Lưu nhãn"]
    assert at.get("vega_lite_chart")  # the weekly topic trend


def test_commune_supervisor_never_sees_another_communes_feedback(world: World) -> None:
    at = open_page("feedback", world.users["giamsat.a"])
    no_exception(at)
    text = shown_text(at)
    assert "Bình Minh" not in text
    table = at.dataframe[0].value
    assert len(table) == 3 and all("An Phú" in t for t in table["Nội dung"])
    options = at.selectbox(key="feedback_pick").options
    assert len(options) == 3 and all("An Phú" in o for o in options)
    assert {m.label: m.value for m in at.metric}["Số phản ánh"] == "3"


def test_supervisor_corrects_a_topic_in_place(engine: Engine, world: World) -> None:
    fid, user = world.feedback["a_slow"], world.users["giamsat.a"]
    at = open_page("feedback", user)
    at.selectbox(key="feedback_pick").set_value(fid).run()
    at.selectbox(key=f"feedback_fix_{fid}_topic").set_value("procedure")
    button(at, "Lưu nhãn").click().run()
    no_exception(at)
    assert any(f"phản ánh số {fid}" in s.value for s in at.success)
    with session_scope(engine) as s:
        fb = s.get(Feedback, fid)
        assert fb is not None and fb.human_topic == "procedure"
        rows = s.execute(
            select(
                LabelCorrection.label,
                LabelCorrection.old_value,
                LabelCorrection.new_value,
                LabelCorrection.user_id,
            )
        ).all()
    assert [tuple(r) for r in rows] == [("topic", "processing_time", "procedure", user.user_id)]
    table = at.dataframe[0].value
    corrected = table[table["Số"] == fid].iloc[0]
    assert (corrected["Chủ đề"], corrected["Đã sửa"]) == ("Thủ tục, giấy tờ", "✔")


def test_saving_unchanged_labels_records_nothing(engine: Engine, world: World) -> None:
    at = open_page("feedback", world.users["giamsat.a"])
    button(at, "Lưu nhãn").click().run()
    assert "Không có nhãn nào thay đổi." in [i.value for i in at.info]
    with session_scope(engine) as s:
        assert s.execute(select(LabelCorrection.id)).first() is None


def test_admin_corrects_feedback_of_any_commune(engine: Engine, world: World) -> None:
    fid = world.feedback["b_fees"]
    at = open_page("feedback", world.users["quantri"])
    at.selectbox(key="feedback_pick").set_value(fid).run()
    at.selectbox(key=f"feedback_fix_{fid}_urgent").set_value("no")
    button(at, "Lưu nhãn").click().run()
    no_exception(at)
    with session_scope(engine) as s:
        fb = s.get(Feedback, fid)
        assert fb is not None and fb.human_urgent is False
    assert "Lịch sử sửa nhãn" in [c.value for c in at.caption]


def test_filters_by_topic_sentiment_and_urgency(world: World) -> None:
    at = open_page("feedback", world.users["thanhtra"])
    at.multiselect(key="feedback_topics").set_value(["fees", "processing_time"]).run()
    assert set(at.dataframe[0].value["Chủ đề"]) == {"Phí, lệ phí", "Thời gian giải quyết, trễ hẹn"}
    at.multiselect(key="feedback_topics").set_value([])
    at.multiselect(key="feedback_sentiments").set_value(["positive"]).run()
    assert list(at.dataframe[0].value["Nội dung"]) == ["Cán bộ An Phú hướng dẫn tận tình"]
    at.multiselect(key="feedback_sentiments").set_value([])
    at.checkbox(key="feedback_urgent").check().run()
    assert len(at.dataframe[0].value) == 2


def test_nothing_to_show_says_so(world: World) -> None:
    at = open_page("feedback", world.users["thanhtra"])
    at.multiselect(key="feedback_topics").set_value(["facilities"]).run()
    no_exception(at)
    assert "Không có phản ánh nào trong phạm vi và bộ lọc đã chọn." in [i.value for i in at.info]


def test_signed_out_visitors_see_nothing(world: World) -> None:
    at = open_page("feedback", None)
    no_exception(at)
    assert not at.dataframe and not at.title
