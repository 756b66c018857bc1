"""XLSX laid out like the official form, written in openpyxl's write-only mode (streamed: the
memory used does not grow with the number of rows; see docs/reports.md for the measurement).

Per table one sheet: the form code and header block, the title, a one- or two-level header
with merged cells, the form's column numbers, the data (frozen header, filters, number
formats), then notes, the generation line and the signature block; A4 landscape, fitted to
the page width, header rows repeated on every printed page. A table longer than a sheet goes
on into continuation sheets. The "Thông tin" sheet carries the stamp: parameters, version,
hash, and where the data rows are, which is what ``verify`` reads.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.cell_range import CellRange

from monitor.reports import texts as T
from monitor.reports.model import CellValue, Column, Kind, Report, RowKind, Table
from monitor.reports.trust import RowHasher, Stamp, local_minute
from monitor.reports.writers.common import INFO_SHEET, MARK, META, info_lines, new_stamp
from monitor.vi_format import moment

MAX_ROWS = 1_048_576
FOOTER_ROWS = 8  # notes, generation line and signature block after the data
FORMATS = {
    Kind.INT: "#,##0",
    Kind.FLOAT: "0.0",
    Kind.DATE: "dd/mm/yyyy",
    Kind.DATETIME: "dd/mm/yyyy hh:mm",
}
_THIN = Side(style="thin")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
BOLD = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
WRAP = Alignment(vertical="top", wrap_text=True)


class _Sheet:
    """One sheet being written, counting its rows."""

    def __init__(self, ws: WriteOnlyWorksheet) -> None:
        self.ws, self.row = ws, 0

    def append(self, cells: list[Any]) -> int:
        self.ws.append(cells)
        self.row += 1
        return self.row

    def cell(self, value: Any, *, bold: bool = False, align: Alignment | None = None) -> Any:
        c = WriteOnlyCell(self.ws, value=value)
        if bold:
            c.font = BOLD
        if align is not None:
            c.alignment = align
        return c

    def merge(self, row: int, first_col: int, last_col: int, last_row: int | None = None) -> None:
        if last_col > first_col or (last_row or row) > row:
            self.ws.merged_cells.add(
                CellRange(min_col=first_col, min_row=row, max_col=last_col, max_row=last_row or row)
            )


def _sheet_name(title: str, part: int) -> str:
    name = "".join(ch for ch in title if ch not in "[]:*?/\\")[:28]
    return name if part == 1 else f"{name[:24]} ({part})"


def header_rows(report: Report, table: Table) -> int:
    """Rows above the data: form code, header block, titles, a blank, the column headers."""
    grouped = any(c.group for c in table.columns)
    return (
        (1 if report.form_code else 0)
        + len(report.header)
        + 3
        + (2 if grouped else 1)
        + (1 if table.number_row else 0)
    )


def _prepare(ws: WriteOnlyWorksheet, report: Report, table: Table) -> None:
    """Settings that write-only sheets take before their first row (the sheet view with its
    frozen panes is written with the first row)."""
    ws.freeze_panes = f"A{header_rows(report, table) + 1}"
    for i, col in enumerate(table.columns, start=1):
        ws.column_dimensions[get_column_letter(i)].width = col.width
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = "9"  # A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4


def _top(s: _Sheet, report: Report, table: Table) -> None:
    n = len(table.columns)
    half = max(2, n // 2)
    if report.form_code:
        r = s.append([None] * (n - 3) + [s.cell(report.form_code, bold=True)])
        s.merge(r, n - 2, n)
    for label, value in report.header:
        r = s.append([s.cell(f"{label}: {value}")])
        s.merge(r, 1, half)
    r = s.append([s.cell(report.title, bold=True, align=CENTER)])
    s.merge(r, 1, n)
    r = s.append([s.cell(table.title, bold=True, align=CENTER)])
    s.merge(r, 1, n)
    s.append([])


def _header(s: _Sheet, table: Table) -> int:
    """The header rows; returns the row number of the last one (where filters sit)."""
    cols, grouped = table.columns, any(c.group for c in table.columns)

    def head(value: Any) -> Any:
        c = s.cell(value, bold=True, align=CENTER)
        c.border, c.fill = BORDER, HEADER_FILL
        return c

    if grouped:
        top = s.append([head(c.group or c.title) for c in cols])
        s.append([head(c.title if c.group else None) for c in cols])
        for i, c in enumerate(cols, start=1):
            if not c.group:
                s.merge(top, i, i, top + 1)
        i = 0
        while i < len(cols):
            j = i
            while j + 1 < len(cols) and cols[i].group and cols[j + 1].group == cols[i].group:
                j += 1
            s.merge(top, i + 1, j + 1)
            i = j + 1
    else:
        s.append([head(c.title) for c in cols])
    if table.number_row:
        s.append([head(f"({i})") for i in range(1, len(cols) + 1)])
    return s.row


class _Styles:
    """One styled template cell per column and row kind, whose style array each data cell
    copies: a register has millions of cells, and setting a number format cell by cell costs
    several times more than copying the template's style."""

    def __init__(self, ws: WriteOnlyWorksheet, columns: tuple[Column, ...], styled: bool) -> None:
        self.ws, self.styled = ws, styled
        self.templates: dict[tuple[int, RowKind], StyleArray | None] = {}
        for i, col in enumerate(columns):
            for kind in RowKind:
                self.templates[(i, kind)] = self._template(col, kind)

    def _template(self, col: Column, kind: RowKind) -> StyleArray | None:
        if not self.styled and col.kind in (Kind.TEXT, Kind.INT):
            return None  # a plain value: no style at all
        c = WriteOnlyCell(self.ws)
        fmt = FORMATS.get(col.kind)
        if fmt:
            c.number_format = fmt
        if self.styled:
            c.border = BORDER
            if kind is not RowKind.DATA:
                c.font = BOLD
            elif col.kind is Kind.TEXT:
                c.alignment = WRAP
        return c._style

    def cell(self, i: int, col: Column, value: CellValue, kind: RowKind) -> Any:
        if col.kind is Kind.DATETIME and isinstance(value, datetime):
            value = local_minute(value)
        template = self.templates[(i, kind)]
        if template is None:
            return value
        return Cell(self.ws, row=1, column=1, value=value, style_array=StyleArray(template))


def _footer(s: _Sheet, report: Report, stamp_line: str, n: int) -> None:
    s.append([])
    for note in report.notes:
        s.append([s.cell(note)])
    s.append([s.cell(stamp_line)])
    s.append([])
    third = max(1, n // 3)
    r = s.append(
        [s.cell(T.SIGN_PREPARER, bold=True, align=CENTER)]
        + [None] * (n - third - 1)
        + [s.cell(T.SIGN_HEAD, bold=True, align=CENTER)]
    )
    s.merge(r, 1, third)
    s.merge(r, n - third + 1, n)
    r = s.append(
        [s.cell(T.SIGN_PREPARER_HINT, align=CENTER)]
        + [None] * (n - third - 1)
        + [s.cell(T.SIGN_HEAD_HINT, align=CENTER)]
    )
    s.merge(r, 1, third)
    s.merge(r, n - third + 1, n)


class _TableWriter:
    """Writes one table over as many sheets as it needs; records where the data rows are."""

    def __init__(self, wb: Workbook, report: Report, table: Table, styled: bool) -> None:
        self.wb, self.report, self.table, self.styled = wb, report, table, styled
        self.regions: list[list[Any]] = []
        self.sheets: list[_Sheet] = []

    def _new_sheet(self) -> _Sheet:
        ws = self.wb.create_sheet(_sheet_name(self.table.title, len(self.sheets) + 1))
        _prepare(ws, self.report, self.table)
        s = _Sheet(ws)
        _top(s, self.report, self.table)
        last = _header(s, self.table)
        assert last == header_rows(self.report, self.table)
        heads = (2 if any(c.group for c in self.table.columns) else 1) + self.table.number_row
        ws.print_title_rows = f"{last - heads + 1}:{last}"
        self.sheets.append(s)
        self.regions.append([ws.title, last + 1, last])
        return s

    def write(self, rows: Any) -> _Sheet:
        s, cols = self._new_sheet(), self.table.columns
        self.styles = _Styles(s.ws, cols, self.styled)
        for row in rows:
            if s.row >= MAX_ROWS - FOOTER_ROWS:
                self._close(s)
                s = self._new_sheet()
                self.styles = _Styles(s.ws, cols, self.styled)
            styles = self.styles
            cells = [
                styles.cell(i, c, v, row.kind)
                for i, (c, v) in enumerate(zip(cols, row.cells, strict=True))
            ]
            self.regions[-1][2] = s.append(cells)
        return s

    def _close(self, s: _Sheet) -> None:
        first, last = self.regions[-1][1] - 1, max(self.regions[-1][2], self.regions[-1][1] - 1)
        end = get_column_letter(len(self.table.columns))
        s.ws.auto_filter.ref = f"A{first}:{end}{last}"

    def finish(self, s: _Sheet, stamp_line: str) -> None:
        self._close(s)
        _footer(s, self.report, stamp_line, len(self.table.columns))


def _info_sheet(wb: Workbook, stamp: Stamp) -> None:
    ws = wb.create_sheet(INFO_SHEET)
    ws.column_dimensions["A"].width = 24
    ws.column_dimensions["B"].width = 90
    ws.append([WriteOnlyCell(ws, value=MARK)])
    for label, value in info_lines(stamp):
        ws.append([label, value])
    ws.append([META, stamp.to_json()])


def write_xlsx(report: Report, path: Path) -> Stamp:
    stamp, hasher = new_stamp(report), RowHasher()
    wb = Workbook(write_only=True)
    writers: list[tuple[_TableWriter, _Sheet]] = []
    for table in report.tables:
        tw = _TableWriter(wb, report, table, styled=report.kind != "register")
        writers.append((tw, tw.write(hasher.table(table.rows))))
    stamp.sha256 = hasher.hexdigest()
    stamp.tables = [
        {
            "key": tw.table.key,
            "title": tw.table.title,
            "rows": n,
            "columns": len(tw.table.columns),
            "regions": tw.regions,
        }
        for (tw, _s), n in zip(writers, hasher.counts, strict=True)
    ]
    line = T.GENERATED.format(
        at=moment(report.generated_at), version=report.version, sha=stamp.sha256
    )
    for tw, s in writers:
        tw.finish(s, line)
    _info_sheet(wb, stamp)
    wb.properties.title = report.title
    wb.properties.subject = report.kind
    wb.properties.keywords = f"sha256:{stamp.sha256}"
    wb.properties.creator = f"motcua-monitor {report.version}"
    wb.save(path)
    return stamp
