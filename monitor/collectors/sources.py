"""The sources table from the command line: add or change an HTTP feed, list them all."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import Engine, select

from monitor.db import session_scope
from monitor.enums import SourceKind
from monitor.models import Source


class SourceError(ValueError):
    """A source definition that cannot be used (bad name, URL or interval)."""


@dataclass(frozen=True)
class SourceView:
    name: str
    kind: str
    url: str | None
    enabled: bool
    expected_interval_minutes: int
    cursor: str | None
    last_attempt_at: datetime | None
    last_success_at: datetime | None
    last_error: str | None

    def as_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "kind": self.kind,
            "url": self.url,
            "enabled": self.enabled,
            "expected_interval_minutes": self.expected_interval_minutes,
            "cursor": self.cursor,
            "last_attempt_at": _iso(self.last_attempt_at),
            "last_success_at": _iso(self.last_success_at),
            "last_error": self.last_error,
        }


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def check_url(url: str) -> str:
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise SourceError(f"Địa chỉ '{url}' không hợp lệ: cần http:// hoặc https://.")
    return url.strip()


def add_http_source(engine: Engine, name: str, url: str, interval_minutes: int = 5) -> bool:
    """Create the HTTP source ``name`` or update its URL and interval; True if created.

    Changing the URL of an existing source clears its cursor: a cursor belongs to one feed.
    """
    name = name.strip()
    if not name or len(name) > 64:
        raise SourceError("Tên nguồn phải có từ 1 đến 64 ký tự.")
    if interval_minutes < 1:
        raise SourceError("Chu kỳ phải ít nhất 1 phút.")
    url = check_url(url)
    with session_scope(engine) as s:
        src = s.scalar(select(Source).where(Source.name == name))
        if src is None:
            s.add(
                Source(
                    name=name,
                    kind=SourceKind.HTTP,
                    url=url,
                    expected_interval_minutes=interval_minutes,
                    enabled=True,
                )
            )
            return True
        if src.kind != SourceKind.HTTP:
            raise SourceError(f"Nguồn '{name}' đã có và là nguồn tệp, không phải nguồn HTTP.")
        if src.url != url:
            src.url, src.cursor = url, None
        src.expected_interval_minutes = interval_minutes
        src.enabled = True
        return False


def list_sources(engine: Engine) -> list[SourceView]:
    with session_scope(engine) as s:
        return [
            SourceView(
                name=src.name,
                kind=src.kind,
                url=src.url,
                enabled=src.enabled,
                expected_interval_minutes=src.expected_interval_minutes,
                cursor=src.cursor,
                last_attempt_at=src.last_attempt_at,
                last_success_at=src.last_success_at,
                last_error=src.last_error,
            )
            for src in s.scalars(select(Source).order_by(Source.name))
        ]


def http_source_names(engine: Engine) -> list[str]:
    """Enabled HTTP sources, the ones ``motcua collect`` pulls when none is named."""
    with session_scope(engine) as s:
        return list(
            s.scalars(
                select(Source.name)
                .where(Source.kind == SourceKind.HTTP, Source.enabled.is_(True))
                .order_by(Source.name)
            )
        )
