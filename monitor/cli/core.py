"""``motcua init`` and ``motcua config show``."""

from __future__ import annotations

import argparse

from monitor import config as cfg
from monitor import migrate
from monitor.cli.common import add_json_flag, engine_for, print_json, settings
from monitor.seed import load_seeds


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("init", help="tạo hoặc nâng cấp CSDL, nạp lịch và danh mục mặc định")
    add_json_flag(p)
    p.set_defaults(func=cmd_init)
    c = sub.add_parser("config", help="xem cấu hình")
    csub = c.add_subparsers(dest="config_command", required=True, metavar="LỆNH")
    show = csub.add_parser("show", help="in cấu hình đang dùng (ẩn các khóa bí mật)")
    add_json_flag(show)
    show.set_defaults(func=cmd_config_show)


def cmd_init(args: argparse.Namespace) -> int:
    s = settings()
    engine = engine_for(s)
    migrated = migrate.upgrade(engine)
    seeded = load_seeds(engine)
    doc = {
        "database": engine.url.render_as_string(hide_password=True),
        "revision": migrate.current_revision(engine),
        "migrated": migrated,
        "seeded": seeded,
    }
    if args.json:
        print_json(doc)
    elif migrated or any(seeded.values()):
        print(
            f"Đã khởi tạo CSDL {doc['database']} (phiên bản lược đồ {doc['revision']}); "
            f"nạp mới: {_describe(seeded)}."
        )
    else:
        print(f"CSDL {doc['database']} đã ở phiên bản mới nhất; không có thay đổi.")
    return 0


def _describe(seeded: dict[str, int]) -> str:
    parts = [f"{n} {name}" for name, n in seeded.items() if n]
    return ", ".join(parts) or "không có"


def cmd_config_show(args: argparse.Namespace) -> int:
    rows = cfg.describe(settings())
    if args.json:
        print_json({r["name"]: r["value"] for r in rows})
        return 0
    for r in rows:
        print(f"{r['name']:<26} = {r['value']!s:<40} # {r['env']}: {r['help']}")
    return 0
