"""Writers: lay a Report out as XLSX, PDF, CSV or JSON and return its Stamp.

Each writer pulls the rows once, through a RowHasher, so rows are neutralised and hashed on
their way to the file and nothing is held in memory that the format does not need.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from monitor.reports.model import FORMATS, Report
from monitor.reports.trust import Stamp
from monitor.reports.writers.csv_writer import write_csv
from monitor.reports.writers.json_writer import write_json
from monitor.reports.writers.pdf_writer import write_pdf
from monitor.reports.writers.xlsx_writer import write_xlsx

Writer = Callable[[Report, Path], Stamp]
WRITERS: dict[str, Writer] = {
    "xlsx": write_xlsx,
    "pdf": write_pdf,
    "csv": write_csv,
    "json": write_json,
}
assert tuple(WRITERS) == FORMATS

__all__ = ["FORMATS", "WRITERS", "Writer"]
