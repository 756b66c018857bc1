"""``motcua alerts rules`` (the effective rules, checked against the database) and
``motcua alerts channels list|add|enable|disable`` (notification channels)."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from typing import TypeAlias

from sqlalchemy import select, update

from alerts import texts
from alerts.conditions import Context
from alerts.kinds import ChannelKind
from alerts.rules import RuleError, load_rules
from alerts.workhours import load_calendars
from monitor import audit
from monitor.cli.common import UsageError, add_json_flag, engine_for, print_json, settings
from monitor.db import session_scope
from monitor.models import NotificationChannel

Sub: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"


def register(asub: Sub) -> None:
    rules = asub.add_parser("rules", help="các quy tắc cảnh báo đang áp dụng (và kiểm tra)")
    add_json_flag(rules)
    rules.set_defaults(func=cmd_rules)
    ch = asub.add_parser("channels", help="kênh thông báo: hộp thư, thư điện tử, webhook")
    csub = ch.add_subparsers(dest="channels_command", required=True, metavar="LỆNH")
    ls = csub.add_parser("list", help="liệt kê kênh và lỗi gần nhất")
    add_json_flag(ls)
    ls.set_defaults(func=cmd_channels_list)
    add = csub.add_parser("add", help="thêm một webhook (JSON POST ký HMAC-SHA256)")
    add.add_argument("name")
    add.add_argument("--url", required=True, help="địa chỉ nhận, http:// hoặc https://")
    add.set_defaults(func=cmd_channels_add)
    for verb, helptext in (("enable", "bật lại một kênh"), ("disable", "tắt một kênh")):
        p = csub.add_parser(verb, help=helptext)
        p.add_argument("name")
        p.set_defaults(func=cmd_channels_toggle, enable=verb == "enable")


def cmd_rules(args: argparse.Namespace) -> int:
    s = settings()
    engine = engine_for(s)
    try:
        rules = load_rules()
        with session_scope(engine) as session:
            ctx = Context.load(session, datetime.now(UTC), load_calendars(engine, s).default)
            for rule in rules:
                ctx.check(rule)
    except RuleError as exc:
        raise UsageError(str(exc)) from exc
    if args.json:
        print_json({"rules": [r.as_json() for r in rules]})
        return 0
    for r in rules:
        flag = "" if r.enabled else " (tắt)"
        label = r.label or texts.CONDITIONS[r.condition]
        print(f"{r.name:<24} {texts.SEVERITIES[r.severity]:<12} {label}{flag}")
    return 0


def cmd_channels_list(args: argparse.Namespace) -> int:
    with session_scope(engine_for(settings())) as session:
        rows = [
            {
                "name": c.name,
                "kind": c.kind,
                "url": (c.config or {}).get("url"),
                "enabled": c.enabled,
                "consecutive_failures": c.consecutive_failures,
                "last_error": c.last_error,
                "disabled_at": c.disabled_at,
            }
            for c in session.scalars(select(NotificationChannel).order_by(NotificationChannel.id))
        ]
    if args.json:
        print_json({"channels": rows})
        return 0
    for r in rows:
        state = "bật" if r["enabled"] else "TẮT"
        error = f" — lỗi gần nhất: {r['last_error']}" if r["last_error"] else ""
        print(f"{r['name']:<20} {r['kind']:<8} {state}{error}")
    return 0


def cmd_channels_add(args: argparse.Namespace) -> int:
    if not args.url.startswith(("http://", "https://")):
        raise UsageError("--url phải bắt đầu bằng http:// hoặc https://.")
    with session_scope(engine_for(settings())) as session:
        if session.scalar(select(NotificationChannel).where(NotificationChannel.name == args.name)):
            raise UsageError(f"Đã có kênh tên '{args.name}'.")
        session.add(
            NotificationChannel(
                name=args.name, kind=ChannelKind.WEBHOOK.value, config={"url": args.url}
            )
        )
        audit.record(session, audit.cli_actor(), "channel.added", f"channel:{args.name}")
    print(f"Đã thêm webhook '{args.name}'.")
    return 0


def cmd_channels_toggle(args: argparse.Namespace) -> int:
    values: dict[str, object] = {"enabled": args.enable}
    if args.enable:
        values |= {"consecutive_failures": 0, "disabled_at": None}
    else:
        values["disabled_at"] = datetime.now(UTC)
    with session_scope(engine_for(settings())) as session:
        done = session.execute(
            update(NotificationChannel)
            .where(NotificationChannel.name == args.name)
            .values(**values)
            .returning(NotificationChannel.id)
        ).first()
        if done is None:
            raise UsageError(f"Không có kênh tên '{args.name}'.")
        action = "channel.enabled" if args.enable else "channel.disabled"
        audit.record(session, audit.cli_actor(), action, f"channel:{args.name}")
    print(f"Kênh '{args.name}' đã được {'bật' if args.enable else 'tắt'}.")
    return 0
