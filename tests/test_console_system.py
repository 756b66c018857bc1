"""The "Dữ liệu & hệ thống" page: inspectors and admins only; sources, batches and quarantined
rows (raw rows for admins only), job runs, the audit log; admins also manage kiosks."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from console_apptest import ROOT, button, console_on, no_exception, open_page, shown_text
from console_world import add_users
from reports_helpers import make_province
from sqlalchemy import Engine, select
from streamlit.testing.v1 import AppTest

from console.session import SignedIn
from monitor import audit
from monitor.db import session_scope
from monitor.jobruns import run_recorded
from monitor.models import AuditEntry, ImportBatch, KioskDevice, QuarantinedRow, Source, utcnow
from surveys.devices import add_device

RAW = '{"MaHoSo": "X-1", "ChuHoSo": "Nguyễn Văn Riêng Tư"}'


@dataclass
class Site:
    users: dict[str, SignedIn]
    device_id: int
    batch_id: int


@pytest.fixture
def site(
    engine: Engine, db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Site]:
    p = make_province(engine)
    users = add_users(engine, p)
    with session_scope(engine) as s:
        s.add(Source(name="tinh-http", kind="http", url="http://127.0.0.1:9/api"))
        src = s.scalars(select(Source).where(Source.name == "dvc")).one()
        batch = ImportBatch(
            source_id=src.id,
            location="ho-so.csv",
            file_format="csv",
            status="success",
            inserted=4,
            quarantined=1,
        )
        s.add(batch)
        s.flush()
        s.add(
            QuarantinedRow(
                batch_id=batch.id,
                line_no=5,
                reason="bad_date",
                message="NgayTiepNhan không hợp lệ",
                raw=RAW,
            )
        )
        device, _token = add_device(
            s,
            "Kiosk quầy 1",
            "H56.X1",
            counter="Quầy 1",
            officer_code=None,
            actor="test",
            now=utcnow(),
        )
        for i in range(60):
            audit.record(s, "cli:root", "calendar.add", f"calendar_days:*:{i}")
        batch_id = batch.id
    run_recorded(engine, "evaluate", lambda: {"evaluated": 7})
    with console_on(db_url, tmp_path, monkeypatch):
        yield Site(users, device.id, batch_id)


def test_supervisors_are_turned_away(site: Site) -> None:
    at = open_page("system", site.users["giamsat.a"])
    no_exception(at)
    assert [e.value for e in at.error] == ["Trang này dành cho thanh tra và quản trị viên."]
    assert not at.dataframe and not at.tabs


def test_inspector_sees_data_health_without_raw_personal_data(site: Site) -> None:
    at = open_page("system", site.users["thanhtra"])
    no_exception(at)
    assert [t.label for t in at.tabs] == [
        "Nguồn dữ liệu",
        "Lô nhập, dòng cách ly",
        "Lượt chạy công việc",
        "Nhật ký kiểm toán",
    ]
    text = shown_text(at)
    assert "tinh-http" in text and "Quá hạn chưa nhận dữ liệu" in text
    assert "NgayTiepNhan không hợp lệ" in text and "bad_date: 1" in text
    assert "Nguyễn Văn Riêng Tư" not in text
    jobs = next(df.value for df in at.dataframe if "Công việc" in df.value.columns)
    assert list(jobs["Số liệu"]) == ['{"evaluated": 7}']
    assert list(jobs["Kết quả"]) == ["Thành công"]
    assert "Kiosk quầy 1" not in text  # device management is the admin's


def test_admin_sees_raw_quarantined_rows_accounts_kiosks_and_calendar(site: Site) -> None:
    at = open_page("system", site.users["quantri"])
    no_exception(at)
    assert [t.label for t in at.tabs][4:] == ["Tài khoản", "Thiết bị kiosk", "Lịch làm việc"]
    text = shown_text(at)
    assert "Nguyễn Văn Riêng Tư" in text
    assert "giamsat.a" in text and "Giám sát" in text
    assert "Kiosk quầy 1" in text


def test_audit_log_is_paged_and_filtered(site: Site) -> None:
    at = open_page("system", site.users["thanhtra"])
    assert any(c.value.startswith("Trang 1/2 · 61 bản ghi") for c in at.caption)
    at.number_input(key="audit_page").set_value(2).run()
    assert any(c.value.startswith("Trang 2/2") for c in at.caption)
    at.selectbox(key="audit_action").set_value("kiosk.add")
    at.number_input(key="audit_page").set_value(1).run()
    no_exception(at)
    audit_table = at.dataframe[-1].value
    assert list(audit_table["Thao tác"]) == ["kiosk.add"]
    assert list(audit_table["Người thực hiện"]) == ["test"]


def test_admin_revokes_a_kiosk_after_confirming(engine: Engine, site: Site) -> None:
    at = open_page("system", site.users["quantri"])
    button(at, "Thu hồi").click().run()
    assert "Hãy đánh dấu xác nhận trước khi thu hồi." in [w.value for w in at.warning]
    at.checkbox[0].check()
    button(at, "Thu hồi").click().run()
    no_exception(at)
    assert f"Đã thu hồi thiết bị số {site.device_id}." in [s.value for s in at.success]
    with session_scope(engine) as s:
        device = s.get(KioskDevice, site.device_id)
        assert device is not None and device.revoked_at is not None
        actor = s.scalar(select(AuditEntry.actor).where(AuditEntry.action == "kiosk.revoke"))
    assert actor == "quantri"
    assert not [b for b in at.button if b.label == "Thu hồi"]  # nothing left to revoke


def test_the_navigation_offers_the_page_to_inspectors_and_admins_only(site: Site) -> None:
    for name, offered in (("giamsat.a", False), ("thanhtra", True), ("quantri", True)):
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
        at.session_state["user"] = site.users[name]
        at.session_state["last_seen"] = utcnow()
        at.run()
        if not offered:
            with pytest.raises(ValueError, match="navigation page"):
                at.switch_page("console/system.py")
            continue
        at.switch_page("console/system.py").run()
        no_exception(at)
        assert [t.value for t in at.title] == ["Dữ liệu & hệ thống"]
