"""Making exports trustworthy: cells neutralised against formula injection, one canonical text
per cell, and a SHA-256 over the data rows that any format can recompute.

The hash covers the data rows only, never the file bytes (those carry the generation time):
the same parameters on the same data give the same hash in XLSX, CSV, JSON and PDF alike.
Each row is hashed as one line of compact JSON of its canonical cell texts, and each table
starts with a marker line, so moving a row from one table to another changes the hash too.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any, NamedTuple

from monitor.reports.model import CellValue, Row, RowKind

# Characters a spreadsheet reads as the start of a formula (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_STARTS = frozenset(FORMULA_STARTS)
# Control characters XML 1.0 cannot carry; openpyxl refuses them, so no format gets them.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def neutralise(text: str) -> str:
    """The text as it may safely appear in a cell: no illegal control characters, line ends
    as ``\\n`` (XML would fold ``\\r`` anyway), and a leading apostrophe before anything that
    would start a formula."""
    if _ILLEGAL.search(text):
        text = _ILLEGAL.sub("", text)
    if text[:1] in _STARTS:
        text = "'" + text
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


# Vietnam has kept UTC+7 without daylight saving since 1975; a fixed offset is much faster than
# the zoneinfo lookup and gives the same wall-clock time for every date a dossier can carry.
VN_FIXED = timezone(timedelta(hours=7))


def local_minute(value: datetime) -> datetime:
    """A datetime as naive Vietnam wall-clock time, to the minute: what a cell can hold."""
    if value.tzinfo is not None:
        value = value.astimezone(VN_FIXED).replace(tzinfo=None)
    return value.replace(second=0, microsecond=0)


def _datetime_text(value: datetime) -> str:
    # A naive value was read back from a spreadsheet: round it to the nearest minute.
    tz = value.tzinfo
    t = (
        value + timedelta(seconds=30)
        if tz is None
        else value
        if tz is VN_FIXED
        else value.astimezone(VN_FIXED)
    )
    day = f"{t.day:02d}/{t.month:02d}/{t.year:04d}"
    return day if t.hour == 0 and t.minute == 0 else f"{day} {t.hour:02d}:{t.minute:02d}"


def canonical(value: Any) -> str:
    """The one text of a cell value, whether it was written from Python or read back from
    a file: spreadsheets return whole floats as ints and datetimes naive, to within a
    rounding error, so those are normalised here."""
    kind = type(value)
    if kind is str:
        return value
    if value is None:
        return ""
    if kind is int:
        return str(value)
    if kind is bool:
        return "1" if value else "0"
    if kind is float:
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        return _datetime_text(value)
    if isinstance(value, date):
        return f"{value.day:02d}/{value.month:02d}/{value.year:04d}"
    return str(value)


def row_line(cells: Iterable[Any]) -> bytes:
    return lines_of([canonical(c) for c in cells])


def lines_of(texts: list[str]) -> bytes:
    return json.dumps(texts, ensure_ascii=False, separators=(",", ":")).encode() + b"\n"


def table_line(index: int) -> bytes:
    return f'["#table",{index}]\n'.encode()


class SafeRow(NamedTuple):
    """A row on its way to a file: neutralised cells, and their canonical texts."""

    cells: tuple[CellValue, ...]
    kind: RowKind
    texts: list[str]


class RowHasher:
    """Neutralises rows on their way to a writer and hashes them as they pass."""

    def __init__(self) -> None:
        self._sha = hashlib.sha256()
        self.counts: list[int] = []

    def table(self, rows: Iterable[Row]) -> Iterator[SafeRow]:
        index = len(self.counts)
        self.counts.append(0)
        update = self._sha.update
        update(table_line(index))
        n = 0
        for row in rows:
            cells = tuple(neutralise(c) if type(c) is str else c for c in row.cells)
            texts = [canonical(c) for c in cells]
            update(lines_of(texts))
            n += 1
            yield SafeRow(cells, row.kind, texts)
        self.counts[index] = n

    def hexdigest(self) -> str:
        return self._sha.hexdigest()


def hash_tables(tables: Iterable[Iterable[Iterable[Any]]]) -> str:
    """The hash of cells as read back from a file, table by table (for ``verify``)."""
    sha = hashlib.sha256()
    for index, rows in enumerate(tables):
        sha.update(table_line(index))
        for cells in rows:
            sha.update(row_line(cells))
    return sha.hexdigest()


@dataclass
class Stamp:
    """What every export carries about itself."""

    report: str
    title: str
    generated_at: datetime
    params: dict[str, Any]
    version: str
    sha256: str = ""
    tables: list[dict[str, Any]] | None = None  # per table: key, rows and where they are

    def as_dict(self) -> dict[str, Any]:
        return {
            "format": "motcua-export/1",
            "report": self.report,
            "title": self.title,
            "generated_at": self.generated_at.astimezone(UTC).isoformat(),
            "params": self.params,
            "version": self.version,
            "sha256": self.sha256,
            "rows": sum(int(t["rows"]) for t in self.tables or []),
            "tables": self.tables or [],
        }

    def to_json(self) -> str:
        return json.dumps(self.as_dict(), ensure_ascii=False, sort_keys=True)
