"""The demo's three accounts, one per role, with generated passwords.

The passwords are shown once and kept in ``<data_dir>/demo-logins.txt``, readable only by its
owner, so the person who ran ``make run`` can find them again.
"""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import Engine, func, select

from monitor import audit
from monitor.auth import create_user, generate_password
from monitor.db import session_scope
from monitor.enums import Role, UnitLevel
from monitor.models import Unit, User

LOGINS_FILE = "demo-logins.txt"


def _supervised_unit(engine: Engine) -> str | None:
    with session_scope(engine) as s:
        return s.scalar(
            select(Unit.code)
            .where(Unit.level == UnitLevel.COMMUNE, Unit.valid_to.is_(None))
            .order_by(Unit.code)
        )


def ensure_demo_accounts(engine: Engine, data_dir: Path) -> list[tuple[str, str, str]] | None:
    """Create the accounts if there are none yet; return (username, role, password) rows."""
    with session_scope(engine) as s:
        if s.scalar(select(func.count(User.id))):
            return None
    commune = _supervised_unit(engine)
    wanted: list[tuple[str, Role, str | None, str]] = [
        ("quantri", Role.ADMIN, None, "Quản trị hệ thống"),
        ("thanhtra", Role.INSPECTOR, None, "Thanh tra tỉnh"),
    ]
    if commune:
        wanted.append(("giamsat", Role.SUPERVISOR, commune, "Giám sát cấp xã"))
    rows = []
    with session_scope(engine) as s:
        for username, role, unit, name in wanted:
            password = generate_password()
            create_user(s, username, password, role, unit, name)
            audit.record(s, "demo", "user.add", f"user:{username}", {"role": role})
            rows.append((username, str(role), password))
    _save(data_dir / LOGINS_FILE, rows)
    return rows


def _save(path: Path, rows: list[tuple[str, str, str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(format_logins(rows))
    os.chmod(path, 0o600)


def format_logins(rows: list[tuple[str, str, str]]) -> str:
    lines = ["Tài khoản demo (tên đăng nhập / vai trò / mật khẩu):"]
    lines += [f"  {u:<10} {r:<11} {p}" for u, r, p in rows]
    return "\n".join(lines) + "\n"
