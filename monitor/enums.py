"""Statuses and kinds as StrEnums (DOMAIN.md §2–§5)."""

from __future__ import annotations

from enum import IntEnum, StrEnum


class UnitLevel(StrEnum):
    PROVINCE = "province"
    DEPARTMENT = "department"
    DIVISION = "division"
    DISTRICT = "district"  # retired on 01/7/2025; kept for history
    COMMUNE = "commune"


class TimeUnit(StrEnum):
    WORKING_DAYS = "working_days"
    CALENDAR_DAYS = "calendar_days"
    HOURS = "hours"


class Channel(IntEnum):
    """KenhThucHien."""

    IN_PERSON = 1
    ONLINE = 2
    POSTAL = 3


class DossierStatus(IntEnum):
    """TrangThaiHoSo."""

    REGISTERED = 1
    ACCEPTED = 2
    NOT_ACCEPTED = 3
    PROCESSING = 4
    SUPPLEMENT_REQUESTED = 5
    FINANCIAL_OBLIGATION = 6
    WITHDRAWN = 7
    STOPPED = 8
    FINISHED = 9
    RETURNED = 10


STATUS_NAMES_VI: dict[DossierStatus, str] = {
    DossierStatus.REGISTERED: "Mới đăng ký",
    DossierStatus.ACCEPTED: "Được tiếp nhận",
    DossierStatus.NOT_ACCEPTED: "Không được tiếp nhận",
    DossierStatus.PROCESSING: "Đang xử lý",
    DossierStatus.SUPPLEMENT_REQUESTED: "Yêu cầu bổ sung giấy tờ",
    DossierStatus.FINANCIAL_OBLIGATION: "Yêu cầu thực hiện nghĩa vụ tài chính",
    DossierStatus.WITHDRAWN: "Công dân yêu cầu rút hồ sơ",
    DossierStatus.STOPPED: "Dừng xử lý",
    DossierStatus.FINISHED: "Đã xử lý xong",
    DossierStatus.RETURNED: "Đã trả kết quả",
}

IN_PROGRESS = frozenset({DossierStatus.ACCEPTED, DossierStatus.PROCESSING})
WAITING_CITIZEN = frozenset(
    {DossierStatus.SUPPLEMENT_REQUESTED, DossierStatus.FINANCIAL_OBLIGATION}
)
FINISHED = frozenset({DossierStatus.FINISHED, DossierStatus.RETURNED})
NOT_ACCEPTED = frozenset({DossierStatus.REGISTERED, DossierStatus.NOT_ACCEPTED})


class DueStatus(StrEnum):
    EARLY = "early"
    ON_TIME = "on_time"
    LATE = "late"
    IN_TIME = "in_time"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    WAITING_CITIZEN = "waiting_citizen"
    WITHDRAWN = "withdrawn"
    STOPPED = "stopped"
    NOT_ACCEPTED = "not_accepted"


class Breach(StrEnum):
    LATE_WITHOUT_APOLOGY = "late_without_apology"
    APOLOGY_TOO_LATE = "apology_too_late"
    SECOND_RESCHEDULE = "second_reschedule"
    MISSED_NEW_DUE = "missed_new_due"
    INFLATED_APPOINTMENT = "inflated_appointment"
    MULTIPLE_SUPPLEMENTS = "multiple_supplements"


class RatingLevel(IntEnum):
    """Three levels asked at kiosks and online (DOMAIN.md §5)."""

    UNSATISFIED = 1
    SATISFIED = 2
    VERY_SATISFIED = 3


class RatingChannel(StrEnum):
    KIOSK = "kiosk"
    ONLINE = "online"
    IMPORT = "import"
    DEVICE = "device"


class Role(StrEnum):
    SUPERVISOR = "supervisor"
    INSPECTOR = "inspector"
    ADMIN = "admin"


class AlertState(StrEnum):
    OPEN = "open"
    ACKNOWLEDGED = "acknowledged"
    SILENCED = "silenced"
    RESOLVED = "resolved"


class Severity(StrEnum):
    INFO = "info"
    WARNING = "warning"
    CRITICAL = "critical"


class CalendarDayKind(StrEnum):
    DAY_OFF = "day_off"
    WORKING_DAY = "working_day"


class JobOutcome(StrEnum):
    RUNNING = "running"
    SUCCESS = "success"
    FAILED = "failed"


class DossierEventKind(StrEnum):
    """What a dossier_events row records (written by ingest)."""

    IMPORTED = "imported"
    UPDATED = "updated"
    STATUS_CHANGED = "status_changed"


class SourceKind(StrEnum):
    FILE = "file"  # files given by hand (motcua import)
    HTTP = "http"  # a feed pulled by the collector


class BatchStatus(StrEnum):
    RUNNING = "running"
    SUCCESS = "success"
    FAILED = "failed"
