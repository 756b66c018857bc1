"""The export formats read back: XLSX with openpyxl, PDF text with pypdf, CSV as text; formula
injection neutralised; the hash reproducible across runs and formats; verify catching edits."""

from __future__ import annotations

import csv
import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from reports_helpers import add_dossier, make_province
from sqlalchemy import Engine

from monitor.config import Settings
from monitor.reports import form06a
from monitor.reports.model import Column, Kind, Report, Row, RowKind, Table
from monitor.reports.period import Period, Scope
from monitor.reports.trust import neutralise
from monitor.reports.verify import NotAnExport, verify_file
from monitor.reports.writers import WRITERS, pdf_writer, xlsx_writer

AT = datetime(2025, 4, 1, 8, 30, tzinfo=UTC)
EVIL = ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\tTab", "\rCR"]


def _report(rows: int = 3, generated_at: datetime = AT, evil: bool = True) -> Report:
    cols = (
        Column("stt", "STT", Kind.INT, 6),
        Column("name", "Tên thủ tục", Kind.TEXT, 30),
        Column("at", "Ngày tiếp nhận", Kind.DATETIME, 16, "Thời gian"),
        Column("day", "Ngày", Kind.DATE, 12, "Thời gian"),
        Column("score", "Điểm", Kind.FLOAT, 8),
    )
    texts = [*EVIL, "Đăng ký khai sinh – Thủ trưởng"] if evil else ["Đất đai"]
    data = [
        Row(
            (
                i + 1,
                texts[i % len(texts)],
                datetime(2025, 3, 3, 2, 5, 30, tzinfo=UTC) + timedelta(minutes=i),
                date(2025, 3, 3),
                15.3 + i,
            )
        )
        for i in range(rows)
    ]
    data.append(Row((None, "Tổng cộng", None, None, 99.0), RowKind.TOTAL))
    return Report(
        "register",
        "SỔ THỬ NGHIỆM",
        "Biểu số X",
        [("Đơn vị báo cáo", "Xã An Phú")],
        [Table("t", "Bảng thử", cols, data)],
        {"from": "2025-03-01"},
        generated_at,
        "0.1.0",
        notes=["Ghi chú"],
    )


def _write(fmt: str, tmp_path: Path, report: Report | None = None) -> tuple[Path, str]:
    path = tmp_path / f"out.{fmt}"
    return path, WRITERS[fmt](report or _report(), path).sha256


def test_the_hash_is_the_same_in_every_format_and_at_every_generation_time(
    tmp_path: Path,
) -> None:
    hashes = {fmt: _write(fmt, tmp_path)[1] for fmt in WRITERS}
    later = WRITERS["csv"](
        _report(generated_at=datetime(2026, 1, 1, tzinfo=UTC)), tmp_path / "later.csv"
    ).sha256
    assert len(set(hashes.values())) == 1 and later == hashes["csv"]
    other = WRITERS["csv"](_report(rows=4), tmp_path / "other.csv").sha256
    assert other != later


def test_csv_is_utf8_with_bom_and_neutralises_formulas(tmp_path: Path) -> None:
    path, sha = _write("csv", tmp_path)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert rows[0] == [
        "STT",
        "Tên thủ tục",
        "Thời gian - Ngày tiếp nhận",
        "Thời gian - Ngày",
        "Điểm",
    ]
    assert rows[1] == ["1", '\'=HYPERLINK("http://x")', "03/03/2025 09:05", "03/03/2025", "15.3"]
    assert [r[1] for r in rows[2:4]] == ["'+1+1", "'-2+3"]
    assert ["SHA-256 dữ liệu", sha] in rows


def test_every_formula_start_is_neutralised() -> None:
    assert [neutralise(t) for t in EVIL] == [
        '\'=HYPERLINK("http://x")',
        "'+1+1",
        "'-2+3",
        "'@SUM(A1)",
        "'\tTab",
        "'\nCR",
    ]
    assert neutralise("Bình thường = tốt") == "Bình thường = tốt"
    assert neutralise("a\x00b\x1fc") == "abc"


def test_xlsx_reads_back_like_the_official_form(tmp_path: Path) -> None:
    path, _sha = _write("xlsx", tmp_path, _report(rows=7))
    wb = load_workbook(path)
    assert wb.sheetnames == ["Bảng thử", "Thông tin"]
    ws = wb["Bảng thử"]
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert "C6:D6" in merged  # the group "Thời gian" over its two columns
    assert {"A6:A7", "B6:B7", "E6:E7"} <= merged  # ungrouped titles span both header rows
    assert ws.freeze_panes == "A8" and ws.auto_filter.ref == "A7:E15"
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9
    assert ws.page_setup.fitToWidth == 1 and ws.print_title_rows == "$6:$7"
    first = list(ws[8])
    assert [c.value for c in first[:2]] == [1, '\'=HYPERLINK("http://x")']
    assert first[1].data_type == "s"  # text, never a formula
    assert first[2].value == datetime(2025, 3, 3, 9, 5)  # Vietnam time, to the minute
    assert first[2].number_format == "dd/mm/yyyy hh:mm" and first[4].number_format == "0.0"
    texts = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert "Người lập biểu" in texts and "Thủ trưởng đơn vị" in texts
    assert all(not t.startswith(("=", "+", "-", "@")) for t in texts)


def _one_dossier_06a(engine: Engine) -> Report:
    p = make_province(engine)
    add_dossier(
        engine,
        p,
        unit=p.land_office,
        field=p.land,
        received="2025-03-03 09:00",
        due="2025-03-10 17:00",
        status=4,
    )
    period = Period(date(2025, 3, 1), date(2025, 3, 31))
    return form06a.build(engine, Settings(), period, Scope(None, "Toàn tỉnh", None), AT)


def test_the_06a_xlsx_reads_back_as_the_official_form(engine: Engine, tmp_path: Path) -> None:
    path = tmp_path / "b06a.xlsx"
    WRITERS["xlsx"](_one_dossier_06a(engine), path)
    ws = load_workbook(path)["Biểu II.06a"]
    texts = [c.value for row in ws.iter_rows(max_row=8) for c in row if c.value]
    assert texts == [
        "Biểu số II.06a/VPCP/KSTT",
        "Đơn vị báo cáo: Toàn tỉnh",
        "Đơn vị nhận báo cáo: Văn phòng Ủy ban nhân dân tỉnh",
        "Kỳ báo cáo: Từ ngày 01/03/2025 đến ngày 31/03/2025",
        "Đơn vị tính: Hồ sơ",
        "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT TTHC TẠI CƠ QUAN, ĐƠN VỊ TRỰC TIẾP GIẢI QUYẾT TTHC",
        "Biểu II.06a",
    ]
    merged = {str(r) for r in ws.merged_cells.ranges}
    # The three column groups over 3–6, 7–10 and 11–13; STT and the field span both rows.
    assert {"C9:F9", "G9:J9", "K9:M9", "A9:A10", "B9:B10"} <= merged
    assert [ws.cell(9, c).value for c in (3, 7, 11)] == [
        "Số hồ sơ nhận giải quyết",
        "Số hồ sơ đã giải quyết",
        "Số hồ sơ đang giải quyết",
    ]
    assert [ws.cell(11, c).value for c in range(1, 14)] == [f"({n})" for n in range(1, 14)]
    assert ws.freeze_panes == "A12" and ws.auto_filter.ref == "A11:M14"
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9
    # Received at the counter on 03/03, due 10/03, still open on 31/03: overdue (13).
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=12, max_row=14)]
    assert rows == [
        ["I", "Cấp tỉnh", 1, 0, 1, 0, 0, 0, 0, 0, 1, 0, 1],
        ["1", "Đất đai", 1, 0, 1, 0, 0, 0, 0, 0, 1, 0, 1],
        [None, "Tổng cộng", 1, 0, 1, 0, 0, 0, 0, 0, 1, 0, 1],  # an empty cell
    ]
    assert ws.cell(13, 3).number_format == "#,##0" and ws.cell(12, 2).font.bold
    footer = [c.value for row in ws.iter_rows(min_row=15) for c in row if c.value]
    assert footer[-4:] == [
        "Người lập biểu",
        "Thủ trưởng đơn vị",
        "(Ký, ghi rõ họ tên)",
        "(Ký tên, đóng dấu)",
    ]


def test_xlsx_values_match_the_json_export(tmp_path: Path) -> None:
    xlsx, _ = _write("xlsx", tmp_path)
    doc = json.loads(_write("json", tmp_path)[0].read_text(encoding="utf-8"))
    ws = load_workbook(xlsx)["Bảng thử"]
    names = [ws.cell(row=8 + i, column=2).value for i in range(3)]
    assert names == [r["name"] for r in doc["rows"]]
    assert doc["total"]["name"] == "Tổng cộng"
    assert doc["meta"]["sha256"] and doc["meta"]["rows"] == 4


def test_pdf_text_comes_back_with_vietnamese_intact(engine: Engine, tmp_path: Path) -> None:
    report = _one_dossier_06a(engine)
    path = tmp_path / "b06a.pdf"
    sha = WRITERS["pdf"](report, path).sha256
    reader = PdfReader(str(path))
    text = "\n".join(page.extract_text() for page in reader.pages)
    for expected in (
        "Biểu số II.06a/VPCP/KSTT",
        "Người lập biểu",
        "Thủ trưởng đơn vị",
        "Đất đai",
        "Cấp tỉnh",
        "Tổng cộng",
        "Từ ngày 01/03/2025 đến ngày 31/03/2025",
        "Trang 1/1",
        sha,
    ):
        assert expected in text, expected
    box = reader.pages[0].mediabox  # A4 landscape: 297 × 210 mm in points
    assert (round(float(box.width)), round(float(box.height))) == (842, 595)
    fonts = {
        str(f.get_object()["/BaseFont"]) for f in reader.pages[0]["/Resources"]["/Font"].values()
    }
    assert fonts == {"/MPDFAA+DejaVuSansBook", "/MPDFAA+DejaVuSansBold"}  # embedded subsets


def test_a_long_pdf_repeats_the_header_and_numbers_every_page(tmp_path: Path) -> None:
    path, _ = _write("pdf", tmp_path, _report(rows=120, evil=False))
    pages = PdfReader(str(path)).pages
    assert len(pages) >= 3
    for n, page in enumerate(pages, start=1):
        text = page.extract_text()
        assert f"Trang {n}/{len(pages)}" in text and "Ngày tiếp nhận" in text


def test_a_pdf_longer_than_its_page_limit_is_refused_and_leaves_nothing_behind(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The whole PDF is held in memory until written, so its pages are bounded; the export
    removes the partial file and records nothing in the audit log."""
    from sqlalchemy import func, select

    from monitor.db import session_scope
    from monitor.models import AuditEntry
    from monitor.reports.export import export

    monkeypatch.setattr(pdf_writer, "MAX_PAGES", 2)
    path = tmp_path / "long.pdf"
    with pytest.raises(pdf_writer.PdfTooLong, match="dài quá 2 trang: hãy xuất XLSX hoặc CSV"):
        export(engine, _report(rows=120, evil=False), "pdf", path, "cli:test")
    assert not path.exists()
    with session_scope(engine) as s:
        assert s.scalar(select(func.count()).select_from(AuditEntry)) == 0
    monkeypatch.setattr(pdf_writer, "MAX_PAGES", 1000)
    assert export(engine, _report(rows=120, evil=False), "pdf", path, "cli:test").stamp.sha256
    assert len(PdfReader(str(path)).pages) > 2


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_verify_accepts_an_untouched_export(fmt: str, tmp_path: Path) -> None:
    path, sha = _write(fmt, tmp_path)
    verdict = verify_file(path)
    assert verdict.intact and verdict.computed == sha and verdict.rows == 4


def test_verify_catches_a_changed_xlsx_cell(tmp_path: Path) -> None:
    path, sha = _write("xlsx", tmp_path)
    wb = load_workbook(path)
    wb["Bảng thử"]["E9"] = 16.4  # 16.3 -> 16.4
    wb.save(path)
    verdict = verify_file(path)
    assert not verdict.intact and verdict.stored == sha and verdict.computed != sha


def test_verify_catches_a_changed_csv_cell_and_a_deleted_row(tmp_path: Path) -> None:
    path, _ = _write("csv", tmp_path)
    text = path.read_text(encoding="utf-8-sig")
    path.write_text(text.replace("03/03/2025 09:06", "04/03/2025 09:06"), encoding="utf-8-sig")
    assert not verify_file(path).intact
    lines = text.splitlines(keepends=True)
    path.write_text("".join(lines[:2] + lines[3:]), encoding="utf-8-sig")
    with pytest.raises(NotAnExport, match="Số dòng dữ liệu"):
        verify_file(path)


def test_verify_refuses_a_file_it_did_not_write(tmp_path: Path) -> None:
    path = tmp_path / "foreign.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(NotAnExport):
        verify_file(path)


def test_a_table_longer_than_a_sheet_continues_on_the_next(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(xlsx_writer, "MAX_ROWS", 40)
    path, sha = _write("xlsx", tmp_path, _report(rows=50, evil=False))
    wb = load_workbook(path)
    assert wb.sheetnames[:3] == ["Bảng thử", "Bảng thử (2)", "Bảng thử (3)"]
    verdict = verify_file(path)
    assert verdict.intact and verdict.rows == 51 and verdict.computed == sha
