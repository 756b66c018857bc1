"""Who works in the simulated province: counter officers (rows in ``officers``) and the named
specialists and leaders that appear in processing steps.

Names are drawn from a Random seeded by the unit code, so they do not depend on the demo seed:
the same officer keeps the same name and code in every run.
"""

from __future__ import annotations

import functools
import zlib
from dataclasses import dataclass
from random import Random

from monitor.demo.people import person_name
from monitor.demo.province import Province, UnitSpec, build_province
from monitor.enums import UnitLevel

CENTRE_COUNTERS_PER_DEPARTMENT = 2
CENTRE_GENERAL_COUNTERS = 4


@dataclass(frozen=True, slots=True)
class CounterOfficer:
    code: str  # H99-<unit short>-NN: what NguoiTiepNhan carries
    name: str
    unit_code: str
    counter: str  # "Quầy 03"
    attitude: float  # 1 = ordinary; above 1 draws complaints about attitude at the kiosk


@dataclass(frozen=True, slots=True)
class Staff:
    specialists: tuple[str, ...]
    leader: str
    leader_title: str
    specialist_title: str


def _rng(label: str) -> Random:
    return Random(zlib.crc32(label.encode()))


def _attitude(code: str) -> float:
    # About one officer in twelve is the one citizens complain about.
    return 2.5 if zlib.crc32(code.encode()) % 12 == 0 else 1.0


def _officers_of(unit: UnitSpec, n: int) -> list[CounterOfficer]:
    r = _rng(f"officers:{unit.code}")
    out = []
    for i in range(1, n + 1):
        code = f"H99-{unit.short}-{i:02d}"
        out.append(
            CounterOfficer(code, person_name(r), unit.code, f"Quầy {i:02d}", _attitude(code))
        )
    return out


@functools.cache
def counter_officers() -> tuple[CounterOfficer, ...]:
    """Officers at the counters: the provincial centre, each commune, each former district."""
    p = build_province()
    n_centre = len(p.departments) * CENTRE_COUNTERS_PER_DEPARTMENT + CENTRE_GENERAL_COUNTERS
    out = _officers_of(p.centre, n_centre)
    for commune in p.communes:
        out += _officers_of(commune, 2 + round(commune.size * 1.3))
    for district in p.districts:
        out += _officers_of(district, 6)
    return tuple(out)


@functools.cache
def officer_pools() -> dict[str, tuple[CounterOfficer, ...]]:
    """Counter officers by unit code; at the provincial centre also by department key
    (``<centre code>/<key>``): each department has its own counters there."""
    p = build_province()
    pools: dict[str, list[CounterOfficer]] = {}
    for officer in counter_officers():
        pools.setdefault(officer.unit_code, []).append(officer)
    centre = pools[p.centre.code]
    k = CENTRE_COUNTERS_PER_DEPARTMENT
    for i, key in enumerate(p.departments):
        general = centre[len(p.departments) * k :]
        pools[f"{p.centre.code}/{key}"] = centre[i * k : (i + 1) * k] + general[i % 2 :: 2]
    return {code: tuple(officers) for code, officers in pools.items()}


def _titles(unit: UnitSpec, p: Province) -> tuple[str, str]:
    if unit.level == UnitLevel.COMMUNE:
        kind = "phường" if unit.name.startswith("Phường") else "xã"
        return f"Phó Chủ tịch UBND {kind}", "Công chức chuyên môn"
    if unit.level == UnitLevel.DISTRICT:
        return "Phó Chủ tịch UBND", "Chuyên viên"
    if unit.code == p.centre.code:
        return "Phó Giám đốc Trung tâm", "Công chức tiếp nhận"
    if unit.level == UnitLevel.DEPARTMENT:
        return "Phó Giám đốc Sở", "Chuyên viên"
    return "Trưởng phòng" if unit.name.startswith("Phòng") else "Phó Giám đốc", "Chuyên viên"


@functools.cache
def staff_of(code: str) -> Staff:
    """The specialists and the signing leader of a unit (stable across runs)."""
    p = build_province()
    unit = p.by_code[code]
    r = _rng(f"staff:{code}")
    specialists = tuple(person_name(r) for _ in range(4))
    leader_title, specialist_title = _titles(unit, p)
    return Staff(specialists, person_name(r), leader_title, specialist_title)
