"""Accounts: scrypt password hashes, lock-out after repeated failures."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from monitor.enums import Role
from monitor.models import Unit, User

_N, _R, _P = 2**14, 8, 1


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=_N, r=_R, p=_P, dklen=32)
    b64 = base64.b64encode
    return f"scrypt${_N}${_R}${_P}${b64(salt).decode()}${b64(digest).decode()}"


def verify_password(password: str, stored: str) -> bool:
    try:
        kind, n, r, p, salt, digest = stored.split("$")
    except ValueError:
        return False
    if kind != "scrypt":
        return False
    got = hashlib.scrypt(
        password.encode(), salt=base64.b64decode(salt), n=int(n), r=int(r), p=int(p), dklen=32
    )
    return hmac.compare_digest(got, base64.b64decode(digest))


def generate_password() -> str:
    return secrets.token_urlsafe(12)


class AccountError(ValueError):
    """Bad account data (unknown role or unit, duplicate name, weak password)."""


def create_user(
    session: Session,
    username: str,
    password: str,
    role: str,
    unit_code: str | None = None,
    full_name: str = "",
) -> User:
    if role not in set(Role):
        raise AccountError(f"Vai trò '{role}' không hợp lệ; chọn supervisor, inspector hoặc admin.")
    if len(password) < 8:
        raise AccountError("Mật khẩu phải có ít nhất 8 ký tự.")
    if session.scalar(select(User.id).where(User.username == username)) is not None:
        raise AccountError(f"Tài khoản '{username}' đã tồn tại.")
    unit_id = None
    if unit_code:
        unit_id = session.scalar(select(Unit.id).where(Unit.code == unit_code))
        if unit_id is None:
            raise AccountError(f"Không có đơn vị mã '{unit_code}'.")
    elif role == Role.SUPERVISOR:
        raise AccountError("Tài khoản giám sát phải gắn với một đơn vị (--unit).")
    user = User(
        username=username,
        password_hash=hash_password(password),
        role=role,
        unit_id=unit_id,
        full_name=full_name,
    )
    session.add(user)
    session.flush()
    return user


@dataclass(frozen=True)
class LoginPolicy:
    max_failures: int = 5
    lockout: timedelta = timedelta(minutes=15)


def authenticate(
    session: Session,
    username: str,
    password: str,
    now: datetime,
    policy: LoginPolicy = LoginPolicy(),
) -> User | None:
    """The user if the password is right and the account is not locked; counts failures."""
    user = session.scalar(select(User).where(User.username == username))
    if user is None or not user.active:
        return None
    if user.locked_until is not None and user.locked_until > now:
        return None
    if not verify_password(password, user.password_hash):
        user.failed_logins += 1
        if user.failed_logins >= policy.max_failures:
            user.locked_until = now + policy.lockout
            user.failed_logins = 0
        return None
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = now
    return user
