"""Fake but realistic applicants and officers: Vietnamese names, mobile numbers, ID numbers.

Everything is drawn from the ``random.Random`` the caller passes, so a seed gives the same
people. Surnames follow their rough frequency in Vietnam (Nguyễn about a third).
"""

from __future__ import annotations

import unicodedata
from bisect import bisect
from itertools import accumulate
from random import Random

_SURNAMES = (
    ("Nguyễn", 31.5),
    ("Trần", 11.0),
    ("Lê", 9.5),
    ("Phạm", 7.0),
    ("Huỳnh", 3.5),
    ("Hoàng", 2.5),
    ("Phan", 4.5),
    ("Võ", 3.0),
    ("Vũ", 1.5),
    ("Đặng", 2.1),
    ("Bùi", 2.0),
    ("Đỗ", 1.4),
    ("Hồ", 1.3),
    ("Ngô", 1.3),
    ("Dương", 1.0),
    ("Lý", 0.5),
    ("Đinh", 0.6),
    ("Trương", 0.8),
    ("Lâm", 0.4),
    ("Mai", 0.4),
    ("Tô", 0.3),
    ("Lưu", 0.3),
)
_SURNAME_NAMES = tuple(name for name, _ in _SURNAMES)
_SURNAME_CUM = tuple(accumulate(w for _, w in _SURNAMES))
_MALE_MIDDLE = ("Văn", "Văn", "Văn", "Hữu", "Đức", "Minh", "Quốc", "Thanh", "Công", "Xuân",
                "Ngọc", "Hoàng", "Gia", "Trọng", "Anh", "Đình", "Tấn", "Thành")  # fmt: skip
_FEMALE_MIDDLE = ("Thị", "Thị", "Thị", "Thị", "Ngọc", "Thu", "Thanh", "Minh", "Kim", "Bảo",
                  "Hồng", "Khánh", "Phương", "Mai", "Hoài", "Diệu")  # fmt: skip
_MALE_GIVEN = ("An", "Bình", "Cường", "Dũng", "Đạt", "Dương", "Hải", "Hiếu", "Hoàng", "Hùng",
               "Huy", "Khang", "Khánh", "Kiên", "Long", "Lâm", "Minh", "Nam", "Nghĩa", "Phong",
               "Phúc", "Quân", "Quang", "Sơn", "Tài", "Thắng", "Thành", "Thiện", "Toàn", "Trung",
               "Tuấn", "Tùng", "Việt", "Vinh", "Vũ", "Hưng", "Lộc", "Tâm", "Duy", "Khoa",
               "Bảo", "Đông", "Hậu", "Nhân", "Tín", "Trí")  # fmt: skip
_FEMALE_GIVEN = ("Anh", "Châu", "Chi", "Diệp", "Dung", "Giang", "Hà", "Hạnh", "Hằng", "Hiền",
                 "Hoa", "Hồng", "Hương", "Huyền", "Lan", "Liên", "Linh", "Loan", "Mai", "My",
                 "Nga", "Ngân", "Ngọc", "Nhung", "Oanh", "Phương", "Quyên", "Quỳnh", "Thảo",
                 "Thu", "Thủy", "Trang", "Trâm", "Uyên", "Vân", "Vy", "Yến", "Nhi", "Hân",
                 "Tuyết", "Xuân", "Lụa")  # fmt: skip
# Mobile prefixes of Viettel, Vinaphone, MobiFone and Vietnamobile (after the 2018 renumbering).
_PREFIXES = ("086", "096", "097", "098", "032", "033", "034", "035", "036", "037", "038",
             "039", "088", "091", "094", "081", "082", "083", "084", "085", "089", "090",
             "093", "070", "076", "077", "078", "079", "092", "056", "058")  # fmt: skip
# Province codes of the 12-digit citizen ID: mostly local residents, some from elsewhere.
LOCAL_ID_PREFIX = "051"
_ID_PREFIXES = (LOCAL_ID_PREFIX,) * 8 + ("001", "079", "048", "046", "052", "054")
_FIRM_FORMS = ("Công ty TNHH", "Công ty TNHH", "Công ty Cổ phần", "Doanh nghiệp tư nhân",
               "Hợp tác xã")  # fmt: skip
_FIRM_TRADES = ("Thương mại và Dịch vụ", "Xây dựng", "Đầu tư", "Vận tải", "Nông sản",
                "Thủy sản", "Du lịch", "Sản xuất", "Công nghệ", "Bất động sản", "Xuất nhập khẩu",
                "Dược phẩm", "Thực phẩm")  # fmt: skip
_FIRM_NAMES = ("An Phát", "Minh Long", "Hoàng Gia", "Phú Thịnh", "Tân Tiến", "Đại Nam",
               "Sao Việt", "Hưng Thịnh", "Trường An", "Việt Úc", "Thiên Phú", "Kim Ngân",
               "Bảo Long", "Phước Lộc", "Đông Á", "Nam Việt", "Thành Công", "Hải Đăng",
               "Quang Minh", "Vạn Xuân", "Toàn Thắng", "Hòa Bình")  # fmt: skip


def _pick(r: Random, items: tuple[str, ...]) -> str:
    return items[int(r.random() * len(items))]


def person_name(r: Random) -> str:
    """A full name: surname, one or two middle names, given name."""
    surname = _SURNAME_NAMES[bisect(_SURNAME_CUM, r.random() * _SURNAME_CUM[-1])]
    u = r.random()
    if u < 0.5:
        middle, given = _pick(r, _MALE_MIDDLE), _pick(r, _MALE_GIVEN)
    else:
        middle, given = _pick(r, _FEMALE_MIDDLE), _pick(r, _FEMALE_GIVEN)
    if u < 0.07 or u > 0.85:  # four-word names, more common for women
        second = _pick(r, _FEMALE_MIDDLE if u > 0.5 else _MALE_MIDDLE)
        if second != middle:
            middle = f"{middle} {second}"
    return f"{surname} {middle} {given}"


def phone(r: Random) -> str:
    return f"{_pick(r, _PREFIXES)}{int(r.random() * 10_000_000):07d}"


def citizen_id(r: Random) -> str:
    """12 digits: province of birth registration, sex and century, year of birth, serial."""
    u = r.random()
    year = 1945 + int(u * 62)  # adults born 1945–2006
    century_sex = (0 if year < 2000 else 2) + (1 if r.random() < 0.5 else 0)
    serial = int(r.random() * 1_000_000)
    return f"{_pick(r, _ID_PREFIXES)}{century_sex}{year % 100:02d}{serial:06d}"


def firm_name(r: Random) -> str:
    return f"{_pick(r, _FIRM_FORMS)} {_pick(r, _FIRM_TRADES)} {_pick(r, _FIRM_NAMES)}"


def tax_code(r: Random) -> str:
    return f"43{int(r.random() * 100_000_000):08d}"


def ascii_slug(text: str) -> str:
    """ "Nguyễn Thị Thu" → "nguyenthithu" (for fake e-mail addresses)."""
    bare = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in bare if c.isascii() and c.isalnum()).lower()


def email_for(name: str, u: float) -> str:
    """A plausible address from the name; ``u`` (0 ≤ u < 1) picks number and provider, so no
    extra draw is needed."""
    words = name.split()
    local = ascii_slug(words[-1] + words[0]) + str(int(u * 10_000) % 1000)
    return f"{local}@{('gmail.com', 'gmail.com', 'yahoo.com', 'outlook.com')[int(u * 40) % 4]}"
