"""``motcua up``: prepare the database (with the demo province when it is empty) and run the
console, the scheduler and the other services as children until Ctrl-C or SIGTERM."""

from __future__ import annotations

import argparse
import importlib.util
import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import func, select

from monitor import migrate
from monitor.cli.common import CommandError, engine_for, settings
from monitor.config import Settings
from monitor.db import session_scope
from monitor.demo_accounts import LOGINS_FILE, ensure_demo_accounts, format_logins
from monitor.models import Dossier
from monitor.processes import Child, start, supervise
from monitor.seed import load_seeds

APP = Path(__file__).resolve().parents[2] / "app.py"


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("up", help="khởi động toàn bộ sản phẩm (bảng điều khiển, lịch chạy, ...)")
    p.add_argument("--no-demo", action="store_true", help="không nạp tỉnh mô phỏng khi CSDL trống")
    p.set_defaults(func=cmd_up)


def _motcua(*args: str) -> list[str]:
    return [sys.executable, "-m", "monitor.cli", *args]


def _run_step(argv: list[str], what: str) -> None:
    print(what, flush=True)
    if subprocess.call(argv) != 0:
        raise CommandError(f"Bước '{what}' không thành công.")


def _has_command(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


def _children(s: Settings, demo: bool) -> list[Child]:
    children = [
        Child(
            "console",
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                str(APP),
                "--server.port",
                str(s.console_port),
                "--server.headless",
                "true",
                "--browser.gatherUsageStats",
                "false",
            ],
        )
    ]
    if _has_command("monitor.cli.scheduler"):
        children.append(Child("scheduler", _motcua("scheduler")))
    if _has_command("surveys.web"):
        children.append(Child("ratings-web", _motcua("ratings-web")))
    if demo and _has_command("monitor.demo_source"):
        children.append(Child("demo-source", _motcua("demo-source")))
    return children


def prepare(s: Settings, demo: bool) -> None:
    engine = engine_for(s)
    migrate.upgrade(engine)
    load_seeds(engine)
    with session_scope(engine) as session:
        empty = not session.scalar(select(func.count(Dossier.id)))
    if empty and demo:
        _run_step(
            _motcua("demo", "--days", str(s.demo_days), "--seed", str(s.demo_seed)),
            f"Đang tạo dữ liệu tỉnh mô phỏng ({s.demo_days} ngày)…",
        )
    if _has_command("monitor.cli.evaluate") or _has_command("monitor.evaluate"):
        _run_step(_motcua("evaluate"), "Đang tính hạn xử lý và trạng thái hồ sơ…")
    created = ensure_demo_accounts(engine, s.data_path) if demo else None
    if created:
        print(format_logins(created), end="")
        print(f"(Đã lưu vào {s.data_path / LOGINS_FILE}, chỉ chủ sở hữu đọc được.)")
    elif demo and (s.data_path / LOGINS_FILE).exists():
        print(f"Tài khoản demo: xem tệp {s.data_path / LOGINS_FILE}")


def cmd_up(args: argparse.Namespace) -> int:
    s = settings()
    demo = not args.no_demo
    prepare(s, demo)
    children = _children(s, demo)
    start(children, env=dict(os.environ))
    print(f"Bảng điều khiển: {s.console_url}  (Ctrl-C để dừng)", flush=True)
    for child in children[1:]:
        print(f"  + {child.name}", flush=True)
    return supervise(children)
