"""Biểu 06a and the late-dossier register for a year of a large province.

Usage: python bench/reports.py [--db PATH] [--dossiers N] [--seed S] [--steps A,B|all] [--clean]

Builds a SQLite database (under /tmp by default; reused by later runs when it holds the N
dossiers asked for, default 1,000,000; built under a temporary name so that an interrupted build
is never reused; ``--clean`` deletes it and the written files at the end) of dossiers received
from 01/12/2024 to 31/12/2025 in 121 units and 20 fields, each with two processing steps, about
8 % with a supplement request, 5 % with an apology letter and 8 % rated, written with
SQLAlchemy Core bulk inserts. Then, each step in its own process so that the peak memory is its
own: Biểu 06a for 2025 (counting alone, then the XLSX export) and the register for 2025 as CSV
and XLSX; on request the register for one month as PDF, and openpyxl's write-only mode against
its normal mode on the same 100,000 rows. Prints the machine and its load average, and per step
the wall and CPU time, the peak RSS and the load average when it ended.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import shutil
import sqlite3
import subprocess
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, insert

from monitor import migrate
from monitor.config import Settings
from monitor.db import make_engine
from monitor.models import Apology, Dossier, DossierStep, Field, Rating, Source, Supplement, Unit

VN = timedelta(hours=7)
START = datetime(2024, 12, 1, tzinfo=UTC) - VN
YEAR = ("2025-01-01", "2025-12-31")
NOW = datetime(2026, 1, 10, tzinfo=UTC)
CHUNK = 20_000


def _units(conn: Any) -> tuple[list[int], list[int]]:
    conn.execute(insert(Unit), [{"id": 1, "code": "H56", "name": "UBND tỉnh", "level": "province"}])
    depts = [
        {
            "id": 2 + i,
            "code": f"H56.S{i:02d}",
            "name": f"Sở số {i}",
            "level": "department",
            "parent_id": 1,
        }
        for i in range(20)
    ]
    communes = [
        {
            "id": 22 + i,
            "code": f"H56.X{i:03d}",
            "name": f"UBND xã số {i}",
            "level": "commune",
            "parent_id": 1,
        }
        for i in range(100)
    ]
    conn.execute(insert(Unit), depts + communes)
    fields = [{"id": i + 1, "code": f"G{i:02d}", "name": f"Lĩnh vực {i:02d}"} for i in range(20)]
    conn.execute(insert(Field), fields)
    conn.execute(insert(Source), [{"id": 1, "name": "bench"}])
    return [d["id"] for d in depts], [c["id"] for c in communes]


def _dossier(i: int, n: int, rnd: random.Random, units: list[int]) -> dict[str, Any]:
    span = (datetime(2026, 1, 1, tzinfo=UTC) - START).total_seconds()
    received = START + timedelta(seconds=span * i / n + rnd.randrange(3600))
    days = rnd.choice((1, 3, 5, 7, 10, 15, 20))
    due = (received + timedelta(days=days * 1.4)).replace(hour=10, minute=0)  # 17:00 in Vietnam
    roll = rnd.random()
    status, finished = 4, None
    if roll < 0.01:
        status = 3
    elif roll < 0.04:
        status, finished = 7, received + timedelta(days=rnd.uniform(0.5, days))
    elif roll < 0.05:
        status, finished = 8, received + timedelta(days=rnd.uniform(0.5, days))
    elif roll < 0.07:
        status = rnd.choice((5, 6))
    elif roll < 0.95:
        finished = received + timedelta(days=days * 1.4 * rnd.uniform(0.3, 1.3))
        status = rnd.choice((9, 10, 10, 10))
    if finished is not None and finished > NOW:
        status, finished = 4, None
    return {
        "id": i + 1,
        "source_id": 1,
        "code": f"H56-{received:%y%m%d}-{i:07d}",
        "procedure_code": f"1.{i % 1800:06d}",
        "procedure_name": f"Thủ tục số {i % 1800}",
        "field_id": 1 + i % 20,
        "resolving_unit_id": units[i % len(units)],
        "receiving_unit_id": units[i % len(units)],
        "channel": rnd.choice((1, 2, 2, 1, 3)),
        "applicant_name": "Nguyễn Văn An",
        "applicant_phone": "0912345678",
        "received_at": received,
        "due_at": due,
        "legal_amount": float(days),
        "legal_unit": "working_days",
        "finished_at": finished,
        "returned_at": finished + timedelta(hours=20) if finished and status == 10 else None,
        "status": status,
        "responsible_units": [],
    }


def _children(d: dict[str, Any], rnd: random.Random) -> dict[str, list[dict[str, Any]]]:
    i, received, due, end = d["id"], d["received_at"], d["due_at"], d["finished_at"]
    out: dict[str, list[dict[str, Any]]] = {
        "steps": [],
        "supplements": [],
        "apologies": [],
        "ratings": [],
    }
    out["steps"].append(
        {
            "dossier_id": i,
            "seq": 1,
            "unit_name": "Bộ phận một cửa",
            "started_at": received,
            "done_at": received + timedelta(hours=2),
            "deadline_at": received + timedelta(days=1),
        }
    )
    out["steps"].append(
        {
            "dossier_id": i,
            "seq": 2,
            "unit_name": f"Phòng chuyên môn {i % 7}",
            "started_at": received + timedelta(hours=2),
            "done_at": end - timedelta(hours=2) if end else None,
            "deadline_at": due - timedelta(days=1),
        }
    )
    if rnd.random() < 0.08:
        req = received + timedelta(days=1)
        out["supplements"].append(
            {
                "dossier_id": i,
                "seq": 1,
                "requested_at": req,
                "completed_at": req + timedelta(days=3) if rnd.random() < 0.9 else None,
            }
        )
    if rnd.random() < 0.05:
        out["apologies"].append(
            {
                "dossier_id": i,
                "seq": 1,
                "issued_at": due - timedelta(days=2),
                "new_due_at": due + timedelta(days=5),
            }
        )
    if end is not None and rnd.random() < 0.085:
        out["ratings"].append(
            {
                "dossier_id": i,
                "unit_id": d["resolving_unit_id"],
                "channel": "kiosk",
                "overall": rnd.choice((1, 2, 3, 3)),
                "created_at": end + timedelta(days=1),
            }
        )
    return out


def build_db(engine: Engine, n: int, seed: int) -> None:
    rnd = random.Random(seed)
    with engine.begin() as conn:
        depts, communes = _units(conn)
    units = depts + communes
    tables = {
        "steps": DossierStep,
        "supplements": Supplement,
        "apologies": Apology,
        "ratings": Rating,
    }
    for lo in range(0, n, CHUNK):
        dossiers = [_dossier(i, n, rnd, units) for i in range(lo, min(n, lo + CHUNK))]
        children: dict[str, list[dict[str, Any]]] = {k: [] for k in tables}
        for d in dossiers:
            for k, rows in _children(d, rnd).items():
                children[k] += rows
        with engine.begin() as conn:
            conn.execute(insert(Dossier), dossiers)
            for k, model in tables.items():
                if children[k]:
                    conn.execute(insert(model), children[k])
        print(f"  … {min(n, lo + CHUNK):,} hồ sơ", file=sys.stderr, end="\r")


def _machine() -> dict[str, Any]:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "platform": platform.platform(),
        "load_avg_1_5_15": [round(x, 2) for x in os.getloadavg()],
    }


def _step(name: str, db: Path, out: Path) -> dict[str, Any]:
    """One measured step, run in this (fresh) process."""
    from monitor.reports import form06a, register
    from monitor.reports.counting import count_fast
    from monitor.reports.period import Period, Scope
    from monitor.reports.writers import WRITERS

    engine = make_engine(f"sqlite:///{db}")
    conf, scope = Settings(), Scope(None, "Toàn tỉnh", None)
    year = Period(date.fromisoformat(YEAR[0]), date.fromisoformat(YEAR[1]))
    month = Period(date(2025, 11, 1), date(2025, 11, 30))
    usage0 = resource.getrusage(resource.RUSAGE_SELF)
    cpu0 = usage0.ru_utime + usage0.ru_stime
    started = time.perf_counter()
    result: dict[str, Any] = {}
    if name == "06a-count":
        tally = count_fast(engine, conf, year, scope)
        total = form06a.with_totals(form06a.group(tally, form06a.Catalogue.load(engine)).total())
        result = {"total": total}
    elif name == "06a-xlsx":
        report = form06a.build(engine, conf, year, scope, NOW)
        result = {"rows": WRITERS["xlsx"](report, out / "b06a.xlsx").tables[0]["rows"]}  # type: ignore[index]
    elif name in ("register-csv", "register-xlsx"):
        fmt = name.split("-")[1]
        report = register.build(engine, conf, year, scope, NOW)
        path = out / f"register.{fmt}"
        result = {
            "rows": WRITERS[fmt](report, path).tables[0]["rows"],  # type: ignore[index]
            "mb": round(path.stat().st_size / 1e6, 1),
        }
    elif name == "register-pdf-month":
        report = register.build(engine, conf, month, scope, NOW)
        path = out / "register-month.pdf"
        result = {
            "rows": WRITERS["pdf"](report, path).tables[0]["rows"],  # type: ignore[index]
            "mb": round(path.stat().st_size / 1e6, 1),
        }
    elif name in ("openpyxl-normal", "openpyxl-write-only"):
        from openpyxl import Workbook

        naive = NOW.replace(tzinfo=None)
        wb = Workbook(write_only=name.endswith("only"))
        ws = wb.create_sheet("x") if name.endswith("only") else wb.active
        for i in range(100_000):
            ws.append(
                [
                    i,
                    f"H56-250101-{i:07d}",
                    "Thủ tục số 1",
                    "Đất đai",
                    naive,
                    naive,
                    i % 9,
                    "Văn phòng đăng ký đất đai",
                    "Không có phiếu xin lỗi",
                ]
            )
        wb.save(out / f"{name}.xlsx")
        result = {"rows": 100_000}
    usage = resource.getrusage(resource.RUSAGE_SELF)
    result["seconds"] = round(time.perf_counter() - started, 2)
    # CPU time of this process (the database work included: SQLite runs in-process). On a
    # machine shared with other jobs it is the better estimate of the time alone.
    result["cpu_seconds"] = round(usage.ru_utime + usage.ru_stime - cpu0, 2)
    result["peak_rss_mb"] = round(usage.ru_maxrss / 1024, 1)
    result["load_avg"] = round(os.getloadavg()[0], 1)
    return result


STEPS = (
    "06a-count",
    "06a-xlsx",
    "register-csv",
    "register-xlsx",
    "register-pdf-month",
    "openpyxl-normal",
    "openpyxl-write-only",
)
# What the issue asks for; the others on request (each run stays within some minutes).
DEFAULT_STEPS = ("06a-count", "06a-xlsx", "register-csv", "register-xlsx")


def _dossiers_in(db: Path) -> int:
    """How many dossiers a database built by this script holds (0 if unreadable)."""
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
            return int(conn.execute("SELECT count(*) FROM dossiers").fetchone()[0])
    except sqlite3.Error:
        return 0


def ensure_db(db: Path, n: int, seed: int) -> None:
    """Reuse the database when it holds the N dossiers asked for; else build it under a
    temporary name and rename it when complete, so an interrupted build is never reused."""
    if db.exists() and _dossiers_in(db) == n:
        print(f"database: reusing {db} ({n:,} dossiers, {db.stat().st_size / 1e6:.0f} MB)")
        return
    partial = db.with_name(db.name + ".partial")
    for path in (db, partial):
        path.unlink(missing_ok=True)
    started = time.perf_counter()
    engine = make_engine(f"sqlite:///{partial}")
    migrate.upgrade(engine)
    build_db(engine, n, seed)
    engine.dispose()
    for suffix in ("-wal", "-shm"):
        Path(f"{partial}{suffix}").unlink(missing_ok=True)
    partial.rename(db)
    print(
        f"database: {n:,} dossiers built in {time.perf_counter() - started:.0f} s "
        f"({db.stat().st_size / 1e6:.0f} MB)"
    )


def _run_step(step: str, args: argparse.Namespace) -> str:
    command = [sys.executable, __file__, "--db", str(args.db), "--out", str(args.out)]
    done = subprocess.run([*command, "--step", step], capture_output=True, text=True, check=False)
    lines = (done.stdout.strip() or done.stderr.strip() or "no output").splitlines()
    return lines[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=Path("/tmp/motcua-bench-reports.db"))
    parser.add_argument("--dossiers", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--out", type=Path, default=Path("/tmp/motcua-bench-reports"))
    parser.add_argument(
        "--steps",
        default=",".join(DEFAULT_STEPS),
        help=f"comma-separated, of: {', '.join(STEPS)} (or 'all')",
    )
    parser.add_argument(
        "--clean", action="store_true", help="delete the database and the files written at the end"
    )
    parser.add_argument("--step", choices=STEPS, help=argparse.SUPPRESS)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    if args.step:
        print(json.dumps(_step(args.step, args.db, args.out), ensure_ascii=False))
        return
    steps = STEPS if args.steps == "all" else tuple(args.steps.split(","))
    if unknown := set(steps) - set(STEPS):
        parser.error(f"unknown steps: {', '.join(sorted(unknown))}")
    print(json.dumps(_machine(), ensure_ascii=False))
    ensure_db(args.db, args.dossiers, args.seed)
    for step in steps:
        print(f"{step:22} {_run_step(step, args)}", flush=True)
    if args.clean:
        shutil.rmtree(args.out, ignore_errors=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{args.db}{suffix}").unlink(missing_ok=True)
        print(f"removed {args.db} and {args.out}")


if __name__ == "__main__":
    main()
