"""Benchmark of the deadline engine: evaluate a province's worth of dossiers.

Generates N dossiers (default 1,000,000) with steps, supplement requests and apologies into a
temporary SQLite database (and, with --postgres, a temporary schema on PostgreSQL) using Core
bulk inserts, then times:

1. the first evaluation, which computes and writes every dossier;
2. a full re-evaluation (``full=True``, as after a change of settings), which computes every
   dossier and writes what changed (nothing);
3. a re-evaluation 5 minutes later after 1 % of the dossiers were changed the way the ingest
   marks them (only those, and the ones whose ``next_change_at`` has come, are read);
4. a re-evaluation with nothing to do, and one at the next midnight (the daily turn of due
   soon and overdue).

Targets (issue 3): (2) under 10 s and (3) under 1 s for 1,000,000 dossiers. Each line gives
wall time, the CPU time of this process (``time.process_time``: the database's own work is in
it for SQLite, not for PostgreSQL, whose server is another process) and the load average,
because the machine is shared: judge progress by CPU seconds.

    .venv/bin/python bench/evaluate.py [--n 1000000] [--postgres URL] [--no-sqlite]
        [--template PATH] [--profile]

``--template PATH`` keeps the generated SQLite database at PATH (generated if missing) and
copies it for each run, which saves the generation on the next runs.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import platform
import pstats
import random
import shutil
import sqlite3
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from monitor import migrate  # noqa: E402
from monitor.calendar import DAY_S, WorkCalendar  # noqa: E402
from monitor.config import Settings  # noqa: E402
from monitor.db import make_engine  # noqa: E402
from monitor.evaluate import evaluate  # noqa: E402

AS_OF = datetime(2026, 3, 16, 10, 0, tzinfo=UTC)
BATCH = 50_000
UNITS, PROCEDURES = 60, 300
STEP_UNITS = [
    "Bộ phận Một cửa",
    "Phòng Tài nguyên và Môi trường",
    "Văn phòng Đăng ký đất đai",
    "Phòng Kinh tế",
    "Chi cục Thuế",
    "UBND xã",
]


def machine() -> list[str]:
    model = platform.processor() or "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    started, cpu = time.perf_counter(), time.process_time()
    total = 0
    for i in range(10_000_000):
        total += i
    loop, cpu = time.perf_counter() - started, time.process_time() - cpu
    return [
        f"CPU: {model}, {os.cpu_count()} cores; load average {load()} (1, 5, 15 min)",
        f"Python {platform.python_version()} ({platform.python_implementation()}), "
        f"SQLite {sqlite3.sqlite_version}, SQLAlchemy {sa.__version__}, numpy {np.__version__}",
        f"Calibration: a 10M-iteration Python loop took {loop:.2f} s wall, {cpu:.2f} s CPU "
        "(compare with the same loop elsewhere to scale these figures)",
    ]


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


# -- data ------------------------------------------------------------------------------------


class Stamp:
    """Epoch seconds to what the backend stores, fast (the bench inserts millions)."""

    def __init__(self, sqlite: bool) -> None:
        self.sqlite = sqlite
        self._days: dict[int, str] = {}

    def __call__(self, t: int | None) -> Any:
        if t is None:
            return None
        d, sod = divmod(t, DAY_S)
        prefix = self._days.get(d)
        if prefix is None:
            prefix = self._days[d] = (datetime(1970, 1, 1) + timedelta(days=d)).strftime("%Y-%m-%d")
        h, rest = divmod(sod, 3600)
        text = f"{prefix} {h:02d}:{rest // 60:02d}:{rest % 60:02d}"
        return text + (".000000" if self.sqlite else "+00")


def _table(name: str, *columns: str) -> Any:
    return sa.table(name, *(sa.column(c) for c in columns))


DOSSIERS = _table(
    "dossiers",
    "id",
    "source_id",
    "code",
    "procedure_id",
    "procedure_code",
    "procedure_name",
    "field_id",
    "receiving_unit_id",
    "resolving_unit_id",
    "channel",
    "received_at",
    "due_at",
    "finished_at",
    "status",
    "source_version",
    "created_at",
    "updated_at",
    "breaches",
    "responsible_units",
)
STEPS = _table(
    "dossier_steps", "dossier_id", "seq", "unit_name", "started_at", "done_at", "deadline_at"
)
SUPPLEMENTS = _table(
    "supplements", "dossier_id", "seq", "requested_at", "completed_at", "new_due_at"
)
APOLOGIES = _table("apologies", "dossier_id", "seq", "issued_at", "new_due_at")


def _catalogue(conn: sa.Connection) -> list[tuple[int, float, str]]:
    conn.execute(
        sa.text(
            "INSERT INTO sources (id, name, kind, expected_interval_minutes, "
            "enabled) VALUES (1, 'bench', 'file', 60, :t)"
        ),
        {"t": True},
    )
    units = [{"id": 1, "code": "H00", "name": "Tỉnh", "level": "province", "parent_id": None}]
    units += [
        {"id": i, "code": f"X{i:03d}", "name": f"Xã {i}", "level": "commune", "parent_id": 1}
        for i in range(2, UNITS + 1)
    ]
    conn.execute(_table("units", "id", "code", "name", "level", "parent_id").insert(), units)
    conn.execute(
        _table("fields", "id", "code", "name", "is_land").insert(),
        [{"id": 1, "code": "DD", "name": "Đất đai", "is_land": True}],
    )
    rng = random.Random(7)
    procs = []
    for i in range(1, PROCEDURES + 1):
        unit = rng.choices(["working_days", "calendar_days", "hours"], [90, 7, 3])[0]
        amount = float(rng.choice([1, 3, 5, 7, 10, 12, 15, 20] if unit != "hours" else [4, 8, 16]))
        procs.append(
            {
                "id": i,
                "code": f"1.{i:05d}",
                "name": f"Thủ tục {i}",
                "field_id": 1,
                "level": "commune",
                "legal_amount": amount,
                "legal_unit": unit,
                "has_fee": False,
            }
        )
    conn.execute(_table("procedures", *procs[0]).insert(), procs)
    overrides = [
        ("2025-04-26", "working_day", "*"),
        ("2025-05-02", "day_off", "*"),
        ("2026-08-22", "working_day", "*"),
        ("2026-08-31", "day_off", "*"),
        ("2025-06-07", "working_day", "X002"),
        ("2025-06-14", "working_day", "X003"),
    ]
    conn.execute(
        _table("calendar_days", "day", "kind", "scope", "note").insert(),
        [{"day": d, "kind": k, "scope": s, "note": ""} for d, k, s in overrides],
    )
    return [(p["id"], p["legal_amount"], p["legal_unit"]) for p in procs]


def _dossiers(n: int, procs: list[tuple[int, float, str]], stamp: Stamp) -> Iterator[Any]:
    """Dossiers received over two years before AS_OF, with their children."""
    rng, cal = random.Random(2025), WorkCalendar()
    now = int(AS_OF.timestamp())
    for i in range(1, n + 1):
        received = now - rng.randrange(0, 730 * DAY_S)
        received -= received % 60
        pid, amount, unit = rng.choice(procs)
        due = cal.add_s(cal.clock_start_s(received, True), amount, unit)
        due += rng.choice([0, 0, 0, 0, 0, 0, 0, 0, DAY_S, 3 * DAY_S])  # some inflated
        r = rng.random()
        status = (
            10
            if r < 0.78
            else 4
            if r < 0.9
            else 5
            if r < 0.94
            else 7
            if r < 0.96
            else 8
            if r < 0.97
            else 3
            if r < 0.98
            else 9
        )
        finished = None
        if status in (9, 10, 7, 8):
            finished = received + int(rng.triangular(0.2, 1.3, 0.8) * (due - received))
            finished = min(finished, now - 60)
        unit_id = rng.randrange(2, UNITS + 1)
        yield (
            {
                "id": i,
                "source_id": 1,
                "code": f"X{unit_id:03d}-{i:08d}",
                "procedure_id": pid,
                "procedure_code": f"1.{pid:05d}",
                "procedure_name": f"Thủ tục {pid}",
                "field_id": 1,
                "receiving_unit_id": unit_id,
                "resolving_unit_id": unit_id,
                "channel": rng.choice([1, 1, 2, 3]),
                "received_at": stamp(received),
                "due_at": stamp(due) if rng.random() < 0.9 else None,
                "finished_at": stamp(finished),
                "status": status,
                "source_version": "",
                "created_at": stamp(received),
                "updated_at": stamp(received),
                "breaches": "",
                "responsible_units": "[]",
            },
            _children(rng, i, received, due, finished, stamp),
        )


def _children(
    rng: random.Random, i: int, received: int, due: int, finished: int | None, stamp: Stamp
) -> tuple[list[Any], list[Any], list[Any]]:
    end = finished if finished is not None else received + (due - received) * 2
    steps, t = [], received
    for seq in range(1, rng.choice([2, 2, 3]) + 1):
        span = max(3600, (due - received) // 3)
        # About one step in eight outruns its own deadline.
        done = t + int(span * rng.triangular(0.2, 1.5, 0.5))
        steps.append(
            {
                "dossier_id": i,
                "seq": seq,
                "unit_name": rng.choice(STEP_UNITS),
                "started_at": stamp(t),
                "done_at": stamp(done) if done < end else None,
                "deadline_at": stamp(t + span),
            }
        )
        t = done
    sups = []
    if rng.random() < 0.06:
        asked = received + DAY_S
        sups.append(
            {
                "dossier_id": i,
                "seq": 1,
                "requested_at": stamp(asked),
                "completed_at": stamp(asked + 3 * DAY_S),
                "new_due_at": None,
            }
        )
    apologies = []
    if rng.random() < 0.03:
        apologies.append(
            {
                "dossier_id": i,
                "seq": 1,
                "issued_at": stamp(due - 2 * DAY_S),
                "new_due_at": stamp(due + 5 * DAY_S),
            }
        )
    return steps, sups, apologies


def generate(engine: sa.Engine, n: int) -> float:
    started = time.perf_counter()
    stamp = Stamp(engine.dialect.name == "sqlite")
    with engine.begin() as conn:
        procs = _catalogue(conn)
    batch: list[Any] = []
    for item in _dossiers(n, procs, stamp):
        batch.append(item)
        if len(batch) >= BATCH:
            _flush(engine, batch)
            batch = []
    _flush(engine, batch)
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            for table in ("dossiers", "dossier_steps", "supplements", "apologies"):
                conn.execute(sa.text(f"ANALYZE {table}"))
    return time.perf_counter() - started


def _flush(engine: sa.Engine, batch: list[Any]) -> None:
    if not batch:
        return
    with engine.begin() as conn:
        conn.execute(DOSSIERS.insert(), [d for d, _c in batch])
        for table, k in ((STEPS, 0), (SUPPLEMENTS, 1), (APOLOGIES, 2)):
            rows = [row for _d, c in batch for row in c[k]]
            if rows:
                conn.execute(table.insert(), rows)


# -- timing ----------------------------------------------------------------------------------


def mark_changed(engine: sa.Engine, n: int, share: float) -> int:
    """What the ingest does to changed dossiers: new facts, updated_at and the mark."""
    ids = random.Random(99).sample(range(1, n + 1), int(n * share))
    moment = AS_OF - timedelta(minutes=5)
    with engine.begin() as conn:
        for start in range(0, len(ids), 5000):
            conn.execute(
                sa.text(
                    "UPDATE dossiers SET status = 10, finished_at = :t, updated_at = :t, "
                    "next_change_at = :t WHERE id = :id"
                ),
                [{"t": moment, "id": i} for i in ids[start : start + 5000]],
            )
    return len(ids)


class Timer:
    """Runs evaluations and prints one line each: wall, CPU, load average, counts."""

    def __init__(self, label: str, engine: sa.Engine) -> None:
        self.label, self.engine, self.lines = label, engine, list[str]()
        self.settings = Settings()

    def say(self, text: str) -> None:
        self.lines.append(f"[{self.label}] {text}")
        print(self.lines[-1], flush=True)

    def evaluate(self, what: str, as_of: datetime, full: bool = False) -> None:
        cpu = time.process_time()
        result = evaluate(self.engine, as_of, full=full, settings=self.settings)
        cpu = time.process_time() - cpu
        self.say(
            f"{what}: {result.seconds:.2f} s wall, {cpu:.2f} s CPU, load {load()} "
            f"(evaluated {result.evaluated:,}, changed {result.changed:,}, "
            f"written {result.written:,})"
        )

    def profile(self, what: str, as_of: datetime, full: bool) -> None:
        def run() -> None:
            evaluate(self.engine, as_of, full=full, settings=self.settings)

        cProfile.runctx("run()", globals(), {"run": run}, "/tmp/evaluate.prof")
        pstats.Stats("/tmp/evaluate.prof").sort_stats("tottime").print_stats(25)
        self.say(f"{what}: profiled (see above)")


def run(label: str, url: str, n: int, profile: bool, template: Path | None = None) -> list[str]:
    engine = make_engine(url)
    timer = Timer(label, engine)
    if template is not None:
        timer.say(f"copied {n:,} generated dossiers from {template}")
    else:
        migrate.upgrade(engine)
        cpu = time.process_time()
        wall = generate(engine, n)
        timer.say(
            f"generated {n:,} dossiers: {wall:.1f} s wall, {time.process_time() - cpu:.1f} s CPU"
        )
    if profile:
        timer.profile("first evaluation", AS_OF, True)
    else:
        timer.evaluate("first evaluation, every row written", AS_OF, full=True)
    if engine.dialect.name == "postgresql":
        # What autovacuum does after the first evaluation: the statistics still say every
        # next_change_at is NULL, and the planner would read the whole table to find them.
        with engine.begin() as conn:
            conn.execute(sa.text("ANALYZE dossiers"))
    timer.evaluate("full re-evaluation (full=True)", AS_OF, full=True)
    marked = mark_changed(engine, n, 0.01)
    timer.say(f"marked {marked:,} dossiers changed (1 %)")
    later = AS_OF + timedelta(minutes=5)
    timer.evaluate("re-evaluation 5 min later, 1 % changed", later)
    timer.evaluate("re-evaluation with nothing to do", later)
    midnight = datetime(2026, 3, 16, 17, 0, tzinfo=UTC)  # 17/3 00:00 in Vietnam
    timer.evaluate("re-evaluation at the next midnight", midnight)
    engine.dispose()
    return timer.lines


def sqlite_run(n: int, profile: bool, template: str | None) -> list[str]:
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        if template is None:
            return run("SQLite", f"sqlite:///{db}", n, profile)
        source = Path(template)
        if not source.exists():
            engine = make_engine(f"sqlite:///{source}")
            migrate.upgrade(engine)
            print(f"generating {n:,} dossiers into {source}", flush=True)
            generate(engine, n)
            with engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            engine.dispose()
        shutil.copyfile(source, db)
        return run("SQLite", f"sqlite:///{db}", n, profile, source)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--n", type=int, default=1_000_000)
    p.add_argument("--postgres", help="PostgreSQL URL; a temporary schema is created in it")
    p.add_argument("--profile", action="store_true", help="profile the first evaluation")
    p.add_argument("--no-sqlite", action="store_true", help="PostgreSQL only")
    p.add_argument("--template", help="SQLite file holding the generated dossiers (reused)")
    args = p.parse_args()
    out = machine()
    print("\n".join(out), flush=True)
    if not args.no_sqlite:
        out += sqlite_run(args.n, args.profile, args.template)
    if args.postgres:
        out += _postgres(args.postgres, args.n, args.profile)
    out.append(f"load average at the end: {load()}")
    print("\n" + "\n".join(out))
    return 0


def _postgres(url: str, n: int, profile: bool) -> list[str]:
    admin = make_engine(url)
    schema = f"bench_{uuid.uuid4().hex[:8]}"
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
        version = conn.execute(sa.text("SHOW server_version")).scalar()
    try:
        sep = "&" if "?" in url else "?"
        lines = run("PostgreSQL", f"{url}{sep}options=-csearch_path%3D{schema}", n, profile)
        return [f"PostgreSQL {version} (its server's CPU is not in the CPU figures)", *lines]
    finally:
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


if __name__ == "__main__":
    sys.exit(main())
