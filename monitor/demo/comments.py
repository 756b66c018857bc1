"""Vietnamese comments that citizens leave with a rating, from a small phrase grammar.

A comment is an optional opener, a core statement on one topic, an optional detail and an
optional closing; slots take the procedure, a number of days or a counter. Then the surface is
roughened the way people type on a phone or a kiosk: no diacritics, lower case, chat
abbreviations ("ko", "đc"), missing or repeated punctuation. The topic follows what happened to
the dossier, so a late land dossier draws complaints about land and a VNeID failure shows up
among online users.
"""

from __future__ import annotations

import unicodedata
from random import Random

PRAISE, SLOW, LAND, ATTITUDE, ONLINE, QUESTION, SUGGESTION = (
    "praise", "slow", "land", "attitude", "online", "question", "suggestion",
)  # fmt: skip

_CORES: dict[str, tuple[str, ...]] = {
    PRAISE: (
        "Cán bộ tiếp nhận hướng dẫn rất tận tình, chu đáo",
        "Hồ sơ được giải quyết nhanh, có kết quả sớm hơn ngày hẹn",
        "Làm {proc} nhanh gọn, không phải đi lại nhiều lần",
        "Chị cán bộ ở quầy {counter} rất nhiệt tình, vui vẻ",
        "Trung tâm sạch sẽ, chỗ ngồi chờ thoáng mát, có nước uống",
        "Được giải đáp thắc mắc rõ ràng, dễ hiểu",
        "Nộp hồ sơ trực tuyến tiện lợi, không phải xin nghỉ làm",
        "Nhận kết quả đúng hẹn, thủ tục đơn giản hơn trước nhiều",
        "Anh cán bộ kiên nhẫn chỉ từng bước khai hồ sơ",
    ),
    SLOW: (
        "Hẹn trả kết quả mà quá hạn {days} ngày vẫn chưa có",
        "Trễ hẹn {days} ngày mà không ai gọi điện báo",
        "Phải đi lại {trips} lần mới lấy được kết quả",
        "Chờ đợi quá lâu, hẹn lên hẹn xuống",
        "Hồ sơ trễ hạn nhưng không nhận được phiếu xin lỗi nào",
        "Xếp hàng lấy số gần hai tiếng đồng hồ",
        "Hồ sơ {proc} nằm một chỗ cả tuần không thấy chuyển bước",
    ),
    LAND: (
        "Làm sổ đỏ hơn {months} tháng chưa xong",
        "Hồ sơ đất bị trả về yêu cầu bổ sung nhiều lần, mỗi lần một kiểu",
        "Chờ cán bộ đo đạc xuống thực địa mãi không thấy",
        "Hồ sơ chuyển nhượng đất bị treo bên thuế, hỏi thì đùn đẩy",
        "Đăng ký biến động đất đai mà hẹn tới hẹn lui",
        "Tách thửa đất cho con mà quá hạn {days} ngày vẫn chưa có sổ",
    ),
    ATTITUDE: (
        "Cán bộ ở quầy {counter} thái độ cáu gắt, không chịu hướng dẫn",
        "Nhân viên nói chuyện điện thoại riêng trong giờ làm việc",
        "Hỏi thì trả lời nhát gừng, bảo tự lên mạng mà xem",
        "Có người gợi ý phải bồi dưỡng thêm thì hồ sơ mới nhanh",
        "Đến đúng giờ làm việc mà quầy không có người",
        "Cán bộ hướng dẫn mỗi lần một khác, phải về làm lại giấy tờ",
    ),
    ONLINE: (
        "Không đăng nhập được bằng tài khoản VNeID, báo lỗi liên tục",
        "Cổng dịch vụ công bị lỗi khi tải tệp đính kèm",
        "Không nhận được mã OTP để xác thực tài khoản",
        "Thanh toán trực tuyến bị trừ tiền rồi mà hồ sơ vẫn báo chưa nộp phí",
        "Nộp trực tuyến rồi vẫn phải mang bản giấy lên nộp lại",
        "Tài khoản định danh mức 2 mà vẫn không nộp được hồ sơ {proc}",
        "Đăng nhập VNeID xong thì trang dịch vụ công bị treo",
    ),
    QUESTION: (
        "Cho hỏi hồ sơ của tôi đang ở bước nào rồi?",
        "Khi nào thì có kết quả ạ?",
        "Cho hỏi lệ phí {proc} là bao nhiêu?",
        "Có thể nhận kết quả qua bưu điện không?",
        "Làm sao để tra cứu tình trạng hồ sơ trên điện thoại?",
        "Tôi có cần bổ sung giấy tờ gì nữa không?",
    ),
    SUGGESTION: (
        "Nên bố trí thêm quầy vào sáng thứ Hai vì rất đông",
        "Đề nghị có thêm chỗ để xe cho người dân",
        "Nên làm việc thêm sáng thứ Bảy cho người đi làm",
        "Cần thêm người hướng dẫn nộp hồ sơ trực tuyến cho người lớn tuổi",
        "Máy lấy số thứ tự hay bị lỗi, nên sửa",
        "Nên nhắn tin báo khi hồ sơ có kết quả",
    ),
}
_OPENERS: dict[str, tuple[str, ...]] = {
    "positive": ("Rất hài lòng.", "Cảm ơn trung tâm.", "Lần đầu đi làm giấy tờ mà thuận lợi vậy.",
                 "Tốt.", "Mọi thứ ok."),
    "negative": ("Rất bức xúc.", "Không hài lòng.", "Thất vọng.", "Góp ý thật lòng:",
                 "Tôi phản ánh việc này:"),
    "neutral": ("Xin chào,", "Cho em hỏi,", "Góp ý nhỏ:", "Dạ,"),
}  # fmt: skip
_CLOSINGS: dict[str, tuple[str, ...]] = {
    "positive": ("Cảm ơn nhiều!", "Chúc các anh chị sức khỏe.", "Mong tiếp tục phát huy.",
                 "5 sao.", "Cảm ơn cán bộ."),
    "negative": ("Đề nghị lãnh đạo xem xét.", "Mong được giải quyết sớm.",
                 "Dân đi làm xin nghỉ mãi không được.", "Quá mệt mỏi.", "Đề nghị kiểm tra lại."),
    "neutral": ("Cảm ơn.", "Xin cảm ơn ạ.", "Mong phản hồi sớm."),
}  # fmt: skip
_MOOD = {PRAISE: "positive", SLOW: "negative", LAND: "negative", ATTITUDE: "negative",
         ONLINE: "negative", QUESTION: "neutral", SUGGESTION: "neutral"}  # fmt: skip
# Chat abbreviations, applied word by word.
_SHORT = {"không": ("ko", "k", "hông"), "được": ("đc", "dc", "dk"), "rồi": ("r", "rùi"),
          "quá": ("qá", "wá"), "với": ("vs",), "biết": ("bít",), "gì": ("j",)}  # fmt: skip


def pick_topic(
    r: Random, overall: int, *, late: bool, land: bool, online: bool, bad_attitude: bool
) -> str:
    """What a citizen with this experience writes about."""
    if overall >= 3:
        return PRAISE
    if overall == 2:
        return (PRAISE, QUESTION, SUGGESTION, SUGGESTION)[int(r.random() * 4)]
    if late and land and r.random() < 0.7:
        return LAND
    if late and r.random() < 0.75:
        return SLOW
    if bad_attitude and r.random() < 0.8:
        return ATTITUDE
    if online and r.random() < 0.7:
        return ONLINE
    return (SLOW, ATTITUDE, ONLINE, SUGGESTION)[int(r.random() * 4)]


def compose(r: Random, topic: str, *, proc: str, days_late: int = 0, counter: str = "1") -> str:
    """One comment on ``topic``; ``proc`` is the procedure name."""
    mood = _MOOD[topic]
    core = _pick(r, _CORES[topic]).format(
        proc=_short_name(proc),
        days=max(days_late, 2),
        months=max(2, days_late // 20 + 2),
        trips=3 + int(r.random() * 3),
        counter=counter.lstrip("0") or counter,
    )
    parts = []
    if r.random() < 0.35:
        opener = _pick(r, _OPENERS[mood])
        parts.append(opener)
        if opener.endswith((",", ":")):  # the sentence goes on
            core = core[0].lower() + core[1:]
    parts.append(core + ("" if core.endswith("?") else "."))
    if r.random() < 0.4:
        parts.append(_pick(r, _CLOSINGS[mood]))
    return roughen(r, " ".join(parts), negative=mood == "negative")


def roughen(r: Random, text: str, *, negative: bool = False) -> str:
    """How people actually type: some without diacritics, in lower case, abbreviated."""
    u = r.random()
    if u < 0.15:
        text = " ".join(_abbreviate(r, w) for w in text.split())
    if r.random() < 0.2:
        text = text.lower()
    if r.random() < 0.25:
        text = strip_diacritics(text)
    if r.random() < 0.25:
        text = text.rstrip(".")
    if negative and r.random() < 0.2:
        text = text.rstrip(".!") + "!!!"
    return text


def strip_diacritics(text: str) -> str:
    bare = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return unicodedata.normalize("NFC", "".join(c for c in bare if not unicodedata.combining(c)))


def _abbreviate(r: Random, word: str) -> str:
    options = _SHORT.get(word.lower())
    return _pick(r, options) if options else word


def _short_name(proc: str) -> str:
    """ "Đăng ký khai sinh" → "đăng ký khai sinh"; long names are cut at the first comma."""
    head = proc.split(",")[0]
    return head[0].lower() + head[1:] if head else head


def _pick(r: Random, items: tuple[str, ...]) -> str:
    return items[int(r.random() * len(items))]
