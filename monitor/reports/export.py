"""Exporting a report: write it in the chosen format and record the export in the audit log
(who, what, when, with which parameters, and the hash of its data rows)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from monitor import audit
from monitor.db import session_scope
from monitor.reports.model import Report
from monitor.reports.trust import Stamp
from monitor.reports.writers import WRITERS

AUDIT_ACTION = "report.export"


def audit_target(sha256: str) -> str:
    """The audit log's ``target`` of an export: indexed, so ``verify`` can look a hash up."""
    return f"report:{sha256}"


@dataclass(frozen=True)
class ExportResult:
    path: Path
    format: str
    stamp: Stamp

    def as_dict(self) -> dict[str, Any]:
        return {"path": str(self.path), "format": self.format, **self.stamp.as_dict()}


def export(engine: Engine, report: Report, fmt: str, path: Path, actor: str) -> ExportResult:
    """Write ``report`` to ``path`` as ``fmt`` and audit it. A partly written file is removed
    when writing fails, so no export exists that the audit log does not know."""
    if fmt not in WRITERS:
        raise ValueError(f"unknown format {fmt!r}")
    try:
        stamp = WRITERS[fmt](report, path)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    with session_scope(engine) as session:
        audit.record(
            session,
            actor,
            AUDIT_ACTION,
            audit_target(stamp.sha256),
            {
                "report": report.kind,
                "format": fmt,
                "params": report.params,
                "rows": sum(int(t["rows"]) for t in stamp.tables or []),
                "sha256": stamp.sha256,
                "file": path.name,
                "personal_data": report.personal_data,
                "version": report.version,
            },
        )
    return ExportResult(path, fmt, stamp)
