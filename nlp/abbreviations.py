"""Abbreviations and teencode of Vietnamese online writing, and the emoticons we keep.

Keys are single lower-case tokens as they appear after punctuation is split off; values are
the written-out form. An entry is here only when the short form is unambiguous in feedback
about public services: ``đk`` (được / đăng ký / điều kiện) and ``a``/``e`` (anh/em, or the
letter) are left alone on purpose, because a wrong expansion is worse than none.
Unaccented keys (``khong``) need no entry: the model also sees every text without
diacritics (see ``nlp.normalize.strip_diacritics``), where ``không`` and ``khong`` meet.
"""

from __future__ import annotations

from types import MappingProxyType

_NEGATION_FORMS = ("ko", "k", "kg", "kh", "khg", "kô", "hok", "hk", "hông", "hong", "hem")
_NEGATION = {w: "không" for w in _NEGATION_FORMS} | {"kp": "không phải"}

_TEENCODE = {
    "dc": "được",
    "đc": "được",
    "j": "gì",
    "gi": "gì",
    "vs": "với",
    "r": "rồi",
    "ng": "người",
    "mn": "mọi người",
    "ntn": "như thế nào",
    "bn": "bao nhiêu",
    "bh": "bao giờ",
    "trc": "trước",
    "ms": "mới",
    "lm": "làm",
    "cx": "cũng",
    "cũg": "cũng",
    "nhìu": "nhiều",
    "wá": "quá",
    "wa": "quá",
    "qá": "quá",
    "bít": "biết",
    "bik": "biết",
    "thik": "thích",
    "tg": "thời gian",
    "đt": "điện thoại",
    "sđt": "số điện thoại",
    "bt": "bình thường",
    "tks": "cảm ơn",
    "thks": "cảm ơn",
    "thanks": "cảm ơn",
    "cám": "cảm",
    "oke": "ok",
    "okie": "ok",
    "okay": "ok",
    "h": "giờ",
    "đg": "đang",
    "t2": "thứ hai",
    "t3": "thứ ba",
    "t4": "thứ tư",
    "t5": "thứ năm",
    "t6": "thứ sáu",
    "t7": "thứ bảy",
    "z": "vậy",
    "zậy": "vậy",
}

# Public-administration short forms seen in one-stop feedback.
_ADMIN = {
    "cb": "cán bộ",
    "cbcc": "cán bộ công chức",
    "cbcnv": "cán bộ công nhân viên",
    "nv": "nhân viên",
    "hs": "hồ sơ",
    "tthc": "thủ tục hành chính",
    "ubnd": "ủy ban nhân dân",
    "hđnd": "hội đồng nhân dân",
    "cq": "cơ quan",
    "cqnn": "cơ quan nhà nước",
    "dvc": "dịch vụ công",
    "đvc": "dịch vụ công",
    "bpmc": "bộ phận một cửa",
    "sđ": "sổ đỏ",
    "gcn": "giấy chứng nhận",
    "qsdđ": "quyền sử dụng đất",
    "qsdd": "quyền sử dụng đất",
    "gcnqsdđ": "giấy chứng nhận quyền sử dụng đất",
    "gcnqsdd": "giấy chứng nhận quyền sử dụng đất",
    "cccd": "căn cước công dân",
    "cmnd": "chứng minh nhân dân",
    "gplx": "giấy phép lái xe",
    "gpxd": "giấy phép xây dựng",
    "đkkd": "đăng ký kinh doanh",
    "bhxh": "bảo hiểm xã hội",
    "bhyt": "bảo hiểm y tế",
    "tnmt": "tài nguyên và môi trường",
    "vpđkđđ": "văn phòng đăng ký đất đai",
    "lptb": "lệ phí trước bạ",
    "tp": "thành phố",
}

ABBREVIATIONS: MappingProxyType[str, str] = MappingProxyType(_NEGATION | _TEENCODE | _ADMIN)
"""Short form -> written-out form. Read-only; tests walk every entry."""

# Emoticons and emoji become the tokens UIT-VSFC's release uses, so one vocabulary serves
# both corpora; emoji with no clear polarity are dropped (see nlp.normalize).
POSITIVE_EMOTICONS = (":)", ":-)", ":d", ":-d", "=)", ":]", "^^", "^_^", "<3", ":p")
NEGATIVE_EMOTICONS = (":(", ":-(", ":'(", "=(", ":[", "-_-", "=.=", ":/")
POSITIVE_EMOJI = "😀😁😂😃😄😅😆😉😊😋😍😘🥰🤗👍👏💯❤💕💖🌹🙏"
NEGATIVE_EMOJI = "😞😟😠😡🤬😢😭😤😒😩😫😣👎💔😓😔🙄"
POSITIVE_TOKEN = "colonsmile"
NEGATIVE_TOKEN = "colonsad"
