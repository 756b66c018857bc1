"""CSV in UTF-8 with a byte-order mark, so Excel opens Vietnamese text correctly.

Layout: for each table a header row, its data rows and an empty row; then the trailer, which
starts with a row whose first cell is ``MARK``: label/value rows for people, and a ``#meta`` row
carrying the stamp as JSON for ``motcua report verify``. Excel shows the trailer as a few rows
below the data. Cells hold the canonical text the hash is computed over, so what ``verify``
reads back is exactly what was hashed.
"""

from __future__ import annotations

import csv
from pathlib import Path

from monitor.reports.model import Report
from monitor.reports.trust import RowHasher, Stamp
from monitor.reports.writers.common import MARK, META, flat_title, info_lines, new_stamp


def write_csv(report: Report, path: Path) -> Stamp:
    stamp, hasher = new_stamp(report), RowHasher()
    tables = []
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        out = csv.writer(fh)
        for table in report.tables:
            out.writerow([flat_title(table, i, c) for i, c in enumerate(table.columns)])
            for row in hasher.table(table.rows):
                out.writerow(row.texts)
            out.writerow([])
            tables.append({"key": table.key, "title": table.title, "rows": hasher.counts[-1]})
        stamp.sha256, stamp.tables = hasher.hexdigest(), tables
        out.writerow([MARK])
        for label, value in info_lines(stamp):
            out.writerow([label, value])
        out.writerow([META, stamp.to_json()])
    return stamp
