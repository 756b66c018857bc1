"""CSRF protection of the online form: a signed double-submit token.

The form page sets a random nonce in an HttpOnly, SameSite=Strict cookie and puts
HMAC(secret, "csrf|nonce|MaHoSo") in a hidden field. A POST is accepted only when the field
matches the cookie it came with, which another site can neither read nor set.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

COOKIE = "motcua_csrf"
FIELD = "csrf"


def new_nonce() -> str:
    return secrets.token_urlsafe(16)


def form_token(secret: bytes, nonce: str, scope: str) -> str:
    digest = hmac.new(secret, f"csrf|{nonce}|{scope}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def check(secret: bytes, nonce: str | None, token: str | None, scope: str) -> bool:
    if not nonce or not token:
        return False
    wanted = form_token(secret, nonce, scope).encode()
    return hmac.compare_digest(wanted, token.encode("ascii", "replace"))
