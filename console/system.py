"""Dữ liệu & hệ thống (inspectors and admins): source freshness, import batches and quarantined
rows, job runs, the audit log; for admins also accounts, kiosk devices and calendar overrides."""

from __future__ import annotations

import json

import pandas as pd
import streamlit as st

from console.resources import get_engine
from console.session import SignedIn, current_user
from monitor import vi_format
from monitor.db import session_scope
from monitor.metrics import system_data as sd
from monitor.models import utcnow
from surveys.devices import DeviceError, list_devices, revoke_device

ANY = ""  # "no filter" in the selectboxes
AUDIT_PAGE_SIZE = 50
OUTCOME_VI = {"success": "Thành công", "failed": "Lỗi", "running": "Đang chạy"}
ROLE_VI = {"supervisor": "Giám sát", "inspector": "Thanh tra", "admin": "Quản trị"}


def table(rows: list[dict[str, object]], empty: str) -> None:
    if rows:
        st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
    else:
        st.info(empty)


def sources() -> None:
    rows = sd.source_freshness(get_engine(), utcnow())
    table(
        [
            {
                "Nguồn": r.name,
                "Loại": r.kind,
                "Địa chỉ": r.url,
                "Chu kỳ (phút)": vi_format.integer(r.expected_minutes),
                "Nhận thành công lần cuối": vi_format.moment(r.last_success_at),
                "Thử lần cuối": vi_format.moment(r.last_attempt_at),
                "Tình trạng": sd.FRESHNESS_VI[r.state],
                "Lỗi gần nhất": r.last_error,
            }
            for r in rows
        ],
        "Chưa có nguồn dữ liệu nào.",
    )


def batches(user: SignedIn) -> None:
    engine = get_engine()
    rows = sd.import_batches(engine)
    table(
        [
            {
                "Lô": b.id,
                "Nguồn": b.source,
                "Loại": b.kind,
                "Tệp / địa chỉ": b.location,
                "Bắt đầu": vi_format.moment(b.started_at),
                "Kết thúc": vi_format.moment(b.finished_at),
                "Kết quả": OUTCOME_VI.get(b.status, b.status),
                "Thêm": vi_format.integer(b.inserted),
                "Cập nhật": vi_format.integer(b.updated),
                "Không đổi": vi_format.integer(b.unchanged),
                "Cách ly": vi_format.integer(b.quarantined),
                "Lỗi": b.error,
            }
            for b in rows
        ],
        "Chưa có lô nhập nào.",
    )
    with_quarantine = [b for b in rows if b.quarantined]
    if not with_quarantine:
        return
    st.markdown("**Dòng bị cách ly**")
    batch_id = st.selectbox(
        "Lô nhập",
        [b.id for b in with_quarantine],
        format_func=lambda i: f"Lô {i}",
        key="system_batch",
    )
    reasons = sd.quarantine_reasons(engine, batch_id)
    st.caption(" · ".join(f"{r}: {vi_format.integer(n)}" for r, n in reasons))
    show_raw = user.role == "admin"
    table(
        [
            {
                "Dòng": q.line_no,
                "Lý do": q.reason,
                "Chi tiết": q.message,
                **({"Dữ liệu gốc": q.raw} if show_raw else {}),
            }
            for q in sd.quarantined_rows(engine, batch_id)
        ],
        "",
    )
    if not show_raw:
        st.caption("Dữ liệu gốc có thông tin cá nhân: chỉ quản trị viên được xem.")


def jobs() -> None:
    engine = get_engine()
    job = st.selectbox(
        "Công việc",
        [ANY, *sd.job_ids(engine)],
        format_func=lambda j: j or "Tất cả",
        key="system_job",
    )
    table(
        [
            {
                "Công việc": r.job_id,
                "Bắt đầu": vi_format.moment(r.started_at),
                "Thời gian (giây)": "" if r.seconds is None else vi_format.decimal(r.seconds),
                "Kết quả": OUTCOME_VI.get(r.outcome, r.outcome),
                "Số liệu": json.dumps(r.counts, ensure_ascii=False) if r.counts else "",
                "Lỗi": r.error,
            }
            for r in sd.job_runs(engine, job or None)
        ],
        "Chưa có lượt chạy nào.",
    )


def audit_filter() -> sd.AuditFilter:
    actors, actions = sd.audit_choices(get_engine())
    c1, c2, c3 = st.columns(3)
    actor = c1.selectbox(
        "Người thực hiện", [ANY, *actors], format_func=lambda a: a or "Tất cả", key="audit_actor"
    )
    action = c2.selectbox(
        "Thao tác", [ANY, *actions], format_func=lambda a: a or "Tất cả", key="audit_action"
    )
    target = c3.text_input("Đối tượng chứa", key="audit_target")
    d1, d2 = st.columns(2)
    start = d1.date_input("Từ ngày", value=None, format="DD/MM/YYYY", key="audit_from")
    end = d2.date_input("Đến ngày", value=None, format="DD/MM/YYYY", key="audit_to")
    return sd.AuditFilter(start, end, actor, action, target.strip())


def audit() -> None:
    flt = audit_filter()
    page_no = st.number_input("Trang", min_value=1, value=1, step=1, key="audit_page")
    page = sd.audit_page(get_engine(), flt, int(page_no), AUDIT_PAGE_SIZE)
    st.caption(
        f"Trang {page.page}/{page.pages} · {vi_format.integer(page.total)} bản ghi, mới nhất trước."
    )
    table(
        [
            {
                "Lúc": vi_format.moment(r.at),
                "Người thực hiện": r.actor,
                "Thao tác": r.action,
                "Đối tượng": r.target,
                "Chi tiết": json.dumps(r.detail, ensure_ascii=False) if r.detail else "",
            }
            for r in page.rows
        ],
        "Không có bản ghi nào khớp bộ lọc.",
    )


def accounts() -> None:
    table(
        [
            {
                "Tài khoản": u.username,
                "Họ tên": u.full_name,
                "Vai trò": ROLE_VI.get(u.role, u.role),
                "Đơn vị": u.unit,
                "Hoạt động": "✔" if u.active else "",
                "Khóa đến": vi_format.moment(u.locked_until),
                "Đăng nhập lần cuối": vi_format.moment(u.last_login_at),
            }
            for u in sd.users(get_engine())
        ],
        "Chưa có tài khoản nào.",
    )
    st.caption("Thêm tài khoản, đổi mật khẩu: `motcua users add|passwd`.")


def kiosks(user: SignedIn) -> None:
    with session_scope(get_engine()) as s:
        devices = list_devices(s)
    table(
        [
            {
                "Số": d.id,
                "Tên": d.name,
                "Đơn vị": d.unit_name,
                "Quầy": d.counter or "",
                "Cán bộ": d.officer_name or "",
                "Đăng ký lúc": vi_format.moment(d.created_at),
                "Hoạt động lần cuối": vi_format.moment(d.last_seen_at),
                "Thu hồi lúc": vi_format.moment(d.revoked_at),
            }
            for d in devices
        ],
        "Chưa có thiết bị kiosk nào (thêm bằng `motcua kiosks add`).",
    )
    active = {d.id: d.name for d in devices if d.active}
    if not active:
        return
    with st.form("kiosk_revoke"):
        device_id = st.selectbox(
            "Thiết bị cần thu hồi", list(active), format_func=lambda i: f"{i} · {active[i]}"
        )
        sure = st.checkbox("Tôi xác nhận thu hồi: thiết bị sẽ không gửi được đánh giá nữa")
        go = st.form_submit_button("Thu hồi")
    if go:
        revoke(user, device_id, sure)


def revoke(user: SignedIn, device_id: int, sure: bool) -> None:
    if not sure:
        st.warning("Hãy đánh dấu xác nhận trước khi thu hồi.")
        return
    try:
        with session_scope(get_engine()) as s:
            revoke_device(s, device_id, actor=user.username, now=utcnow())
    except DeviceError as exc:
        st.error(str(exc))
        return
    st.session_state["system_flash"] = f"Đã thu hồi thiết bị số {device_id}."
    st.rerun()


def calendar() -> None:
    table(
        [
            {"Ngày": vi_format.day(o.day), "Loại": o.kind, "Phạm vi": o.scope, "Ghi chú": o.note}
            for o in sd.calendar_overrides(get_engine())
        ],
        "Chưa có ngày điều chỉnh nào.",
    )
    st.caption("Thêm, bỏ ngày điều chỉnh: `motcua calendar add|remove`.")


user = current_user()
if user is None:
    st.stop()
st.title("Dữ liệu & hệ thống")
if user.role not in ("inspector", "admin"):
    st.error("Trang này dành cho thanh tra và quản trị viên.")
    st.stop()
if flash := st.session_state.pop("system_flash", None):
    st.success(flash)
names = ["Nguồn dữ liệu", "Lô nhập, dòng cách ly", "Lượt chạy công việc", "Nhật ký kiểm toán"]
if user.role == "admin":
    names += ["Tài khoản", "Thiết bị kiosk", "Lịch làm việc"]
tabs = st.tabs(names)
with tabs[0]:
    sources()
with tabs[1]:
    batches(user)
with tabs[2]:
    jobs()
with tabs[3]:
    audit()
if user.role == "admin":
    with tabs[4]:
        accounts()
    with tabs[5]:
        kiosks(user)
    with tabs[6]:
        calendar()
