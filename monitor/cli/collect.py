"""``motcua collect``, ``motcua sources add|list`` and ``motcua demo-source``."""

from __future__ import annotations

import argparse
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
from monitor.collectors.http_feed import CollectError, FetchPolicy, collect_source
from monitor.collectors.sources import (
    SourceError,
    add_http_source,
    http_source_names,
    list_sources,
)
from monitor.demo_source import WINDOW_DAYS


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    c = sub.add_parser("collect", help="kéo dữ liệu hồ sơ từ các nguồn HTTP ngay bây giờ")
    c.add_argument("source", nargs="?", metavar="NGUỒN", help="chỉ kéo nguồn này")
    add_json_flag(c)
    c.set_defaults(func=cmd_collect)

    s = sub.add_parser("sources", help="quản lý nguồn dữ liệu hồ sơ")
    ssub = s.add_subparsers(dest="sources_command", required=True, metavar="LỆNH")
    add = ssub.add_parser("add", help="thêm (hoặc sửa) một nguồn HTTP")
    add.add_argument("name", metavar="TÊN")
    add.add_argument("--url", required=True, help="địa chỉ nguồn, ví dụ http://host/api/dossiers")
    add.add_argument("--interval", type=int, default=5, metavar="PHÚT", help="chu kỳ kéo (phút)")
    add_json_flag(add)
    add.set_defaults(func=cmd_sources_add)
    ls = ssub.add_parser("list", help="liệt kê các nguồn và lần kéo gần nhất")
    add_json_flag(ls)
    ls.set_defaults(func=cmd_sources_list)

    d = sub.add_parser("demo-source", help="chạy hệ thống một cửa mô phỏng (nguồn HTTP demo)")
    d.add_argument("--port", type=int, default=None, help="cổng (mặc định demo_source_port)")
    d.add_argument("--host", default="127.0.0.1", help="địa chỉ lắng nghe (mặc định 127.0.0.1)")
    d.add_argument(
        "--days",
        type=int,
        default=WINDOW_DAYS,
        metavar="N",
        help=f"số ngày gần nhất được phục vụ (mặc định {WINDOW_DAYS})",
    )
    d.add_argument(
        "--no-register",
        action="store_true",
        help="không tự đăng ký nguồn 'demo' trỏ tới máy chủ này trong CSDL",
    )
    d.set_defaults(func=cmd_demo_source)


def cmd_collect(args: argparse.Namespace) -> int:
    s = settings()
    engine = engine_for(s)
    if args.source and args.source not in {v.name for v in list_sources(engine)}:
        raise UsageError(f"Không có nguồn dữ liệu '{args.source}' (xem: motcua sources list).")
    names = [args.source] if args.source else http_source_names(engine)
    policy = FetchPolicy.from_settings(s)
    outcomes: list[dict[str, Any]] = []
    for name in names:
        try:
            result = collect_source(engine, name, policy=policy)
        except CollectError as exc:
            outcomes.append({"source": name, "ok": False, "error": str(exc)})
            continue
        outcomes.append({"source": name, "ok": True, **result.as_json()})
    if args.json:
        print_json({"sources": outcomes})
    else:
        _print_outcomes(outcomes)
    return 0 if all(o["ok"] for o in outcomes) else 1


def _print_outcomes(outcomes: list[dict[str, Any]]) -> None:
    if not outcomes:
        print("Chưa có nguồn HTTP nào đang bật (thêm bằng: motcua sources add TÊN --url URL).")
    for o in outcomes:
        if o["ok"]:
            print(
                f"{o['source']}: {o['inserted']} mới, {o['updated']} cập nhật, "
                f"{o['unchanged']} không đổi, {o['quarantined']} bị cách ly."
            )
        else:
            print(f"{o['source']}: LỖI — {o['error']}")


def cmd_sources_add(args: argparse.Namespace) -> int:
    engine = engine_for(settings())
    try:
        created = add_http_source(engine, args.name, args.url, args.interval)
    except SourceError as exc:
        raise UsageError(str(exc)) from None
    if args.json:
        print_json({"name": args.name.strip(), "created": created})
    else:
        verb = "Đã thêm" if created else "Đã cập nhật"
        print(f"{verb} nguồn '{args.name.strip()}' ({args.url}, {args.interval} phút/lần).")
    return 0


def cmd_sources_list(args: argparse.Namespace) -> int:
    views = list_sources(engine_for(settings()))
    if args.json:
        print_json([v.as_json() for v in views])
        return 0
    if not views:
        print("Chưa có nguồn dữ liệu nào.")
    for v in views:
        state = "bật" if v.enabled else "tắt"
        last = vi_format.moment(v.last_success_at) or "chưa lần nào"
        line = f"{v.name} [{v.kind}, {state}] {v.url or ''} — lần kéo thành công cuối: {last}"
        if v.last_error:
            line += f"; lỗi gần nhất: {v.last_error}"
        print(line)
    return 0


def cmd_demo_source(args: argparse.Namespace) -> int:
    from monitor.demo_source import DemoSourceError, serve

    s = settings()
    port = s.demo_source_port if args.port is None else args.port
    if not 0 < port < 65536:
        raise UsageError(f"Cổng {port} không hợp lệ.")
    if args.days < 1:
        raise UsageError("Số ngày phải ít nhất là 1.")
    try:
        serve(s, host=args.host, port=port, register=not args.no_register, days=args.days)
    except DemoSourceError as exc:
        raise CommandError(str(exc)) from None
    return 0
