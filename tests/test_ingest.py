"""import_records: mapping national records onto the model, idempotent upserts, history."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from ingest_helpers import APPLICANT, count, counts, record
from sqlalchemy import Engine, select, update

from monitor.db import session_scope
from monitor.enums import DossierEventKind, TimeUnit
from monitor.ingest import import_records
from monitor.ingest import writer as writer_module
from monitor.models import (
    Apology,
    Dossier,
    DossierEvent,
    DossierStep,
    Field,
    ImportBatch,
    Procedure,
    Source,
    Supplement,
    Unit,
)

NOW = datetime(2025, 1, 20, 3, 0, tzinfo=UTC)


def _dossier(engine: Engine, code: str = "000.00.06.H56-250110-0001") -> Dossier:
    with session_scope(engine) as s:
        d = s.scalars(select(Dossier).where(Dossier.code == code)).one()
        s.expunge(d)
        return d


def _steps(engine: Engine) -> list[tuple[int, str, str | None]]:
    with session_scope(engine) as s:
        rows = s.execute(
            select(DossierStep.seq, DossierStep.unit_name, DossierStep.officer).order_by(
                DossierStep.seq
            )
        )
        return [tuple(r) for r in rows]  # type: ignore[misc]


def _seed_catalogue(engine: Engine) -> None:
    with session_scope(engine) as s:
        land = Field(code="G09-DD", name="Đất đai", is_land=True)
        s.add(land)
        s.flush()
        s.add(
            Procedure(
                code="1.004227",
                name="Đăng ký biến động",
                field_id=land.id,
                level="commune",
                legal_amount=10,
                legal_unit=TimeUnit.WORKING_DAYS,
            )
        )
        s.add(Unit(code="000.00.06.H56", name="UBND phường Bến Nghé", level="commune"))
        s.add(Unit(code="000.00.99.H56", name="Văn phòng đăng ký đất đai", level="division"))


def test_national_record_maps_onto_dossier_with_vietnam_time_converted_to_utc(
    engine: Engine,
) -> None:
    result = import_records(engine, [record()], source="dvc", now=NOW)
    assert (result.inserted, result.updated, result.unchanged, result.quarantined) == (1, 0, 0, 0)
    d = _dossier(engine)
    assert d.received_at == datetime(2025, 1, 10, 1, 0, tzinfo=UTC)
    assert d.due_at == datetime(2025, 1, 17, 10, 0, tzinfo=UTC)
    assert d.submitted_at == datetime(2025, 1, 10, 0, 45, tzinfo=UTC)
    assert (d.status, d.channel, d.applicant_kind) == (4, 2, 1)
    assert (d.applicant_name, d.applicant_phone) == (APPLICANT, "0912345678")
    assert d.procedure_code == "1.004227" and d.procedure_name == "Đăng ký biến động đất đai"
    assert d.next_change_at is None and d.due_status is None  # "evaluate me"
    assert len(d.source_version) == 32


def test_timestamps_written_in_bulk_compare_equal_to_orm_parameters(engine: Engine) -> None:
    import_records(engine, [record()], source="dvc", now=NOW)
    with session_scope(engine) as s:
        found = s.scalars(
            select(Dossier.code).where(
                Dossier.received_at == datetime(2025, 1, 10, 1, 0, tzinfo=UTC),
                Dossier.due_at >= datetime(2025, 1, 17, 10, 0, tzinfo=UTC),
                Dossier.due_at < datetime(2025, 1, 17, 10, 0, 1, tzinfo=UTC),
            )
        ).all()
    assert found == ["000.00.06.H56-250110-0001"]


def test_steps_supplements_and_apologies_are_stored_in_order(engine: Engine) -> None:
    rec = record(
        DanhSachHoSoBoSung=[
            {
                "NgayBoSung": "20250111090000",
                "NgayTiepNhanBoSung": "20250113090000",
                "NgayHenTraTruoc": "20250117170000",
                "NgayHenTraMoi": "20250121170000",
            }
        ],
        DanhSachXinLoi=[
            {"NgayXinLoi": "20250116080000", "NgayHenTraMoi": "20250124170000", "LyDo": "Chờ"}
        ],
    )
    import_records(engine, [rec], source="dvc")
    assert _steps(engine) == [
        (1, "Bộ phận một cửa", "Trần Văn Cán Bộ"),
        (2, "Văn phòng đăng ký đất đai", None),
    ]
    with session_scope(engine) as s:
        step = s.scalars(select(DossierStep).where(DossierStep.seq == 1)).one()
        sup = s.scalars(select(Supplement)).one()
        apology = s.scalars(select(Apology)).one()
    assert step.done_at == datetime(2025, 1, 10, 3, 0, tzinfo=UTC)
    assert step.deadline_at == datetime(2025, 1, 10, 10, 0, tzinfo=UTC)
    assert sup.requested_at == datetime(2025, 1, 11, 2, 0, tzinfo=UTC)
    assert sup.new_due_at == datetime(2025, 1, 21, 10, 0, tzinfo=UTC)
    assert apology.issued_at == datetime(2025, 1, 16, 1, 0, tzinfo=UTC)
    assert (apology.new_due_at, apology.reason) == (
        datetime(2025, 1, 24, 10, 0, tzinfo=UTC),
        "Chờ",
    )


def test_importing_the_same_records_twice_inserts_and_updates_nothing(engine: Engine) -> None:
    records = [
        record(),
        record("000.00.06.H56-250110-0002", TrangThaiHoSo="9", NgayKetThucXuLy="20250115100000"),
    ]
    first = import_records(engine, records, source="dvc", now=NOW)
    before = counts(engine)
    second = import_records(engine, records, source="dvc", now=datetime(2025, 2, 1, tzinfo=UTC))
    assert (first.inserted, second.inserted, second.updated, second.unchanged) == (2, 0, 0, 2)
    assert counts(engine) == before
    assert _dossier(engine).updated_at == NOW  # not rewritten


def test_same_code_in_another_source_is_another_dossier(engine: Engine) -> None:
    import_records(engine, [record()], source="a")
    result = import_records(engine, [record()], source="b")
    assert result.inserted == 1 and count(engine, Dossier) == 2


def _mark_evaluated(engine: Engine) -> None:
    with session_scope(engine) as s:
        s.execute(update(Dossier).values(next_change_at=NOW, evaluated_at=NOW, due_status="x"))


def test_an_unchanged_record_leaves_the_evaluation_alone(engine: Engine) -> None:
    import_records(engine, [record()], source="dvc", now=NOW)
    _mark_evaluated(engine)
    import_records(engine, [record()], source="dvc")
    d = _dossier(engine)
    assert (d.next_change_at, d.evaluated_at, d.due_status) == (NOW, NOW, "x")


def test_a_change_updates_the_dossier_and_appends_a_status_event(engine: Engine) -> None:
    import_records(engine, [record()], source="dvc", now=NOW)
    _mark_evaluated(engine)
    later = datetime(2025, 1, 21, tzinfo=UTC)
    changed = record(TrangThaiHoSo="9", NgayKetThucXuLy="20250116150000")
    result = import_records(engine, [changed], source="dvc", now=later)
    assert (result.inserted, result.updated) == (0, 1)
    d = _dossier(engine)
    assert d.status == 9 and d.finished_at == datetime(2025, 1, 16, 8, 0, tzinfo=UTC)
    assert d.updated_at == later
    assert d.next_change_at is None and d.evaluated_at is None
    with session_scope(engine) as s:
        events = s.execute(
            select(DossierEvent.kind, DossierEvent.status, DossierEvent.detail).order_by(
                DossierEvent.id
            )
        ).all()
    assert [(k, st) for k, st, _ in events] == [
        (DossierEventKind.IMPORTED, 4),
        (DossierEventKind.STATUS_CHANGED, 9),
    ]
    assert events[1].detail == {
        "status": [4, 9],
        "finished_at": [None, "2025-01-16T08:00:00+00:00"],
    }


def test_a_change_of_other_facts_is_an_update_event(engine: Engine) -> None:
    import_records(engine, [record()], source="dvc")
    import_records(engine, [record(NgayHenTra="20250120170000")], source="dvc")
    with session_scope(engine) as s:
        last = s.scalars(select(DossierEvent).order_by(DossierEvent.id.desc())).first()
    assert last is not None and last.kind == DossierEventKind.UPDATED
    assert last.detail == {"due_at": ["2025-01-17T10:00:00+00:00", "2025-01-20T10:00:00+00:00"]}


def test_update_adds_new_steps_and_corrects_changed_ones_in_place(engine: Engine) -> None:
    import_records(engine, [record()], source="dvc")
    rec = record()
    rec["QuaTrinhXuLy"][1]["NguoiXuLy"] = "Lê Thị Xử Lý"
    rec["QuaTrinhXuLy"].append({"PhongBanXuLy": "Lãnh đạo", "NgayBatDau": "20250114080000"})
    import_records(engine, [rec], source="dvc")
    assert _steps(engine) == [
        (1, "Bộ phận một cửa", "Trần Văn Cán Bộ"),
        (2, "Văn phòng đăng ký đất đai", "Lê Thị Xử Lý"),
        (3, "Lãnh đạo", None),
    ]
    with session_scope(engine) as s:
        last = s.scalars(select(DossierEvent).order_by(DossierEvent.id.desc())).first()
    assert last is not None and last.detail == {"lists": ["dossier_steps"]}


def test_update_without_steps_or_with_fewer_steps_deletes_no_history(engine: Engine) -> None:
    import_records(engine, [record()], source="dvc")
    without = record(TrangThaiHoSo="5")
    del without["QuaTrinhXuLy"]
    import_records(engine, [without], source="dvc")
    shorter = record(TrangThaiHoSo="9", NgayKetThucXuLy="20250115100000")
    shorter["QuaTrinhXuLy"] = shorter["QuaTrinhXuLy"][:1]
    result = import_records(engine, [shorter], source="dvc")
    assert result.updated == 1
    assert [seq for seq, _, _ in _steps(engine)] == [1, 2]


def test_a_code_repeated_in_one_import_is_applied_in_order(engine: Engine) -> None:
    result = import_records(
        engine, [record(), record(TrangThaiHoSo="5"), record(TrangThaiHoSo="5")], source="dvc"
    )
    assert (result.inserted, result.updated, result.unchanged) == (1, 1, 1)
    assert _dossier(engine).status == 5
    assert count(engine, DossierEvent) == 2


def test_records_spanning_several_batches_are_all_written(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(writer_module, "BATCH_SIZE", 3)
    records = [record(f"000.00.06.H56-250110-{i:04d}") for i in range(10)]
    progress: list[int] = []
    result = import_records(engine, records, source="dvc", progress=progress.append)
    assert result.inserted == 10 and count(engine, DossierStep) == 20
    assert progress[-1] == 10
    again = import_records(engine, records, source="dvc")
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 10)


def test_catalogue_codes_resolve_to_procedure_field_and_units(engine: Engine) -> None:
    _seed_catalogue(engine)
    rec = record()
    rec["QuaTrinhXuLy"][0]["MaPhongBanXuLy"] = "000.00.06.H56"
    result = import_records(engine, [rec], source="dvc")
    d = _dossier(engine)
    with session_scope(engine) as s:
        proc_id = s.scalar(select(Procedure.id))
        ward = s.scalar(select(Unit.id).where(Unit.code == "000.00.06.H56"))
        office = s.scalar(select(Unit.id).where(Unit.code == "000.00.99.H56"))
        step_units = s.scalars(select(DossierStep.unit_id).order_by(DossierStep.seq)).all()
        land = s.scalar(select(Field.id).where(Field.code == "G09-DD"))
    assert (d.procedure_id, d.field_id) == (proc_id, land)
    # DonViTiepNhan defaults to the prefix of MaHoSo.
    assert d.resolving_unit_id == ward and d.receiving_unit_id == ward
    assert step_units == [ward, office]  # by code, then by name
    assert result.notes == {}


def test_unknown_units_are_kept_as_null_and_counted_as_a_note(engine: Engine) -> None:
    result = import_records(engine, [record(DonViXuLy="XYZ")], source="dvc")
    d = _dossier(engine)
    assert result.inserted == 1 and result.quarantined == 0
    assert d.resolving_unit_id is None and d.receiving_unit_id is None
    assert result.notes["unknown_unit"] == 1


def test_unknown_procedure_keeps_code_name_and_legal_time_and_creates_the_field(
    engine: Engine,
) -> None:
    rec = record(
        MaTTHC="9.999",
        TenTTHC="Thủ tục lạ",
        MaLinhVuc="NEW",
        TenLinhVuc="Lĩnh vực mới",
        ThoiHanGiaiQuyet="2,5",
        DonViTinh="Ngày làm việc",
    )
    result = import_records(engine, [rec], source="dvc")
    d = _dossier(engine)
    assert d.procedure_id is None and d.procedure_code == "9.999"
    assert (d.legal_amount, d.legal_unit) == (2.5, TimeUnit.WORKING_DAYS)
    with session_scope(engine) as s:
        field = s.scalars(select(Field).where(Field.code == "NEW")).one()
    assert field.name == "Lĩnh vực mới" and d.field_id == field.id
    assert result.notes["new_field"] == 1


@pytest.mark.parametrize(
    ("unit", "expected"),
    [("Ngày", TimeUnit.CALENDAR_DAYS), ("Giờ", TimeUnit.HOURS), ("ngay lam viec", "working_days")],
)
def test_legal_time_units_are_read_from_their_vietnamese_names(
    engine: Engine, unit: str, expected: str
) -> None:
    import_records(engine, [record(ThoiHanGiaiQuyet=8, DonViTinh=unit)], source="dvc")
    assert _dossier(engine).legal_unit == expected


def test_not_accepted_dossier_without_receipt_uses_submission_time(engine: Engine) -> None:
    rec = record(TrangThaiHoSo="3", NgayTiepNhan="", NgayHenTra="")
    result = import_records(engine, [rec], source="dvc")
    assert result.inserted == 1
    assert _dossier(engine).received_at == datetime(2025, 1, 10, 0, 45, tzinfo=UTC)


def test_each_import_is_recorded_as_a_batch_with_its_counts(engine: Engine) -> None:
    result = import_records(engine, [record(), {"MaHoSo": ""}], source="dvc", location="x.json")
    with session_scope(engine) as s:
        batch = s.get(ImportBatch, result.batch_id)
        source = s.scalars(select(Source).where(Source.name == "dvc")).one()
    assert batch is not None and batch.status == "success" and batch.finished_at is not None
    assert (batch.inserted, batch.quarantined, batch.location) == (1, 1, "x.json")
    assert batch.source_id == source.id and source.kind == "file"
    assert result.as_json() == {
        "inserted": 1,
        "updated": 0,
        "unchanged": 0,
        "quarantined": 1,
        "reasons": {"missing_code": 1},
        "batch_id": result.batch_id,
        "notes": {"new_field": 1, "unknown_unit": 1},
    }


@pytest.mark.parametrize(
    ("kind", "expected", "noted"),
    [("2", 2, False), ("Doanh nghiệp", 2, False), ("cong dan", 1, False), ("Khác", None, True)],
)
def test_applicant_kind_by_code_or_name_and_unknown_ones_are_a_note(
    engine: Engine, kind: str, expected: int | None, noted: bool
) -> None:
    result = import_records(engine, [record(LoaiDoiTuong=kind)], source="dvc")
    assert _dossier(engine).applicant_kind == expected
    assert ("unknown_applicant_kind" in result.notes) is noted


def test_database_errors_are_described_without_the_rows_personal_data(engine: Engine) -> None:
    from sqlalchemy.exc import IntegrityError

    from monitor.ingest.pipeline import describe_error

    import_records(engine, [record()], source="dvc")
    with pytest.raises(IntegrityError) as caught, engine.begin() as conn:
        conn.execute(
            Dossier.__table__.insert().values(
                source_id=1, code=record()["MaHoSo"], received_at=NOW, status=4,
                applicant_name=APPLICANT, channel=1,
            )
        )  # fmt: skip
    assert APPLICANT in str(caught.value)  # SQLAlchemy's own text carries the parameters
    described = describe_error(caught.value)
    assert described.startswith("lỗi CSDL (") and APPLICANT not in described
