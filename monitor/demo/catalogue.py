"""The procedures the simulated province handles, with how each field behaves.

Procedures and fields come from the shipped catalogue (data/catalogue, the same files
``motcua init`` seeds), so the demo's dossiers match the database. A field profile says how
much of the daily volume the field takes, how often its dossiers are late or sent back for
supplements, who resolves them, and which steps they go through. A few procedures are
deliberately missing from the catalogue: their dossiers carry their own legal time.
"""

from __future__ import annotations

import csv
import functools
from bisect import bisect
from dataclasses import dataclass
from itertools import accumulate
from pathlib import Path

from monitor.enums import TimeUnit
from monitor.seed import SEED_DIR

UNKNOWN_SHARE = 0.015  # dossiers whose procedure the catalogue does not know
LAND_FIELD = "G09-DD"  # Đất đai


@dataclass(frozen=True, slots=True)
class FieldProfile:
    share: float  # of the daily volume
    late: float  # base chance of finishing late (times the resolving unit's quality)
    overrun_days: float  # mean working days late, when late
    supplement: float  # chance of a supplement request
    department: str  # department key (province.py) resolving province-level procedures
    division: int  # its division doing the specialist work
    at_centre: float  # share of province-level dossiers received at the provincial centre
    online: float  # added to the day's online share
    business: float  # share of applicants that are businesses
    agency: float = 0.0  # share of applicants that are state agencies


PROFILES: dict[str, FieldProfile] = {
    "G09-DD": FieldProfile(0.20, 0.22, 5.0, 0.14, "NNMT", 0, 0.3, -0.05, 0.05),
    "G01-HT": FieldProfile(0.17, 0.008, 1.0, 0.04, "TP", 0, 0.0, -0.02, 0.0),
    "G02-CT": FieldProfile(0.22, 0.004, 1.0, 0.01, "TP", 0, 0.0, -0.25, 0.02),
    "G12-LLTP": FieldProfile(0.035, 0.05, 2.0, 0.03, "TP", 2, 0.95, 0.25, 0.0, 0.05),
    "G07-XD": FieldProfile(0.03, 0.12, 3.0, 0.15, "XD", 0, 0.8, 0.0, 0.3),
    "G11-DN": FieldProfile(0.04, 0.01, 1.0, 0.08, "TC", 0, 1.0, 0.35, 1.0),
    "G05-HKD": FieldProfile(0.04, 0.02, 1.0, 0.06, "TC", 0, 0.0, 0.05, 0.0),
    "G13-DB": FieldProfile(0.02, 0.04, 1.0, 0.03, "XD", 1, 1.0, 0.3, 0.7),
    "G14-VL": FieldProfile(0.04, 0.05, 2.0, 0.05, "NV", 0, 0.9, 0.1, 0.1),
    "G03-BTXH": FieldProfile(0.03, 0.04, 2.0, 0.04, "NV", 3, 0.0, -0.1, 0.0),
    "G04-NCC": FieldProfile(0.01, 0.08, 3.0, 0.05, "NV", 1, 0.8, -0.1, 0.0),
    "G10-MT": FieldProfile(0.005, 0.10, 5.0, 0.2, "NNMT", 1, 1.0, 0.1, 1.0),
    "G15-ATTP": FieldProfile(0.01, 0.05, 2.0, 0.1, "YT", 2, 1.0, 0.1, 0.8),
    "G16-DUOC": FieldProfile(0.008, 0.05, 3.0, 0.1, "YT", 0, 1.0, 0.1, 0.4),
    "G17-KCB": FieldProfile(0.006, 0.07, 3.0, 0.1, "YT", 1, 1.0, 0.05, 0.3),
    "G18-GDDT": FieldProfile(0.015, 0.01, 1.0, 0.02, "GD", 0, 1.0, 0.1, 0.0),
    "G19-VHDL": FieldProfile(0.006, 0.05, 2.0, 0.05, "VH", 0, 0.9, 0.0, 0.5),
    "G08-TM": FieldProfile(0.008, 0.05, 2.0, 0.06, "CT", 0, 0.9, 0.05, 0.7),
    "G06-TDKT": FieldProfile(0.012, 0.06, 3.0, 0.02, "NV", 2, 0.8, -0.2, 0.1, 0.8),
    # Fields of the procedures the catalogue lacks.
    "G20-TNN": FieldProfile(0.0, 0.10, 4.0, 0.2, "NNMT", 1, 1.0, 0.1, 1.0),
    "G21-TG": FieldProfile(0.0, 0.05, 2.0, 0.05, "DTTG", 0, 1.0, 0.0, 0.0, 0.3),
    "G22-KHCN": FieldProfile(0.0, 0.05, 2.0, 0.1, "KHCN", 0, 1.0, 0.2, 1.0),
}

# Procedures the demo uses but the catalogue does not list: their dossiers carry
# ThoiHanGiaiQuyet + DonViTinh, and two of them name a field the catalogue does not have.
_UNLISTED = (
    ("1.004253", "Cấp giấy phép khai thác, sử dụng nước dưới đất", "G20-TNN",
     "Tài nguyên nước", "province", 30.0, TimeUnit.CALENDAR_DAYS, True),
    ("1.001055", "Cấp Giấy phép kinh doanh dịch vụ lữ hành nội địa", "G19-VHDL",
     "Văn hóa và Du lịch", "province", 10.0, TimeUnit.WORKING_DAYS, True),
    ("1.001098", "Đăng ký hoạt động tín ngưỡng", "G21-TG",
     "Tín ngưỡng, tôn giáo", "province", 15.0, TimeUnit.WORKING_DAYS, False),
    ("2.002516", "Xác nhận thông tin hộ tịch", "G01-HT",
     "Hộ tịch", "commune", 3.0, TimeUnit.WORKING_DAYS, True),
    ("1.003596", "Cấp Giấy chứng nhận đăng ký hoạt động khoa học và công nghệ", "G22-KHCN",
     "Hoạt động khoa học và công nghệ", "province", 15.0, TimeUnit.WORKING_DAYS, True),
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class ProcedureSpec:
    code: str
    name: str
    field_code: str
    field_name: str
    level: str  # province / commune
    legal_amount: float
    legal_unit: TimeUnit
    has_fee: bool
    known: bool  # listed in the catalogue
    template: str  # step template (steps.py)
    profile: FieldProfile


def _template(field_code: str, level: str, has_fee: bool, amount: float) -> str:
    if field_code == LAND_FIELD:
        if level == "commune":
            return "land_commune_tax" if has_fee else "land_commune"
        return "land_tax" if has_fee and amount >= 7 else "land_simple"
    return "commune" if level == "commune" else "province"


def _spec(row: tuple[str, str, str, str, str, float, TimeUnit, bool], known: bool) -> ProcedureSpec:
    code, name, field_code, field_name, level, amount, unit, fee = row
    template = _template(field_code, level, fee, amount)
    return ProcedureSpec(
        code,
        name,
        field_code,
        field_name,
        level,
        amount,
        unit,
        fee,
        known,
        template,
        PROFILES[field_code],
    )


@dataclass(frozen=True)
class Catalogue:
    procedures: tuple[ProcedureSpec, ...]
    fields: dict[str, str]  # code → name, as in fields.csv
    _cum: tuple[float, ...]

    def pick(self, u: float) -> ProcedureSpec:
        """The procedure at quantile ``u`` (0 ≤ u < 1) of the daily mix."""
        return self.procedures[bisect(self._cum, u * self._cum[-1])]

    @property
    def known(self) -> list[ProcedureSpec]:
        return [p for p in self.procedures if p.known]


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@functools.cache
def load_catalogue(directory: Path = SEED_DIR / "catalogue") -> Catalogue:
    fields = {row["code"]: row["name"] for row in _read(directory / "fields.csv")}
    by_field: dict[str, list[ProcedureSpec]] = {}
    for row in _read(directory / "procedures.csv"):
        spec = _spec(
            (
                row["code"],
                row["name"],
                row["field_code"],
                fields[row["field_code"]],
                row["level"],
                float(row["legal_amount"]),
                TimeUnit(row["legal_unit"]),
                row["has_fee"] == "1",
            ),
            known=True,
        )
        by_field.setdefault(spec.field_code, []).append(spec)
    procedures: list[ProcedureSpec] = []
    weights: list[float] = []
    for code, specs in by_field.items():
        # Within a field the catalogue lists the common procedures first.
        ranks = [1 / (i + 1) ** 0.9 for i in range(len(specs))]
        total = sum(ranks)
        procedures += specs
        weights += [PROFILES[code].share * w / total for w in ranks]
    unlisted = [_spec(row, known=False) for row in _UNLISTED]
    known_total = sum(weights)
    procedures += unlisted
    weights += [known_total * UNKNOWN_SHARE / len(unlisted)] * len(unlisted)
    return Catalogue(tuple(procedures), fields, tuple(accumulate(weights)))
