"""Mức độ hài lòng: by unit, counter and officer; TT 01/2018 indices and classifications; the
766 satisfaction score; how each criterion was answered; the citizens' comments."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from console.filters import period_picker, unit_picker
from console.resources import get_engine
from console.session import current_user
from monitor import vi_format
from monitor.feedback import LABEL_NAMES_VI
from monitor.metrics.console_charts import criteria_chart
from monitor.metrics.satisfaction import OFFICER_INDICES, score_766
from monitor.metrics.satisfaction_data import CounterRates, SatisfactionSummary, Scored, summarise
from monitor.metrics.satisfaction_detail import (
    INDEX_NAMES_VI,
    LEVEL_NAMES_VI,
    CriterionLevels,
    comments,
    criteria_breakdown,
)
from monitor.reports.period import Period

COMMENTS_LIMIT = 100
CACHE_SECONDS = 120  # the summaries; the citizens' comments are read afresh


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def load_summary(start: date, end: date, units: frozenset[int] | None) -> SatisfactionSummary:
    return summarise(get_engine(), start, end, None if units is None else set(units))


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def load_criteria(start: date, end: date, units: frozenset[int] | None) -> list[CriterionLevels]:
    return criteria_breakdown(get_engine(), start, end, None if units is None else set(units))


def number(x: float | None) -> str:
    return "–" if x is None else vi_format.decimal(x)


def index_columns(scored: list[Scored], allowed: tuple[int, ...]) -> list[int]:
    """The indices that have data somewhere in the table, in order."""
    return [i for i in allowed if any(i in s.indices for s in scored)]


def unit_frame(units: list[Scored]) -> pd.DataFrame:
    indices = index_columns(units, tuple(range(1, 10)))
    rows = []
    for u in units:
        row = {
            "Đơn vị": u.name,
            "Số lượt đánh giá": vi_format.integer(u.rates.rated),
            "Hài lòng": vi_format.percent(u.rates.satisfied_share),
        }
        row |= {f"Chỉ số {i}": number(u.indices.get(i)) for i in indices}
        row["Tổng điểm (/18)"] = number(u.total)
        row["Xếp loại"] = u.grade_vi or "–"
        row["Hài lòng 766"] = vi_format.percent(u.s766.rate if u.s766 else None)
        row["Điểm 766 (/6)"] = vi_format.decimal(u.s766.points, 2) if u.s766 else "–"
        rows.append(row)
    return pd.DataFrame(rows)


def officer_frame(officers: list[Scored]) -> pd.DataFrame:
    indices = index_columns(officers, OFFICER_INDICES)
    rows = []
    for o in officers:
        row = {
            "Cán bộ": o.name,
            "Mã": o.code,
            "Số lượt đánh giá": vi_format.integer(o.rates.rated),
            "Hài lòng": vi_format.percent(o.rates.satisfied_share),
        }
        row |= {f"Chỉ số {i}": number(o.indices.get(i)) for i in indices}
        row["Tổng điểm (/10)"] = number(o.total)
        row["Xếp loại"] = o.grade_vi or "–"
        rows.append(row)
    return pd.DataFrame(rows)


def counter_frame(counters: list[CounterRates]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "Đơn vị": c.unit_name,
                "Quầy": c.counter,
                "Số lượt đánh giá": vi_format.integer(c.rates.rated),
                "Rất hài lòng": vi_format.integer(c.rates.very_satisfied),
                "Hài lòng": vi_format.integer(c.rates.satisfied),
                "Không hài lòng": vi_format.integer(c.rates.unsatisfied),
                "Tỷ lệ hài lòng": vi_format.percent(c.rates.satisfied_share),
            }
            for c in counters
        ]
    )


def headline(summary: SatisfactionSummary) -> None:
    overall = summary.overall
    scored = [u.s766 for u in summary.units if u.s766 is not None]
    s766 = score_766(
        sum(s.considered for s in scored),
        sum(s.late for s in scored),
        sum(s.complained for s in scored),
    )
    cols = st.columns(5)
    cols[0].metric("Số lượt đánh giá", vi_format.integer(overall.rated))
    cols[1].metric("Tỷ lệ hài lòng", vi_format.percent(overall.satisfied_share))
    cols[2].metric("Không hài lòng", vi_format.integer(overall.unsatisfied))
    cols[3].metric("Hài lòng theo 766", vi_format.percent(s766.rate if s766 else None))
    cols[4].metric("Điểm 766 (/6)", vi_format.decimal(s766.points, 2) if s766 else "–")
    if overall.counter_only:
        st.caption(
            f"Trong đó {vi_format.integer(overall.counter_only)} lượt đánh giá quầy không gắn mã "
            "hồ sơ: tính vào tỷ lệ hài lòng, không tính vào các chỉ số theo hồ sơ."
        )


def table(frame: pd.DataFrame, empty: str) -> None:
    if frame.empty:
        st.info(empty)
    else:
        st.dataframe(frame, hide_index=True, width="stretch")


def show_criteria(period: Period, units: set[int] | None) -> None:
    levels = load_criteria(period.start, period.end, None if units is None else frozenset(units))
    if not levels:
        st.info("Chưa có câu trả lời theo tiêu chí trong kỳ.")
        return
    st.altair_chart(criteria_chart(levels), width="stretch")
    frame = pd.DataFrame(
        [
            {
                "Tiêu chí (NĐ 61/2018)": c.name,
                "Chỉ số TT 01/2018": INDEX_NAMES_VI[c.index] if c.index else "–",
                "Số lượt trả lời": vi_format.integer(c.answered),
                **{LEVEL_NAMES_VI[lv]: vi_format.percent(c.share(lv)) for lv in (3, 2, 1)},
            }
            for c in levels
        ]
    )
    table(frame, "")


def show_comments(period: Period, units: set[int] | None) -> None:
    only_bad = st.checkbox("Chỉ ý kiến kèm đánh giá Không hài lòng", key="satisfaction_bad")
    rows = comments(
        get_engine(),
        period.start,
        period.end,
        units,
        unsatisfied_only=only_bad,
        limit=COMMENTS_LIMIT,
    )
    frame = pd.DataFrame(
        [
            {
                "Lúc": vi_format.moment(r.created_at),
                "Đơn vị": r.unit_name,
                "Quầy": r.counter,
                "Cán bộ": r.officer_name,
                "Mã hồ sơ": r.dossier_code,
                "Đánh giá chung": LEVEL_NAMES_VI.get(r.overall, ""),
                "Ý kiến": r.comment,
                "Chủ đề": LABEL_NAMES_VI["topic"].get(r.topic, "") if r.topic else "",
            }
            for r in rows
        ]
    )
    table(frame, "Không có ý kiến nào trong kỳ.")
    if len(rows) == COMMENTS_LIMIT:
        st.caption(f"{COMMENTS_LIMIT} ý kiến mới nhất; thu hẹp kỳ hoặc đơn vị để xem thêm.")


user = current_user()
if user is None:
    st.stop()
st.title("Mức độ hài lòng")
period = period_picker("satisfaction")
units = unit_picker(user, "satisfaction")
summary = load_summary(period.start, period.end, None if units is None else frozenset(units))
headline(summary)
by_unit, by_counter, by_officer, by_criterion, said = st.tabs(
    ["Theo đơn vị", "Theo quầy", "Theo cán bộ", "Theo tiêu chí", "Ý kiến người dân"]
)
with by_unit:
    st.caption(
        "Chỉ số và xếp loại theo Thông tư 01/2018 (tối đa 18 điểm: từ 15 Xuất sắc, 12 Tốt, 9 Khá, "
        "6 Trung bình, dưới 6 Yếu); hài lòng theo Quyết định 766 = 100 % − tỷ lệ trễ hạn − tỷ lệ "
        "phản ánh, không hài lòng."
    )
    table(unit_frame(summary.units), "Chưa có đánh giá nào trong kỳ.")
with by_counter:
    table(counter_frame(summary.counters), "Chưa có đánh giá nào gắn với quầy trong kỳ.")
with by_officer:
    st.caption("Cán bộ: chỉ số 1, 2, 3, 4, 7, tối đa 10 điểm (từ 5: hoàn thành 100 % nhiệm vụ).")
    table(officer_frame(summary.officers), "Chưa có đánh giá nào gắn với cán bộ trong kỳ.")
with by_criterion:
    show_criteria(period, units)
with said:
    show_comments(period, units)
