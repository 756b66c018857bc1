"""Render time of every console page, for each role, on the 90-day demo province and on a
province of 1,000,000 dossiers. Targets: at most 2 s on the demo, 3 s on 1,000,000 dossiers.

Usage:
    .venv/bin/python bench/console.py [--data demo,large] [--dir /tmp/console_bench]
        [--dossiers 1000000] [--roles supervisor,inspector,admin] [--pages late,alerts]
        [--browser]

Each database is built when it is missing, the way ``motcua up`` fills the demo: ``motcua
init``, ``motcua demo`` (seed 2025; 90 days for ``demo``; for ``large`` 365 days at the daily
volume that gives --dossiers dossiers), ``motcua evaluate``, ``motcua feedback classify``,
``motcua alerts evaluate`` and the demo accounts (in ``<name>-data/demo-logins.txt`` beside
the database). ``large`` ends yesterday, so that it holds whole days; its build took 17
minutes on a shared 2-core machine (15 of them the import) and 2.3 GB of disk.

Measured in a fresh child process per database, with Streamlit's AppTest running ``app.py``
for a signed-in person of each role: the first run of each page after the data cache was
cleared (its queries run; the engine stays, as in a running console) and a second run (what a
rerun after a click costs). Wall and CPU time of the process are both shown: on a shared
machine the CPU time is the better estimate of the time alone, the load average says how
shared it was. With --browser, also the time from a click on the page's sidebar link in
headless Chromium to the page drawn by a real ``streamlit run app.py`` (one console per role,
so the first visit runs the queries), with the console process's CPU time.
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import platform
import resource
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
# This file is bench/console.py: its directory must not shadow the ``console`` package.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

APP = ROOT / "app.py"
SEED = 2025
ROLES = ("supervisor", "inspector", "admin")
TARGETS = {"demo": 2.0, "large": 3.0}
RUN_TIMEOUT = 600.0


@dataclass(frozen=True)
class Dataset:
    name: str
    days: int
    dossiers: int | None  # None: the demo's own daily volume

    def db(self, directory: Path) -> Path:
        return directory / f"{self.name}.db"

    def data_dir(self, directory: Path) -> Path:
        return directory / f"{self.name}-data"


@dataclass(frozen=True)
class PageSpec:
    script: str
    title: str
    roles: tuple[str, ...]


# -- the machine -----------------------------------------------------------------------------


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def machine() -> str:
    cpu = platform.processor() or "?"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    import streamlit

    return (
        f"CPU: {cpu}; {os.cpu_count()} cores; Python {platform.python_version()}; "
        f"SQLite {sqlite3.sqlite_version}; Streamlit {streamlit.__version__}; "
        f"load average {load_average()}"
    )


def cpu_now() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


# -- the pages, as app.py declares them ------------------------------------------------------


def app_pages(app: Path = APP) -> list[PageSpec]:
    """PAGES of app.py — (script, title, icon, roles) — read without running Streamlit."""
    tree = ast.parse(app.read_text(encoding="utf-8"))
    names: dict[str, Any] = {}
    pages: list[PageSpec] = []
    for node in tree.body:
        if not (isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name)):
            continue
        value = _literal(node.value, names)
        names[node.targets[0].id] = value
        if node.targets[0].id == "PAGES":
            for entry in value:
                roles = next(v for v in entry[2:] if isinstance(v, tuple))
                pages.append(PageSpec(entry[0], entry[1], roles))
    if not pages:
        raise SystemExit(f"no PAGES list in {app}")
    return pages


def _literal(node: ast.expr, names: dict[str, Any]) -> Any:
    if isinstance(node, ast.Name):
        return names.get(node.id)
    if isinstance(node, ast.Tuple | ast.List):
        return tuple(_literal(e, names) for e in node.elts)
    if isinstance(node, ast.Constant):
        return node.value
    return None


# -- the databases ---------------------------------------------------------------------------


def database_env(db: Path, data_dir: Path) -> dict[str, str]:
    return {
        "MOTCUA_DATABASE_URL": f"sqlite:///{db}",
        "MOTCUA_DATA_DIR": str(data_dir),
        "MOTCUA_CONFIG": str(data_dir / "none.toml"),
    }


def motcua(env: dict[str, str], *args: str) -> None:
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "monitor.cli", *args],
        cwd=ROOT,
        env={**os.environ, **env},
        check=True,
        stdout=subprocess.DEVNULL,
    )
    print(f"  motcua {' '.join(args)}: {time.perf_counter() - started:.0f} s", flush=True)


def demo_scale(dossiers: int, days: int, end: date) -> float:
    """The ``motcua demo --scale`` at which ``days`` days ending on ``end`` hold ``dossiers``."""
    from monitor.calendar import to_eday
    from monitor.demo.generator import day_volume, demo_calendar

    cal = demo_calendar()
    first = to_eday(end - timedelta(days=days - 1))
    usual = sum(day_volume(cal, SEED, 1.0, d) for d in range(first, to_eday(end) + 1))
    return dossiers / usual


def prepare(data: Dataset, directory: Path) -> None:
    """Build the dataset's database when it is missing. It is built under a temporary name
    and renamed at the end, so an interrupted build is not taken for a finished one."""
    db, data_dir = data.db(directory), data.data_dir(directory)
    if db.exists():
        return
    from monitor.demo.generator import today_vn

    partial = db.with_name(db.name + ".partial")
    for path in (partial, Path(f"{partial}-wal"), Path(f"{partial}-shm")):
        path.unlink(missing_ok=True)
    directory.mkdir(parents=True, exist_ok=True)
    data_dir.mkdir(parents=True, exist_ok=True)
    env = database_env(partial, data_dir)
    print(f"Building {db} …", flush=True)
    demo = ["demo", "--days", str(data.days), "--seed", str(SEED)]
    if data.dossiers is not None:
        # Whole days only (up to yesterday), so the count is the one asked for.
        end = today_vn() - timedelta(days=1)
        scale = demo_scale(data.dossiers, data.days, end)
        demo += ["--end", end.isoformat(), "--scale", f"{scale:.4f}"]
    motcua(env, "init")
    motcua(env, *demo)
    motcua(env, "evaluate")
    motcua(env, "feedback", "classify")
    motcua(env, "alerts", "evaluate")
    _accounts_and_checkpoint(partial, data_dir)
    partial.rename(db)


def _accounts_and_checkpoint(db: Path, data_dir: Path) -> None:
    from monitor.db import make_engine
    from monitor.demo_accounts import ensure_demo_accounts

    engine = make_engine(f"sqlite:///{db}")
    ensure_demo_accounts(engine, data_dir)
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()


def describe(db: Path) -> str:
    with sqlite3.connect(db) as conn:
        count, last = conn.execute("SELECT count(*), max(received_at) FROM dossiers").fetchone()
        alerts = conn.execute("SELECT count(*) FROM alerts").fetchone()[0]
        feedback = conn.execute("SELECT count(*) FROM feedback").fetchone()[0]
    size = db.stat().st_size / 1e6
    return (
        f"{count:,} dossiers (last received {str(last)[:10]}), {alerts:,} alerts, "
        f"{feedback:,} feedback rows; {size:,.0f} MB"
    )


# -- AppTest (child process) -----------------------------------------------------------------


def signed_in_people(roles: tuple[str, ...]) -> dict[str, Any]:
    """One account of each role from the database (the demo accounts), as the session
    holds it after login."""
    from sqlalchemy import select

    from console.resources import get_engine
    from console.session import SignedIn
    from monitor.db import session_scope
    from monitor.models import User

    people: dict[str, Any] = {}
    with session_scope(get_engine()) as s:
        for role in roles:
            user = s.scalars(select(User).where(User.role == role).order_by(User.id)).first()
            if user is not None:
                people[role] = SignedIn(
                    user.id, user.username, user.full_name, user.role, user.unit_id
                )
    return people


def timed(fn: Callable[[], Any]) -> tuple[float, float]:
    cpu, started = cpu_now(), time.perf_counter()
    fn()
    return time.perf_counter() - started, cpu_now() - cpu


def apptest_rows(pages: list[PageSpec], roles: tuple[str, ...]) -> Iterator[dict[str, Any]]:
    """Per role, one session that lands on the first page and then opens each page in turn,
    as a person clicking through the sidebar does; the data cache is cleared before each
    page's first run."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from monitor.models import utcnow

    people = signed_in_people(roles)
    landing = app_pages()[0].script

    def session(person: Any) -> Any:
        at = AppTest.from_file(str(APP), default_timeout=RUN_TIMEOUT)
        at.session_state["user"] = person
        at.session_state["last_seen"] = utcnow()
        return at

    # Untimed: the modules every page imports, loaded once as in a running console.
    warm = session(next(iter(people.values())))
    warm.run()
    for spec in app_pages():
        if spec.script != landing and warm.session_state["user"].role in spec.roles:
            warm.switch_page(spec.script).run()
    for role, person in people.items():
        at, ran = session(person), False
        for spec in pages:
            if role not in spec.roles:
                continue
            if spec.script != landing:
                if not ran:
                    at.run()  # the navigation exists after a first run
                at.switch_page(spec.script)
            ran = True
            st.cache_data.clear()
            first = timed(at.run)
            second = timed(at.run)
            yield row(spec, role, at, first, second)


def row(
    spec: PageSpec, role: str, at: Any, first: tuple[float, float], second: tuple[float, float]
) -> dict[str, Any]:
    problems = [str(e.value)[:200] for e in at.exception] + [str(e.value)[:200] for e in at.error]
    return {
        "page": spec.title,
        "heading": at.title[0].value if at.title else "",
        "elements": sum(1 for _ in at.main),
        "role": role,
        "first": first,
        "second": second,
        "load": os.getloadavg()[0],
        "problems": problems,
    }


# -- headless Chromium against a real console ------------------------------------------------


def browser_rows(
    data: Dataset, directory: Path, pages: list[PageSpec], roles: tuple[str, ...]
) -> Iterator[dict[str, Any]]:
    """Per role, a fresh console. Another role's account first clicks through every page it
    may open (untimed: the console imports its modules; its cached data are of another
    scope). Then the role signs in — the landing page's first time runs from the click on
    "Đăng nhập", password check included — and opens every page twice."""
    from console_server import CHROMIUM, CHROMIUM_ARGS
    from playwright.sync_api import sync_playwright

    env = database_env(data.db(directory), data.data_dir(directory))
    logins = read_logins_of(data, directory)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for role in roles:
            if role not in logins:
                continue
            times = browser_times(browser, env, logins, role)
            for spec in pages:
                if spec.title in times:
                    (w1, c1, load), (w2, c2, _) = times[spec.title]
                    yield {
                        "page": spec.title,
                        "role": role,
                        "first": (w1, c1),
                        "second": (w2, c2),
                        "load": load,
                        "problems": [],
                    }
        browser.close()


def read_logins_of(data: Dataset, directory: Path) -> dict[str, tuple[str, str]]:
    from console_server import read_logins

    return read_logins(data.data_dir(directory))


def browser_times(
    browser: Any, env: dict[str, str], logins: dict[str, tuple[str, str]], role: str
) -> dict[str, list[tuple[float, float, float]]]:
    """Wall time, console CPU time and load average of each page's two visits."""
    from console_server import VIEWPORT, console_server, open_page, sign_in, wait_for_page

    allowed = [s for s in app_pages() if role in s.roles]
    times: dict[str, list[tuple[float, float, float]]] = {s.title: [] for s in allowed}
    warm_role = "admin" if role == "supervisor" else "supervisor"
    with console_server(env) as console:
        if warm_role in logins:
            warm = browser.new_page(viewport=VIEWPORT)
            warm.set_default_timeout(RUN_TIMEOUT * 1000)
            sign_in(warm, console.url, *logins[warm_role])
            for spec in app_pages():
                if warm_role in spec.roles:
                    open_page(warm, spec.title)
            warm.close()
        page = browser.new_page(viewport=VIEWPORT)
        page.set_default_timeout(RUN_TIMEOUT * 1000)
        for visit in range(2):
            for spec in allowed:
                cpu, started = console.cpu_seconds(), time.perf_counter()
                if spec is allowed[0] and visit == 0:
                    sign_in(page, console.url, *logins[role])
                    wait_for_page(page, spec.title)
                else:
                    open_page(page, spec.title)
                wall = time.perf_counter() - started
                times[spec.title].append((wall, console.cpu_seconds() - cpu, os.getloadavg()[0]))
        page.close()
    return times


# -- the parent: prepare, measure in children, print -----------------------------------------


def child_main(args: argparse.Namespace) -> None:
    pages = selected_pages(args.pages)
    roles = tuple(args.roles.split(","))
    data = DATASETS[args.child]
    if args.child_mode == "browser":
        rows = browser_rows(data, args.dir, pages, roles)
    else:
        rows = apptest_rows(pages, roles)
    for row in rows:
        print(json.dumps(row, ensure_ascii=False), flush=True)


def selected_pages(wanted: str | None) -> list[PageSpec]:
    pages = app_pages()
    if not wanted:
        return pages
    keys = wanted.split(",")
    return [p for p in pages if any(k in p.script for k in keys)]


def measure(data: Dataset, args: argparse.Namespace, mode: str) -> list[dict[str, Any]]:
    env = database_env(data.db(args.dir), data.data_dir(args.dir))
    argv = [sys.executable, __file__, "--child", data.name, "--child-mode", mode]
    argv += ["--dir", str(args.dir), "--roles", args.roles]
    if args.pages:
        argv += ["--pages", args.pages]
    log = args.dir / f"{data.name}-{mode}.log"  # Streamlit's own messages and tracebacks
    with log.open("w", encoding="utf-8") as err:
        proc = subprocess.Popen(
            argv, cwd=ROOT, env={**os.environ, **env}, stdout=subprocess.PIPE, stderr=err, text=True
        )
        rows = []
        assert proc.stdout is not None
        for line in proc.stdout:
            if line.startswith("{"):
                row = json.loads(line)
                rows.append(row)
                print_row(row, TARGETS[data.name])
    if proc.wait() != 0:
        raise SystemExit(f"the {mode} measurement of {data.name} failed; see {log}")
    return rows


def print_header(what: str) -> None:
    print(f"\n{what}")
    print(
        f"  {'page':<30} {'role':<10} {'first wall':>10} {'CPU':>6} "
        f"{'second wall':>11} {'CPU':>6} {'load':>5}  target"
    )


def print_row(row: dict[str, Any], target: float) -> None:
    (w1, c1), (w2, c2) = row["first"], row["second"]
    verdict = "ok" if w1 <= target else ("ok on CPU" if c1 <= target else "OVER")
    if row["problems"]:
        verdict = "ERROR"
    line = (
        f"  {row['page'][:30]:<30} {row['role']:<10} {w1:>9.2f}s {c1:>5.2f}s "
        f"{w2:>10.2f}s {c2:>5.2f}s {row['load']:>5.1f}  {verdict} (≤ {target:g} s)"
    )
    print(line, flush=True)
    if "heading" in row:
        print(f"      drawn: “{row['heading']}”, {row['elements']} elements", flush=True)
    for problem in row["problems"]:
        print(f"      ! {problem}", flush=True)


def summary(name: str, rows: list[dict[str, Any]], target: float) -> None:
    if not rows:
        return
    worst = max(rows, key=lambda r: r["first"][0])
    over = [r for r in rows if r["first"][0] > target]
    broken = [r for r in rows if r["problems"]]
    print(
        f"  {name}: slowest first render {worst['first'][0]:.2f} s wall / "
        f"{worst['first'][1]:.2f} s CPU ({worst['page']}, {worst['role']}); "
        f"{len(over)} of {len(rows)} over {target:g} s wall; {len(broken)} with errors"
    )


MODES = {
    "apptest": "AppTest, app.py in this process; CPU = the process",
    "browser": (
        "headless Chromium against streamlit run app.py; CPU = the console process; the "
        "landing page's first time runs from the click on Đăng nhập"
    ),
}
DATASETS = {
    "demo": Dataset("demo", 90, None),
    "large": Dataset("large", 365, 1_000_000),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default="demo,large", help="demo, large or both (comma)")
    parser.add_argument("--dir", type=Path, default=Path("/tmp/console_bench"))
    parser.add_argument("--dossiers", type=int, default=1_000_000, help="size of 'large'")
    parser.add_argument("--roles", default=",".join(ROLES))
    parser.add_argument("--pages", help="only pages whose script contains one of these (comma)")
    parser.add_argument("--browser", action="store_true", help="also time headless Chromium")
    parser.add_argument("--child", choices=tuple(DATASETS), help=argparse.SUPPRESS)
    parser.add_argument("--child-mode", default="apptest", help=argparse.SUPPRESS)
    args = parser.parse_args()
    DATASETS["large"] = Dataset("large", 365, args.dossiers)
    if args.child:
        child_main(args)
        return
    names = [n for n in args.data.split(",") if n]
    print(machine(), flush=True)
    for name in names:
        prepare(DATASETS[name], args.dir)
    modes = ["apptest", "browser"] if args.browser else ["apptest"]
    results: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for name in names:
        data = DATASETS[name]
        print(f"\n== {name}: {data.db(args.dir)} — {describe(data.db(args.dir))}")
        for mode in modes:
            print_header(f"{MODES[mode]}; load average at start {load_average()}")
            started = time.perf_counter()
            results[(name, mode)] = measure(data, args, mode)
            print(
                f"  ({time.perf_counter() - started:.0f} s in all; "
                f"load average at end {load_average()})"
            )
    print("\nSummary")
    for (name, mode), rows in results.items():
        summary(f"{name}/{mode}", rows, TARGETS[name])


if __name__ == "__main__":
    main()
