"""``motcua dossiers``: dossiers with their due status as of a moment (no personal data)."""

from __future__ import annotations

import argparse
import csv
import sys
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, select

from monitor.cli.common import UsageError, engine_for, print_json, settings
from monitor.cli.when import parse_moment, vn_date
from monitor.db import session_scope
from monitor.deadlines.labels import BREACH_VI, DUE_STATUS_VI
from monitor.deadlines.listing import Filters, ListedDossier, list_dossiers
from monitor.enums import Breach, DueStatus
from monitor.models import Field
from monitor.units import subtree_ids, unit_id_by_code

COLUMNS = (
    "code",
    "status",
    "due_status",
    "due_at",
    "effective_due_at",
    "legal_due_at",
    "finished_at",
    "days_late",
    "responsible_units",
    "breaches",
    "procedure_code",
    "field_code",
    "unit_code",
)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("dossiers", help="danh sách hồ sơ và trạng thái hạn")
    p.add_argument("--as-of", help="tính đến thời điểm này (mặc định: bây giờ)")
    p.add_argument("--status", choices=[s.value for s in DueStatus], help="lọc theo trạng thái hạn")
    p.add_argument("--field", help="mã lĩnh vực")
    p.add_argument("--unit", help="mã đơn vị (gồm cả các đơn vị cấp dưới)")
    p.add_argument("--limit", type=int, default=100, help="số hồ sơ tối đa (0 = tất cả)")
    p.add_argument("--format", choices=["table", "json", "csv"], default="table")
    p.add_argument("--json", action="store_true", help="như --format json")
    p.set_defaults(func=cmd_dossiers)


def cmd_dossiers(args: argparse.Namespace) -> int:
    if args.limit < 0:
        raise UsageError("--limit không được âm.")
    as_of = parse_moment(args.as_of) if args.as_of else datetime.now(UTC)
    s = settings()
    engine = engine_for(s)
    filters = Filters(
        status=DueStatus(args.status) if args.status else None,
        field_id=_field_id(engine, args.field) if args.field else None,
        unit_ids=_unit_ids(engine, args.unit) if args.unit else None,
        limit=args.limit or None,
    )
    found = list_dossiers(engine, s, as_of, filters)
    fmt = "json" if args.json else args.format
    if fmt == "json":
        print_json([d.as_dict() for d in found])
    elif fmt == "csv":
        _write_csv(found)
    else:
        _print_table(found, as_of)
    return 0


def _field_id(engine: Engine, code: str) -> int:
    with session_scope(engine) as session:
        found = session.scalar(select(Field.id).where(Field.code == code))
    if found is None:
        raise UsageError(f"Không có lĩnh vực mã '{code}'.")
    return found


def _unit_ids(engine: Engine, code: str) -> frozenset[int]:
    root = unit_id_by_code(engine, code)
    if root is None:
        raise UsageError(f"Không có đơn vị mã '{code}'.")
    return frozenset(subtree_ids(engine, root))


def _write_csv(found: list[ListedDossier]) -> None:
    out = csv.writer(sys.stdout)
    out.writerow(COLUMNS)
    for d in found:
        doc = d.as_dict()
        out.writerow([_csv_value(doc[c]) for c in COLUMNS])


def _csv_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, list):
        return "; ".join(value)
    return "" if value is None else value


def _print_table(found: list[ListedDossier], as_of: datetime) -> None:
    print(f"Tính đến {vn_date(as_of)}: {len(found)} hồ sơ")
    header = ("Mã hồ sơ", "Trạng thái hạn", "Hạn trả", "Hẹn lại", "Hạn luật định", "Kết thúc")
    print(" | ".join(header) + " | Trễ (ngày LV) | Đơn vị chịu trách nhiệm | Vi phạm")
    for d in found:
        doc = d.as_dict()
        breaches = ", ".join(BREACH_VI[Breach(b)] for b in doc["breaches"])
        reset = doc["effective_due_at"] if doc["effective_due_at"] != doc["due_at"] else None
        row = (
            d.code,
            DUE_STATUS_VI[d.evaluation.due_status],
            vn_date(doc["due_at"]),
            vn_date(reset),
            vn_date(doc["legal_due_at"]),
            vn_date(doc["finished_at"]),
            str(doc["days_late"] or ""),
            ", ".join(doc["responsible_units"]),
            breaches,
        )
        print(" | ".join(row))
