"""The data model (DESIGN.md "Core records")."""

from monitor.models.alerts import Alert, Notification, NotificationChannel
from monitor.models.base import Base, UTCDateTime, utcnow
from monitor.models.dossiers import Apology, Dossier, DossierEvent, DossierStep, Source, Supplement
from monitor.models.ops import AuditEntry, ImportBatch, JobRun, QuarantinedRow
from monitor.models.org import (
    CalendarDay,
    Field,
    KioskDevice,
    Officer,
    Procedure,
    Unit,
    User,
)
from monitor.models.ratings import Feedback, LabelCorrection, Rating

__all__ = [
    "Alert",
    "Apology",
    "AuditEntry",
    "Base",
    "CalendarDay",
    "Dossier",
    "DossierEvent",
    "DossierStep",
    "Feedback",
    "Field",
    "ImportBatch",
    "JobRun",
    "KioskDevice",
    "LabelCorrection",
    "Notification",
    "NotificationChannel",
    "Officer",
    "Procedure",
    "QuarantinedRow",
    "Rating",
    "Source",
    "Supplement",
    "UTCDateTime",
    "Unit",
    "User",
    "utcnow",
]
