"""The supervisors' console (Streamlit): login gate, then the pages of console/."""

from __future__ import annotations

import streamlit as st

from console.session import current_user, login_form, logout_button

st.set_page_config(page_title="Giám sát Một cửa", page_icon="🏛️", layout="wide")

user = current_user()
if user is None:
    login_form()
    st.stop()

logout_button(user)
pages = [st.Page("console/overview.py", title="Tổng quan", icon="📊", default=True)]
st.navigation(pages).run()
