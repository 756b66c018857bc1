"""Put the simulated province into a database: its units and counter officers, if missing.

Existing rows are left as they are (matched by code), so this can run any number of times.
"""

from __future__ import annotations

from sqlalchemy import Engine, select

from monitor.db import session_scope
from monitor.demo.province import build_province
from monitor.demo.staff import counter_officers
from monitor.models import Officer, Unit


def ensure_province(engine: Engine) -> tuple[int, int]:
    """Create the province's missing units and officers; returns how many of each."""
    province = build_province()
    with session_scope(engine) as s:
        ids = {code: uid for code, uid in s.execute(select(Unit.code, Unit.id))}
        new_units = 0
        # Parents come before children, and communes before the districts they succeed.
        for spec in province.units:
            if spec.code in ids:
                continue
            unit = Unit(
                code=spec.code,
                name=spec.name,
                level=spec.level.value,
                parent_id=ids.get(spec.parent) if spec.parent else None,
                valid_from=spec.valid_from,
                valid_to=spec.valid_to,
                successor_id=ids.get(spec.successor) if spec.successor else None,
            )
            s.add(unit)
            s.flush()
            ids[spec.code] = unit.id
            new_units += 1
        known = set(s.scalars(select(Officer.code)))
        new_officers = 0
        for officer in counter_officers():
            if officer.code in known:
                continue
            s.add(
                Officer(
                    code=officer.code,
                    name=officer.name,
                    unit_id=ids[officer.unit_code],
                    counter=officer.counter,
                )
            )
            new_officers += 1
    return new_units, new_officers
