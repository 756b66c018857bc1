"""Tổng quan: on-time rate and its 766 points, pending dossiers, satisfaction, online share
against the targets, weekly trends, and the change against the previous period."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pandas as pd
import streamlit as st

from console.filters import period_picker, unit_picker
from console.resources import get_engine, get_settings
from console.session import current_user
from monitor import vi_format
from monitor.metrics import charts, overview, trends
from monitor.metrics.vi_labels import LEVELS
from monitor.reports.period import Period

CACHE_SECONDS = 120


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def load(
    start: date, end: date, scope: frozenset[int] | None
) -> tuple[overview.Overview, list[trends.Week], list[overview.FieldPending]]:
    """Every figure of the page; the independent queries run side by side (the database
    work releases the GIL), which keeps a province of a million dossiers near the target."""
    engine, period = get_engine(), Period(start, end)
    with ThreadPoolExecutor(max_workers=2) as pool:
        weeks = pool.submit(trends.weekly, engine, period, scope)
        fields = pool.submit(overview.pending_by_field, engine, scope)
        figures = overview.overview(engine, get_settings(), period, scope)
        return figures, weeks.result(), fields.result()


def pct(x: float | None) -> str:
    return vi_format.percent(x)


def out_of(x: float | None, maximum: int) -> str:
    return "–" if x is None else f"{vi_format.decimal(x, 2)}/{maximum}"


def rate_delta(cur: float | None, prev: float | None) -> str | None:
    return overview.signed_points(overview.rate_change(cur, prev))


def points_delta(cur: float | None, prev: float | None) -> str | None:
    if cur is None or prev is None:
        return None
    change = cur - prev
    return f"{'+' if change >= 0 else '-'}{vi_format.decimal(abs(change), 2)} điểm"


def show_progress(o: overview.Overview) -> None:
    cur, prev = o.current.on_time, o.previous.on_time
    c1, c2, c3, c4, c5 = st.columns(5)
    c1.metric(
        "Tỷ lệ đúng hạn (766)",
        pct(cur.rate),
        rate_delta(cur.rate, prev.rate),
        help="(Giải quyết trước hạn, đúng hạn + đang giải quyết trong hạn) / hồ sơ tiếp nhận "
        "trong kỳ và kỳ trước chuyển sang, xét tại cuối kỳ (cột 8 + 9 + 12 / cột 3 Biểu 06a).",
    )
    c2.metric(
        "Điểm tiến độ giải quyết",
        out_of(cur.points, 20),
        points_delta(cur.points, prev.points),
    )
    c3.metric(
        "Giải quyết trễ hạn trong kỳ",
        vi_format.integer(cur.settled_late),
        overview.signed_count(cur.settled_late - prev.settled_late),
        delta_color="inverse",
    )
    c4.metric("Đang quá hạn", vi_format.integer(o.pending.overdue))
    c5.metric("Sắp đến hạn", vi_format.integer(o.pending.due_soon))


def show_satisfaction(o: overview.Overview) -> None:
    cur, prev = o.current, o.previous
    share, prev_share = cur.satisfaction.satisfied_share, prev.satisfaction.satisfied_share
    s766 = None if cur.s766 is None else cur.s766.points
    p766 = None if prev.s766 is None else prev.s766.points
    c1, c2, c3, c4 = st.columns(4)
    c1.metric(
        "Tỷ lệ hài lòng",
        pct(share),
        rate_delta(share, prev_share),
        help=f"{vi_format.integer(cur.satisfaction.rated)} lượt đánh giá trong kỳ; "
        "Hài lòng hoặc Rất hài lòng.",
    )
    c2.metric(
        "Điểm hài lòng (766)",
        out_of(s766, 6),
        points_delta(s766, p766),
        help="100 % − (tỷ lệ giải quyết trễ hạn + tỷ lệ có phản ánh hoặc đánh giá không hài "
        "lòng) trên hồ sơ giải quyết xong trong kỳ; từ 90 % đạt đủ 6 điểm.",
    )
    c3.metric(
        "Nộp trực tuyến",
        pct(cur.online_share),
        rate_delta(cur.online_share, prev.online_share),
    )
    c4.metric(
        "Hồ sơ tiếp nhận mới",
        vi_format.integer(cur.received),
        overview.signed_count(cur.received - prev.received),
        delta_color="off",
    )


def online_table(o: overview.Overview) -> pd.DataFrame:
    rows = []
    for line in o.current.online:
        met = line.meets_target
        rows.append(
            {
                "Cấp": LEVELS[line.level],
                "Tiếp nhận mới": vi_format.integer(line.received),
                "Trực tuyến": vi_format.integer(line.online),
                "Tỷ lệ trực tuyến": pct(line.share),
                "Chỉ tiêu": vi_format.percent(line.target, 0),
                "Đánh giá": "–" if met is None else ("Đạt" if met else "Chưa đạt"),
            }
        )
    return pd.DataFrame(rows)


def fields_table(rows: list[overview.FieldPending]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "Lĩnh vực": r.field,
                "Đang quá hạn": vi_format.integer(r.overdue),
                "Sắp đến hạn": vi_format.integer(r.due_soon),
            }
            for r in rows
        ]
    )


user = current_user()
if user is None:
    st.stop()

st.title("Tổng quan")
period = period_picker("overview")
scope = unit_picker(user, "overview")
key = None if scope is None else frozenset(scope)
data, weeks, pending = load(period.start, period.end, key)
prev = data.previous.period
st.caption(
    f"{period.text()} · so với kỳ trước {vi_format.day(prev.start)}–{vi_format.day(prev.end)}"
    + (
        f" · tình trạng hạn xử lý cập nhật lúc {vi_format.moment(data.pending.evaluated_at)}"
        if data.pending.evaluated_at
        else ""
    )
)

st.subheader("Tiến độ giải quyết")
show_progress(data)
st.subheader("Hài lòng và trực tuyến")
show_satisfaction(data)

left, right = st.columns(2)
with left:
    st.markdown("**Tỷ lệ nộp trực tuyến so với chỉ tiêu**")
    if data.current.online:
        st.dataframe(online_table(data), hide_index=True, width="stretch")
    else:
        st.info("Không có hồ sơ tiếp nhận mới trong kỳ.")
with right:
    st.markdown("**Hồ sơ đang quá hạn, sắp đến hạn theo lĩnh vực**")
    if pending:
        st.dataframe(fields_table(pending), hide_index=True, width="stretch")
    else:
        st.success("Không có hồ sơ quá hạn hay sắp đến hạn.")

st.subheader("Xu hướng theo tuần")
st.altair_chart(charts.rates_chart(weeks), width="stretch")
st.altair_chart(charts.volumes_chart(weeks), width="stretch")
