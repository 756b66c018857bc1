"""The late-dossier page under AppTest, for each role: the list of the person's scope sorted
by urgency, the timeline opened from the list or by ``?code=``, personal data masked except
for admins, and a commune supervisor who never sees another commune's dossiers."""

from __future__ import annotations

import pytest
from console_pages import PASSWORD, ROOT, console, make_world, open_page, page_text  # noqa: F401
from reports_helpers import APPLICANT, PHONE
from sqlalchemy import Engine
from streamlit.testing.v1 import AppTest

PAGE = "late.py"


@pytest.fixture
def world(console: str, engine: Engine):  # noqa: F811
    return make_world(engine)


def _codes(at: AppTest) -> list[str]:
    return list(at.dataframe[0].value["Mã hồ sơ"])


@pytest.mark.parametrize("role", ["quantri", "thanhtra"])
def test_the_whole_province_sorted_by_urgency(world, role: str) -> None:
    at = open_page(PAGE, world.users[role])
    # 20 days overdue (land first on the same due day), then 10 days, then due soon.
    assert _codes(at) == ["XA-A-QUAHAN", "XA-B-QUAHAN", "SO-QUAHAN", "XA-A-SAPDEN"]
    assert "4 hồ sơ · 3 quá hạn · 1 sắp đến hạn" in page_text(at)


def test_a_commune_supervisor_never_sees_another_communes_dossiers(world) -> None:
    at = open_page(PAGE, world.users["giamsat.a"])
    assert _codes(at) == ["XA-A-QUAHAN", "XA-A-SAPDEN"]
    assert at.selectbox(key="late_pick").options[1:] == ["XA-A-QUAHAN", "XA-A-SAPDEN"]
    at = open_page(PAGE, world.users["giamsat.a"], {"code": "XA-B-QUAHAN"})
    assert [e.value for e in at.error] == [
        "Không tìm thấy hồ sơ XA-B-QUAHAN trong phạm vi đơn vị được giao."
    ]
    text = page_text(at)
    assert "Bình Minh" not in text and not at.subheader


def test_a_link_with_the_code_opens_the_timeline(world) -> None:
    at = open_page(PAGE, world.users["thanhtra"], {"code": "XA-B-QUAHAN"})
    assert [s.value for s in at.subheader] == ["Hồ sơ XA-B-QUAHAN"]
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Tình trạng hạn xử lý"] == "Quá hạn"
    assert at.text_input(key="late_code").value == "XA-B-QUAHAN"


def test_picking_a_dossier_shows_its_steps_with_the_late_one_marked(world) -> None:
    at = open_page(PAGE, world.users["giamsat.a"])
    at.selectbox(key="late_pick").select("XA-A-QUAHAN").run()
    assert not at.exception
    assert at.query_params["code"] == "XA-A-QUAHAN"  # the address can be shared
    steps = next(df.value for df in at.dataframe if "Bước" in df.value.columns)
    assert list(steps["Kết quả"]) == ["Trước hạn", "Đang xử lý – quá hạn"]
    assert list(steps["Trễ"]) == ["", "⚠️"]
    assert "Đơn vị chịu trách nhiệm về chậm trễ: Công chức địa chính xã An Phú" in page_text(at)
    assert len(at.get("vega_lite_chart")) == 1


@pytest.mark.parametrize("role", ["giamsat.a", "thanhtra"])
def test_personal_data_is_masked_for_supervisors_and_inspectors(world, role: str) -> None:
    text = page_text(open_page(PAGE, world.users[role], {"code": "XA-A-QUAHAN"}))
    assert "N*** T*** B*** M***" in text and "091****678" in text
    assert APPLICANT not in text and PHONE not in text


def test_admins_see_personal_data(world) -> None:
    text = page_text(open_page(PAGE, world.users["quantri"], {"code": "XA-A-QUAHAN"}))
    assert APPLICANT in text and PHONE in text


def test_filters_narrow_the_list(world) -> None:
    at = open_page(PAGE, world.users["thanhtra"])
    at.multiselect(key="late_kinds").unselect("due_soon").run()
    assert "XA-A-SAPDEN" not in _codes(at)
    at.multiselect(key="late_lv").select("province").run()
    assert _codes(at) == ["SO-QUAHAN"]
    at.multiselect(key="late_lv").unselect("province").run()
    at.number_input(key="late_days").set_value(100).run()
    assert not at.exception and not at.dataframe
    assert "Không có hồ sơ nào khớp bộ lọc." in page_text(at)


def test_sign_in_through_the_form_then_open_the_dossier_list(world) -> None:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.run()
    at.text_input[0].input("giamsat.b")
    at.text_input[1].input(PASSWORD)
    at.button[0].click().run()
    assert not at.exception
    at.switch_page("console/late.py").run()
    assert not at.exception
    assert _codes(at) == ["XA-B-QUAHAN"]
