"""The criteria of NĐ 61/2018 art. 31 that a citizen can judge at the counter or online, with
the question asked for each. The codes are those of the Rating columns (crit_<code>)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Criterion:
    code: str  # Rating.crit_<code>
    letter: str  # as the decree writes it
    question: str
    online_only: bool = False  # asked of online dossiers; skippable otherwise


ASKED: tuple[Criterion, ...] = (
    Criterion("a", "a", "Thời gian trả kết quả so với thời gian quy định"),
    Criterion("b", "b", "Số cơ quan, đơn vị Ông/Bà phải liên hệ để hoàn thành hồ sơ"),
    Criterion("c", "c", "Số lần Ông/Bà phải đến nơi tiếp nhận hồ sơ"),
    Criterion("dd", "đ", "Thái độ, tinh thần phục vụ của cán bộ, công chức"),
    Criterion("e", "e", "Kết quả và chi phí đúng quy định (không có chi phí ngoài quy định)"),
    Criterion("h", "h", "Tiến độ và chất lượng dịch vụ công trực tuyến", online_only=True),
)
# Every criterion a rating may carry (imports and device API may send d, g and i too).
ALL_CODES = ("a", "b", "c", "d", "dd", "e", "g", "h", "i")
ASKED_CODES = tuple(c.code for c in ASKED)
