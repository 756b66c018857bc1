"""Serve national-format dossiers as an HTTP feed (docs/national-format.md, "HTTP feed").

The simulated province (``motcua demo-source``) uses this, so the demo exercises the real
collector. Records are ordered by a change key ``<yyyyMMddHHmmss>|<MaHoSo>``; ``since`` and the
page token are both keys, so paging is stable and a pull resumes exactly where the previous
one stopped.

At the first load a record's key carries the date of its latest event. From then on the
server keys by when *it saw* a change: a record that is new, or whose content differs from the
previous load, gets the reload's moment — later than every key handed out so far — so a
change that carries no event date (a corrected name, a moved appointment) and a dossier
entered late with an old receipt date still come after any cursor a client holds.
"""

from __future__ import annotations

import bisect
import hashlib
import json
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi import FastAPI, Query

from monitor.vntime import VN_TZ

FEED_PATH = "/api/dossiers"
MAX_LIMIT = 5000
# Dates that mark something happening to a dossier (an appointment is not a change).
_EVENT_DATES = ("NgayNopHoSo", "NgayTiepNhan", "NgayKetThucXuLy", "NgayTra")
_CHILD_EVENT_DATES = {
    "QuaTrinhXuLy": ("NgayBatDau", "ThoiDiemXuLy"),
    "DanhSachHoSoBoSung": ("NgayBoSung", "NgayTiepNhanBoSung"),
    "DanhSachXinLoi": ("NgayXinLoi",),
}


def change_key(record: Mapping[str, Any]) -> str:
    """``<latest event date>|<MaHoSo>``: sorts by when the dossier last changed."""
    dates = [str(record.get(k) or "") for k in _EVENT_DATES]
    for key, names in _CHILD_EVENT_DATES.items():
        for child in record.get(key) or ():
            dates.extend(str(child.get(n) or "") for n in names)
    return f"{max(dates, default=''):0>14}|{record.get('MaHoSo', '')}"


def fingerprint(record: Mapping[str, Any]) -> str:
    """The record's content, to tell a changed record from an unchanged one."""
    text = json.dumps(record, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def _moment_after(keys: Iterable[str], now: datetime) -> str:
    """``now`` as yyyyMMddHHmmss in Vietnam time, or one second after the latest key's date if
    that is later (a source whose event dates run ahead of the server's clock)."""
    latest = max((k.split("|", 1)[0] for k in keys), default="")
    stamp = now.astimezone(VN_TZ).strftime("%Y%m%d%H%M%S")
    if latest and latest.isdigit() and len(latest) == 14 and latest >= stamp:
        later = datetime.strptime(latest, "%Y%m%d%H%M%S") + timedelta(seconds=1)
        stamp = later.strftime("%Y%m%d%H%M%S")
    return stamp


@dataclass
class Snapshot:
    keys: list[str]
    records: list[Mapping[str, Any]]
    seen: dict[str, tuple[str, str]] = field(default_factory=dict)  # code: fingerprint, key

    @classmethod
    def of(
        cls,
        records: Iterable[Mapping[str, Any]],
        previous: Snapshot | None = None,
        now: datetime | None = None,
    ) -> Snapshot:
        """Key the records: by their latest event the first time, by the reload's moment
        when new or changed since ``previous``, unchanged ones keeping their key."""
        items = list(records)
        seen: dict[str, tuple[str, str]] = {}
        stamp = (
            _moment_after(previous.keys, now or datetime.now(UTC)) if previous is not None else ""
        )
        keyed = []
        for r in items:
            code, print_ = str(r.get("MaHoSo", "")), fingerprint(r)
            before = previous.seen.get(code) if previous is not None else None
            if previous is None:
                key = change_key(r)
            elif before is not None and before[0] == print_:
                key = before[1]
            else:
                key = f"{stamp}|{code}"
            seen[code] = (print_, key)
            keyed.append((key, r))
        keyed.sort(key=lambda kr: kr[0])
        return cls([k for k, _ in keyed], [r for _, r in keyed], seen)

    def page(self, after: str, limit: int) -> tuple[Sequence[Mapping[str, Any]], str | None, str]:
        """Records with a key > ``after``; the next page token (or None); the new cursor."""
        start = bisect.bisect_right(self.keys, after)
        end = min(start + limit, len(self.keys))
        items = self.records[start:end]
        cursor = self.keys[end - 1] if end > start else after
        return items, (cursor if end < len(self.keys) else None), cursor


@dataclass
class Feed:
    """Records from ``load`` (called again after ``ttl`` seconds), served in change order.

    One request at a time rebuilds a stale snapshot; meanwhile the others are answered from the
    previous one (the simulated province takes seconds to regenerate). Only the very first
    load makes requests wait."""

    load: Callable[[], Iterable[Mapping[str, Any]]]
    ttl: float = 60.0
    _snapshot: Snapshot | None = field(default=None, repr=False)
    _loaded_at: float = field(default=0.0, repr=False)
    _building: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def _stale(self) -> bool:
        return self._snapshot is None or time.monotonic() - self._loaded_at > self.ttl

    def snapshot(self) -> Snapshot:
        current = self._snapshot
        if not self._stale() and current is not None:
            return current
        if not self._building.acquire(blocking=current is None):
            assert current is not None
            return current  # someone else is rebuilding: serve the previous snapshot
        try:
            if self._stale():  # not rebuilt while this request waited for the first load
                self._snapshot = Snapshot.of(self.load(), self._snapshot)
                self._loaded_at = time.monotonic()
            assert self._snapshot is not None
            return self._snapshot
        finally:
            self._building.release()


def create_app(feed: Feed, title: str = "Hệ thống một cửa mô phỏng") -> FastAPI:
    app = FastAPI(title=title, docs_url=None, redoc_url=None, openapi_url=None)

    @app.get(FEED_PATH)
    def dossiers(
        since: str = "",
        limit: int = Query(500, ge=1),
        cursor: str = "",
    ) -> dict[str, Any]:
        # A larger page than the server gives is cut, not refused: the client follows `next`.
        size = min(limit, MAX_LIMIT)
        items, next_token, new_cursor = feed.snapshot().page(max(since, cursor), size)
        return {"items": list(items), "next": next_token, "cursor": new_cursor}

    @app.get("/health")
    def health() -> dict[str, Any]:
        return {"ok": True, "dossiers": len(feed.snapshot().keys)}

    return app
