"""Files: national JSON (streamed), CSV with Vietnamese or national headers, XLSX; encodings;
unreadable files change nothing; `motcua import` as a person and a script run it."""

from __future__ import annotations

import csv
import json
import unicodedata
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from ingest_helpers import APPLICANT, PHONE, counts, record
from sqlalchemy import Engine, select

from monitor.cli import main
from monitor.collectors.files import import_file
from monitor.db import session_scope
from monitor.ingest import UnreadableInput
from monitor.ingest import writer as writer_module
from monitor.models import Apology, Dossier, DossierStep, ImportBatch

VI_HEADER = [
    "STT",
    "Mã hồ sơ",
    "Mã TTHC",
    "Tên thủ tục",
    "Mã lĩnh vực",
    "Lĩnh vực",
    "Đơn vị xử lý",
    "Kênh nộp",
    "Ngày tiếp nhận",
    "Ngày hẹn trả",
    "Ngày kết thúc xử lý",
    "Ngày trả kết quả",
    "Trạng thái",
    "Thời hạn giải quyết",
    "Đơn vị tính",
    "Chủ hồ sơ",
    "Số điện thoại",
    "Ngày xin lỗi",
    "Ngày hẹn trả mới",
]
VI_ROWS = [
    ["1", "H56-250110-0001", "1.004227", "Đăng ký đất đai", "DD", "Đất đai", "000.00.06.H56",
     "Trực tuyến", "10/01/2025 08:00", "17/01/2025 17:00", "", "", "Đang xử lý", "10",
     "Ngày làm việc", APPLICANT, PHONE, "16/01/2025 08:00", "24/01/2025"],
    ["2", "H56-250110-0002", "1.000", "Khai sinh", "HT", "Hộ tịch", "000.00.06.H56",
     "Bưu chính", "10/01/2025 09:30:15", "10/01/2025", "10/01/2025 15:00", "13/01/2025 08:00",
     "Đã trả kết quả", "", "", "Lê Văn B", "", "", ""],
    ["3", "H56-250110-0003", "1.000", "Khai sinh", "HT", "Hộ tịch", "000.00.06.H56",
     "1", "2025-01-10T10:00:00", "20250113170000", "", "", "5", "", "", "Phạm C", "", "", ""],
]  # fmt: skip


def _write_csv(path: Path, rows: list[list[str]], encoding: str = "utf-8-sig", **kw: Any) -> Path:
    with path.open("w", encoding=encoding, newline="") as fh:
        csv.writer(fh, **kw).writerows(rows)
    return path


def _dossiers(engine: Engine) -> dict[str, Dossier]:
    with session_scope(engine) as s:
        found = s.scalars(select(Dossier)).all()
        s.expunge_all()
    return {d.code: d for d in found}


def test_json_file_with_nested_lists_is_imported(engine: Engine, tmp_path: Path) -> None:
    rec = record(DanhSachXinLoi=[{"NgayXinLoi": "20250116080000", "LyDo": "Chờ"}])
    path = tmp_path / "hoso.json"
    path.write_text(json.dumps([rec, record("X-2")], ensure_ascii=False, indent=2), "utf-8")
    result = import_file(engine, path, source="dvc")
    assert (result.inserted, result.quarantined) == (2, 0)
    assert counts(engine)["dossier_steps"] == 4 and counts(engine)["apologies"] == 1


def test_json_elements_bigger_than_the_read_chunk_are_read_whole(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from monitor.collectors import dvcqg_json

    monkeypatch.setattr(dvcqg_json, "CHUNK", 16)
    path = tmp_path / "hoso.json"
    recs = [record(f"X-{i}", TrichYeuHoSo="ồ" * 40) for i in range(5)]
    path.write_text(json.dumps(recs, ensure_ascii=False), "utf-8")
    assert import_file(engine, path, source="dvc").inserted == 5


def test_csv_with_vietnamese_headers_bom_names_and_human_dates(
    engine: Engine, tmp_path: Path
) -> None:
    path = _write_csv(tmp_path / "bao-cao.csv", [VI_HEADER, *VI_ROWS])
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    result = import_file(engine, path, source="excel")
    assert (result.inserted, result.quarantined) == (3, 0), result.reasons
    d = _dossiers(engine)
    first, second, third = d["H56-250110-0001"], d["H56-250110-0002"], d["H56-250110-0003"]
    assert (first.channel, first.status, first.legal_amount, first.legal_unit) == (
        2, 4, 10.0, "working_days"
    )  # fmt: skip
    assert first.received_at == datetime(2025, 1, 10, 1, 0, tzinfo=UTC)
    assert first.applicant_name == APPLICANT
    assert (second.channel, second.status) == (3, 10)
    assert second.received_at == datetime(2025, 1, 10, 2, 30, 15, tzinfo=UTC)
    assert second.due_at == datetime(2025, 1, 9, 17, 0, tzinfo=UTC)  # 10/01 00:00 in Vietnam
    assert third.received_at == datetime(2025, 1, 10, 3, 0, tzinfo=UTC)
    with session_scope(engine) as s:
        apology = s.scalars(select(Apology)).one()
    assert apology.issued_at == datetime(2025, 1, 16, 1, 0, tzinfo=UTC)
    assert apology.new_due_at == datetime(2025, 1, 23, 17, 0, tzinfo=UTC)


def test_csv_with_national_headers_semicolons_and_a_title_block(
    engine: Engine, tmp_path: Path
) -> None:
    rows = [
        ["DANH SÁCH HỒ SƠ TIẾP NHẬN THÁNG 01/2025"],
        [],
        ["MaHoSo", "TrangThaiHoSo", "KenhThucHien", "NgayTiepNhan", "NgayHenTra", "MaTTHC"],
        ["N-1", "4", "1", "20250110080000", "20250117170000", "1.1"],
        ["N-2", "2", "2", "20250110090000", "", "1.2"],
    ]
    path = _write_csv(tmp_path / "national.csv", rows, encoding="utf-8", delimiter=";")
    result = import_file(engine, path, source="csv")
    assert result.inserted == 2
    assert _dossiers(engine)["N-2"].due_at is None


def test_csv_quarantine_line_numbers_are_the_file_lines(engine: Engine, tmp_path: Path) -> None:
    bad = [*VI_ROWS[0]]
    bad[1], bad[12] = "H56-BAD", "Không rõ"
    path = _write_csv(tmp_path / "x.csv", [["Tiêu đề"], VI_HEADER, VI_ROWS[1], bad, VI_ROWS[2]])
    result = import_file(engine, path, source="csv")
    assert (result.inserted, result.reasons) == (2, {"unknown_status": 1})
    from monitor.models import QuarantinedRow

    with session_scope(engine) as s:
        row = s.scalars(select(QuarantinedRow)).one()
    assert row.line_no == 4 and "H56-BAD" in row.raw


def test_csv_import_over_json_keeps_the_steps(engine: Engine, tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    path.write_text(json.dumps([record("H56-250110-0001")]), "utf-8")
    import_file(engine, path, source="s")
    csv_path = _write_csv(tmp_path / "b.csv", [VI_HEADER, VI_ROWS[0]])
    assert import_file(engine, csv_path, source="s").updated == 1
    with session_scope(engine) as s:
        assert len(s.scalars(select(DossierStep)).all()) == 2


def test_xlsx_with_date_cells_and_numbers(engine: Engine, tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Báo cáo hồ sơ"])
    sheet.append(["Mã hồ sơ", "Trạng thái", "Kênh nộp", "Ngày tiếp nhận", "Ngày hẹn trả",
                  "Thời hạn giải quyết", "Đơn vị tính"])  # fmt: skip
    sheet.append(["X-1", 4, 2, datetime(2025, 1, 10, 8, 0), datetime(2025, 1, 17), 5, "Ngày"])
    sheet.append(["X-2", "Đã xử lý xong", "Trực tiếp", "10/01/2025 14:00", None, None, None])
    sheet.append([None, None, None, None, None, None, None])
    path = tmp_path / "hoso.xlsx"
    book.save(path)
    result = import_file(engine, path, source="xlsx")
    assert (result.inserted, result.quarantined) == (2, 0), result.reasons
    d = _dossiers(engine)
    assert d["X-1"].received_at == datetime(2025, 1, 10, 1, 0, tzinfo=UTC)
    assert d["X-1"].due_at == datetime(2025, 1, 16, 17, 0, tzinfo=UTC)
    assert (d["X-1"].legal_amount, d["X-1"].legal_unit) == (5.0, "calendar_days")
    assert (d["X-2"].status, d["X-2"].channel) == (9, 1)


def _to_cp1258(text: str) -> bytes:
    """Windows-1258 as Vietnamese Windows wrote it: base letters it has (â, ơ, ư, ...) plus
    combining tone marks."""
    out = b""
    for ch in text:
        base, *marks = unicodedata.normalize("NFD", ch)
        for mark in marks:  # fold the one mark that makes a letter the code page has
            letter = unicodedata.normalize("NFC", base + mark)
            if len(letter) == 1 and letter.encode("cp1258", errors="ignore"):
                base = letter
                marks.remove(mark)
                break
        out += (base + "".join(marks)).encode("cp1258")
    return out


def test_windows_1258_legacy_export_is_read_faithfully(engine: Engine, tmp_path: Path) -> None:
    good = _write_csv(tmp_path / "good.csv", [VI_HEADER, VI_ROWS[0]], encoding="utf-8")
    path = tmp_path / "legacy.csv"
    path.write_bytes(_to_cp1258(good.read_text("utf-8")))
    assert import_file(engine, path, source="old").inserted == 1
    assert _dossiers(engine)["H56-250110-0001"].applicant_name == APPLICANT


def _mangled(text: str) -> bytes:
    """UTF-8 text read as Windows-1252 and saved again as UTF-8 (bytes 0x81, 0x8d, 0x8f,
    0x90, 0x9d have no Windows-1252 letter and come out as the same control code)."""
    return "".join(
        bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in text.encode()
    ).encode("utf-8")


@pytest.mark.parametrize(
    "damage",
    [
        lambda text: _mangled(text),
        lambda text: text.encode("cp1252", errors="replace"),
    ],
    ids=["utf8-read-as-cp1252", "saved-as-cp1252"],
)
def test_mangled_legacy_csv_is_refused_and_changes_nothing(
    engine: Engine, tmp_path: Path, damage: Any
) -> None:
    good = tmp_path / "good.csv"
    _write_csv(good, [VI_HEADER, *VI_ROWS], encoding="utf-8")
    path = tmp_path / "mangled.csv"
    path.write_bytes(damage(good.read_text("utf-8")))
    before = counts(engine)
    with pytest.raises(UnreadableInput, match="không thể đọc trung thực"):
        import_file(engine, path, source="x")
    assert counts(engine) == before


def test_vietnamese_text_with_quotes_dashes_and_nbsp_is_not_taken_for_mangled(
    engine: Engine, tmp_path: Path
) -> None:
    header = ["MaHoSo", "TrangThaiHoSo", "KenhThucHien", "NgayTiepNhan", "TrichYeuHoSo"]
    texts = ["Khá\u00a0gấp", "“CẤP LẠI GIẤY ĐÃ”", "NGÃ – BA", "cây lá”…"]
    rows = [[f"T-{i}", "4", "1", "20250110080000", t] for i, t in enumerate(texts)]
    path = _write_csv(tmp_path / "ok.csv", [header, *rows], encoding="utf-8")
    assert import_file(engine, path, source="x").inserted == 4


def test_mangled_values_after_many_good_rows_roll_back_everything(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(writer_module, "BATCH_SIZE", 2)
    header = ["MaHoSo", "TrangThaiHoSo", "KenhThucHien", "NgayTiepNhan", "ChuHoSo"]
    rows = [[f"N-{i}", "4", "1", "20250110080000", "Nguyễn An"] for i in range(7)]
    rows.append(["N-7", "4", "1", "20250110080000", _mangled("Nguyễn An").decode()])
    path = _write_csv(tmp_path / "late.csv", [header, *rows], encoding="utf-8")
    with pytest.raises(UnreadableInput):
        import_file(engine, path, source="x")
    assert counts(engine)["dossiers"] == 0
    with session_scope(engine) as s:
        assert s.scalars(select(ImportBatch)).all() == []


@pytest.mark.parametrize(
    "content",
    [
        '[{"MaHoSo": "A", "TrangThaiHoSo": 4',  # cut short
        '{"MaHoSo": "A"}',  # not an array
        "MaHoSo,TrangThaiHoSo\nA,4\n",  # CSV named .json
        '[{"MaHoSo": "A"} {"MaHoSo": "B"}]',
        "",
    ],
)
def test_unparseable_json_changes_nothing(engine: Engine, tmp_path: Path, content: str) -> None:
    path = tmp_path / "broken.json"
    path.write_text(f"[{json.dumps(record('OK-1'))},\n" + content, "utf-8")
    if not content:
        path.write_text("", "utf-8")
    with pytest.raises(UnreadableInput):
        import_file(engine, path, source="x")
    assert counts(engine)["dossiers"] == 0


def test_csv_without_a_dossier_code_column_is_refused(engine: Engine, tmp_path: Path) -> None:
    path = _write_csv(tmp_path / "x.csv", [["Họ tên", "Ngày"], ["A", "1/1/2025"]])
    with pytest.raises(UnreadableInput, match="Mã hồ sơ"):
        import_file(engine, path, source="x")


def _cli(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    db_url: str,
    *args: str,
) -> tuple[int, str, str]:
    monkeypatch.setenv("MOTCUA_DATABASE_URL", db_url)
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_import_prints_the_json_counts_and_the_second_run_changes_nothing(
    db_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = _write_csv(tmp_path / "hoso.csv", [VI_HEADER, *VI_ROWS, ["4", "", "1"]])
    code, out, err = _cli(monkeypatch, capsys, db_url, "import", str(path), "--json", "--progress")
    doc = json.loads(out)
    assert code == 0 and "Đang nhập: 4 hồ sơ" in err and err.endswith("\n")
    assert set(doc) >= {"inserted", "updated", "unchanged", "quarantined", "reasons", "batch_id"}
    assert (doc["inserted"], doc["quarantined"], doc["reasons"]) == (3, 1, {"missing_code": 1})
    code, out, err = _cli(monkeypatch, capsys, db_url, "import", str(path), "--json")
    again = json.loads(out)
    assert err == ""  # no progress line unless asked or on a terminal
    assert (again["inserted"], again["updated"], again["unchanged"]) == (0, 0, 3)
    assert again["batch_id"] == doc["batch_id"] + 1


def test_cli_import_says_in_vietnamese_what_it_did_without_personal_data(
    db_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    bad = [*VI_ROWS[0]]
    bad[8] = APPLICANT  # a name where a date belongs
    path = _write_csv(tmp_path / "hoso.csv", [VI_HEADER, bad, VI_ROWS[1]])
    code, out, err = _cli(monkeypatch, capsys, db_url, "import", str(path), "--source", "tinh")
    assert code == 0
    assert out.startswith("Đã nhập 2 hồ sơ: 1 mới, 0 cập nhật, 0 không đổi, 1 bị cách ly")
    assert APPLICANT not in out + err and PHONE not in out + err


def test_cli_import_of_an_unreadable_file_exits_2_with_one_line(
    db_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = tmp_path / "broken.json"
    path.write_text('[{"MaHoSo": "A"', "utf-8")
    code, out, err = _cli(monkeypatch, capsys, db_url, "import", str(path), "--json")
    assert code == 2 and out == ""
    assert err.startswith("Lỗi: Tệp JSON hỏng") and len(err.strip().splitlines()) == 1
    assert "Không có thay đổi nào" in err
    for args in (["import", str(tmp_path / "none.csv")], ["import", str(path.with_suffix(".txt"))]):
        path.with_suffix(".txt").write_text("x", "utf-8")
        assert _cli(monkeypatch, capsys, db_url, *args)[0] == 2
