"""Webhook: a JSON POST signed with HMAC-SHA256, for chat gateways (e.g. a Zalo official
account bridge). Receivers verify ``X-Motcua-Signature: sha256=<hex of HMAC(secret, body)>``
and drop repeats by the ``Idempotency-Key`` header (also in the body)."""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any

import httpx

from alerts.channels.base import DeliveryError, Message

SIGNATURE_HEADER = "X-Motcua-Signature"
IDEMPOTENCY_HEADER = "Idempotency-Key"
RETRYABLE_STATUS = frozenset({408, 425, 429})


def sign(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def body_of(message: Message) -> bytes:
    doc: dict[str, Any] = {
        **message.payload,
        "idempotency_key": message.idempotency_key,
        "kind": message.kind,
        "subject": message.subject,
        "text": message.text,
    }
    return json.dumps(doc, ensure_ascii=False, sort_keys=True).encode("utf-8")


class WebhookTransport:
    def __init__(self, url: str, secret: str, timeout: float = 10.0) -> None:
        self.url, self.secret, self.timeout = url, secret, timeout
        self._client: httpx.Client | None = None

    def _post(self, body: bytes, headers: dict[str, str]) -> httpx.Response:
        # One client per transport: a dispatch pass reuses its connections and TLS setup.
        if self._client is None:
            self._client = httpx.Client(timeout=self.timeout)
        return self._client.post(self.url, content=body, headers=headers)

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    def send(self, message: Message) -> None:
        if not self.url.startswith(("http://", "https://")):
            raise DeliveryError("webhook chưa có địa chỉ URL hợp lệ", permanent=True)
        if not self.secret:
            raise DeliveryError("chưa cấu hình khóa ký webhook (webhook_secret)", permanent=True)
        body = body_of(message)
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            SIGNATURE_HEADER: sign(self.secret, body),
            IDEMPOTENCY_HEADER: message.idempotency_key,
            "User-Agent": "motcua-monitor",
        }
        try:
            response = self._post(body, headers)
        except httpx.HTTPError as exc:
            raise DeliveryError(
                f"webhook không kết nối được: {type(exc).__name__}: {exc}"[:300]
            ) from exc
        status = response.status_code
        if 200 <= status < 300:
            return
        transient = status >= 500 or status in RETRYABLE_STATUS
        raise DeliveryError(f"webhook trả về HTTP {status}", permanent=not transient)
