"""`motcua deadline` as a person runs it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from monitor.cli import main


@pytest.fixture
def initialised(db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MOTCUA_DATABASE_URL", db_url)
    monkeypatch.setenv("MOTCUA_CONFIG", str(tmp_path / "none.toml"))
    monkeypatch.setenv("MOTCUA_DATA_DIR", str(tmp_path))
    assert main(["init"]) == 0


def _due(capsys: pytest.CaptureFixture[str], *argv: str) -> dict[str, str]:
    capsys.readouterr()
    assert main(["deadline", *argv, "--json"]) == 0
    return dict(json.loads(capsys.readouterr().out))


def test_deadline_prints_the_due_time_as_iso_8601(
    initialised: None, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = _due(capsys, "--start", "2025-01-24T10:00", "--amount", "1", "--unit", "working_days")
    assert doc["due_at"] == "2025-02-03T10:00:00+07:00"
    doc = _due(capsys, "--start", "25/04/2025 16:00", "--amount", "1", "--unit", "working_days")
    assert doc["due_at"] == "2025-04-26T16:00:00+07:00"  # the make-up Saturday
    doc = _due(
        capsys, "--start", "2026-08-21T09:30:00+07:00", "--amount", "2", "--unit", "working_days"
    )
    assert doc["due_at"] == "2026-08-24T09:30:00+07:00"
    doc = _due(capsys, "--start", "2025-01-24T09:00:00Z", "--amount", "2", "--unit", "hours")
    assert doc["due_at"] == "2025-02-03T08:00:00+07:00"  # 16:00–17:00, then after Tết
    doc = _due(capsys, "--start", "20/01/2025 10:00", "--amount", "7", "--unit", "calendar_days")
    assert doc["due_at"] == "2025-02-03T10:00:00+07:00"


def test_deadline_from_a_paper_receipt_after_the_cut_off(
    initialised: None, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = _due(
        capsys,
        "--start",
        "24/01/2025 15:30",
        "--amount",
        "1",
        "--unit",
        "working_days",
        "--receipt",
        "paper",
    )
    assert doc["clock_start"] == "2025-02-03T07:00:00+07:00"
    assert doc["due_at"] == "2025-02-04T07:00:00+07:00"


def test_deadline_follows_calendar_overrides_and_prints_vietnamese_dates(
    initialised: None, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["calendar", "add", "2025-03-04", "--kind", "day_off"]) == 0
    doc = _due(capsys, "--start", "2025-03-03T10:00", "--amount", "1", "--unit", "working_days")
    assert doc["due_at"] == "2025-03-05T10:00:00+07:00"
    assert (
        main(["deadline", "--start", "03/03/2025 10:00", "--amount", "1", "--unit", "working_days"])
        == 0
    )
    assert "Hạn: 05/03/2025 10:00 (Thứ Tư)" in capsys.readouterr().out


def test_bad_deadline_input_exits_2_with_one_line(
    initialised: None, capsys: pytest.CaptureFixture[str]
) -> None:
    for argv in (
        ["--start", "ngày mai", "--amount", "1", "--unit", "hours"],
        ["--start", "2025-01-24T10:00", "--amount", "-1", "--unit", "hours"],
        ["--start", "2025-01-24T10:00", "--amount", "1e9", "--unit", "working_days"],
        ["--start", "2025-01-24T10:00", "--amount", "1", "--unit", "hours", "--scope", "NOPE"],
    ):
        capsys.readouterr()
        assert main(["deadline", *argv]) == 2, argv
        err = capsys.readouterr().err
        assert err.startswith("Lỗi: ") and len(err.strip().splitlines()) == 1
