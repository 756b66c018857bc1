"""``motcua calendar list|add|remove``: the working calendar and its overrides."""

from __future__ import annotations

import argparse

from monitor import audit
from monitor.calendar_store import (
    EVERYWHERE,
    SOURCE_HOLIDAYS,
    CalendarError,
    remove_override,
    set_override,
    year_entries,
)
from monitor.cli.common import UsageError, add_json_flag, engine_for, print_json, settings
from monitor.cli.when import parse_day, vn_date
from monitor.db import session_scope
from monitor.deadlines.labels import WEEKDAY_VI
from monitor.enums import CalendarDayKind

KIND_VI = {CalendarDayKind.DAY_OFF: "Nghỉ", CalendarDayKind.WORKING_DAY: "Làm việc"}
SOURCE_VI = {SOURCE_HOLIDAYS: "holidays.VN", "override": "Điều chỉnh"}


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("calendar", help="lịch làm việc: ngày nghỉ, ngày làm bù")
    csub = p.add_subparsers(dest="calendar_command", required=True, metavar="LỆNH")
    ls = csub.add_parser("list", help="các ngày nghỉ và ngày làm việc bổ sung của một năm")
    ls.add_argument("--year", type=int, required=True, help="năm, ví dụ 2025")
    ls.add_argument("--scope", default=EVERYWHERE, help="mã đơn vị (mặc định: * toàn tỉnh)")
    add_json_flag(ls)
    ls.set_defaults(func=cmd_list)
    add = csub.add_parser("add", help="thêm hoặc sửa một ngày điều chỉnh")
    add.add_argument("date", help="ngày, dd/mm/yyyy hoặc yyyy-mm-dd")
    add.add_argument("--kind", required=True, choices=[k.value for k in CalendarDayKind])
    add.add_argument("--scope", default=EVERYWHERE, help="mã đơn vị (mặc định: * mọi nơi)")
    add.add_argument("--note", default="", help="ghi chú, ví dụ căn cứ văn bản")
    add_json_flag(add)
    add.set_defaults(func=cmd_add)
    rm = csub.add_parser("remove", help="xóa một ngày điều chỉnh")
    rm.add_argument("date", help="ngày, dd/mm/yyyy hoặc yyyy-mm-dd")
    rm.add_argument("--scope", default=EVERYWHERE, help="mã đơn vị (mặc định: * mọi nơi)")
    add_json_flag(rm)
    rm.set_defaults(func=cmd_remove)


def cmd_list(args: argparse.Namespace) -> int:
    if not 1976 < args.year < 2200:
        raise UsageError(f"Năm {args.year} nằm ngoài phạm vi lịch hỗ trợ.")
    s = settings()
    engine = engine_for(s)
    try:
        entries = year_entries(engine, s, args.year, args.scope)
    except CalendarError as exc:
        raise UsageError(str(exc)) from exc
    if args.json:
        print_json(
            [
                {
                    "date": e.day,
                    "kind": e.kind.value,
                    "source": e.source,
                    "scope": e.scope,
                    "note": e.note,
                }
                for e in entries
            ]
        )
        return 0
    print(f"Lịch năm {args.year}, phạm vi {args.scope}:")
    for e in entries:
        where = f" [{e.scope}]" if e.scope else ""
        print(
            f"{vn_date(e.day)}  {WEEKDAY_VI[e.day.weekday()]:<9} {KIND_VI[e.kind]:<9} "
            f"{SOURCE_VI.get(e.source, e.source)}{where}: {e.note}"
        )
    return 0


def cmd_add(args: argparse.Namespace) -> int:
    day, kind = parse_day(args.date), CalendarDayKind(args.kind)
    with session_scope(engine_for(settings())) as session:
        try:
            marked = set_override(session, day, kind, args.scope, args.note, audit.cli_actor())
        except CalendarError as exc:
            raise UsageError(str(exc)) from exc
    doc = {"date": day, "kind": kind.value, "scope": args.scope, "note": args.note}
    if args.json:
        print_json({**doc, "dossiers_marked": marked})
    else:
        print(
            f"Đã ghi {vn_date(day)} là ngày {KIND_VI[kind].lower()} (phạm vi {args.scope}); "
            f"{marked} hồ sơ sẽ được tính lại hạn ở lần đánh giá tới."
        )
    return 0


def cmd_remove(args: argparse.Namespace) -> int:
    day = parse_day(args.date)
    with session_scope(engine_for(settings())) as session:
        try:
            marked = remove_override(session, day, args.scope, audit.cli_actor())
        except CalendarError as exc:
            raise UsageError(str(exc)) from exc
    if args.json:
        print_json({"date": day, "scope": args.scope, "dossiers_marked": marked})
    else:
        print(
            f"Đã xóa điều chỉnh ngày {vn_date(day)} (phạm vi {args.scope}); "
            f"{marked} hồ sơ sẽ được tính lại hạn ở lần đánh giá tới."
        )
    return 0
