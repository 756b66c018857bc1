"""Load bench of the rating service: concurrent kiosk clients against a real
``motcua ratings-web`` (uvicorn) on 127.0.0.1, for a fixed time, on SQLite and PostgreSQL.

    python bench/ratings_load.py [--seconds 30] [--clients 32] [--workers 1]
        [--backends sqlite postgresql] [--workdir /tmp/motcua-ratings-bench]

Each backend gets a fresh database (a SQLite file; a schema of its own on the local
PostgreSQL) with one centre, one device per client and enough dossiers for every request to
rate a different one. Clients keep one HTTP/1.1 connection each (a kiosk does the same) and
POST /api/v1/ratings as fast as answers come; a small raw-socket client keeps the load
generator's own cost low on a 2-core machine. Traffic goes to 127.0.0.1 only, and stops at
the time limit or when the dossiers run out, whichever comes first.

Printed: accepted ratings/s, p50 and p99 latency, errors by kind, and whether the rows in the
database equal the accepted (2xx) answers; with them the load average before and after, and
the CPU time the service (all its processes) and the load generator spent during the run, so
that a figure taken on a shared, busy machine can be judged. Target on SQLite: ≥ 800
ratings/s, p99 < 150 ms, zero loss. The service runs with rate limits raised out of the way
(the limiter still runs).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import sqlite3
import statistics
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

from sqlalchemy import Engine, func, insert, select  # noqa: E402
from surveys_server import ratings_process  # noqa: E402

from monitor import migrate  # noqa: E402
from monitor.db import make_engine, session_scope  # noqa: E402
from monitor.models import Dossier, Rating, Source, Unit  # noqa: E402
from surveys.devices import add_device  # noqa: E402

PG_URL = os.environ.get("MOTCUA_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1/test")
SCHEMA = "motcua_bench_ratings"
MAX_REQUESTS = 200_000  # hard bound on the traffic, whatever the speed


def machine() -> str:
    cpu = "?"
    with open("/proc/cpuinfo", encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    load = os.getloadavg()
    return (
        f"CPU {cpu}, {os.cpu_count()} cores, load {load[0]:.1f}/{load[1]:.1f}; "
        f"Python {platform.python_version()}; SQLite {sqlite3.sqlite_version}; "
        f"{platform.system()} {platform.release()}"
    )


def tree_cpu_seconds(pid: int) -> float:
    """User + system CPU time of a live process and its live descendants (uvicorn workers)."""
    tick = os.sysconf("SC_CLK_TCK")
    total, todo = 0.0, [pid]
    while todo:
        current = todo.pop()
        try:
            # Fields after the ")" of the command name: utime and stime are the 12th and 13th.
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick
            for task in Path(f"/proc/{current}/task").iterdir():
                todo.extend(int(c) for c in (task / "children").read_text().split())
        except (FileNotFoundError, ProcessLookupError):
            continue  # a worker that just exited
    return total


def load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.1f}/{five:.1f}/{fifteen:.1f}"


def fresh_database(backend: str, workdir: Path) -> str:
    if backend == "sqlite":
        path = workdir / "ratings.db"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        url = f"sqlite:///{path}"
    else:
        admin = make_engine(PG_URL)
        with admin.begin() as conn:
            conn.exec_driver_sql(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE")
            conn.exec_driver_sql(f"CREATE SCHEMA {SCHEMA}")
        admin.dispose()
        url = f"{PG_URL}?options=-csearch_path%3D{SCHEMA}"
    engine = make_engine(url)
    migrate.upgrade(engine)
    engine.dispose()
    return url


def populate(engine: Engine, dossiers: int, devices: int) -> tuple[list[str], list[str]]:
    """One centre, ``devices`` kiosks and ``dossiers`` returned dossiers; (codes, tokens)."""
    now = datetime.now(UTC)
    with session_scope(engine) as s:
        unit = Unit(
            code="BENCH.TTPVHCC", name="Trung tâm Phục vụ hành chính công", level="province"
        )
        source = Source(name="bench")
        s.add_all([unit, source])
        s.flush()
        codes = [f"000.00.06.H56-250101-{n:06d}" for n in range(dossiers)]
        rows = [
            {
                "source_id": source.id,
                "code": code,
                "resolving_unit_id": unit.id,
                "received_at": now - timedelta(days=5),
                "status": 10,
                "created_at": now,
                "updated_at": now,
                "breaches": "",
                "responsible_units": [],
                "procedure_code": "",
                "procedure_name": "",
                "source_version": "",
                "channel": 1,
            }
            for code in codes
        ]
        for start in range(0, len(rows), 5000):
            s.execute(insert(Dossier), rows[start : start + 5000])
        tokens = [
            add_device(
                s,
                f"Kiosk {n}",
                unit.code,
                counter=f"Quầy {n}",
                officer_code=None,
                actor="bench",
                now=now,
            )[1]
            for n in range(devices)
        ]
    return codes, tokens


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    accepted: int = 0
    errors: Counter[str] = field(default_factory=Counter)


async def _read_response(reader: asyncio.StreamReader) -> int:
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    status = int(lines[0].split()[1])
    length = 0
    for line in lines[1:]:
        if line[:15].lower() == b"content-length:":
            length = int(line[15:])
    if length:
        await reader.readexactly(length)
    return status


async def client(
    host: str, port: int, token: str, codes: list[str], deadline: float, tally: Tally
) -> None:
    reader, writer = await asyncio.open_connection(host, port)
    n = 0
    try:
        while time.monotonic() < deadline and codes:
            code = codes.pop()
            n += 1
            body = json.dumps(
                {
                    "dossier_code": code,
                    "criteria": {"a": 3, "b": 3, "c": 2, "dd": 3, "e": 3},
                    "overall": 3,
                    "comment": "Cán bộ hướng dẫn tận tình" if n % 5 == 0 else None,
                    "idempotency_key": f"bench{code[-6:]}x",
                },
                ensure_ascii=False,
            ).encode()
            request = (
                f"POST /api/v1/ratings HTTP/1.1\r\nHost: {host}\r\n"
                f"Authorization: Bearer {token}\r\nContent-Type: application/json\r\n"
                f"Content-Length: {len(body)}\r\n\r\n"
            ).encode() + body
            started = time.perf_counter()
            try:
                writer.write(request)
                status = await _read_response(reader)
            except (OSError, asyncio.IncompleteReadError) as exc:
                tally.errors[type(exc).__name__] += 1
                break
            tally.latencies.append(time.perf_counter() - started)
            if 200 <= status < 300:
                tally.accepted += 1
            else:
                tally.errors[f"HTTP {status}"] += 1
    finally:
        writer.close()


async def drive(
    base: str, tokens: list[str], codes: list[str], seconds: float
) -> tuple[Tally, float]:
    host, port = base.removeprefix("http://").split(":")
    tally = Tally()
    started = time.monotonic()
    deadline = started + seconds
    await asyncio.gather(*(client(host, int(port), t, codes, deadline, tally) for t in tokens))
    return tally, time.monotonic() - started


def _run(coro: Any) -> Any:
    """uvloop when installed (as the service uses): the load generator's own cost stays low."""
    try:
        import uvloop
    except ImportError:
        return asyncio.run(coro)
    return uvloop.run(coro)


def run_backend(backend: str, args: argparse.Namespace) -> None:
    url = fresh_database(backend, args.workdir)
    engine = make_engine(url)
    # Enough dossiers for a rate well above the target, within the traffic bound.
    dossiers = min(MAX_REQUESTS, int(args.seconds * 2500))
    codes, tokens = populate(engine, dossiers, args.clients)
    env = {
        "MOTCUA_DATABASE_URL": url,
        "MOTCUA_DATA_DIR": str(args.workdir / "data"),
        "MOTCUA_CONFIG": str(args.workdir / "none.toml"),
        "MOTCUA_RATING_LINK_SECRET": "bench",
        "MOTCUA_RATINGS_DEVICE_PER_MINUTE": "100000000",
        "MOTCUA_RATINGS_ADDRESS_PER_MINUTE": "100000000",
        "MOTCUA_LOG_LEVEL": "WARNING",
    }
    load_before = load_average()
    with ratings_process(env, workers=args.workers) as (base, proc):
        cpu_before, own_before = tree_cpu_seconds(proc.pid), time.process_time()
        tally, elapsed = _run(drive(base, tokens, codes, args.seconds))
        server_cpu = tree_cpu_seconds(proc.pid) - cpu_before
        client_cpu = time.process_time() - own_before
    with session_scope(engine) as s:
        rows = int(s.scalar(select(func.count(Rating.id))) or 0)
    engine.dispose()
    lat = sorted(tally.latencies)
    p50 = statistics.median(lat) * 1000 if lat else float("nan")
    p99 = lat[min(len(lat) - 1, int(len(lat) * 0.99))] * 1000 if lat else float("nan")
    errors = ", ".join(f"{k}: {v}" for k, v in tally.errors.items()) or "0"
    loss = "none (rows == accepted)" if rows == tally.accepted else f"MISMATCH rows={rows}"
    print(
        f"{backend:<10} {args.clients} clients, {args.workers} worker(s), {elapsed:.1f} s: "
        f"{tally.accepted} accepted, {tally.accepted / elapsed:.0f} ratings/s; "
        f"p50 {p50:.1f} ms, p99 {p99:.1f} ms; errors {errors}; "
        f"database rows {rows}: {loss}\n"
        f"{'':<10} CPU: service {server_cpu:.1f} s ({server_cpu / elapsed:.0%} of one core, "
        f"{server_cpu / max(tally.accepted, 1) * 1e3:.2f} ms a rating), load generator "
        f"{client_cpu:.1f} s; load average {load_before} before, {load_average()} after",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes")
    parser.add_argument("--backends", nargs="+", default=["sqlite", "postgresql"])
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/motcua-ratings-bench"))
    args = parser.parse_args()
    if not 0 < args.seconds <= 120 or not 0 < args.clients <= 256 or not 0 < args.workers <= 8:
        parser.error("--seconds in (0, 120], --clients in (0, 256], --workers in (0, 8]")
    args.workdir.mkdir(parents=True, exist_ok=True)
    print(machine(), flush=True)
    for backend in args.backends:
        run_backend(backend, args)


if __name__ == "__main__":
    main()
