"""A small province for the alert tests: a unit tree with supervisors at each level, land and
civil-status fields, and dossiers whose deadline conclusions are set directly (the deadline
engine's columns), so the alert tests do not depend on the engine."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from sqlalchemy import Engine, func, select

from alerts.rules import Rule, parse_rules
from monitor.config import Settings
from monitor.db import session_scope
from monitor.models import Alert, AuditEntry, Dossier, Field, Notification, Source, Unit, User

VN = timezone(timedelta(hours=7))
# Monday 10/03/2025, a working day, mid-morning.
MONDAY_9 = datetime(2025, 3, 10, 9, 0, tzinfo=VN)
SECRET = "bí-mật-webhook"


@dataclass
class Org:
    units: dict[str, int] = field(default_factory=dict)
    users: dict[str, int] = field(default_factory=dict)
    fields: dict[str, int] = field(default_factory=dict)
    source_id: int = 0


# code: (parent code, supervisors)
TREE = {
    "TINH": (None, ["gd_tinh"]),
    "SO-TNMT": ("TINH", ["gd_so"]),
    "PHONG-DD": ("SO-TNMT", ["tp_dd", "pp_dd"]),
    "XA-A": ("TINH", ["ct_xa"]),
    "XA-B": ("TINH", []),  # no supervisor of its own: hands over to TINH
}


def build_org(engine: Engine) -> Org:
    org = Org()
    with session_scope(engine) as s:
        for code, (parent, _sup) in TREE.items():
            unit = Unit(
                code=code,
                name=f"Đơn vị {code}",
                level="department",
                parent_id=org.units[parent] if parent else None,
            )
            s.add(unit)
            s.flush()
            org.units[code] = unit.id
        for code, (_parent, sups) in TREE.items():
            for name in sups:
                user = User(
                    username=name,
                    full_name=f"Ông/Bà {name}",
                    email=f"{name}@motcua.test",
                    password_hash="x",
                    role="supervisor",
                    unit_id=org.units[code],
                )
                s.add(user)
                s.flush()
                org.users[name] = user.id
        admin = User(username="quantri", email="qt@motcua.test", password_hash="x", role="admin")
        s.add(admin)
        for code, name, land in (("DD", "Đất đai", True), ("HT", "Hộ tịch", False)):
            f = Field(code=code, name=name, is_land=land)
            s.add(f)
            s.flush()
            org.fields[code] = f.id
        src = Source(name="dvc", kind="file")
        s.add(src)
        s.flush()
        org.users["quantri"] = admin.id
        org.source_id = src.id
    return org


def add_dossier(
    engine: Engine,
    org: Org,
    code: str,
    unit: str = "PHONG-DD",
    field_code: str = "DD",
    due_status: str = "overdue",
    due: datetime = MONDAY_9 - timedelta(days=3),
    **kw: Any,
) -> int:
    with session_scope(engine) as s:
        d = Dossier(
            source_id=org.source_id,
            code=code,
            field_id=org.fields[field_code],
            resolving_unit_id=org.units[unit],
            received_at=kw.pop("received_at", due - timedelta(days=10)),
            due_at=due,
            effective_due_at=due,
            status=kw.pop("status", 4),
            due_status=due_status,
            **kw,
        )
        s.add(d)
        s.flush()
        return d.id


def set_dossier(engine: Engine, dossier_id: int, **values: Any) -> None:
    with session_scope(engine) as s:
        d = s.get(Dossier, dossier_id)
        assert d is not None
        for k, v in values.items():
            setattr(d, k, v)


def rules(toml_tables: list[dict[str, Any]]) -> list[Rule]:
    return parse_rules(toml_tables)


def settings(**kw: Any) -> Settings:
    base: dict[str, Any] = {
        "console_url": "http://console.test",
        "alert_group_interval_minutes": 15,
        "alert_repeat_working_hours": 8,
        "alert_escalation_working_hours": 4,
        "notify_retry_seconds": 60,
        "webhook_secret": SECRET,
    }
    return Settings(**(base | kw))


def alerts(engine: Engine) -> list[Alert]:
    with session_scope(engine) as s:
        rows = list(s.scalars(select(Alert).order_by(Alert.id)))
        s.expunge_all()
        return rows


def notifications(engine: Engine, **where: Any) -> list[Notification]:
    with session_scope(engine) as s:
        q = select(Notification).order_by(Notification.id)
        for k, v in where.items():
            q = q.where(getattr(Notification, k) == v)
        rows = list(s.scalars(q))
        s.expunge_all()
        return rows


def audit_actions(engine: Engine, target: str) -> list[str]:
    with session_scope(engine) as s:
        q = select(AuditEntry.action).where(AuditEntry.target == target).order_by(AuditEntry.id)
        return list(s.scalars(q))


def count(engine: Engine, model: Any) -> int:
    with session_scope(engine) as s:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Receiver:
    """A webhook receiver on loopback recording every request (body and headers)."""

    def __init__(self, status: int = 200) -> None:
        self.requests: list[tuple[dict[str, str], bytes]] = []
        self.status = status
        self.lock = threading.Lock()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", 0))
                body = self.rfile.read(length)
                with outer.lock:
                    outer.requests.append((dict(self.headers.items()), body))
                self.send_response(outer.status)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                return None

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> Receiver:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def keys(self) -> list[str]:
        with self.lock:
            return [h.get("Idempotency-Key", "") for h, _b in self.requests]


def iter_days(start: datetime, n: int) -> Iterator[datetime]:
    for i in range(n):
        yield start + timedelta(days=i)
