"""Kiosk devices: issued a token once (shown to the admin, stored only as its SHA-256),
revocable, tied to a service centre (unit), a counter and the officer on duty there.

A token is 256 random bits, so a plain SHA-256 is enough to store it (no password stretching:
nothing to guess) and lets a request find its device through the unique index at once.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
import time
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from monitor import audit
from monitor.db import session_scope
from monitor.models import KioskDevice, Officer, Unit

TOKEN_PREFIX = "kd_"


class DeviceError(ValueError):
    """Bad device data (unknown unit or officer, unknown device)."""


@dataclass(frozen=True)
class DeviceInfo:
    id: int
    name: str
    unit_id: int
    unit_code: str
    unit_name: str
    counter: str | None
    officer_id: int | None
    officer_name: str | None
    created_at: datetime | None = None
    revoked_at: datetime | None = None
    last_seen_at: datetime | None = None

    @property
    def active(self) -> bool:
        return self.revoked_at is None

    def public_json(self) -> dict[str, object]:
        """What the kiosk page shows about itself."""
        return {
            "id": self.id,
            "name": self.name,
            "unit": self.unit_name,
            "counter": self.counter,
            "officer": self.officer_name,
        }


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def _query() -> Any:
    return (
        select(KioskDevice, Unit.code, Unit.name, Officer.name)
        .join(Unit, Unit.id == KioskDevice.unit_id)
        .outerjoin(Officer, Officer.id == KioskDevice.officer_id)
    )


def _info(row: Any) -> DeviceInfo:
    d, unit_code, unit_name, officer_name = row
    return DeviceInfo(
        d.id,
        d.name,
        d.unit_id,
        unit_code,
        unit_name,
        d.counter,
        d.officer_id,
        officer_name,
        d.created_at,
        d.revoked_at,
        d.last_seen_at,
    )


def add_device(
    session: Session,
    name: str,
    unit_code: str,
    *,
    counter: str | None,
    officer_code: str | None,
    actor: str,
    now: datetime,
) -> tuple[DeviceInfo, str]:
    """Register a device; returns it with its token, which is shown this once only."""
    unit_id = session.scalar(select(Unit.id).where(Unit.code == unit_code))
    if unit_id is None:
        raise DeviceError(f"Không có đơn vị mã '{unit_code}'.")
    officer_id = None
    if officer_code:
        officer_id = session.scalar(select(Officer.id).where(Officer.code == officer_code))
        if officer_id is None:
            raise DeviceError(f"Không có cán bộ mã '{officer_code}'.")
    token = new_token()
    device = KioskDevice(
        name=name,
        token_hash=hash_token(token),
        unit_id=unit_id,
        counter=counter,
        officer_id=officer_id,
        created_at=now,
    )
    session.add(device)
    session.flush()
    audit.record(
        session, actor, "kiosk.add", f"kiosk:{device.id}", {"name": name, "unit": unit_code}
    )
    row = session.execute(_query().where(KioskDevice.id == device.id)).one()
    return _info(row), token


def list_devices(session: Session) -> list[DeviceInfo]:
    rows = session.execute(_query().order_by(KioskDevice.id)).all()
    return [_info(r) for r in rows]


def revoke_device(session: Session, device_id: int, *, actor: str, now: datetime) -> bool:
    """Revoke; False if it was already revoked. DeviceError if there is no such device."""
    device = session.get(KioskDevice, device_id)
    if device is None:
        raise DeviceError(f"Không có thiết bị số {device_id}.")
    if device.revoked_at is not None:
        return False
    device.revoked_at = now
    audit.record(session, actor, "kiosk.revoke", f"kiosk:{device_id}", {"name": device.name})
    return True


def find_by_token(session: Session, token: str) -> DeviceInfo | None:
    row = session.execute(_query().where(KioskDevice.token_hash == hash_token(token))).first()
    return None if row is None else _info(row)


class DeviceCache:
    """Token → device for a few seconds, so a busy kiosk API does not read the device on
    every request; a revocation takes effect within ``ttl`` seconds. Bounded in size."""

    def __init__(self, engine: Engine, ttl: float = 10.0, max_entries: int = 4096) -> None:
        self.engine, self.ttl, self.max_entries = engine, ttl, max_entries
        self._entries: dict[str, tuple[float, DeviceInfo]] = {}
        self._seen: dict[int, float] = {}
        self._lock = threading.Lock()

    def lookup(self, token: str) -> DeviceInfo | None:
        key = hash_token(token)
        now = time.monotonic()
        with self._lock:
            hit = self._entries.get(key)
        if hit is not None and now - hit[0] < self.ttl:
            return hit[1]
        with session_scope(self.engine) as s:
            row = s.execute(_query().where(KioskDevice.token_hash == key)).first()
        if row is None:
            return None  # unknown tokens are not cached: the address limiter slows guessing
        info = _info(row)
        with self._lock:
            if len(self._entries) >= self.max_entries:
                self._entries.clear()
            self._entries[key] = (now, info)
        return info

    def due_for_touch(self, device_id: int, every: float = 60.0) -> bool:
        """Whether to record that the device was heard from: at most once a minute, since
        every write is costly on the hot path."""
        now = time.monotonic()
        with self._lock:
            last = self._seen.get(device_id)
            if last is not None and now - last < every:
                return False
            if len(self._seen) >= self.max_entries:
                self._seen.clear()
            self._seen[device_id] = now
        return True
