"""Layout of one dossier's timeline (used by the late-dossier page): dates and verdict, the
steps against their allotted time with late steps highlighted, supplement requests, apology
letters, the rating and the status history."""

from __future__ import annotations

from datetime import datetime

import pandas as pd
import streamlit as st
from pandas.io.formats.style import Styler

from monitor import vi_format
from monitor.calendar import from_instant
from monitor.enums import STATUS_NAMES_VI, DossierStatus
from monitor.metrics import charts
from monitor.metrics import vi_labels as L
from monitor.metrics.timeline import Timeline, gantt_bars

LATE_ROW = "background-color: #fde0dc"


def _when(t: datetime | None) -> str:
    return vi_format.moment(t) if t else ""


def steps_frame(t: Timeline) -> Styler:
    frame = pd.DataFrame(
        [
            {
                "Bước": s.seq,
                "Đơn vị xử lý": s.unit,
                "Cán bộ": s.officer or "",
                "Nội dung": s.content or "",
                "Bắt đầu": _when(s.started_at),
                "Hạn của bước": _when(s.deadline_at),
                "Hoàn thành": _when(s.done_at),
                "Kết quả": s.verdict,
                "Trễ": "⚠️" if s.late else "",
            }
            for s in t.steps
        ]
    )
    late = [s.late for s in t.steps]
    return frame.style.apply(lambda row: [LATE_ROW if late[row.name] else ""] * len(row), axis=1)


def _status_name(code: int | None) -> str:
    if code is None:
        return ""
    try:
        return STATUS_NAMES_VI[DossierStatus(code)]
    except ValueError:
        return str(code)


def show_summary(t: Timeline) -> None:
    ev = t.evaluation
    c1, c2, c3, c4 = st.columns(4)
    c1.metric("Tình trạng hạn xử lý", t.due_status_text or "–")
    c2.metric("Số ngày làm việc trễ", vi_format.integer(ev.days_late) if ev else "–")
    reset = _reset(t)
    c3.metric(
        "Hạn trả",
        vi_format.day(_due(t)) or "–",
        f"hẹn lại {vi_format.day(reset)}" if reset else None,
        delta_color="off",
    )
    c4.metric("Trạng thái hồ sơ", t.status_text)
    st.markdown(
        f"**{t.procedure}**  \n"
        f"Lĩnh vực: {t.field} · Đơn vị giải quyết: {t.unit} · Nơi tiếp nhận: {t.receiving_unit}"
        f" · Kênh: {L.CHANNELS.get(t.channel, str(t.channel))}  \n"
        f"Tiếp nhận: {_when(t.received_at)} · Hẹn trả (nguồn): {_when(t.source_due_at)}"
        f" · Kết thúc xử lý: {_when(t.finished_at) or 'chưa'}"
        f" · Trả kết quả: {_when(t.returned_at) or 'chưa'}"
    )
    a = t.applicant
    note = " (đã che thông tin cá nhân)" if a.masked else ""
    st.markdown(
        f"Chủ hồ sơ: {a.name or '–'} · Điện thoại: {a.phone or '–'} · "
        f"Giấy tờ: {a.id_number or '–'} · Thư điện tử: {a.email or '–'}{note}"
    )
    if t.responsible_units:
        st.error("Đơn vị chịu trách nhiệm về chậm trễ: " + ", ".join(t.responsible_units))
    for text in t.breach_texts:
        st.warning(f"Vi phạm: {text}")


def _due(t: Timeline) -> datetime | None:
    """The appointment lateness is judged against (supplement requests included)."""
    ev = t.evaluation
    if ev is None or ev.due_at is None:
        return t.source_due_at
    return from_instant(ev.due_at)


def _reset(t: Timeline) -> datetime | None:
    """The new return date of a valid apology letter, if it moved the date."""
    ev = t.evaluation
    if ev is None or ev.effective_due_at is None or ev.effective_due_at == ev.due_at:
        return None
    return from_instant(ev.effective_due_at)


def show_steps(t: Timeline, now: datetime) -> None:
    st.markdown("**Quá trình xử lý** (mỗi bước so với thời hạn được giao)")
    if not t.steps:
        st.caption("Nguồn dữ liệu không gửi quá trình xử lý của hồ sơ này.")
        return
    bars = gantt_bars(t, now)
    if bars:
        st.altair_chart(charts.timeline_chart(bars), width="stretch")
    st.dataframe(steps_frame(t), hide_index=True, width="stretch")


def show_children(t: Timeline) -> None:
    if t.supplements:
        st.markdown("**Yêu cầu bổ sung**")
        rows = [
            {
                "Lần": x.seq,
                "Ngày yêu cầu": _when(x.requested_at),
                "Ngày nhận bổ sung": _when(x.completed_at) or "chưa",
                "Hẹn trả trước": _when(x.previous_due_at),
                "Hẹn trả mới": _when(x.new_due_at),
            }
            for x in t.supplements
        ]
        st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
    if t.apologies:
        st.markdown("**Phiếu xin lỗi và hẹn lại ngày trả kết quả**")
        rows = [
            {
                "Lần": x.seq,
                "Ngày ban hành": _when(x.issued_at),
                "Ngày hẹn lại": _when(x.new_due_at),
                "Thời điểm": "–"
                if x.in_time is None
                else (L.APOLOGY_IN_TIME if x.in_time else L.APOLOGY_TOO_LATE),
                "Lý do": x.reason or "",
            }
            for x in t.apologies
        ]
        st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
    show_rating(t)
    if t.events:
        with st.expander("Lịch sử trạng thái"):
            rows = [
                {"Thời điểm": _when(e.at), "Sự kiện": e.kind, "Trạng thái": _status_name(e.status)}
                for e in t.events
            ]
            st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")


def show_rating(t: Timeline) -> None:
    r = t.rating
    if r is None:
        st.caption("Người dân chưa đánh giá hồ sơ này.")
        return
    st.markdown(
        f"**Đánh giá của người dân** ({_when(r.created_at)}): "
        f"{L.LEVEL_WORDS.get(r.overall, str(r.overall))}"
    )
    if r.criteria:
        rows = [
            {"Tiêu chí": L.CRITERIA.get(code, code), "Mức": L.LEVEL_WORDS.get(v, str(v))}
            for code, v in r.criteria.items()
        ]
        st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
    if r.comment:
        st.markdown(f"> {r.comment}")


def show_timeline(t: Timeline, now: datetime) -> None:
    st.subheader(f"Hồ sơ {t.code}")
    show_summary(t)
    show_steps(t, now)
    show_children(t)
