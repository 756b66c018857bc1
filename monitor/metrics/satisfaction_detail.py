"""What the satisfaction page shows beside ``satisfaction_data.summarise``: how the citizens
answered each criterion, and their comments. Counted in the database."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Engine, case, func, select

from monitor.calendar import day_start
from monitor.db import session_scope
from monitor.metrics.satisfaction import CRITERIA, CRITERION_INDEX
from monitor.models import Dossier, Feedback, Officer, Rating, Unit

# NĐ 61/2018 art. 31, as short as a table column allows.
CRITERION_NAMES_VI = {
    "a": "a) Thời gian trả kết quả",
    "b": "b) Số cơ quan phải liên hệ",
    "c": "c) Số lần đến nơi tiếp nhận",
    "d": "d) Công khai thông tin thủ tục",
    "dd": "đ) Thái độ của cán bộ",
    "e": "e) Kết quả, chi phí đúng quy định",
    "g": "g) Tiếp nhận, trả lời phản ánh",
    "h": "h) Dịch vụ công trực tuyến",
    "i": "i) Nội dung khác",
}
# Thông tư 01/2018 art. 13–15.
INDEX_NAMES_VI = {
    1: "Thời gian giải quyết so với quy định",
    2: "Thời gian giải quyết của từng cơ quan",
    3: "Số lần liên hệ nơi tiếp nhận",
    4: "Số cơ quan phải liên hệ",
    5: "Tiếp nhận tại Bộ phận Một cửa",
    6: "Công khai thủ tục hành chính",
    7: "Thái độ của cán bộ",
    8: "Tiếp nhận, xử lý phản ánh",
    9: "Dịch vụ công trực tuyến",
}
LEVEL_NAMES_VI = {3: "Rất hài lòng", 2: "Hài lòng", 1: "Không hài lòng"}


def rated_between(
    start: date, end: date, unit_ids: Collection[int] | None
) -> list[ColumnElement[bool]]:
    """Ratings made from ``start`` to ``end`` (Vietnamese days, both included) in the units."""
    out = [
        Rating.created_at >= day_start(start),
        Rating.created_at < day_start(end + timedelta(days=1)),
    ]
    if unit_ids is not None:
        out.append(Rating.unit_id.in_(sorted(unit_ids)))
    return out


@dataclass(frozen=True)
class CriterionLevels:
    code: str
    name: str
    index: int | None  # the TT 01/2018 index it feeds
    counts: dict[int, int]  # level (1, 2, 3) -> ratings that answered it so

    @property
    def answered(self) -> int:
        return sum(self.counts.values())

    def share(self, level: int) -> float | None:
        return self.counts[level] / self.answered if self.answered else None


def criteria_breakdown(
    engine: Engine, start: date, end: date, unit_ids: Collection[int] | None = None
) -> list[CriterionLevels]:
    """Per criterion, how many ratings answered each level; criteria nobody answered are left
    out. One aggregate query."""
    sums: list[Any] = []
    for code in CRITERIA:
        column = getattr(Rating, f"crit_{code}")
        sums += [func.coalesce(func.sum(case((column == lv, 1), else_=0)), 0) for lv in (1, 2, 3)]
    with session_scope(engine) as s:
        row = s.execute(select(*sums).where(*rated_between(start, end, unit_ids))).one()
    out = []
    for i, code in enumerate(CRITERIA):
        counts = {lv: int(row[3 * i + lv - 1]) for lv in (1, 2, 3)}
        if sum(counts.values()):
            out.append(
                CriterionLevels(code, CRITERION_NAMES_VI[code], CRITERION_INDEX.get(code), counts)
            )
    return out


@dataclass(frozen=True)
class CommentRow:
    created_at: datetime
    unit_name: str
    counter: str
    officer_name: str
    dossier_code: str
    overall: int
    comment: str
    sentiment: str | None  # the label in force on the comment's feedback row
    topic: str | None


def comments(
    engine: Engine,
    start: date,
    end: date,
    unit_ids: Collection[int] | None = None,
    *,
    unsatisfied_only: bool = False,
    limit: int = 100,
) -> list[CommentRow]:
    """The ratings' comments, newest first, with the labels the classifier (or a person) gave
    them."""
    conditions = [*rated_between(start, end, unit_ids), Rating.comment.is_not(None)]
    conditions.append(func.length(func.trim(Rating.comment)) > 0)
    if unsatisfied_only:
        conditions.append(Rating.overall == 1)
    q = (
        select(
            Rating.created_at,
            func.coalesce(Unit.name, ""),
            func.coalesce(Rating.counter, ""),
            func.coalesce(Officer.name, ""),
            func.coalesce(Dossier.code, ""),
            Rating.overall,
            func.coalesce(Rating.comment, ""),
            func.coalesce(Feedback.human_sentiment, Feedback.sentiment),
            func.coalesce(Feedback.human_topic, Feedback.topic),
        )
        .outerjoin(Unit, Unit.id == Rating.unit_id)
        .outerjoin(Officer, Officer.id == Rating.officer_id)
        .outerjoin(Dossier, Dossier.id == Rating.dossier_id)
        .outerjoin(Feedback, Feedback.rating_id == Rating.id)
        .where(*conditions)
        .order_by(Rating.created_at.desc(), Rating.id.desc())
        .limit(limit)
    )
    with session_scope(engine) as s:
        return [CommentRow(*r) for r in s.execute(q).all()]
