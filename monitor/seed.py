"""Shipped seed data loaded by ``motcua init``: calendar overrides and the procedure catalogue.

Seeding only adds what is missing, so running it again changes nothing.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from monitor.db import session_scope
from monitor.models import CalendarDay, Field, Procedure

SEED_DIR = Path(__file__).resolve().parent.parent / "data"


def _rows(path: Path) -> Iterator[dict[str, str]]:
    if not path.exists():
        return
    with path.open(encoding="utf-8", newline="") as fh:
        yield from csv.DictReader(fh)


def seed_calendar(session: Session, path: Path) -> int:
    existing = {(d, s) for d, s in session.execute(select(CalendarDay.day, CalendarDay.scope))}
    added = 0
    for row in _rows(path):
        key = (date.fromisoformat(row["day"]), row.get("scope") or "*")
        if key not in existing:
            session.add(
                CalendarDay(day=key[0], scope=key[1], kind=row["kind"], note=row.get("note", ""))
            )
            existing.add(key)
            added += 1
    return added


def seed_catalogue(session: Session, directory: Path) -> tuple[int, int]:
    fields = {f.code: f for f in session.scalars(select(Field))}
    new_fields = 0
    for row in _rows(directory / "fields.csv"):
        if row["code"] not in fields:
            fields[row["code"]] = Field(
                code=row["code"], name=row["name"], is_land=row.get("is_land") == "1"
            )
            session.add(fields[row["code"]])
            new_fields += 1
    session.flush()
    known = set(session.scalars(select(Procedure.code)))
    new_procs = 0
    for row in _rows(directory / "procedures.csv"):
        if row["code"] in known:
            continue
        session.add(
            Procedure(
                code=row["code"],
                name=row["name"],
                field_id=fields[row["field_code"]].id,
                level=row["level"],
                legal_amount=float(row["legal_amount"]),
                legal_unit=row["legal_unit"],
                has_fee=row.get("has_fee") == "1",
            )
        )
        known.add(row["code"])
        new_procs += 1
    return new_fields, new_procs


def load_seeds(engine: Engine, seed_dir: Path = SEED_DIR) -> dict[str, int]:
    with session_scope(engine) as session:
        days = seed_calendar(session, seed_dir / "calendar_overrides.csv")
        fields, procedures = seed_catalogue(session, seed_dir / "catalogue")
    return {"ngày lịch": days, "lĩnh vực": fields, "thủ tục": procedures}
