"""What the writers share: the stamp of a report, flat column titles, the human trailer."""

from __future__ import annotations

import json

from monitor.reports.model import Column, Report, Table
from monitor.reports.trust import Stamp
from monitor.vi_format import moment

# The trailer of CSV exports and the first cell of the XLSX information sheet.
MARK = "#motcua-monitor: thông tin xuất"
META = "#meta"
INFO_SHEET = "Thông tin"


def new_stamp(report: Report) -> Stamp:
    return Stamp(report.kind, report.title, report.generated_at, report.params, report.version)


def flat_title(table: Table, index: int, column: Column) -> str:
    """A one-line title: the group, the column, and the form's column number if it has one."""
    title = f"{column.group} - {column.title}" if column.group else column.title
    return f"({index + 1}) {title}" if table.number_row else title


def info_lines(stamp: Stamp) -> list[tuple[str, str]]:
    """The human-readable trailer: what, when, with which parameters and software, the hash."""
    return [
        ("Báo cáo", stamp.title),
        ("Thời điểm lập", moment(stamp.generated_at)),
        ("Tham số", json.dumps(stamp.params, ensure_ascii=False, sort_keys=True)),
        ("Phiên bản phần mềm", f"motcua-monitor {stamp.version}"),
        ("Số dòng dữ liệu", str(sum(int(t["rows"]) for t in stamp.tables or []))),
        ("SHA-256 dữ liệu", stamp.sha256),
    ]
