"""A planned dossier as the national sync JSON shows it at one moment (docs/national-format.md).

Only what has happened by ``as_of`` is shown: later steps, supplements and letters are left
out, a running step has no done time, and the status follows from the facts shown.
"""

from __future__ import annotations

from typing import Any

from monitor.calendar import DAY_S, VN_OFFSET_S, from_eday
from monitor.demo.clock import OfficeClock
from monitor.demo.story import End, StepPlan, Story
from monitor.demo.wording import REFUSAL_CONTENT, STEP_OUTCOMES
from monitor.enums import DossierStatus, TimeUnit

UNIT_NAMES = {
    TimeUnit.WORKING_DAYS: "Ngày làm việc",
    TimeUnit.CALENDAR_DAYS: "Ngày",
    TimeUnit.HOURS: "Giờ",
}
_RUNNING = STEP_OUTCOMES["running"]
_AWAITING = STEP_OUTCOMES["awaiting_return"]


class Renderer:
    def __init__(self, clock: OfficeClock) -> None:
        self.clock = clock
        self._days: dict[int, str] = {}
        self._times: dict[int, str] = {}
        # Positions render without going through instants: the working day's date, then the
        # time of day of the office offset (one string per office second).
        self._per_day = clock.per_day
        self._pos_days: dict[int, str] = {}
        self._pos_times = [_hhmmss(clock.office_time_of_day(off)) for off in range(clock.per_day)]

    def stamp(self, t: int) -> str:
        """``yyyyMMddHHmmss`` in Vietnam time."""
        d, sod = divmod(t + VN_OFFSET_S, DAY_S)
        day = self._days.get(d)
        if day is None:
            day = self._days[d] = from_eday(d).strftime("%Y%m%d")
        tod = self._times.get(sod)
        if tod is None:
            tod = self._times[sod] = _hhmmss(sod)
        return day + tod

    def at(self, pos: int) -> str:
        """``stamp`` of a position."""
        i, off = divmod(pos, self._per_day)
        day = self._pos_days.get(i)
        if day is None:
            day = self._pos_days[i] = from_eday(self.clock.days[i]).strftime("%Y%m%d")
        return day + self._pos_times[off]

    def cutoff(self, as_of: int) -> int:
        """The last position at or before instant ``as_of``."""
        pos = self.clock.position(as_of)
        return pos if self.clock.instant(pos) == as_of else pos - 1

    def record(self, s: Story, as_of: int, cutoff: int) -> dict[str, Any] | None:
        """The dossier as of ``as_of`` (``cutoff`` = self.cutoff(as_of)), or None if it does
        not exist yet."""
        if s.received_pos > cutoff:
            if s.channel == 2 and s.submitted <= as_of:
                return self._head(s, DossierStatus.REGISTERED, {})
            return None
        if s.end == End.REFUSED:
            return self._refused(s, cutoff)
        dates = {"NgayTiepNhan": self.stamp(s.received)}
        if s.due is not None:
            dates["NgayHenTra"] = self.stamp(s.due)
        if s.end_pos <= cutoff:
            dates["NgayKetThucXuLy"] = self.at(s.end_pos)
        if s.returned_pos is not None and s.returned_pos <= cutoff:
            dates["NgayTra"] = self.at(s.returned_pos)
        rec = self._head(s, self._status(s, cutoff), dates)
        rec["NguoiTiepNhan"] = s.officer.code
        rec["QuaTrinhXuLy"] = [self._step(st, cutoff) for st in s.steps if st.start <= cutoff]
        supplements = [self._supplement(sup, cutoff) for sup in s.supplements]
        if any(supplements):
            rec["DanhSachHoSoBoSung"] = [sup for sup in supplements if sup]
        letters = [a for a in s.apologies if a.issued <= cutoff]
        if letters:
            rec["DanhSachXinLoi"] = [
                {
                    "NgayXinLoi": self.at(a.issued),
                    "NgayHenTraMoi": self.stamp(a.new_due),
                    "LyDo": a.reason,
                }
                for a in letters
            ]
        return rec

    def _status(self, s: Story, cutoff: int) -> DossierStatus:
        if s.end_pos <= cutoff:
            if s.end == End.WITHDRAWN:
                return DossierStatus.WITHDRAWN
            if s.end == End.STOPPED:
                return DossierStatus.STOPPED
            if s.returned_pos is not None and s.returned_pos <= cutoff:
                return DossierStatus.RETURNED
            return DossierStatus.FINISHED
        for sup in s.supplements:
            if sup.requested <= cutoff and (sup.completed is None or sup.completed > cutoff):
                return DossierStatus.SUPPLEMENT_REQUESTED
        if s.payment is not None and s.payment[0] <= cutoff < s.payment[1]:
            return DossierStatus.FINANCIAL_OBLIGATION
        if len(s.steps) > 1 and s.steps[1].start <= cutoff:
            return DossierStatus.PROCESSING
        return DossierStatus.ACCEPTED

    def _head(self, s: Story, status: DossierStatus, dates: dict[str, str]) -> dict[str, Any]:
        """The dossier's own fields, in the order of the format's description."""
        proc, a = s.proc, s.applicant
        rec: dict[str, Any] = {
            "MaHoSo": s.code,
            "MaTTHC": proc.code,
            "TenTTHC": proc.name,
            "MaLinhVuc": proc.field_code,
            "TenLinhVuc": proc.field_name,
            "KenhThucHien": s.channel,
            "ChuHoSo": a.name,
            "SoDienThoai": a.phone,
        }
        if a.email is not None:
            rec["Email"] = a.email
        rec["SoGiayToChuHoSo"] = a.id_number
        rec["LoaiDoiTuong"] = a.kind
        rec["TrichYeuHoSo"] = s.summary
        rec["NgayNopHoSo"] = self.stamp(s.submitted)
        rec.update(dates)
        rec["TrangThaiHoSo"] = int(status)
        rec["DonViXuLy"] = s.resolver.code
        rec["TenDonViXuLy"] = s.resolver.name
        rec["DonViTiepNhan"] = s.receiver.code
        if not proc.known:
            amount = proc.legal_amount
            rec["ThoiHanGiaiQuyet"] = int(amount) if amount.is_integer() else amount
            rec["DonViTinh"] = UNIT_NAMES[proc.legal_unit]
        rec["DuocThanhToanTrucTuyen"] = s.flags[0]
        rec["HoSoCoThanhPhanSoHoa"] = s.flags[1]
        rec["TaiKhoanDuocXacThucVoiVNeID"] = s.flags[2]
        return rec

    def _refused(self, s: Story, cutoff: int) -> dict[str, Any]:
        if s.end_pos > cutoff:
            return self._head(s, DossierStatus.REGISTERED, {})
        ended = self.at(s.end_pos)
        rec = self._head(s, DossierStatus.NOT_ACCEPTED, {"NgayKetThucXuLy": ended})
        rec["QuaTrinhXuLy"] = [
            {
                "MaPhongBanXuLy": s.receiver.code,
                "PhongBanXuLy": s.receiver.name,
                "NguoiXuLy": s.officer.name,
                "NoiDungXuLy": REFUSAL_CONTENT,
                "TrangThai": STEP_OUTCOMES["refused"],
                "NgayBatDau": self.stamp(s.received),
                "ThoiDiemXuLy": ended,
            }
        ]
        return rec

    def _step(self, st: StepPlan, cutoff: int) -> dict[str, Any]:
        done = st.done <= cutoff
        step: dict[str, Any] = {
            "MaPhongBanXuLy": st.unit.code,
            "PhongBanXuLy": st.unit.name,
            "NguoiXuLy": st.person,
            "ChucDanh": st.title,
            "NoiDungXuLy": st.content,
            "TrangThai": st.outcome if done else (_AWAITING if st.role == "return" else _RUNNING),
            "NgayBatDau": self.at(st.start),
        }
        if done:
            step["ThoiDiemXuLy"] = self.at(st.done)
        if st.allot is not None:
            step["NgayKetThucTheoQuyDinh"] = self.at(st.start + st.allot)
        return step

    def _supplement(self, sup: Any, cutoff: int) -> dict[str, Any] | None:
        if sup.requested > cutoff:
            return None
        out = {
            "NgayBoSung": self.at(sup.requested),
            "NgayHenTraTruoc": self.stamp(sup.previous_due),
        }
        if sup.completed is not None and sup.completed <= cutoff:
            out["NgayTiepNhanBoSung"] = self.at(sup.completed)
            if sup.new_due is not None:
                out["NgayHenTraMoi"] = self.stamp(sup.new_due)
        return out


def _hhmmss(sod: int) -> str:
    h, rest = divmod(sod, 3600)
    return f"{h:02d}{rest // 60:02d}{rest % 60:02d}"
