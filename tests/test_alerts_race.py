"""Two dispatcher processes on one database notify each alert once: planning is serialised,
outbox rows are claimed with a conditional UPDATE (FOR UPDATE SKIP LOCKED on PostgreSQL), and
the receiver sees every idempotency key exactly once."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest
from alerts_helpers import SECRET, Receiver, add_dossier, build_org, count, settings
from sqlalchemy import Engine

from alerts.channels.registry import ensure_builtin
from alerts.kinds import NotificationKind
from alerts.outbox.store import Outgoing, enqueue
from alerts.rules import parse_rules
from alerts.service import evaluate_alerts
from monitor.db import make_engine, session_scope
from monitor.models import Alert, NotificationChannel

RULES_TOML = """
[[alerts.rules]]
name = "qua-han"
condition = "overdue"
severity = "critical"   # critical: goes out at any hour, so the test does not depend on it
"""
EXTRA = 150  # outbox rows queued beforehand, for the two dispatchers to fight over


def _seed(engine: Engine, url: str) -> int:
    org = build_org(engine)
    for i, unit in enumerate(["PHONG-DD"] * 6 + ["XA-A"] * 4 + ["XA-B"] * 3):
        add_dossier(engine, org, f"HS-{i}", unit=unit)
    with session_scope(engine) as s:
        ensure_builtin(s, settings())
        hook = NotificationChannel(name="zalo-oa", kind="webhook", config={"url": url})
        s.add(hook)
        s.flush()
        extra = [
            Outgoing(hook.id, None, f"extra:{i}", NotificationKind.ADMIN, "Thử", "Nội dung", {})
            for i in range(EXTRA)
        ]
        enqueue(s, extra, datetime.now(UTC))
    rules = parse_rules([{"name": "qua-han", "condition": "overdue", "severity": "critical"}])
    evaluate_alerts(engine, settings(), datetime.now(UTC), rules)
    return EXTRA + 4  # one grouped message each for tp_dd, pp_dd, ct_xa and gd_tinh (XA-B)


@pytest.mark.slow
def test_two_dispatcher_processes_notify_each_alert_once(db_url: str, tmp_path: Path) -> None:
    config = tmp_path / "motcua.toml"
    config.write_text(RULES_TOML, encoding="utf-8")
    env = dict(
        os.environ,
        MOTCUA_DATABASE_URL=db_url,
        MOTCUA_CONFIG=str(config),
        MOTCUA_DATA_DIR=str(tmp_path),
        MOTCUA_WEBHOOK_SECRET=SECRET,
    )
    engine = make_engine(db_url)
    with Receiver() as hook:
        expected = _seed(engine, hook.url)
        command = [sys.executable, "-m", "monitor.cli", "alerts", "dispatch", "--json"]
        procs = [
            subprocess.Popen(
                [*command, "--loop", "0.2", "--for", "2"],
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(2)
        ]
        outputs = [p.communicate(timeout=120) for p in procs]
        keys = Counter(hook.keys())
    for p, (_out, err) in zip(procs, outputs, strict=True):
        assert p.returncode == 0, err
    sent = [json.loads(out)["dispatch"]["sent"] for out, _err in outputs]
    assert max(keys.values()) == 1, "a message reached the receiver twice"
    assert sum(keys.values()) == expected
    assert sum(sent) == expected + 4  # the four inbox rows are delivered too
    assert count(engine, Alert) == 13
    engine.dispose()
