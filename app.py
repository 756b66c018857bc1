"""The supervisors' console (Streamlit): login gate, then the pages of console/ that the
signed-in person's role may open."""

from __future__ import annotations

import streamlit as st

from console.session import current_user, login_form, logout_button

st.set_page_config(page_title="Giám sát Một cửa", page_icon="🏛️", layout="wide")

ALL = ("supervisor", "inspector", "admin")
# (script, title, icon, roles that may open it[, url path]); the first one is the landing page.
# Alert messages link to /dossiers?code=… and /alerts?id=… (alerts/links.py).
PAGES = [
    ("console/overview.py", "Tổng quan", "📊", ALL),
    ("console/late.py", "Hồ sơ trễ hạn / sắp đến hạn", "⏰", ALL, "dossiers"),
    ("console/alerts_inbox.py", "Cảnh báo", "🔔", ALL, "alerts"),
    ("console/feedback.py", "Phản ánh, góp ý", "💬", ALL),
    ("console/satisfaction.py", "Mức độ hài lòng", "🙂", ALL),
    ("console/ranking.py", "Xếp hạng", "🏆", ALL),
    ("console/reports.py", "Báo cáo", "📄", ALL),
    ("console/system.py", "Dữ liệu & hệ thống", "🛠️", ("inspector", "admin")),
]

user = current_user()
if user is None:
    login_form()
    st.stop()

logout_button(user)
allowed = [
    st.Page(script, title=title, icon=icon, default=index == 0, url_path=(path or [None])[0])
    for index, (script, title, icon, roles, *path) in enumerate(PAGES)
    if user.role in roles
]
st.navigation(allowed).run()
