"""Alert benchmark: a province of 1,000,000 dossiers of which 50,000 are overdue.

Measures, with the shipped rules: the first evaluation (alerts created), planning (grouped
messages), dispatch to a real SMTP server and a real webhook receiver on loopback, a second
evaluation (nothing new, nothing sent), and resolution when 5,000 dossiers are returned.

Usage: python bench/alerts.py [--dossiers N] [--overdue N] [--url DATABASE_URL]
(default: a fresh SQLite file in a temporary directory; a PostgreSQL URL must point at an
empty schema, which the script migrates).
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import socket
import sqlite3
import sys
import tempfile
import threading
import time
from collections import Counter
from datetime import UTC, datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

# This file is bench/alerts.py: its directory must not shadow the ``alerts`` package.
_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]

from aiosmtpd.controller import Controller  # noqa: E402
from psycopg.types.json import Json  # noqa: E402
from sqlalchemy import Engine, func, select, update  # noqa: E402

from alerts.outbox.dispatch import dispatch  # noqa: E402
from alerts.rules import load_rules  # noqa: E402
from alerts.service import evaluate_alerts, plan_notifications  # noqa: E402
from monitor import migrate  # noqa: E402
from monitor.config import Settings  # noqa: E402
from monitor.db import make_engine, session_scope  # noqa: E402
from monitor.models import (  # noqa: E402
    Dossier,
    Field,
    Notification,
    NotificationChannel,
    Source,
    Unit,
    User,
)

VN = timezone(timedelta(hours=7))
NOW = datetime(2025, 3, 10, 9, 0, tzinfo=VN)  # a Monday morning: working hours
FIELDS = [("DD", "Đất đai", True), ("HT", "Hộ tịch", False), ("XD", "Xây dựng", False)]


def machine() -> str:
    cpu = platform.processor() or "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return (
        f"CPU: {cpu}; cores: {os.cpu_count()}; Python {platform.python_version()}; "
        f"SQLite {sqlite3.sqlite_version}; load average at start: {load}"
    )


def build_units(engine: Engine) -> tuple[list[int], int]:
    """Province → 20 departments → 5 divisions each; province → 500 communes; one supervisor
    (with an email address) per unit. Returns the units dossiers go to, and supervisors."""
    with session_scope(engine) as s:
        top = Unit(code="TINH", name="UBND tỉnh", level="province")
        s.add(top)
        s.flush()
        leaves: list[int] = []
        units = [top]
        for d in range(20):
            dep = Unit(code=f"SO-{d:02d}", name=f"Sở {d}", level="department", parent_id=top.id)
            s.add(dep)
            s.flush()
            units.append(dep)
            for v in range(5):
                div = Unit(
                    code=f"SO-{d:02d}-P{v}",
                    name=f"Phòng {d}.{v}",
                    level="division",
                    parent_id=dep.id,
                )
                s.add(div)
                s.flush()
                units.append(div)
                leaves.append(div.id)
        for c in range(500):
            com = Unit(code=f"XA-{c:03d}", name=f"Xã {c}", level="commune", parent_id=top.id)
            s.add(com)
            s.flush()
            units.append(com)
            leaves.append(com.id)
        for u in units:
            s.add(
                User(
                    username=f"gs-{u.code.lower()}",
                    full_name=f"Giám sát {u.name}",
                    email=f"gs-{u.code.lower()}@tinh.test",
                    password_hash="x",
                    role="supervisor",
                    unit_id=u.id,
                )
            )
        s.add(User(username="quantri", email="qt@tinh.test", password_hash="x", role="admin"))
        for code, name, land in FIELDS:
            s.add(Field(code=code, name=name, is_land=land))
        s.add(Source(name="dvc", kind="file"))
    return leaves, len(units)


def _status(i: int, overdue: int, rnd: random.Random) -> tuple[str, int, datetime, str]:
    """(due_status, status code, due, breaches): the first ``overdue`` are overdue."""
    if i < overdue:
        return "overdue", 4, NOW - timedelta(days=rnd.randrange(1, 60)), ""
    if i < overdue + 20_000:
        return "due_soon", 4, NOW + timedelta(hours=rnd.randrange(1, 8)), ""
    if i < overdue + 22_000:  # recently finished late without an apology
        return "late", 10, NOW - timedelta(days=rnd.randrange(2, 20)), "late_without_apology"
    if i % 5 == 0:
        return "in_time", 4, NOW + timedelta(days=rnd.randrange(2, 30)), ""
    return "on_time", 10, NOW - timedelta(days=rnd.randrange(30, 400)), ""


COLUMNS = (
    "source_id, code, procedure_code, procedure_name, field_id, resolving_unit_id, channel, "
    "received_at, due_at, effective_due_at, finished_at, status, due_status, breaches, "
    "responsible_units, source_version, created_at, updated_at"
)


def build_dossiers(engine: Engine, n: int, overdue: int, leaves: list[int]) -> None:
    """Rows straight through the driver (the data generator is not what is measured)."""
    rnd = random.Random(2025)
    with session_scope(engine) as s:
        fields = [f for (f,) in s.execute(select(Field.id).order_by(Field.id))]
        source = s.scalar(select(Source.id))
    sqlite_db = engine.dialect.name == "sqlite"
    stamp = _sqlite_time if sqlite_db else (lambda t: t)
    empty: Any = "[]" if sqlite_db else Json([])
    order = list(range(n))
    rnd.shuffle(order)  # overdue dossiers are spread over ids, as in life
    created = stamp(NOW - timedelta(days=400))
    mark = "?" if sqlite_db else "%s"
    sql = f"INSERT INTO dossiers ({COLUMNS}) VALUES ({', '.join([mark] * 18)})"
    chunk: list[tuple[Any, ...]] = []
    for rank, i in enumerate(order):
        due_status, status, due, breaches = _status(rank, overdue, rnd)
        chunk.append(
            (
                source,
                f"H56-{i:07d}",
                "",
                "Thủ tục",
                fields[i % len(fields)],
                leaves[i % len(leaves)],
                1 + i % 3,
                stamp(due - timedelta(days=10)),
                stamp(due),
                stamp(due),
                stamp(due) if status == 10 else None,
                status,
                due_status,
                breaches,
                empty,
                "",
                created,
                created,
            )
        )
        if len(chunk) == 50_000:
            _flush(engine, sql, chunk)
    _flush(engine, sql, chunk)


def _sqlite_time(t: datetime) -> str:
    return t.astimezone(UTC).replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")


def _flush(engine: Engine, sql: str, chunk: list[tuple[Any, ...]]) -> None:
    if chunk:
        raw = engine.raw_connection()
        try:
            cur = raw.cursor()
            if engine.dialect.name == "sqlite":
                cur.execute("BEGIN")  # db.py runs SQLite in autocommit: one transaction here
            cur.executemany(sql, chunk)
            cur.execute("COMMIT") if engine.dialect.name == "sqlite" else raw.commit()
        finally:
            raw.close()
        chunk.clear()


class Hook(BaseHTTPRequestHandler):
    posts = 0

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        Hook.posts += 1
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        return None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Sink:
    def __init__(self) -> None:
        self.count = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.count += 1
        return "250 OK"


def timed(label: str, fn: Any) -> Any:
    t = time.perf_counter()
    result = fn()
    print(f"{label:<58} {time.perf_counter() - t:8.2f} s")
    return result


def per_channel(engine: Engine) -> dict[str, int]:
    with session_scope(engine) as s:
        rows = s.execute(
            select(NotificationChannel.kind, func.count())
            .join(Notification, Notification.channel_id == NotificationChannel.id)
            .group_by(NotificationChannel.kind)
        ).all()
    return {k: int(n) for k, n in rows}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--dossiers", type=int, default=1_000_000)
    ap.add_argument("--overdue", type=int, default=50_000)
    ap.add_argument("--url", default="")
    args = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="bench-alerts-")
    url = args.url or f"sqlite:///{tmp}/bench.db"
    engine = make_engine(url)
    migrate.upgrade(engine)
    print(machine())
    print(
        f"database: {engine.dialect.name}; dossiers: {args.dossiers:,}; overdue: {args.overdue:,}"
    )
    leaves, supervisors = timed("build units and supervisors", lambda: build_units(engine))
    timed(
        f"insert {args.dossiers:,} dossiers",
        lambda: build_dossiers(engine, args.dossiers, args.overdue, leaves),
    )
    sink, port = Sink(), free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    settings = Settings(
        smtp_host="127.0.0.1", smtp_port=port, webhook_secret="bench", console_url="http://c"
    )
    rules = load_rules({"MOTCUA_CONFIG": "/nonexistent"})
    server = ThreadingHTTPServer(("127.0.0.1", 0), Hook)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    with session_scope(engine) as s:
        url = f"http://127.0.0.1:{server.server_address[1]}/hook"
        s.add(NotificationChannel(name="zalo-oa", kind="webhook", config={"url": url}))
    first = timed(
        f"evaluate {len(rules)} shipped rules (first run)",
        lambda: evaluate_alerts(engine, settings, NOW, rules),
    )
    plan = timed(
        "plan grouped notifications", lambda: plan_notifications(engine, settings, NOW, rules)
    )
    sent = timed(
        "dispatch (inbox, SMTP, webhook on loopback)", lambda: dispatch(engine, settings, NOW)
    )
    later = NOW + timedelta(minutes=20)
    second = timed(
        "evaluate again (steady state)", lambda: evaluate_alerts(engine, settings, later, rules)
    )
    plan2 = timed("plan again", lambda: plan_notifications(engine, settings, later, rules))
    sent2 = timed("dispatch again", lambda: dispatch(engine, settings, later))
    with session_scope(engine) as s:
        q = select(Dossier.id).where(Dossier.due_status == "overdue").limit(5_000)
        ids = s.scalars(q).all()
        s.execute(update(Dossier).where(Dossier.id.in_(ids)).values(due_status="late", status=10))
    after = later + timedelta(minutes=5)
    third = timed(
        "evaluate after 5,000 dossiers returned",
        lambda: evaluate_alerts(engine, settings, after, rules),
    )
    server.shutdown()
    controller.stop()
    report(first, plan, sent, second, plan2, sent2, third, engine, supervisors, sink.count)


def report(
    first: Any,
    plan: Any,
    sent: Any,
    second: Any,
    plan2: Any,
    sent2: Any,
    third: Any,
    engine: Engine,
    supervisors: int,
    emails: int,
) -> None:
    counts = Counter({k: v["opened"] for k, v in first["rules"].items() if v["opened"]})
    print(f"alerts opened: {first['opened']:,} by rule {dict(counts)}")
    print(f"alerts put into messages: {plan.notified:,}; outbox rows: {plan.messages:,}")
    print(f"outbox rows per channel kind: {per_channel(engine)}")
    print(
        f"supervisors: {supervisors:,}; messages sent: {sent.sent:,} (emails received by the "
        f"SMTP server: {emails:,}; webhook posts received: {Hook.posts:,}); failed: {sent.failed}"
    )
    print(f"second run: opened {second['opened']}, planned {plan2.messages}, sent {sent2.sent}")
    print(f"after returns: resolved {third['resolved']:,}")


if __name__ == "__main__":
    main()
