"""The alert package's own statuses and kinds (alert states and severities live in
monitor.enums, shared with the console)."""

from __future__ import annotations

from enum import StrEnum


class Condition(StrEnum):
    """What a rule watches for (docs/alerts.md lists the parameters of each)."""

    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    BREACH = "breach"
    STEP_OVERDUE = "step_overdue"
    STALE_SOURCE = "stale_source"
    URGENT_FEEDBACK = "urgent_feedback"
    LOW_SATISFACTION_STREAK = "low_satisfaction_streak"


class SubjectKind(StrEnum):
    DOSSIER = "dossier"
    STEP = "step"
    SOURCE = "source"
    FEEDBACK = "feedback"
    OFFICER = "officer"


class ChannelKind(StrEnum):
    INBOX = "inbox"
    EMAIL = "email"
    WEBHOOK = "webhook"


class NotificationState(StrEnum):
    PENDING = "pending"
    SENDING = "sending"  # claimed by a dispatcher until claimed_until
    SENT = "sent"
    FAILED = "failed"  # gave up: permanent error or too many attempts


class NotificationKind(StrEnum):
    ALERTS = "alerts"  # one grouped message listing alerts
    DIGEST = "digest"  # the morning digest
    ADMIN = "admin"  # a notice to administrators (a channel was disabled)


# Who changed an alert when no person did.
SYSTEM_ACTOR = "system:alerts"
