"""Tổng quan: dossier counts by status and by field, within the signed-in person's scope."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from console.resources import get_engine
from console.session import current_user
from monitor import vi_format
from monitor.metrics.overview import field_counts, status_counts

user = current_user()
scope = user.unit_scope() if user else None
engine = get_engine()

st.title("Tổng quan")
statuses = status_counts(engine, scope)
total = sum(s.count for s in statuses)
fields = field_counts(engine, scope)
overdue = sum(f.overdue for f in fields)
c1, c2 = st.columns(2)
c1.metric("Tổng số hồ sơ", vi_format.integer(total))
c2.metric("Đang quá hạn", vi_format.integer(overdue))

st.subheader("Theo trạng thái")
st.dataframe(
    pd.DataFrame(
        [
            {"Mã": s.status, "Trạng thái": s.name, "Số hồ sơ": vi_format.integer(s.count)}
            for s in statuses
        ]
    ),
    hide_index=True,
    use_container_width=True,
)

st.subheader("Theo lĩnh vực")
st.dataframe(
    pd.DataFrame(
        [
            {
                "Lĩnh vực": f.field,
                "Tổng": vi_format.integer(f.total),
                "Đang giải quyết": vi_format.integer(f.open),
                "Quá hạn": vi_format.integer(f.overdue),
                "Đã trả trễ hạn": vi_format.integer(f.finished_late),
            }
            for f in fields
        ]
    ),
    hide_index=True,
    use_container_width=True,
)
