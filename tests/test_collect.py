"""The HTTP collector against real uvicorn servers on 127.0.0.1: paging, cursor, retries,
timeouts, and no cursor advance on failure."""

from __future__ import annotations

import asyncio
import json
import socket
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI, Request, Response
from ingest_helpers import count, record, serving
from sqlalchemy import Engine, select

from monitor.cli import main
from monitor.collectors.feed_server import FEED_PATH, Feed, Snapshot, change_key, create_app
from monitor.collectors.http_feed import CollectError, FetchPolicy, collect_source, retry_after
from monitor.collectors.sources import add_http_source
from monitor.db import session_scope
from monitor.models import Dossier, ImportBatch, Source

FAST = FetchPolicy(page_size=3, timeout=2.0, attempts=3, backoff=0.01)


def _records(n: int, status: str = "4") -> list[dict[str, Any]]:
    return [
        record(f"000.00.06.H56-250110-{i:04d}", TrangThaiHoSo=status,
               NgayTiepNhan=f"202501100{i % 10}0000")
        for i in range(n)
    ]  # fmt: skip


class MutableFeed:
    """A feed whose records the test changes between pulls."""

    def __init__(self, records: list[dict[str, Any]]) -> None:
        self.records = records
        self.feed = Feed(lambda: self.records, ttl=0)
        self.requests: list[dict[str, str]] = []

    def app(self) -> FastAPI:
        app = create_app(self.feed)

        @app.middleware("http")
        async def log(request: Request, call_next: Any) -> Response:
            self.requests.append(dict(request.query_params))
            response: Response = await call_next(request)
            return response

        return app


def _source(engine: Engine, name: str = "tinh") -> Source:
    with session_scope(engine) as s:
        src = s.scalars(select(Source).where(Source.name == name)).one()
        s.expunge(src)
        return src


def test_collector_follows_pages_and_stores_the_cursor(engine: Engine) -> None:
    feed = MutableFeed(_records(7))
    with serving(feed.app()) as base:
        add_http_source(engine, "tinh", base + FEED_PATH, 5)
        result = collect_source(engine, "tinh", policy=FAST)
    assert (result.inserted, result.quarantined) == (7, 0)
    assert [r.get("cursor", "") != "" for r in feed.requests] == [False, True, True]
    assert all(r["limit"] == "3" for r in feed.requests)
    src = _source(engine)
    assert src.cursor == max(change_key(r) for r in feed.records)
    assert src.last_success_at is not None and src.last_error is None
    with session_scope(engine) as s:
        batch = s.get(ImportBatch, result.batch_id)
    assert batch is not None and (batch.status, batch.inserted, batch.file_format) == (
        "success", 7, "http"
    )  # fmt: skip


def test_second_pull_asks_only_for_changes_since_the_cursor(engine: Engine) -> None:
    feed = MutableFeed(_records(4))
    with serving(feed.app()) as base:
        add_http_source(engine, "tinh", base + FEED_PATH, 5)
        collect_source(engine, "tinh", policy=FAST)
        cursor = _source(engine).cursor
        feed.requests.clear()
        quiet = collect_source(engine, "tinh", policy=FAST)
        assert feed.requests == [{"limit": "3", "since": cursor}]
        assert (quiet.inserted, quiet.updated, quiet.unchanged) == (0, 0, 0)
        changed = feed.records[1]
        changed.update(TrangThaiHoSo="9", NgayKetThucXuLy="20250120090000")
        later = collect_source(engine, "tinh", policy=FAST)
    assert (later.inserted, later.updated, later.unchanged) == (0, 1, 0)
    # The changed record is keyed by when the server saw the change, after every older key.
    assert _source(engine).cursor == feed.feed.snapshot().keys[-1]
    assert feed.feed.snapshot().keys[-1].endswith("|" + changed["MaHoSo"])
    with session_scope(engine) as s:
        assert s.scalar(select(Dossier.status).where(Dossier.code == changed["MaHoSo"])) == 9


def test_changes_without_an_event_date_and_late_entries_still_reach_the_collector(
    engine: Engine,
) -> None:
    feed = MutableFeed(_records(4))
    with serving(feed.app()) as base:
        add_http_source(engine, "tinh", base + FEED_PATH, 5)
        collect_source(engine, "tinh", policy=FAST)
        # A corrected name and a moved appointment carry no event date; a dossier entered
        # today with a receipt date older than every key handed out so far.
        feed.records[0]["ChuHoSo"] = "Lê Thị Hoa"
        feed.records[2]["NgayHenTra"] = "20250130170000"
        feed.records.append(
            record("000.00.06.H56-250101-9999", TrangThaiHoSo="2", NgayTiepNhan="20250101080000")
        )
        later = collect_source(engine, "tinh", policy=FAST)
        again = collect_source(engine, "tinh", policy=FAST)
    assert (later.inserted, later.updated, later.unchanged) == (1, 2, 0)
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 0)
    with session_scope(engine) as s:
        first = s.scalars(select(Dossier).where(Dossier.code == feed.records[0]["MaHoSo"])).one()
        assert first.applicant_name == "Lê Thị Hoa"


def test_a_source_whose_dates_run_ahead_of_the_clock_still_gets_later_keys() -> None:
    ahead = [record("X-1", NgayTiepNhan="29991231235959")]
    first = Snapshot.of(ahead)
    changed = [{**ahead[0], "ChuHoSo": "Phạm Văn Đức"}]
    now = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
    second = Snapshot.of(changed, first, now)
    assert second.keys[0] > first.keys[0]
    assert second.keys == ["30000101000000|X-1"]
    assert Snapshot.of(changed, second, now).keys == second.keys  # unchanged: same key


def _flaky_app(
    feed: MutableFeed, failures: int, status: int = 503, headers: dict[str, str] | None = None
) -> tuple[FastAPI, list[int]]:
    """The feed, answering ``status`` (with ``headers``) to the first ``failures`` requests."""
    app = feed.app()
    calls: list[int] = []

    @app.middleware("http")
    async def fail_first(request: Request, call_next: Any) -> Response:
        calls.append(1)
        if len(calls) <= failures:
            return Response("busy", status_code=status, headers=headers)
        response: Response = await call_next(request)
        return response

    return app, calls


def test_a_server_failing_twice_then_answering_is_retried_with_backoff(engine: Engine) -> None:
    feed = MutableFeed(_records(2))
    app, calls = _flaky_app(feed, failures=2)
    sleeps: list[float] = []
    with serving(app) as base:
        add_http_source(engine, "tinh", base + FEED_PATH, 5)
        result = collect_source(engine, "tinh", policy=FAST, sleep=sleeps.append)
    assert result.inserted == 2 and len(calls) == 3
    assert sleeps == [0.01, 0.02]


@pytest.mark.parametrize(
    ("retry_after", "waited"),
    [("3", 3.0), ("0", 0.01), ("3600", 30.0), ("soon", 0.01)],
    ids=["asked-3s", "asked-0s-backoff-wins", "capped-at-max-backoff", "unreadable"],
)
def test_a_429_waits_as_long_as_its_retry_after_asks_within_the_longest_backoff(
    engine: Engine, retry_after: str, waited: float
) -> None:
    feed = MutableFeed(_records(2))
    app, calls = _flaky_app(feed, failures=1, status=429, headers={"Retry-After": retry_after})
    sleeps: list[float] = []
    with serving(app) as base:
        add_http_source(engine, "tinh", base + FEED_PATH, 5)
        result = collect_source(engine, "tinh", policy=FAST, sleep=sleeps.append)
    assert result.inserted == 2 and len(calls) == 2
    assert sleeps == [waited]


def test_retry_after_as_an_http_date_counts_from_now() -> None:
    now = datetime(2025, 1, 10, 8, 0, 0, tzinfo=UTC)
    assert retry_after("Fri, 10 Jan 2025 08:00:45 GMT", now) == 45.0
    assert retry_after("Fri, 10 Jan 2025 07:59:00 GMT", now) == 0.0  # already past
    assert retry_after(None, now) == retry_after("", now) == 0.0


def test_retries_are_bounded_and_a_failed_pull_keeps_the_old_cursor(engine: Engine) -> None:
    feed = MutableFeed(_records(2))
    app, calls = _flaky_app(feed, failures=100)
    with serving(app) as base:
        add_http_source(engine, "tinh", base + FEED_PATH, 5)
        with pytest.raises(CollectError, match="3 lần thử: máy chủ trả mã 503"):
            collect_source(engine, "tinh", policy=FAST, sleep=lambda _: None)
    assert len(calls) == 3
    src = _source(engine)
    assert src.cursor is None and src.last_success_at is None
    assert src.last_attempt_at is not None and "503" in (src.last_error or "")
    with session_scope(engine) as s:
        assert s.scalars(select(ImportBatch.status)).all() == ["failed"]


def test_a_client_error_is_not_retried(engine: Engine) -> None:
    feed = MutableFeed(_records(2))
    app, calls = _flaky_app(feed, failures=100, status=404)
    with serving(app) as base:
        add_http_source(engine, "tinh", base + FEED_PATH, 5)
        with pytest.raises(CollectError, match="404"):
            collect_source(engine, "tinh", policy=FAST, sleep=lambda _: None)
    assert len(calls) == 1


def test_a_server_slower_than_the_timeout_fails_the_pull(engine: Engine) -> None:
    app = FastAPI()

    @app.get(FEED_PATH)
    async def slow() -> dict[str, Any]:
        await asyncio.sleep(1.5)
        return {"items": [], "next": None, "cursor": "late"}

    policy = FetchPolicy(page_size=3, timeout=0.2, attempts=2, backoff=0.01)
    with serving(app) as base:
        add_http_source(engine, "tinh", base + FEED_PATH, 5)
        started = time.monotonic()
        with pytest.raises(CollectError, match="quá thời gian chờ"):
            collect_source(engine, "tinh", policy=policy)
        assert time.monotonic() - started < 1.4
    assert _source(engine).cursor is None


def test_failure_mid_pull_keeps_committed_pages_and_the_next_pull_repeats_nothing(
    engine: Engine,
) -> None:
    feed = MutableFeed(_records(7))
    app = feed.app()
    broken = {"on": True}

    @app.middleware("http")
    async def break_second_page(request: Request, call_next: Any) -> Response:
        if broken["on"] and request.query_params.get("cursor"):
            return Response("boom", status_code=500)
        response: Response = await call_next(request)
        return response

    with serving(app) as base:
        add_http_source(engine, "tinh", base + FEED_PATH, 5)
        with pytest.raises(CollectError):
            collect_source(engine, "tinh", policy=FAST, sleep=lambda _: None)
        assert count(engine, Dossier) == 3 and _source(engine).cursor is None
        broken["on"] = False
        result = collect_source(engine, "tinh", policy=FAST)
    assert (result.inserted, result.updated, result.unchanged) == (4, 0, 3)
    assert count(engine, Dossier) == 7


def test_feed_pages_are_stable_and_the_cursor_never_moves_back() -> None:
    snap = Snapshot.of(_records(5))
    first, token, cursor = snap.page("", 2)
    assert len(first) == 2 and token == cursor == snap.keys[1]
    rest, end, last = snap.page(token, 10)
    assert len(rest) == 3 and end is None and last == snap.keys[-1]
    empty, none, same = snap.page(last, 10)
    assert (list(empty), none, same) == ([], None, last)


def test_a_page_larger_than_the_server_gives_is_cut_and_the_rest_follows_by_next(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    from monitor.collectors import feed_server

    monkeypatch.setattr(feed_server, "MAX_LIMIT", 4)
    feed = MutableFeed(_records(10))
    with serving(feed.app()) as base:
        add_http_source(engine, "tinh", base + FEED_PATH, 5)
        result = collect_source(engine, "tinh", policy=FetchPolicy(page_size=1000))
    assert result.inserted == 10 and len(feed.requests) == 3
    assert all(r["limit"] == "1000" for r in feed.requests)


def test_unknown_or_non_http_source_is_refused(engine: Engine) -> None:
    with pytest.raises(CollectError, match="Không có nguồn"):
        collect_source(engine, "nowhere", policy=FAST)


def _cli(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], db_url: str, *args: str
) -> tuple[int, str, str]:
    monkeypatch.setenv("MOTCUA_DATABASE_URL", db_url)
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_sources_add_list_and_collect(
    engine: Engine,
    db_url: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    monkeypatch.setenv("MOTCUA_CONFIG", str(tmp_path / "none.toml"))
    feed = MutableFeed(_records(3))
    with serving(feed.app()) as base:
        code, out, _ = _cli(
            monkeypatch, capsys, db_url, "sources", "add", "tinh", "--url", base + FEED_PATH,
            "--interval", "10",
        )  # fmt: skip
        assert code == 0 and out.startswith("Đã thêm nguồn 'tinh'")
        code, out, _ = _cli(monkeypatch, capsys, db_url, "collect", "--json")
        doc = json.loads(out)
        assert code == 0
        assert doc["sources"][0]["source"] == "tinh" and doc["sources"][0]["inserted"] == 3
        code, out, _ = _cli(monkeypatch, capsys, db_url, "collect", "tinh")
        assert out.strip() == "tinh: 0 mới, 0 cập nhật, 0 không đổi, 0 bị cách ly."
    code, out, _ = _cli(monkeypatch, capsys, db_url, "sources", "list", "--json")
    (listed,) = json.loads(out)
    assert (listed["name"], listed["kind"], listed["expected_interval_minutes"]) == (
        "tinh", "http", 10
    )  # fmt: skip
    assert listed["cursor"] and listed["last_success_at"]
    assert _cli(monkeypatch, capsys, db_url, "collect", "nowhere")[0] == 2
    bad = _cli(monkeypatch, capsys, db_url, "sources", "add", "x", "--url", "ftp://x")
    assert bad[0] == 2 and "http://" in bad[2]


def test_cli_collect_of_a_dead_source_exits_1_and_says_why(
    engine: Engine,
    db_url: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    monkeypatch.setenv("MOTCUA_CONFIG", str(tmp_path / "none.toml"))
    monkeypatch.setenv("MOTCUA_COLLECT_ATTEMPTS", "1")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again: nobody listens there
    add_http_source(engine, "chet", f"http://127.0.0.1:{port}{FEED_PATH}", 5)
    code, out, _ = _cli(monkeypatch, capsys, db_url, "collect")
    assert code == 1 and out.startswith("chet: LỖI — Không lấy được dữ liệu sau 1 lần thử")


def test_feed_path_of_the_demo_source_is_the_feed_servers() -> None:
    from monitor import demo_source

    assert demo_source.FEED_PATH == FEED_PATH


@pytest.mark.slow
def test_demo_source_serves_the_simulated_province_to_the_real_collector(
    engine: Engine, db_url: str, tmp_path: Path
) -> None:
    import os
    import subprocess
    import sys

    import httpx

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = dict(os.environ, MOTCUA_DATABASE_URL=db_url, MOTCUA_CONFIG=str(tmp_path / "x.toml"))
    argv = [sys.executable, "-m", "monitor.cli", "demo-source", "--port", str(port), "--days", "3"]
    server = subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        health: dict[str, Any] = {}
        deadline = time.monotonic() + 60
        while not health:
            assert server.poll() is None, server.stderr.read() if server.stderr else ""
            assert time.monotonic() < deadline, "demo-source did not start"
            try:
                health = httpx.get(f"http://127.0.0.1:{port}/health", timeout=2).json()
            except httpx.TransportError:
                time.sleep(0.2)
        src = _source(engine, "demo")  # registered by the server itself
        assert (src.kind, src.url, src.enabled) == (
            "http",
            f"http://127.0.0.1:{port}{FEED_PATH}",
            True,
        )
        result = collect_source(engine, "demo", policy=FetchPolicy(page_size=500))
    finally:
        server.terminate()
        server.wait(10)
    assert result.quarantined == 0
    assert result.inserted == health["dossiers"]
    assert _source(engine, "demo").cursor


def test_requests_are_answered_from_the_previous_snapshot_while_one_rebuilds() -> None:
    release, loading = threading.Event(), threading.Event()
    loads = 0

    def load() -> list[dict[str, Any]]:
        nonlocal loads
        loads += 1
        if loads == 2:  # the first reload takes long
            loading.set()
            assert release.wait(10)
        return _records(loads + 1)

    feed = Feed(load, ttl=0)
    first = feed.snapshot()
    assert len(first.keys) == 2
    rebuilt: list[Snapshot] = []
    builder = threading.Thread(target=lambda: rebuilt.append(feed.snapshot()))
    builder.start()
    assert loading.wait(10)
    started = time.monotonic()
    assert feed.snapshot() is first  # served at once, not after the rebuild
    assert time.monotonic() - started < 1
    release.set()
    builder.join(10)
    assert len(rebuilt[0].keys) == 3 and loads == 2
