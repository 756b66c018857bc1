"""The lists of a record: steps (QuaTrinhXuLy), supplements (DanhSachHoSoBoSung) and apology
letters (DanhSachXinLoi), each item as a tuple in the column order below."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from monitor.ingest.fields import at as _at
from monitor.ingest.fields import text as _text
from monitor.ingest.fields import when as _when
from monitor.ingest.result import Reason, RowProblem
from monitor.ingest.values import read_text

Items = list[tuple[Any, ...]] | None

STEP_COLUMNS = (
    "unit_name",
    "officer",
    "title",
    "content",
    "status",
    "started_at",
    "done_at",
    "deadline_at",
)
SUPPLEMENT_COLUMNS = ("requested_at", "completed_at", "previous_due_at", "new_due_at")
APOLOGY_COLUMNS = ("issued_at", "new_due_at", "reason")


def read_lists(record: Mapping[str, Any]) -> tuple[Items, Items, Items]:
    """Steps, supplements and apologies; a list the record does not carry is None."""
    return (
        _children(record, "QuaTrinhXuLy", _step),
        _children(record, "DanhSachHoSoBoSung", _supplement),
        _children(record, "DanhSachXinLoi", _apology),
    )


def _children(record: Mapping[str, Any], key: str, read: Any) -> Items:
    items = record.get(key)
    if items is None:
        return None
    if not isinstance(items, list):
        raise RowProblem(_LIST_REASON[key], f"{key} không phải danh sách")
    return [read(item, key) for item in items]


def _item(item: object, key: str) -> Mapping[str, Any]:
    if not isinstance(item, Mapping):
        raise RowProblem(_LIST_REASON[key], f"{key}: phần tử không phải đối tượng")
    return item


def _step(item: object, key: str) -> tuple[Any, ...]:
    step = _item(item, key)
    return (
        _text(step, "MaPhongBanXuLy"),
        _text(step, "PhongBanXuLy") or "",
        _text(step, "NguoiXuLy"),
        _text(step, "ChucDanh"),
        read_text(step.get("NoiDungXuLy")),
        _text(step, "TrangThai"),
        _at(step, "NgayBatDau"),
        _at(step, "ThoiDiemXuLy"),
        _at(step, "NgayKetThucTheoQuyDinh"),
    )


def _supplement(item: object, key: str) -> tuple[Any, ...]:
    sup = _item(item, key)
    requested = _when(sup, "NgayBoSung")
    if requested is None:
        raise RowProblem(Reason.BAD_SUPPLEMENT, f"{key}: thiếu NgayBoSung")
    return (
        requested.at,
        _at(sup, "NgayTiepNhanBoSung"),
        _at(sup, "NgayHenTraTruoc"),
        _at(sup, "NgayHenTraMoi"),
    )


def _apology(item: object, key: str) -> tuple[Any, ...]:
    apology = _item(item, key)
    issued = _when(apology, "NgayXinLoi")
    if issued is None:
        raise RowProblem(Reason.BAD_APOLOGY, f"{key}: thiếu NgayXinLoi")
    return (issued.at, _at(apology, "NgayHenTraMoi"), read_text(apology.get("LyDo")))


_LIST_REASON = {
    "QuaTrinhXuLy": Reason.BAD_STEP,
    "DanhSachHoSoBoSung": Reason.BAD_SUPPLEMENT,
    "DanhSachXinLoi": Reason.BAD_APOLOGY,
}
