"""``motcua scheduler``: the one active scheduler (others wait as standbys)."""

from __future__ import annotations

import argparse
import logging

from monitor import scheduler
from monitor.cli.common import engine_for, settings


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("scheduler", help="chạy các công việc định kỳ (thu thập, đánh giá hạn, ...)")
    p.add_argument(
        "--standby-retry",
        type=float,
        default=10.0,
        metavar="GIÂY",
        help="chu kỳ thử nhận quyền chạy khi đang dự phòng (mặc định 10 giây)",
    )
    p.set_defaults(func=cmd_scheduler)


def cmd_scheduler(args: argparse.Namespace) -> int:
    s = settings()
    logging.getLogger().setLevel(s.log_level)
    engine = engine_for(s)
    s.data_path.mkdir(parents=True, exist_ok=True)
    scheduler.run(engine, s.data_path, retry_seconds=args.standby_retry)
    return 0
