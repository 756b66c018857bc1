"""The calendar's day arithmetic on arrays gives what WorkCalendar gives one value at a time,
around Tết 2025, the Hùng Kings day, 30/4–1/5 and the make-up Saturday 26/4/2025."""

from __future__ import annotations

from datetime import date

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from monitor.calendar import DAY_S, VN_OFFSET_S, WorkCalendar
from monitor.calendar_arrays import (
    add_working_days,
    due_after_receipt,
    working_day_before,
    working_days_between,
)
from monitor.enums import TimeUnit

CAL = WorkCalendar().with_overrides(working_days=[date(2025, 2, 8)])
T0 = 1_734_627_600  # 20/12/2024 00:00 in Vietnam
T1 = 1_747_674_000  # 20/5/2025 00:00 in Vietnam
instants = st.integers(T0, T1).map(lambda t: t - t % 60)
days = instants.map(lambda t: (t + VN_OFFSET_S) // DAY_S)


def _ints(values: list[int]) -> np.ndarray:
    return np.asarray(values, dtype=np.int64)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            instants,
            st.booleans(),
            st.integers(0, 30),
            st.sampled_from([TimeUnit.WORKING_DAYS, TimeUnit.CALENDAR_DAYS, TimeUnit.HOURS]),
        ),
        min_size=1,
        max_size=20,
    )
)
def test_due_after_receipt_matches_the_calendar(
    rows: list[tuple[int, bool, int, TimeUnit]],
) -> None:
    rows = [(t, p, n if u != TimeUnit.HOURS else n + 1, u) for t, p, n, u in rows]
    hours = np.asarray([u == TimeUnit.HOURS for *_, u in rows])
    amount = _ints([n * 3600 if u == TimeUnit.HOURS else n for _, _, n, u in rows])
    got = due_after_receipt(
        CAL,
        _ints([t for t, *_ in rows]),
        np.asarray([p for _, p, *_ in rows]),
        amount,
        np.asarray([u == TimeUnit.CALENDAR_DAYS for *_, u in rows]),
        hours,
    )
    expected = [CAL.due_after_receipt_s(t, p, float(n), u) for t, p, n, u in rows]
    assert got.tolist() == expected


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(days, days, st.integers(0, 40)), min_size=1, max_size=20))
def test_day_counts_match_the_calendar(rows: list[tuple[int, int, int]]) -> None:
    a, b, n = (_ints([r[k] for r in rows]) for k in range(3))
    assert working_days_between(CAL, a, b).tolist() == [
        CAL.working_days_between_edays(x, y) for x, y, _ in rows
    ]
    assert add_working_days(CAL, a, n).tolist() == [
        CAL.add_working_days_eday(x, k) for x, _, k in rows
    ]
    assert working_day_before(CAL, a, 2).tolist() == [
        CAL.working_day_before_eday(x, 2) for x, _, _ in rows
    ]


def test_office_hours_from_the_lunch_break_and_to_the_end_of_a_shift() -> None:
    monday_noon = 1_740_978_000  # 03/3/2025 12:00 in Vietnam
    monday_nine = monday_noon - 3 * 3600
    got = due_after_receipt(
        CAL,
        _ints([monday_noon, monday_nine, monday_nine]),
        np.asarray([False, False, False]),
        _ints([3600, 9000, 8 * 3600]),
        np.asarray([False, False, False]),
        np.asarray([True, True, True]),
    )
    # 13:30 + 1 h; 09:00 + 2.5 h ends the morning at 11:30; 8 h end Tuesday 09:00.
    assert got.tolist() == [monday_noon + 9000, monday_nine + 9000, monday_nine + DAY_S]
