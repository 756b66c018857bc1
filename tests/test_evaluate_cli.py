"""`motcua evaluate` and `motcua dossiers` as a person runs them."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from sqlalchemy import Engine
from test_evaluate import _world

from monitor.cli import main


@pytest.fixture
def world(engine: Engine, db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MOTCUA_DATABASE_URL", db_url)
    monkeypatch.setenv("MOTCUA_CONFIG", str(tmp_path / "none.toml"))
    monkeypatch.setenv("MOTCUA_DATA_DIR", str(tmp_path))
    _world(engine)


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    capsys.readouterr()
    assert main(list(argv)) == 0
    return capsys.readouterr().out


def test_evaluate_prints_counts(world: None, capsys: pytest.CaptureFixture[str]) -> None:
    first = json.loads(_run(capsys, "evaluate", "--as-of", "18/03/2025 10:00", "--json"))
    assert (first["evaluated"], first["changed"], first["full"]) == (6, 6, False)
    assert first["as_of"] == "2025-03-18T10:00:00+07:00"
    again = json.loads(_run(capsys, "evaluate", "--as-of", "2025-03-18T11:00", "--full", "--json"))
    assert (again["evaluated"], again["changed"]) == (6, 0)
    said = _run(capsys, "evaluate", "--as-of", "2025-03-18T11:00")
    assert "Đã đánh giá 0 hồ sơ tính đến 18/03/2025 11:00: 0 thay đổi, ghi 0 dòng" in said
    assert re.search(r"trong \d+,\d giây\.", said), said  # Vietnamese decimal comma


def test_dossiers_as_json_has_the_conclusions_and_no_personal_data(
    world: None, capsys: pytest.CaptureFixture[str]
) -> None:
    out = _run(capsys, "dossiers", "--as-of", "18/03/2025 10:00", "--format", "json")
    assert "Nguyễn Văn An" not in out and "0912345678" not in out
    rows = {d["code"]: d for d in json.loads(out)}
    a = rows["A"]
    assert a["due_status"] == "overdue" and a["breaches"] == ["late_without_apology"]
    assert a["due_at"] == a["legal_due_at"] == "2025-03-17T09:00:00+07:00"
    assert a["responsible_units"] == ["Phòng Tài nguyên"] and a["finished_at"] is None
    assert rows["B"]["finished_at"] == "2025-03-05T09:00:00+07:00"
    assert set(a) >= {
        "code",
        "due_status",
        "due_at",
        "legal_due_at",
        "finished_at",
        "responsible_units",
        "breaches",
    }


def test_dossiers_filters_by_status_field_and_unit_subtree(
    world: None, capsys: pytest.CaptureFixture[str]
) -> None:
    def codes(*argv: str) -> list[str]:
        out = _run(capsys, "dossiers", "--as-of", "2025-03-18T10:00", "--json", *argv)
        return [d["code"] for d in json.loads(out)]

    assert codes("--status", "overdue") == ["A", "F"]
    assert codes("--unit", "H56") == ["A", "B", "C", "E", "F"]
    assert codes("--unit", "X2") == ["B"]
    assert codes("--field", "HT") == ["B"]
    assert codes("--field", "DD", "--limit", "1") == ["A"]


def test_dossiers_as_csv_and_as_a_vietnamese_table(
    world: None, capsys: pytest.CaptureFixture[str]
) -> None:
    out = _run(capsys, "dossiers", "--as-of", "2025-03-18T10:00", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert rows[0]["code"] == "A" and rows[0]["responsible_units"] == "Phòng Tài nguyên"
    table = _run(capsys, "dossiers", "--as-of", "2025-03-18T10:00", "--status", "overdue")
    assert (
        "Quá hạn" in table and "17/03/2025" in table and "Trễ hạn không có phiếu xin lỗi" in table
    )
    assert "21/03/2025" in table  # F's new date from its apology letter
    assert "Nguyễn Văn An" not in table


def test_unknown_codes_are_bad_input(world: None, capsys: pytest.CaptureFixture[str]) -> None:
    for argv in (["--unit", "NOPE"], ["--field", "NOPE"], ["--limit", "-1"], ["--as-of", "x"]):
        capsys.readouterr()
        assert main(["dossiers", *argv]) == 2, argv
        assert capsys.readouterr().err.startswith("Lỗi: ")
