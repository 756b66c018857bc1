"""The "Báo cáo" page for each role: exports offered as downloads, audited under the person,
masked unless an admin, and a supervisor limited to their own subtree."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from console_apptest import button, console_on, no_exception, open_page
from console_world import World, make_world
from reports_helpers import VN, add_dossier
from sqlalchemy import Engine, select

from monitor.db import session_scope
from monitor.models import AuditEntry
from monitor.reports.texts import SCOPE_ALL


@pytest.fixture
def world(
    engine: Engine, db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[World]:
    """The console world plus one late dossier in each commune, settled a week ago."""
    w = make_world(engine)
    local = w.now.astimezone(VN)

    def day(days_ago: int) -> str:
        return f"{local - timedelta(days=days_ago):%Y-%m-%d}"

    for unit, code in ((w.p.commune_a, "AP-TRE-01"), (w.p.commune_b, "BM-TRE-01")):
        add_dossier(
            engine,
            w.p,
            unit=unit,
            field=w.p.land,
            received=f"{day(20)} 09:00",
            due=f"{day(10)} 17:00",
            finished=f"{day(7)} 10:00",
            status=10,
            code=code,
        )
    with console_on(db_url, tmp_path, monkeypatch):
        yield w


def _exports(engine: Engine) -> list[tuple[str, dict[str, object]]]:
    with session_scope(engine) as s:
        rows = s.execute(
            select(AuditEntry.actor, AuditEntry.detail)
            .where(AuditEntry.action == "report.export")
            .order_by(AuditEntry.id)
        ).all()
    return [(a, d) for a, d in rows]


def _make(at, kind: str, fmt: str):  # type: ignore[no-untyped-def]
    at.radio(key="reports_kind").set_value(kind)
    at.radio(key="reports_format").set_value(fmt)
    button(at, "Tạo báo cáo").click().run()
    no_exception(at)
    return at


def test_inspector_exports_the_register_masked_for_the_whole_province(
    engine: Engine, world: World
) -> None:
    at = open_page("reports", world.users["thanhtra"])
    no_exception(at)
    assert at.selectbox(key="reports_unit").options[0] == SCOPE_ALL
    _make(at, "register", "csv")
    assert any("2 dòng dữ liệu" in s.value for s in at.success)
    downloads = at.get("download_button")
    assert len(downloads) == 1 and downloads[0].proto.label == "Tải xuống"
    [(actor, detail)] = _exports(engine)
    assert actor == "thanhtra"
    assert detail["personal_data"] is False and detail["report"] == "register"
    assert "masked" in str(detail["params"])


def test_admin_exports_with_personal_data_and_it_is_audited(engine: Engine, world: World) -> None:
    at = open_page("reports", world.users["quantri"])
    _make(at, "register", "xlsx")
    [(actor, detail)] = _exports(engine)
    assert actor == "quantri" and detail["personal_data"] is True
    assert str(detail["file"]).endswith(".xlsx")


def test_commune_supervisor_reports_only_on_their_commune(engine: Engine, world: World) -> None:
    at = open_page("reports", world.users["giamsat.a"])
    no_exception(at)
    assert at.selectbox(key="reports_unit").options == ["UBND xã An Phú"]
    _make(at, "register", "csv")
    assert any("1 dòng dữ liệu" in s.value for s in at.success)
    [(actor, detail)] = _exports(engine)
    assert actor == "giamsat.a"
    assert detail["params"]["unit"] == "H56.X1"  # type: ignore[index]


@pytest.mark.parametrize(("kind", "fmt"), [("06a", "pdf"), ("satisfaction", "xlsx")])
def test_every_report_is_offered(engine: Engine, world: World, kind: str, fmt: str) -> None:
    at = open_page("reports", world.users["thanhtra"])
    _make(at, kind, fmt)
    assert at.get("download_button")
    assert [d["report"] for _a, d in _exports(engine)] == [kind]


def test_changing_the_parameters_withdraws_the_old_download(world: World) -> None:
    at = open_page("reports", world.users["thanhtra"])
    _make(at, "06a", "csv")
    assert at.get("download_button")
    at.radio(key="reports_format").set_value("pdf").run()
    assert not at.get("download_button")


def test_the_receiver_is_asked_for_the_06a_form_only(world: World) -> None:
    at = open_page("reports", world.users["thanhtra"])
    at.radio(key="reports_kind").set_value("06a").run()
    assert [t.key for t in at.text_input] == ["reports_receiver"]
    at.radio(key="reports_kind").set_value("register").run()
    assert not at.text_input
