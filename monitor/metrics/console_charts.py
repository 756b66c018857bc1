"""Altair chart specs of the feedback, satisfaction and ranking pages. Built from the plain
rows of the data modules; Vietnamese labels, dates dd/mm/yyyy, decimal commas."""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import pandas as pd

from monitor.feedback import LABEL_NAMES_VI
from monitor.metrics.feedback_data import WeekTopic
from monitor.metrics.ranking import RankChange
from monitor.metrics.satisfaction_detail import LEVEL_NAMES_VI, CriterionLevels
from monitor.reports.texts import NO_TOPIC

# d3 number locale for Vietnamese: 1.234,5
VI_LOCALE = {"number": {"decimal": ",", "thousands": ".", "grouping": [3], "currency": ["", " ₫"]}}
LEVEL_COLOURS = {3: "#2e7d32", 2: "#9ccc65", 1: "#d32f2f"}


def _topic_name(topic: str | None) -> str:
    return LABEL_NAMES_VI["topic"].get(topic, topic) if topic else NO_TOPIC


def topic_trend_chart(weeks: Sequence[WeekTopic]) -> alt.Chart:
    """Feedback per week, stacked by topic."""
    frame = pd.DataFrame(
        [
            {
                "Tuần": f"{w.week:%d/%m/%Y}",
                "order": w.week.toordinal(),
                "Chủ đề": _topic_name(w.topic),
                "Số phản ánh": w.count,
            }
            for w in weeks
        ],
        columns=["Tuần", "order", "Chủ đề", "Số phản ánh"],
    )
    return (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            x=alt.X("Tuần:O", sort=alt.SortField("order"), title="Tuần bắt đầu từ thứ Hai"),
            y=alt.Y("sum(Số phản ánh):Q", title="Số phản ánh"),
            color=alt.Color("Chủ đề:N"),
            tooltip=["Tuần", "Chủ đề", "Số phản ánh"],
        )
        .configure(locale=VI_LOCALE)
    )


def criteria_chart(levels: Sequence[CriterionLevels]) -> alt.Chart:
    """Each criterion's answers as shares of Rất hài lòng / Hài lòng / Không hài lòng."""
    frame = pd.DataFrame(
        [
            {
                "Tiêu chí": c.name,
                "Mức": LEVEL_NAMES_VI[lv],
                "thứ tự": 3 - lv,
                "Số lượt": c.counts[lv],
                "Tỷ lệ (%)": round(100 * (c.share(lv) or 0.0), 1),
            }
            for c in levels
            for lv in (3, 2, 1)
        ],
        columns=["Tiêu chí", "Mức", "thứ tự", "Số lượt", "Tỷ lệ (%)"],
    )
    names = [LEVEL_NAMES_VI[lv] for lv in (3, 2, 1)]
    colours = [LEVEL_COLOURS[lv] for lv in (3, 2, 1)]
    return (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            y=alt.Y("Tiêu chí:N", sort=None, title=None),
            x=alt.X("sum(Tỷ lệ (%)):Q", title="Tỷ lệ (%)", scale=alt.Scale(domain=[0, 100])),
            color=alt.Color("Mức:N", scale=alt.Scale(domain=names, range=colours)),
            order=alt.Order("thứ tự:Q"),
            tooltip=["Tiêu chí", "Mức", "Số lượt", "Tỷ lệ (%)"],
        )
        .configure(locale=VI_LOCALE)
    )


def ranking_chart(rows: Sequence[RankChange]) -> alt.Chart:
    """Ranked units: the rate as a point, its 95 % interval as a bar, best first."""
    frame = pd.DataFrame(
        [
            {
                "Đơn vị": f"{r.current.rank}. {r.current.name}",
                "hạng": r.current.rank,
                "Tỷ lệ (%)": round(100 * (r.current.rate or 0.0), 1),
                "Cận dưới (%)": round(100 * r.current.low, 1),
                "Cận trên (%)": round(100 * r.current.high, 1),
                "Số mẫu": r.current.total,
            }
            for r in rows
            if r.current.rank is not None
        ],
        columns=["Đơn vị", "hạng", "Tỷ lệ (%)", "Cận dưới (%)", "Cận trên (%)", "Số mẫu"],
    )
    base = alt.Chart(frame).encode(
        y=alt.Y("Đơn vị:N", sort=alt.SortField("hạng"), title=None),
        tooltip=["Đơn vị", "Tỷ lệ (%)", "Cận dưới (%)", "Cận trên (%)", "Số mẫu"],
    )
    interval = base.mark_rule(strokeWidth=3, opacity=0.5).encode(
        x=alt.X("Cận dưới (%):Q", title="Tỷ lệ (%) và khoảng tin cậy 95 %"),
        x2="Cận trên (%):Q",
    )
    point = base.mark_point(filled=True, size=60).encode(x="Tỷ lệ (%):Q")
    height = max(120, 22 * len(frame))
    return alt.layer(interval, point).properties(height=height).configure(locale=VI_LOCALE)
