"""``motcua report 06a|register|satisfaction|verify``: the inspectors' exports.

Every export is written in the chosen format and recorded in the audit log. The actor is the
shell user (``cli:<user>``), or ``--as-user USERNAME``, whose role decides whether personal
data is shown: only an admin sees it unmasked.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, select

from monitor import audit, vi_format
from monitor.cli.common import (
    CommandError,
    UsageError,
    add_json_flag,
    engine_for,
    print_json,
    settings,
)
from monitor.config import Settings
from monitor.db import DatabaseError, session_scope
from monitor.enums import Role
from monitor.models import User, utcnow
from monitor.reports import texts as T
from monitor.reports.model import FORMATS, Report
from monitor.reports.period import (
    Period,
    ReportInputError,
    Scope,
    resolve_scope,
)
from monitor.vi_format import moment

if TYPE_CHECKING:
    from monitor.reports.export import ExportResult
    from monitor.reports.verify import Verdict

Builder = Callable[[Engine, Settings, Period, Scope, datetime, argparse.Namespace, bool], Report]


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "report", help="xuất báo cáo cho thanh tra (Biểu II.06a, sổ trễ hạn, mức độ hài lòng)"
    )
    rsub = p.add_subparsers(dest="report_command", required=True, metavar="BÁO CÁO")
    f06a = _export_parser(rsub, "06a", "Biểu II.06a/VPCP/KSTT: tình hình, kết quả giải quyết TTHC")
    f06a.add_argument("--receiver", default=T.DEFAULT_RECEIVER, help="đơn vị nhận báo cáo")
    f06a.set_defaults(func=_run(_build_06a))
    reg = _export_parser(rsub, "register", "sổ theo dõi hồ sơ trễ hạn, đơn vị chịu trách nhiệm")
    reg.set_defaults(func=_run(_build_register))
    sat = _export_parser(rsub, "satisfaction", "mức độ hài lòng: chỉ số TT 01/2018, điểm 766")
    sat.set_defaults(func=_run(_build_satisfaction))
    ver = rsub.add_parser("verify", help="kiểm tra tệp XLSX/CSV đã xuất có bị sửa không")
    ver.add_argument("file", type=Path, help="tệp .xlsx hoặc .csv do motcua xuất")
    add_json_flag(ver)
    ver.set_defaults(func=cmd_verify)


def _export_parser(rsub: Any, name: str, help_text: str) -> argparse.ArgumentParser:
    p: argparse.ArgumentParser = rsub.add_parser(name, help=help_text)
    p.add_argument("--from", dest="start", required=True, help="ngày đầu kỳ (dd/mm/yyyy)")
    p.add_argument("--to", dest="end", required=True, help="ngày cuối kỳ (dd/mm/yyyy)")
    p.add_argument("--unit", help="mã đơn vị: báo cáo cho đơn vị và các đơn vị trực thuộc")
    p.add_argument("--format", choices=FORMATS, help="định dạng (mặc định: theo đuôi tệp -o)")
    p.add_argument("-o", "--output", type=Path, required=True, help="tệp ghi ra")
    p.add_argument("--as-user", help="xuất với quyền của tài khoản này (quản trị viên: không che)")
    add_json_flag(p)
    return p


def parse_day(text: str, option: str) -> date:
    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            continue
    raise UsageError(f"{option} '{text}' không phải ngày dạng dd/mm/yyyy.")


def _format(args: argparse.Namespace) -> str:
    fmt = args.format or args.output.suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        raise UsageError(f"Chọn --format trong {', '.join(FORMATS)} (hoặc đặt đuôi tệp -o).")
    if not args.output.parent.is_dir():
        raise UsageError(f"Thư mục '{args.output.parent}' không tồn tại.")
    return fmt


def _actor(engine: Engine, username: str | None) -> tuple[str, bool]:
    """The actor recorded in the audit log and whether personal data is masked."""
    if not username:
        return audit.cli_actor(), True
    with session_scope(engine) as s:
        user = s.execute(select(User.role, User.active).where(User.username == username)).first()
    if user is None or not user.active:
        raise UsageError(f"Không có tài khoản đang hoạt động '{username}'.")
    return username, user.role != Role.ADMIN


def _run(build: Builder) -> Callable[[argparse.Namespace], int]:
    def command(args: argparse.Namespace) -> int:
        from monitor.reports.export import export  # the writers load openpyxl and fpdf2

        fmt = _format(args)
        period_args = (parse_day(args.start, "--from"), parse_day(args.end, "--to"))
        conf = settings()
        engine = engine_for(conf)
        actor, masked = _actor(engine, args.as_user)
        try:
            period = Period(*period_args)
            scope = resolve_scope(engine, args.unit, T.SCOPE_ALL)
            report = build(engine, conf, period, scope, utcnow(), args, masked)
            result = export(engine, report, fmt, args.output, actor)
        except ReportInputError as exc:
            raise UsageError(str(exc)) from exc
        except OSError as exc:
            raise CommandError(f"Không ghi được tệp '{args.output}': {exc.strerror}") from exc
        _print_export(result, args.json)
        return 0

    return command


def _print_export(result: ExportResult, as_json: bool) -> None:
    if as_json:
        print_json(result.as_dict())
        return
    stamp = result.stamp
    rows = sum(int(t["rows"]) for t in stamp.tables or [])
    print(
        f"Đã xuất {stamp.title} ({result.format}) ra {result.path}: "
        f"{vi_format.integer(rows)} dòng dữ liệu."
    )
    print(f"SHA-256 dữ liệu: {stamp.sha256}")


def _build_06a(
    engine: Engine,
    conf: Settings,
    period: Period,
    scope: Scope,
    at: datetime,
    args: argparse.Namespace,
    masked: bool,
) -> Report:
    from monitor.reports import form06a

    return form06a.build(engine, conf, period, scope, at, receiver=args.receiver)


def _build_register(
    engine: Engine,
    conf: Settings,
    period: Period,
    scope: Scope,
    at: datetime,
    args: argparse.Namespace,
    masked: bool,
) -> Report:
    from monitor.reports import register

    return register.build(engine, conf, period, scope, at, masked=masked)


def _build_satisfaction(
    engine: Engine,
    conf: Settings,
    period: Period,
    scope: Scope,
    at: datetime,
    args: argparse.Namespace,
    masked: bool,
) -> Report:
    from monitor.reports import satisfaction

    return satisfaction.build(engine, conf, period, scope, at)


def cmd_verify(args: argparse.Namespace) -> int:
    from monitor.reports.verify import NotAnExport, check_audit, verify_file

    if not args.file.is_file():
        raise UsageError(f"Không có tệp '{args.file}'.")
    try:
        verdict = verify_file(args.file)
    except NotAnExport as exc:
        raise UsageError(str(exc)) from exc
    except (OSError, ValueError, KeyError) as exc:
        raise UsageError(f"Không đọc được tệp '{args.file}' như một tệp xuất.") from exc
    note = ""
    try:
        check_audit(engine_for(settings()), verdict)
    except DatabaseError:
        note = "Không kết nối được CSDL: chưa đối chiếu nhật ký xuất."
    ok = verdict.intact and (not verdict.audit_checked or verdict.stamp_matches_audit)
    if args.json:
        print_json({**verdict.as_dict(), "ok": ok, "note": note})
    else:
        _print_verdict(verdict, note)
    return 0 if ok else 1


def _print_verdict(v: Verdict, note: str) -> None:
    if not v.intact:
        print(f"TỆP ĐÃ BỊ THAY ĐỔI: {v.path}")
        print(f"  mã băm ghi trong tệp: {v.stored}")
        print(f"  mã băm tính lại:      {v.computed}")
        return
    print(f"Dữ liệu nguyên vẹn: {vi_format.integer(v.rows)} dòng, SHA-256 {v.computed}.")
    matching = [r for r in v.recorded if r["matches"]]
    if matching:
        first = matching[0]
        print(f"Đã ghi nhật ký xuất: {moment(first['at'])} bởi {first['actor']}.")
    elif v.recorded:
        print(
            "CẢNH BÁO: thông tin xuất trong tệp (báo cáo, tham số) khác với nhật ký xuất của "
            "mã băm này — phần thông tin đã bị sửa."
        )
    elif v.audit_checked:
        print(
            "CẢNH BÁO: mã băm không có trong nhật ký xuất — tệp có thể đã bị sửa rồi tính lại "
            "mã băm, hoặc được xuất từ một CSDL khác."
        )
    if note:
        print(note)
