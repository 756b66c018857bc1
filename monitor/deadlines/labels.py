"""Vietnamese wording of due statuses and breaches, in one place for review."""

from __future__ import annotations

from monitor.enums import Breach, DueStatus

DUE_STATUS_VI: dict[DueStatus, str] = {
    DueStatus.EARLY: "Trước hạn",
    DueStatus.ON_TIME: "Đúng hạn",
    DueStatus.LATE: "Trễ hạn",
    DueStatus.IN_TIME: "Trong hạn",
    DueStatus.DUE_SOON: "Sắp đến hạn",
    DueStatus.OVERDUE: "Quá hạn",
    DueStatus.WAITING_CITIZEN: "Chờ công dân",
    DueStatus.WITHDRAWN: "Đã rút",
    DueStatus.STOPPED: "Dừng xử lý",
    DueStatus.NOT_ACCEPTED: "Không tiếp nhận",
}

BREACH_VI: dict[Breach, str] = {
    Breach.LATE_WITHOUT_APOLOGY: "Trễ hạn không có phiếu xin lỗi",
    Breach.APOLOGY_TOO_LATE: "Phiếu xin lỗi ban hành muộn",
    Breach.SECOND_RESCHEDULE: "Hẹn lại lần thứ hai",
    Breach.MISSED_NEW_DUE: "Không trả đúng ngày hẹn lại",
    Breach.INFLATED_APPOINTMENT: "Ngày hẹn vượt thời hạn luật định",
    Breach.MULTIPLE_SUPPLEMENTS: "Yêu cầu bổ sung nhiều lần",
}

WEEKDAY_VI = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật")
