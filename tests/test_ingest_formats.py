"""How exports write values, end to end through a CSV or XLSX file: every date form, Kênh nộp
and Trạng thái as codes or Vietnamese names, header spellings, UTF-8 with or without BOM,
decomposed text; damaged workbooks refused; XLSX read streaming."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
import unicodedata
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from ingest_helpers import counts
from sqlalchemy import Engine, select

from monitor.collectors.files import import_file
from monitor.db import session_scope
from monitor.ingest import UnreadableInput
from monitor.models import Dossier, QuarantinedRow

HEADER = ["Mã hồ sơ", "Trạng thái", "Kênh nộp", "Ngày tiếp nhận", "Chủ hồ sơ"]


def _csv(path: Path, rows: list[list[str]], *, bom: bool = True, header: Any = None) -> Path:
    with path.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as fh:
        csv.writer(fh).writerows([header or HEADER, *rows])
    return path


def _stored(engine: Engine) -> dict[str, Dossier]:
    with session_scope(engine) as s:
        found = s.scalars(select(Dossier)).all()
        s.expunge_all()
    return {d.code: d for d in found}


def _quarantined(engine: Engine) -> dict[str, str]:
    """Quarantine reason by dossier code (read back from the raw row)."""
    with session_scope(engine) as s:
        rows = s.scalars(select(QuarantinedRow)).all()
    return {json.loads(r.raw)["MaHoSo"]: r.reason for r in rows}


def _utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


# Vietnam is UTC+7: 08:30 in Hà Nội is 01:30 UTC; a date alone is 00:00 Vietnam time.
DATE_FORMS = {
    "dd/mm/yyyy": ("10/01/2025", _utc(2025, 1, 9, 17, 0)),
    "dd/mm/yyyy HH:MM": ("10/01/2025 08:30", _utc(2025, 1, 10, 1, 30)),
    "dd/mm/yyyy HH:MM:SS": ("10/01/2025 08:30:15", _utc(2025, 1, 10, 1, 30, 15)),
    "d/m/yyyy H:MM": ("1/2/2025 8:05", _utc(2025, 2, 1, 1, 5)),
    "dd/mm/yyyy HHhMM": ("10/01/2025 8h30", _utc(2025, 1, 10, 1, 30)),
    "dd-mm-yyyy": ("10-01-2025", _utc(2025, 1, 9, 17, 0)),
    "dd.mm.yyyy HH:MM": ("10.01.2025 08:30", _utc(2025, 1, 10, 1, 30)),
    "yyyyMMddHHmmss": ("20250110083015", _utc(2025, 1, 10, 1, 30, 15)),
    "yyyyMMdd": ("20250110", _utc(2025, 1, 9, 17, 0)),
    "ISO local": ("2025-01-10T08:30:15", _utc(2025, 1, 10, 1, 30, 15)),
    "ISO with a space": ("2025-01-10 08:30", _utc(2025, 1, 10, 1, 30)),
    "ISO date": ("2025-01-10", _utc(2025, 1, 9, 17, 0)),
    "ISO with offset": ("2025-01-10T08:30:15+00:00", _utc(2025, 1, 10, 8, 30, 15)),
    "padded": ("  10/01/2025 08:30  ", _utc(2025, 1, 10, 1, 30)),
}
BAD_DATES = {
    "31 February": "31/02/2025 08:00",
    "month 13 (mm/dd order)": "10/13/2025",
    "yyyy/mm/dd": "2025/01/10",
    "hour 24": "10/01/2025 24:00",
    "words": "hôm nay",
    "13 digits": "2025011008301",
    "13 digits fromisoformat would take": "2025011010000",
    "12 digits": "202501100830",
}


def test_every_date_form_of_the_exports_is_read_in_vietnam_time(
    engine: Engine, tmp_path: Path
) -> None:
    rows = [[name, "4", "1", text, ""] for name, (text, _) in DATE_FORMS.items()]
    rows += [[name, "4", "1", text, ""] for name, text in BAD_DATES.items()]
    result = import_file(engine, _csv(tmp_path / "dates.csv", rows), source="csv")
    assert (result.inserted, result.quarantined) == (len(DATE_FORMS), len(BAD_DATES))
    stored = _stored(engine)
    assert {name: stored[name].received_at for name in DATE_FORMS} == {
        name: expected for name, (_, expected) in DATE_FORMS.items()
    }
    assert _quarantined(engine) == dict.fromkeys(BAD_DATES, "bad_date")


CHANNELS = {
    "1": 1,
    "2": 2,
    "3": 3,
    "Trực tiếp": 1,
    "Nộp trực tiếp": 1,
    "Trực tuyến": 2,
    "TRỰC TUYẾN": 2,
    "truc tuyen": 2,
    "Qua mạng": 2,
    "Bưu chính": 3,
    "Qua bưu chính": 3,
    "Bưu chính công ích": 3,
}
BAD_CHANNELS = {"0": "unknown_channel", "4": "unknown_channel", "Fax": "unknown_channel"}


def test_kenh_nop_is_read_as_a_code_or_a_vietnamese_name(engine: Engine, tmp_path: Path) -> None:
    given = {**CHANNELS, **BAD_CHANNELS}
    rows = [[f"K-{i}", "4", text, "10/01/2025 08:00", ""] for i, text in enumerate(given)]
    rows.append(["K-empty", "4", "", "10/01/2025 08:00", ""])
    import_file(engine, _csv(tmp_path / "kenh.csv", rows), source="csv")
    stored = _stored(engine)
    by_text = {text: f"K-{i}" for i, text in enumerate(given)}
    assert {text: stored[by_text[text]].channel for text in CHANNELS} == CHANNELS
    expected_bad = {by_text[t]: reason for t, reason in BAD_CHANNELS.items()}
    assert _quarantined(engine) == {**expected_bad, "K-empty": "missing_channel"}


# DOMAIN.md §2: TrangThaiHoSo 1–10 and their names as the national portal writes them.
STATUS_NAMES = {
    "Mới đăng ký": 1,
    "Được tiếp nhận": 2,
    "Không được tiếp nhận": 3,
    "Đang xử lý": 4,
    "Yêu cầu bổ sung giấy tờ": 5,
    "Yêu cầu thực hiện nghĩa vụ tài chính": 6,
    "Công dân yêu cầu rút hồ sơ": 7,
    "Dừng xử lý": 8,
    "Đã xử lý xong": 9,
    "Đã trả kết quả": 10,
    "ĐÃ TRẢ KẾT QUẢ": 10,
    "da xu ly xong": 9,
    "Đã tiếp nhận": 2,
    "Hoàn thành": 9,
}


def test_trang_thai_is_read_as_a_code_or_a_vietnamese_name(engine: Engine, tmp_path: Path) -> None:
    given = {**{str(n): n for n in range(1, 11)}, **STATUS_NAMES}
    rows = [[f"S-{i}", text, "2", "10/01/2025 08:00", ""] for i, text in enumerate(given)]
    rows += [["S-0", "0", "2", "10/01/2025", ""], ["S-11", "11", "2", "10/01/2025", ""]]
    rows += [["S-x", "Đang chờ", "2", "10/01/2025", ""], ["S-none", "", "2", "10/01/2025", ""]]
    import_file(engine, _csv(tmp_path / "trang-thai.csv", rows), source="csv")
    stored = _stored(engine)
    assert {text: stored[f"S-{i}"].status for i, text in enumerate(given)} == given
    assert _quarantined(engine) == {
        "S-0": "unknown_status",
        "S-11": "unknown_status",
        "S-x": "unknown_status",
        "S-none": "missing_status",
    }


@pytest.mark.parametrize("bom", [True, False], ids=["utf8-bom", "utf8-no-bom"])
def test_utf8_with_or_without_bom_reads_the_same_vietnamese_text(
    engine: Engine, tmp_path: Path, bom: bool
) -> None:
    rows = [["B-1", "Đang xử lý", "Trực tuyến", "10/01/2025 08:00", "Nguyễn Thị Ánh Tuyết"]]
    path = _csv(tmp_path / "hoso.csv", rows, bom=bom)
    assert path.read_bytes().startswith(b"\xef\xbb\xbf") is bom
    assert import_file(engine, path, source="csv").inserted == 1
    d = _stored(engine)["B-1"]
    assert (d.applicant_name, d.status, d.channel) == ("Nguyễn Thị Ánh Tuyết", 4, 2)


def test_header_spellings_and_decomposed_text_are_matched_and_stored_composed(
    engine: Engine, tmp_path: Path
) -> None:
    nfd = unicodedata.normalize("NFD", "Trần Thị Ước")
    header = ["STT", "MÃ HỒ SƠ (*)", "trang thai", "Kênh nộp:", "NGÀY TIẾP NHẬN", "Người nộp"]
    header = [unicodedata.normalize("NFD", h) if i == 4 else h for i, h in enumerate(header)]
    rows = [["1", "H-1", "Đang xử lý", unicodedata.normalize("NFD", "Trực tiếp"),
             "10/01/2025 08:00", nfd]]  # fmt: skip
    path = _csv(tmp_path / "hoso.csv", rows, header=header)
    assert import_file(engine, path, source="csv").inserted == 1
    d = _stored(engine)["H-1"]
    assert d.applicant_name == "Trần Thị Ước" and d.applicant_name != nfd
    assert (d.status, d.channel, d.received_at) == (4, 1, _utc(2025, 1, 10, 1, 0))


def _xlsx(path: Path, n: int) -> Path:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(HEADER)
    for i in range(n):
        sheet.append([f"X-{i:06d}", 4, "Trực tuyến", datetime(2025, 1, 10, 8, i % 60), "Lê Văn"])
    book.save(path)
    return path


def _cut_sheet(source: Path, target: Path) -> Path:
    """``source`` with its first sheet's XML cut at two thirds, as a broken download leaves it."""
    with zipfile.ZipFile(source) as whole, zipfile.ZipFile(target, "w") as cut:
        for name in whole.namelist():
            data = whole.read(name)
            cut.writestr(name, data[: len(data) * 2 // 3] if "worksheets/" in name else data)
    return target


def test_a_cut_or_broken_workbook_is_refused_and_changes_nothing(
    engine: Engine, tmp_path: Path
) -> None:
    cut = _cut_sheet(_xlsx(tmp_path / "ok.xlsx", 300), tmp_path / "cut.xlsx")
    not_a_zip = tmp_path / "fake.xlsx"
    not_a_zip.write_text("Mã hồ sơ,Trạng thái\nX-1,4\n", "utf-8")
    before = counts(engine)
    for path in (cut, not_a_zip):
        with pytest.raises(UnreadableInput, match="không phải XLSX đọc được"):
            import_file(engine, path, source="xlsx")
    assert counts(engine) == before


_READ_XLSX = """
import resource, sys
from pathlib import Path
from monitor.collectors.csv_xlsx import iter_xlsx
rows = sum(1 for _ in iter_xlsx(Path(sys.argv[1])))
print(rows, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def _read_in_child(path: Path) -> tuple[int, int]:
    """(rows read, peak RSS in KiB) of a fresh process that reads ``path`` through."""
    out = subprocess.run(
        [sys.executable, "-c", _READ_XLSX, str(path)],
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
    )
    rows, peak = out.stdout.split()
    return int(rows), int(peak)


@pytest.mark.slow
def test_xlsx_is_read_streaming_memory_does_not_grow_with_the_sheet(tmp_path: Path) -> None:
    small_rows, big_rows = 1_000, 30_000
    small = _read_in_child(_xlsx(tmp_path / "small.xlsx", small_rows))
    big = _read_in_child(_xlsx(tmp_path / "big.xlsx", big_rows))
    assert (small[0], big[0]) == (small_rows, big_rows)
    # Loading the 30,000-row sheet whole would take well over 30 MB more (openpyxl keeps a
    # cell object per cell); read row by row, the two peaks are about the same.
    assert big[1] - small[1] < 10 * 1024, (small, big)
