"""The period and unit pickers every page shares."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import streamlit as st

from console.resources import get_engine
from console.session import SignedIn
from monitor.calendar import VN_TZ
from monitor.reports.period import Period
from monitor.units import subtree_ids, unit_choices


def today_vn() -> date:
    return datetime.now(VN_TZ).date()


def period_picker(key: str, days: int = 30) -> Period:
    """A from–to pair of dates (dd/mm/yyyy), by default the last ``days`` days."""
    end = today_vn()
    c1, c2 = st.columns(2)
    start = c1.date_input(
        "Từ ngày", value=end - timedelta(days=days - 1), format="DD/MM/YYYY", key=f"{key}_from"
    )
    stop = c2.date_input("Đến ngày", value=end, format="DD/MM/YYYY", key=f"{key}_to")
    if stop < start:
        st.error("Ngày kết thúc phải sau ngày bắt đầu; đang dùng một ngày.")
        stop = start
    return Period(start, stop)


def unit_picker(user: SignedIn, key: str) -> set[int] | None:
    """The unit subtree to look at, never wider than what ``user`` may see.

    None means "every unit" (only for people who see every unit)."""
    engine = get_engine()
    scope = user.unit_scope()
    choices = unit_choices(engine, scope)
    everything = "Tất cả đơn vị" if scope is None else "Toàn bộ đơn vị được giao"
    labels = {0: everything, **dict(choices)}
    picked = st.selectbox(
        "Đơn vị", options=list(labels), format_func=labels.__getitem__, key=f"{key}_unit"
    )
    if picked == 0:
        return scope
    chosen = subtree_ids(engine, picked)
    return chosen if scope is None else chosen & scope
