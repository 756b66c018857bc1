"""Xếp hạng: units ranked on the on-time rate or on satisfaction, each rate with its 95 %
Wilson interval, ranked on the interval's lower bound, with a minimum sample, month over month."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from console.filters import today_vn
from console.resources import get_engine, get_settings
from console.session import current_user
from monitor import vi_format
from monitor.metrics.console_charts import ranking_chart
from monitor.metrics.ranking import DEFAULT_MIN_SAMPLE, RankChange, previous_month
from monitor.metrics.ranking_data import (
    METRIC_NAMES_VI,
    PEER_GROUPS_VI,
    Metric,
    MonthRanking,
    monthly_ranking,
)

MONTHS_BACK = 12


@st.cache_data(ttl=300, show_spinner="Đang tính xếp hạng…")
def cached_ranking(
    database: str,
    metric: Metric,
    month: date,
    today: date,
    group: str,
    scope: tuple[int, ...] | None,
    min_sample: int,
) -> MonthRanking | None:
    """The ranking of a month, kept five minutes: the on-time count reads every dossier."""
    del database  # part of the cache key only
    return monthly_ranking(
        get_engine(),
        get_settings(),
        metric,
        month,
        today,
        group,
        None if scope is None else set(scope),
        min_sample,
    )


def months(today: date) -> list[date]:
    out = [today.replace(day=1)]
    while len(out) < MONTHS_BACK:
        out.append(previous_month(out[-1]))
    return out


def movement(change: RankChange) -> str:
    if change.current.rank is None:
        return ""
    if change.previous_rank is None:
        return "mới"
    moved = change.moved or 0
    return "=" if moved == 0 else (f"↑ {moved}" if moved > 0 else f"↓ {-moved}")


def interval(low: float, high: float) -> str:
    return f"{vi_format.percent(low)} – {vi_format.percent(high)}"


def ranked_frame(rows: list[RankChange]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "Hạng": r.current.rank,
                "Đơn vị": r.current.name,
                "Đạt / số mẫu": f"{vi_format.integer(r.current.successes)} / "
                f"{vi_format.integer(r.current.total)}",
                "Tỷ lệ": vi_format.percent(r.current.rate),
                "Khoảng tin cậy 95 %": interval(r.current.low, r.current.high),
                "Hạng tháng trước": "–" if r.previous_rank is None else str(r.previous_rank),
                "Thay đổi": movement(r),
            }
            for r in rows
        ]
    )


def small_frame(rows: list[RankChange]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "Đơn vị": r.current.name,
                "Đạt / số mẫu": f"{vi_format.integer(r.current.successes)} / "
                f"{vi_format.integer(r.current.total)}",
                "Tỷ lệ": vi_format.percent(r.current.rate),
                "Khoảng tin cậy 95 %": interval(r.current.low, r.current.high),
            }
            for r in rows
        ]
    )


def controls(today: date) -> tuple[Metric, date, str, int]:
    c1, c2, c3, c4 = st.columns([2, 2, 2, 1])
    metric = c1.radio(
        "Xếp hạng theo", list(Metric), format_func=METRIC_NAMES_VI.__getitem__, key="ranking_metric"
    )
    choices = months(today)
    month = c2.selectbox(
        "Tháng",
        choices,
        index=1,
        format_func=lambda m: f"Tháng {m:%m/%Y}" + (" (đến hôm nay)" if m == choices[0] else ""),
        key="ranking_month",
    )
    group = c3.selectbox(
        "Nhóm so sánh",
        list(PEER_GROUPS_VI),
        format_func=PEER_GROUPS_VI.__getitem__,
        key="ranking_group",
    )
    min_sample = c4.number_input(
        "Cỡ mẫu tối thiểu",
        min_value=1,
        max_value=10_000,
        value=DEFAULT_MIN_SAMPLE,
        step=5,
        key="ranking_min_sample",
    )
    return Metric(metric), month, group, int(min_sample)


def show(result: MonthRanking, min_sample: int) -> None:
    ranked = [r for r in result.rows if r.current.rank is not None]
    small = [r for r in result.rows if r.current.rank is None]
    st.caption(
        f"Kỳ {vi_format.day(result.first)} – {vi_format.day(result.last)}, so với "
        f"{vi_format.day(result.previous[0])} – {vi_format.day(result.previous[1])}."
    )
    if not result.rows:
        st.info("Nhóm so sánh này không có số liệu trong tháng.")
        return
    if not ranked:
        st.info(f"Không đơn vị nào trong nhóm có từ {vi_format.integer(min_sample)} mẫu trở lên.")
    else:
        st.dataframe(ranked_frame(ranked), hide_index=True, width="stretch")
        st.altair_chart(ranking_chart(ranked), width="stretch")
    if small:
        st.subheader(f"Chưa xếp hạng: dưới {vi_format.integer(min_sample)} mẫu")
        st.dataframe(small_frame(small), hide_index=True, width="stretch")


user = current_user()
if user is None:
    st.stop()
st.title("Xếp hạng")
today = today_vn()
metric, month, group, min_sample = controls(today)
scope = user.unit_scope()
result = cached_ranking(
    get_settings().effective_database_url,
    metric,
    month,
    today,
    group,
    None if scope is None else tuple(sorted(scope)),
    min_sample,
)
st.caption(
    "Mỗi tỷ lệ kèm khoảng tin cậy 95 % (Wilson); đơn vị được xếp theo cận dưới của khoảng, nên "
    "một đơn vị ít hồ sơ không thể đứng đầu nhờ may mắn. Đơn vị có ít mẫu hơn cỡ mẫu tối thiểu "
    "được liệt kê riêng, không xếp hạng."
)
if result is None:
    st.info("Tháng này chưa bắt đầu.")
else:
    show(result, min_sample)
