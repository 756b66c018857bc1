"""Biểu II.06a: known counts for every column on a hand-made month, the identities, levels,
unit scope, and the fast (SQL) path held to the engine-on-every-dossier path."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reports_helpers import Province, add_dossier, make_province, random_dossiers
from sqlalchemy import Engine, delete

from monitor.config import Settings
from monitor.db import session_scope
from monitor.models import Apology, Dossier, Supplement, Unit
from monitor.reports import form06a
from monitor.reports import sql as report_sql
from monitor.reports.counting import count_exact, count_fast
from monitor.reports.period import Period, ReportInputError, Scope, resolve_scope

MARCH = Period(date(2025, 3, 1), date(2025, 3, 31))
APRIL = Period(date(2025, 4, 1), date(2025, 4, 30))
ALL = Scope(None, "Toàn tỉnh", None)
CONF = Settings()
NOW = datetime(2025, 4, 2, 1, 0, tzinfo=UTC)


def _month(engine: Engine, p: Province) -> None:
    """One dossier per case of DOMAIN.md §7, in one field and unit; letters as in the docstring
    of test_every_column_counts_the_hand_made_month."""

    def add(received: str, due: str | None, status: int, **kw: object) -> None:
        add_dossier(
            engine,
            p,
            unit=p.land_office,
            field=p.land,
            received=received,
            due=due,
            status=status,
            **kw,
        )  # type: ignore[arg-type]

    add("2025-03-03 09:00", "2025-03-10 17:00", 10, channel=2, finished="2025-03-07 10:00")  # A
    add("2025-03-03 10:00", "2025-03-10 08:00", 9, finished="2025-03-10 16:59")  # B
    add("2025-03-04 09:00", "2025-03-10 17:00", 10, channel=3, finished="2025-03-11 08:00")  # C
    add("2025-02-20 09:00", "2025-03-06 17:00", 10, channel=2, finished="2025-03-05 10:00")  # D
    add("2025-02-15 09:00", "2025-03-10 17:00", 4)  # E
    add("2025-03-05 09:00", "2025-03-12 17:00", 5, supplements=[("2025-03-06 09:00", None, None)])
    add("2025-03-05 10:00", "2025-03-07 17:00", 6, channel=2)  # F2
    add("2025-03-24 09:00", "2025-03-31 17:00", 4)  # G
    add("2025-03-20 09:00", "2025-03-28 17:00", 4)  # H
    add("2025-03-10 09:00", "2025-03-20 17:00", 7, channel=2, finished="2025-03-15 09:00")  # I
    add("2025-03-11 09:00", "2025-03-14 17:00", 8, finished="2025-03-20 09:00")  # I2
    add("2025-02-20 09:00", "2025-02-27 17:00", 10, finished="2025-02-28 23:59")  # J
    add("2025-02-20 10:00", "2025-02-27 17:00", 10, finished="2025-03-01 00:00")  # K
    add("2025-03-05 11:00", "2025-03-12 17:00", 3)  # L
    add("2025-04-01 00:00", "2025-04-08 17:00", 4)  # M
    add("2025-03-31 23:59", "2025-04-07 17:00", 4)  # N
    add("2025-03-25 09:00", "2025-04-15 17:00", 10, channel=2, finished="2025-04-01 09:00")  # O
    add(
        "2025-03-03 11:00",
        "2025-03-10 17:00",
        10,
        finished="2025-03-11 10:00",
        supplements=[("2025-03-04 09:00", "2025-03-06 09:00", None)],
    )  # P
    add(
        "2025-03-03 12:00",
        "2025-03-07 17:00",
        10,
        finished="2025-03-12 10:00",
        apologies=[("2025-03-05 09:00", "2025-03-14 17:00")],
    )  # Q
    add("2025-02-10 09:00", None, 7)  # R
    add("2025-02-25 09:00", "2025-03-03 17:00", 5, supplements=[("2025-02-27 09:00", None, None)])


def _total(engine: Engine, period: Period = MARCH, scope: Scope = ALL) -> dict[str, int]:
    grouped = form06a.group(count_fast(engine, CONF, period, scope), form06a.Catalogue.load(engine))
    return form06a.with_totals(grouped.total())


def test_every_column_counts_the_hand_made_month(engine: Engine) -> None:
    """4: new online (A, F2, I, O). 5: new at the counter or by post (B, C, F, G, H, I2, N, P,
    Q). 6: carried over, open at the start (D, E, K — finished at 00:00 on the first day —
    and S, waiting). Settled early A, D and P (its appointment moved by the two working days
    it waited for the citizen); on time B (finished later on the due date), I (withdrawn),
    I2 (stopped); late C, K and Q (an apology does not move the date lateness is judged
    against). In progress within deadline F, F2, S (waiting count here), G (due on the last
    day), N, O (finished only after the period); overdue E and H. J (closed before the
    period), L (not accepted), M (received after it) and R (withdrawn long ago) are out."""
    _month(engine, make_province(engine))
    expected = {
        "3": 17,
        "4": 4,
        "5": 9,
        "6": 4,
        "7": 9,
        "8": 3,
        "9": 3,
        "10": 3,
        "11": 8,
        "12": 6,
        "13": 2,
    }
    assert _total(engine) == expected
    exact = form06a.group(count_exact(engine, CONF, MARCH, ALL), form06a.Catalogue.load(engine))
    assert form06a.with_totals(exact.total()) == expected


def test_a_dossier_waiting_for_a_supplement_at_the_end_counts_within_deadline(
    engine: Engine,
) -> None:
    """Both are in hand now and were due on 20/03. W was asked for a supplement on 25/03 that
    came back only on 02/04, so on 31/03 it was waiting for the citizen: column 12, though its
    status today is "finished". X's request came back on 11/03 (one day waited, due moved to
    21/03): on 31/03 it was in the agency's hands and overdue, column 13."""
    p = make_province(engine)
    common = {"unit": p.land_office, "field": p.land, "received": "2025-03-03 09:00"}
    add_dossier(
        engine,
        p,
        **common,  # type: ignore[arg-type]
        due="2025-03-20 17:00",
        status=10,
        finished="2025-04-03 09:00",
        supplements=[("2025-03-25 09:00", "2025-04-02 09:00", None)],
        code="W",
    )
    add_dossier(
        engine,
        p,
        **common,  # type: ignore[arg-type]
        due="2025-03-20 17:00",
        status=4,
        supplements=[("2025-03-10 09:00", "2025-03-11 09:00", None)],
        code="X",
    )
    total = _total(engine)
    assert (total["11"], total["12"], total["13"]) == (2, 1, 1)
    # In April W is finished (late); it was open at the start, so it is carried over.
    april = _total(engine, APRIL)
    assert (april["6"], april["10"], april["13"]) == (2, 1, 1)


def test_the_identities_hold_on_every_row_section_and_total(engine: Engine) -> None:
    p = make_province(engine)
    random_dossiers(engine, p, random.Random(7), 250)
    report = form06a.build(engine, CONF, MARCH, ALL, NOW)
    rows = list(report.tables[0].rows)
    assert len(rows) > 5
    for row in rows:
        c = dict(zip(form06a.NUMBER_COLUMNS, row.cells[2:], strict=True))
        assert c["3"] == c["4"] + c["5"] + c["6"]
        assert c["7"] == c["8"] + c["9"] + c["10"]
        assert c["11"] == c["12"] + c["13"]
        assert c["3"] == c["7"] + c["11"]  # every dossier counted is settled or in progress


def test_the_same_parameters_on_the_same_data_give_the_same_rows_and_hash(
    engine: Engine, tmp_path: Path
) -> None:
    from monitor.reports.writers import WRITERS

    p = make_province(engine)
    random_dossiers(engine, p, random.Random(3), 200)
    first = form06a.build(engine, CONF, MARCH, ALL, NOW)
    later = form06a.build(engine, CONF, MARCH, ALL, datetime(2026, 1, 1, tzinfo=UTC))
    a = WRITERS["xlsx"](first, tmp_path / "a.xlsx").sha256
    b = WRITERS["pdf"](later, tmp_path / "b.pdf").sha256
    again = form06a.build(engine, CONF, MARCH, ALL, NOW)
    assert a == b == WRITERS["json"](again, tmp_path / "c.json").sha256
    add_dossier(engine, p, unit=p.commune_b, field=p.civil, received="2025-03-03", due=None)
    changed = form06a.build(engine, CONF, MARCH, ALL, NOW)
    assert WRITERS["csv"](changed, tmp_path / "d.csv").sha256 != a


@pytest.mark.parametrize(
    "conf", [CONF, Settings(apology_due_basis="reset")], ids=["original", "reset"]
)
@pytest.mark.parametrize("reading", ["indexes", "one pass"])
def test_fast_counts_equal_the_engine_on_every_dossier(
    engine: Engine, conf: Settings, reading: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Short periods are read through indexes, long ones in one pass: both ways, every period.
    span = timedelta(days=3650) if reading == "indexes" else timedelta(days=-1)
    monkeypatch.setattr(report_sql, "INDEX_PERIOD", span)
    p = make_province(engine)
    random_dossiers(engine, p, random.Random(2025), 400)
    half_year = Period(date(2025, 1, 1), date(2025, 6, 30))
    for period in (MARCH, APRIL, Period(date(2025, 3, 15), date(2025, 3, 15)), half_year):
        fast = count_fast(engine, conf, period, ALL).cells
        exact = count_exact(engine, conf, period, ALL).cells
        assert fast == exact, period


def test_carried_over_this_month_is_what_was_open_at_the_end_of_last_month(
    engine: Engine,
) -> None:
    p = make_province(engine)
    random_dossiers(engine, p, random.Random(11), 300)
    march = count_fast(engine, CONF, MARCH, ALL).cells
    april = count_fast(engine, CONF, APRIL, ALL).cells
    for key in set(march) | set(april):
        was_open = march.get(key, {}).get("12", 0) + march.get(key, {}).get("13", 0)
        assert april.get(key, {}).get("6", 0) == was_open, key


def test_fields_are_grouped_by_level_with_section_subtotals(engine: Engine) -> None:
    p = make_province(engine)
    with session_scope(engine) as s:
        old = Unit(code="H56.H1", name="UBND huyện Cũ", level="district", parent_id=p.province)
        merged = Unit(
            code="H56.H2",
            name="UBND huyện Nhập",
            level="district",
            parent_id=p.province,
            successor_id=p.commune_b,
        )
        s.add_all([old, merged])
        s.flush()
        old_id, merged_id = old.id, merged.id
    day = {"received": "2025-03-03 09:00", "due": "2025-03-10 17:00", "status": 4}
    add_dossier(engine, p, unit=p.land_office, field=p.land, **day)  # type: ignore[arg-type]
    add_dossier(engine, p, unit=p.commune_a, field=p.civil, **day)  # type: ignore[arg-type]
    add_dossier(engine, p, unit=merged_id, field=p.land, **day)  # type: ignore[arg-type]
    add_dossier(engine, p, unit=old_id, field=None, **day)  # type: ignore[arg-type]
    rows = list(form06a.build(engine, CONF, MARCH, ALL, NOW).tables[0].rows)
    labels = [(r.cells[0], r.cells[1], r.cells[2]) for r in rows]
    assert labels == [
        ("I", "Cấp tỉnh", 1),
        ("1", "Đất đai", 1),
        ("II", "Cấp huyện (trước 01/7/2025)", 1),
        ("1", "Chưa xác định lĩnh vực", 1),
        ("III", "Cấp xã", 2),
        ("1", "Hộ tịch", 1),  # G01-HT sorts before G09-DD: catalogue order by field code
        ("2", "Đất đai", 1),
        ("", "Tổng cộng", 4),
    ]


def test_a_unit_scope_counts_only_its_subtree(engine: Engine) -> None:
    p = make_province(engine)
    day = {"received": "2025-03-03 09:00", "due": "2025-03-10 17:00", "status": 4}
    add_dossier(engine, p, unit=p.land_office, field=p.land, **day)  # type: ignore[arg-type]
    add_dossier(engine, p, unit=p.commune_a, field=p.civil, **day)  # type: ignore[arg-type]
    assert _total(engine, scope=resolve_scope(engine, "H56.X1", "-"))["3"] == 1
    assert _total(engine, scope=resolve_scope(engine, "H56", "-"))["3"] == 2
    with pytest.raises(ReportInputError, match="Không có đơn vị mã 'NOPE'"):
        resolve_scope(engine, "NOPE", "-")


def test_a_period_ending_before_it_starts_is_refused() -> None:
    with pytest.raises(ReportInputError, match="ngày kết thúc 28/02/2025"):
        Period(date(2025, 3, 1), date(2025, 2, 28))


def test_an_empty_province_gives_a_zero_total_row(engine: Engine) -> None:
    make_province(engine)
    rows = list(form06a.build(engine, CONF, MARCH, ALL, NOW).tables[0].rows)
    assert [r.cells for r in rows] == [("", "Tổng cộng", *([0] * 11))]


_PROVINCES: dict[str, Province] = {}
_times = st.integers(min_value=0, max_value=80 * 86400).map(lambda s: s - s % 60)


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.tuples(
            _times,
            st.one_of(st.none(), _times),
            st.sampled_from((2, 4, 5, 7, 8, 9, 10)),
            st.one_of(st.none(), _times),
            st.sampled_from((1, 2)),
            st.booleans(),
        ),
        max_size=12,
    )
)
def test_fast_and_exact_agree_on_generated_dossiers(engine: Engine, cases: list) -> None:
    """Offsets in seconds from 01/02/2025 00:00 (Vietnam); the last flag adds an apology."""
    with session_scope(engine) as s:
        for model in (Supplement, Apology, Dossier):
            s.execute(delete(model))
    # One province per database: hypothesis runs every example on the same test database.
    p = _PROVINCES.get(str(engine.url)) or _PROVINCES.setdefault(
        str(engine.url), make_province(engine)
    )
    base = datetime(2025, 2, 1, tzinfo=UTC).timestamp() - 7 * 3600
    with session_scope(engine) as s:
        for i, (rec, due, status, fin, channel, apology) in enumerate(cases):
            at = lambda x: None if x is None else datetime.fromtimestamp(base + x, UTC)  # noqa: E731
            d = Dossier(
                source_id=p.source,
                code=f"G{i}",
                field_id=p.land,
                resolving_unit_id=p.commune_a,
                channel=channel,
                received_at=at(rec),
                due_at=at(due),
                finished_at=at(fin),
                status=status,
            )
            if apology and due is not None:
                d.apologies.append(Apology(seq=1, issued_at=at(max(0, due - 86400))))
            s.add(d)
    for period in (MARCH, Period(date(2025, 2, 10), date(2025, 2, 20))):
        assert (
            count_fast(engine, CONF, period, ALL).cells
            == count_exact(engine, CONF, period, ALL).cells
        )


@pytest.mark.slow
@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_on_the_demo_province_the_identities_hold_and_fast_equals_exact(engine: Engine) -> None:
    from monitor.demo.generator import end_of_day
    from monitor.demo.run import run_demo

    end = date(2025, 10, 31)
    run_demo(engine, seed=3, days=40, end=end, as_of=end_of_day(end), scale=0.05)
    october = Period(date(2025, 10, 1), end)
    assert (
        count_fast(engine, CONF, october, ALL).cells
        == count_exact(engine, CONF, october, ALL).cells
    )
    rows = list(form06a.build(engine, CONF, october, ALL, NOW).tables[0].rows)
    assert {r.cells[1] for r in rows} >= {"Cấp tỉnh", "Cấp xã", "Tổng cộng"}
    for row in rows:
        c = dict(zip(form06a.NUMBER_COLUMNS, row.cells[2:], strict=True))
        assert c["3"] == c["4"] + c["5"] + c["6"] == c["7"] + c["11"]
        assert c["7"] == c["8"] + c["9"] + c["10"] and c["11"] == c["12"] + c["13"]
    assert rows[-1].cells[2] > 100
