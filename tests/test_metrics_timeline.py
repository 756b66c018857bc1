"""A dossier's timeline: each step against its allotted time by date (the late ones are the
engine's responsible units), apology letters in time or not, personal data masked unless
revealed, and who may open a dossier at all."""

from __future__ import annotations

from datetime import datetime

import pytest
from reports_helpers import APPLICANT, PHONE, VN, Province, add_dossier, make_province
from sqlalchemy import Engine, select, update

from monitor.config import Settings
from monitor.db import session_scope
from monitor.enums import Breach
from monitor.metrics import charts
from monitor.metrics import vi_labels as L
from monitor.metrics.timeline import find_dossier, gantt_bars, load_timeline
from monitor.models import Dossier, DossierStep, Rating, Supplement
from monitor.units import subtree_ids

CONF = Settings()
NOW = datetime(2025, 3, 10, 9, 0, tzinfo=VN)  # Monday
STEPS = [
    ("Bộ phận Một cửa", "2025-03-03 09:00", "2025-03-03 10:00", "2025-03-04 17:00"),
    ("Phòng Tài nguyên", "2025-03-03 10:00", "2025-03-06 23:59", "2025-03-06 08:00"),
    ("Văn phòng Đăng ký đất đai", "2025-03-07 00:00", "2025-03-08 00:00", "2025-03-07 17:00"),
    ("Chi cục Thuế", "2025-03-08 08:00", None, "2025-03-09 17:00"),
]


@pytest.fixture
def province(engine: Engine) -> Province:
    return make_province(engine)


def _dossier(engine: Engine, p: Province, **kw: object) -> int:
    base: dict[str, object] = {
        "unit": p.land_office,
        "field": p.land,
        "received": "2025-03-03 08:30",
        "due": "2025-03-07 16:00",
        "code": "HS-1",
        "steps": STEPS,
    }
    return add_dossier(engine, p, **(base | kw))  # type: ignore[arg-type]


def test_each_step_is_judged_against_its_own_deadline_by_date(
    engine: Engine, province: Province
) -> None:
    did = _dossier(engine, province)
    t = load_timeline(engine, CONF, did, NOW, reveal_personal=False)
    assert t is not None
    assert [(s.verdict, s.late) for s in t.steps] == [
        (L.STEP_EARLY, False),
        (L.STEP_ON_TIME, False),  # done 23:59 on its deadline day
        (L.STEP_LATE, True),  # done 00:00 the day after
        (L.STEP_RUNNING_LATE, True),  # not done, its deadline day is past
    ]
    assert t.evaluation is not None and t.due_status_text == "Quá hạn"
    assert {s.unit for s in t.steps if s.late} == set(t.responsible_units)


def test_gantt_bars_show_allotted_and_actual_time(engine: Engine, province: Province) -> None:
    t = load_timeline(engine, CONF, _dossier(engine, province), NOW, False)
    assert t is not None
    bars = gantt_bars(t, NOW)
    assert [(b["order"], b["kind"]) for b in bars] == [
        (i, kind) for i in (1, 2, 3, 4) for kind in (L.STEP_ALLOTTED, L.STEP_ACTUAL)
    ]
    running = bars[-1]
    assert running["end"] == NOW and running["verdict"] == L.STEP_RUNNING_LATE
    spec = charts.timeline_chart(bars).to_dict()
    colours = spec["encoding"]["color"]["scale"]
    assert colours["domain"][0] == L.STEP_ALLOTTED and L.STEP_LATE in colours["domain"]
    (values,) = spec["datasets"].values()
    assert values[0]["start"] == "2025-03-03T09:00"  # Vietnam wall-clock time


def test_a_step_left_undone_on_an_ended_dossier_is_judged_at_its_end(
    engine: Engine, province: Province
) -> None:
    steps = [("Phòng Tài nguyên", "2025-03-03 10:00", None, "2025-03-05 17:00")]
    did = _dossier(engine, province, steps=steps, status=10, finished="2025-03-06 09:00")
    t = load_timeline(engine, CONF, did, NOW, False)
    assert t is not None and [(s.verdict, s.late) for s in t.steps] == [(L.STEP_LATE, True)]
    assert t.responsible_units == ("Phòng Tài nguyên",)


def test_apology_letters_in_time_or_not(engine: Engine, province: Province) -> None:
    early = _dossier(
        engine, province, code="HS-XL1", apologies=[("2025-03-06 10:00", "2025-03-14")]
    )
    late = _dossier(engine, province, code="HS-XL2", apologies=[("2025-03-07 08:00", "2025-03-14")])
    t1 = load_timeline(engine, CONF, early, NOW, False)
    t2 = load_timeline(engine, CONF, late, NOW, False)
    assert t1 is not None and t2 is not None
    assert [a.in_time for a in t1.apologies] == [True]
    assert [a.in_time for a in t2.apologies] == [False]
    assert t2.evaluation is not None and Breach.APOLOGY_TOO_LATE in t2.evaluation.breaches
    assert t1.evaluation is not None and Breach.APOLOGY_TOO_LATE not in t1.evaluation.breaches


def test_personal_data_is_masked_unless_revealed(engine: Engine, province: Province) -> None:
    did = _dossier(engine, province, applicant_id_number="001090012345")
    masked = load_timeline(engine, CONF, did, NOW, reveal_personal=False)
    shown = load_timeline(engine, CONF, did, NOW, reveal_personal=True)
    assert masked is not None and shown is not None
    assert masked.applicant.name == "N*** T*** B*** M***" and masked.applicant.masked
    assert masked.applicant.phone == "091****678"
    assert masked.applicant.id_number == "********2345"
    assert APPLICANT not in repr(masked) and PHONE not in repr(masked)
    assert (shown.applicant.name, shown.applicant.phone) == (APPLICANT, PHONE)


def test_supplements_rating_and_names_are_loaded(engine: Engine, province: Province) -> None:
    did = _dossier(
        engine,
        province,
        supplements=[("2025-03-04 09:00", "2025-03-05 09:00", "2025-03-10 16:00")],
        rating=3,
    )
    with session_scope(engine) as s:
        s.execute(update(Rating).where(Rating.dossier_id == did).values(crit_a=3, crit_dd=2))
    t = load_timeline(engine, CONF, did, NOW, False)
    assert t is not None
    assert [(x.seq, x.completed_at is not None) for x in t.supplements] == [(1, True)]
    assert t.rating is not None and t.rating.overall == 3
    assert t.rating.criteria == {"a": 3, "dd": 2}
    assert (t.field, t.unit) == ("Đất đai", "Sở Nông nghiệp và Môi trường")
    with session_scope(engine) as s:
        assert s.scalar(select(Supplement.id).where(Supplement.dossier_id == did)) is not None


def test_who_may_open_a_dossier(engine: Engine, province: Province) -> None:
    p = province
    a, b = subtree_ids(engine, p.commune_a), subtree_ids(engine, p.commune_b)
    own = add_dossier(engine, p, unit=p.commune_a, field=p.civil, received="2025-03-03",
                      due="2025-03-07", code="XA-A")  # fmt: skip
    received_here = _dossier(engine, p, code="NHAN-TAI-A", steps=[])
    stepped_here = _dossier(engine, p, code="BUOC-TAI-A")
    elsewhere = _dossier(engine, p, code="NOI-KHAC", steps=[])
    with session_scope(engine) as s:
        s.execute(
            update(Dossier).where(Dossier.id == received_here).values(receiving_unit_id=p.commune_a)
        )
        s.execute(
            update(DossierStep)
            .where(DossierStep.dossier_id == stepped_here, DossierStep.seq == 2)
            .values(unit_id=p.commune_a)
        )
    assert find_dossier(engine, "XA-A", a) == own
    assert find_dossier(engine, "NHAN-TAI-A", a) == received_here
    assert find_dossier(engine, " BUOC-TAI-A ", a) == stepped_here
    assert find_dossier(engine, "NOI-KHAC", a) is None
    assert find_dossier(engine, "XA-A", b) is None  # another commune's dossier
    assert find_dossier(engine, "NOI-KHAC", None) == elsewhere
    assert find_dossier(engine, "KHONG-CO", None) is None
