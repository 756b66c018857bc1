"""The audit log: who did what to which record, written in the caller's transaction."""

from __future__ import annotations

import getpass
from typing import Any

from sqlalchemy.orm import Session

from monitor.models import AuditEntry, utcnow


def cli_actor() -> str:
    """The actor recorded for commands typed at a shell."""
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli"


def record(
    session: Session,
    actor: str,
    action: str,
    target: str = "",
    detail: dict[str, Any] | None = None,
) -> AuditEntry:
    entry = AuditEntry(at=utcnow(), actor=actor, action=action, target=target, detail=detail or {})
    session.add(entry)
    return entry
