"""The overview's figures on a hand-made March 2025: the 766 on-time rate and its points, the
online share per level against the targets, satisfaction and the 766 satisfaction score, the
previous period, the pending counts, the weekly trends and their charts."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest
from reports_helpers import Province, add_dossier, make_province, vn
from sqlalchemy import Engine, select

from monitor.config import Settings
from monitor.db import session_scope
from monitor.evaluate import evaluate
from monitor.jobruns import run_recorded
from monitor.jobs import EVALUATE_JOB
from monitor.metrics import charts, trends
from monitor.metrics.overview import (
    overview,
    pending_by_field,
    pending_now,
    previous_period,
    rate_change,
    satisfaction_766,
    signed_count,
    signed_points,
)
from monitor.metrics.satisfaction_data import dossier_outcomes
from monitor.metrics.scope import INDEX_SPAN
from monitor.models import Feedback, JobRun, Rating
from monitor.reports.period import Period
from monitor.units import subtree_ids

MARCH = Period(date(2025, 3, 1), date(2025, 3, 31))
CONF = Settings()
EVALUATED = datetime(2025, 4, 2, 1, 0, tzinfo=UTC)


def _month(engine: Engine, p: Province) -> dict[str, int]:
    """A: early, online; B: on time, online; C: late (all three at commune A, received in March).
    D: open within deadline, E: open and overdue at the end of March, G: carried over from
    February and early, F: finished late in February (not counted in March), H: not accepted —
    the last four at the land office (province level)."""
    commune, office = p.commune_a, p.land_office

    def add(name: str, unit: int, **kw: object) -> tuple[str, int]:
        return name, add_dossier(engine, p, unit=unit, field=p.land, code=name, **kw)

    ids = dict(
        [
            add("A", commune, received="2025-03-03 09:00", due="2025-03-10 16:00", status=10,
                finished="2025-03-07 10:00", channel=2),
            add("B", commune, received="2025-03-03 09:30", due="2025-03-10 16:00", status=10,
                finished="2025-03-10 16:30", channel=2),
            add("C", commune, received="2025-03-03 10:00", due="2025-03-10 16:00", status=9,
                finished="2025-03-12 09:00"),
            add("D", office, received="2025-03-20 09:00", due="2025-04-15 16:00", status=4),
            add("E", office, received="2025-03-05 09:00", due="2025-03-14 16:00", status=4),
            add("G", office, received="2025-02-20 09:00", due="2025-03-10 16:00", status=10,
                finished="2025-03-05 11:00"),
            add("F", office, received="2025-02-20 09:00", due="2025-02-25 16:00", status=10,
                finished="2025-02-26 11:00"),
            add("H", office, received="2025-03-03 09:00", due="2025-03-10 16:00", status=3),
        ]
    )  # fmt: skip
    evaluate(engine, EVALUATED, full=True, settings=CONF)
    return ids


def _ratings_and_feedback(engine: Engine, p: Province, ids: dict[str, int]) -> None:
    """Rated in March: A very satisfied, B unsatisfied, one counter rating satisfied; one in
    April (outside). A complaint about G; a complaint about A that a person relabelled."""
    with session_scope(engine) as s:
        s.add_all(
            [
                Rating(dossier_id=ids["A"], unit_id=p.commune_a, channel="kiosk", overall=3,
                       created_at=vn("2025-03-08 10:00")),
                Rating(dossier_id=ids["B"], unit_id=p.commune_a, channel="kiosk", overall=1,
                       created_at=vn("2025-03-11 10:00")),
                Rating(unit_id=p.commune_a, channel="kiosk", overall=2,
                       created_at=vn("2025-03-31 23:59")),
                Rating(unit_id=p.commune_a, channel="kiosk", overall=1,
                       created_at=vn("2025-04-01 00:00")),
                Feedback(source="pakn", dossier_id=ids["G"], unit_id=p.land_office,
                         text="Chậm", sentiment="negative"),
                Feedback(source="pakn", dossier_id=ids["A"], unit_id=p.commune_a,
                         text="Tốt", sentiment="negative", human_sentiment="positive"),
            ]
        )  # fmt: skip


@pytest.fixture
def month(engine: Engine) -> tuple[Province, dict[str, int]]:
    p = make_province(engine)
    ids = _month(engine, p)
    _ratings_and_feedback(engine, p, ids)
    return p, ids


def test_on_time_rate_counts_settled_on_time_and_open_within_deadline(
    engine: Engine, month: tuple[Province, dict[str, int]]
) -> None:
    o = overview(engine, CONF, MARCH, None).current.on_time
    # Counted: A B C D E G (F ended in February, H was not accepted).
    assert (o.counted, o.on_time, o.settled, o.settled_late, o.open_overdue) == (6, 4, 4, 1, 1)
    assert o.rate == pytest.approx(4 / 6)
    assert o.points == pytest.approx(20 * 4 / 6)


def test_the_unit_scope_keeps_only_its_subtree(
    engine: Engine, month: tuple[Province, dict[str, int]]
) -> None:
    p, _ = month
    o = overview(engine, CONF, MARCH, subtree_ids(engine, p.commune_a))
    assert (o.current.on_time.counted, o.current.on_time.on_time) == (3, 2)
    assert o.current.satisfaction.rated == 3
    assert o.pending.overdue == 0
    assert o.current.s766 is not None and o.current.s766.considered == 3


def test_online_share_per_level_against_the_targets(
    engine: Engine, month: tuple[Province, dict[str, int]]
) -> None:
    figures = overview(engine, CONF, MARCH, None).current
    by_level = {o.level: o for o in figures.online}
    commune, province = by_level["commune"], by_level["province"]
    assert (commune.received, commune.online, commune.target) == (3, 2, 0.6)
    assert commune.meets_target is True
    assert (province.received, province.online, province.target) == (2, 0, 0.9)
    assert province.meets_target is False
    assert [o.level for o in figures.online] == ["province", "commune"]
    assert figures.online_share == pytest.approx(2 / 5)


def test_satisfaction_rate_and_766_score(
    engine: Engine, month: tuple[Province, dict[str, int]]
) -> None:
    figures = overview(engine, CONF, MARCH, None).current
    r = figures.satisfaction
    assert (r.rated, r.very_satisfied, r.satisfied, r.unsatisfied, r.counter_only) == (
        3,
        1,
        1,
        1,
        1,
    )
    s = figures.s766
    # Finished in March: A B C G; late: C; complained: B (rating), G (feedback); A's complaint
    # was relabelled positive by a person.
    assert s is not None and (s.considered, s.late, s.complained) == (4, 1, 2)
    assert s.rate == pytest.approx(0.25)
    assert s.points == pytest.approx(0.25 * 6 / 0.9)


def test_766_score_agrees_with_the_satisfaction_report(
    engine: Engine, month: tuple[Province, dict[str, int]]
) -> None:
    s = overview(engine, CONF, MARCH, None).current.s766
    per_unit = dossier_outcomes(engine, MARCH.start, MARCH.end, None).values()
    totals = tuple(sum(col) for col in zip(*per_unit, strict=True))
    assert s is not None and (s.considered, s.late, s.complained) == totals


def test_766_score_is_the_same_through_the_index_and_through_a_pass(
    engine: Engine, month: tuple[Province, dict[str, int]]
) -> None:
    # Up to INDEX_SPAN the finished dossiers are found through (status, finished_at), beyond
    # it by reading the table: both see the same ones. Finished in Feb–Mar: F, then A B C G;
    # late: F and C; complained: B (rating) and G (feedback).
    short = Period(date(2025, 2, 1), date(2025, 3, 31))
    long = Period(date(2024, 10, 1), date(2025, 3, 31))
    assert short.end - short.start <= INDEX_SPAN < long.end - long.start
    for period in (short, long):
        s = satisfaction_766(engine, period, None)
        assert s is not None and (s.considered, s.late, s.complained) == (5, 2, 2)


def test_previous_period_has_the_same_length_and_ends_the_day_before() -> None:
    assert previous_period(MARCH) == Period(date(2025, 1, 29), date(2025, 2, 28))
    one_day = Period(date(2025, 3, 1), date(2025, 3, 1))
    assert previous_period(one_day) == Period(date(2025, 2, 28), date(2025, 2, 28))


def test_change_against_the_previous_period(
    engine: Engine, month: tuple[Province, dict[str, int]]
) -> None:
    o = overview(engine, CONF, MARCH, None)
    # February: F settled late, G open within deadline at the end.
    assert (o.previous.on_time.counted, o.previous.on_time.on_time) == (2, 1)
    change = rate_change(o.current.on_time.rate, o.previous.on_time.rate)
    assert change == pytest.approx((4 / 6 - 1 / 2) * 100)
    assert signed_points(change) == "+16,7 điểm %"
    assert signed_points(-0.04) == "-0,0 điểm %"
    assert signed_points(None) is None
    assert signed_count(-1234) == "-1.234" and signed_count(0) == "+0"


def test_pending_now_reads_the_engines_stored_statuses(
    engine: Engine, month: tuple[Province, dict[str, int]]
) -> None:
    p, _ = month
    # Evaluated on 02/04/2025: E (due 14/03) and D (due 15/04, not within one working day).
    everything = pending_now(engine, None)
    assert (everything.overdue, everything.due_soon) == (1, 0)
    assert everything.evaluated_at == EVALUATED
    assert pending_now(engine, subtree_ids(engine, p.commune_a)).overdue == 0


def test_pending_now_is_as_fresh_as_the_last_successful_scheduled_evaluation(
    engine: Engine, month: tuple[Province, dict[str, int]]
) -> None:
    def failing() -> None:
        raise RuntimeError("CSDL bận")

    # A scheduled run that changes nothing still says the counts were judged then.
    run_recorded(engine, EVALUATE_JOB, lambda: evaluate(engine, EVALUATED, settings=CONF).as_json())
    with session_scope(engine) as s:
        started = s.scalars(select(JobRun.started_at).where(JobRun.job_id == EVALUATE_JOB)).one()
    assert started > EVALUATED
    assert pending_now(engine, None).evaluated_at == started
    run_recorded(engine, EVALUATE_JOB, failing)  # a failed run is no news
    assert pending_now(engine, None).evaluated_at == started


def test_pending_by_field_lists_land_first(engine: Engine) -> None:
    p = make_province(engine)
    for i in range(3):
        add_dossier(engine, p, unit=p.commune_a, field=p.civil, received="2025-03-01",
                    due="2025-03-05", code=f"HT-{i}")  # fmt: skip
    add_dossier(engine, p, unit=p.commune_a, field=p.land, received="2025-03-01",
                due="2025-03-05", code="DD-1")  # fmt: skip
    add_dossier(engine, p, unit=p.commune_a, field=None, received="2025-03-01",
                due="2025-04-02 16:00", code="X-1")  # fmt: skip
    evaluate(engine, EVALUATED, full=True, settings=CONF)
    rows = pending_by_field(engine, None)
    assert [(r.field, r.overdue, r.due_soon) for r in rows] == [
        ("Đất đai", 1, 0),
        ("Hộ tịch", 3, 0),
        ("Chưa xác định lĩnh vực", 0, 1),
    ]


def test_trend_window_covers_at_least_thirteen_weeks_ending_with_the_period() -> None:
    first, weeks, last = trends.window(MARCH)
    assert (first, weeks, last) == (date(2025, 1, 6), 13, date(2025, 3, 31))
    long = Period(date(2025, 1, 1), date(2025, 6, 30))
    first, weeks, _ = trends.window(long)
    assert first == date(2024, 12, 30) and weeks == 27  # 30/12/2024 … week of 30/06/2025


def test_weekly_trends_count_by_vietnamese_week(
    engine: Engine, month: tuple[Province, dict[str, int]]
) -> None:
    weeks = {w.start: w for w in trends.weekly(engine, MARCH, None)}
    w3 = weeks[date(2025, 3, 3)]  # A B C E received (H not accepted); A and G finished
    assert (w3.received, w3.online, w3.finished, w3.finished_on_time) == (4, 2, 2, 2)
    w10 = weeks[date(2025, 3, 10)]  # B on time, C late
    assert (w10.finished, w10.finished_on_time, w10.finished_late) == (2, 1, 1)
    assert w10.on_time_share == pytest.approx(0.5)
    assert w10.satisfied_share == pytest.approx(0.0)  # B's rating, 11/03
    assert weeks[date(2025, 3, 17)].received == 1  # D
    assert weeks[date(2025, 3, 31)].satisfied == 1  # the counter rating of 31/03 23:59
    assert weeks[date(2025, 2, 17)].received == 2  # F and G, 20/02
    assert weeks[date(2025, 1, 6)].received == 0


def test_a_week_runs_from_monday_midnight_in_vietnam(engine: Engine) -> None:
    p = make_province(engine)
    add_dossier(engine, p, unit=p.commune_a, field=p.civil, received="2025-03-09 23:59",
                due="2025-03-20", code="SUN")  # fmt: skip
    add_dossier(engine, p, unit=p.commune_a, field=p.civil, received="2025-03-10 00:00",
                due="2025-03-20", code="MON")  # fmt: skip
    weeks = {w.start: w.received for w in trends.weekly(engine, MARCH, None)}
    assert weeks[date(2025, 3, 3)] == 1 and weeks[date(2025, 3, 10)] == 1


def test_rates_chart_carries_the_weekly_shares_in_vietnamese(
    engine: Engine, month: tuple[Province, dict[str, int]]
) -> None:
    spec = charts.rates_chart(trends.weekly(engine, MARCH, None)).to_dict()
    (values,) = spec["datasets"].values()
    on_time = {v["week"]: v for v in values if v["series"] == "Giải quyết đúng hạn"}
    assert on_time["2025-03-10"]["value"] == pytest.approx(0.5)
    assert on_time["2025-03-10"]["value_text"] == "50,0 %"
    assert "2025-01-06" not in on_time  # nothing finished that week: no point, not 0 %
    assert spec["config"]["locale"]["number"]["decimal"] == ","
    assert json.dumps(spec, ensure_ascii=False).count("Nộp trực tuyến") >= 1
