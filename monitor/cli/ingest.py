"""``motcua import PATH``: import a national JSON, CSV or XLSX file of dossiers."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

from monitor.cli.common import (
    CommandError,
    UsageError,
    add_json_flag,
    engine_for,
    print_json,
    settings,
)
from monitor.cli.progress import ProgressLine
from monitor.collectors.files import DEFAULT_SOURCE, import_file
from monitor.ingest import UnreadableInput
from monitor.ingest.pipeline import describe_error


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "import", help="nhập hồ sơ từ tệp JSON (định dạng đồng bộ quốc gia), CSV hoặc XLSX"
    )
    p.add_argument("path", metavar="TỆP", help="đường dẫn tệp .json, .csv hoặc .xlsx")
    p.add_argument(
        "--source",
        default=DEFAULT_SOURCE,
        metavar="TÊN",
        help=f"tên nguồn dữ liệu (mặc định '{DEFAULT_SOURCE}'); mã hồ sơ là duy nhất theo nguồn",
    )
    p.add_argument(
        "--progress", action="store_true", help="hiện tiến độ trên stderr cả khi không phải TTY"
    )
    add_json_flag(p)
    p.set_defaults(func=cmd_import)


def cmd_import(args: argparse.Namespace) -> int:
    path = Path(args.path)
    if not path.is_file():
        raise UsageError(f"Không tìm thấy tệp {path}.")
    source = args.source.strip()
    if not source or len(source) > 64:
        raise UsageError("Tên nguồn phải có từ 1 đến 64 ký tự.")
    engine = engine_for(settings())
    bar = None
    if args.progress or sys.stderr.isatty():
        bar = ProgressLine(total_bytes=path.stat().st_size)
    try:
        result = import_file(
            engine,
            path,
            source=source,
            progress=bar,
            position=bar.track if bar is not None else None,
        )
    except UnreadableInput as exc:
        raise UsageError(f"{exc} Không có thay đổi nào trong CSDL.") from None
    except SQLAlchemyError as exc:
        raise CommandError(
            f"Nhập {path.name} không thành công, {describe_error(exc)}. "
            "Không có thay đổi nào trong CSDL."
        ) from None
    finally:
        if bar is not None:
            bar.close()
    if args.json:
        print_json(result.as_json())
    else:
        print(result.summary_vi())
    return 0
