"""JSON for machines, written as it streams.

A report of one table is ``{"rows": [...], "sections": [...], "total": {...}, "meta": {...}}``;
one of several is ``{"tables": {key: {"title", "rows", ...}}, "meta": {...}}``. Data rows are
objects keyed by column key (Biểu 06a: "stt", "field", "3" … "13"), with the section they fall
under; section and total rows are kept apart. ``meta`` is the stamp, hash included; it comes
last because the hash is known only when every row has been written.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any

from monitor.calendar import VN_TZ
from monitor.reports.model import CellValue, Report, RowKind, Table
from monitor.reports.trust import RowHasher, Stamp
from monitor.reports.writers.common import new_stamp


def _value(v: CellValue) -> Any:
    if isinstance(v, datetime):
        return v.astimezone(VN_TZ).isoformat()
    if isinstance(v, date):
        return v.isoformat()
    return v


def _dump(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _write_table(fh: IO[str], table: Table, hasher: RowHasher) -> None:
    """The table's members (without braces): "rows" streamed, then sections and total."""
    keys = [c.key for c in table.columns]
    sections: list[dict[str, Any]] = []
    total: dict[str, Any] | None = None
    section: str | None = None
    fh.write('"title":' + _dump(table.title) + ',"rows":[')
    first = True
    for row in hasher.table(table.rows):
        item = {k: _value(v) for k, v in zip(keys, row.cells, strict=True)}
        if row.kind is RowKind.SECTION:
            section = str(row.cells[1])
            sections.append(item)
            continue
        if row.kind is RowKind.TOTAL:
            total = item
            continue
        if section is not None:
            item["section"] = section
        fh.write(("" if first else ",") + "\n" + _dump(item))
        first = False
    fh.write("]")
    if sections:
        fh.write(',"sections":' + _dump(sections))
    if total is not None:
        fh.write(',"total":' + _dump(total))


def write_json(report: Report, path: Path) -> Stamp:
    stamp, hasher = new_stamp(report), RowHasher()
    with path.open("w", encoding="utf-8") as fh:
        fh.write("{")
        if len(report.tables) == 1:
            _write_table(fh, report.tables[0], hasher)
        else:
            fh.write('"tables":{')
            for i, table in enumerate(report.tables):
                fh.write(("," if i else "") + _dump(table.key) + ":{")
                _write_table(fh, table, hasher)
                fh.write("}")
            fh.write("}")
        stamp.sha256 = hasher.hexdigest()
        stamp.tables = [
            {"key": t.key, "title": t.title, "rows": n}
            for t, n in zip(report.tables, hasher.counts, strict=True)
        ]
        fh.write(',"meta":' + _dump(stamp.as_dict()) + "}\n")
    return stamp
