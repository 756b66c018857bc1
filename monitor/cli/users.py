"""``motcua users add|passwd|list``."""

from __future__ import annotations

import argparse
import getpass
import sys

from sqlalchemy import select

from monitor import audit
from monitor.auth import AccountError, create_user, generate_password, hash_password
from monitor.cli.common import UsageError, add_json_flag, engine_for, print_json, settings
from monitor.db import session_scope
from monitor.models import Unit, User


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("users", help="tài khoản bảng điều khiển")
    usub = p.add_subparsers(dest="users_command", required=True, metavar="LỆNH")
    add = usub.add_parser("add", help="thêm tài khoản")
    add.add_argument("username")
    add.add_argument("--role", required=True, choices=["supervisor", "inspector", "admin"])
    add.add_argument("--unit", help="mã đơn vị (bắt buộc với supervisor)")
    add.add_argument("--name", default="", help="họ và tên")
    add.add_argument("--password-stdin", action="store_true", help="đọc mật khẩu từ stdin")
    add_json_flag(add)
    add.set_defaults(func=cmd_add)
    pw = usub.add_parser("passwd", help="đặt lại mật khẩu")
    pw.add_argument("username")
    pw.add_argument("--password-stdin", action="store_true", help="đọc mật khẩu từ stdin")
    pw.set_defaults(func=cmd_passwd)
    ls = usub.add_parser("list", help="liệt kê tài khoản")
    add_json_flag(ls)
    ls.set_defaults(func=cmd_list)


def _read_password(from_stdin: bool) -> tuple[str, bool]:
    """The password and whether it was generated here (and so must be shown once)."""
    if from_stdin:
        return sys.stdin.readline().rstrip("\n"), False
    if sys.stdin.isatty():
        first = getpass.getpass("Mật khẩu: ")
        if first != getpass.getpass("Nhập lại mật khẩu: "):
            raise UsageError("Hai lần nhập mật khẩu không khớp.")
        return first, False
    return generate_password(), True


def cmd_add(args: argparse.Namespace) -> int:
    password, generated = _read_password(args.password_stdin)
    with session_scope(engine_for(settings())) as session:
        try:
            user = create_user(session, args.username, password, args.role, args.unit, args.name)
        except AccountError as exc:
            raise UsageError(str(exc)) from exc
        audit.record(
            session,
            audit.cli_actor(),
            "user.add",
            f"user:{user.username}",
            {"role": user.role, "unit": args.unit},
        )
    doc = {"username": args.username, "role": args.role, "unit": args.unit}
    if generated:
        doc["password"] = password
    if args.json:
        print_json(doc)
    else:
        print(f"Đã tạo tài khoản {args.username} ({args.role}).")
        if generated:
            print(f"Mật khẩu sinh tự động (chỉ hiện một lần): {password}")
    return 0


def cmd_passwd(args: argparse.Namespace) -> int:
    password, generated = _read_password(args.password_stdin)
    if len(password) < 8:
        raise UsageError("Mật khẩu phải có ít nhất 8 ký tự.")
    with session_scope(engine_for(settings())) as session:
        user = session.scalar(select(User).where(User.username == args.username))
        if user is None:
            raise UsageError(f"Không có tài khoản '{args.username}'.")
        user.password_hash = hash_password(password)
        user.failed_logins, user.locked_until = 0, None
        audit.record(session, audit.cli_actor(), "user.passwd", f"user:{user.username}")
    print(f"Đã đặt lại mật khẩu cho {args.username}.")
    if generated:
        print(f"Mật khẩu mới (chỉ hiện một lần): {password}")
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    with session_scope(engine_for(settings())) as session:
        rows = session.execute(
            select(User.username, User.role, Unit.code, User.full_name, User.active)
            .outerjoin(Unit, Unit.id == User.unit_id)
            .order_by(User.username)
        ).all()
    docs = [{"username": u, "role": r, "unit": c, "name": n, "active": a} for u, r, c, n, a in rows]
    if args.json:
        print_json(docs)
    else:
        for d in docs:
            print(f"{d['username']:<20} {d['role']:<11} {d['unit'] or '-':<24} {d['name']}")
    return 0
