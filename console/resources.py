"""Cached heavy things shared by the pages (one engine per console process)."""

from __future__ import annotations

import streamlit as st
from sqlalchemy import Engine

from monitor.config import Settings, load_settings
from monitor.db import make_engine


@st.cache_resource
def get_settings() -> Settings:
    return load_settings()


@st.cache_resource
def get_engine() -> Engine:
    return make_engine(get_settings().effective_database_url)
