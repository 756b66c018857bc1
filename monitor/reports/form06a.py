"""Biểu II.06a/VPCP/KSTT (DOMAIN.md §7): one row per field, grouped by level, with totals.

Levels are the resolving unit's (the receiving unit's when none is recorded): the provincial
level (the province and its departments and divisions), the commune level, and — for history
before 01/7/2025 — districts without a successor. A retired district with a successor counts at
its successor's level, so that reports across the reorganisation add up.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, select

from monitor import __version__
from monitor.config import Settings
from monitor.db import session_scope
from monitor.models import Field, Unit
from monitor.reports import texts as T
from monitor.reports.counting import COUNTED, Tally, count_fast
from monitor.reports.model import Column, Kind, Report, Row, RowKind, Table
from monitor.reports.period import Period, Scope
from monitor.vi_format import day

NUMBER_COLUMNS = tuple(str(n) for n in range(3, 14))
SECTION_ORDER = ("province", "district", "commune", "unknown")


def columns() -> tuple[Column, ...]:
    groups = {
        **dict.fromkeys(("3", "4", "5", "6"), T.GROUP_RECEIVED),
        **dict.fromkeys(("7", "8", "9", "10"), T.GROUP_SETTLED),
        **dict.fromkeys(("11", "12", "13"), T.GROUP_IN_PROGRESS),
    }
    return (
        Column("stt", T.COL_06A["1"], Kind.TEXT, 6),
        Column("field", T.COL_06A["2"], Kind.TEXT, 38),
        *(Column(n, T.COL_06A[n], Kind.INT, 11, groups[n]) for n in NUMBER_COLUMNS),
    )


def with_totals(counts: dict[str, int]) -> dict[str, int]:
    """All eleven number columns from the eight counted ones, by the form's identities."""
    c = dict(counts)
    c["3"] = c["4"] + c["5"] + c["6"]
    c["7"] = c["8"] + c["9"] + c["10"]
    c["11"] = c["12"] + c["13"]
    return {k: c[k] for k in NUMBER_COLUMNS}


@dataclass(frozen=True)
class Catalogue:
    section_of_unit: dict[int, str]
    fields: dict[int, tuple[str, str]]  # id -> (code, name)

    @classmethod
    def load(cls, engine: Engine) -> Catalogue:
        with session_scope(engine) as s:
            units = s.execute(select(Unit.id, Unit.level, Unit.successor_id)).all()
            fields = s.execute(select(Field.id, Field.code, Field.name)).all()
        level = {uid: (lv, succ) for uid, lv, succ in units}
        return cls(
            {uid: _section(uid, level) for uid in level},
            {fid: (code, name) for fid, code, name in fields},
        )


def _section(uid: int, level: dict[int, tuple[str, int | None]]) -> str:
    seen: set[int] = set()
    current = uid
    while current in level and current not in seen:
        seen.add(current)
        lv, successor = level[current]
        if lv != "district" or successor is None:
            return T.LEVEL_OF_UNIT.get(lv, "unknown")
        current = successor
    return "unknown"


@dataclass(frozen=True)
class Grouped:
    """Counts per section and field name, in the form's order."""

    sections: list[tuple[str, list[tuple[str, dict[str, int]]]]]

    def total(self) -> dict[str, int]:
        out = dict.fromkeys(COUNTED, 0)
        for _key, rows in self.sections:
            for _name, counts in rows:
                for k in COUNTED:
                    out[k] += counts[k]
        return out


def group(tally: Tally, cat: Catalogue) -> Grouped:
    merged: dict[str, dict[tuple[str, str], dict[str, int]]] = {}
    for (unit, fld), counts in tally.cells.items():
        section = cat.section_of_unit.get(unit, "unknown") if unit is not None else "unknown"
        # Unknown fields sort last: "\uffff" is after any field code.
        code, name = cat.fields.get(fld, ("\uffff", T.NO_FIELD)) if fld else ("\uffff", T.NO_FIELD)
        into = merged.setdefault(section, {}).setdefault((code, name), dict.fromkeys(COUNTED, 0))
        for k in COUNTED:
            into[k] += counts[k]
    return Grouped(
        [
            (key, [(name, merged[key][(code, name)]) for code, name in sorted(merged[key])])
            for key in SECTION_ORDER
            if key in merged
        ]
    )


def rows(grouped: Grouped) -> Iterator[Row]:
    for i, (key, fields) in enumerate(grouped.sections):
        section = dict.fromkeys(COUNTED, 0)
        for _name, counts in fields:
            for k in COUNTED:
                section[k] += counts[k]
        yield _row(T.ROMAN[i], T.LEVEL_SECTIONS[key], section, RowKind.SECTION)
        for n, (name, counts) in enumerate(fields, start=1):
            yield _row(str(n), name, counts, RowKind.DATA)
    yield _row("", T.TOTAL, grouped.total(), RowKind.TOTAL)


def _row(stt: str, label: str, counts: dict[str, int], kind: RowKind) -> Row:
    numbers = with_totals(counts)
    return Row((stt, label, *(numbers[k] for k in NUMBER_COLUMNS)), kind)


def build(
    engine: Engine,
    settings: Settings,
    period: Period,
    scope: Scope,
    generated_at: datetime,
    receiver: str = T.DEFAULT_RECEIVER,
) -> Report:
    grouped = group(count_fast(engine, settings, period, scope), Catalogue.load(engine))
    table = Table("06a", "Biểu II.06a", columns(), rows(grouped), number_row=True)
    return Report(
        kind="06a",
        title=T.TITLE_06A,
        form_code=T.FORM_06A,
        header=[
            (T.REPORTING_UNIT, scope.unit_name),
            (T.RECEIVING_UNIT, receiver),
            (T.PERIOD, T.period_text(day(period.start), day(period.end))),
            (T.COUNT_UNIT, T.UNIT_OF_COUNT),
        ],
        tables=[table],
        params={
            "report": "06a",
            "from": period.start.isoformat(),
            "to": period.end.isoformat(),
            "unit": scope.unit_code,
            "receiver": receiver,
            "supplement_policy": settings.supplement_policy,
        },
        generated_at=generated_at,
        version=__version__,
    )
