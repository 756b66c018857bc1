"""The console inbox: the outbox row itself is the inbox entry, so delivery is recording it."""

from __future__ import annotations

from alerts.channels.base import Message


class InboxTransport:
    def send(self, message: Message) -> None:
        return None

    def close(self) -> None:
        return None
