"""``motcua report verify FILE``: recompute the hash of an XLSX or CSV export's data rows and
compare it with the hash the file carries, then look that hash up in the audit log.

A changed cell changes the recomputed hash. Someone who also rewrote the stored hash is caught
by the audit log, which knows only the hashes of the exports that were really made.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from sqlalchemy import Engine, select

from monitor.db import session_scope
from monitor.models import AuditEntry
from monitor.reports.export import AUDIT_ACTION, audit_target
from monitor.reports.trust import hash_tables
from monitor.reports.writers.common import INFO_SHEET, MARK, META


class NotAnExport(ValueError):
    """The file is not an export this software wrote (or its stamp was removed)."""


@dataclass
class Verdict:
    path: str
    stored: str
    computed: str
    rows: int
    meta: dict[str, Any]
    recorded: list[dict[str, Any]] = field(default_factory=list)  # audit entries of the hash
    audit_checked: bool = False

    @property
    def intact(self) -> bool:
        return self.stored == self.computed

    @property
    def stamp_matches_audit(self) -> bool:
        """Whether an export of this hash was recorded with the report and parameters the file
        states: the stamp's parameters are not part of the hash, so an edited period or unit
        in them is caught here."""
        return any(r["matches"] for r in self.recorded)

    def as_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "intact": self.intact,
            "stored_sha256": self.stored,
            "computed_sha256": self.computed,
            "rows": self.rows,
            "report": self.meta.get("report"),
            "generated_at": self.meta.get("generated_at"),
            "params": self.meta.get("params"),
            "version": self.meta.get("version"),
            "audit_checked": self.audit_checked,
            "stamp_matches_audit": self.stamp_matches_audit,
            "recorded": self.recorded,
        }


def _meta(text: str) -> dict[str, Any]:
    try:
        meta = json.loads(text)
    except ValueError as exc:
        raise NotAnExport("Thông tin xuất trong tệp không đọc được (JSON hỏng).") from exc
    if not isinstance(meta, dict) or not isinstance(meta.get("tables"), list):
        raise NotAnExport("Thông tin xuất trong tệp không đúng cấu trúc.")
    return meta


def _csv_tables(path: Path) -> tuple[dict[str, Any], list[list[list[str]]]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    marks = [i for i, r in enumerate(rows) if r[:1] == [MARK]]
    metas = [r for r in rows[marks[-1] :] if r[:1] == [META] and len(r) > 1] if marks else []
    if not metas:
        raise NotAnExport("Tệp CSV không có phần thông tin xuất của motcua-monitor.")
    meta = _meta(metas[-1][1])
    tables, i = [], 0
    for t in meta["tables"]:
        n = int(t["rows"])
        body = rows[i + 1 : i + 1 + n]
        if len(body) != n or rows[i + 1 + n : i + 2 + n] != [[]]:
            raise NotAnExport("Số dòng dữ liệu trong tệp CSV không khớp thông tin xuất.")
        tables.append(body)
        i += n + 2
    if i != marks[-1]:
        raise NotAnExport("Tệp CSV có thêm dòng ngoài vùng dữ liệu đã xuất.")
    return meta, tables


def _xlsx_rows(wb: Any, regions: list[list[Any]], width: int) -> Iterator[tuple[Any, ...]]:
    for sheet, first, last in regions:
        if sheet not in wb.sheetnames:
            raise NotAnExport(f"Tệp XLSX thiếu trang tính '{sheet}'.")
        ws = wb[sheet]
        for values in ws.iter_rows(
            min_row=int(first), max_row=int(last), max_col=width, values_only=True
        ):
            yield tuple(values) + (None,) * (width - len(values))


def _xlsx_meta(wb: Any) -> dict[str, Any]:
    if INFO_SHEET not in wb.sheetnames:
        raise NotAnExport(f"Tệp XLSX không có trang '{INFO_SHEET}' của motcua-monitor.")
    for values in wb[INFO_SHEET].iter_rows(max_col=2, values_only=True):
        if values and values[0] == META and isinstance(values[1], str):
            return _meta(values[1])
    raise NotAnExport("Trang thông tin không có dữ liệu kiểm tra.")


def _xlsx_widths(meta: dict[str, Any]) -> list[int]:
    return [int(t.get("columns", 0)) for t in meta["tables"]]


def verify_file(path: Path) -> Verdict:
    """Recompute the hash of an export; NotAnExport if the file has no readable stamp."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        meta, tables = _csv_tables(path)
        computed = hash_tables(tables)
    elif suffix == ".xlsx":
        wb = load_workbook(path, read_only=True)
        try:
            meta = _xlsx_meta(wb)
            computed = hash_tables(
                _xlsx_rows(wb, t.get("regions", []), w)
                for t, w in zip(meta["tables"], _xlsx_widths(meta), strict=True)
            )
        finally:
            wb.close()
    else:
        raise NotAnExport("Chỉ kiểm tra được tệp .xlsx hoặc .csv do motcua-monitor xuất.")
    rows = sum(int(t["rows"]) for t in meta["tables"])
    return Verdict(str(path), str(meta.get("sha256", "")), computed, rows, meta)


def check_audit(engine: Engine, verdict: Verdict) -> Verdict:
    """Fill in the audit log's records of exports with the file's stored hash."""
    with session_scope(engine) as s:
        entries = s.execute(
            select(AuditEntry.at, AuditEntry.actor, AuditEntry.detail)
            .where(AuditEntry.action == AUDIT_ACTION)
            .where(AuditEntry.target == audit_target(verdict.stored))
            .order_by(AuditEntry.at)
        ).all()
    stated = (verdict.meta.get("report"), verdict.meta.get("params"))
    verdict.recorded = [
        {
            "at": at,
            "actor": actor,
            "format": (detail or {}).get("format"),
            "matches": ((detail or {}).get("report"), (detail or {}).get("params")) == stated,
        }
        for at, actor, detail in entries
    ]
    verdict.audit_checked = True
    return verdict
