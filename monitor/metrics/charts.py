"""Altair chart specifications for the overview trends and the dossier timeline.

Built from plain records so that they are tested without Streamlit (``chart.to_dict()``).
Numbers follow Vietnamese conventions (92 %, 1.234) through the chart's locale; tooltips carry
texts already formatted by ``monitor.vi_format``. Times are Vietnam wall-clock times drawn on a
UTC scale, so the chart shows the same hours whatever the browser's time zone.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

import altair as alt
import pandas as pd

from monitor import vi_format
from monitor.calendar import VN_TZ
from monitor.metrics import vi_labels as L
from monitor.metrics.trends import Week

VI_LOCALE: dict[str, Any] = {
    "number": {"decimal": ",", "thousands": ".", "grouping": [3], "currency": ["", " ₫"]},
    "time": {
        "dateTime": "%A, %d/%m/%Y %H:%M",
        "date": "%d/%m/%Y",
        "time": "%H:%M:%S",
        "periods": ["SA", "CH"],
        "days": ["Chủ nhật", "Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy"],
        "shortDays": ["CN", "T2", "T3", "T4", "T5", "T6", "T7"],
        "months": [f"Tháng {i}" for i in range(1, 13)],
        "shortMonths": [f"Th{i}" for i in range(1, 13)],
    },
}
PERCENT_LABEL = "format(datum.value * 100, ',.0f') + ' %'"
SERIES_COLOURS = {
    L.SERIES_ON_TIME: "#1f77b4",
    L.SERIES_ONLINE: "#2ca02c",
    L.SERIES_SATISFIED: "#ff7f0e",
    L.SERIES_RECEIVED: "#1f77b4",
    L.SERIES_FINISHED: "#2ca02c",
    L.SERIES_FINISHED_LATE: "#d62728",
}
VERDICT_COLOURS = {
    L.STEP_ALLOTTED: "#d9d9d9",
    L.STEP_EARLY: "#2ca02c",
    L.STEP_ON_TIME: "#98df8a",
    L.STEP_LATE: "#d62728",
    L.STEP_RUNNING: "#1f77b4",
    L.STEP_RUNNING_LATE: "#ff7f0e",
    L.STEP_NOT_DONE: "#9467bd",
}

Series = tuple[str, Callable[[Week], float | int | None]]


def weeks_frame(weeks: Sequence[Week], series: Sequence[Series], as_share: bool) -> pd.DataFrame:
    """One row per week and series; weeks without data for a series are left out."""
    rows = []
    for w in weeks:
        for name, value_of in series:
            value = value_of(w)
            if value is None:
                continue
            text = vi_format.percent(value) if as_share else vi_format.integer(int(value))
            rows.append(
                {
                    "week": w.start.isoformat(),
                    "week_text": vi_format.day(w.start),
                    "series": name,
                    "value": value,
                    "value_text": text,
                }
            )
    return pd.DataFrame(rows, columns=["week", "week_text", "series", "value", "value_text"])


def _colour(names: Sequence[str]) -> alt.Color:
    return alt.Color(
        "series:N",
        title=None,
        scale=alt.Scale(domain=list(names), range=[SERIES_COLOURS[n] for n in names]),
        legend=alt.Legend(orient="bottom"),
    )


def _week_axis() -> alt.X:
    return alt.X("week:T", title=L.WEEK_OF, axis=alt.Axis(format="%d/%m"))


def _tooltip() -> list[alt.Tooltip]:
    return [
        alt.Tooltip("week_text:N", title=L.WEEK_OF),
        alt.Tooltip("series:N", title=""),
        alt.Tooltip("value_text:N", title=L.SHARE),
    ]


def rates_chart(weeks: Sequence[Week]) -> alt.Chart:
    """On-time share of the dossiers finished, online share of those received, satisfied
    share of the ratings, week by week."""
    series: list[Series] = [
        (L.SERIES_ON_TIME, lambda w: w.on_time_share),
        (L.SERIES_ONLINE, lambda w: w.online_share),
        (L.SERIES_SATISFIED, lambda w: w.satisfied_share),
    ]
    frame = weeks_frame(weeks, series, as_share=True)
    y = alt.Y(
        "value:Q",
        title=L.SHARE,
        scale=alt.Scale(domain=[0, 1]),
        axis=alt.Axis(labelExpr=PERCENT_LABEL),
    )
    chart = (
        alt.Chart(frame)
        .mark_line(point=True)
        .encode(_week_axis(), y, _colour([s[0] for s in series]), tooltip=_tooltip())
    )
    return chart.properties(height=280).configure(locale=VI_LOCALE)


def volumes_chart(weeks: Sequence[Week]) -> alt.Chart:
    """Dossiers received, finished and finished late, week by week."""
    series: list[Series] = [
        (L.SERIES_RECEIVED, lambda w: w.received),
        (L.SERIES_FINISHED, lambda w: w.finished),
        (L.SERIES_FINISHED_LATE, lambda w: w.finished_late),
    ]
    frame = weeks_frame(weeks, series, as_share=False)
    tooltip = [*_tooltip()[:2], alt.Tooltip("value_text:N", title=L.COUNT)]
    chart = (
        alt.Chart(frame)
        .mark_line(point=True)
        .encode(
            _week_axis(),
            alt.Y("value:Q", title=L.COUNT, axis=alt.Axis(format=",d")),
            _colour([s[0] for s in series]),
            tooltip=tooltip,
        )
    )
    return chart.properties(height=280).configure(locale=VI_LOCALE)


def wall_clock(t: datetime) -> str:
    """Vietnam wall-clock time as an ISO text without offset, for a UTC time scale."""
    return t.astimezone(VN_TZ).replace(tzinfo=None).isoformat(timespec="minutes")


def timeline_chart(bars: Sequence[dict[str, Any]]) -> alt.Chart:
    """A Gantt chart: per step, the allotted time and the time actually taken, coloured by
    verdict. ``bars`` rows: step (label), order, kind, verdict, start, end (datetimes), text."""
    frame = pd.DataFrame(
        [{**b, "start": wall_clock(b["start"]), "end": wall_clock(b["end"])} for b in bars],
        columns=["step", "order", "kind", "verdict", "start", "end", "text"],
    )
    verdicts = [v for v in VERDICT_COLOURS if v in set(frame["verdict"])]
    chart = (
        alt.Chart(frame)
        .mark_bar(cornerRadius=2)
        .encode(
            alt.X(
                "start:T", title=None, scale=alt.Scale(type="utc"), axis=alt.Axis(format="%d/%m")
            ),
            alt.X2("end:T"),
            alt.Y("step:N", title=None, sort=alt.SortField("order")),
            alt.YOffset("kind:N", sort=[L.STEP_ALLOTTED, L.STEP_ACTUAL]),
            alt.Color(
                "verdict:N",
                title=None,
                scale=alt.Scale(domain=verdicts, range=[VERDICT_COLOURS[v] for v in verdicts]),
                legend=alt.Legend(orient="bottom"),
            ),
            tooltip=[
                alt.Tooltip("step:N", title=""),
                alt.Tooltip("kind:N", title=""),
                alt.Tooltip("text:N", title=""),
            ],
        )
    )
    height = max(120, 44 * frame["step"].nunique())
    return chart.properties(height=height).configure(locale=VI_LOCALE)
