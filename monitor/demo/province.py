"""The simulated province after the 2025 reorganisation: its unit tree and who works where.

Tỉnh An Hòa (fictional, code suffix H99): the provincial People's Committee, its provincial
public service centre, twelve departments (Sở) with a few divisions each, the provincial tax
office, 40 communes and wards valid from 01/7/2025, and the five districts that were retired
that day, each mapped by ``successor`` onto the commune that took over its seat.

``quality`` multiplies a unit's chance of finishing late (1 = ordinary; a few units are much
worse, some better); ``size`` is a commune's share of the commune-level work; ``area`` is the
former district a commune belongs to, which also decides its land-registration branch.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import date

from monitor.enums import UnitLevel

SUFFIX = "H99"
PROVINCE_NAME = "tỉnh An Hòa"
REORGANISED = date(2025, 7, 1)  # communes replace districts (Luật Tổ chức CQĐP 2025)


@dataclass(frozen=True, slots=True)
class UnitSpec:
    code: str
    name: str
    level: UnitLevel
    parent: str | None
    short: str  # used in officer codes: H99-<short>-NN
    valid_from: date | None = None
    valid_to: date | None = None
    successor: str | None = None
    quality: float = 1.0
    size: float = 1.0
    area: int = 0


@dataclass(frozen=True, slots=True)
class Department:
    key: str
    unit: UnitSpec
    divisions: tuple[UnitSpec, ...]


def _code(a: int, b: int) -> str:
    return f"000.{a:02d}.{b:02d}.{SUFFIX}"


PROVINCE = UnitSpec(_code(0, 0), "Ủy ban nhân dân tỉnh An Hòa", UnitLevel.PROVINCE, None, "UB")
CENTRE = UnitSpec(
    _code(0, 1),
    "Trung tâm Phục vụ hành chính công tỉnh An Hòa",
    UnitLevel.DEPARTMENT,
    PROVINCE.code,
    "TT",
)

# (number, key, name, quality, divisions as (name, quality)); key names the department in
# the field profiles. Sở Xây dựng is the department that is much later than the others.
_DEPARTMENTS: tuple[tuple[int, str, str, float, tuple[tuple[str, float], ...]], ...] = (
    (10, "NV", "Sở Nội vụ", 1.0, (
        ("Phòng Việc làm - An toàn lao động", 1.0), ("Phòng Người có công", 1.2),
        ("Phòng Thi đua - Khen thưởng", 0.8), ("Phòng Bảo trợ xã hội", 1.0))),
    (11, "TP", "Sở Tư pháp", 0.7, (
        ("Phòng Hành chính tư pháp", 0.7), ("Phòng Bổ trợ tư pháp", 0.8),
        ("Phòng Lý lịch tư pháp", 0.9))),
    (12, "TC", "Sở Tài chính", 0.6, (
        ("Phòng Đăng ký kinh doanh", 0.5), ("Phòng Quản lý giá và công sản", 1.0))),
    (13, "CT", "Sở Công Thương", 1.0, (
        ("Phòng Quản lý thương mại", 1.0), ("Phòng Kỹ thuật an toàn - Môi trường", 1.1))),
    (14, "NNMT", "Sở Nông nghiệp và Môi trường", 1.1, (
        ("Văn phòng Đăng ký đất đai", 1.0), ("Chi cục Bảo vệ môi trường", 1.3),
        ("Phòng Quản lý đất đai", 1.2), ("Chi cục Quản lý chất lượng nông lâm thủy sản", 1.0))),
    (15, "XD", "Sở Xây dựng", 3.0, (
        ("Phòng Quản lý hoạt động xây dựng", 3.2), ("Phòng Quản lý vận tải, phương tiện và "
         "người lái", 2.0), ("Phòng Quản lý kết cấu hạ tầng giao thông", 2.5))),
    (16, "YT", "Sở Y tế", 1.0, (
        ("Phòng Nghiệp vụ Dược", 1.0), ("Phòng Nghiệp vụ Y", 1.2),
        ("Chi cục An toàn vệ sinh thực phẩm", 0.9))),
    (17, "GD", "Sở Giáo dục và Đào tạo", 0.7, (
        ("Phòng Quản lý chất lượng", 0.7), ("Phòng Giáo dục trung học", 0.6))),
    (18, "VH", "Sở Văn hóa, Thể thao và Du lịch", 0.9, (
        ("Phòng Quản lý văn hóa và gia đình", 0.9), ("Phòng Quản lý du lịch", 0.8))),
    (19, "KHCN", "Sở Khoa học và Công nghệ", 0.8, (
        ("Phòng Quản lý công nghệ", 0.8), ("Phòng Bưu chính - Viễn thông", 0.8))),
    (20, "DTTG", "Sở Dân tộc và Tôn giáo", 1.0, (("Phòng Tôn giáo", 1.0),)),
    (21, "VP", "Văn phòng Ủy ban nhân dân tỉnh", 0.8, (
        ("Phòng Kiểm soát thủ tục hành chính", 0.8),)),
    (22, "THUE", "Thuế tỉnh An Hòa", 1.1, (
        ("Thuế cơ sở 1 tỉnh An Hòa", 1.0), ("Thuế cơ sở 2 tỉnh An Hòa", 1.8),
        ("Thuế cơ sở 3 tỉnh An Hòa", 1.0))),
)  # fmt: skip
LAND_OFFICE_BRANCHES = 5  # Chi nhánh Văn phòng Đăng ký đất đai khu vực I–V, one per area
_ROMAN = ("I", "II", "III", "IV", "V")
_BRANCH_QUALITY = (1.2, 0.9, 1.7, 1.0, 1.1)

# The five former districts, and the eight communes or wards formed in each of them. The first
# commune of an area took over the district's seat (its successor).
_AREAS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Thành phố An Hòa", ("Phường An Hòa", "Phường Bình Minh", "Phường Phú Thịnh",
     "Phường Tân An", "Phường Hòa Khánh", "Phường Quang Trung", "Phường Đông Hải",
     "Phường Nam Thành")),
    ("Thị xã Bình Sơn", ("Phường Bình Sơn", "Phường Sơn Trung", "Xã Bình Hòa", "Xã Bình Thạnh",
     "Xã Tịnh Phong", "Xã Sơn Lộc", "Xã Bình Đông", "Xã Bình Tân")),
    ("Huyện Phú Lộc", ("Xã Phú Lộc", "Xã Lộc An", "Xã Lộc Thủy", "Xã Vinh Hưng", "Xã Phú Hải",
     "Xã Lộc Điền", "Xã Phú Xuân", "Xã Lộc Sơn")),
    ("Huyện Tân Thạnh", ("Xã Tân Thạnh", "Xã Tân Hiệp", "Xã Tân Lập", "Xã Hưng Điền",
     "Xã Nhơn Hòa", "Xã Tân Phước", "Xã Kiến Bình", "Xã Tân Hòa")),
    ("Huyện Vân Sơn", ("Xã Vân Sơn", "Xã Sơn Thủy", "Xã Sơn Kỳ", "Xã Long Môn", "Xã Thanh An",
     "Xã Đồng Lâm", "Xã Minh Long", "Xã Hòa Sơn")),
)  # fmt: skip
_AREA_SIZE = (2.6, 1.5, 0.9, 0.8, 0.6)  # urban wards receive far more than mountain communes
# The communes that are much later than the rest, and some that are better.
_COMMUNE_QUALITY = {"Phường Đông Hải": 2.6, "Xã Tân Hiệp": 3.0, "Xã Sơn Kỳ": 3.4,
                    "Phường Bình Minh": 0.5, "Xã Lộc An": 0.5, "Xã Tân Lập": 0.6}  # fmt: skip


@dataclass(frozen=True)
class Province:
    province: UnitSpec
    centre: UnitSpec
    departments: dict[str, Department]
    branches: tuple[UnitSpec, ...]  # land-registration branches, by area 1..5
    districts: tuple[UnitSpec, ...]  # retired on 01/7/2025, by area 1..5
    communes: tuple[UnitSpec, ...]
    by_code: dict[str, UnitSpec] = field(default_factory=dict)

    @property
    def units(self) -> list[UnitSpec]:
        """Every unit, parents before children."""
        out = [self.province, self.centre]
        for dept in self.departments.values():
            out.append(dept.unit)
            out.extend(dept.divisions)
        out.extend(self.branches)
        out.extend(self.communes)
        out.extend(self.districts)
        return out

    def division(self, key: str, index: int) -> UnitSpec:
        return self.departments[key].divisions[index]

    def commune_level_unit(self, commune: UnitSpec, day: date) -> UnitSpec:
        """Who did a commune's work on ``day``: the commune, or before 01/7/2025 its district."""
        return commune if day >= REORGANISED else self.districts[commune.area - 1]


def _departments() -> dict[str, Department]:
    out: dict[str, Department] = {}
    for number, key, name, quality, divisions in _DEPARTMENTS:
        unit = UnitSpec(
            _code(0, number), name, UnitLevel.DEPARTMENT, PROVINCE.code, key, quality=quality
        )
        subs = tuple(
            UnitSpec(
                _code(number, i + 1), sub, UnitLevel.DIVISION, unit.code, f"{key}{i + 1}", quality=q
            )
            for i, (sub, q) in enumerate(divisions)
        )
        out[key] = Department(key, unit, subs)
    return out


def _branches(land_office_parent: str) -> tuple[UnitSpec, ...]:
    return tuple(
        UnitSpec(
            _code(14, 11 + i),
            f"Chi nhánh Văn phòng Đăng ký đất đai khu vực {_ROMAN[i]}",
            UnitLevel.DIVISION,
            land_office_parent,
            f"CN{i + 1}",
            quality=_BRANCH_QUALITY[i],
            area=i + 1,
        )
        for i in range(LAND_OFFICE_BRANCHES)
    )


def _communes() -> tuple[UnitSpec, ...]:
    out = []
    for a, (_, names) in enumerate(_AREAS):
        for j, name in enumerate(names):
            n = 40 + a * 8 + j
            jitter = ((n * 37) % 11) / 10  # 0.0–1.0, fixed: no randomness in the tree
            out.append(
                UnitSpec(
                    _code(n, 0),
                    name,
                    UnitLevel.COMMUNE,
                    PROVINCE.code,
                    f"X{n}",
                    valid_from=REORGANISED,
                    quality=_COMMUNE_QUALITY.get(name, 0.75 + jitter / 2),
                    size=_AREA_SIZE[a] * (0.6 + jitter * 0.8) * (1.5 if j == 0 else 1.0),
                    area=a + 1,
                )
            )
    return tuple(out)


def _districts(communes: tuple[UnitSpec, ...]) -> tuple[UnitSpec, ...]:
    return tuple(
        UnitSpec(
            _code(30 + a, 0),
            name,
            UnitLevel.DISTRICT,
            PROVINCE.code,
            f"H{30 + a}",
            valid_to=REORGANISED,
            successor=communes[a * 8].code,
            quality=1.3 if a in (0, 3) else 1.0,
            area=a + 1,
        )
        for a, (name, _) in enumerate(_AREAS)
    )


@functools.cache
def build_province() -> Province:
    departments = _departments()
    communes = _communes()
    land_office = departments["NNMT"].divisions[0]
    p = Province(
        PROVINCE,
        CENTRE,
        departments,
        _branches(land_office.code),
        _districts(communes),
        communes,
    )
    p.by_code.update({u.code: u for u in p.units})
    return p
