"""Text the model cannot read gets a low-confidence fallback label, never an error."""

from __future__ import annotations

import pytest

from nlp.model import FeedbackClassifier, Prediction


def assert_low_confidence_fallback(p: Prediction) -> None:
    assert p.labels["topic"].label == "other"
    assert p.labels["sentiment"].label == "neutral"
    assert p.labels["urgent"].label == "no"
    assert all(s.confidence <= 0.5 for s in p.labels.values())


@pytest.mark.parametrize(
    ("text", "note"),
    [
        ("", "empty"),
        ("   \n\t", "empty"),
        ("😀😀🎉", "no_words"),
        ("👍", "no_words"),
        ("!!! ??? 123", "no_words"),
        ("The staff were very helpful and the waiting room was clean", "not_vietnamese"),
        ("服务态度很好，办理很快", "not_vietnamese"),
        ("Сотрудники были очень вежливы", "not_vietnamese"),
        ("xzqw vbnm", "not_vietnamese"),
    ],
)
def test_unreadable_text_gets_low_confidence_other(
    shipped: FeedbackClassifier, text: str, note: str
) -> None:
    p = shipped.predict_one(text)
    assert_low_confidence_fallback(p)
    assert note in p.notes
    assert p.model_version == shipped.version


def test_very_long_text_is_truncated_noted_and_still_classified(
    shipped: FeedbackClassifier,
) -> None:
    complaint = "Cán bộ đòi tiền bồi dưỡng mới nhận hồ sơ tách thửa. "
    p = shipped.predict_one(complaint * 2000)  # ~100,000 characters
    assert "truncated" in p.notes
    assert p.labels["topic"].label == "corruption"


def test_text_just_at_the_length_limit_is_not_truncated(shipped: FeedbackClassifier) -> None:
    text = ("chờ lâu " * 1000)[: shipped.max_chars]
    assert "truncated" not in shipped.predict_one(text).notes
    assert "truncated" in shipped.predict_one(text + "x").notes


def test_a_batch_mixing_good_and_bad_input_keeps_order(shipped: FeedbackClassifier) -> None:
    texts = ["", "Thủ tục nhanh gọn, cán bộ nhiệt tình", "😀"]
    predictions = shipped.predict(texts)
    assert [p.labels["sentiment"].label for p in predictions] == ["neutral", "positive", "neutral"]
    assert predictions[1].notes == ()


def test_empty_batch_gives_no_predictions(shipped: FeedbackClassifier) -> None:
    assert shipped.predict([]) == []
