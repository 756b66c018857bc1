"""Running console pages with Streamlit's AppTest against a test database: the console reads
its database from the settings (MOTCUA_DATABASE_URL) and caches the engine, so each test points
the settings at its own database and empties the caches before and after."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from console.resources import get_engine
from console.session import SignedIn
from monitor.models import utcnow

ROOT = Path(__file__).resolve().parents[1]


def _clear() -> None:
    st.cache_data.clear()
    st.cache_resource.clear()


@contextmanager
def console_on(db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The console's settings pointed at ``db_url`` for the duration."""
    monkeypatch.setenv("MOTCUA_DATABASE_URL", db_url)
    monkeypatch.setenv("MOTCUA_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("MOTCUA_CONFIG", str(tmp_path / "no-config.toml"))
    _clear()
    try:
        yield
    finally:
        get_engine().dispose()  # the cached engine of this test's database
        _clear()


def open_page(name: str, user: SignedIn | None, timeout: float = 90) -> AppTest:
    """console/<name>.py run once, signed in as ``user``."""
    at = AppTest.from_file(str(ROOT / "console" / f"{name}.py"), default_timeout=timeout)
    if user is not None:
        at.session_state["user"] = user
        at.session_state["last_seen"] = utcnow()
    return at.run()


def no_exception(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


def shown_text(at: AppTest) -> str:
    """Everything a person can read on the page: tables, texts, options, metrics."""
    parts: list[str] = []
    for df in at.dataframe:
        parts.append(df.value.to_csv(index=False))
    for kind in ("markdown", "caption", "info", "success", "error", "title", "subheader"):
        parts += [str(e.value) for e in at.get(kind)]
    for box in (*at.selectbox, *at.multiselect, *at.radio):
        parts += [str(o) for o in box.options]
    parts += [f"{m.label}={m.value}" for m in at.metric]
    return "\n".join(parts)


def button(at: AppTest, label: str):  # type: ignore[no-untyped-def]
    """The (form submit) button with this label."""
    return next(b for b in at.button if b.label == label)
