"""Login, session timeout and logout for the console."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import streamlit as st

from console.resources import get_engine, get_settings
from monitor import audit
from monitor.auth import LoginPolicy, authenticate
from monitor.db import session_scope
from monitor.models import utcnow
from monitor.units import subtree_ids


@dataclass(frozen=True)
class SignedIn:
    user_id: int
    username: str
    full_name: str
    role: str
    unit_id: int | None

    def unit_scope(self) -> set[int] | None:
        """Units this person may see: a supervisor's subtree, everything for the others."""
        if self.role == "supervisor" and self.unit_id is not None:
            return subtree_ids(get_engine(), self.unit_id)
        return None


def current_user() -> SignedIn | None:
    user: SignedIn | None = st.session_state.get("user")
    last = st.session_state.get("last_seen")
    timeout = timedelta(minutes=get_settings().session_timeout_minutes)
    if user is not None and last is not None and utcnow() - last > timeout:
        st.session_state.pop("user", None)
        st.session_state["flash"] = "Phiên làm việc đã hết hạn, vui lòng đăng nhập lại."
        return None
    if user is not None:
        st.session_state["last_seen"] = utcnow()
    return user


def login_form() -> None:
    st.title("Giám sát Bộ phận Một cửa")
    if flash := st.session_state.pop("flash", None):
        st.info(flash)
    with st.form("login"):
        username = st.text_input("Tên đăng nhập")
        password = st.text_input("Mật khẩu", type="password")
        submitted = st.form_submit_button("Đăng nhập")
    if submitted:
        user = _check(username.strip(), password)
        if user is None:
            st.error("Sai tên đăng nhập hoặc mật khẩu, hoặc tài khoản đang bị tạm khóa.")
        else:
            st.session_state["user"] = user
            st.session_state["last_seen"] = utcnow()
            st.rerun()


def _check(username: str, password: str) -> SignedIn | None:
    s = get_settings()
    policy = LoginPolicy(s.login_max_failures, timedelta(minutes=s.login_lockout_minutes))
    with session_scope(get_engine()) as session:
        user = authenticate(session, username, password, utcnow(), policy)
        audit.record(session, username or "?", "login.ok" if user else "login.failed")
        if user is None:
            return None
        return SignedIn(user.id, user.username, user.full_name, user.role, user.unit_id)


def logout_button(user: SignedIn) -> None:
    with st.sidebar:
        st.caption(f"Đăng nhập: **{user.full_name or user.username}** ({user.role})")
        if st.button("Đăng xuất"):
            st.session_state.clear()
            st.rerun()
