"""Hồ sơ trễ hạn / sắp đến hạn: the scope's overdue and due-soon dossiers, most urgent first,
with filters; a dossier's timeline below (also opened by ``?code=MaHoSo`` from alert links)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from console.filters import unit_picker
from console.resources import get_engine, get_settings
from console.session import SignedIn, current_user
from console.timeline_view import show_timeline
from monitor import vi_format
from monitor.deadlines.labels import BREACH_VI, DUE_STATUS_VI
from monitor.enums import DueStatus
from monitor.metrics.late import LateDossier, LateFilters, field_choices, late_dossiers
from monitor.metrics.overview import unit_levels
from monitor.metrics.timeline import find_dossier, load_timeline
from monitor.metrics.vi_labels import CHANNELS, LEVELS
from monitor.models import utcnow

CACHE_SECONDS = 60
LISTED_FOR_PICKING = 500
CODE_KEY = "late_code"


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def load(filters: LateFilters) -> list[LateDossier]:
    engine = get_engine()
    return late_dossiers(engine, get_settings(), filters, utcnow(), unit_levels(engine))


@st.cache_data(ttl=600, show_spinner=False)
def load_fields() -> list[tuple[int, str]]:
    return field_choices(get_engine())


def pick_filters(user: SignedIn) -> LateFilters:
    c1, c2, c3 = st.columns(3)
    with c1:
        scope = unit_picker(user, "late")
    kinds = c2.multiselect(
        "Tình trạng",
        [DueStatus.OVERDUE, DueStatus.DUE_SOON],
        default=[DueStatus.OVERDUE, DueStatus.DUE_SOON],
        format_func=lambda s: DUE_STATUS_VI[s],
        key="late_kinds",
        placeholder="Tất cả",
    )
    fields = dict(load_fields())
    picked_fields = c3.multiselect(
        "Lĩnh vực",
        list(fields),
        format_func=fields.__getitem__,
        key="late_fields",
        placeholder="Tất cả",
    )
    c4, c5, c6 = st.columns(3)
    levels = c4.multiselect(
        "Cấp",
        ["province", "commune", "district"],
        format_func=LEVELS.__getitem__,
        key="late_lv",
        placeholder="Tất cả",
    )
    channels = c5.multiselect(
        "Kênh nộp",
        list(CHANNELS),
        format_func=CHANNELS.__getitem__,
        key="late_channels",
        placeholder="Tất cả",
    )
    min_days = c6.number_input(
        "Quá hạn từ (ngày làm việc)", min_value=0, value=0, step=1, key="late_days"
    )
    return LateFilters(
        due_statuses=tuple(kinds),
        unit_ids=None if scope is None else frozenset(scope),
        field_ids=tuple(picked_fields),
        levels=tuple(levels),
        channels=tuple(channels),
        min_days_overdue=int(min_days),
    )


def table(rows: list[LateDossier]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "Mã hồ sơ": d.code,
                "Tình trạng": DUE_STATUS_VI[d.due_status],
                "Số ngày quá hạn": d.days_overdue,
                "Hạn trả": vi_format.moment(d.due_at),
                "Lĩnh vực": d.field,
                "Thủ tục": d.procedure,
                "Đơn vị giải quyết": d.unit,
                "Kênh": CHANNELS.get(d.channel, str(d.channel)),
                "Đơn vị chịu trách nhiệm": ", ".join(d.responsible_units),
                "Vi phạm": "; ".join(BREACH_VI[b] for b in d.breaches),
            }
            for d in rows
        ],
        columns=[
            "Mã hồ sơ",
            "Tình trạng",
            "Số ngày quá hạn",
            "Hạn trả",
            "Lĩnh vực",
            "Thủ tục",
            "Đơn vị giải quyết",
            "Kênh",
            "Đơn vị chịu trách nhiệm",
            "Vi phạm",
        ],
    )


def _picked_from_list() -> None:
    picked = st.session_state.get("late_pick")
    if picked:
        st.session_state[CODE_KEY] = picked


def show_list(rows: list[LateDossier]) -> None:
    overdue = sum(1 for d in rows if d.due_status is DueStatus.OVERDUE)
    st.caption(
        f"{vi_format.integer(len(rows))} hồ sơ · {vi_format.integer(overdue)} quá hạn · "
        f"{vi_format.integer(len(rows) - overdue)} sắp đến hạn · xếp theo mức độ khẩn"
    )
    if not rows:
        st.success("Không có hồ sơ nào khớp bộ lọc.")
        return
    st.dataframe(table(rows), hide_index=True, width="stretch", height=360)
    codes = [d.code for d in rows[:LISTED_FOR_PICKING]]
    st.selectbox(
        "Xem tiến trình hồ sơ trong danh sách",
        ["", *codes],
        format_func=lambda c: c or "— chọn hồ sơ —",
        key="late_pick",
        on_change=_picked_from_list,
    )


def show_dossier(user: SignedIn, code: str) -> None:
    engine = get_engine()
    dossier_id = find_dossier(engine, code, user.unit_scope())
    if dossier_id is None:
        st.error(f"Không tìm thấy hồ sơ {code} trong phạm vi đơn vị được giao.")
        return
    now = utcnow()
    t = load_timeline(engine, get_settings(), dossier_id, now, user.role == "admin")
    if t is not None:
        show_timeline(t, now)


user = current_user()
if user is None:
    st.stop()

st.title("Hồ sơ trễ hạn / sắp đến hạn")
if CODE_KEY not in st.session_state:
    st.session_state[CODE_KEY] = st.query_params.get("code", "")
show_list(load(pick_filters(user)))

st.divider()
code = st.text_input("Mã hồ sơ cần xem tiến trình", key=CODE_KEY).strip()
if code:
    if st.query_params.get("code") != code:
        st.query_params["code"] = code
    show_dossier(user, code)
elif "code" in st.query_params:
    del st.query_params["code"]
