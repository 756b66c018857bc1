"""Source freshness: a source that stopped delivering is an alert too."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session

from monitor import vi_format
from monitor.db import session_scope
from monitor.enums import AlertState, Severity
from monitor.models import Alert, Source

RULE = "stale_source"


def stale_sources(session: Session, now: datetime) -> list[Source]:
    out = []
    for src in session.scalars(
        select(Source).where(Source.enabled.is_(True), Source.kind == "http")
    ):
        last = src.last_success_at
        if last is None or now - last > timedelta(minutes=src.expected_interval_minutes):
            out.append(src)
    return out


def _raise(session: Session, src: Source, now: datetime) -> bool:
    key = f"{RULE}:{src.name}"
    alert = session.scalar(select(Alert).where(Alert.key == key))
    last = vi_format.moment(src.last_success_at) or "chưa lần nào"
    title = f"Nguồn dữ liệu '{src.name}' không gửi dữ liệu (lần cuối: {last})"
    if alert is None:
        session.add(
            Alert(
                rule=RULE,
                key=key,
                subject_kind="source",
                subject_id=src.name,
                severity=Severity.WARNING,
                state=AlertState.OPEN,
                title=title,
                first_seen_at=now,
                last_seen_at=now,
            )
        )
        return True
    if alert.state == AlertState.RESOLVED:
        alert.state, alert.resolved_at = AlertState.OPEN, None
        alert.reopen_count += 1
    alert.title, alert.last_seen_at = title, now
    return False


def check_freshness(engine: Engine, now: datetime) -> dict[str, int]:
    """Open (or keep open) an alert per stale source; resolve those whose source recovered."""
    with session_scope(engine) as s:
        stale = stale_sources(s, now)
        raised = sum(_raise(s, src, now) for src in stale)
        stale_keys = [f"{RULE}:{src.name}" for src in stale]
        resolved = s.execute(
            update(Alert)
            .where(
                Alert.rule == RULE, Alert.state != AlertState.RESOLVED, Alert.key.not_in(stale_keys)
            )
            .values(state=AlertState.RESOLVED, resolved_at=now)
        )
    return {
        "stale": len(stale),
        "raised": raised,
        "resolved": int(getattr(resolved, "rowcount", 0) or 0),
    }
