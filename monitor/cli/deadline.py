"""``motcua deadline``: the due time the working calendar gives."""

from __future__ import annotations

import argparse

from monitor.calendar import from_instant, to_instant
from monitor.calendar_store import EVERYWHERE, CalendarError, load_calendar
from monitor.cli.common import UsageError, add_json_flag, engine_for, print_json, settings
from monitor.cli.when import parse_moment, vn_moment
from monitor.deadlines.labels import WEEKDAY_VI
from monitor.enums import TimeUnit

# Beyond these the answer would leave the calendar's years (1976–2200) anyway.
MAX_AMOUNT = {
    TimeUnit.WORKING_DAYS: 20_000,
    TimeUnit.CALENDAR_DAYS: 30_000,
    TimeUnit.HOURS: 160_000,
}


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("deadline", help="tính hạn theo lịch làm việc")
    p.add_argument("--start", required=True, help="thời điểm bắt đầu (dd/mm/yyyy HH:MM hoặc ISO)")
    p.add_argument("--amount", required=True, type=float, help="số lượng (không âm)")
    p.add_argument("--unit", required=True, choices=[u.value for u in TimeUnit])
    p.add_argument("--scope", default=EVERYWHERE, help="mã đơn vị có lịch riêng (mặc định: *)")
    p.add_argument(
        "--receipt",
        choices=["paper", "online"],
        help="tính từ lúc tiếp nhận: áp dụng giờ làm việc và giờ chốt buổi chiều trước",
    )
    add_json_flag(p)
    p.set_defaults(func=cmd_deadline)


def cmd_deadline(args: argparse.Namespace) -> int:
    unit = TimeUnit(args.unit)
    if not 0 <= args.amount <= MAX_AMOUNT[unit]:
        raise UsageError(f"--amount phải nằm trong khoảng 0–{MAX_AMOUNT[unit]}.")
    start = parse_moment(args.start)
    s = settings()
    engine = engine_for(s)
    try:
        cal = load_calendar(engine, s, args.scope)
        begin = to_instant(start)
        if args.receipt:
            begin = cal.clock_start_s(begin, args.receipt == "paper")
        due = from_instant(cal.add_s(begin, args.amount, unit))
    except (ValueError, CalendarError) as exc:
        raise UsageError(str(exc)) from exc
    if args.json:
        doc = {"due_at": due, "start": start, "amount": args.amount, "unit": unit.value}
        if args.receipt:
            doc["clock_start"] = from_instant(begin)
        print_json(doc)
    else:
        print(f"Hạn: {vn_moment(due)} ({WEEKDAY_VI[due.weekday()]})")
    return 0
