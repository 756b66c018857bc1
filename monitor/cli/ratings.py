"""``motcua ratings link|import`` and ``motcua ratings-web``: the citizen rating service."""

from __future__ import annotations

import argparse
import re
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from monitor import vi_format
from monitor.cli.common import (
    CommandError,
    UsageError,
    add_json_flag,
    engine_for,
    print_json,
    settings,
)
from monitor.db import session_scope
from monitor.ingest import UnreadableInput
from monitor.ingest.pipeline import describe_error
from monitor.models import Dossier, utcnow


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("ratings", help="đánh giá của người dân: đường dẫn ký số, nhập từ CSV")
    rsub = p.add_subparsers(dest="ratings_command", required=True, metavar="LỆNH")
    link = rsub.add_parser("link", help="đường dẫn đánh giá có chữ ký và mã QR của một hồ sơ")
    link.add_argument("code", metavar="MaHoSo", help="mã hồ sơ")
    link.add_argument("--qr", type=Path, help="tệp PNG mã QR (mặc định <data_dir>/qr/<mã>.png)")
    add_json_flag(link)
    link.set_defaults(func=cmd_link)
    imp = rsub.add_parser("import", help="nhập đánh giá từ tệp CSV của hệ thống khác")
    imp.add_argument("path", type=Path, metavar="TỆP", help="tệp .csv")
    imp.add_argument("--source", default="ratings-csv", help="tên nguồn (mặc định ratings-csv)")
    add_json_flag(imp)
    imp.set_defaults(func=cmd_import)
    web = sub.add_parser("ratings-web", help="dịch vụ đánh giá: kiosk, biểu mẫu trực tuyến, API")
    web.add_argument("--host", default="0.0.0.0", help="địa chỉ lắng nghe (mặc định 0.0.0.0)")
    web.add_argument("--port", type=int, help="cổng (mặc định: cấu hình ratings_port)")
    web.add_argument(
        "--workers",
        type=int,
        default=1,
        help="số tiến trình phục vụ (mặc định 1; với PostgreSQL có thể bằng số lõi CPU)",
    )
    web.set_defaults(func=cmd_web)


def _qr_name(code: str) -> str:
    return re.sub(r"[^0-9A-Za-z.\-_]", "_", code) + ".png"


def cmd_link(args: argparse.Namespace) -> int:
    from surveys.links import make_link, write_qr

    conf = settings()
    with session_scope(engine_for(conf)) as s:
        code = s.scalar(select(Dossier.code).where(Dossier.code == args.code.strip()).limit(1))
    if code is None:
        raise UsageError(f"Không có hồ sơ mã '{args.code}'.")
    link = make_link(conf, code, utcnow())
    qr = args.qr or conf.data_path / "qr" / _qr_name(code)
    try:
        qr.parent.mkdir(parents=True, exist_ok=True)
        write_qr(link.url, qr)
    except OSError as exc:
        raise CommandError(f"Không ghi được tệp mã QR '{qr}': {exc.strerror}") from exc
    if args.json:
        print_json({"code": code, "url": link.url, "expires_at": link.expires_at, "qr": str(qr)})
    else:
        print(link.url)
        print(f"Hết hạn: {vi_format.moment(link.expires_at)} · Mã QR: {qr}")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from surveys.importer import import_ratings_csv

    if not args.path.is_file():
        raise UsageError(f"Không tìm thấy tệp {args.path}.")
    engine = engine_for(settings())
    try:
        result = import_ratings_csv(engine, args.path, source=args.source)
    except UnreadableInput as exc:
        raise UsageError(f"{exc} Không có thay đổi nào trong CSDL.") from None
    except SQLAlchemyError as exc:
        raise CommandError(
            f"Nhập {args.path.name} không thành công, {describe_error(exc)}. "
            "Không có thay đổi nào trong CSDL."
        ) from None
    if args.json:
        print_json(result.as_json())
        return 0
    n = vi_format.integer
    text = (
        f"Đã đọc {n(result.total)} đánh giá: {n(result.inserted)} mới, "
        f"{n(result.unchanged)} đã có, {n(result.quarantined)} bị cách ly"
    )
    if result.reasons:
        text += " (" + ", ".join(f"{k}: {n(v)}" for k, v in sorted(result.reasons.items())) + ")"
    print(text + f" — lô nhập #{result.batch_id}.")
    return 0


def cmd_web(args: argparse.Namespace) -> int:
    import uvicorn

    from surveys.web import create_app

    if not 1 <= args.workers <= 64:
        raise UsageError("--workers phải từ 1 đến 64.")
    conf = settings()
    engine = engine_for(conf)  # fails here, with a clear message, if the database is down
    # No access log: the signed token of /r/ links is in the URL.
    options: dict[str, Any] = {
        "host": args.host,
        "port": args.port or conf.ratings_port,
        "access_log": False,
        "log_level": conf.log_level.lower(),
    }
    if args.workers == 1:
        uvicorn.run(create_app(engine, conf), **options)
        return 0
    # Each worker process builds its own app (engine, caches, rate limits) from the same
    # environment; see docs/ratings.md for what is per process.
    engine.dispose()
    uvicorn.run("surveys.web:app_from_env", factory=True, workers=args.workers, **options)
    return 0
