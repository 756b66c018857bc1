"""Import one file of dossiers (national JSON, CSV or XLSX), chosen by its extension."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from sqlalchemy import Engine

from monitor.collectors.csv_xlsx import iter_csv, iter_xlsx
from monitor.collectors.dvcqg_json import iter_json_array
from monitor.ingest import ImportResult, UnreadableInput, import_numbered

FORMATS = {".json": "json", ".csv": "csv", ".xlsx": "xlsx", ".xlsm": "xlsx"}
DEFAULT_SOURCE = "file"


def file_format(path: Path) -> str:
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise UnreadableInput(
            f"Không nhận ra định dạng của {path.name}: cần .json, .csv hoặc .xlsx."
        )
    return fmt


def import_file(
    engine: Engine,
    path: Path,
    *,
    source: str = DEFAULT_SOURCE,
    progress: Callable[[int], None] | None = None,
    position: Callable[[Callable[[], int]], None] | None = None,
    now: datetime | None = None,
) -> ImportResult:
    """Import ``path`` in one transaction; UnreadableInput (nothing changed) if it is not
    readable. ``position``, if given, receives a function telling how many bytes were read."""
    fmt = file_format(path)
    if not path.is_file():
        raise UnreadableInput(f"Không tìm thấy tệp {path}.")
    with ExitStack() as stack:
        records: Iterator[tuple[int, Any]]
        if fmt == "xlsx":
            records = iter_xlsx(path)
        else:
            raw = stack.enter_context(path.open("rb"))
            if position is not None:
                position(raw.tell)
            records = iter_csv(raw, path.name) if fmt == "csv" else _json(raw)
        return import_numbered(
            engine,
            records,
            source=source,
            location=str(path.resolve()),
            file_format=fmt,
            progress=progress,
            now=now,
        )


def _json(raw: IO[bytes]) -> Iterator[tuple[int, Any]]:
    text = io.TextIOWrapper(raw, encoding="utf-8-sig")
    try:
        yield from iter_json_array(text)
    finally:
        text.detach()
