"""A process killed (SIGKILL) mid-import loses and duplicates nothing: `motcua import` of a file
and the scheduler's collect job pulling a real HTTP feed on loopback, each cut halfway in a
subprocess and run again, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi import Request, Response
from ingest_helpers import count, record, serving
from sqlalchemy import Engine, func, select, update

from monitor.collectors.feed_server import FEED_PATH, Feed, change_key, create_app
from monitor.collectors.sources import add_http_source
from monitor.db import session_scope
from monitor.ingest import import_records
from monitor.ingest.writer import BATCH_SIZE
from monitor.jobruns import close_interrupted
from monitor.models import (
    Dossier,
    DossierEvent,
    DossierStep,
    ImportBatch,
    JobRun,
    Source,
    utcnow,
)

pytestmark = pytest.mark.slow

PAGE = 100
# The scheduler's collect job, run once in a process of its own as the scheduler runs it.
COLLECT_JOB = [sys.executable, "-c", "from monitor import jobs; jobs.collect()"]
_PROGRESS = re.compile(r"Đang nhập: ([\d.]+) hồ sơ")


def _records(n: int) -> list[dict[str, Any]]:
    """``n`` distinct dossiers of two steps each, received over a few days."""
    return [
        record(
            f"000.00.06.H56-2501{10 + i % 5:02d}-{i:05d}",
            NgayTiepNhan=f"202501{10 + i % 5:02d}08{i % 60:02d}00",
        )
        for i in range(n)
    ]


def _env(db_url: str, tmp_path: Path, **extra: str) -> dict[str, str]:
    return dict(
        os.environ,
        MOTCUA_DATABASE_URL=db_url,
        MOTCUA_CONFIG=str(tmp_path / "none.toml"),
        MOTCUA_DATA_DIR=str(tmp_path),
        **extra,
    )


class _Stderr:
    """Everything a child process writes on stderr, read as it comes (progress lines are
    redrawn with a carriage return, never ended)."""

    def __init__(self, proc: subprocess.Popen[bytes]) -> None:
        self.text = ""
        assert proc.stderr is not None
        stream = proc.stderr
        threading.Thread(target=self._read, args=(stream,), daemon=True).start()

    def _read(self, stream: Any) -> None:
        for chunk in iter(lambda: stream.read1(4096), b""):
            self.text += chunk.decode("utf-8", errors="replace")

    def progress(self) -> int:
        shown = _PROGRESS.findall(self.text)
        return int(shown[-1].replace(".", "")) if shown else 0


def _wait(condition: Any, what: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.02)


def _kill(proc: subprocess.Popen[bytes]) -> None:
    proc.send_signal(signal.SIGKILL)
    proc.wait(30)
    assert proc.returncode == -signal.SIGKILL, "the import ended before it could be killed"


def _assert_each_dossier_once(
    engine: Engine, codes: set[str], steps_each: int, kinds: tuple[str, ...] = ("imported",)
) -> None:
    """Every code exactly once, its steps once each, and one event of each of ``kinds`` per
    dossier: nothing lost, nothing written twice, history not repeated."""
    with session_scope(engine) as s:
        stored = list(s.scalars(select(Dossier.code)))
        events = s.execute(
            select(DossierEvent.dossier_id, DossierEvent.kind, func.count())
            .group_by(DossierEvent.dossier_id, DossierEvent.kind)
        ).all()  # fmt: skip
    assert sorted(stored) == sorted(codes)
    assert count(engine, DossierStep) == steps_each * len(codes)
    assert len(events) == len(kinds) * len(codes)
    assert {(kind, n) for _, kind, n in events} == {(kind, 1) for kind in kinds}


# --- `motcua import` of a file ----------------------------------------------------------------


def test_import_killed_mid_file_changes_nothing_and_the_rerun_imports_each_dossier_once(
    engine: Engine, db_url: str, tmp_path: Path
) -> None:
    records = _records(6 * BATCH_SIZE)
    path = tmp_path / "hoso.json"
    path.write_text(json.dumps(records, ensure_ascii=False), "utf-8")
    env = _env(db_url, tmp_path)
    argv = [sys.executable, "-m", "monitor.cli", "import", str(path), "--json", "--progress"]
    proc = subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    err = _Stderr(proc)
    try:
        # Past the first batch: rows are written inside the import's transaction by now.
        _wait(lambda: err.progress() >= BATCH_SIZE or proc.poll() is not None, "progress")
    finally:
        _kill(proc)
    assert BATCH_SIZE <= err.progress() < len(records)
    # One transaction a file: the cut import left no dossier, no event and no batch behind.
    assert count(engine, Dossier) == count(engine, DossierEvent) == 0
    assert count(engine, ImportBatch) == 0

    again = subprocess.run(argv[:-1], env=env, capture_output=True, timeout=600, check=True)
    result = json.loads(again.stdout)
    assert (result["inserted"], result["updated"], result["quarantined"]) == (len(records), 0, 0)
    _assert_each_dossier_once(engine, {r["MaHoSo"] for r in records}, steps_each=2)
    with session_scope(engine) as s:
        assert list(s.scalars(select(ImportBatch.status))) == ["success"]


# --- the scheduler's collect job against an HTTP feed -------------------------------------


class _SlowFeed:
    """The feed server over ``records``, each page held back ``delay`` seconds while
    ``slow`` is set, so that a pull takes long enough to be cut between pages."""

    def __init__(self, records: list[dict[str, Any]], delay: float) -> None:
        self.records, self.delay, self.slow = records, delay, True
        self.app = create_app(Feed(lambda: self.records, ttl=3600))

        @self.app.middleware("http")
        async def hold(request: Request, call_next: Any) -> Response:
            if self.slow:
                await asyncio.sleep(self.delay)
            response: Response = await call_next(request)
            return response


def _source(engine: Engine) -> Source:
    with session_scope(engine) as s:
        src = s.scalars(select(Source).where(Source.name == "tinh")).one()
        s.expunge(src)
        return src


def _batches(engine: Engine) -> list[ImportBatch]:
    with session_scope(engine) as s:
        found = list(s.scalars(select(ImportBatch).order_by(ImportBatch.id)))
        s.expunge_all()
        return found


def _pulled(engine: Engine) -> int:
    """Dossier events written by HTTP pulls: one a dossier a pull inserted or changed."""
    with session_scope(engine) as s:
        pulls = select(ImportBatch.id).where(ImportBatch.file_format == "http")
        found = s.scalar(
            select(func.count()).select_from(DossierEvent).where(DossierEvent.batch_id.in_(pulls))
        )
    return int(found or 0)


@pytest.mark.parametrize("changed", [False, True], ids=["new-dossiers", "changed-dossiers"])
def test_collect_job_killed_mid_pull_keeps_whole_pages_and_the_rerun_adds_only_the_rest(
    engine: Engine, db_url: str, tmp_path: Path, changed: bool
) -> None:
    records = _records(12 * PAGE)
    n = len(records)
    env = _env(db_url, tmp_path, MOTCUA_COLLECT_PAGE_SIZE=str(PAGE))
    known = records
    if changed:  # the database knows every dossier in progress; the feed says they finished
        records = [dict(r, TrangThaiHoSo="9", NgayKetThucXuLy="20250116100000") for r in records]
    feed = _SlowFeed(records, delay=0.25)
    with serving(feed.app) as base:
        add_http_source(engine, "tinh", base + FEED_PATH, interval_minutes=5)
        if changed:
            import_records(engine, known, source="tinh")
        proc = subprocess.Popen(COLLECT_JOB, env=env, stderr=subprocess.PIPE)
        _Stderr(proc)
        try:
            _wait(lambda: _pulled(engine) >= 3 * PAGE or proc.poll() is not None, "pages")
        finally:
            _kill(proc)
        kept = _pulled(engine)
        # Whole pages only: a page is committed with its steps and events, or not at all.
        assert 3 * PAGE <= kept < n and kept % PAGE == 0
        assert _source(engine).cursor is None  # the cursor moves only after the last page
        cut = _batches(engine)[-1]
        assert cut.status == "running"  # its process is gone; the next pull closes it

        # What a restarted scheduler does first, then the job once its interval has passed.
        assert close_interrupted(engine) == 1
        with session_scope(engine) as s:
            s.execute(update(Source).values(last_attempt_at=utcnow() - timedelta(hours=1)))
        feed.slow = False
        subprocess.run(COLLECT_JOB, env=env, capture_output=True, timeout=600, check=True)

    kinds = ("imported", "status_changed") if changed else ("imported",)
    _assert_each_dossier_once(engine, {r["MaHoSo"] for r in records}, 2, kinds)
    cut, rerun = _batches(engine)[-2:]
    assert (cut.status, cut.inserted + cut.updated) == ("failed", kept)
    assert (cut.inserted, cut.updated) == ((0, kept) if changed else (kept, 0))
    assert "gián đoạn" in (cut.error or "") and cut.finished_at is not None
    rest = (0, n - kept) if changed else (n - kept, 0)
    assert (rerun.status, rerun.inserted, rerun.updated, rerun.unchanged) == (
        "success", *rest, kept
    )  # fmt: skip
    assert _source(engine).cursor == max(change_key(r) for r in records)
    with session_scope(engine) as s:
        runs = s.execute(
            select(JobRun.outcome, JobRun.error)
            .where(JobRun.job_id == "collect:tinh")
            .order_by(JobRun.id)
        ).all()  # fmt: skip
    assert [outcome for outcome, _ in runs] == ["failed", "success"]
    assert "gián đoạn" in (runs[0][1] or "")
