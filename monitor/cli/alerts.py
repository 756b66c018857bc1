"""``motcua alerts list|ack|silence|resolve|evaluate|dispatch|digest`` (and, from
monitor.cli.alert_admin, ``rules`` and ``channels``)."""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any, TypeAlias

from alerts import texts
from alerts.digest import send_digest
from alerts.manual import AlertActionError, acknowledge, resolve, silence
from alerts.queries import alert_json, list_alerts
from alerts.rules import RuleError
from alerts.service import dispatch_notifications, evaluate_alerts, plan_notifications
from monitor import audit
from monitor.cli import alert_admin
from monitor.cli.common import UsageError, add_json_flag, engine_for, print_json, settings
from monitor.cli.when import parse_moment, vn_moment
from monitor.db import session_scope
from monitor.enums import AlertState, Severity
from monitor.models import Alert

Sub: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"


def register(sub: Sub) -> None:
    p = sub.add_parser("alerts", help="cảnh báo: liệt kê, xác nhận, tạm ẩn, kết thúc, gửi")
    asub = p.add_subparsers(dest="alerts_command", required=True, metavar="LỆNH")
    ls = asub.add_parser("list", help="liệt kê cảnh báo")
    ls.add_argument("--state", action="append", choices=[s.value for s in AlertState])
    ls.add_argument("--rule", help="chỉ các cảnh báo của quy tắc này")
    ls.add_argument("--limit", type=int, default=200, help="số cảnh báo tối đa (mặc định 200)")
    add_json_flag(ls)
    ls.set_defaults(func=cmd_list)
    ack = asub.add_parser("ack", help="xác nhận đã tiếp nhận xử lý một cảnh báo")
    ack.add_argument("id", type=int)
    ack.add_argument("--note", required=True, help="ghi chú (ai xử lý, xử lý thế nào)")
    add_json_flag(ack)
    ack.set_defaults(func=cmd_ack)
    sil = asub.add_parser("silence", help="tạm ẩn một cảnh báo đến một thời điểm")
    sil.add_argument("id", type=int)
    sil.add_argument("--until", required=True, help="dd/mm/yyyy HH:MM (giờ Việt Nam) hoặc ISO")
    sil.add_argument("--reason", required=True, help="lý do tạm ẩn")
    add_json_flag(sil)
    sil.set_defaults(func=cmd_silence)
    res = asub.add_parser("resolve", help="kết thúc một cảnh báo")
    res.add_argument("id", type=int)
    res.add_argument("--note", default="", help="ghi chú")
    add_json_flag(res)
    res.set_defaults(func=cmd_resolve)
    _register_stages(asub)
    alert_admin.register(asub)


def _register_stages(asub: Sub) -> None:
    ev = asub.add_parser("evaluate", help="chạy các quy tắc cảnh báo rồi lập thông báo")
    ev.add_argument("--as-of", help="tính đến thời điểm này (mặc định: bây giờ)")
    add_json_flag(ev)
    ev.set_defaults(func=cmd_evaluate)
    dp = asub.add_parser("dispatch", help="lập và gửi các thông báo đến hạn")
    dp.add_argument("--as-of", help="coi như bây giờ là thời điểm này")
    dp.add_argument("--loop", type=float, metavar="GIÂY", help="lặp lại sau mỗi số giây này")
    dp.add_argument("--for", dest="duration", type=float, metavar="GIÂY", help="lặp trong ...")
    add_json_flag(dp)
    dp.set_defaults(func=cmd_dispatch)
    dg = asub.add_parser("digest", help="xếp bản tin buổi sáng vào hàng gửi")
    dg.add_argument("--as-of", help="coi như bây giờ là thời điểm này")
    add_json_flag(dg)
    dg.set_defaults(func=cmd_digest)


def _now(args: argparse.Namespace) -> datetime:
    return parse_moment(args.as_of) if getattr(args, "as_of", None) else datetime.now(UTC)


@contextmanager
def _rules_as_usage() -> Iterator[None]:
    try:
        yield
    except RuleError as exc:
        raise UsageError(str(exc)) from exc


def cmd_list(args: argparse.Namespace) -> int:
    if args.limit < 1:
        raise UsageError("--limit phải lớn hơn 0.")
    with session_scope(engine_for(settings())) as s:
        found = [
            alert_json(a) for a in list_alerts(s, args.state or (), args.rule, None, args.limit)
        ]
    if args.json:
        print_json({"alerts": found, "count": len(found)})
        return 0
    if not found:
        print("Không có cảnh báo nào.")
    for a in found:
        state = texts.STATES.get(AlertState(a["state"]), a["state"])
        severity = texts.SEVERITIES.get(Severity(a["severity"]), a["severity"])
        print(f"#{a['id']:<6} {state:<12} {severity:<12} {vn_moment(a['opened_at'])}  {a['title']}")
    return 0


def _act(args: argparse.Namespace, action: Callable[..., None], *extra: Any) -> int:
    """Run a person's action on one alert; audited as cli:<user>."""
    engine = engine_for(settings())
    try:
        with session_scope(engine) as s:
            action(s, args.id, audit.cli_actor(), *extra, datetime.now(UTC))
    except AlertActionError as exc:
        raise UsageError(str(exc)) from exc
    with session_scope(engine) as s:
        alert = s.get(Alert, args.id)
        assert alert is not None
        doc = alert_json(alert)
    if args.json:
        print_json(doc)
    else:
        print(f"Cảnh báo #{args.id}: {texts.STATES[AlertState(doc['state'])].lower()}.")
    return 0


def cmd_ack(args: argparse.Namespace) -> int:
    return _act(args, acknowledge, args.note)


def cmd_silence(args: argparse.Namespace) -> int:
    return _act(args, silence, parse_moment(args.until), args.reason)


def cmd_resolve(args: argparse.Namespace) -> int:
    def by_hand(s: Any, alert_id: int, actor: str, now: datetime) -> None:
        resolve(s, alert_id, actor, now, args.note)

    return _act(args, by_hand)


def cmd_evaluate(args: argparse.Namespace) -> int:
    s, now = settings(), _now(args)
    engine = engine_for(s)
    with _rules_as_usage():
        result = evaluate_alerts(engine, s, now)
        planned = plan_notifications(engine, s, now)
    doc = {**result, "plan": planned.as_json()}
    if args.json:
        print_json(doc)
    else:
        print(
            f"Cảnh báo tính đến {vn_moment(now)}: {result['opened']} mới, "
            f"{result['reopened']} mở lại, {result['resolved']} đã kết thúc; "
            f"{planned.messages} thông báo được lập."
        )
    return 0


def cmd_dispatch(args: argparse.Namespace) -> int:
    s = settings()
    engine = engine_for(s)
    if args.loop is not None and args.loop <= 0:
        raise UsageError("--loop phải lớn hơn 0.")
    stop = time.monotonic() + (args.duration or 0)
    totals: dict[str, dict[str, int]] = {}
    with _rules_as_usage():
        while True:
            done = dispatch_notifications(engine, s, _now(args))
            for stage, counts in done.items():
                for k, v in counts.items():
                    totals.setdefault(stage, {}).setdefault(k, 0)
                    totals[stage][k] += v
            if args.loop is None or (args.duration and time.monotonic() >= stop):
                break
            time.sleep(args.loop)
    if args.json:
        print_json(totals)
    else:
        d = totals["dispatch"]
        print(f"Đã gửi {d['sent']} thông báo; {d['failed']} lần gửi lỗi sẽ được thử lại.")
    return 0


def cmd_digest(args: argparse.Namespace) -> int:
    s, now = settings(), _now(args)
    with _rules_as_usage():
        result = send_digest(engine_for(s), s, now)
    if args.json:
        print_json(result)
    elif not result["working_day"]:
        print("Hôm nay không phải ngày làm việc: không gửi bản tin.")
    else:
        print(f"Đã xếp {result['queued']} bản tin vào hàng gửi.")
    return 0
