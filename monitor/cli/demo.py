"""``motcua demo``: the simulated province, into the database or into a file.

motcua demo [--days N] [--seed S] [--end D] [--scale X] [--json]
motcua demo --export PATH --dossiers N [--format json|csv] [--seed S] [--end D]
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

from monitor import vi_format
from monitor.cli.common import (
    CommandError,
    UsageError,
    add_json_flag,
    engine_for,
    print_json,
    settings,
)

MAX_DAYS = 3660
MAX_SCALE = 20.0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "demo",
        help="tạo dữ liệu tỉnh mô phỏng (vào CSDL, hoặc ra tệp với --export)",
        description="Tỉnh mô phỏng: đơn vị, cán bộ, hồ sơ theo định dạng đồng bộ quốc gia, "
        "đánh giá và ý kiến của người dân. Cùng tham số cho cùng dữ liệu.",
    )
    p.add_argument("--days", type=int, default=None, help="số ngày lịch sử (mặc định demo_days)")
    p.add_argument(
        "--seed", type=int, default=None, help="hạt giống ngẫu nhiên (mặc định demo_seed)"
    )
    p.add_argument(
        "--end",
        default=None,
        metavar="NGÀY",
        help="ngày mô phỏng cuối cùng, dd/mm/yyyy hoặc yyyy-mm-dd (mặc định hôm nay)",
    )
    p.add_argument(
        "--scale", type=float, default=1.0, help="hệ số lượng hồ sơ mỗi ngày (mặc định 1,0)"
    )
    p.add_argument("--export", metavar="TỆP", default=None, help="ghi hồ sơ ra tệp thay vì CSDL")
    p.add_argument("--dossiers", type=int, default=None, help="số hồ sơ cần ghi (với --export)")
    p.add_argument("--format", choices=("json", "csv"), default=None, help="định dạng tệp xuất")
    p.add_argument(
        "--progress", action="store_true", help="hiện tiến độ trên stderr cả khi không phải TTY"
    )
    add_json_flag(p)
    p.set_defaults(func=cmd_demo)


def parse_day(text: str) -> date:
    """dd/mm/yyyy (the Vietnamese way) or yyyy-mm-dd."""
    text = text.strip()
    m = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", text)
    try:
        if m:
            return date(int(m[3]), int(m[2]), int(m[1]))
        return date.fromisoformat(text)
    except ValueError:
        pass
    raise UsageError(f"Ngày '{text}' không hợp lệ; dùng dd/mm/yyyy hoặc yyyy-mm-dd.")


class _Progress:
    """A one-line counter on stderr, redrawn at most five times a second."""

    def __init__(self, label: str) -> None:
        self.label, self.started, self.last, self.drawn = label, time.monotonic(), 0.0, False

    def __call__(self, n: int) -> None:
        now = time.monotonic()
        if now - self.last < 0.2:
            return
        self.last = now
        rate = n / max(now - self.started, 1e-6)
        sys.stderr.write(
            f"\r{self.label}: {vi_format.integer(n)} hồ sơ, "
            f"{vi_format.integer(round(rate))} hồ sơ/s    "
        )
        sys.stderr.flush()
        self.drawn = True

    def close(self) -> None:
        if self.drawn:
            sys.stderr.write("\n")


def _end_and_as_of(args: argparse.Namespace) -> tuple[date, int]:
    from monitor.demo.generator import default_as_of, today_vn

    today = today_vn()
    end = parse_day(args.end) if args.end else today
    if end > today:
        raise UsageError(
            f"Ngày cuối {vi_format.day(end)} ở tương lai; tỉnh mô phỏng dừng ở hôm nay."
        )
    return end, default_as_of(end)


def _check(args: argparse.Namespace) -> None:
    if not 0 < args.scale <= MAX_SCALE:
        raise UsageError(f"--scale phải lớn hơn 0 và không quá {MAX_SCALE:g}.")
    if args.export is None and (args.dossiers is not None or args.format is not None):
        raise UsageError("--dossiers và --format chỉ dùng cùng --export.")
    if args.export is not None and args.days is not None:
        raise UsageError("--days không dùng cùng --export: số ngày suy ra từ --dossiers.")


def cmd_demo(args: argparse.Namespace) -> int:
    _check(args)
    s = settings()
    seed = s.demo_seed if args.seed is None else args.seed
    end, as_of = _end_and_as_of(args)
    bar = _Progress("Đang ghi" if args.export else "Đang nhập")
    show = args.progress or sys.stderr.isatty()
    try:
        if args.export is not None:
            doc, lines = _export(args, seed, end, as_of, bar if show else None)
        else:
            doc, lines = _fill(args, s.demo_days, seed, end, as_of, bar if show else None)
    finally:
        bar.close()
    if args.json:
        print_json(doc)
    else:
        print("\n".join(lines))
    return 0


def _fill(
    args: argparse.Namespace,
    default_days: int,
    seed: int,
    end: date,
    as_of: int,
    bar: _Progress | None,
) -> tuple[dict[str, Any], list[str]]:
    from monitor.demo.run import run_demo
    from monitor.demo_source import feed_url

    days = default_days if args.days is None else args.days
    if not 1 <= days <= MAX_DAYS:
        raise UsageError(f"--days phải từ 1 đến {MAX_DAYS}.")
    s = settings()
    run = run_demo(
        engine_for(s),
        seed=seed,
        days=days,
        end=end,
        as_of=as_of,
        scale=args.scale,
        feed_url=feed_url(s.demo_source_port),
        progress=bar,
    )
    n = vi_format.integer
    lines = [
        f"Tỉnh mô phỏng: {days} ngày đến {vi_format.day(end)} (hạt giống {seed}). "
        f"Đơn vị mới: {n(run.units_created)}, cán bộ mới: {n(run.officers_created)}.",
        run.dossiers.summary_vi(),
        f"Đánh giá mới: {n(run.ratings.ratings)}, trong đó {n(run.ratings.comments)} có ý kiến. "
        f"Thời gian: {vi_format.decimal(run.seconds)} giây.",
    ]
    return run.as_json(), lines


def _export(
    args: argparse.Namespace, seed: int, end: date, as_of: int, bar: _Progress | None
) -> tuple[dict[str, Any], list[str]]:
    from monitor.demo.export import export_file
    from monitor.demo.generator import export_records

    path = Path(args.export)
    if args.dossiers is None or args.dossiers < 1:
        raise UsageError("--export cần --dossiers N (N ≥ 1).")
    fmt = args.format or ("csv" if path.suffix.lower() == ".csv" else "json")
    if not path.parent.is_dir():
        raise UsageError(f"Không có thư mục {path.parent}.")
    started = time.monotonic()
    records = export_records(args.dossiers, seed=seed, end=end, as_of=as_of, scale=args.scale)
    try:
        count = export_file(path, records, fmt, bar)
    except OSError as exc:
        raise CommandError(f"Không ghi được tệp {path}: {exc.strerror}") from None
    seconds = time.monotonic() - started
    doc = {
        "path": str(path),
        "format": fmt,
        "dossiers": count,
        "bytes": path.stat().st_size,
        "seconds": round(seconds, 1),
    }
    line = (
        f"Đã ghi {vi_format.integer(count)} hồ sơ ({fmt.upper()}) vào {path} "
        f"trong {vi_format.decimal(seconds)} giây."
    )
    return doc, [line]
