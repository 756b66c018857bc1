"""The inspectors' exports as in-memory downloads for the console.

The same reports and the same ``export`` as ``motcua report``: the file is written to a private
temporary directory, audited (who, which report, parameters, hash, whether it carries personal
data), read back and removed. Personal data are masked unless the person is an admin; a
supervisor's scope never reaches beyond their own subtree.
"""

from __future__ import annotations

import tempfile
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine, select

from monitor.config import Settings
from monitor.db import session_scope
from monitor.models import Unit
from monitor.reports import texts as T
from monitor.reports.model import Report
from monitor.reports.period import Period, ReportInputError, Scope
from monitor.units import subtree_ids

REPORT_NAMES_VI = {
    "06a": "Biểu II.06a/VPCP/KSTT — tình hình, kết quả giải quyết TTHC",
    "register": "Sổ theo dõi hồ sơ trễ hạn",
    "satisfaction": "Báo cáo mức độ hài lòng",
}
FILE_STEMS = {
    "06a": "bieu-II06a",
    "register": "so-ho-so-tre-han",
    "satisfaction": "muc-do-hai-long",
}
MIME_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
    "csv": "text/csv",
}


@dataclass(frozen=True)
class Download:
    file_name: str
    mime: str
    data: bytes
    sha256: str
    rows: int
    personal_data: bool


def console_scope(engine: Engine, unit_id: int | None, allowed: Collection[int] | None) -> Scope:
    """The report's scope: the chosen unit's subtree, never wider than ``allowed`` (None: the
    person may see everything, and no unit means the whole province)."""
    if unit_id is None:
        if allowed is not None:
            raise ReportInputError("Chọn một đơn vị trong phạm vi được giao.")
        return Scope(None, T.SCOPE_ALL, None)
    if allowed is not None and unit_id not in allowed:
        raise ReportInputError("Đơn vị này nằm ngoài phạm vi được giao.")
    with session_scope(engine) as s:
        unit = s.execute(select(Unit.code, Unit.name).where(Unit.id == unit_id)).first()
    if unit is None:
        raise ReportInputError(f"Không có đơn vị số {unit_id}.")
    ids = subtree_ids(engine, unit_id)
    if allowed is not None:
        ids &= set(allowed)
    return Scope(unit.code, unit.name, frozenset(ids))


def build_report(
    engine: Engine,
    settings: Settings,
    kind: str,
    period: Period,
    scope: Scope,
    now: datetime,
    masked: bool,
    receiver: str = T.DEFAULT_RECEIVER,
) -> Report:
    if kind == "06a":
        from monitor.reports import form06a

        return form06a.build(engine, settings, period, scope, now, receiver=receiver)
    if kind == "register":
        from monitor.reports import register

        return register.build(engine, settings, period, scope, now, masked=masked)
    if kind == "satisfaction":
        from monitor.reports import satisfaction

        return satisfaction.build(engine, settings, period, scope, now)
    raise ReportInputError(f"Không có báo cáo '{kind}'.")


def file_name(kind: str, fmt: str, period: Period) -> str:
    return f"{FILE_STEMS[kind]}_{period.start:%d-%m-%Y}_{period.end:%d-%m-%Y}.{fmt}"


def build_download(
    engine: Engine,
    settings: Settings,
    kind: str,
    fmt: str,
    period: Period,
    scope: Scope,
    *,
    actor: str,
    masked: bool,
    now: datetime,
    receiver: str = T.DEFAULT_RECEIVER,
) -> Download:
    """Build, export (audited under ``actor``) and return one report as bytes."""
    from monitor.reports.export import export  # the writers load openpyxl and fpdf2

    if fmt not in MIME_TYPES:
        raise ReportInputError(f"Định dạng '{fmt}' không được hỗ trợ.")
    report = build_report(engine, settings, kind, period, scope, now, masked, receiver)
    name = file_name(kind, fmt, period)
    with tempfile.TemporaryDirectory(prefix="motcua-export-") as folder:
        result = export(engine, report, fmt, Path(folder) / name, actor)
        data = result.path.read_bytes()
    rows = sum(int(t["rows"]) for t in result.stamp.tables or [])
    return Download(name, MIME_TYPES[fmt], data, result.stamp.sha256, rows, report.personal_data)
