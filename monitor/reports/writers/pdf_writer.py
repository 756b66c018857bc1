"""PDF, A4 landscape, with DejaVu Sans embedded (shipped in monitor/reports/fonts, so
Vietnamese renders the same on any machine), page numbers, the table header repeated on every
page and the signature block "Người lập biểu" / "Thủ trưởng đơn vị" at the end.

Tables are drawn cell by cell with fpdf2's low-level calls (a register can run to thousands
of pages); long texts wrap within their column.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from fpdf import FPDF

from monitor.reports import texts as T
from monitor.reports.model import CellValue, Column, Kind, Report, RowKind, Table
from monitor.reports.period import ReportInputError
from monitor.reports.trust import RowHasher, SafeRow, Stamp
from monitor.reports.writers.common import new_stamp
from monitor.vi_format import integer, moment

FONTS = Path(__file__).resolve().parent.parent / "fonts"
# fpdf2 holds the whole document until it is written (some 45 KB a page of the register), so
# a PDF is bounded in pages; the bulk of a province's year is for XLSX or CSV, streamed.
MAX_PAGES = 5_000
FONT = "DejaVu"
SIZE, LINE = 7.5, 3.6  # body font size (pt) and line height (mm)
PAD = 1.0


class PdfTooLong(ReportInputError):
    """The report would need more than MAX_PAGES pages."""


class _Pdf(FPDF):
    def __init__(self, footer_text: str) -> None:
        super().__init__(orientation="L", unit="mm", format="A4")
        self.footer_text = footer_text
        self.add_font(FONT, "", str(FONTS / "DejaVuSans.ttf"))
        self.add_font(FONT, "B", str(FONTS / "DejaVuSans-Bold.ttf"))
        self.set_margins(10, 10, 10)
        self.set_auto_page_break(False)
        self.alias_nb_pages()

    def footer(self) -> None:
        self.set_y(-10)
        self.set_font(FONT, "", 6.5)
        self.cell(0, 4, self.footer_text, align="L")
        self.set_x(self.l_margin)
        self.cell(0, 4, T.PAGE.format(page=self.page_no(), pages="{nb}"), align="R")


def _text(col: Column, value: CellValue, text: str) -> str:
    """What a person reads: numbers the Vietnamese way (1.234 · 15,3), the rest as hashed."""
    if col.kind is Kind.INT and type(value) is int:
        return integer(value)
    if col.kind is Kind.FLOAT and type(value) is float:
        return text.replace(".", ",")
    return text


def _wrap(measure: Callable[[str], float], text: str, width: float) -> list[str]:
    """Lines of ``text`` that fit ``width`` (breaking at spaces, or inside a long word)."""
    lines: list[str] = []
    for para in text.split("\n") or [""]:
        if measure(para) <= width:
            lines.append(para)
            continue
        line = ""
        for word in para.split(" "):
            candidate = f"{line} {word}" if line else word
            if measure(candidate) <= width:
                line = candidate
                continue
            if line:
                lines.append(line)
            while measure(word) > width and len(word) > 1:
                cut = len(word) - 1
                while cut > 1 and measure(word[:cut]) > width:
                    cut -= 1
                lines.append(word[:cut])
                word = word[cut:]
            line = word
        lines.append(line)
    return lines


def _spans(cols: tuple[Column, ...]) -> list[tuple[int, int]]:
    """Runs of consecutive columns: a group's columns together, any other column alone."""
    spans, i = [], 0
    while i < len(cols):
        j = i
        while cols[i].group and j + 1 < len(cols) and cols[j + 1].group == cols[i].group:
            j += 1
        spans.append((i, j))
        i = j + 1
    return spans


class _TableDrawer:
    def __init__(self, pdf: _Pdf, table: Table) -> None:
        self.pdf, self.table = pdf, table
        # Wide tables (the register) take a smaller type to keep dates on one line.
        self.size = SIZE if len(table.columns) <= 13 else SIZE - 1
        self._cache: dict[tuple[str, float, str, float], list[str]] = {}
        self._measured: dict[tuple[str, str, float], float] = {}
        pdf.set_font(FONT, "", self.size)
        self.widths = self._widths()

    def _widths(self) -> list[float]:
        """Widths in proportion to the columns' Excel widths, except that date and number
        columns get at least what their values need; text columns share the rest."""
        pdf, cols = self.pdf, self.table.columns
        usable = pdf.w - pdf.l_margin - pdf.r_margin
        total = sum(c.width for c in cols)
        base = [c.width * usable / total for c in cols]
        least = {
            Kind.DATE: pdf.get_string_width("00/00/0000") + 2 * PAD + 0.5,
            Kind.DATETIME: pdf.get_string_width("00/00/0000") + 2 * PAD + 0.5,
            Kind.INT: pdf.get_string_width("000.000") + 2 * PAD,
            Kind.FLOAT: pdf.get_string_width("00,0") + 2 * PAD,
        }
        fixed = {i: max(base[i], least[c.kind]) for i, c in enumerate(cols) if c.kind in least}
        text_total = sum(base[i] for i in range(len(cols)) if i not in fixed) or 1
        share = (usable - sum(fixed.values())) / text_total
        return [fixed.get(i, base[i] * share) for i in range(len(cols))]

    def _wrapped(self, text: str, width: float) -> list[str]:
        """``_wrap``, remembered: a register repeats the same units, procedures and statuses
        on thousands of rows, and each cell is wrapped twice (for the row height, to draw)."""
        key = (text, width, self.pdf.font_style, self.pdf.font_size_pt)
        lines = self._cache.get(key)
        if lines is None:
            if len(self._cache) > 50_000:
                self._cache.clear()
            lines = self._cache[key] = _wrap(self._measure, text, width - 2 * PAD)
        return lines

    def _measure(self, text: str) -> float:
        """``get_string_width``, remembered: fpdf2 copies its graphics state on every call,
        which made measuring cost more than drawing."""
        key = (text, self.pdf.font_style, self.pdf.font_size_pt)
        width = self._measured.get(key)
        if width is None:
            if len(self._measured) > 100_000:
                self._measured.clear()
            width = self._measured[key] = self.pdf.get_string_width(text)
        return width

    def _lines(self, text: str, width: float) -> int:
        return len(self._wrapped(text, width))

    def _box(self, x: float, y: float, w: float, h: float, text: str, align: str) -> None:
        pdf = self.pdf
        pdf.rect(x, y, w, h)
        lines = self._wrapped(text, w)
        top = y + (h - len(lines) * LINE) / 2 if align == "C" else y
        for i, line in enumerate(lines):
            if not line:
                continue
            if align == "L":
                lx = x + PAD
            else:
                tw = self._measure(line)
                lx = x + w - PAD - tw if align == "R" else x + (w - tw) / 2
            pdf.text(lx, top + (i + 1) * LINE - 0.9, line)

    def header(self) -> None:
        """The header: group titles over their columns, the others spanning both rows, and the
        form's column numbers; heights from the wrapped titles."""
        pdf, cols, w = self.pdf, self.table.columns, self.widths
        pdf.set_font(FONT, "B", self.size)
        spans = _spans(cols)
        grouped = [(i, j) for i, j in spans if cols[i].group]

        def height(titles: list[tuple[str, float]]) -> float:
            return max((self._lines(t, width) for t, width in titles), default=0) * LINE + 1

        top_h = height([(cols[i].group or "", sum(w[i : j + 1])) for i, j in grouped])
        top_h = top_h if grouped else 0
        # Titles under a group (all titles when there is none), and titles spanning both rows.
        sub_h = height([(c.title, w[k]) for k, c in enumerate(cols) if c.group or not grouped])
        alone_h = height([(c.title, w[k]) for k, c in enumerate(cols) if not c.group])
        sub_h = max(sub_h, alone_h - top_h)
        y, x = pdf.get_y(), pdf.l_margin
        for i, j in spans:
            span = sum(w[i : j + 1])
            if cols[i].group:
                self._box(x, y, span, top_h, cols[i].group or "", "C")
                for k in range(i, j + 1):
                    self._box(x + sum(w[i:k]), y + top_h, w[k], sub_h, cols[k].title, "C")
            else:
                self._box(x, y, span, top_h + sub_h, cols[i].title, "C")
            x += span
        y += top_h + sub_h
        if self.table.number_row:
            x = pdf.l_margin
            for n, width in enumerate(w, start=1):
                self._box(x, y, width, LINE + 1, f"({n})", "C")
                x += width
            y += LINE + 1
        pdf.set_y(y)

    def row(self, row: SafeRow) -> None:
        pdf, cols = self.pdf, self.table.columns
        style = "B" if row.kind is not RowKind.DATA else ""
        pdf.set_font(FONT, style, self.size)
        texts = [_text(c, v, t) for c, v, t in zip(cols, row.cells, row.texts, strict=True)]
        lines = max(self._lines(t, w) for t, w in zip(texts, self.widths, strict=True))
        height = lines * LINE + 0.6
        if pdf.get_y() + height > pdf.h - 14:
            if pdf.page >= MAX_PAGES:
                raise PdfTooLong(T.PDF_TOO_LONG.format(pages=integer(MAX_PAGES)))
            pdf.add_page()
            self.header()
            pdf.set_font(FONT, style, self.size)
        x, y = pdf.l_margin, pdf.get_y()
        for c, t, w in zip(cols, texts, self.widths, strict=True):
            self._box(x, y, w, height, t, "R" if c.kind in (Kind.INT, Kind.FLOAT) else "L")
            x += w
        pdf.set_y(y + height)


def _top(pdf: _Pdf, report: Report, table: Table, first: bool) -> None:
    if first and report.form_code:
        pdf.set_font(FONT, "B", 9)
        pdf.cell(0, 5, report.form_code, align="R", new_x="LMARGIN", new_y="NEXT")
    if first:
        pdf.set_font(FONT, "", 9)
        for label, value in report.header:
            pdf.cell(0, 5, f"{label}: {value}", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
        pdf.set_font(FONT, "B", 11)
        pdf.multi_cell(0, 6, report.title, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "B", 9.5)
    pdf.cell(0, 6, table.title, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1)


def _signatures(pdf: _Pdf, report: Report, stamp_line: str) -> None:
    if pdf.get_y() + 45 > pdf.h - 14:
        pdf.add_page()
    pdf.ln(3)
    pdf.set_font(FONT, "", 7)
    for note in report.notes:
        pdf.multi_cell(0, 4, note, new_x="LMARGIN", new_y="NEXT")
    pdf.multi_cell(0, 4, stamp_line, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    third = (pdf.w - pdf.l_margin - pdf.r_margin) / 3
    y = pdf.get_y()
    for x, title, hint in (
        (pdf.l_margin, T.SIGN_PREPARER, T.SIGN_PREPARER_HINT),
        (pdf.w - pdf.r_margin - third, T.SIGN_HEAD, T.SIGN_HEAD_HINT),
    ):
        pdf.set_xy(x, y)
        pdf.set_font(FONT, "B", 10)
        pdf.cell(third, 6, title, align="C")
        pdf.set_xy(x, y + 6)
        pdf.set_font(FONT, "", 8)
        pdf.cell(third, 5, hint, align="C")


def write_pdf(report: Report, path: Path) -> Stamp:
    stamp, hasher = new_stamp(report), RowHasher()
    generated = moment(report.generated_at)
    pdf = _Pdf(f"motcua-monitor {report.version} · {report.title[:60]} · lập lúc {generated}")
    pdf.set_title(report.title)
    pdf.set_creator(f"motcua-monitor {report.version}")
    pdf.set_creation_date(report.generated_at)
    counts: list[Any] = []
    for i, table in enumerate(report.tables):
        pdf.add_page()
        _top(pdf, report, table, first=i == 0)
        drawer = _TableDrawer(pdf, table)
        drawer.header()
        for row in hasher.table(table.rows):
            drawer.row(row)
        counts.append({"key": table.key, "title": table.title, "rows": hasher.counts[-1]})
    stamp.sha256, stamp.tables = hasher.hexdigest(), counts
    pdf.set_subject(report.kind)
    pdf.set_keywords(f"sha256:{stamp.sha256}")
    _signatures(
        pdf, report, T.GENERATED.format(at=generated, version=report.version, sha=stamp.sha256)
    )
    pdf.output(str(path))
    return stamp
