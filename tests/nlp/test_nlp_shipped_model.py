"""The shipped in-domain model gets every label right on clear examples.

The sentences are written for these tests (none is in data/feedback), one per label value,
and each also typed without diacritics.
"""

from __future__ import annotations

import pytest

from nlp.model import FeedbackClassifier
from nlp.normalize import strip_diacritics

CLEAR = {
    "sentiment": {
        "positive": "Chị cán bộ một cửa rất nhiệt tình và vui vẻ, tôi rất hài lòng",
        "neutral": "Cho tôi hỏi làm lại căn cước công dân cần mang theo giấy tờ gì?",
        "negative": "Phục vụ quá tệ, tôi rất bức xúc và thất vọng",
    },
    "topic": {
        "processing_time": "Hồ sơ sang tên trễ hẹn gần hai tháng vẫn chưa có kết quả",
        "staff_attitude": "Nhân viên quầy tiếp nhận nói trống không, thái độ hách dịch với dân",
        "procedure": "Thủ tục rườm rà, bắt nộp thêm bản sao giấy tờ ba lần liền",
        "corruption": "Cán bộ địa chính gợi ý đưa thêm 5 triệu bồi dưỡng thì mới ký nhanh",
        "online_service": "Cổng dịch vụ công báo lỗi liên tục, tải tệp lên không được",
        "facilities": "Phòng chờ nóng bức, điều hòa hỏng, ghế ngồi thì thiếu",
        "fees": "Lệ phí cấp giấy phép xây dựng thu cao hơn mức niêm yết",
        "other": "Chúc toàn thể cán bộ phường một mùa xuân an khang",
    },
    "urgent": {
        "yes": "Cán bộ đòi tôi nộp 3 triệu ngoài lệ phí, không có biên lai mới nhận hồ sơ",
        "no": "Hôm nay phải chờ hơi lâu mới đến lượt",
    },
}
CASES = [(c, label, text) for c, labels in CLEAR.items() for label, text in labels.items()]


@pytest.mark.parametrize(("column", "label", "text"), CASES)
def test_clear_example_gets_its_label(
    shipped: FeedbackClassifier, column: str, label: str, text: str
) -> None:
    assert shipped.predict_one(text).labels[column].label == label


@pytest.mark.parametrize(("column", "label", "text"), CASES)
def test_clear_example_typed_without_diacritics_gets_the_same_label(
    shipped: FeedbackClassifier, column: str, label: str, text: str
) -> None:
    assert shipped.predict_one(strip_diacritics(text)).labels[column].label == label


def test_teencode_complaint_is_understood(shipped: FeedbackClassifier) -> None:
    p = shipped.predict_one("cb ubnd ko nhiệt tình, hs nộp 2 tuần r chưa dc xử lý")
    assert p.labels["sentiment"].label == "negative"


def test_every_prediction_carries_confidence_and_the_model_version(
    shipped: FeedbackClassifier,
) -> None:
    p = shipped.predict_one(CLEAR["topic"]["fees"])
    assert p.model_version == shipped.version == shipped.meta["version"]
    assert set(p.labels) == {"sentiment", "topic", "urgent"}
    assert all(0.0 < s.confidence <= 1.0 for s in p.labels.values())


def test_shipped_model_records_data_hash_metrics_and_library_versions(
    shipped: FeedbackClassifier,
) -> None:
    meta = shipped.meta
    assert len(meta["data"]["train_sha256"]) == 64
    assert set(meta["metrics"]["dev"]) == {"sentiment", "topic", "urgent"}
    assert {"python", "scikit-learn", "numpy", "underthesea"} <= set(meta["libraries"])
    assert 0.0 < meta["heads"]["urgent"]["threshold"] <= 0.5
