"""The alert inbox under AppTest, for each role: the alerts of the person's scope, acknowledge
with a note from a link (``?id=N``), bulk acknowledge, silence with a reason and an end,
resolve, the history, and inspectors who may only read."""

from __future__ import annotations

import pytest
from console_pages import console, make_world, open_page, page_text  # noqa: F401
from sqlalchemy import Engine

from alerts import texts
from monitor.db import session_scope
from monitor.models import Alert, AuditEntry

PAGE = "alerts_inbox.py"


@pytest.fixture
def world(console: str, engine: Engine):  # noqa: F811
    return make_world(engine)


def _listed(at) -> list[str]:
    return [t.split(" ")[2] for t in at.dataframe[0].value["Nội dung"]]  # "Hồ sơ <code> …"


def _alert(engine: Engine, alert_id: int) -> Alert:
    with session_scope(engine) as s:
        a = s.get(Alert, alert_id)
        assert a is not None
        s.expunge(a)
        return a


@pytest.mark.parametrize("role", ["quantri", "thanhtra"])
def test_admins_and_inspectors_see_every_alert(world, role: str) -> None:
    at = open_page(PAGE, world.users[role])
    assert sorted(_listed(at)) == ["SO-QUAHAN", "XA-A-QUAHAN", "XA-B-QUAHAN"]
    assert {m.label: m.value for m in at.metric}["Đang mở"] == "3"


def test_a_commune_supervisor_sees_only_the_communes_alerts(world) -> None:
    at = open_page(PAGE, world.users["giamsat.a"])
    assert _listed(at) == ["XA-A-QUAHAN"]
    other = world.alerts["XA-B-QUAHAN"]
    at = open_page(PAGE, world.users["giamsat.a"], {"id": str(other)})
    assert f"Không tìm thấy cảnh báo số {other} trong phạm vi được giao." in page_text(at)
    assert "XA-B-QUAHAN" not in page_text(at)


def test_inspectors_only_read(world) -> None:
    at = open_page(PAGE, world.users["thanhtra"], {"id": str(world.alerts["XA-B-QUAHAN"])})
    assert next(s.value for s in at.subheader).startswith("Cảnh báo #")
    assert "Lịch sử" in page_text(at)
    assert not at.button and not at.text_area
    assert not [w for w in at.multiselect if w.key == "alerts_pick"]


def test_acknowledge_from_a_link_with_a_note(world, engine: Engine) -> None:
    alert_id = world.alerts["XA-A-QUAHAN"]
    at = open_page(PAGE, world.users["giamsat.a"], {"id": str(alert_id)})
    assert "Xem tiến trình hồ sơ XA-A-QUAHAN" in page_text(at)
    at.button(key=f"one{alert_id}_ack").click().run()
    assert [e.value for e in at.error] == [f"#{alert_id}: {texts.NOTE_REQUIRED}"]
    assert _alert(engine, alert_id).state == "open"
    at.text_area(key=f"one{alert_id}_note").input("Đã giao công chức địa chính").run()
    at.button(key=f"one{alert_id}_ack").click().run()
    assert not at.exception
    assert f"Đã xác nhận 1 cảnh báo: #{alert_id}." in page_text(at)
    a = _alert(engine, alert_id)
    assert (a.state, a.ack_actor, a.ack_note) == (
        "acknowledged",
        "user:giamsat.a",
        "Đã giao công chức địa chính",
    )
    history = next(df.value for df in at.dataframe if "Sự kiện" in df.value.columns)
    assert list(history["Sự kiện"]) == ["Phát sinh cảnh báo", "Xác nhận xử lý"]


def test_bulk_acknowledge_several_alerts(world, engine: Engine) -> None:
    at = open_page(PAGE, world.users["quantri"])
    ids = [world.alerts["XA-B-QUAHAN"], world.alerts["SO-QUAHAN"]]
    pick = at.multiselect(key="alerts_pick")
    for alert_id in ids:
        pick.select(alert_id)
    pick.run()
    at.text_area(key="bulk_note").input("Kiểm tra hàng loạt").run()
    at.button(key="bulk_ack").click().run()
    assert not at.exception
    assert "Đã xác nhận 2 cảnh báo" in page_text(at)
    assert [_alert(engine, i).state for i in ids] == ["acknowledged", "acknowledged"]
    assert _alert(engine, world.alerts["XA-A-QUAHAN"]).state == "open"


def test_silence_with_a_reason_until_a_time_then_resolve(world, engine: Engine) -> None:
    alert_id = world.alerts["XA-A-QUAHAN"]
    at = open_page(PAGE, world.users["giamsat.a"], {"id": str(alert_id)})
    at.text_input(key=f"one{alert_id}_reason").input("Chờ công dân bổ sung").run()
    at.button(key=f"one{alert_id}_silence").click().run()
    a = _alert(engine, alert_id)
    assert (a.state, a.silence_reason, a.silenced_by) == (
        "silenced",
        "Chờ công dân bổ sung",
        "user:giamsat.a",
    )
    assert a.silenced_until is not None
    at.button(key=f"one{alert_id}_resolve").click().run()
    assert _alert(engine, alert_id).state == "resolved"
    with session_scope(engine) as s:
        actions = [e.action for e in s.query(AuditEntry).filter_by(target=f"alert:{alert_id}")]
    assert actions == ["alert.opened", "alert.silenced", "alert.resolved"]
    assert not [b for b in at.button if b.key == f"one{alert_id}_ack"]  # resolved: no actions


def test_filters_by_state(world, engine: Engine) -> None:
    at = open_page(PAGE, world.users["quantri"])
    at.multiselect(key="alerts_states").set_value(["resolved"]).run()
    assert not at.exception and not at.dataframe
    assert "Không có cảnh báo nào khớp bộ lọc." in page_text(at)
