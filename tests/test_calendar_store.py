"""Calendars from the database (holidays.VN + overrides per scope) and `motcua calendar`."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from monitor.calendar_store import (
    CalendarError,
    load_calendar,
    remove_override,
    set_override,
    unit_calendars,
    year_entries,
)
from monitor.cli import main
from monitor.config import Settings
from monitor.db import session_scope
from monitor.enums import CalendarDayKind
from monitor.models import AuditEntry, CalendarDay, Dossier, Source, Unit
from monitor.seed import load_seeds

VN = timezone(timedelta(hours=7))
SAT = date(2025, 3, 8)
OFF, WORK = CalendarDayKind.DAY_OFF, CalendarDayKind.WORKING_DAY


def _units(engine: Engine) -> dict[str, int]:
    with session_scope(engine) as s:
        province = Unit(code="H56", name="UBND tỉnh", level="province")
        s.add(province)
        s.flush()
        for code in ("X1", "X2"):
            s.add(Unit(code=code, name=f"UBND xã {code}", level="commune", parent_id=province.id))
        s.flush()
        return {u.code: u.id for u in s.scalars(select(Unit))}


def _override(engine: Engine, day: date, kind: CalendarDayKind, scope: str = "*") -> None:
    with session_scope(engine) as s:
        s.add(CalendarDay(day=day, kind=kind.value, scope=scope, note="thử"))


def test_the_seeded_calendar_knows_the_2025_and_2026_swaps(engine: Engine) -> None:
    load_seeds(engine)
    cal = load_calendar(engine, Settings())
    assert cal.is_working_day(date(2025, 4, 26)) and cal.is_working_day(date(2026, 8, 22))
    assert not cal.is_working_day(date(2025, 5, 2)) and not cal.is_working_day(date(2026, 8, 31))


def test_a_unit_gets_everywhere_then_its_ancestors_then_its_own_overrides(engine: Engine) -> None:
    ids = _units(engine)
    _override(engine, date(2025, 3, 3), OFF)
    _override(engine, SAT, WORK, "H56")
    _override(engine, SAT, OFF, "X1")
    everywhere = load_calendar(engine, Settings())
    assert not everywhere.is_working_day(date(2025, 3, 3)) and not everywhere.is_working_day(SAT)
    assert load_calendar(engine, Settings(), "X2").is_working_day(SAT)
    assert not load_calendar(engine, Settings(), "X1").is_working_day(SAT)
    default, by_unit = unit_calendars(engine, Settings())
    assert not default.is_working_day(date(2025, 3, 3))
    assert (
        by_unit[ids["X2"]] is by_unit[ids["H56"]] and by_unit[ids["X1"]] is not by_unit[ids["X2"]]
    )
    with pytest.raises(CalendarError):
        load_calendar(engine, Settings(), "NOPE")


def test_office_hours_and_cut_off_come_from_the_settings(engine: Engine) -> None:
    cal = load_calendar(
        engine, Settings(office_hours="07:30-11:30,13:00-16:30", paper_cutoff="16:00")
    )
    assert cal.hours_per_day == 7.5
    received = datetime(2025, 3, 3, 15, 30, tzinfo=VN)
    assert cal.clock_start(received, paper=True) == received


def _dossier(s, source: Source, code: str, received: datetime, **kw) -> Dossier:  # type: ignore[no-untyped-def]
    d = Dossier(
        source_id=source.id, code=code, received_at=received, status=kw.pop("status", 4), **kw
    )
    s.add(d)
    return d


def test_changing_a_day_marks_only_the_dossiers_it_can_affect_and_is_audited(
    engine: Engine,
) -> None:
    ids = _units(engine)
    with session_scope(engine) as s:
        src = Source(name="dvc")
        s.add(src)
        s.flush()
        far = datetime(2099, 1, 1, tzinfo=VN)
        common = {"next_change_at": far, "resolving_unit_id": ids["X1"]}
        _dossier(s, src, "open", datetime(2025, 3, 3, 9, tzinfo=VN), **common)
        _dossier(s, src, "later", datetime(2025, 3, 10, 9, tzinfo=VN), **common)
        _dossier(
            s,
            src,
            "settled",
            datetime(2025, 2, 3, 9, tzinfo=VN),
            status=10,
            finished_at=datetime(2025, 2, 5, 9, tzinfo=VN),
            legal_due_at=datetime(2025, 2, 17, 9, tzinfo=VN),
            **common,
        )
        _dossier(
            s,
            src,
            "elsewhere",
            datetime(2025, 3, 3, 9, tzinfo=VN),
            next_change_at=far,
            resolving_unit_id=ids["X2"],
        )
    with session_scope(engine) as s:
        assert set_override(s, SAT, WORK, "X1", "Làm sáng thứ Bảy", "cli:test") == 1
    with session_scope(engine) as s:
        marked = set(s.scalars(select(Dossier.code).where(Dossier.next_change_at.is_(None))))
        entry = s.scalars(select(AuditEntry)).one()
        assert marked == {"open"}
        assert (entry.action, entry.target) == ("calendar.add", "calendar_days:X1:2025-03-08")
        assert entry.detail["kind"] == "working_day" and entry.detail["marked"] == 1
    with session_scope(engine) as s:
        remove_override(s, SAT, "X1", "cli:test")
    with session_scope(engine) as s:
        assert s.scalars(select(CalendarDay)).all() == []
        assert [a.action for a in s.scalars(select(AuditEntry).order_by(AuditEntry.id))] == [
            "calendar.add",
            "calendar.remove",
        ]
        with pytest.raises(CalendarError):
            remove_override(s, SAT, "X1", "cli:test")
        with pytest.raises(CalendarError):
            set_override(s, SAT, WORK, "NOPE", "", "cli:test")


def test_the_year_lists_holidays_and_overrides_with_their_source(engine: Engine) -> None:
    load_seeds(engine)
    _units(engine)
    _override(engine, SAT, WORK, "X1")
    entries = {e.day: e for e in year_entries(engine, Settings(), 2025, "X1")}
    assert entries[date(2025, 1, 29)].source == "holidays.VN"
    assert entries[date(2025, 1, 29)].kind is OFF
    assert (entries[date(2025, 4, 26)].source, entries[date(2025, 4, 26)].kind) == (
        "override",
        WORK,
    )
    assert entries[SAT].scope == "X1"
    assert SAT not in {e.day for e in year_entries(engine, Settings(), 2025)}


# -- the command line ----------------------------------------------------------------------------


@pytest.fixture
def cli_env(db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("MOTCUA_DATABASE_URL", db_url)
    monkeypatch.setenv("MOTCUA_CONFIG", str(tmp_path / "none.toml"))
    monkeypatch.setenv("MOTCUA_DATA_DIR", str(tmp_path))
    return db_url


def test_calendar_commands_add_list_and_remove(
    cli_env: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["init", "--json"]) == 0
    capsys.readouterr()
    assert main(["calendar", "add", "27/12/2025", "--kind", "working_day", "--note", "Làm bù"]) == 0
    assert "27/12/2025" in capsys.readouterr().out
    assert main(["calendar", "list", "--year", "2025", "--json"]) == 0
    days = {d["date"]: d for d in json.loads(capsys.readouterr().out)}
    assert days["2025-12-27"] == {
        "date": "2025-12-27",
        "kind": "working_day",
        "source": "override",
        "scope": "*",
        "note": "Làm bù",
    }
    assert days["2025-04-26"]["kind"] == "working_day"
    assert main(["calendar", "list", "--year", "2025"]) == 0
    table = capsys.readouterr().out
    assert "26/04/2025  Thứ Bảy" in table and "Làm việc" in table
    assert main(["calendar", "remove", "2025-12-27", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["date"] == "2025-12-27"


BAD_INPUT = (
    ["calendar", "add", "31/02/2025", "--kind", "day_off"],
    ["calendar", "add", "01/03/2025", "--kind", "day_off", "--scope", "NOPE"],
    ["calendar", "remove", "01/03/2025"],
    ["calendar", "list", "--year", "2025", "--scope", "NOPE"],
)


def test_bad_calendar_input_is_one_line_and_exit_2(
    cli_env: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["init"]) == 0
    capsys.readouterr()
    for argv in BAD_INPUT:
        assert main(argv) == 2, argv
        err = capsys.readouterr().err
        assert err.startswith("Lỗi: ") and len(err.strip().splitlines()) == 1, err
