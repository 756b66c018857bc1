"""How long the simulated province takes to write N national-format dossiers, and its peak memory.

Usage: python bench/demo_export.py [--dossiers 1000000] [--formats json,csv] [--tracemalloc]

Each format runs in a fresh child process (so ru_maxrss is that run's peak) writing to a
temporary directory, exactly as ``motcua demo --export PATH --dossiers N`` does; a third child
only generates the records without writing them. With --tracemalloc the children also trace
Python allocations (slower; the figures are then the traced peak, not the speed).
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
import tempfile
import time
import tracemalloc
from datetime import date
from pathlib import Path
from typing import Any

END = date(2026, 10, 30)  # fixed, so that every run writes the same files
SEED = 2025


def machine() -> str:
    cpu = platform.processor() or "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (
        f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"SQLite {sqlite3.sqlite_version}, {platform.system()} {platform.release()}"
    )


def child(fmt: str, n: int, directory: Path, trace: bool) -> dict[str, Any]:
    from monitor.demo.export import export_file
    from monitor.demo.generator import export_records

    if trace:
        tracemalloc.start()
    started = time.perf_counter()
    records = export_records(n, seed=SEED, end=END)
    if fmt == "none":
        count, size = sum(1 for _ in records), 0
    else:
        path = directory / f"dossiers.{fmt}"
        count = export_file(path, records, fmt)
        size = path.stat().st_size
    seconds = time.perf_counter() - started
    peak_traced = tracemalloc.get_traced_memory()[1] if trace else None
    return {
        "format": fmt,
        "dossiers": count,
        "seconds": seconds,
        "bytes": size,
        "maxrss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
        "traced_peak_bytes": peak_traced,
        "cpu_seconds": time.process_time(),
    }


def run_child(fmt: str, n: int, directory: Path, trace: bool) -> dict[str, Any]:
    cmd = [sys.executable, __file__, "--child", fmt, "--dossiers", str(n), "--dir", str(directory)]
    if trace:
        cmd.append("--tracemalloc")
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    result: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    return result


def report(r: dict[str, Any]) -> str:
    n, seconds = r["dossiers"], r["seconds"]
    line = (
        f"{r['format']:>5}: {n:,} dossiers in {seconds:,.1f} s "
        f"({n / seconds:,.0f} dossiers/s, CPU {r['cpu_seconds']:,.1f} s), "
        f"file {r['bytes'] / 1e6:,.1f} MB, peak RSS {r['maxrss_kb'] / 1024:,.1f} MB"
    )
    if r.get("traced_peak_bytes") is not None:
        line += f", traced peak {r['traced_peak_bytes'] / 1e6:,.1f} MB"
    return line


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--dossiers", type=int, default=1_000_000)
    p.add_argument("--formats", default="none,json,csv", help="none = generate only")
    p.add_argument("--tracemalloc", action="store_true")
    p.add_argument("--child", default=None, help=argparse.SUPPRESS)
    p.add_argument("--dir", default=None, help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.dossiers, Path(args.dir), args.tracemalloc)))
        return
    print(f"Machine: {machine()}")
    print(f"Load average before: {os.getloadavg()[0]:.2f}")
    print(f"motcua demo --export, seed {SEED}, last day {END:%d/%m/%Y}:")
    with tempfile.TemporaryDirectory(prefix="motcua-bench-") as tmp:
        for fmt in args.formats.split(","):
            print(report(run_child(fmt.strip(), args.dossiers, Path(tmp), args.tracemalloc)))
            sys.stdout.flush()
    print(f"Load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
