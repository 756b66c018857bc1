"""Vietnamese wording of the overview, the late-dossier list and the dossier timeline, in one
place for review (page headings stay with the pages)."""

from __future__ import annotations

from monitor.enums import Channel
from monitor.reports.texts import LEVEL_SECTIONS

LEVELS: dict[str, str] = LEVEL_SECTIONS  # the levels as Biểu 06a groups them

CHANNELS: dict[int, str] = {
    Channel.IN_PERSON: "Trực tiếp",
    Channel.ONLINE: "Trực tuyến",
    Channel.POSTAL: "Bưu chính",
}

NO_FIELD = "Chưa xác định lĩnh vực"
NO_UNIT = "Chưa xác định đơn vị"

# Weekly trend series.
SERIES_ON_TIME = "Giải quyết đúng hạn"
SERIES_ONLINE = "Nộp trực tuyến"
SERIES_SATISFIED = "Hài lòng"
SERIES_RECEIVED = "Tiếp nhận"
SERIES_FINISHED = "Đã giải quyết"
SERIES_FINISHED_LATE = "Giải quyết trễ hạn"
WEEK_OF = "Tuần từ"
SHARE = "Tỷ lệ"
COUNT = "Số hồ sơ"

# Step verdicts on the timeline.
STEP_EARLY = "Trước hạn"
STEP_ON_TIME = "Đúng hạn"
STEP_LATE = "Trễ hạn"
STEP_RUNNING = "Đang xử lý"
STEP_RUNNING_LATE = "Đang xử lý – quá hạn"
STEP_NO_DEADLINE = "Không có hạn"
STEP_NOT_DONE = "Chưa ghi nhận hoàn thành"
STEP_ALLOTTED = "Thời gian được giao"
STEP_ACTUAL = "Thời gian thực tế"

APOLOGY_IN_TIME = "Trước ngày hẹn trả"
APOLOGY_TOO_LATE = "Muộn (từ ngày hẹn trả trở đi)"

LEVEL_WORDS = {3: "Rất hài lòng", 2: "Hài lòng", 1: "Không hài lòng"}
CRITERIA: dict[str, str] = {
    "a": "a) Thời gian trả kết quả",
    "b": "b) Số cơ quan phải liên hệ",
    "c": "c) Số lần đến nơi tiếp nhận",
    "d": "d) Thông tin thủ tục được công khai",
    "dd": "đ) Thái độ của cán bộ",
    "e": "e) Kết quả, chi phí đúng quy định",
    "g": "g) Trả lời phản ánh, kiến nghị",
    "h": "h) Dịch vụ công trực tuyến",
    "i": "i) Khác",
}
