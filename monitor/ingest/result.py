"""What an import reports, and the reasons a row is set aside."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from monitor import vi_format


class Reason(StrEnum):
    """Why a row went to quarantine. Stable codes: scripts and the console count them."""

    MISSING_CODE = "missing_code"
    CODE_TOO_LONG = "code_too_long"
    MISSING_RECEIVED_AT = "missing_received_at"
    BAD_DATE = "bad_date"
    MISSING_STATUS = "missing_status"
    UNKNOWN_STATUS = "unknown_status"
    MISSING_CHANNEL = "missing_channel"
    UNKNOWN_CHANNEL = "unknown_channel"
    DUE_BEFORE_RECEIPT = "due_before_receipt"
    FINISH_BEFORE_RECEIPT = "finish_before_receipt"
    RETURN_BEFORE_RECEIPT = "return_before_receipt"
    BAD_LEGAL_TIME = "bad_legal_time"
    BAD_SUPPLEMENT = "bad_supplement"
    BAD_APOLOGY = "bad_apology"
    BAD_STEP = "bad_step"
    VALUE_TOO_LONG = "value_too_long"
    NOT_AN_OBJECT = "not_an_object"


class Note(StrEnum):
    """Facts worth counting that do not stop a row from being imported."""

    UNKNOWN_UNIT = "unknown_unit"
    NEW_FIELD = "new_field"
    UNKNOWN_APPLICANT_KIND = "unknown_applicant_kind"


class RowProblem(ValueError):
    """A row that fails validation. The message names fields, never personal data."""

    def __init__(self, reason: Reason, message: str) -> None:
        super().__init__(message)
        self.reason = reason


@dataclass
class ImportResult:
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    quarantined: int = 0
    reasons: dict[str, int] = field(default_factory=dict)
    batch_id: int | None = None
    notes: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return self.inserted + self.updated + self.unchanged + self.quarantined

    def count_reason(self, reason: str, n: int = 1) -> None:
        self.reasons[reason] = self.reasons.get(reason, 0) + n

    def count_note(self, note: str, n: int = 1) -> None:
        self.notes[note] = self.notes.get(note, 0) + n

    def as_json(self) -> dict[str, Any]:
        return {
            "inserted": self.inserted,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "quarantined": self.quarantined,
            "reasons": dict(sorted(self.reasons.items())),
            "batch_id": self.batch_id,
            "notes": dict(sorted(self.notes.items())),
        }

    def summary_vi(self) -> str:
        n = vi_format.integer
        text = (
            f"Đã nhập {n(self.total)} hồ sơ: {n(self.inserted)} mới, {n(self.updated)} cập nhật, "
            f"{n(self.unchanged)} không đổi, {n(self.quarantined)} bị cách ly"
        )
        if self.reasons:
            detail = ", ".join(f"{k}: {n(v)}" for k, v in sorted(self.reasons.items()))
            text += f" ({detail})"
        return text + f" — lô nhập #{self.batch_id}."
