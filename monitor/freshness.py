"""Source freshness: a source that stopped delivering is an alert too.

This module only detects; the alert itself (one per source, opened, resolved when the source
delivers again, reopened if it stops again) is the ``stale_source`` condition of the alert
rules (alerts/conditions/others.py), so every alert shares one lifecycle."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from monitor.models import Source


def stale_sources(session: Session, now: datetime) -> list[Source]:
    """Enabled HTTP sources with no successful collection within their expected interval."""
    out = []
    for src in session.scalars(
        select(Source).where(Source.enabled.is_(True), Source.kind == "http")
    ):
        last = src.last_success_at
        if last is None or now - last > timedelta(minutes=src.expected_interval_minutes):
            out.append(src)
    return out
