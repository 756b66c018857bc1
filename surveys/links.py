"""Signed rating links: ``/r/{MaHoSo}?t=TOKEN`` printed on the receipt as a QR code.

TOKEN = ``<expiry>.<signature>``: the expiry in Unix seconds and the first 16 bytes of
HMAC-SHA256(secret, "rating-link|<MaHoSo>|<expiry>") in URL-safe base64 (128 bits is far beyond
guessing; a shorter token makes a smaller QR code). The signature is checked in constant time
before the expiry is looked at, so nobody learns anything from an altered token.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from pathlib import Path
from urllib.parse import quote

from monitor.config import Settings

SECRET_FILE = "rating_link_secret"
_SIG_BYTES = 16


class LinkProblem(StrEnum):
    FORGED = "forged"  # malformed, altered or signed with another key
    EXPIRED = "expired"


class BadLink(ValueError):
    def __init__(self, problem: LinkProblem) -> None:
        super().__init__(problem.value)
        self.problem = problem


def load_secret(settings: Settings) -> bytes:
    """The configured secret, or the one kept in ``data_dir`` (made on first use, 0600)."""
    if settings.rating_link_secret:
        return settings.rating_link_secret.encode()
    path = settings.data_path / SECRET_FILE
    try:
        return _read(path)
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        # O_EXCL: two processes starting together agree on the one that was written first.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return _read(path)
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(secrets.token_hex(32) + "\n")
    return _read(path)


def _read(path: Path) -> bytes:
    text = path.read_text(encoding="ascii").strip()
    if not text:
        raise FileNotFoundError(path)  # a file being written right now by another process
    return text.encode()


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _signature(secret: bytes, code: str, expires: int) -> bytes:
    msg = f"rating-link|{code}|{expires}".encode()
    return hmac.new(secret, msg, hashlib.sha256).digest()[:_SIG_BYTES]


def sign(secret: bytes, code: str, expires: int) -> str:
    return f"{expires}.{_b64(_signature(secret, code, expires))}"


def verify(secret: bytes, code: str, token: str, now: datetime) -> None:
    """Return if ``token`` is a valid, unexpired link token for ``code``; raise BadLink."""
    expires_text, dot, sig_text = token.partition(".")
    if (
        not dot
        or not expires_text.isascii()
        or not expires_text.isdigit()
        or len(expires_text) > 12
    ):
        raise BadLink(LinkProblem.FORGED)
    expires = int(expires_text)
    given = sig_text.encode("ascii", "replace")
    wanted = _b64(_signature(secret, code, expires)).encode()
    if not hmac.compare_digest(given, wanted):
        raise BadLink(LinkProblem.FORGED)
    if now.timestamp() >= expires:
        raise BadLink(LinkProblem.EXPIRED)


@dataclass(frozen=True)
class RatingLink:
    code: str
    url: str
    token: str
    expires_at: datetime


def make_link(
    settings: Settings, code: str, now: datetime, secret: bytes | None = None
) -> RatingLink:
    secret = secret if secret is not None else load_secret(settings)
    expires = int((now + timedelta(days=settings.rating_link_ttl_days)).timestamp())
    token = sign(secret, code, expires)
    base = settings.ratings_url.rstrip("/")
    url = f"{base}/r/{quote(code, safe='')}?t={token}"
    return RatingLink(code, url, token, datetime.fromtimestamp(expires, UTC))


def write_qr(url: str, path: Path) -> None:
    """A PNG QR code of ``url`` (medium error correction: survives a crumpled receipt)."""
    import qrcode
    from qrcode.constants import ERROR_CORRECT_M

    qr = qrcode.QRCode(error_correction=ERROR_CORRECT_M, box_size=8, border=4)
    qr.add_data(url)
    qr.make(fit=True)
    image = qr.make_image(fill_color="black", back_color="white")
    with path.open("wb") as fh:
        image.save(fh)
