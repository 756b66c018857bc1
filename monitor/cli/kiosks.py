"""``motcua kiosks add|list|revoke``: the devices allowed to send ratings."""

from __future__ import annotations

import argparse
from typing import Any

from monitor import audit
from monitor.cli.common import UsageError, add_json_flag, engine_for, print_json, settings
from monitor.db import session_scope
from monitor.models import utcnow
from monitor.vi_format import moment


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("kiosks", help="thiết bị kiosk đánh giá (cấp mã, liệt kê, thu hồi)")
    ksub = p.add_subparsers(dest="kiosks_command", required=True, metavar="LỆNH")
    add = ksub.add_parser("add", help="đăng ký thiết bị và cấp mã (chỉ hiện một lần)")
    add.add_argument("name", help="tên thiết bị, ví dụ 'Kiosk quầy 3'")
    add.add_argument("--unit", required=True, help="mã đơn vị (trung tâm phục vụ hành chính công)")
    add.add_argument("--counter", help="quầy đặt thiết bị, ví dụ 'Quầy 3'")
    add.add_argument("--officer", help="mã cán bộ trực quầy")
    add_json_flag(add)
    add.set_defaults(func=cmd_add)
    ls = ksub.add_parser("list", help="liệt kê thiết bị")
    add_json_flag(ls)
    ls.set_defaults(func=cmd_list)
    rv = ksub.add_parser("revoke", help="thu hồi mã của thiết bị")
    rv.add_argument("device_id", type=int, metavar="SỐ", help="số thiết bị (xem kiosks list)")
    add_json_flag(rv)
    rv.set_defaults(func=cmd_revoke)


def _row(d: Any) -> dict[str, Any]:
    return {
        "id": d.id,
        "name": d.name,
        "unit": d.unit_code,
        "unit_name": d.unit_name,
        "counter": d.counter,
        "officer": d.officer_name,
        "created_at": d.created_at,
        "revoked_at": d.revoked_at,
        "last_seen_at": d.last_seen_at,
        "active": d.active,
    }


def cmd_add(args: argparse.Namespace) -> int:
    from surveys.devices import DeviceError, add_device

    name = args.name.strip()
    if not name or len(name) > 128:
        raise UsageError("Tên thiết bị phải có từ 1 đến 128 ký tự.")
    with session_scope(engine_for(settings())) as s:
        try:
            device, token = add_device(
                s,
                name,
                args.unit,
                counter=args.counter,
                officer_code=args.officer,
                actor=audit.cli_actor(),
                now=utcnow(),
            )
        except DeviceError as exc:
            raise UsageError(str(exc)) from exc
    if args.json:
        print_json({**_row(device), "token": token})
    else:
        print(f"Đã đăng ký thiết bị #{device.id} '{device.name}' tại {device.unit_name}.")
        print(f"Mã thiết bị (chỉ hiện lần này, nhập vào máy tại /kiosk#setup): {token}")
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    from surveys.devices import list_devices

    with session_scope(engine_for(settings())) as s:
        devices = list_devices(s)
    if args.json:
        print_json([_row(d) for d in devices])
        return 0
    if not devices:
        print("Chưa có thiết bị nào.")
    for d in devices:
        state = "đã thu hồi " + moment(d.revoked_at) if d.revoked_at else "đang hoạt động"
        seen = moment(d.last_seen_at) if d.last_seen_at else "chưa kết nối"
        where = " · ".join(x for x in (d.unit_name, d.counter, d.officer_name) if x)
        print(f"#{d.id} {d.name} — {where} — {state}; lần cuối: {seen}")
    return 0


def cmd_revoke(args: argparse.Namespace) -> int:
    from surveys.devices import DeviceError, revoke_device

    with session_scope(engine_for(settings())) as s:
        try:
            changed = revoke_device(s, args.device_id, actor=audit.cli_actor(), now=utcnow())
        except DeviceError as exc:
            raise UsageError(str(exc)) from exc
    if args.json:
        print_json({"id": args.device_id, "revoked": True, "changed": changed})
    else:
        print(
            f"Đã thu hồi thiết bị #{args.device_id}."
            if changed
            else "Thiết bị đã bị thu hồi trước đó."
        )
    return 0
