"""Báo cáo: Biểu II.06a, the late-dossier register and the satisfaction report as downloads
(XLSX, PDF, CSV). Every export is audited; personal data are masked unless the person is an
admin; a supervisor reports on their own subtree only."""

from __future__ import annotations

import streamlit as st

from console.filters import period_picker
from console.resources import get_engine, get_settings
from console.session import SignedIn, current_user
from monitor import vi_format
from monitor.models import utcnow
from monitor.reports import texts as T
from monitor.reports.downloads import (
    MIME_TYPES,
    REPORT_NAMES_VI,
    Download,
    build_download,
    console_scope,
)
from monitor.reports.period import Period, ReportInputError
from monitor.units import unit_choices

FORMAT_NAMES = {"xlsx": "Excel (XLSX)", "pdf": "PDF", "csv": "CSV"}
WHOLE_PROVINCE = 0  # the unit choice meaning "no unit: the whole province"


def unit_choice(user: SignedIn) -> int | None:
    """One unit (its subtree is reported); inspectors and admins may also pick the province."""
    scope = user.unit_scope()
    choices = dict(unit_choices(get_engine(), scope))
    options = list(choices) if scope is not None else [WHOLE_PROVINCE, *choices]
    labels = {WHOLE_PROVINCE: T.SCOPE_ALL, **choices}
    if not options:
        st.error("Tài khoản chưa được gắn đơn vị nào còn hoạt động.")
        st.stop()
    start = options.index(user.unit_id) if user.unit_id in options else 0
    picked = st.selectbox(
        "Đơn vị báo cáo (gồm các đơn vị trực thuộc)",
        options,
        index=start,
        format_func=labels.__getitem__,
        key="reports_unit",
    )
    return None if picked == WHOLE_PROVINCE else picked


def make(
    user: SignedIn, kind: str, fmt: str, period: Period, unit_id: int | None, receiver: str
) -> Download | None:
    engine = get_engine()
    try:
        scope = console_scope(engine, unit_id, user.unit_scope())
        return build_download(
            engine,
            get_settings(),
            kind,
            fmt,
            period,
            scope,
            actor=user.username,
            masked=user.role != "admin",
            now=utcnow(),
            receiver=receiver,
        )
    except ReportInputError as exc:
        st.error(str(exc))
        return None


def offer(download: Download) -> None:
    st.success(
        f"Đã tạo {download.file_name}: {vi_format.integer(download.rows)} dòng dữ liệu. "
        "Việc xuất đã được ghi vào nhật ký kiểm toán."
    )
    st.caption(f"SHA-256 dữ liệu: `{download.sha256}` (kiểm tra bằng `motcua report verify`).")
    st.download_button(
        "Tải xuống",
        data=download.data,
        file_name=download.file_name,
        mime=download.mime,
        key="reports_download_button",
    )


user = current_user()
if user is None:
    st.stop()
st.title("Báo cáo")
kind = st.radio(
    "Báo cáo", list(REPORT_NAMES_VI), format_func=REPORT_NAMES_VI.__getitem__, key="reports_kind"
)
period = period_picker("reports")
unit_id = unit_choice(user)
receiver = T.DEFAULT_RECEIVER
if kind == "06a":
    receiver = st.text_input(
        "Đơn vị nhận báo cáo", value=T.DEFAULT_RECEIVER, key="reports_receiver"
    )
fmt = st.radio(
    "Định dạng",
    list(MIME_TYPES),
    format_func=FORMAT_NAMES.__getitem__,
    horizontal=True,
    key="reports_format",
)
if user.role != "admin" and kind == "register":
    st.caption("Họ tên và số điện thoại của người nộp hồ sơ được che (chỉ quản trị viên xem đủ).")
if kind == "register" and fmt == "pdf":
    st.caption("Sổ dài xuất PDF có thể mất vài chục giây; XLSX và CSV nhanh hơn nhiều.")

params = (kind, fmt, period, unit_id, receiver)
if st.button("Tạo báo cáo", type="primary"):
    with st.spinner("Đang lập báo cáo…"):
        made = make(user, kind, fmt, period, unit_id, receiver)
    if made is not None:
        st.session_state["reports_made"] = (params, made)
kept = st.session_state.get("reports_made")
if kept is not None and kept[0] == params:
    offer(kept[1])
