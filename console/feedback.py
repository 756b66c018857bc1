"""Phản ánh, góp ý: classified feedback, urgent first; a label corrected in place; topic trends."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from console.filters import period_picker, unit_picker
from console.resources import get_engine
from console.session import SignedIn, current_user
from monitor import vi_format
from monitor.db import session_scope
from monitor.feedback import (
    LABEL_NAMES_VI,
    LABEL_TITLES_VI,
    LABEL_VALUES,
    LabelError,
    correct_label,
)
from monitor.metrics.console_charts import topic_trend_chart
from monitor.metrics.feedback_data import (
    UNCLASSIFIED,
    FeedbackFilter,
    FeedbackRow,
    corrections_of,
    feedback_counts,
    feedback_rows,
    weekly_topics,
)
from monitor.models import utcnow

LIMIT = 200
NOT_YET = "Chưa phân loại"


def label_name(label: str, value: str | None) -> str:
    return NOT_YET if value is None else LABEL_NAMES_VI[label].get(value, value)


def urgent_value(row: FeedbackRow) -> str | None:
    return None if row.urgent is None else ("yes" if row.urgent else "no")


def option_index(label: str, value: str | None) -> int:
    """Where ``value`` stands among the choices [None, *values]; 0 for none or unknown."""
    values = LABEL_VALUES[label]
    return 1 + values.index(value) if value in values else 0


def filters(user: SignedIn) -> FeedbackFilter:
    period = period_picker("feedback")
    units = unit_picker(user, "feedback")
    c1, c2, c3 = st.columns([3, 2, 1])
    topics = c1.multiselect(
        "Chủ đề",
        [*LABEL_VALUES["topic"], UNCLASSIFIED],
        format_func=lambda v: label_name("topic", v or None),
        key="feedback_topics",
        placeholder="Tất cả",
    )
    sentiments = c2.multiselect(
        "Cảm xúc",
        [*LABEL_VALUES["sentiment"], UNCLASSIFIED],
        format_func=lambda v: label_name("sentiment", v or None),
        key="feedback_sentiments",
        placeholder="Tất cả",
    )
    urgent_only = c3.checkbox("Chỉ phản ánh khẩn", key="feedback_urgent")
    return FeedbackFilter(
        period.start, period.end, units, frozenset(topics), frozenset(sentiments), urgent_only
    )


def show_counts(flt: FeedbackFilter) -> int:
    counts = feedback_counts(get_engine(), flt)
    cols = st.columns(5)
    cols[0].metric("Số phản ánh", vi_format.integer(counts.total))
    cols[1].metric("Khẩn", vi_format.integer(counts.urgent))
    negative = counts.negative / counts.total if counts.total else None
    cols[2].metric("Tiêu cực", vi_format.percent(negative))
    cols[3].metric("Chưa phân loại", vi_format.integer(counts.unclassified))
    cols[4].metric("Đã sửa nhãn", vi_format.integer(counts.corrected))
    return counts.total


def show_table(rows: list[FeedbackRow], total: int) -> None:
    frame = pd.DataFrame(
        [
            {
                "Khẩn": "🔴 Khẩn" if r.urgent else "",
                "Số": r.id,
                "Ngày nhận": vi_format.moment(r.received_at),
                "Đơn vị": r.unit_name,
                "Mã hồ sơ": r.dossier_code,
                "Nội dung": r.text,
                "Cảm xúc": label_name("sentiment", r.sentiment),
                "Chủ đề": label_name("topic", r.topic),
                "Độ tin cậy": vi_format.percent(r.confidence, 0),
                "Đã sửa": "✔" if r.corrected else "",
            }
            for r in rows
        ]
    )
    st.dataframe(frame, hide_index=True, width="stretch")
    if total > len(rows):
        st.caption(
            f"Hiển thị {vi_format.integer(len(rows))} trong {vi_format.integer(total)} phản ánh "
            "(khẩn trước, mới nhất trước); thu hẹp bộ lọc để xem các phản ánh khác."
        )


def correction_form(user: SignedIn, rows: list[FeedbackRow]) -> None:
    """Pick a feedback of the list and set its labels; each change is a recorded correction."""
    by_id = {r.id: r for r in rows}
    picked = st.selectbox(
        "Phản ánh cần sửa nhãn",
        list(by_id),
        format_func=lambda i: (
            f"Số {i} · {vi_format.day(by_id[i].received_at)} · {by_id[i].text[:80]}"
        ),
        key="feedback_pick",
    )
    row = by_id[picked]
    st.markdown(f"> {row.text}")
    current = {"sentiment": row.sentiment, "topic": row.topic, "urgent": urgent_value(row)}
    with st.form(f"feedback_fix_{row.id}"):
        cols = st.columns(3)
        chosen = {
            label: col.selectbox(
                LABEL_TITLES_VI[label],
                [None, *LABEL_VALUES[label]],
                index=option_index(label, current[label]),
                format_func=lambda v, label=label: label_name(label, v),
                key=f"feedback_fix_{row.id}_{label}",
            )
            for col, label in zip(cols, LABEL_VALUES, strict=True)
        }
        saved = st.form_submit_button("Lưu nhãn")
    if saved:
        save(user, row.id, {k: v for k, v in chosen.items() if v is not None and v != current[k]})
    history = corrections_of(get_engine(), row.id)
    if history:
        st.caption("Lịch sử sửa nhãn")
        st.dataframe(
            pd.DataFrame(
                [
                    {
                        "Lúc": vi_format.moment(c.at),
                        "Người sửa": c.username,
                        "Nhãn": LABEL_TITLES_VI.get(c.label, c.label),
                        "Trước": label_name(c.label, c.old_value),
                        "Sau": label_name(c.label, c.new_value),
                    }
                    for c in history
                ]
            ),
            hide_index=True,
        )


def save(user: SignedIn, feedback_id: int, changes: dict[str, str]) -> None:
    if not changes:
        st.info("Không có nhãn nào thay đổi.")
        return
    try:
        with session_scope(get_engine()) as session:
            for label, value in changes.items():
                correct_label(
                    session,
                    feedback_id,
                    label,
                    value,
                    user.user_id,
                    utcnow(),
                    unit_ids=user.unit_scope(),
                )
    except LabelError as exc:
        st.error(str(exc))
        return
    names = ", ".join(LABEL_TITLES_VI[label] for label in changes)
    st.session_state["feedback_flash"] = f"Đã lưu nhãn ({names}) cho phản ánh số {feedback_id}."
    st.rerun()


user = current_user()
if user is None:
    st.stop()
st.title("Phản ánh, góp ý")
if flash := st.session_state.pop("feedback_flash", None):
    st.success(flash)
flt = filters(user)
total = show_counts(flt)
rows = feedback_rows(get_engine(), flt, LIMIT)
if not rows:
    st.info("Không có phản ánh nào trong phạm vi và bộ lọc đã chọn.")
    st.stop()
show_table(rows, total)

st.subheader("Sửa nhãn")
if user.role == "inspector":
    st.info("Tài khoản thanh tra chỉ được xem, không sửa nhãn.")
else:
    correction_form(user, rows)

st.subheader("Xu hướng chủ đề theo tuần")
st.altair_chart(topic_trend_chart(weekly_topics(get_engine(), flt)), width="stretch")
