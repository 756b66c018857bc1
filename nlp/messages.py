"""Every user-facing string of ``motcua nlp``, in one place so the wording can be reviewed."""

from __future__ import annotations

PROG = "motcua nlp"
DESCRIPTION = "Phân loại phản ánh, kiến nghị: cảm xúc, chủ đề, mức khẩn cấp"

HELP_TRAIN = "huấn luyện mô hình (mặc định: mô hình trong ngành từ data/feedback)"
HELP_EVAL = "đánh giá mô hình trên một tệp TSV có nhãn"
HELP_CLASSIFY = "phân loại một hoặc nhiều văn bản"
HELP_DATA = "tệp TSV có cột text và các cột nhãn (có thể nêu nhiều tệp)"
HELP_DEV = "tệp TSV dùng để chọn mô hình (mặc định: tách 20% theo hàm băm)"
HELP_LABELS = "các cột nhãn, cách nhau bởi dấu phẩy (mặc định: sentiment,topic,urgent)"
HELP_OUT = "thư mục ghi mô hình (bắt buộc khi có --data)"
HELP_VIEWS = "các kiểu đặc trưng để thử: syllable, char, word (mặc định: syllable)"
HELP_MODEL = "thư mục mô hình hoặc kho mô hình (mặc định: data/models/feedback)"
HELP_TEXT = "văn bản cần phân loại; '-' để đọc từng dòng từ đầu vào chuẩn"
HELP_JSON = "in kết quả dạng JSON"

ERR_READ_DATA = "Không đọc được tệp dữ liệu: {detail}"
ERR_OUT_REQUIRED = "Cần chỉ ra thư mục ghi mô hình bằng -o khi huấn luyện từ --data."
ERR_LOAD_MODEL = "Không nạp được mô hình: {detail}"
ERR_NO_TEXT = "Không có văn bản nào để phân loại."
ERR_BAD_VIEW = "Kiểu đặc trưng không hợp lệ: {detail}"
ERR_BAD_LABELS = "Không có cột nhãn nào chung giữa mô hình và dữ liệu."

DONE_TRAIN = "Đã huấn luyện mô hình {version}, lưu tại {path}."
METRIC_LINE = "  {column}: độ chính xác {accuracy}, macro-F1 {macro_f1}, weighted-F1 {weighted_f1}"
CLASSIFY_LINE = "{labels}  (mô hình {version}{notes})"
