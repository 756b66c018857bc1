"""The Vietnamese wording of the simulated province's records, in one place for review."""

from __future__ import annotations

RECEIVING_TITLE = "Công chức tiếp nhận và trả kết quả"

# TrangThai of a step once it is over (or while it runs).
STEP_OUTCOMES = {
    "done": "Hoàn thành",
    "running": "Đang xử lý",
    "supplement": "Yêu cầu bổ sung hồ sơ",
    "withdrawn": "Công dân rút hồ sơ",
    "stopped": "Dừng xử lý",
    "refused": "Từ chối tiếp nhận",
    "returned": "Đã trả kết quả",
    "awaiting_return": "Chờ trả kết quả",
}
REFUSAL_CONTENT = "Kiểm tra hồ sơ trực tuyến: hồ sơ không đủ điều kiện tiếp nhận"

# LyDo of an apology letter, by the kind of step that made the dossier late.
APOLOGY_REASONS: dict[str, tuple[str, ...]] = {
    "expert": (
        "Hồ sơ phức tạp, cần xác minh thêm thông tin",
        "Số lượng hồ sơ tiếp nhận tăng đột biến, cán bộ thụ lý không kịp xử lý",
        "Cán bộ thụ lý nghỉ ốm đột xuất",
        "Phải lấy ý kiến của cơ quan có liên quan",
        "Hệ thống phần mềm một cửa điện tử gặp sự cố",
    ),
    "branch": (
        "Phải đo đạc, xác minh hiện trạng thửa đất",
        "Hồ sơ địa chính lưu trữ chưa đầy đủ, phải tra cứu bổ sung",
        "Chưa thống nhất ranh giới thửa đất với các hộ liền kề",
    ),
    "tax": (
        "Chờ cơ quan thuế xác định nghĩa vụ tài chính",
        "Cơ quan thuế chậm chuyển thông báo nghĩa vụ tài chính",
    ),
    "leader": (
        "Lãnh đạo đi công tác, chưa ký duyệt kịp kết quả",
        "Kết quả phải trình xin ý kiến cấp trên",
    ),
}

# TrichYeuHoSo of land dossiers names the parcel.
LAND_SUMMARY = "{name}: thửa đất số {parcel}, tờ bản đồ số {sheet}"
