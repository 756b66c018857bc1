"""Accounts: hashing, roles and units, lock-out after repeated failures."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine

from monitor.auth import (
    AccountError,
    LoginPolicy,
    authenticate,
    create_user,
    hash_password,
    verify_password,
)
from monitor.db import session_scope
from monitor.models import Unit

NOW = datetime(2025, 3, 3, 2, 0, tzinfo=UTC)


def test_password_hash_verifies_and_is_salted() -> None:
    a, b = hash_password("mật-khẩu-dài"), hash_password("mật-khẩu-dài")
    assert a != b and a.startswith("scrypt$")
    assert verify_password("mật-khẩu-dài", a)
    assert not verify_password("mat-khau-dai", a)
    assert not verify_password("x", "not-a-hash")


def test_supervisor_needs_an_existing_unit(engine: Engine) -> None:
    with session_scope(engine) as s:
        with pytest.raises(AccountError, match="đơn vị"):
            create_user(s, "gs", "12345678", "supervisor")
        with pytest.raises(AccountError, match="X99"):
            create_user(s, "gs", "12345678", "supervisor", "X99")
        s.add(Unit(code="X01", name="UBND xã A", level="commune"))
        s.flush()
        assert create_user(s, "gs", "12345678", "supervisor", "X01").unit_id is not None


def test_unknown_role_short_password_and_duplicate_are_refused(engine: Engine) -> None:
    with session_scope(engine) as s:
        with pytest.raises(AccountError):
            create_user(s, "a", "12345678", "root")
        with pytest.raises(AccountError):
            create_user(s, "a", "short", "admin")
        create_user(s, "a", "12345678", "admin")
        with pytest.raises(AccountError, match="đã tồn tại"):
            create_user(s, "a", "12345678", "admin")


def test_account_locks_after_max_failures_and_unlocks_after_lockout(engine: Engine) -> None:
    policy = LoginPolicy(max_failures=3, lockout=timedelta(minutes=15))
    with session_scope(engine) as s:
        create_user(s, "tt", "đúng-mật-khẩu", "inspector")
    for _ in range(3):
        with session_scope(engine) as s:
            assert authenticate(s, "tt", "sai", NOW, policy) is None
    with session_scope(engine) as s:
        # Locked: even the right password is refused until the lock-out has passed.
        assert authenticate(s, "tt", "đúng-mật-khẩu", NOW + timedelta(minutes=14), policy) is None
    with session_scope(engine) as s:
        user = authenticate(
            s, "tt", "đúng-mật-khẩu", NOW + timedelta(minutes=15, seconds=1), policy
        )
        assert user is not None and user.failed_logins == 0


def test_failures_below_the_limit_do_not_lock(engine: Engine) -> None:
    policy = LoginPolicy(max_failures=3)
    with session_scope(engine) as s:
        create_user(s, "tt", "đúng-mật-khẩu", "inspector")
    for _ in range(2):
        with session_scope(engine) as s:
            authenticate(s, "tt", "sai", NOW, policy)
    with session_scope(engine) as s:
        assert authenticate(s, "tt", "đúng-mật-khẩu", NOW, policy) is not None
