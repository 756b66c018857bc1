"""Running console pages in Streamlit's AppTest against the test database, and a small
province dated relative to today (the pages read the clock): overdue and due-soon dossiers in
two communes and at a department, a finished one rated, alerts on the overdue ones, and one
account per role (a supervisor in each commune).

Import the ``console`` fixture into a test module to use it."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

import pytest
import streamlit as st
from reports_helpers import Province, add_dossier, make_province
from sqlalchemy import Engine, select
from streamlit.testing.v1 import AppTest

from alerts.rules import parse_rules
from alerts.service import evaluate_alerts
from console.session import SignedIn
from monitor.auth import create_user
from monitor.calendar import VN_TZ
from monitor.config import Settings
from monitor.db import session_scope
from monitor.evaluate import evaluate
from monitor.models import Alert, utcnow

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "mat-khau-thu-nghiem"
RULES = parse_rules([{"name": "qua-han", "condition": "overdue", "severity": "warning"}])


def _clear_caches() -> None:
    from console.resources import get_engine

    get_engine().dispose()
    st.cache_resource.clear()
    st.cache_data.clear()


@pytest.fixture
def console(db_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[str]:
    """The console's settings point at the test database; Streamlit's caches start empty."""
    monkeypatch.setenv("MOTCUA_DATABASE_URL", db_url)
    monkeypatch.setenv("MOTCUA_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("MOTCUA_CONFIG", str(tmp_path / "motcua.toml"))
    st.cache_resource.clear()
    st.cache_data.clear()
    yield db_url
    _clear_caches()


def open_page(page: str, user: SignedIn | None, query: dict[str, str] | None = None) -> AppTest:
    """Run ``console/<page>`` signed in as ``user``, with URL query parameters."""
    at = AppTest.from_file(str(ROOT / "console" / page), default_timeout=90)
    if user is not None:
        at.session_state["user"] = user
        at.session_state["last_seen"] = utcnow()
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, at.exception
    return at


def page_text(at: AppTest) -> str:
    """Every text the page shows: markdown, messages, metrics and table cells."""
    parts: list[str] = []
    for kind in ("markdown", "caption", "subheader", "title", "error", "warning", "success"):
        parts += [str(e.value) for e in getattr(at, kind)]
    parts += [f"{m.label} {m.value}" for m in at.metric]
    parts += [df.value.to_string() for df in at.dataframe]
    return "\n".join(parts)


@dataclass
class World:
    p: Province
    users: dict[str, SignedIn] = field(default_factory=dict)
    dossiers: dict[str, int] = field(default_factory=dict)
    alerts: dict[str, int] = field(default_factory=dict)  # dossier code -> alert id


def _users(engine: Engine) -> dict[str, SignedIn]:
    specs = [
        ("quantri", "admin", None),
        ("thanhtra", "inspector", None),
        ("giamsat.a", "supervisor", "H56.X1"),
        ("giamsat.b", "supervisor", "H56.X2"),
    ]
    out = {}
    with session_scope(engine) as s:
        for name, role, unit in specs:
            u = create_user(s, name, PASSWORD, role, unit, full_name=f"Tài khoản {name}")
            out[name] = SignedIn(u.id, u.username, u.full_name, u.role, u.unit_id)
    return out


def _vn(moment: datetime) -> str:
    return moment.astimezone(VN_TZ).strftime("%Y-%m-%d %H:%M")


def make_world(engine: Engine) -> World:
    """XA-A-QUAHAN (land, overdue 20 days, with steps) and XA-A-SAPDEN (due today) at commune
    A; XA-A-XONG finished early and rated; XA-B-QUAHAN at commune B; SO-QUAHAN at the land
    office. Evaluated now; the overdue ones carry an alert."""
    p = make_province(engine)
    w = World(p, _users(engine))
    now = utcnow()
    today_vn = now.astimezone(VN_TZ).replace(hour=23, minute=0)
    day = timedelta(days=1)

    def add(
        code: str, unit: int, fld: int, received: datetime, due: datetime, **kw: object
    ) -> None:
        w.dossiers[code] = add_dossier(
            engine, p, unit=unit, field=fld, code=code, received=_vn(received), due=_vn(due), **kw
        )

    steps = [
        (
            "Bộ phận Một cửa xã An Phú",
            _vn(now - 30 * day),
            _vn(now - 29 * day),
            _vn(now - 28 * day),
        ),
        ("Công chức địa chính xã An Phú", _vn(now - 29 * day), None, _vn(now - 25 * day)),
    ]
    add("XA-A-QUAHAN", p.commune_a, p.land, now - 30 * day, now - 20 * day, steps=steps)
    add("XA-A-SAPDEN", p.commune_a, p.civil, now - 5 * day, today_vn)
    add("XA-A-XONG", p.commune_a, p.civil, now - 6 * day, now - day, status=10,
        finished=_vn(now - 2 * day), channel=2, rating=3)  # fmt: skip
    add("XA-B-QUAHAN", p.commune_b, p.civil, now - 30 * day, now - 20 * day)
    add("SO-QUAHAN", p.land_office, p.land, now - 30 * day, now - 10 * day)
    evaluate(engine, now, full=True, settings=Settings())
    evaluate_alerts(engine, Settings(), now, RULES)
    with session_scope(engine) as s:
        for alert in s.scalars(select(Alert)):
            w.alerts[alert.detail["dossier_code"]] = alert.id
    return w
