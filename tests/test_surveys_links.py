"""Signed rating links: HMAC-SHA256 over (code, expiry), constant-time check, exact expiry."""

from __future__ import annotations

import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from monitor.config import Settings
from surveys import csrf
from surveys.links import BadLink, LinkProblem, load_secret, make_link, sign, verify, write_qr

SECRET = b"k"
CODE = "000.00.06.H56-231027-0361"
EXPIRES = 1_767_225_600  # 01/01/2026 00:00 UTC


def _at(seconds: int) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)


def test_a_signed_token_verifies_until_one_second_before_its_expiry() -> None:
    token = sign(SECRET, CODE, EXPIRES)
    verify(SECRET, CODE, token, _at(EXPIRES - 1))
    with pytest.raises(BadLink) as at_expiry:
        verify(SECRET, CODE, token, _at(EXPIRES))
    assert at_expiry.value.problem is LinkProblem.EXPIRED


def test_the_token_is_url_safe_and_short_enough_for_a_small_qr_code() -> None:
    token = sign(SECRET, CODE, EXPIRES)
    assert len(token) <= 40
    assert all(c.isalnum() or c in "-_." for c in token)


@pytest.mark.parametrize(
    "token",
    [
        "",
        "abc",
        f"{EXPIRES}.",
        f"{EXPIRES}",
        f"x{EXPIRES}.{sign(SECRET, CODE, EXPIRES).split('.')[1]}",
        f"{EXPIRES + 1}.{sign(SECRET, CODE, EXPIRES).split('.')[1]}",
        sign(SECRET, CODE, EXPIRES)[:-1],
        sign(b"other", CODE, EXPIRES),
        sign(SECRET, CODE + "1", EXPIRES),
        sign(SECRET, CODE, EXPIRES) + "é",
    ],
)
def test_altered_or_foreign_tokens_are_forged_even_after_expiry(token: str) -> None:
    for now in (_at(EXPIRES - 100), _at(EXPIRES + 100)):
        with pytest.raises(BadLink) as bad:
            verify(SECRET, CODE, token, now)
        assert bad.value.problem is LinkProblem.FORGED


def test_without_a_configured_secret_one_is_generated_once_and_kept_private(
    tmp_path: Path,
) -> None:
    settings = Settings(data_dir=str(tmp_path))
    first = load_secret(settings)
    again = load_secret(settings)
    path = tmp_path / "rating_link_secret"
    assert first == again and len(first) == 64
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_secret(Settings(data_dir=str(tmp_path), rating_link_secret="cấu hình")) == (
        "cấu hình".encode()
    )


def test_a_link_expires_after_the_configured_days_and_writes_a_png_qr(tmp_path: Path) -> None:
    settings = Settings(
        data_dir=str(tmp_path), rating_link_secret="s", ratings_url="https://dg.example.vn/"
    )
    now = _at(EXPIRES)
    link = make_link(settings, CODE, now)
    assert link.url == f"https://dg.example.vn/r/{CODE}?t={link.token}"
    assert link.expires_at == now + timedelta(days=60)
    qr = tmp_path / "qr.png"
    write_qr(link.url, qr)
    assert qr.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_a_csrf_token_is_bound_to_its_nonce_and_dossier() -> None:
    token = csrf.form_token(SECRET, "nonce", CODE)
    assert csrf.check(SECRET, "nonce", token, CODE)
    assert not csrf.check(SECRET, "other", token, CODE)
    assert not csrf.check(SECRET, "nonce", token, CODE + "1")
    assert not csrf.check(SECRET, None, token, CODE)
    assert not csrf.check(SECRET, "nonce", None, CODE)
