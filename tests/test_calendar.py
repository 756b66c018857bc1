"""The working calendar: days off, make-up Saturdays, office hours and deadline arithmetic."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from monitor.calendar import (
    VN_TZ,
    WorkCalendar,
    day_start,
    from_instant,
    local_date,
    public_holidays,
    to_instant,
)

CAL = WorkCalendar()


def vn(y: int, mo: int, d: int, h: int = 0, mi: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, tzinfo=VN_TZ)


# -- which days are worked ---------------------------------------------------------------------


def test_saturday_26_4_2025_and_saturday_22_8_2026_are_working_days_by_default() -> None:
    assert CAL.is_working_day(date(2025, 4, 26))
    assert CAL.is_working_day(date(2026, 8, 22))
    assert not CAL.is_working_day(date(2025, 4, 19))  # an ordinary Saturday


def test_the_swapped_bridge_days_2_5_2025_and_31_8_2026_are_days_off() -> None:
    assert not CAL.is_working_day(date(2025, 5, 2))
    assert not CAL.is_working_day(date(2026, 8, 31))


def test_tet_2025_is_off_from_monday_27_1_to_saturday_1_2() -> None:
    tet = [date(2025, 1, 27) + timedelta(days=i) for i in range(7)]
    assert not any(CAL.is_working_day(d) for d in tet)
    assert CAL.is_working_day(date(2025, 1, 24)) and CAL.is_working_day(date(2025, 2, 3))


def test_hung_kings_day_2026_falls_on_sunday_and_is_observed_on_monday_27_4() -> None:
    assert date(2026, 4, 26) in public_holidays(2026)
    assert not CAL.is_working_day(date(2026, 4, 27))


def test_extra_day_off_and_extra_working_day_override_the_default() -> None:
    office = CAL.with_overrides(days_off=[date(2025, 3, 3)], working_days=[date(2025, 3, 8)])
    assert not office.is_working_day(date(2025, 3, 3))
    assert office.is_working_day(date(2025, 3, 8))
    # A later override of the same day wins.
    assert office.with_overrides(working_days=[date(2025, 3, 3)]).is_working_day(date(2025, 3, 3))


# -- N working days ------------------------------------------------------------------------------


def test_n_working_days_from_time_t_end_at_time_t_on_the_nth_working_day() -> None:
    assert CAL.add(vn(2025, 3, 4, 9, 17), 3, "working_days") == vn(2025, 3, 7, 9, 17)
    # Even outside office hours the time of day is kept (the start is taken as it is).
    assert CAL.add(vn(2025, 3, 3, 18, 0), 1, "working_days") == vn(2025, 3, 4, 18, 0)


def test_one_working_day_from_the_friday_before_tet_2025_ends_on_monday_3_2() -> None:
    assert CAL.add(vn(2025, 1, 24, 10, 0), 1, "working_days") == vn(2025, 2, 3, 10, 0)
    # From a day off, the first working day after it is the first one counted.
    assert CAL.add(vn(2025, 1, 27, 10, 0), 1, "working_days") == vn(2025, 2, 3, 10, 0)
    assert CAL.add(vn(2025, 1, 24, 10, 0), 2, "working_days") == vn(2025, 2, 4, 10, 0)


def test_tet_2026_is_skipped() -> None:
    assert CAL.add(vn(2026, 2, 13, 8, 0), 1, "working_days") == vn(2026, 2, 23, 8, 0)


def test_hung_kings_day_2025_is_skipped() -> None:
    assert CAL.add(vn(2025, 4, 4, 8, 0), 1, "working_days") == vn(2025, 4, 8, 8, 0)


def test_the_30_4_and_1_5_break_2025_counts_the_make_up_saturday() -> None:
    assert CAL.add(vn(2025, 4, 25, 8, 0), 1, "working_days") == vn(2025, 4, 26, 8, 0)
    assert CAL.add(vn(2025, 4, 26, 8, 0), 1, "working_days") == vn(2025, 4, 28, 8, 0)
    assert CAL.add(vn(2025, 4, 29, 8, 0), 1, "working_days") == vn(2025, 5, 5, 8, 0)


def test_the_2_9_break_2025_is_skipped() -> None:
    assert CAL.add(vn(2025, 8, 29, 8, 0), 1, "working_days") == vn(2025, 9, 3, 8, 0)


def test_the_2_9_break_2026_counts_saturday_22_8_and_skips_monday_31_8() -> None:
    assert CAL.add(vn(2026, 8, 21, 8, 0), 1, "working_days") == vn(2026, 8, 22, 8, 0)
    assert CAL.add(vn(2026, 8, 28, 8, 0), 1, "working_days") == vn(2026, 9, 3, 8, 0)


def test_working_days_between_and_before_across_tet() -> None:
    assert CAL.working_days_between(date(2025, 1, 24), date(2025, 2, 3)) == 1
    assert CAL.working_days_between(date(2025, 2, 3), date(2025, 1, 24)) == -1
    assert CAL.working_day_before(date(2025, 2, 3)) == date(2025, 1, 24)
    assert CAL.working_day_before(date(2025, 2, 1), 2) == date(2025, 1, 23)


def test_a_fraction_of_a_working_day_is_counted_in_office_hours() -> None:
    # Half a day = 4 office hours: 09:00–11:30, then 13:30–15:00.
    assert CAL.add(vn(2025, 3, 3, 9, 0), 0.5, "working_days") == vn(2025, 3, 3, 15, 0)


# -- hours and calendar days ---------------------------------------------------------------------


def test_office_hours_skip_lunch_nights_and_days_off() -> None:
    assert CAL.add(vn(2025, 3, 3, 11, 0), 1, "hours") == vn(2025, 3, 3, 14, 0)
    assert CAL.add(vn(2025, 1, 24, 16, 0), 2, "hours") == vn(2025, 2, 3, 8, 0)
    assert CAL.add(vn(2025, 3, 3, 7, 0), 8, "hours") == vn(2025, 3, 3, 17, 0)
    assert CAL.working_hours_between(vn(2025, 1, 24, 16, 0), vn(2025, 2, 4, 8, 0)) == 10


def test_calendar_days_ending_on_a_day_off_end_on_the_next_working_day() -> None:
    assert CAL.add(vn(2025, 1, 20, 10, 0), 7, "calendar_days") == vn(2025, 2, 3, 10, 0)
    assert CAL.add(vn(2025, 3, 3, 10, 0), 3, "calendar_days") == vn(2025, 3, 6, 10, 0)


# -- when the clock starts -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("received", "paper", "starts"),
    [
        (vn(2025, 3, 3, 14, 59), True, vn(2025, 3, 3, 14, 59)),
        (vn(2025, 3, 3, 15, 0), True, vn(2025, 3, 4, 7, 0)),
        (vn(2025, 3, 3, 16, 59), False, vn(2025, 3, 3, 16, 59)),
        (vn(2025, 3, 3, 17, 0), False, vn(2025, 3, 4, 7, 0)),
        (vn(2025, 3, 3, 6, 30), True, vn(2025, 3, 3, 7, 0)),
        (vn(2025, 3, 8, 9, 0), False, vn(2025, 3, 10, 7, 0)),  # Saturday
        (vn(2025, 1, 24, 15, 30), True, vn(2025, 2, 3, 7, 0)),  # Friday before Tết
        (vn(2025, 4, 25, 16, 0), True, vn(2025, 4, 26, 7, 0)),  # make-up Saturday next
    ],
)
def test_clock_starts_at_once_in_office_hours_else_next_working_morning(
    received: datetime, paper: bool, starts: datetime
) -> None:
    assert CAL.clock_start(received, paper=paper) == starts


def test_a_different_cut_off_and_office_hours_are_honoured() -> None:
    saturday_mornings = WorkCalendar(
        shifts=((time(7, 30), time(11, 30)), (time(13, 0), time(16, 30))),
        paper_cutoff=time(16, 0),
    )
    assert saturday_mornings.clock_start(vn(2025, 3, 3, 15, 30), paper=True) == vn(
        2025, 3, 3, 15, 30
    )
    assert saturday_mornings.clock_start(vn(2025, 3, 3, 7, 0)) == vn(2025, 3, 3, 7, 30)
    assert saturday_mornings.hours_per_day == 7.5


# -- edges ---------------------------------------------------------------------------------------


def test_dates_beyond_the_supported_years_are_refused_not_computed() -> None:
    with pytest.raises(ValueError):
        CAL.add(vn(2025, 1, 1), 1e9, "working_days")
    with pytest.raises(ValueError):
        CAL.is_working_day(date(2500, 1, 1))


def test_naive_datetimes_and_negative_amounts_are_refused() -> None:
    with pytest.raises(ValueError):
        CAL.add(datetime(2025, 1, 1), 1, "working_days")
    with pytest.raises(ValueError):
        CAL.add(vn(2025, 1, 1), -1, "working_days")


def test_local_dates_and_day_starts_are_in_vietnam_time() -> None:
    assert local_date(datetime.fromisoformat("2025-01-24T17:00:00+00:00")) == date(2025, 1, 25)
    assert day_start(date(2025, 1, 25)) == vn(2025, 1, 25)
    assert from_instant(to_instant(vn(2025, 1, 25, 8))) == vn(2025, 1, 25, 8)


# -- properties against a day-by-day reference ---------------------------------------------------

days = st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31))


def _reference_add(day: date, n: int) -> date:
    for _ in range(n):
        day += timedelta(days=1)
        while not CAL._compute_working(day):
            day += timedelta(days=1)
    return day


@settings(max_examples=300, deadline=None)
@given(days, st.integers(min_value=0, max_value=400))
def test_adding_working_days_matches_counting_day_by_day(day: date, n: int) -> None:
    assert CAL.add_working_days_to_date(day, n) == _reference_add(day, n)


@settings(max_examples=300, deadline=None)
@given(days, st.integers(min_value=1, max_value=300), st.integers(min_value=0, max_value=300))
def test_working_day_arithmetic_is_consistent(day: date, n: int, m: int) -> None:
    end = CAL.add_working_days_to_date(day, n)
    assert end > day and CAL.is_working_day(end)
    assert CAL.working_days_between(day, end) == n
    assert CAL.add_working_days_to_date(end, m) == CAL.add_working_days_to_date(day, n + m)
    assert CAL.working_day_before(end, n) <= day
    if CAL.is_working_day(day):
        assert CAL.working_day_before(end, n) == day


moments = st.datetimes(
    min_value=datetime(2000, 1, 1), max_value=datetime(2040, 1, 1), timezones=st.just(VN_TZ)
).map(lambda t: t.replace(microsecond=0))


@settings(max_examples=300, deadline=None)
@given(moments, st.integers(min_value=0, max_value=200))
def test_working_days_keep_the_time_of_day(start: datetime, n: int) -> None:
    due = CAL.add(start, n, "working_days")
    assert due.time() == start.time()
    assert due.date() == CAL.add_working_days_to_date(start.date(), n)


@settings(max_examples=300, deadline=None)
@given(moments, st.booleans())
def test_the_clock_starts_no_earlier_than_receipt_and_inside_office_hours(
    received: datetime, paper: bool
) -> None:
    start = CAL.clock_start(received, paper=paper)
    assert start >= received
    assert CAL.is_working_day(start.date())
    cutoff = CAL.paper_cutoff if paper else CAL.closing
    assert (start == received and CAL.opening <= start.time() < cutoff) or (
        start.time() == CAL.opening and start.date() >= received.date()
    )


@settings(max_examples=300, deadline=None)
@given(moments, st.integers(min_value=1, max_value=2000), st.integers(min_value=1, max_value=2000))
def test_office_hours_add_up(start: datetime, a: int, b: int) -> None:
    start = CAL.clock_start(start)
    first = CAL.add_working_hours(start, a / 10)
    assert CAL.add_working_hours(first, b / 10) == CAL.add_working_hours(start, (a + b) / 10)
    assert CAL.working_hours_between(start, first) == pytest.approx(a / 10)


@settings(max_examples=300, deadline=None)
@given(moments, st.booleans(), st.integers(min_value=0, max_value=60), st.booleans())
def test_the_fast_due_from_receipt_agrees_with_clock_start_then_add(
    received: datetime, paper: bool, n: int, fresh: bool
) -> None:
    cal = WorkCalendar() if fresh else CAL  # a fresh one has no day table yet
    t = to_instant(received)
    expected = CAL.add_s(CAL.clock_start_s(t, paper), n, "working_days")
    assert cal.due_after_receipt_s(t, paper, n, "working_days") == expected
