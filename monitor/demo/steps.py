"""The processing steps a dossier goes through, per kind of procedure.

Each template lists the steps between reception and signature with the share of the legal time
allotted to each (the "Phiếu kiểm soát quá trình giải quyết hồ sơ" splits it the same way) and
how likely that step is to be the one that makes a late dossier late. Land dossiers are handed
between units (liên thông): the commune or centre, the land-registration branch, the tax office.
The return of the result to the citizen is added after the last of these, with no allotted
time of its own.
"""

from __future__ import annotations

from dataclasses import dataclass

from monitor.demo.catalogue import LAND_FIELD, ProcedureSpec
from monitor.demo.province import Province, UnitSpec


@dataclass(frozen=True, slots=True)
class StepKind:
    role: str  # reception / expert / branch / tax / leader
    share: float  # of the legal time
    blame: float  # weight of being the late step of a late dossier
    content: str  # NoiDungXuLy


_RECEPTION = StepKind("reception", 0.05, 0.0, "Tiếp nhận hồ sơ, chuyển xử lý")
_EXPERT = StepKind("expert", 0.65, 0.8, "Thẩm định hồ sơ, dự thảo kết quả giải quyết")
_SIGN = StepKind("leader", 0.25, 0.2, "Phê duyệt, ký kết quả giải quyết")
_LAND_CHECK = StepKind("expert", 0.45, 0.55, "Kiểm tra hồ sơ, cập nhật biến động đất đai")
_TAX = StepKind("tax", 0.25, 0.3, "Xác định và thông báo nghĩa vụ tài chính")
_LAND_SIGN = StepKind("leader", 0.25, 0.15, "Ký cấp, chỉnh lý Giấy chứng nhận")
_COMMUNE_CHECK = StepKind("expert", 0.30, 0.3, "Kiểm tra hồ sơ, xác nhận hiện trạng thửa đất")
_BRANCH = StepKind("branch", 0.30, 0.35, "Trích đo địa chính, kiểm tra hồ sơ địa chính")

TEMPLATES: dict[str, tuple[StepKind, ...]] = {
    "commune": (
        StepKind("reception", 0.10, 0.0, _RECEPTION.content),
        StepKind("expert", 0.60, 0.75, _EXPERT.content),
        StepKind("leader", 0.30, 0.25, _SIGN.content),
    ),
    "province": (_RECEPTION, StepKind("expert", 0.70, 0.8, _EXPERT.content), _SIGN),
    "land_simple": (_RECEPTION, StepKind("expert", 0.70, 0.8, _LAND_CHECK.content), _LAND_SIGN),
    "land_tax": (_RECEPTION, _LAND_CHECK, _TAX, _LAND_SIGN),
    "land_commune": (
        _RECEPTION,
        StepKind("expert", 0.35, 0.35, _COMMUNE_CHECK.content),
        StepKind("branch", 0.40, 0.45, _BRANCH.content),
        StepKind("leader", 0.20, 0.2, "Phê duyệt, ký cấp Giấy chứng nhận"),
    ),
    "land_commune_tax": (
        _RECEPTION,
        _COMMUNE_CHECK,
        _BRANCH,
        StepKind("tax", 0.15, 0.15, _TAX.content),
        StepKind("leader", 0.20, 0.2, "Phê duyệt, ký cấp Giấy chứng nhận"),
    ),
}
SUPPLEMENT_RECEPTION = "Tiếp nhận hồ sơ bổ sung"
RETURN_CONTENT = "Trả kết quả giải quyết cho tổ chức, cá nhân"

# Which tax office serves which area (former district).
_TAX_OFFICE_BY_AREA = (0, 0, 1, 2, 2)


def tax_office(p: Province, area: int) -> UnitSpec:
    return p.division("THUE", _TAX_OFFICE_BY_AREA[max(area, 1) - 1])


def expert_unit(p: Province, proc: ProcedureSpec, resolver: UnitSpec) -> UnitSpec:
    """Who does the specialist work: the division of the department, the land branch itself,
    or the commune."""
    if proc.level == "commune" or proc.field_code == LAND_FIELD:
        return resolver
    prof = proc.profile
    return p.division(prof.department, prof.division)


def resolving_unit(p: Province, proc: ProcedureSpec, local: UnitSpec) -> UnitSpec:
    """DonViXuLy: the commune (or district) for commune-level procedures; the land branch of
    the area for land; else the department."""
    if proc.level == "commune":
        return local
    if proc.field_code == LAND_FIELD:
        return p.branches[max(local.area, 1) - 1]
    return p.departments[proc.profile.department].unit


def step_unit(
    p: Province, kind: StepKind, proc: ProcedureSpec, receiver: UnitSpec, resolver: UnitSpec
) -> UnitSpec:
    if kind.role == "reception":
        return receiver
    if kind.role == "expert":
        return expert_unit(p, proc, resolver)
    if kind.role == "branch":
        return p.branches[max(resolver.area, 1) - 1]
    if kind.role == "tax":
        return tax_office(p, resolver.area)
    return resolver  # the leader signs for the resolving unit
