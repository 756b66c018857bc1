"""CSV and XLSX exports of dossiers, read row by row.

CSV: UTF-8 with or without BOM. A legacy Windows-1258 export is read when its header row
decodes to known Vietnamese headers under that code page (then every value is faithful).
A file that is neither (Windows-1252 with Vietnamese letters lost, or UTF-8 text that went
through Windows-1252 once — "MÃ£ há»“ sÆ¡") is refused: it cannot be read faithfully.
XLSX: the first sheet, streamed with openpyxl's read-only mode.
Rows are yielded with their line (CSV) or row number (XLSX) for quarantine messages.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import re
import unicodedata
import zipfile
import zlib
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO, Any

from monitor.collectors.headers import RowMapper, compose, map_header
from monitor.ingest import UnreadableInput

HEADER_SEARCH_ROWS = 20
_SNIFF_BYTES = 1 << 16
# UTF-8 Vietnamese read as Windows-1252: a lead byte shown as Ä Å Æ (đ ă ĩ ũ ơ ư), as á before
# ¸ ¹ º » (the ạ–ỹ block) or as Â Ã Ì Í before a Latin-1 sign, then a continuation byte.
# None of these pairs occurs in Vietnamese text (a quote or dash after "Ã" or "á" may, so
# those are left out of the last two patterns).
_CP1252_CONTINUATION = (
    "\u00a0-\u00bf\u20ac\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039"
    "\u0152\u017d\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a"
    "\u0153\u017e\u0178"
)
_MOJIBAKE = re.compile(f"[ÄÅÆ][{_CP1252_CONTINUATION}]|á[\u00b8-\u00bb]|[ÂÃÌÍ][\u00a1-\u00bf]")
MANGLED = (
    "Tệp {name} bị lỗi mã hóa (chữ tiếng Việt đã bị đọc nhầm theo Windows-1252, "
    "ví dụ 'MÃ£ há»“ sÆ¡'); không thể đọc trung thực. Hãy xuất lại tệp dạng UTF-8."
)
NOT_UTF8 = (
    "Tệp {name} không phải UTF-8 và không nhận ra là Windows-1258 (dòng tiêu đề không khớp); "
    "không thể đọc trung thực. Hãy lưu lại tệp dạng CSV UTF-8."
)


def detect_encoding(head: bytes, name: str) -> str:
    """The codec to read a CSV whose first bytes are ``head``; UnreadableInput if none fits."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    try:
        head.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        # A multi-byte letter cut by the sniffing window is still UTF-8.
        if exc.start >= len(head) - 3 and exc.reason == "unexpected end of data":
            return "utf-8"
    first_line = head.split(b"\n", 1)[0]
    try:
        header = first_line.decode("cp1258")
    except UnicodeDecodeError:
        raise UnreadableInput(NOT_UTF8.format(name=name)) from None
    header = unicodedata.normalize("NFC", header)
    cells = next(csv.reader([header], delimiter=_delimiter(header)), [])
    if not header.isascii() and map_header(cells) is not None:
        return "cp1258"
    raise UnreadableInput(NOT_UTF8.format(name=name))


def _delimiter(line: str) -> str:
    counts = {d: line.count(d) for d in (",", ";", "\t")}
    return max(counts, key=lambda d: counts[d])


def iter_csv(raw: IO[bytes], name: str) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line, national record) for each data row of the CSV in ``raw``."""
    encoding = detect_encoding(raw.read(_SNIFF_BYTES), name)
    raw.seek(0)
    text = io.TextIOWrapper(raw, encoding=encoding, newline="")
    try:
        yield from _csv_rows(text, name)
    except UnicodeDecodeError:
        raise UnreadableInput(
            f"Tệp {name} có đoạn không phải {encoding.upper()} hợp lệ; không nhập gì."
        ) from None
    except csv.Error as exc:
        raise UnreadableInput(f"Tệp {name} không phải CSV hợp lệ: {exc}.") from None
    finally:
        text.detach()


def _csv_rows(text: io.TextIOWrapper, name: str) -> Iterator[tuple[int, dict[str, Any]]]:
    # The delimiter is the commonest candidate in the first lines (a title line has none).
    head = [line for _, line in zip(range(HEADER_SEARCH_ROWS), text, strict=False)]
    lines = compose(itertools.chain(head, text))
    reader = csv.reader(lines, delimiter=_delimiter("".join(head)))
    to_record = RowMapper(_find_header(reader, name), composed=True)
    last_line = reader.line_num
    for cells in reader:
        start, last_line = last_line + 1, reader.line_num
        if not any(cells):
            continue
        joined = "".join(cells)
        if not joined.isascii() and _MOJIBAKE.search(joined):
            raise UnreadableInput(MANGLED.format(name=name))
        yield start, to_record(cells)


def _find_header(rows: Iterator[Sequence[Any]], name: str) -> list[str | None]:
    """The mapped header row among the first rows (exports often start with a title)."""
    for _ in range(HEADER_SEARCH_ROWS):
        cells = next(rows, None)
        if cells is None:
            break
        fields = map_header(cells)
        if fields is not None:
            return fields
        if _MOJIBAKE.search(" ".join(str(c) for c in cells if c is not None)):
            raise UnreadableInput(MANGLED.format(name=name))
    raise UnreadableInput(
        f"Tệp {name}: không tìm thấy dòng tiêu đề có cột 'Mã hồ sơ' (hoặc 'MaHoSo') "
        f"trong {HEADER_SEARCH_ROWS} dòng đầu."
    )


# What a damaged workbook raises while it is opened or read: a broken zip or deflate stream,
# a cut or malformed XML part (ElementTree's ParseError is a SyntaxError), or XML that
# defusedxml refuses (a ValueError).
_BROKEN_XLSX = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    KeyError,
    OSError,
    SyntaxError,
    ValueError,
)


def iter_xlsx(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """(row number, national record) for each data row of the first sheet of ``path``, read
    streaming; a workbook found damaged at any point is UnreadableInput."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, *_BROKEN_XLSX) as exc:
        raise UnreadableInput(_unreadable_xlsx(path, exc)) from None
    try:
        sheet = book.worksheets[0]
        numbered = enumerate(sheet.iter_rows(values_only=True), start=1)
        # The header search consumes rows of the shared iterator; the data loop resumes after.
        to_record = RowMapper(_find_header((cells for _, cells in numbered), path.name))
        for number, cells in numbered:
            if any(c is not None and c != "" for c in cells):
                yield number, to_record(cells)
    except UnreadableInput:
        raise
    except _BROKEN_XLSX as exc:
        raise UnreadableInput(_unreadable_xlsx(path, exc)) from None
    finally:
        book.close()


def _unreadable_xlsx(path: Path, exc: BaseException) -> str:
    detail = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return f"Tệp {path.name} không phải XLSX đọc được (hỏng hoặc bị cắt cụt): {detail}."
