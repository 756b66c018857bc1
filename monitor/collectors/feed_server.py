"""Serve national-format dossiers as an HTTP feed (docs/national-format.md, "HTTP feed").

The simulated province (``motcua demo-source``) uses this, so the demo exercises the real
collector. Records are ordered by a change key ``<yyyyMMddHHmmss of the last change>|<MaHoSo>``;
``since`` and the page token are both keys, so paging is stable and a pull resumes exactly
where the previous one stopped.
"""

from __future__ import annotations

import bisect
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from fastapi import FastAPI, Query

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


@dataclass
class Snapshot:
    keys: list[str]
    records: list[Mapping[str, Any]]

    @classmethod
    def of(cls, records: Iterable[Mapping[str, Any]]) -> Snapshot:
        keyed = sorted(((change_key(r), r) for r in records), key=lambda kr: kr[0])
        return cls([k for k, _ in keyed], [r for _, r in keyed])

    def page(self, after: str, limit: int) -> tuple[Sequence[Mapping[str, Any]], str | None, str]:
        """Records with a key > ``after``; the next page token (or None); the new cursor."""
        start = bisect.bisect_right(self.keys, after)
        end = min(start + limit, len(self.keys))
        items = self.records[start:end]
        cursor = self.keys[end - 1] if end > start else after
        return items, (cursor if end < len(self.keys) else None), cursor


@dataclass
class Feed:
    """Records from ``load`` (called again after ``ttl`` seconds), served in change order."""

    load: Callable[[], Iterable[Mapping[str, Any]]]
    ttl: float = 60.0
    _snapshot: Snapshot | None = field(default=None, repr=False)
    _loaded_at: float = field(default=0.0, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def snapshot(self) -> Snapshot:
        with self._lock:
            if self._snapshot is None or time.monotonic() - self._loaded_at > self.ttl:
                self._snapshot = Snapshot.of(self.load())
                self._loaded_at = time.monotonic()
            return self._snapshot


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
