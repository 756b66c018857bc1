"""One national-format record → the values we store, or a RowProblem saying why not.

Pure: no database. Catalogue codes (procedure, field, units) are kept as codes here and
resolved to ids by the writer, so the version hash does not depend on database ids.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from monitor.enums import DossierStatus, TimeUnit
from monitor.ingest.fields import LIMITS
from monitor.ingest.fields import text as _text
from monitor.ingest.fields import when as _when
from monitor.ingest.lists import read_lists
from monitor.ingest.result import Note, Reason, RowProblem
from monitor.ingest.values import (
    BadValue,
    When,
    before,
    fold,
    read_amount,
    read_channel,
    read_status,
    read_text,
    read_time_unit,
)

# Order of Normalised.values; the writer builds its SQL from this.
DOSSIER_COLUMNS = (
    "procedure_code",
    "procedure_name",
    "channel",
    "applicant_name",
    "applicant_phone",
    "applicant_email",
    "applicant_id_number",
    "applicant_kind",
    "summary",
    "submitted_at",
    "received_at",
    "due_at",
    "legal_amount",
    "legal_unit",
    "finished_at",
    "returned_at",
    "status",
    "receiving_officer_code",
)
_UNIT_VALUES = {unit: unit.value for unit in TimeUnit}
_APPLICANT_KINDS = {
    fold("Công dân"): 1,
    fold("Cá nhân"): 1,
    fold("Doanh nghiệp"): 2,
    fold("Cơ quan nhà nước"): 3,
    fold("Tổ chức"): 4,
}
_NO_RECEIPT_NEEDED = frozenset({DossierStatus.REGISTERED, DossierStatus.NOT_ACCEPTED})


@dataclass(slots=True)
class Normalised:
    code: str
    values: tuple[Any, ...]  # DOSSIER_COLUMNS; moments as canonical UTC text (values.When)
    field_code: str | None
    field_name: str | None
    resolving_unit: str | None
    receiving_unit: str | None
    # Child lists are None when the record does not carry them: existing ones stay untouched.
    steps: list[tuple[Any, ...]] | None  # (unit code or None, *STEP_COLUMNS)
    supplements: list[tuple[Any, ...]] | None
    apologies: list[tuple[Any, ...]] | None
    notes: tuple[Note, ...]
    version: str

    @property
    def status(self) -> int:
        return int(self.values[16])


def _or_none(when: When | None) -> str | None:
    return None if when is None else when.at


def normalise(record: Mapping[str, Any]) -> Normalised:
    """Validate and convert one record; raise RowProblem for a row to quarantine."""
    try:
        return _normalise(record)
    except BadValue as exc:
        raise RowProblem(Reason.BAD_DATE, str(exc)) from None


def _normalise(record: Mapping[str, Any]) -> Normalised:
    if not isinstance(record, Mapping):
        raise RowProblem(Reason.NOT_AN_OBJECT, "phần tử không phải đối tượng JSON")
    code = read_text(record.get("MaHoSo"))
    if code is None:
        raise RowProblem(Reason.MISSING_CODE, "thiếu MaHoSo")
    if len(code) > LIMITS["MaHoSo"]:
        raise RowProblem(Reason.CODE_TOO_LONG, "MaHoSo dài quá 64 ký tự")
    status = _status(record)
    channel = _channel(record)
    submitted = _when(record, "NgayNopHoSo")
    received = _when(record, "NgayTiepNhan")
    if received is None and status in _NO_RECEIPT_NEEDED:
        received = submitted
    if received is None:
        raise RowProblem(Reason.MISSING_RECEIVED_AT, "thiếu NgayTiepNhan")
    due = _when(record, "NgayHenTra")
    finished = _when(record, "NgayKetThucXuLy")
    returned = _when(record, "NgayTra")
    _check_order(received, due, Reason.DUE_BEFORE_RECEIPT, "NgayHenTra trước NgayTiepNhan")
    _check_order(
        received, finished, Reason.FINISH_BEFORE_RECEIPT, "NgayKetThucXuLy trước NgayTiepNhan"
    )
    _check_order(received, returned, Reason.RETURN_BEFORE_RECEIPT, "NgayTra trước NgayTiepNhan")
    amount, unit = _legal_time(record)
    kind, notes = _applicant_kind(record)
    values = (
        _text(record, "MaTTHC") or "",
        _text(record, "TenTTHC") or "",
        int(channel),
        _text(record, "ChuHoSo"),
        _text(record, "SoDienThoai"),
        _text(record, "Email"),
        _text(record, "SoGiayToChuHoSo"),
        kind,
        read_text(record.get("TrichYeuHoSo")),
        _or_none(submitted),
        received.at,
        _or_none(due),
        amount,
        unit,
        _or_none(finished),
        _or_none(returned),
        int(status),
        _text(record, "NguoiTiepNhan"),
    )
    return _assemble(record, code, values, notes)


def _assemble(
    record: Mapping[str, Any], code: str, values: tuple[Any, ...], notes: tuple[Note, ...]
) -> Normalised:
    refs = (
        _text(record, "MaLinhVuc"),
        _text(record, "TenLinhVuc"),
        _text(record, "DonViXuLy"),
        _text(record, "DonViTiepNhan") or _code_prefix(code),
    )
    steps, supplements, apologies = read_lists(record)
    digest = hashlib.blake2b(
        repr((code, values, refs, steps, supplements, apologies)).encode(), digest_size=16
    ).hexdigest()
    return Normalised(code, values, *refs, steps, supplements, apologies, notes, digest)


def _code_prefix(code: str) -> str | None:
    """The receiving unit of ``<unit code>-YYMMDD-NNNN``."""
    head, _, rest = code.rpartition("-")
    prefix, _, _ = head.rpartition("-")
    return prefix or None if rest else None


def _status(record: Mapping[str, Any]) -> DossierStatus:
    raw = record.get("TrangThaiHoSo")
    status = read_status(raw)
    if status is None:
        if read_text(raw) is None:
            raise RowProblem(Reason.MISSING_STATUS, "thiếu TrangThaiHoSo")
        raise RowProblem(Reason.UNKNOWN_STATUS, "TrangThaiHoSo không thuộc 1–10")
    return status


def _channel(record: Mapping[str, Any]) -> int:
    raw = record.get("KenhThucHien")
    channel = read_channel(raw)
    if channel is None:
        if read_text(raw) is None:
            raise RowProblem(Reason.MISSING_CHANNEL, "thiếu KenhThucHien")
        raise RowProblem(Reason.UNKNOWN_CHANNEL, "KenhThucHien không thuộc 1–3")
    return int(channel)


def _check_order(first: When, later: When | None, reason: Reason, message: str) -> None:
    if later is not None and before(later, first):
        raise RowProblem(reason, message)


def _legal_time(record: Mapping[str, Any]) -> tuple[float | None, str | None]:
    raw_amount, raw_unit = record.get("ThoiHanGiaiQuyet"), record.get("DonViTinh")
    if read_text(raw_amount) is None and read_text(raw_unit) is None:
        return None, None
    amount, unit = read_amount(raw_amount), read_time_unit(raw_unit)
    if amount is None or unit is None:
        raise RowProblem(
            Reason.BAD_LEGAL_TIME,
            "ThoiHanGiaiQuyet phải là số không âm và DonViTinh là Ngày làm việc, Ngày hoặc Giờ",
        )
    return amount, _UNIT_VALUES[unit]


def _applicant_kind(record: Mapping[str, Any]) -> tuple[int | None, tuple[Note, ...]]:
    raw = read_text(record.get("LoaiDoiTuong"))
    if raw is None:
        return None, ()
    kind = int(raw) if raw in ("1", "2", "3", "4") else _APPLICANT_KINDS.get(fold(raw))
    return (kind, ()) if kind is not None else (None, (Note.UNKNOWN_APPLICANT_KIND,))
