"""Ratings exported by other systems as CSV: dossier code, criteria levels, overall level,
comment, time. Imported like dossiers (monitor.ingest): one transaction per file, an import
batch, bad rows set aside in quarantine with a reason, and idempotent: a file imported twice
adds nothing the second time.

A row's identity is its "Mã đánh giá" column when the export has one, otherwise a hash of
the dossier code, the time and the levels; it is the rating's external_ref in channel
"import". A row whose dossier already has a rating from another channel is quarantined
(``already_rated``): one rating per dossier.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, select, update

from monitor.calendar import VN_TZ
from monitor.collectors.csv_xlsx import detect_encoding
from monitor.ingest import ImportResult, UnreadableInput
from monitor.ingest.pipeline import close_batch, ensure_source, open_batch
from monitor.ingest.sql import Dialect, insert_rows
from monitor.models import ImportBatch, Rating, utcnow
from surveys.capture import CODE_MAX, COMMENT_MAX, clean_code, clean_comment
from surveys.criteria import ALL_CODES
from surveys.rating_sql import cursor, find_dossier, insert_feedback, insert_rating

DEFAULT_SOURCE = "ratings-csv"
BATCH_KIND = "ratings"
CHANNEL = "import"
_QUARANTINE_COLUMNS = ("batch_id", "line_no", "reason", "message", "raw", "created_at")


class RatingReason(StrEnum):
    MISSING_OVERALL = "missing_overall"
    BAD_LEVEL = "bad_level"
    BAD_TIME = "bad_time"
    CODE_TOO_LONG = "code_too_long"
    COMMENT_TOO_LONG = "comment_too_long"
    UNKNOWN_DOSSIER = "unknown_dossier"
    ALREADY_RATED = "already_rated"


class BadRow(ValueError):
    def __init__(self, reason: RatingReason, message: str) -> None:
        super().__init__(message)
        self.reason = reason


def _key(text: str) -> str:
    """A header or level as a bare key: 'Mã hồ sơ' -> 'mahoso', 'Đánh giá chung' ->
    'danhgiachung'."""
    text = unicodedata.normalize("NFC", text).lower().replace("đ", "d")
    text = "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")
    return re.sub(r"[^a-z0-9]", "", text)


# "Tiêu chí đ", "crit_dd", "đ": the criterion letters, đ kept apart from d.
_CRITERION = re.compile(r"(?:tiêu chí|tieu chi|tieuchi|crit|criterion|crit_)?[\s_]*(dd|đ|[a-i])")


def field_of(header: str) -> str | None:
    """The rating field a CSV header names, or None for a column we do not read."""
    text = unicodedata.normalize("NFC", header).strip().lower()
    letter = _CRITERION.fullmatch(text)
    if letter is not None:
        code = "dd" if letter[1] in ("đ", "dd") else letter[1]
        return f"crit_{code}" if code in ALL_CODES else None
    return HEADERS.get(_key(text))


HEADERS: dict[str, str] = {
    **{k: "code" for k in ("mahoso", "code", "dossiercode", "sohoso")},
    **{k: "ref" for k in ("madanhgia", "id", "ratingid", "maphieu")},
    **{
        k: "overall"
        for k in ("danhgiachung", "mucdohailongchung", "tongthe", "overall", "hailongchung")
    },
    **{k: "comment" for k in ("ykien", "gopy", "noidung", "comment", "ykiengopy")},
    **{k: "time" for k in ("thoigian", "thoigiandanhgia", "ngaydanhgia", "time", "ratedat")},
}
LEVEL_WORDS = {"rathailong": 3, "hailong": 2, "khonghailong": 1}


def parse_level(text: str) -> int | None:
    text = text.strip()
    if not text:
        return None
    if text in ("1", "2", "3"):
        return int(text)
    level = LEVEL_WORDS.get(_key(text))
    if level is None:
        raise BadRow(RatingReason.BAD_LEVEL, f"mức '{text[:40]}' không phải 1, 2, 3 hoặc tên mức")
    return level


_TIME_FORMATS = ("%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%d/%m/%Y", "%Y%m%d%H%M%S")


def parse_time(text: str) -> datetime:
    """Vietnam time unless the value says otherwise (ISO with an offset)."""
    text = text.strip()
    for fmt in _TIME_FORMATS:
        try:
            return datetime.strptime(text, fmt).replace(tzinfo=VN_TZ)
        except ValueError:
            continue
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise BadRow(RatingReason.BAD_TIME, f"thời gian '{text[:40]}' không đọc được") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=VN_TZ)


@dataclass(frozen=True)
class Row:
    code: str | None
    ref: str
    overall: int
    criteria: dict[str, int | None]
    comment: str | None
    at: datetime


def parse_row(cells: dict[str, str]) -> Row:
    code = clean_code(cells.get("code"))
    if code is not None and len(code) > CODE_MAX:
        raise BadRow(RatingReason.CODE_TOO_LONG, f"mã hồ sơ dài quá {CODE_MAX} ký tự")
    overall = parse_level(cells.get("overall", ""))
    if overall is None:
        raise BadRow(RatingReason.MISSING_OVERALL, "thiếu mức hài lòng chung")
    criteria = {c: parse_level(cells.get(f"crit_{c}", "")) for c in ALL_CODES}
    comment = clean_comment(cells.get("comment"))
    if comment is not None and len(comment) > COMMENT_MAX:
        raise BadRow(RatingReason.COMMENT_TOO_LONG, f"ý kiến dài quá {COMMENT_MAX} ký tự")
    if not cells.get("time", "").strip():
        raise BadRow(RatingReason.BAD_TIME, "thiếu thời gian đánh giá")
    at = parse_time(cells["time"])
    ref = (cells.get("ref") or "").strip()[:120]
    if not ref:
        basis = json.dumps([code, at.isoformat(), overall, criteria], sort_keys=True)
        ref = "h:" + hashlib.sha256(basis.encode()).hexdigest()[:40]
    return Row(code, ref, overall, criteria, comment, at)


def read_rows(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    """(line, {field: cell}) for each data row; UnreadableInput if there is no header."""
    with path.open("rb") as raw:
        encoding = detect_encoding(raw.read(1 << 16), path.name)
    with path.open(encoding=encoding, newline="") as fh:
        sample = fh.read(4096)
        fh.seek(0)
        delimiter = max((",", ";", "\t"), key=sample.split("\n", 1)[0].count)
        reader = csv.reader(fh, delimiter=delimiter)
        header = next(reader, None)
        fields = [field_of(h) for h in header or []]
        if "overall" not in fields:
            raise UnreadableInput(
                f"Tệp {path.name}: dòng đầu phải là tiêu đề có cột 'Đánh giá chung' (overall)."
            )
        for cells in reader:
            if any(c.strip() for c in cells):
                named = {f: v for f, v in zip(fields, cells, strict=False) if f is not None}
                yield reader.line_num, named


def import_ratings_csv(engine: Engine, path: Path, *, source: str = DEFAULT_SOURCE) -> ImportResult:
    """Import one CSV of ratings in one transaction; what the scheduler's job calls too."""
    if not path.is_file():
        raise UnreadableInput(f"Không tìm thấy tệp {path}.")
    try:
        rows = list(read_rows(path))
    except UnicodeDecodeError:
        raise UnreadableInput(f"Tệp {path.name} không phải UTF-8 hợp lệ; không nhập gì.") from None
    except csv.Error as exc:
        raise UnreadableInput(f"Tệp {path.name} không phải CSV hợp lệ: {exc}.") from None
    now = utcnow()
    with engine.begin() as conn:
        result = open_batch(conn, ensure_source(conn, source), str(path.resolve()), "csv")
        conn.execute(
            update(ImportBatch).where(ImportBatch.id == result.batch_id).values(kind=BATCH_KIND)
        )
        quarantine: list[tuple[Any, ...]] = []
        d = Dialect(conn)
        for line_no, cells in rows:
            try:
                _import_row(conn, d, parse_row(cells), result)
            except BadRow as bad:
                result.quarantined += 1
                result.count_reason(bad.reason.value)
                raw = json.dumps(cells, ensure_ascii=False)
                quarantine.append(
                    (result.batch_id, line_no, bad.reason.value, str(bad), raw, d.moment(now))
                )
        insert_rows(conn, d, "quarantine", _QUARANTINE_COLUMNS, quarantine)
        close_batch(conn, result)
    return result


def _import_row(conn: Connection, d: Dialect, row: Row, result: ImportResult) -> None:
    known = conn.execute(
        select(Rating.id).where(Rating.channel == CHANNEL, Rating.external_ref == row.ref)
    ).first()
    if known is not None:
        result.unchanged += 1
        return
    dossier = None
    if row.code is not None:
        dossier = find_dossier(cursor(conn), d, row.code)
        if dossier is None:
            raise BadRow(RatingReason.UNKNOWN_DOSSIER, f"không có hồ sơ mã {row.code}")
    values: dict[str, Any] = {f"crit_{c}": v for c, v in row.criteria.items()}
    values.update(
        dossier_id=None if dossier is None else dossier.id,
        unit_id=None if dossier is None else dossier.unit_id,
        officer_id=None if dossier is None else dossier.officer_id,
        channel=CHANNEL,
        external_ref=row.ref,
        overall=row.overall,
        comment=row.comment,
        created_at=row.at,
    )
    try:
        with conn.begin_nested():
            rating_id = insert_rating(cursor(conn), d, values)
    except conn.dialect.loaded_dbapi.IntegrityError:
        raise BadRow(RatingReason.ALREADY_RATED, f"hồ sơ {row.code} đã có đánh giá") from None
    if row.comment:
        insert_feedback(cursor(conn), d, values, rating_id)
    result.inserted += 1


def import_folder(engine: Engine, folder: Path, *, source: str = DEFAULT_SOURCE) -> dict[str, Any]:
    """The scheduled job's work: import every ``*.csv`` in ``folder``, oldest first, and move
    each out of the way once done (``imported/``), or once found unreadable (``rejected/``),
    so the next run does not read it again. A file that fails for another reason (the
    database) stays for the next run; importing it again is harmless."""
    counts: dict[str, Any] = {"files": 0, "inserted": 0, "unchanged": 0, "quarantined": 0}
    rejected: list[str] = []
    for path in sorted(folder.glob("*.csv"), key=lambda p: (p.stat().st_mtime, p.name)):
        try:
            result = import_ratings_csv(engine, path, source=source)
        except UnreadableInput:
            rejected.append(path.name)
            _move(path, folder / "rejected")
            continue
        _move(path, folder / "imported")
        counts["files"] += 1
        for key in ("inserted", "unchanged", "quarantined"):
            counts[key] += getattr(result, key)
    counts["rejected"] = rejected
    return counts


def _move(path: Path, into: Path) -> None:
    into.mkdir(exist_ok=True)
    target = into / path.name
    if target.exists():  # the same name again: keep both
        target = into / f"{path.stem}-{int(path.stat().st_mtime)}{path.suffix}"
    path.replace(target)
