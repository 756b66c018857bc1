"""Cảnh báo: the alerts of the person's scope, filters, acknowledge / silence / resolve on one
or several alerts (not for inspectors: they read only), and one alert's history (also opened
by ``?id=N`` from alert messages)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, time, timedelta
from urllib.parse import quote

import pandas as pd
import streamlit as st

from alerts import texts, triage
from console.resources import get_engine
from console.session import SignedIn, current_user
from monitor import vi_format
from monitor.calendar import VN_TZ
from monitor.db import session_scope
from monitor.enums import AlertState, Severity
from monitor.models import Alert, utcnow

FLASH = "alerts_flash"
DETAIL_KEY = "alert_detail"
TABLE_COLUMNS = (
    "Số",
    "Mức độ",
    "Trạng thái",
    "Nội dung",
    "Quy tắc",
    "Đơn vị",
    "Phát sinh",
    "Cấp chuyển",
)


def state_counts(user: SignedIn) -> None:
    with session_scope(get_engine()) as s:
        counts = triage.count_by_state(s, user.unit_scope())
    cols = st.columns(len(AlertState))
    for col, state in zip(cols, AlertState, strict=True):
        col.metric(texts.STATES[state], vi_format.integer(counts.get(state.value, 0)))


def pick_filters(user: SignedIn, labels: dict[str, str]) -> triage.AlertFilters:
    scope = user.unit_scope()
    with session_scope(get_engine()) as s:
        rules = triage.rules_in_scope(s, scope)
    c1, c2, c3 = st.columns(3)
    states = c1.multiselect(
        "Trạng thái",
        [s.value for s in AlertState],
        default=list(triage.LIVE),
        format_func=lambda v: texts.STATES[AlertState(v)],
        key="alerts_states",
        placeholder="Tất cả",
    )
    severities = c2.multiselect(
        "Mức độ",
        [s.value for s in Severity],
        format_func=lambda v: texts.SEVERITIES[Severity(v)],
        key="alerts_severities",
        placeholder="Tất cả",
    )
    picked_rules = c3.multiselect(
        "Quy tắc",
        rules,
        format_func=lambda r: labels.get(r, r),
        key="alerts_rules",
        placeholder="Tất cả",
    )
    return triage.AlertFilters(
        states=tuple(states),
        severities=tuple(severities),
        rules=tuple(picked_rules),
        unit_ids=None if scope is None else frozenset(scope),
    )


def table(rows: Sequence[triage.AlertRow], labels: dict[str, str]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "Số": r.id,
                "Mức độ": texts.SEVERITIES.get(Severity(r.severity), r.severity),
                "Trạng thái": texts.STATES.get(AlertState(r.state), r.state),
                "Nội dung": r.title,
                "Quy tắc": labels.get(r.rule, r.rule),
                "Đơn vị": r.unit,
                "Phát sinh": vi_format.moment(r.opened_at),
                "Cấp chuyển": r.escalation_level,
            }
            for r in rows
        ],
        columns=list(TABLE_COLUMNS),
    )


def report(result: triage.BulkResult, verb: str) -> None:
    """Keep the outcome for the next run (the page reruns to show the new states)."""
    lines = []
    if result.done:
        ids = ", ".join(f"#{i}" for i in result.done)
        lines.append(("success", f"Đã {verb} {len(result.done)} cảnh báo: {ids}."))
    for alert_id, reason in result.failed.items():
        lines.append(("error", f"#{alert_id}: {reason}"))
    st.session_state[FLASH] = lines
    st.rerun()


def show_flash() -> None:
    for kind, text in st.session_state.pop(FLASH, []):
        (st.success if kind == "success" else st.error)(text)


def silence_until(prefix: str) -> datetime:
    tomorrow = datetime.now(VN_TZ).date() + timedelta(days=1)
    c1, c2 = st.columns(2)
    day = c1.date_input("Tạm ẩn đến ngày", value=tomorrow, format="DD/MM/YYYY", key=f"{prefix}_d")
    at = c2.time_input("Giờ", value=time(8, 0), key=f"{prefix}_t")
    return datetime.combine(day, at, tzinfo=VN_TZ)


def action_forms(user: SignedIn, ids: list[int], prefix: str) -> None:
    """Acknowledge with a note, silence with a reason and an end, resolve; for ``ids``."""
    engine, scope, actor, now = get_engine(), user.unit_scope(), f"user:{user.username}", utcnow()
    ack, quiet, done = st.tabs(["Xác nhận", "Tạm ẩn", "Kết thúc"])
    with ack:
        note = st.text_area("Ghi chú xử lý (bắt buộc)", key=f"{prefix}_note")
        if st.button("Xác nhận đã tiếp nhận xử lý", key=f"{prefix}_ack", type="primary"):
            report(
                triage.acknowledge(engine, ids, scope, actor, user.user_id, note, now), "xác nhận"
            )
    with quiet:
        until = silence_until(prefix)
        reason = st.text_input("Lý do tạm ẩn (bắt buộc)", key=f"{prefix}_reason")
        if st.button("Tạm ẩn", key=f"{prefix}_silence"):
            report(triage.silence(engine, ids, scope, actor, until, reason, now), "tạm ẩn")
    with done:
        close_note = st.text_input("Ghi chú", key=f"{prefix}_close_note")
        if st.button("Kết thúc cảnh báo", key=f"{prefix}_resolve"):
            report(triage.resolve(engine, ids, scope, actor, close_note, now), "kết thúc")


def show_list(user: SignedIn, labels: dict[str, str]) -> None:
    filters = pick_filters(user, labels)
    with session_scope(get_engine()) as s:
        rows = triage.list_alerts(s, filters)
    shown = f"{vi_format.integer(len(rows))} cảnh báo"
    if len(rows) >= filters.limit:
        shown += f" (hiện {vi_format.integer(filters.limit)} cảnh báo nghiêm trọng và mới nhất)"
    st.caption(shown)
    if not rows:
        st.success("Không có cảnh báo nào khớp bộ lọc.")
        return
    st.dataframe(table(rows, labels), hide_index=True, width="stretch", height=320)
    if user.role == "inspector":
        return
    titles = {r.id: f"#{r.id} · {r.title}" for r in rows}
    picked = st.multiselect(
        "Chọn cảnh báo để xử lý hàng loạt",
        list(titles),
        format_func=titles.__getitem__,
        key="alerts_pick",
        placeholder="Tất cả",
    )
    if picked:
        action_forms(user, picked, "bulk")


def detail_lines(a: Alert) -> list[str]:
    lines = [
        f"Mức độ: {texts.SEVERITIES.get(Severity(a.severity), a.severity)} · "
        f"Trạng thái: {texts.STATES.get(AlertState(a.state), a.state)} · Quy tắc: {a.rule}",
        f"Phát sinh lần đầu: {vi_format.moment(a.first_seen_at)} · đợt này: "
        f"{vi_format.moment(a.opened_at)} · ghi nhận gần nhất: {vi_format.moment(a.last_seen_at)}"
        f" · mở lại {a.reopen_count} lần · đã chuyển lên {a.escalation_level} cấp",
    ]
    if a.acknowledged_at:
        lines.append(
            f"Xác nhận: {a.ack_actor} lúc {vi_format.moment(a.acknowledged_at)} — {a.ack_note}"
        )
    if a.silenced_until:
        lines.append(
            f"Tạm ẩn đến {vi_format.moment(a.silenced_until)} ({a.silenced_by}): {a.silence_reason}"
        )
    if a.resolved_at:
        who = a.resolved_by or "tự động (điều kiện không còn)"
        lines.append(f"Kết thúc lúc {vi_format.moment(a.resolved_at)} — {who}")
    return lines


def show_detail(user: SignedIn, alert_id: int) -> None:
    with session_scope(get_engine()) as s:
        alert = triage.get_alert(s, alert_id, user.unit_scope())
        if alert is None:
            st.error(f"Không tìm thấy cảnh báo số {alert_id} trong phạm vi được giao.")
            return
        title, state = alert.title, alert.state
        code = alert.detail.get("dossier_code") if isinstance(alert.detail, dict) else None
        lines = detail_lines(alert)
        events = triage.history(s, alert_id)
    st.subheader(f"Cảnh báo #{alert_id}: {title}")
    st.markdown("  \n".join(lines))
    if code:
        st.markdown(f"[Xem tiến trình hồ sơ {code}](dossiers?code={quote(str(code), safe='')})")
    st.markdown("**Lịch sử**")
    st.dataframe(
        pd.DataFrame(
            [
                {
                    "Thời điểm": vi_format.moment(h.at),
                    "Sự kiện": h.what,
                    "Người thực hiện": h.actor,
                    "Chi tiết": h.detail,
                }
                for h in events
            ],
            columns=["Thời điểm", "Sự kiện", "Người thực hiện", "Chi tiết"],
        ),
        hide_index=True,
        width="stretch",
    )
    if user.role != "inspector" and state != AlertState.RESOLVED:
        action_forms(user, [alert_id], f"one{alert_id}")


def wanted_detail() -> int | None:
    if DETAIL_KEY not in st.session_state:
        st.session_state[DETAIL_KEY] = st.query_params.get("id", "")
    text = st.text_input("Số cảnh báo cần xem chi tiết", key=DETAIL_KEY).strip().lstrip("#")
    if not text:
        if "id" in st.query_params:
            del st.query_params["id"]
        return None
    if not text.isdigit():
        st.error("Số cảnh báo phải là một số nguyên.")
        return None
    if st.query_params.get("id") != text:
        st.query_params["id"] = text
    return int(text)


user = current_user()
if user is None:
    st.stop()

st.title("Cảnh báo")
if user.role == "inspector":
    st.caption("Thanh tra chỉ xem; xác nhận, tạm ẩn và kết thúc cảnh báo do đơn vị giám sát.")
show_flash()
state_counts(user)
rule_labels = triage.rule_labels()
show_list(user, rule_labels)
st.divider()
detail = wanted_detail()
if detail is not None:
    show_detail(user, detail)
