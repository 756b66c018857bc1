"""``motcua evaluate``: recompute due statuses, breaches and responsible units."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime

from monitor import vi_format
from monitor.cli.common import add_json_flag, engine_for, print_json, settings
from monitor.cli.when import parse_moment, vn_moment
from monitor.evaluate import evaluate


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "evaluate", help="tính lại trạng thái hạn, vi phạm và đơn vị chịu trách nhiệm"
    )
    p.add_argument("--as-of", help="tính đến thời điểm này (mặc định: bây giờ)")
    p.add_argument(
        "--full",
        action="store_true",
        help="tính lại mọi hồ sơ (sau khi đổi cấu hình), không chỉ những hồ sơ có thể đã đổi",
    )
    add_json_flag(p)
    p.set_defaults(func=cmd_evaluate)


def cmd_evaluate(args: argparse.Namespace) -> int:
    as_of = parse_moment(args.as_of) if args.as_of else datetime.now(UTC)
    s = settings()
    result = evaluate(engine_for(s), as_of, full=args.full, settings=s)
    if args.json:
        print_json(result.as_json())
    else:
        n = vi_format.integer
        print(
            f"Đã đánh giá {n(result.evaluated)} hồ sơ tính đến {vn_moment(as_of)}: "
            f"{n(result.changed)} thay đổi, ghi {n(result.written)} dòng "
            f"trong {vi_format.decimal(result.seconds)} giây."
            + (
                f" {n(result.skipped)} hồ sơ vừa được cập nhật sẽ tính ở lần sau."
                if result.skipped
                else ""
            )
        )
    return 0
