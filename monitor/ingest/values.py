"""Reading single values of the exchange format: dates, statuses, channels, time units.

Dates come as ``yyyyMMddHHmmss`` in Vietnam time (the national format), or from human exports
as ``dd/mm/yyyy``, ``dd/mm/yyyy HH:MM[:SS]``, ISO 8601, or datetime cells of a spreadsheet.
Everything is returned as an aware UTC datetime plus whether the source gave a time of day,
because a date-only value can only be compared by date.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from datetime import UTC, date, datetime, timedelta, timezone
from typing import NamedTuple, TypeVar

from monitor.enums import STATUS_NAMES_VI, Channel, DossierStatus, TimeUnit

# Vietnam has had no daylight saving since 1975: a fixed offset is exact and much faster.
VN = timezone(timedelta(hours=7))
_MIN_YEAR, _MAX_YEAR = 1990, 2100
_ZERO_MOMENT = "00000000000000"
_ZERO_DATES = frozenset({"0", "00000000", _ZERO_MOMENT})


class BadValue(ValueError):
    """A value that cannot be read; the message names the field, never the value."""


class When(NamedTuple):
    """A moment as ``YYYY-MM-DD HH:MM:SS`` in UTC: sortable as text, cheap to hash and bind.

    ``has_time`` is False for a date-only value (stored at 00:00 Vietnam time).
    """

    at: str
    has_time: bool


# Builds a When from an (at, has_time) pair in C: NamedTuple's own __new__ is a Python
# function, and a dossier has about five dates (a measurable share of an import).
_when = functools.partial(tuple.__new__, When)


def canonical(moment: datetime) -> str:
    """An aware datetime in the canonical UTC text form (to the second)."""
    return moment.astimezone(UTC).replace(tzinfo=None, microsecond=0).isoformat(" ")


def parse_canonical(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


_HOURS: dict[str, str] = {}  # yyyyMMddHH (Vietnam) → YYYY-MM-DD HH (UTC); few per file


def _hour_utc(prefix: str) -> str:
    found = _HOURS.get(prefix)
    if found is None:
        year, month, day = int(prefix[:4]), int(prefix[4:6]), int(prefix[6:8])
        if not _MIN_YEAR <= year <= _MAX_YEAR:
            raise ValueError("year out of range")
        found = canonical(datetime(year, month, day, int(prefix[8:]), tzinfo=VN))[:13]
        if len(_HOURS) > 1 << 14:  # about two years of hours; bounded memory
            _HOURS.clear()
        _HOURS[prefix] = found
    return found


def _compact(text: str) -> str:
    """``yyyyMMddHHmmss`` (Vietnam) → canonical UTC. The offset is whole hours, so minutes and
    seconds carry over unchanged; the hour part is looked up."""
    hour = _HOURS.get(text[:10])
    tail = text[10:]
    if hour is not None and tail.isdigit() and tail[:2] < "60" and tail[2:] < "60":
        return hour + ":" + tail[:2] + ":" + tail[2:]
    if not text.isdigit() or tail[:2] > "59" or tail[2:] > "59":
        raise ValueError("not yyyyMMddHHmmss")
    return _hour_utc(text[:10]) + ":" + tail[:2] + ":" + tail[2:]


_HUMAN = re.compile(
    r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:[ T,]+(\d{1,2})[:hH](\d{2})(?::(\d{2}))?)?"
)


def _human(text: str) -> When:
    n = len(text)
    # Fast path for the usual export forms dd/mm/yyyy[ HH:MM[:SS]], through the hour table.
    if (n == 10 or (n in (16, 19) and text[10] == " " and text[13] == ":")) and (
        text[2] == "/" and text[5] == "/" and (n != 19 or text[16] == ":")
    ):
        clock = text[11:13] + text[14:16] + (text[17:19] if n == 19 else "00") if n > 10 else ""
        return When(_compact(text[6:10] + text[3:5] + text[:2] + (clock or "000000")), n > 10)
    m = _HUMAN.fullmatch(text)
    if m is None:
        raise ValueError("not dd/mm/yyyy")
    day, month, year = int(m[1]), int(m[2]), int(m[3])
    if m[4] is None:
        return _from_local(datetime(year, month, day), False)
    local = datetime(year, month, day, int(m[4]), int(m[5]), int(m[6] or 0))
    return _from_local(local, True)


def _from_local(value: datetime, has_time: bool) -> When:
    if not _MIN_YEAR <= value.year <= _MAX_YEAR:
        raise ValueError("year out of range")
    if value.tzinfo is None:
        value = value.replace(tzinfo=VN)
    return When(canonical(value), has_time)


def _text_date(text: str) -> When:
    if len(text) == 14:
        return When(_compact(text), True)
    if text.isdigit():
        # Only yyyyMMdd and yyyyMMddHHmmss are all digits; fromisoformat would read a compact
        # date missing a digit ("2025011010000") as some other moment.
        if len(text) != 8:
            raise ValueError("not yyyyMMdd[HHmmss]")
        return When(_compact(text + "000000"), False)
    if "/" in text or (len(text) >= 3 and text[2] in ".-" and text[:2].isdigit()):
        return _human(text)
    iso = datetime.fromisoformat(text)
    return _from_local(iso, len(text) > 10)


def _fast_when(text: str) -> When | None:
    """The two forms nearly every file uses, ``yyyyMMddHHmmss`` and ``dd/mm/yyyy HH:MM``, read
    without the general path's checks. None sends anything else, including anything odd (an
    all-zero date, padding, a bad digit), down the general path, which has the last word."""
    n = len(text)
    try:
        if n == 14 and text != _ZERO_MOMENT:
            return _when((_compact(text), True))
        if n == 16 and text[2] == "/" and text[5] == "/" and text[10] == " " and text[13] == ":":
            compact = text[6:10] + text[3:5] + text[:2] + text[11:13] + text[14:16] + "00"
            return _when((_compact(compact), True))
    except ValueError:
        pass
    return None


def read_moment(value: object, field: str) -> str | None:
    """Like read_when, only the moment; the national format's own dates take a fast path
    (no When is built: steps carry several dates each)."""
    if type(value) is str and len(value) == 14 and value != _ZERO_MOMENT:
        try:
            return _compact(value)
        except ValueError:
            pass  # the general path decides, and names the field
    when = read_when(value, field)
    return None if when is None else when.at


def read_when(value: object, field: str) -> When | None:
    """A date of the exchange format, or None when absent; BadValue names ``field``."""
    if value is None:
        return None
    try:
        if isinstance(value, str):
            fast = _fast_when(value)
            if fast is not None:
                return fast
            text = value.strip()
            if not text or text in _ZERO_DATES:
                return None
            return _text_date(text)
        if isinstance(value, datetime):
            midnight = value.hour == value.minute == value.second == value.microsecond == 0
            return _from_local(value, not midnight)
        if isinstance(value, date):
            return _from_local(datetime(value.year, value.month, value.day), False)
        if isinstance(value, int) and not isinstance(value, bool):
            return read_when(str(value), field)
    except (ValueError, OverflowError):
        pass
    raise BadValue(f"{field}: ngày giờ không đọc được")


def _vn_date(when: When) -> date:
    return (parse_canonical(when.at) + timedelta(hours=7)).date()


def before(a: When, b: When) -> bool:
    """Whether ``a`` is strictly before ``b``; by Vietnam date when either has no time."""
    if a.has_time and b.has_time:
        return a.at < b.at
    return _vn_date(a) < _vn_date(b)


@functools.lru_cache(maxsize=4096)
def fold(text: str) -> str:
    """Lower case, no diacritics, single spaces: how headers and names are matched."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(bare.lower().split())


_STATUS_BY_NAME = {fold(name): status for status, name in STATUS_NAMES_VI.items()}
_STATUS_BY_NAME.update(
    {
        fold("Đã tiếp nhận"): DossierStatus.ACCEPTED,
        fold("Mới tiếp nhận"): DossierStatus.ACCEPTED,
        fold("Yêu cầu bổ sung"): DossierStatus.SUPPLEMENT_REQUESTED,
        fold("Rút hồ sơ"): DossierStatus.WITHDRAWN,
        fold("Đã rút hồ sơ"): DossierStatus.WITHDRAWN,
        fold("Hoàn thành"): DossierStatus.FINISHED,
        fold("Đã hoàn thành"): DossierStatus.FINISHED,
        fold("Đã trả"): DossierStatus.RETURNED,
    }
)
_CHANNEL_BY_NAME = {
    fold("Trực tiếp"): Channel.IN_PERSON,
    fold("Nộp trực tiếp"): Channel.IN_PERSON,
    fold("Trực tuyến"): Channel.ONLINE,
    fold("Nộp trực tuyến"): Channel.ONLINE,
    fold("Qua mạng"): Channel.ONLINE,
    fold("Dịch vụ công trực tuyến"): Channel.ONLINE,
    fold("Bưu chính"): Channel.POSTAL,
    fold("Qua bưu chính"): Channel.POSTAL,
    fold("Bưu chính công ích"): Channel.POSTAL,
    fold("Dịch vụ bưu chính"): Channel.POSTAL,
}
_TIME_UNIT_BY_NAME = {
    fold("Ngày làm việc"): TimeUnit.WORKING_DAYS,
    fold("Ngày"): TimeUnit.CALENDAR_DAYS,
    fold("Ngày lịch"): TimeUnit.CALENDAR_DAYS,
    fold("Giờ"): TimeUnit.HOURS,
    fold("Giờ làm việc"): TimeUnit.HOURS,
    **{unit.value: unit for unit in TimeUnit},
}


def _small_int(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


_E = TypeVar("_E")
# Looked up, not constructed: calling an enum class costs more than the rest of the check.
_STATUS_BY_CODE: dict[object, DossierStatus] = {s.value: s for s in DossierStatus}
_STATUS_BY_CODE.update({str(s.value): s for s in DossierStatus})
_CHANNEL_BY_CODE: dict[object, Channel] = {c.value: c for c in Channel}
_CHANNEL_BY_CODE.update({str(c.value): c for c in Channel})


def read_status(value: object) -> DossierStatus | None:
    """TrangThaiHoSo as a code 1–10 or its Vietnamese name; None if unknown."""
    return _coded(value, _STATUS_BY_CODE, _STATUS_BY_NAME)


def read_channel(value: object) -> Channel | None:
    """KenhThucHien as 1/2/3 or a Vietnamese name; None if unknown."""
    return _coded(value, _CHANNEL_BY_CODE, _CHANNEL_BY_NAME)


def _coded(value: object, by_code: dict[object, _E], by_name: dict[str, _E]) -> _E | None:
    if isinstance(value, bool):
        return None
    found = by_code.get(value) if isinstance(value, int | str) else None
    if found is not None:
        return found
    number = _small_int(value)
    if number is not None:
        return by_code.get(number)
    return by_name.get(fold(value)) if isinstance(value, str) else None


def read_time_unit(value: object) -> TimeUnit | None:
    return _TIME_UNIT_BY_NAME.get(fold(value)) if isinstance(value, str) else None


def read_amount(value: object) -> float | None:
    """A non-negative legal time; accepts a decimal comma. None when not a number."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        number = float(value)
    elif isinstance(value, str):
        try:
            number = float(value.strip().replace(",", "."))
        except ValueError:
            return None
    else:
        return None
    return number if number >= 0 and number == number and number != float("inf") else None


def read_text(value: object) -> str | None:
    """A stripped string, or None when empty; numbers from spreadsheets become text."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = value.strip() if isinstance(value, str) else str(value).strip()
    return text or None
