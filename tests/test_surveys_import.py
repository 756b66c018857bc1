"""Ratings imported from other systems' CSV exports: idempotent, bad rows quarantined with a
reason, comments copied to feedback, one rating per dossier across channels."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, select
from surveys_helpers import CODES, Centre, make_centre

from monitor.db import session_scope
from monitor.ingest import UnreadableInput
from monitor.models import Feedback, ImportBatch, QuarantinedRow, Rating
from surveys.importer import import_ratings_csv

HEADER = (
    "Mã hồ sơ,Tiêu chí a,Tiêu chí b,Tiêu chí c,Tiêu chí đ,Tiêu chí e,Tiêu chí h,"
    "Đánh giá chung,Ý kiến,Thời gian"
)
ROWS = [
    f"{CODES[0]},3,3,2,3,3,,3,Cán bộ tận tình,12/03/2025 09:15",
    f"{CODES[1]},Hài lòng,,,Không hài lòng,,,hài lòng,,20250312143000",
    ",3,,,,,,3,,12/03/2025 10:00",  # a counter rating without a dossier
    f"{CODES[3]},3,,,,,,,,12/03/2025 10:00",
    f"{CODES[4]},4,,,,,,3,,12/03/2025 10:00",
    f"{CODES[5]},3,,,,,,3,,31/02/2025 10:00",
    "000.00.06.H56-991231-9999,3,,,,,,3,,12/03/2025 10:00",
    f"{CODES[2]},3,,,,,,2,,12/03/2025 10:00",
]


@pytest.fixture
def centre(engine: Engine) -> Centre:
    made = make_centre(engine)
    with session_scope(engine) as s:  # CODES[2] was already rated at the kiosk
        s.add(
            Rating(
                dossier_id=made.dossier_ids[CODES[2]],
                channel="kiosk",
                overall=3,
                created_at=datetime(2025, 3, 11, tzinfo=UTC),
            )
        )
    return made


def _csv(tmp_path: Path, rows: list[str], *, bom: bool = False) -> Path:
    path = tmp_path / "danh-gia.csv"
    path.write_text(("\ufeff" if bom else "") + "\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


def test_good_rows_are_imported_and_bad_rows_quarantined_with_their_reason(
    engine: Engine, centre: Centre, tmp_path: Path
) -> None:
    result = import_ratings_csv(engine, _csv(tmp_path, ROWS, bom=True))
    assert (result.inserted, result.unchanged, result.quarantined) == (3, 0, 5)
    assert result.reasons == {
        "missing_overall": 1,
        "bad_level": 1,
        "bad_time": 1,
        "unknown_dossier": 1,
        "already_rated": 1,
    }
    with session_scope(engine) as s:
        quarantined = s.execute(select(QuarantinedRow.line_no, QuarantinedRow.reason)).all()
        batch = s.get(ImportBatch, result.batch_id)
        ratings = s.scalars(
            select(Rating).where(Rating.channel == "import").order_by(Rating.id)
        ).all()
        feedback = s.scalars(select(Feedback)).all()
    assert sorted(quarantined) == [
        (5, "missing_overall"),
        (6, "bad_level"),
        (7, "bad_time"),
        (8, "unknown_dossier"),
        (9, "already_rated"),
    ]
    assert batch is not None and (batch.kind, batch.status, batch.inserted) == (
        "ratings",
        "success",
        3,
    )
    first, second, counter = ratings
    assert (first.crit_a, first.crit_c, first.crit_h, first.overall) == (3, 2, None, 3)
    assert first.created_at == datetime(2025, 3, 12, 2, 15, tzinfo=UTC)  # 09:15 in Vietnam
    assert (second.crit_a, second.crit_dd, second.overall) == (2, 1, 2)
    assert first.unit_id == centre.agency_id and first.officer_id == centre.officer_id
    assert counter.dossier_id is None
    assert [(f.text, f.rating_id, f.source) for f in feedback] == [
        ("Cán bộ tận tình", first.id, "rating")
    ]


def test_importing_the_same_file_twice_adds_nothing_the_second_time(
    engine: Engine, centre: Centre, tmp_path: Path
) -> None:
    path = _csv(tmp_path, ROWS)
    import_ratings_csv(engine, path)
    again = import_ratings_csv(engine, path)
    assert (again.inserted, again.unchanged) == (0, 3)
    with session_scope(engine) as s:
        assert len(s.scalars(select(Rating)).all()) == 4  # 3 imported + the kiosk's
        assert len(s.scalars(select(Feedback)).all()) == 1


def test_a_file_without_a_header_row_is_refused_and_changes_nothing(
    engine: Engine, centre: Centre, tmp_path: Path
) -> None:
    path = tmp_path / "x.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(UnreadableInput):
        import_ratings_csv(engine, path)
    with session_scope(engine) as s:
        assert s.scalars(select(ImportBatch)).all() == []


def test_the_cli_imports_and_prints_json(
    engine: Engine,
    db_url: str,
    centre: Centre,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from monitor.cli import main

    monkeypatch.setenv("MOTCUA_DATABASE_URL", db_url)
    monkeypatch.setenv("MOTCUA_CONFIG", str(tmp_path / "none.toml"))
    assert main(["ratings", "import", str(_csv(tmp_path, ROWS[:2])), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["inserted"] == 2
    assert main(["ratings", "import", str(tmp_path / "missing.csv")]) == 2
    assert "Không tìm thấy tệp" in capsys.readouterr().err


def test_the_scheduled_job_imports_a_folder_and_moves_each_file_out_of_the_way(
    engine: Engine, centre: Centre, tmp_path: Path
) -> None:
    from surveys.importer import import_folder

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "ok.csv").write_text("\n".join([HEADER, *ROWS[:2]]) + "\n", encoding="utf-8")
    (inbox / "bad.csv").write_text("không phải tệp đánh giá\n", encoding="utf-8")
    counts = import_folder(engine, inbox)
    assert counts == {
        "files": 1,
        "inserted": 2,
        "unchanged": 0,
        "quarantined": 0,
        "rejected": ["bad.csv"],
    }
    assert sorted(p.name for p in inbox.rglob("*.csv")) == ["bad.csv", "ok.csv"]
    assert (inbox / "imported" / "ok.csv").exists() and (inbox / "rejected" / "bad.csv").exists()
    assert import_folder(engine, inbox)["files"] == 0


def test_the_scheduler_job_imports_the_configured_folder_and_records_its_run(
    engine: Engine,
    db_url: str,
    centre: Centre,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from monitor import jobs
    from monitor.models import JobRun

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "ok.csv").write_text("\n".join([HEADER, *ROWS]) + "\n", encoding="utf-8")
    monkeypatch.setenv("MOTCUA_DATABASE_URL", db_url)
    monkeypatch.setenv("MOTCUA_CONFIG", str(tmp_path / "none.toml"))
    monkeypatch.setenv("MOTCUA_RATINGS_IMPORT_DIR", str(inbox))
    jobs._engine.cache_clear()  # the job's engine is made once per process, from the settings
    try:
        jobs.ratings_import()
        (inbox / "imported" / "ok.csv").rename(inbox / "again.csv")  # delivered twice
        jobs.ratings_import()
    finally:
        jobs._engine().dispose()
        jobs._engine.cache_clear()
    with session_scope(engine) as s:
        runs = s.scalars(select(JobRun).where(JobRun.job_id == "ratings:import")).all()
        imported = s.scalars(select(Rating).where(Rating.channel == "import")).all()
        quarantined = s.scalars(select(QuarantinedRow)).all()
    assert [(r.outcome, r.counts["inserted"], r.counts["unchanged"]) for r in runs] == [
        ("success", 3, 0),
        ("success", 0, 3),
    ]
    assert len(imported) == 3
    assert len(quarantined) == 10  # bad rows are set aside again on each delivery, with a batch
