"""Every sentence the rating service shows a citizen or an admin, in one place for review."""

from __future__ import annotations

SERVICE_TITLE = "Đánh giá mức độ hài lòng"
KIOSK_TITLE = "Đánh giá sự phục vụ tại Bộ phận Một cửa"
FORM_TITLE = "Đánh giá việc giải quyết hồ sơ"

LEVELS = {3: "Rất hài lòng", 2: "Hài lòng", 1: "Không hài lòng"}
OVERALL_QUESTION = "Nhìn chung, Ông/Bà hài lòng với việc giải quyết hồ sơ ở mức nào?"
OVERALL_LABEL = "Mức hài lòng chung"
COMMENT_LABEL = "Ý kiến góp ý (không bắt buộc)"
SUBMIT = "Gửi đánh giá"

THANKS_TITLE = "Cảm ơn Ông/Bà đã đánh giá!"
THANKS_BODY = "Ý kiến của Ông/Bà giúp chúng tôi phục vụ tốt hơn."
ALREADY_RATED_TITLE = "Hồ sơ này đã được đánh giá"
ALREADY_RATED_BODY = (
    "Mỗi hồ sơ chỉ được đánh giá một lần và đánh giá của hồ sơ này đã được ghi nhận. "
    "Xin cảm ơn Ông/Bà."
)
BAD_LINK_TITLE = "Đường dẫn đánh giá không hợp lệ"
BAD_LINK_BODY = (
    "Đường dẫn này không đúng hoặc đã bị thay đổi. Vui lòng quét lại mã QR trên phiếu hẹn "
    "trả kết quả."
)
EXPIRED_LINK_TITLE = "Đường dẫn đánh giá đã hết hạn"
EXPIRED_LINK_BODY = (
    "Thời hạn đánh giá qua đường dẫn này đã hết. Ông/Bà có thể đánh giá tại máy đánh giá ở "
    "Bộ phận Một cửa."
)
UNKNOWN_DOSSIER_TITLE = "Không tìm thấy hồ sơ"
UNKNOWN_DOSSIER_BODY = "Chưa tìm thấy hồ sơ có mã này trong hệ thống. Vui lòng thử lại sau."
CSRF_TITLE = "Phiên làm việc đã hết hạn"
CSRF_BODY = "Biểu mẫu đã hết hạn hoặc không hợp lệ. Vui lòng mở lại đường dẫn đánh giá và gửi lại."
RATE_LIMITED_TITLE = "Quá nhiều yêu cầu"
RATE_LIMITED_BODY = (
    "Ông/Bà đã gửi quá nhiều yêu cầu trong thời gian ngắn. Vui lòng thử lại sau ít phút."
)
INVALID_TITLE = "Thông tin đánh giá chưa hợp lệ"
SERVER_ERROR_TITLE = "Hệ thống đang bận"
SERVER_ERROR_BODY = "Chưa ghi nhận được đánh giá. Vui lòng thử lại sau ít phút."
BACK_HINT = "Ông/Bà có thể đóng trang này."

PROGRESS_TITLE = "Tình hình giải quyết hồ sơ"
PROGRESS_CODE = "Mã hồ sơ"
PROGRESS_PROCEDURE = "Thủ tục"
PROGRESS_STATUS = "Trạng thái"
PROGRESS_RECEIVED = "Ngày tiếp nhận"
PROGRESS_DUE = "Ngày hẹn trả kết quả"
PROGRESS_FINISHED = "Ngày giải quyết xong"
PROGRESS_RETURNED = "Ngày trả kết quả"
PROGRESS_TIMELINESS = "Tiến độ"
DUE_STATUS_VI = {
    "early": "Giải quyết trước hạn",
    "on_time": "Giải quyết đúng hạn",
    "late": "Giải quyết quá hạn",
    "in_time": "Đang giải quyết, trong hạn",
    "due_soon": "Đang giải quyết, sắp đến hạn",
    "overdue": "Đang giải quyết, đã quá hạn",
    "waiting_citizen": "Chờ bổ sung hoặc thực hiện nghĩa vụ tài chính",
    "withdrawn": "Đã rút hồ sơ",
    "stopped": "Dừng xử lý",
    "not_accepted": "Không được tiếp nhận",
}

# JSON API error messages (the "message" of {"error": {"code", "message"}}).
API_ERRORS = {
    "unauthorized": "Thiếu hoặc sai mã thiết bị (Authorization: Bearer <mã thiết bị>).",
    "revoked": "Thiết bị đã bị thu hồi quyền gửi đánh giá.",
    "rate_limited": "Quá nhiều yêu cầu; thử lại sau.",
    "validation_error": "Dữ liệu đánh giá không hợp lệ.",
    "already_rated": "Hồ sơ này đã được đánh giá; mỗi hồ sơ chỉ được đánh giá một lần.",
    "unknown_dossier": "Không tìm thấy hồ sơ có mã này.",
    "too_large": "Yêu cầu quá lớn.",
    "not_found": "Không có địa chỉ này.",
    "server_error": "Chưa ghi nhận được đánh giá do lỗi hệ thống; hãy gửi lại.",
}

# The kiosk page's messages ({n}, {code}, {total}, {seconds} are filled in by kiosk.js).
KIOSK_MESSAGES = {
    "queued": "{n} đánh giá đang chờ gửi",
    "officer": "Cán bộ: {name}",
    "step": "Câu {n}/{total}",
    "countdown": "Màn hình sẽ trở về trang đầu sau {seconds} giây.",
    "code_missing": "Vui lòng nhập hoặc quét mã hồ sơ.",
    "code_unknown": "Không tìm thấy hồ sơ mã {code}. Vui lòng kiểm tra lại.",
    "code_rated": "Hồ sơ {code} đã được đánh giá. Xin cảm ơn Ông/Bà.",
    "token_refused": "Mã thiết bị không đúng hoặc đã bị thu hồi.",
}
