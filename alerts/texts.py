"""Every Vietnamese word the alert package shows a person, in one place for review.

Layout (plain text and HTML) lives in alerts/render.py; this module only holds wording.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from alerts.kinds import Condition
from monitor import vi_format
from monitor.enums import AlertState, Breach, Severity
from monitor.reports.texts import TOPIC_NAMES

CONDITIONS: dict[Condition, str] = {
    Condition.DUE_SOON: "Hồ sơ sắp đến hạn",
    Condition.OVERDUE: "Hồ sơ quá hạn",
    Condition.BREACH: "Vi phạm quy định về hẹn trả",
    Condition.STEP_OVERDUE: "Bước xử lý quá hạn",
    Condition.STALE_SOURCE: "Nguồn dữ liệu ngừng cập nhật",
    Condition.URGENT_FEEDBACK: "Phản ánh khẩn",
    Condition.LOW_SATISFACTION_STREAK: "Nhiều đánh giá không hài lòng liên tiếp",
}

BREACHES: dict[Breach, str] = {
    Breach.LATE_WITHOUT_APOLOGY: "trễ hạn không có phiếu xin lỗi",
    Breach.APOLOGY_TOO_LATE: "phiếu xin lỗi gửi muộn",
    Breach.SECOND_RESCHEDULE: "hẹn lại ngày trả lần thứ hai",
    Breach.MISSED_NEW_DUE: "trễ cả ngày hẹn mới",
    Breach.INFLATED_APPOINTMENT: "ngày hẹn trả dài hơn thời hạn luật định",
    Breach.MULTIPLE_SUPPLEMENTS: "yêu cầu bổ sung nhiều lần",
}

SEVERITIES: dict[Severity, str] = {
    Severity.INFO: "Thông tin",
    Severity.WARNING: "Cảnh báo",
    Severity.CRITICAL: "Nghiêm trọng",
}

STATES: dict[AlertState, str] = {
    AlertState.OPEN: "Đang mở",
    AlertState.ACKNOWLEDGED: "Đã xác nhận",
    AlertState.SILENCED: "Tạm ẩn",
    AlertState.RESOLVED: "Đã kết thúc",
}


# -- dates, fast: titles are formatted for tens of thousands of dossiers per evaluation ------

_VN = timedelta(hours=7)  # Vietnam keeps UTC+7 all year


def day(t: datetime | None) -> str:
    """dd/mm/yyyy in Vietnam time (vi_format.day without strftime)."""
    if t is None:
        return ""
    v = t.astimezone(UTC) + _VN
    return f"{v.day:02d}/{v.month:02d}/{v.year}"


def moment(t: datetime | None) -> str:
    """dd/mm/yyyy HH:MM in Vietnam time."""
    if t is None:
        return ""
    v = t.astimezone(UTC) + _VN
    return f"{v.day:02d}/{v.month:02d}/{v.year} {v.hour:02d}:{v.minute:02d}"


# -- alert titles ------------------------------------------------------------------------------


def due_soon(code: str, due: datetime | None) -> str:
    return f"Hồ sơ {code} sắp đến hạn trả ({moment(due)})"


def overdue(code: str, due: datetime | None) -> str:
    return f"Hồ sơ {code} quá hạn trả (hạn {day(due)})"


def breach(code: str, kinds: list[Breach]) -> str:
    return f"Hồ sơ {code}: " + "; ".join(BREACHES[k] for k in kinds)


def step_overdue(code: str, unit_name: str, deadline: datetime | None) -> str:
    who = unit_name or "đơn vị xử lý"
    return f"Hồ sơ {code}: bước của {who} quá hạn (hạn bước {day(deadline)})"


def stale_source(name: str, last: datetime | None) -> str:
    when = moment(last) or "chưa lần nào"
    return f"Nguồn dữ liệu '{name}' không gửi dữ liệu (lần cuối: {when})"


def urgent_feedback(feedback_id: int, received: datetime | None, topic: str | None) -> str:
    about = f", chủ đề: {TOPIC_NAMES.get(topic, topic)}" if topic else ""
    return f"Phản ánh khẩn số {feedback_id} (nhận {moment(received)}{about})"


def low_satisfaction(officer: str, count: int, days: int) -> str:
    return f"Cán bộ {officer}: {count} đánh giá không hài lòng trong {days} ngày"


# -- grouped notifications ---------------------------------------------------------------------


def alerts_subject(count: int, critical: int) -> str:
    head = f"[Một cửa] {vi_format.integer(count)} cảnh báo cần xử lý"
    return f"{head} ({vi_format.integer(critical)} nghiêm trọng)" if critical else head


GREETING = "Kính gửi {name},"
ALERTS_INTRO = (
    "Hệ thống giám sát Bộ phận Một cửa ghi nhận các cảnh báo sau thuộc đơn vị của anh/chị:"
)
ALERTS_MORE = "… và {n} cảnh báo khác. Xem đầy đủ trong hộp thư cảnh báo:"
ALERTS_ESCALATED = "(đã chuyển lên cấp {level})"
ALERTS_OUTRO = (
    "Vui lòng xác nhận (hoặc tạm ẩn) cảnh báo trên bảng điều khiển; cảnh báo chưa được xác "
    "nhận sẽ được nhắc lại và chuyển lên lãnh đạo cấp trên."
)
OPEN_CONSOLE = "Mở bảng điều khiển"
VIEW_DOSSIER = "Xem hồ sơ"
SIGNATURE = "motcua-monitor — thư gửi tự động, vui lòng không trả lời."


def alert_line(severity: str, title: str, opened: datetime) -> str:
    label = SEVERITIES.get(Severity(severity), severity)
    return f"[{label}] {title} — từ {moment(opened)}"


# -- digest ------------------------------------------------------------------------------------


def digest_subject(when: datetime, overdue_n: int, due_soon_n: int) -> str:
    return (
        f"[Một cửa] Bản tin sáng {day(when)}: {vi_format.integer(overdue_n)} hồ sơ quá "
        f"hạn, {vi_format.integer(due_soon_n)} sắp đến hạn"
    )


DIGEST_COUNTS = "Đơn vị: {units}. Quá hạn: {overdue}. Sắp đến hạn: {due_soon}."
DIGEST_OLDEST = "Mười hồ sơ quá hạn lâu nhất:"
DIGEST_NO_OVERDUE = "Không có hồ sơ quá hạn."
DIGEST_CHANGES = "Thay đổi từ {since}:"
DIGEST_OPENED = "cảnh báo mới"
DIGEST_RESOLVED = "cảnh báo đã kết thúc"
DIGEST_NO_CHANGES = "Không có thay đổi."


def digest_dossier_line(code: str, procedure: str, due: datetime | None) -> str:
    name = f" — {procedure}" if procedure else ""
    return f"{code}{name} (hạn {day(due)})"


# -- notices to administrators -----------------------------------------------------------------


def channel_disabled_subject(name: str) -> str:
    return f"[Một cửa] Kênh thông báo '{name}' đã bị tắt"


def channel_disabled_body(name: str, failures: int, error: str) -> str:
    return (
        f"Kênh thông báo '{name}' gửi lỗi {failures} lần liên tiếp nên đã bị tắt. "
        f"Lỗi gần nhất: {error}\nCác thông báo chưa gửi được giữ lại và sẽ gửi khi kênh được "
        f"bật lại (motcua alerts channels enable {name})."
    )


# -- rule file errors --------------------------------------------------------------------------


def rule_error(rule: str, message: str) -> str:
    return f"Quy tắc cảnh báo '{rule}': {message}"


RULES_NOT_A_LIST = "[[alerts.rules]] phải là danh sách các quy tắc."
RULES_FILE_UNREADABLE = "Không đọc được tệp quy tắc cảnh báo {path}: {error}"
RULES_EMPTY = "Không có quy tắc cảnh báo nào."

# -- lifecycle errors (CLI and console) --------------------------------------------------------

NOT_FOUND = "Không có cảnh báo số {id}."
ALREADY_RESOLVED = "Cảnh báo số {id} đã kết thúc."
ALREADY_ACKNOWLEDGED = "Cảnh báo số {id} đã được xác nhận."
SILENCE_IN_PAST = "Thời điểm hết tạm ẩn phải ở sau thời điểm hiện tại."
NOTE_REQUIRED = "Cần ghi chú khi xác nhận cảnh báo."
REASON_REQUIRED = "Cần nêu lý do tạm ẩn cảnh báo."
