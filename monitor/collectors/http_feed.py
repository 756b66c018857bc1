"""Pull an HTTP feed of dossiers (docs/national-format.md, "HTTP feed") into the database.

One pull: ``GET url?since=<stored cursor>&limit=n``, then follow ``next`` page tokens until
null. Each page is committed as it arrives; the source's cursor moves to the feed's new
``cursor`` only after the last page is committed. A pull that fails halfway leaves the old
cursor, so the next pull repeats those pages and the idempotent upsert adds nothing twice.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

import httpx
from sqlalchemy import Engine, select, update

from monitor.config import Settings, load_settings
from monitor.enums import SourceKind
from monitor.ingest import ImportResult
from monitor.ingest.pipeline import (
    close_batch,
    close_interrupted_batches,
    describe_error,
    ingest,
    open_batch,
)
from monitor.models import Source, utcnow

RETRY_STATUS = frozenset({408, 425, 429, 500, 502, 503, 504})
MAX_PAGES = 100_000  # a feed whose page tokens never end is broken, not big


class CollectError(RuntimeError):
    """A pull failed; the message is one line, safe to log (no personal data)."""


@dataclass(frozen=True)
class FetchPolicy:
    page_size: int = 500
    timeout: float = 30.0
    attempts: int = 4
    backoff: float = 1.0  # seconds before the first retry; doubles each time
    max_backoff: float = 30.0

    @classmethod
    def from_settings(cls, s: Settings) -> FetchPolicy:
        return cls(
            page_size=max(1, s.collect_page_size),
            timeout=float(max(1, s.collect_timeout_seconds)),
            attempts=max(1, s.collect_attempts),
        )

    def delay(self, attempt: int) -> float:
        return float(min(self.backoff * 2**attempt, self.max_backoff))


class _Retry(Exception):
    def __init__(self, message: str, wait: float = 0.0) -> None:
        super().__init__(message)
        self.wait = wait  # what the server asked for (Retry-After), in seconds


def fetch_page(
    client: httpx.Client,
    url: str,
    params: Mapping[str, str | int],
    policy: FetchPolicy,
    sleep: Callable[[float], None] = time.sleep,
) -> dict[str, Any]:
    """One page of the feed, retried with exponential backoff on network errors, timeouts,
    429 and 5xx (waiting longer if the server's Retry-After asks for it, up to the policy's
    longest wait); CollectError when the attempts are spent or the answer is not a feed page."""
    last, asked = "", 0.0
    for attempt in range(policy.attempts):
        if attempt:
            sleep(max(policy.delay(attempt - 1), min(asked, policy.max_backoff)))
        asked = 0.0
        try:
            return _get(client, url, params, policy)
        except _Retry as exc:
            last, asked = str(exc), exc.wait
        except httpx.TimeoutException:
            last = f"quá thời gian chờ ({policy.timeout:g} giây)"
        except httpx.TransportError as exc:
            last = f"lỗi kết nối ({type(exc).__name__})"
    raise CollectError(f"Không lấy được dữ liệu sau {policy.attempts} lần thử: {last}.")


def retry_after(value: str | None, now: datetime | None = None) -> float:
    """Seconds a Retry-After header asks to wait (delay-seconds or an HTTP date); 0 if absent
    or unreadable."""
    if not value:
        return 0.0
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return 0.0
    if when.tzinfo is None:
        return 0.0
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def _get(
    client: httpx.Client, url: str, params: Mapping[str, str | int], policy: FetchPolicy
) -> dict[str, Any]:
    response = client.get(url, params=dict(params), timeout=policy.timeout)
    if response.status_code in RETRY_STATUS:
        wait = retry_after(response.headers.get("Retry-After"))
        raise _Retry(f"máy chủ trả mã {response.status_code}", wait)
    if response.status_code != 200:
        raise CollectError(f"Máy chủ trả mã {response.status_code} cho {url}.")
    try:
        page = response.json()
    except ValueError:
        raise _Retry("phản hồi không phải JSON (có thể bị cắt)") from None
    if not isinstance(page, dict) or not isinstance(page.get("items"), list):
        raise CollectError(f"Phản hồi của {url} không có dạng {{'items': [...]}}.")
    return page


def collect_source(
    engine: Engine,
    source_name: str,
    *,
    client: httpx.Client | None = None,
    policy: FetchPolicy | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> ImportResult:
    """Pull ``source_name`` now; CollectError (recorded on the source) if it fails."""
    policy = policy or FetchPolicy.from_settings(load_settings())
    source_id, url, cursor = _start(engine, source_name)
    with engine.begin() as conn:
        close_interrupted_batches(conn, source_id)
        result = open_batch(conn, source_id, url, "http")
    http = client or httpx.Client(headers={"Accept": "application/json"})
    pull = _Pull(engine, http, url, source_id, result, policy, sleep, utcnow())
    try:
        new_cursor = pull.run(cursor)
    except Exception as exc:
        message = (
            str(exc) if isinstance(exc, CollectError) else f"Lỗi khi nhập: {describe_error(exc)}"
        )
        _fail(engine, source_id, result, message)
        raise CollectError(message) from exc
    finally:
        if client is None:
            http.close()
    with engine.begin() as conn:
        close_batch(conn, result)
        conn.execute(
            update(Source)
            .where(Source.id == source_id)
            .values(cursor=new_cursor, last_success_at=utcnow(), last_error=None)
        )
    return result


def _start(engine: Engine, name: str) -> tuple[int, str, str | None]:
    """The source's id, URL and cursor, after recording the attempt."""
    with engine.begin() as conn:
        row = conn.execute(
            select(Source.id, Source.kind, Source.url, Source.cursor).where(Source.name == name)
        ).first()
        if row is None:
            raise CollectError(f"Không có nguồn dữ liệu '{name}'.")
        if row.kind != SourceKind.HTTP or not row.url:
            raise CollectError(f"Nguồn '{name}' không phải nguồn HTTP có địa chỉ.")
        conn.execute(update(Source).where(Source.id == row.id).values(last_attempt_at=utcnow()))
    return int(row.id), str(row.url), row.cursor


@dataclass
class _Pull:
    engine: Engine
    client: httpx.Client
    url: str
    source_id: int
    result: ImportResult
    policy: FetchPolicy
    sleep: Callable[[float], None]
    now: datetime

    def run(self, cursor: str | None) -> str | None:
        """Fetch and commit every page after ``cursor``; return the cursor to store."""
        token: str | None = None
        seen = 0
        for _ in range(MAX_PAGES):
            page = fetch_page(self.client, self.url, self._params(cursor, token), self.policy,
                              self.sleep)  # fmt: skip
            with self.engine.begin() as conn:
                numbered = enumerate(page["items"], start=seen + 1)
                ingest(conn, self.source_id, numbered, self.result, now=self.now)
            seen += len(page["items"])
            next_token = page.get("next")
            if not next_token:
                return str(page["cursor"]) if page.get("cursor") else cursor
            if next_token == token:
                raise CollectError("Nguồn trả lại cùng một trang nhiều lần ('next' không đổi).")
            token = str(next_token)
        raise CollectError(f"Nguồn có hơn {MAX_PAGES} trang trong một lần kéo.")

    def _params(self, cursor: str | None, token: str | None) -> dict[str, str | int]:
        params: dict[str, str | int] = {"limit": self.policy.page_size}
        if cursor:
            params["since"] = cursor
        if token:
            params["cursor"] = token
        return params


def _fail(engine: Engine, source_id: int, result: ImportResult, message: str) -> None:
    with engine.begin() as conn:
        close_batch(conn, result, error=message)
        conn.execute(update(Source).where(Source.id == source_id).values(last_error=message))
