"""A small lexicon of evaluative words, added to each text as polarity marker tokens.

The in-domain corpus is a few thousand rows, so most evaluative words occur a handful of
times ("thất vọng" 4, "tắc trách" 0) while "rất" occurs in 290 praises: a model trained on it
alone called "Làm việc tắc trách, dân đi lại rất mệt mỏi" positive. The markers ``lexneg`` /
``lexpos`` give every listed word the weight learned from all of them together. A negator
just before the word ("không hài lòng") flips the marker. Phrases of two or more syllables
also match typed without diacritics; single syllables do not ("te" could be tệ or tế).
"""

from __future__ import annotations

from nlp.normalize import strip_diacritics

POSITIVE = (
    "tốt",
    "nhanh",
    "tận tình",
    "nhiệt tình",
    "chu đáo",
    "hài lòng",
    "tuyệt vời",
    "cảm ơn",
    "vui vẻ",
    "niềm nở",
    "lịch sự",
    "nhẹ nhàng",
    "chuyên nghiệp",
    "thuận tiện",
    "tiện lợi",
    "nhanh chóng",
    "gọn gàng",
    "minh bạch",
    "rõ ràng",
    "dễ hiểu",
    "thân thiện",
    "sạch sẽ",
    "khen",
    "tuyệt",
    "ổn",
    "xuất sắc",
    "tận tâm",
    "chu toàn",
    "dễ chịu",
)
NEGATIVE = (
    "tệ",
    "kém",
    "chậm",
    "tồi",
    "thất vọng",
    "bức xúc",
    "mệt mỏi",
    "tắc trách",
    "hách dịch",
    "cáu gắt",
    "khó chịu",
    "phiền hà",
    "vô trách nhiệm",
    "thờ ơ",
    "quát",
    "nhũng nhiễu",
    "gây khó dễ",
    "lâu",
    "trễ",
    "trễ hẹn",
    "rườm rà",
    "lỗi",
    "hỏng",
    "bẩn",
    "nóng",
    "chán",
    "bực",
    "bực mình",
    "vô lý",
    "tiêu cực",
    "không chấp nhận được",
    "cửa quyền",
    "lằng nhằng",
    "thiếu",
    "sai",
    "nhầm",
    "ức chế",
    "quá đáng",
    "coi thường",
)
NEGATORS = frozenset({"không", "chẳng", "chưa", "chả", "khong", "chang", "chua"})
POSITIVE_MARKER = "lexpos"
NEGATIVE_MARKER = "lexneg"


def _index(words: tuple[str, ...], marker: str) -> dict[tuple[str, ...], str]:
    index = {tuple(w.split()): marker for w in words}
    index |= {tuple(strip_diacritics(w).split()): marker for w in words if " " in w}
    return index


_PHRASES = _index(POSITIVE, POSITIVE_MARKER) | _index(NEGATIVE, NEGATIVE_MARKER)
_LONGEST = max(len(p) for p in _PHRASES)
_FLIP = {POSITIVE_MARKER: NEGATIVE_MARKER, NEGATIVE_MARKER: POSITIVE_MARKER}


def markers(normalized: str) -> list[str]:
    """One marker per lexicon phrase found in the normalised text (longest match first)."""
    tokens = normalized.split()
    found, i = [], 0
    while i < len(tokens):
        for size in range(min(_LONGEST, len(tokens) - i), 0, -1):
            marker = _PHRASES.get(tuple(tokens[i : i + size]))
            if marker:
                negated = i > 0 and tokens[i - 1] in NEGATORS
                found.append(_FLIP[marker] if negated else marker)
                i += size
                break
        else:
            i += 1
    return found


def with_markers(normalized: str) -> str:
    found = markers(normalized)
    return f"{normalized} {' '.join(found)}" if found else normalized
