"""The "Xếp hạng" page for each role: last month's ranking on the lower bound of the 95 %
interval, units under the minimum sample listed apart, month over month, peers only."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import pytest
from console_apptest import console_on, no_exception, open_page, shown_text
from console_world import add_rating, add_users
from reports_helpers import VN, Province, add_dossier, make_province
from sqlalchemy import Engine

from console.session import SignedIn
from monitor.metrics.ranking import previous_month


@dataclass
class League:
    p: Province
    users: dict[str, SignedIn]
    last_month: date


def _at(month: date, day: int) -> datetime:
    return datetime(month.year, month.month, day, 9, 0, tzinfo=VN)


@pytest.fixture
def league(
    engine: Engine, db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[League]:
    """Last month: An Phú 36 of 40 satisfied, Bình Minh 3 of 3, the department 30 of 30; the
    month before: An Phú 20 of 40. Dossiers: An Phú 2 on time of 2, Bình Minh 1 late of 1."""
    p = make_province(engine)
    users = add_users(engine, p)
    today = datetime.now(VN).date()
    last = previous_month(today)
    before = previous_month(last)
    for i in range(40):
        add_rating(engine, p.commune_a, 3 if i < 36 else 1, _at(last, 1 + i % 20))
        add_rating(engine, p.commune_a, 3 if i < 20 else 1, _at(before, 1 + i % 20))
    for i in range(3):
        add_rating(engine, p.commune_b, 3, _at(last, 5 + i))
    for i in range(30):
        add_rating(engine, p.land_office, 3, _at(last, 1 + i % 20))
    for unit, finished in ((p.commune_a, 3), (p.commune_a, 4), (p.commune_b, 9)):
        add_dossier(
            engine,
            p,
            unit=unit,
            field=p.civil,
            received=f"{last:%Y-%m}-02 09:00",
            due=f"{last:%Y-%m}-05 09:00",
            finished=f"{last:%Y-%m}-{finished:02d} 10:00",
            status=10,
        )
    with console_on(db_url, tmp_path, monkeypatch):
        yield League(p, users, last)


def _satisfaction(at):  # type: ignore[no-untyped-def]
    at.radio(key="ranking_metric").set_value("satisfaction").run()
    no_exception(at)
    return at


def test_last_month_ranked_on_satisfaction_small_units_apart(league: League) -> None:
    at = _satisfaction(open_page("ranking", league.users["thanhtra"]))
    ranked, small = at.dataframe[0].value, at.dataframe[1].value
    first = ranked.iloc[0]
    assert (first["Hạng"], first["Đơn vị"], first["Đạt / số mẫu"]) == (
        1,
        "UBND xã An Phú",
        "36 / 40",
    )
    assert first["Tỷ lệ"] == "90,0 %"
    # An Phú was first of one the month before as well.
    assert (first["Hạng tháng trước"], first["Thay đổi"]) == ("1", "=")
    assert list(small["Đơn vị"]) == ["UBND phường Bình Minh"]  # 3 of 3 but under 30
    assert "Sở Nông nghiệp và Môi trường" not in shown_text(at)  # not a commune's peer
    assert at.get("vega_lite_chart")


def test_provincial_agencies_are_ranked_among_themselves(league: League) -> None:
    at = _satisfaction(open_page("ranking", league.users["thanhtra"]))
    at.selectbox(key="ranking_group").set_value("province").run()
    no_exception(at)
    ranked = at.dataframe[0].value
    assert list(ranked["Đơn vị"]) == ["Sở Nông nghiệp và Môi trường"]
    assert list(ranked["Thay đổi"]) == ["mới"]


def test_a_lower_minimum_sample_ranks_the_small_unit_still_below_the_large(
    league: League,
) -> None:
    at = _satisfaction(open_page("ranking", league.users["quantri"]))
    at.number_input(key="ranking_min_sample").set_value(1).run()
    no_exception(at)
    ranked = at.dataframe[0].value
    # 3 of 3 has a 95 % lower bound of 43,9 %; 36 of 40 one of 76,9 %.
    assert list(ranked["Đơn vị"]) == ["UBND xã An Phú", "UBND phường Bình Minh"]
    assert len(at.dataframe) == 1


def test_on_time_ranking_by_default(league: League) -> None:
    at = open_page("ranking", league.users["thanhtra"])
    at.number_input(key="ranking_min_sample").set_value(1).run()
    no_exception(at)
    ranked = at.dataframe[0].value
    assert list(ranked["Đơn vị"]) == ["UBND xã An Phú", "UBND phường Bình Minh"]
    assert list(ranked["Đạt / số mẫu"]) == ["2 / 2", "0 / 1"]


def test_commune_supervisor_sees_only_their_commune(league: League) -> None:
    at = _satisfaction(open_page("ranking", league.users["giamsat.b"]))
    text = shown_text(at)
    assert "An Phú" not in text and "Sở Nông nghiệp" not in text
    assert "UBND phường Bình Minh" in text


def test_a_month_without_data_says_so(league: League) -> None:
    at = open_page("ranking", league.users["thanhtra"])
    three_months_ago = previous_month(previous_month(league.last_month))
    at.selectbox(key="ranking_month").set_value(three_months_ago).run()
    no_exception(at)
    assert "Nhóm so sánh này không có số liệu trong tháng." in [i.value for i in at.info]


def test_the_current_month_is_counted_up_to_today(league: League) -> None:
    at = open_page("ranking", league.users["thanhtra"])
    at.selectbox(key="ranking_month").set_value(datetime.now(VN).date().replace(day=1)).run()
    no_exception(at)
    today = datetime.now(VN).date()
    period = f"Kỳ {today.replace(day=1):%d/%m/%Y} – {today:%d/%m/%Y}"
    assert any(c.value.startswith(period) for c in at.caption)
