"""What every export is made of, whatever its format: tables of typed cells plus the header
block, the parameters and the generation time. Writers lay these out; they decide nothing.

Rows are iterables consumed once, so a register of a million dossiers is streamed from the
database to the file without being held in memory.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any

CellValue = str | int | float | date | datetime | None
FORMATS = ("xlsx", "pdf", "csv", "json")


class Kind(StrEnum):
    """How a column's cells are typed and formatted."""

    TEXT = "text"
    INT = "int"
    FLOAT = "float"
    DATE = "date"
    DATETIME = "datetime"


class RowKind(StrEnum):
    """Presentation only (bold section and total rows); not part of the hashed data."""

    DATA = "data"
    SECTION = "section"
    TOTAL = "total"


@dataclass(frozen=True)
class Column:
    key: str
    title: str
    kind: Kind = Kind.TEXT
    width: float = 12.0  # in characters, as Excel counts them; the PDF scales to the page
    group: str | None = None  # a second header level merged over consecutive columns


@dataclass(frozen=True, slots=True)
class Row:
    cells: tuple[CellValue, ...]
    kind: RowKind = RowKind.DATA


@dataclass
class Table:
    key: str
    title: str  # the sheet name in XLSX, a section heading elsewhere
    columns: tuple[Column, ...]
    rows: Iterable[Row]
    number_row: bool = False  # the official forms print (1), (2), ... under the header


@dataclass
class Report:
    kind: str  # "06a" | "register" | "satisfaction"
    title: str
    form_code: str  # e.g. "Biểu số II.06a/VPCP/KSTT"; "" when the report has no official form
    header: list[tuple[str, str]]  # the header block: label, value
    tables: list[Table]
    params: dict[str, Any]
    generated_at: datetime
    version: str
    notes: list[str] = field(default_factory=list)  # printed under the tables
    personal_data: bool = False  # the rows carry unmasked personal data (audited as such)
