"""The simulated province: deterministic, plausible, streamed to files, imported idempotently."""

from __future__ import annotations

import csv
import json
import re
from collections import Counter
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from pathlib import Path
from random import Random
from typing import Any

import pytest
from sqlalchemy import Engine, func, select

from monitor.calendar import VN_TZ, WorkCalendar
from monitor.cli import main
from monitor.demo.catalogue import load_catalogue
from monitor.demo.comments import (
    ATTITUDE,
    LAND,
    ONLINE,
    PRAISE,
    QUESTION,
    SLOW,
    SUGGESTION,
    compose,
    pick_topic,
)
from monitor.demo.export import CSV_COLUMNS, export_file
from monitor.demo.generator import (
    Simulation,
    day_volume,
    demo_calendar,
    end_of_day,
    export_records,
    generate,
    recent_records,
)
from monitor.demo.province import build_province
from monitor.demo.run import DEMO_SOURCE, run_demo
from monitor.demo.staff import counter_officers
from monitor.enums import TimeUnit
from monitor.models import Dossier, Feedback, Officer, QuarantinedRow, Rating, Source, Unit

Record = dict[str, Any]
END = date(2025, 10, 31)
EVENT_DATES = ("NgayNopHoSo", "NgayTiepNhan", "NgayKetThucXuLy", "NgayTra")


def vn(stamp: str) -> datetime:
    return datetime.strptime(stamp, "%Y%m%d%H%M%S").replace(tzinfo=VN_TZ)


def day_of(stamp: str) -> date:
    return vn(stamp).date()


@pytest.fixture(scope="module")
def october() -> list[Record]:
    """Sixty days at a fifth of the province's volume, as of the end of 31/10/2025."""
    return list(generate(seed=11, days=60, end=END, scale=0.2))


def received(records: list[Record]) -> Iterator[Record]:
    return (r for r in records if "NgayTiepNhan" in r)


def effective_due(rec: Record) -> str:
    sups = [s for s in rec.get("DanhSachHoSoBoSung", []) if s.get("NgayHenTraMoi")]
    return sups[-1]["NgayHenTraMoi"] if sups else rec["NgayHenTra"]


def finished_late(rec: Record) -> bool:
    """Finished on a later date than the appointment in force (yyyyMMdd compares as text)."""
    return rec["NgayKetThucXuLy"][:8] > effective_due(rec)[:8]


# -- determinism ------------------------------------------------------------------------------


def test_same_arguments_give_identical_records() -> None:
    first = json.dumps(list(generate(seed=3, days=4, end=END, scale=0.2)), ensure_ascii=False)
    again = json.dumps(list(generate(seed=3, days=4, end=END, scale=0.2)), ensure_ascii=False)
    assert first == again


def test_another_seed_gives_other_dossiers() -> None:
    a = list(generate(seed=3, days=2, end=END, scale=0.2))
    b = list(generate(seed=4, days=2, end=END, scale=0.2))
    assert [r["MaTTHC"] for r in a] != [r["MaTTHC"] for r in b]


def test_a_day_looks_the_same_whatever_the_window() -> None:
    short = list(generate(seed=3, days=3, end=END, scale=0.2))
    long = list(generate(seed=3, days=12, end=END, scale=0.2))
    assert short and short == long[-len(short) :]


def test_a_dossier_only_progresses_as_time_passes() -> None:
    as_of = datetime(2025, 10, 29, 10, 0, tzinfo=VN_TZ)
    earlier = {
        r["MaHoSo"]: r
        for r in generate(seed=3, days=5, end=END, scale=0.2, as_of=int(as_of.timestamp()))
    }
    later = {r["MaHoSo"]: r for r in generate(seed=3, days=5, end=END, scale=0.2)}
    assert earlier.keys() <= later.keys()
    for code, before in earlier.items():
        after = later[code]
        for key in ("NgayNopHoSo", "NgayTiepNhan", "NgayHenTra", "MaTTHC", "DonViXuLy"):
            assert key not in before or before[key] == after[key]
        assert len(before.get("QuaTrinhXuLy", [])) <= len(after.get("QuaTrinhXuLy", []))


def test_nothing_after_the_as_of_moment_is_shown() -> None:
    as_of = datetime(2025, 10, 30, 9, 30, tzinfo=VN_TZ)
    stamp = as_of.strftime("%Y%m%d%H%M%S")
    records = list(generate(seed=5, days=20, end=END, scale=0.1, as_of=int(as_of.timestamp())))
    for rec in records:
        assert all(rec[k] <= stamp for k in EVENT_DATES if k in rec)
        for step in rec.get("QuaTrinhXuLy", []):
            assert step["NgayBatDau"] <= stamp and step.get("ThoiDiemXuLy", "") <= stamp
        for letter in rec.get("DanhSachXinLoi", []):
            assert letter["NgayXinLoi"] <= stamp
    assert max(r["NgayTiepNhan"] for r in received(records)) > "20251030070000"


def test_recent_records_are_those_of_the_last_days_as_of_now() -> None:
    now = datetime(2025, 10, 29, 16, 0, tzinfo=VN_TZ)
    records = recent_records(seed=2, days=3, now=now, scale=0.1)
    days = {day_of(r["NgayTiepNhan"]) for r in received(records)}
    assert days == {date(2025, 10, 27), date(2025, 10, 28), date(2025, 10, 29)}
    assert all(r["NgayNopHoSo"] <= "20251029160000" for r in records)
    later = now + timedelta(hours=18)  # planned once, shown again as time passes
    fresh = list(generate(seed=2, days=3, end=date(2025, 10, 30), scale=0.1,
                          as_of=int(later.timestamp())))  # fmt: skip
    assert recent_records(seed=2, days=3, now=later, scale=0.1) == fresh


# -- plausibility -----------------------------------------------------------------------------


def test_catalogue_has_at_least_60_procedures_in_8_fields_with_land_times_of_nd_101() -> None:
    cat = load_catalogue()
    known = cat.known
    assert len(known) >= 60 and len({p.field_code for p in known}) >= 8
    by_name = {p.name: p for p in known}
    assert by_name["Đăng ký đất đai, tài sản gắn liền với đất lần đầu"].legal_amount == 20
    assert by_name["Tách thửa hoặc hợp thửa đất"].legal_amount == 12
    assert by_name["Cấp lại Giấy chứng nhận do bị mất"].legal_amount == 10
    assert {p.legal_unit for p in known} == set(TimeUnit)
    assert all(p.level in ("province", "commune") for p in known)


def test_province_has_a_centre_twelve_departments_forty_communes_and_retired_districts() -> None:
    p = build_province()
    sở = [d for d in p.departments.values() if d.unit.name.startswith("Sở")]
    assert len(sở) == 11 and len(p.departments) == 13  # + Văn phòng UBND tỉnh, Thuế tỉnh
    assert len(p.communes) == 40 and all(c.valid_from == date(2025, 7, 1) for c in p.communes)
    assert all(d.valid_to == date(2025, 7, 1) and d.successor in p.by_code for d in p.districts)
    assert len({u.code for u in p.units}) == len(p.units)


def test_volume_is_zero_on_days_off_and_peaks_on_mondays() -> None:
    cal = demo_calendar()
    days = [date(2025, 9, 1) + timedelta(days=i) for i in range(84)]
    volumes = {d: day_volume(cal, 7, 1.0, (d - date(1970, 1, 1)).days) for d in days}
    assert volumes[date(2025, 9, 1)] == volumes[date(2025, 9, 2)] == 0  # Quốc khánh
    assert all(volumes[d] == 0 for d in days if d.weekday() >= 5)
    worked = [v for d, v in volumes.items() if v]
    assert min(worked) >= 1000 and max(worked) <= 2600
    mondays = [v for d, v in volumes.items() if v and d.weekday() == 0]
    fridays = [v for d, v in volumes.items() if v and d.weekday() == 4]
    assert sum(mondays) / len(mondays) > 1.2 * sum(fridays) / len(fridays)


@pytest.mark.parametrize(
    ("end", "days_off"),
    [
        (date(2025, 2, 7), [date(2025, 1, 27) + timedelta(days=i) for i in range(6)]),  # Tết
        (date(2025, 5, 9), [date(2025, 4, 30), date(2025, 5, 1), date(2025, 5, 2)]),
    ],
)
def test_no_dossier_is_received_on_a_day_off_or_outside_office_hours(
    end: date, days_off: list[date]
) -> None:
    cal = WorkCalendar()
    records = list(generate(seed=9, days=20, end=end, scale=0.1))
    days = Counter(day_of(r["NgayTiepNhan"]) for r in received(records))
    assert days and not set(days) & set(days_off)
    assert all(cal.is_working_day(d) for d in days)
    assert days[date(2025, 4, 26)] > 0 if end.month == 5 else True  # make-up Saturday
    for rec in received(records):
        t = vn(rec["NgayTiepNhan"]).time()
        assert time(7) <= t <= time(11, 30) or time(13, 30) <= t <= time(17)
    online = [r for r in records if r["KenhThucHien"] == 2]
    assert any(not cal.is_working_day(day_of(r["NgayNopHoSo"])) for r in online)


def test_dates_are_in_order(october: list[Record]) -> None:
    for rec in received(october):
        assert rec["NgayNopHoSo"] <= rec["NgayTiepNhan"] <= rec["NgayHenTra"]
        if "NgayKetThucXuLy" in rec:
            assert rec["NgayTiepNhan"] <= rec["NgayKetThucXuLy"]
        if "NgayTra" in rec:
            assert rec["NgayKetThucXuLy"] <= rec["NgayTra"]
        for step in rec["QuaTrinhXuLy"]:
            assert step["NgayBatDau"] <= step.get("ThoiDiemXuLy", "99999999999999")
            assert step["NgayBatDau"] <= step.get("NgayKetThucTheoQuyDinh", "99999999999999")
        for sup in rec.get("DanhSachHoSoBoSung", []):
            assert rec["NgayTiepNhan"] <= sup["NgayBoSung"]
            assert sup["NgayBoSung"] <= sup.get("NgayTiepNhanBoSung", "99999999999999")


def test_due_dates_follow_the_legal_time_with_a_few_inflated(october: list[Record]) -> None:
    cal, procs = demo_calendar(), {p.code: p for p in load_catalogue().procedures}
    exact = inflated = 0
    for rec in received(october):
        p = procs[rec["MaTTHC"]]
        start = cal.clock_start(vn(rec["NgayTiepNhan"]), paper=rec["KenhThucHien"] != 2)
        legal = cal.add(start, p.legal_amount, p.legal_unit)
        due = vn(rec["NgayHenTra"])
        assert due >= legal
        exact, inflated = (exact + 1, inflated) if due == legal else (exact, inflated + 1)
    assert 0.005 < inflated / (exact + inflated) < 0.05


def test_land_is_later_than_civil_status_and_some_units_much_worse(october: list[Record]) -> None:
    done = [r for r in october if r["TrangThaiHoSo"] in (9, 10)]
    late: dict[str, list[bool]] = {}
    for rec in done:
        late.setdefault(rec["MaLinhVuc"], []).append(finished_late(rec))
        late.setdefault(rec["TenDonViXuLy"], []).append(finished_late(rec))

    def share(key: str) -> float:
        return sum(late[key]) / len(late[key])

    assert 0.12 <= share("G09-DD") <= 0.35
    assert share("G01-HT") < 0.03 and share("G09-DD") > 5 * share("G01-HT")
    assert share("Sở Xây dựng") > 3 * share("Sở Tư pháp")
    assert share("Xã Sơn Kỳ") > 2 * share("Xã Lộc An")


def test_a_late_dossier_has_a_step_that_outran_its_own_deadline(october: list[Record]) -> None:
    late = [r for r in october if r["TrangThaiHoSo"] in (9, 10) and finished_late(r)]
    assert late
    for rec in late:
        if len(rec.get("DanhSachHoSoBoSung", [])) > 1 or "NgayHenTra" not in rec:
            continue
        assert any(
            s["ThoiDiemXuLy"][:8] > s["NgayKetThucTheoQuyDinh"][:8]
            for s in rec["QuaTrinhXuLy"]
            if "NgayKetThucTheoQuyDinh" in s and "ThoiDiemXuLy" in s
        ), rec["MaHoSo"]


def test_statuses_supplements_and_apologies_look_like_a_province(october: list[Record]) -> None:
    n = len(october)
    status = Counter(r["TrangThaiHoSo"] for r in october)
    assert status[10] > 0.7 * n and status[4] > 0.02 * n
    for code in (3, 5, 6, 7, 8, 9):
        assert 0 < status[code] < 0.06 * n, code
    sups = [r for r in october if r.get("DanhSachHoSoBoSung")]
    assert 0.04 < len(sups) / n < 0.1
    assert any(len(r["DanhSachHoSoBoSung"]) == 2 for r in sups)
    letters = [r for r in october if r.get("DanhSachXinLoi")]
    assert letters and any(len(r["DanhSachXinLoi"]) == 2 for r in letters)
    assert all(r["TrangThaiHoSo"] in (9, 10) for r in october if "NgayTra" in r)
    last_day = [r for r in received(october) if day_of(r["NgayTiepNhan"]) == END]
    assert sum(r["TrangThaiHoSo"] in (2, 4, 5, 6) for r in last_day) > len(last_day) / 2


def test_online_share_rises_across_the_period() -> None:
    records = list(generate(seed=11, days=90, end=END, scale=0.06))
    by_day: dict[date, list[int]] = {}
    for rec in received(records):
        by_day.setdefault(day_of(rec["NgayTiepNhan"]), []).append(rec["KenhThucHien"])
    days = sorted(by_day)

    def online(chunk: list[date]) -> float:
        channels = [c for d in chunk for c in by_day[d]]
        return channels.count(2) / len(channels)

    assert online(days[:10]) < 0.52 and online(days[-10:]) > 0.58
    assert online(days[:10]) + 0.1 < online(days[-10:])


def test_codes_units_officers_and_unlisted_procedures(october: list[Record]) -> None:
    p, cat = build_province(), load_catalogue()
    listed = {q.code for q in cat.known}
    codes = [r["MaHoSo"] for r in october]
    assert len(set(codes)) == len(codes)
    officers = {o.code for o in counter_officers()}
    for rec in october:
        unit, yymmdd, _ = rec["MaHoSo"].rsplit("-", 2)
        assert unit == rec["DonViTiepNhan"] and unit in p.by_code and rec["DonViXuLy"] in p.by_code
        assert re.fullmatch(r"\d{6}", yymmdd)
        if "NguoiTiepNhan" in rec:
            assert rec["NguoiTiepNhan"] in officers
        if rec["MaTTHC"] not in listed:
            assert rec["DonViTinh"] in ("Ngày làm việc", "Ngày", "Giờ")
            assert rec["ThoiHanGiaiQuyet"] > 0
    unlisted = sum(r["MaTTHC"] not in listed for r in october)
    assert 0.005 < unlisted / len(october) < 0.03


def test_before_the_reorganisation_commune_work_went_to_districts() -> None:
    p = build_province()
    districts = {d.code for d in p.districts}
    communes = {c.code for c in p.communes}
    records = list(generate(seed=1, days=6, end=date(2025, 7, 4), scale=0.1))
    by_day = {
        (day_of(r["NgayTiepNhan"]) >= date(2025, 7, 1), r["DonViTiepNhan"])
        for r in received(records)
    }
    assert {unit for after, unit in by_day if not after} & districts
    assert not {unit for after, unit in by_day if not after} & communes
    assert not {unit for after, unit in by_day if after} & districts


# -- export -----------------------------------------------------------------------------------


def test_export_writes_exactly_the_requested_count_as_json_and_csv(tmp_path: Path) -> None:
    as_of = end_of_day(END)
    n = export_file(tmp_path / "d.json", export_records(2500, seed=1, end=END, as_of=as_of), "json")
    data = json.loads((tmp_path / "d.json").read_text(encoding="utf-8"))
    assert n == len(data) == 2500 and len({r["MaHoSo"] for r in data}) == 2500
    m = export_file(tmp_path / "d.csv", export_records(2500, seed=1, end=END, as_of=as_of), "csv")
    with (tmp_path / "d.csv").open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert m == len(rows) - 1 == 2500
    assert rows[0] == [h for h, _ in CSV_COLUMNS]
    assert [r[0] for r in rows[1:]] == [r["MaHoSo"] for r in data]
    dated = [r[7] for r in rows[1:]]
    assert all(re.fullmatch(r"\d\d/\d\d/\d{4} \d\d:\d\d:\d\d", d) for d in dated if d)


def test_export_spreads_a_large_count_over_realistic_days() -> None:
    first = Simulation(seed=1, first=date(2025, 9, 1), end=END)
    assert first.volume((date(2025, 10, 6) - date(1970, 1, 1)).days) > 1000
    records = list(export_records(4000, seed=1, end=END))
    days = {day_of(r["NgayTiepNhan"]) for r in received(records)}
    assert len(records) == 4000 and 2 <= len(days) <= 4 and max(days) == END


# -- into a database --------------------------------------------------------------------------


def _count(engine: Engine, model: Any, *where: Any) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(model).where(*where)).scalar_one())


def test_demo_fills_a_database_through_the_ingest_and_is_idempotent(engine: Engine) -> None:
    kwargs: dict[str, Any] = {"seed": 2, "days": 6, "end": END, "as_of": end_of_day(END)}
    first = run_demo(engine, scale=0.04, **kwargs)
    assert first.units_created == len(build_province().units) and first.officers_created > 150
    result = first.dossiers
    assert result.inserted > 300 and result.quarantined == 0
    assert first.ratings.ratings > 20 and first.ratings.comments > 0
    assert _count(engine, Dossier) == result.inserted
    assert _count(engine, Rating) == first.ratings.ratings
    assert _count(engine, Feedback, Feedback.source == "rating") == first.ratings.comments
    assert _count(engine, Dossier, Dossier.resolving_unit_id.is_(None)) == 0
    with engine.connect() as conn:
        src = conn.execute(select(Source.kind, Source.enabled).where(Source.name == DEMO_SOURCE))
        assert src.one() == ("http", False)
        officer_ids = set(conn.execute(select(Rating.officer_id)).scalars())
        assert None not in officer_ids and officer_ids <= set(
            conn.execute(select(Officer.id)).scalars()
        )
        levels = conn.execute(
            select(Rating.overall, Rating.crit_a, Rating.crit_h, Rating.channel)
        ).all()
    assert {o for o, *_ in levels} <= {1, 2, 3} and all(
        h is None for *_, h, c in levels if c == "kiosk"
    )

    again = run_demo(engine, scale=0.04, **kwargs)
    assert again.units_created == again.officers_created == 0
    assert (again.dossiers.inserted, again.dossiers.updated) == (0, 0)
    assert again.dossiers.unchanged == result.inserted
    assert again.ratings.ratings == 0
    assert _count(engine, Rating) == first.ratings.ratings
    assert _count(engine, Unit) == len(build_province().units)
    assert _count(engine, QuarantinedRow) == 0


def test_a_later_run_updates_what_progressed_and_rates_only_the_new(engine: Engine) -> None:
    early = end_of_day(END) - 8 * 3600  # 31/10/2025 15:59:59
    run_demo(engine, seed=2, days=3, end=END, as_of=early, scale=0.04)
    rated = _count(engine, Rating)
    later = run_demo(engine, seed=2, days=3, end=END, as_of=end_of_day(END), scale=0.04)
    assert later.dossiers.updated > 0 and later.dossiers.quarantined == 0
    assert _count(engine, Rating) == rated + later.ratings.ratings


# -- comments ---------------------------------------------------------------------------------


def test_comments_are_varied_vietnamese_with_and_without_diacritics() -> None:
    r = Random(1)
    topics = (PRAISE, SLOW, LAND, ATTITUDE, ONLINE, QUESTION, SUGGESTION)
    texts = [
        compose(r, topic, proc="Đăng ký khai sinh", days_late=4, counter="03")
        for topic in topics
        for _ in range(100)
    ]
    assert len(set(texts)) > 400
    assert not any("{" in t or "}" in t for t in texts)
    bare = [t for t in texts if t.isascii()]
    assert 0.1 < len(bare) / len(texts) < 0.5
    online = [t.lower() for t in texts[400:500]]
    assert any("vneid" in t for t in online) and any("otp" in t for t in online)


def test_the_comment_topic_follows_what_happened() -> None:
    late_land = Counter(
        pick_topic(Random(i), 1, late=True, land=True, online=False, bad_attitude=False)
        for i in range(200)
    )
    assert late_land.most_common(1)[0][0] == LAND
    assert {
        pick_topic(Random(i), 3, late=False, land=False, online=True, bad_attitude=False)
        for i in range(50)
    } == {PRAISE}


# -- command line -----------------------------------------------------------------------------


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("MOTCUA_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("MOTCUA_CONFIG", str(tmp_path / "motcua.toml"))
    monkeypatch.delenv("MOTCUA_DATABASE_URL", raising=False)
    (tmp_path / "data").mkdir()
    return tmp_path


def test_demo_command_exports_a_csv_file(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = env / "hoso.csv"
    code = main(
        [
            "demo",
            "--export",
            str(path),
            "--dossiers",
            "300",
            "--end",
            "31/10/2025",
            "--seed",
            "4",
            "--json",
        ]
    )
    doc = json.loads(capsys.readouterr().out)
    assert code == 0 and doc["dossiers"] == 300 and doc["format"] == "csv"
    assert path.read_bytes().startswith(b"\xef\xbb\xbfM\xc3\xa3 h\xe1\xbb\x93 s\xc6\xa1")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--end", "01/01/2999"], "tương lai"),
        (["--end", "31/02/2025"], "không hợp lệ"),
        (["--export", "x.json"], "--dossiers"),
        (["--dossiers", "10"], "--export"),
        (["--scale", "0"], "--scale"),
        (["--days", "0"], "--days"),
    ],
)
def test_demo_command_refuses_bad_input_in_one_line(
    env: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    assert main(["demo", *args]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1 and "Traceback" not in err


def test_demo_command_fills_the_configured_database(
    env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["demo", "--days", "2", "--end", "2025-10-31", "--scale", "0.03", "--seed", "8"]
    assert main([*args, "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["dossiers"]["inserted"] > 50 and doc["dossiers"]["quarantined"] == 0
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "0 mới" in out and "Đánh giá mới: 0" in out
