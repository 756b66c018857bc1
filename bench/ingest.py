"""Ingest benchmark: `motcua import` end to end against two references, same rows, same run.

    python bench/ingest.py [--sizes 100000 1000000] [--formats json csv]
                           [--backends sqlite postgresql] [--workdir /tmp/motcua-bench]

For each file (generated once by bench/gen_dossiers.py into --workdir) and backend, each case
runs in its own process on a freshly migrated database, so peak RSS is the case's own:

- motcua:     monitor.collectors.files.import_file (normalise, validate, upsert, events)
- re-import:  the same file again into that database (everything unchanged)
- ceiling:    the same file parsed the same streaming way, minimal conversion, plain sqlite3
              executemany (PostgreSQL: psycopg COPY) into the same tables (dossiers and, for
              JSON, steps, supplements, apologies), 5,000 rows a batch, one transaction
- pandas:     pandas.read_csv + DataFrame.to_sql into a table of its own (CSV only; what an
              analyst would do; reads the whole file into memory)

Rows/s counts dossiers (a JSON dossier also carries its 1–4 steps). /CPU-s divides by the
case process's own CPU time: on a shared machine it moves far less than wall time (on
PostgreSQL it leaves out the server's work). Peak memory is the process's maximum RSS,
interpreter and libraries included.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import gen_dossiers
from bench_ceiling import ceiling

PG_URL = os.environ.get("MOTCUA_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1/test")
SCHEMA = "motcua_bench"


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


def fresh_database(backend: str, workdir: Path) -> str:
    from monitor import migrate
    from monitor.db import make_engine

    if backend == "sqlite":
        path = workdir / "bench.db"
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


def run_case(case: str, path: Path, url: str) -> dict[str, Any]:
    """Runs in the child process; returns seconds, dossiers and peak RSS."""
    from monitor.db import make_engine

    engine = make_engine(url)
    started, cpu_started = time.perf_counter(), time.process_time()
    if case in ("motcua", "re-import"):
        from monitor.collectors.files import import_file

        rows = import_file(engine, path, source="bench").total
    elif case == "ceiling":
        rows = ceiling(engine, path)
    else:
        rows = _pandas(engine, path)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"seconds": seconds, "cpu": cpu, "rows": rows, "peak_mb": peak}


def _pandas(engine: Any, path: Path) -> int:
    import pandas as pd

    frame = pd.read_csv(path, encoding="utf-8-sig", dtype=str)
    with engine.begin() as conn:
        frame.to_sql("pandas_dossiers", conn, if_exists="replace", index=False, chunksize=5000)
    return len(frame)


def child(case: str, path: Path, url: str) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, __file__, "--child", case, str(path), url],
        capture_output=True,
        text=True,
        check=True,
    )
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


CASES = ("motcua", "re-import", "ceiling", "pandas")


def bench_file(
    path: Path, fmt: str, backend: str, workdir: Path, only: list[str]
) -> dict[str, dict[str, Any]]:
    """Run the cases on one file and backend; print a line each; return their figures."""
    cases = [c for c in CASES if c in only and (c != "pandas" or fmt == "csv")]
    results: dict[str, dict[str, Any]] = {}
    url = ""
    for case in cases:
        if case != "re-import" or not url:
            url = fresh_database(backend, workdir)
        results[case] = child(case, path, url)
        r = results[case]
        rate = r["rows"] / r["seconds"]
        share = ""
        if "ceiling" in results and case != "ceiling":
            top = results["ceiling"]["rows"] / results["ceiling"]["seconds"]
            share = f"  ({rate / top:.0%} of ceiling)"
        load = os.getloadavg()[0]
        print(
            f"  {backend:<10} {fmt:<4} {case:<9} {r['rows']:>9,} dossiers {r['seconds']:>8.1f} s "
            f"{rate:>9,.0f} /s  {r['rows'] / r['cpu']:>9,.0f} /CPU-s  "
            f"peak {r['peak_mb']:>7,.0f} MB  load {load:4.1f}{share}",
            flush=True,
        )
    if "motcua" in results and "ceiling" in results:
        ours, top = results["motcua"], results["ceiling"]
        wall = (ours["rows"] / ours["seconds"]) / (top["rows"] / top["seconds"])
        cpu = (ours["rows"] / ours["cpu"]) / (top["rows"] / top["cpu"])
        print(
            f"  {backend:<10} {fmt:<4} motcua = {wall:.0%} of the ceiling by wall time, "
            f"{cpu:.0%} by this process's CPU time",
            flush=True,
        )
    return results


def print_memory_growth(peaks: dict[tuple[str, str, str], dict[int, float]]) -> None:
    """Peak RSS of each case at the smallest and the largest size: flat means streaming."""
    for (backend, fmt, case), by_size in sorted(peaks.items()):
        if len(by_size) < 2:
            continue
        low, high = min(by_size), max(by_size)
        growth = by_size[high] / by_size[low] - 1
        print(
            f"  peak memory {backend} {fmt} {case}: {by_size[low]:,.0f} MB at {low:,} dossiers, "
            f"{by_size[high]:,.0f} MB at {high:,} ({growth:+.0%})",
            flush=True,
        )


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        print(json.dumps(run_case(sys.argv[2], Path(sys.argv[3]), sys.argv[4])))
        return
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000])
    parser.add_argument("--formats", nargs="+", default=["json", "csv"])
    parser.add_argument("--backends", nargs="+", default=["sqlite"])
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/motcua-bench"))
    parser.add_argument("--cases", nargs="+", default=list(CASES), choices=CASES)
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    print(machine(), flush=True)
    peaks: dict[tuple[str, str, str], dict[int, float]] = {}
    for size in args.sizes:
        for fmt in args.formats:
            path = args.workdir / f"dossiers-{size}.{fmt}"
            if not path.exists():
                started = time.perf_counter()
                writer = gen_dossiers.write_csv if fmt == "csv" else gen_dossiers.write_json
                writer(path, size, seed=1)
                took = time.perf_counter() - started
                print(f"generated {path} ({path.stat().st_size / 1e6:,.0f} MB) in {took:.0f} s")
            for backend in args.backends:
                results = bench_file(path, fmt, backend, args.workdir, args.cases)
                for case, r in results.items():
                    peaks.setdefault((backend, fmt, case), {})[size] = r["peak_mb"]
    print_memory_growth(peaks)
    print(f"done; load {'/'.join(f'{x:.1f}' for x in os.getloadavg())}", flush=True)


if __name__ == "__main__":
    main()
