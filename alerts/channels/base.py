"""The one interface every channel implements, and how a channel reports failure."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol


@dataclass(frozen=True)
class Message:
    """One outbox row as a channel sees it."""

    idempotency_key: str
    kind: str
    subject: str
    text: str
    payload: dict[str, Any]
    to_email: str | None = None
    to_name: str = ""


class DeliveryError(Exception):
    """The channel could not deliver. ``permanent``: retrying the same message cannot help.
    ``channel_fault``: count it against the channel (a refused address is the message's
    fault, not the channel's)."""

    def __init__(self, reason: str, *, permanent: bool = False, channel_fault: bool = True):
        super().__init__(reason)
        self.reason = reason
        self.permanent = permanent
        self.channel_fault = channel_fault


class Transport(Protocol):
    def send(self, message: Message) -> None:
        """Deliver, or raise DeliveryError. Must be safe to call again with the same message:
        the receiver deduplicates by ``message.idempotency_key``."""
        ...

    def close(self) -> None:
        """Release connections kept for the pass (called once the pass is over)."""
        ...
