"""Every user-facing string of the exports, in one place so the wording can be reviewed."""

from __future__ import annotations

from monitor.enums import UnitLevel

# -- Biểu II.06a/VPCP/KSTT (Thông tư 01/2020) ----------------------------------------------------
FORM_06A = "Biểu số II.06a/VPCP/KSTT"
TITLE_06A = "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT TTHC TẠI CƠ QUAN, ĐƠN VỊ TRỰC TIẾP GIẢI QUYẾT TTHC"
GROUP_RECEIVED = "Số hồ sơ nhận giải quyết"
GROUP_SETTLED = "Số hồ sơ đã giải quyết"
GROUP_IN_PROGRESS = "Số hồ sơ đang giải quyết"
COL_06A = {
    "1": "STT",
    "2": "Lĩnh vực, công việc giải quyết theo cấp",
    "3": "Tổng số",
    "4": "Trực tuyến (trong kỳ)",
    "5": "Trực tiếp, dịch vụ bưu chính (trong kỳ)",
    "6": "Từ kỳ trước chuyển qua",
    "7": "Tổng số",
    "8": "Trước hạn",
    "9": "Đúng hạn",
    "10": "Quá hạn",
    "11": "Tổng số",
    "12": "Trong hạn",
    "13": "Quá hạn",
}
LEVEL_SECTIONS: dict[str, str] = {
    "province": "Cấp tỉnh",
    "district": "Cấp huyện (trước 01/7/2025)",
    "commune": "Cấp xã",
    "unknown": "Chưa xác định cấp",
}
LEVEL_OF_UNIT: dict[str, str] = {
    UnitLevel.PROVINCE: "province",
    UnitLevel.DEPARTMENT: "province",
    UnitLevel.DIVISION: "province",
    UnitLevel.DISTRICT: "district",
    UnitLevel.COMMUNE: "commune",
}
ROMAN = ("I", "II", "III", "IV", "V")
TOTAL = "Tổng cộng"
NO_FIELD = "Chưa xác định lĩnh vực"
UNIT_OF_COUNT = "Hồ sơ"

# -- header block and signatures ----------------------------------------------------------------
REPORTING_UNIT = "Đơn vị báo cáo"
RECEIVING_UNIT = "Đơn vị nhận báo cáo"
DEFAULT_RECEIVER = "Văn phòng Ủy ban nhân dân tỉnh"
PERIOD = "Kỳ báo cáo"
COUNT_UNIT = "Đơn vị tính"
SCOPE_ALL = "Toàn tỉnh"
SIGN_PREPARER = "Người lập biểu"
SIGN_HEAD = "Thủ trưởng đơn vị"
SIGN_PREPARER_HINT = "(Ký, ghi rõ họ tên)"
SIGN_HEAD_HINT = "(Ký tên, đóng dấu)"
GENERATED = "Lập lúc {at} bởi motcua-monitor {version} · SHA-256 dữ liệu: {sha}"
PAGE = "Trang {page}/{pages}"
PDF_TOO_LONG = (
    "Bản PDF sẽ dài quá {pages} trang: hãy xuất XLSX hoặc CSV, hoặc thu hẹp kỳ báo cáo, đơn vị."
)


def period_text(start: str, end: str) -> str:
    return f"Từ ngày {start} đến ngày {end}"


# -- the late-dossier register ------------------------------------------------------------------
TITLE_REGISTER = "SỔ THEO DÕI HỒ SƠ TRỄ HẠN"
REGISTER_SHEET = "Hồ sơ trễ hạn"
COL_REGISTER = {
    "stt": "STT",
    "code": "Mã hồ sơ",
    "procedure": "Thủ tục hành chính",
    "field": "Lĩnh vực",
    "unit": "Đơn vị giải quyết",
    "applicant": "Chủ hồ sơ",
    "phone": "Số điện thoại",
    "received": "Ngày tiếp nhận",
    "due": "Hạn trả ban đầu",
    "reset_due": "Hạn trả hẹn lại",
    "finished": "Ngày kết thúc xử lý",
    "returned": "Ngày trả kết quả",
    "state": "Tình trạng",
    "days_late": "Số ngày làm việc trễ",
    "responsible": "Đơn vị chịu trách nhiệm",
    "steps": "Bước xử lý trễ",
    "apology": "Tình trạng xin lỗi",
    "rating": "Đánh giá của người dân",
}
GROUP_DUE = "Hạn trả"
GROUP_DONE = "Kết quả"
STATE_LATE = "Đã giải quyết quá hạn"
STATE_OVERDUE = "Đang giải quyết quá hạn"
APOLOGY_IN_TIME = "Xin lỗi đúng hạn"
APOLOGY_TOO_LATE = "Xin lỗi muộn"
APOLOGY_MISSING = "Không có phiếu xin lỗi"
APOLOGY_SECOND = "Hẹn lại lần hai"
APOLOGY_MISSED_NEW = "Trễ cả ngày hẹn lại"
APOLOGY_ISSUED = "Đã có phiếu xin lỗi"
STEP_LATE = "{unit}: hạn {deadline}, {done}"
STEP_DONE = "xong {at}"
STEP_OPEN = "chưa xong"
RATING_LEVELS = {1: "Không hài lòng", 2: "Hài lòng", 3: "Rất hài lòng"}
MASKED_NOTE = "Dữ liệu cá nhân đã được che (chỉ quản trị viên được xuất đầy đủ)."
UNMASKED_NOTE = "Có dữ liệu cá nhân: việc xuất đã được ghi nhật ký kiểm toán."

# -- the satisfaction report --------------------------------------------------------------------
TITLE_SATISFACTION = "BÁO CÁO MỨC ĐỘ HÀI LÒNG CỦA NGƯỜI DÂN, DOANH NGHIỆP"
SHEET_UNITS = "Chỉ số theo đơn vị"
SHEET_OFFICERS = "Chỉ số theo cán bộ"
SHEET_766 = "Điểm hài lòng 766"
SHEET_TOPICS = "Chủ đề phản ánh"
COL_UNIT = "Đơn vị"
COL_OFFICER = "Cán bộ"
COL_INDEX = "Chỉ số {n}"
COL_TOTAL = "Tổng điểm"
COL_CLASS = "Xếp loại"
COL_RATINGS = "Số lượt đánh giá"
COL_TOPIC = "Chủ đề"
COL_COUNT = "Số phản ánh"
COL_SHARE = "Tỷ lệ (%)"
GROUP_INDICES = "Chỉ số theo Thông tư 01/2018"
TOPIC_NAMES = {
    "processing_time": "Thời gian giải quyết, trễ hẹn",
    "staff_attitude": "Thái độ, hướng dẫn của cán bộ",
    "procedure": "Thủ tục, giấy tờ",
    "corruption": "Tiêu cực, nhũng nhiễu",
    "online_service": "Dịch vụ công trực tuyến",
    "facilities": "Cơ sở vật chất",
    "fees": "Phí, lệ phí",
    "other": "Khác",
}
NO_TOPIC = "Chưa phân loại"
COL_766_LATE = "Tỷ lệ hồ sơ trễ hạn (%)"
COL_766_COMPLAINTS = "Tỷ lệ phản ánh, không hài lòng (%)"
COL_766_RATE = "Mức độ hài lòng (%)"
COL_766_POINTS = "Điểm (tối đa 6)"
