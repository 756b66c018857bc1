"""Feedback labels and their human corrections.

A supervisor's correction is a fact kept twice on purpose: the feedback's ``human_*`` column
holds the label now in force (a human's word wins over the model's everywhere it is read), and
``label_corrections`` keeps who changed what, when, from which value, for the nightly
retraining and for anyone who asks later.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy.orm import Session

from monitor.models import Feedback, LabelCorrection
from monitor.reports.texts import TOPIC_NAMES

# Label name -> its allowed values, as the classifier names them (docs/nlp.md).
LABEL_VALUES: dict[str, tuple[str, ...]] = {
    "sentiment": ("positive", "neutral", "negative"),
    "topic": (
        "processing_time",
        "staff_attitude",
        "procedure",
        "corruption",
        "online_service",
        "facilities",
        "fees",
        "other",
    ),
    "urgent": ("yes", "no"),
}
# The same values as people read them in the console.
LABEL_NAMES_VI: dict[str, dict[str, str]] = {
    "sentiment": {"positive": "Tích cực", "neutral": "Trung tính", "negative": "Tiêu cực"},
    "topic": {value: TOPIC_NAMES[value] for value in LABEL_VALUES["topic"]},
    "urgent": {"yes": "Khẩn", "no": "Không khẩn"},
}
LABEL_TITLES_VI = {"sentiment": "Cảm xúc", "topic": "Chủ đề", "urgent": "Mức khẩn"}


class LabelError(ValueError):
    """An unknown feedback, label name or value, or a feedback outside the allowed units; the
    message is for a person."""


def _as_text(urgent: bool | None) -> str | None:
    return None if urgent is None else ("yes" if urgent else "no")


def current_label(fb: Feedback, label: str) -> str | None:
    """The label in force: the human's if there is one, else the model's."""
    if label == "urgent":
        return _as_text(fb.human_urgent if fb.human_urgent is not None else fb.urgent)
    human = fb.human_sentiment if label == "sentiment" else fb.human_topic
    return human if human is not None else (fb.sentiment if label == "sentiment" else fb.topic)


def _human(fb: Feedback, label: str) -> str | None:
    if label == "urgent":
        return _as_text(fb.human_urgent)
    return fb.human_sentiment if label == "sentiment" else fb.human_topic


def _set_human(fb: Feedback, label: str, value: str) -> None:
    if label == "urgent":
        fb.human_urgent = value == "yes"
    elif label == "sentiment":
        fb.human_sentiment = value
    else:
        fb.human_topic = value


def correct_label(
    session: Session,
    feedback_id: int,
    label: str,
    new_value: str,
    user_id: int | None,
    now: datetime,
    *,
    unit_ids: Collection[int] | None = None,
) -> LabelCorrection | None:
    """Set a human label on one feedback and record the correction.

    ``label`` is sentiment, topic or urgent; ``new_value`` one of LABEL_VALUES[label]. The old
    value recorded is the label in force before (the human's, else the model's). Confirming a
    model label is a correction too (it tells the retraining the model was right); setting the
    human label it already has changes nothing and returns None. ``unit_ids``, when given, are
    the units the person may see: feedback elsewhere is refused.
    """
    if label not in LABEL_VALUES:
        raise LabelError(f"Nhãn '{label}' không hợp lệ; chọn {', '.join(LABEL_VALUES)}.")
    if new_value not in LABEL_VALUES[label]:
        allowed = ", ".join(LABEL_VALUES[label])
        raise LabelError(f"Giá trị '{new_value}' không hợp lệ cho nhãn {label}; chọn {allowed}.")
    fb = session.get(Feedback, feedback_id, with_for_update=True)
    if fb is None or (unit_ids is not None and fb.unit_id not in unit_ids):
        raise LabelError(f"Không có phản ánh số {feedback_id} trong phạm vi được xem.")
    if _human(fb, label) == new_value:
        return None
    correction = LabelCorrection(
        feedback_id=fb.id,
        label=label,
        old_value=current_label(fb, label),
        new_value=new_value,
        user_id=user_id,
        at=now,
    )
    _set_human(fb, label, new_value)
    session.add(correction)
    session.flush()
    return correction
