"""``motcua kiosks add|list|revoke`` and ``motcua ratings link`` from the shell."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select
from surveys_helpers import CODES, SECRET, make_centre

from monitor.cli import main
from monitor.db import session_scope
from monitor.models import AuditEntry, KioskDevice, utcnow
from surveys.devices import hash_token
from surveys.links import verify


@pytest.fixture
def shell(engine: Engine, db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Engine:
    monkeypatch.setenv("MOTCUA_DATABASE_URL", db_url)
    monkeypatch.setenv("MOTCUA_CONFIG", str(tmp_path / "none.toml"))
    monkeypatch.setenv("MOTCUA_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("MOTCUA_RATING_LINK_SECRET", SECRET)
    make_centre(engine)
    return engine


def _json(capsys: pytest.CaptureFixture[str], argv: list[str]) -> Any:
    assert main(argv) == 0
    return json.loads(capsys.readouterr().out)


def test_a_device_token_is_shown_once_and_stored_only_hashed(
    shell: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    made = _json(
        capsys,
        ["kiosks", "add", "Kiosk quầy 5", "--unit", "H56.TTPVHCC", "--counter", "Quầy 5", "--json"],
    )
    token = made["token"]
    assert token.startswith("kd_") and len(token) > 40
    with session_scope(shell) as s:
        stored = s.scalar(select(KioskDevice.token_hash).where(KioskDevice.id == made["id"]))
        audited = s.scalars(select(AuditEntry.action)).all()
    assert stored == hash_token(token) and token not in str(stored)
    assert "kiosk.add" in audited
    listed = _json(capsys, ["kiosks", "list", "--json"])
    assert all("token" not in d for d in listed)
    assert [d["name"] for d in listed] == ["Kiosk quầy 3", "Kiosk quầy 5"]


def test_revoking_a_device_marks_it_and_a_second_revoke_changes_nothing(
    shell: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    first = _json(capsys, ["kiosks", "revoke", "1", "--json"])
    second = _json(capsys, ["kiosks", "revoke", "1", "--json"])
    assert (first["changed"], second["changed"]) == (True, False)
    assert _json(capsys, ["kiosks", "list", "--json"])[0]["active"] is False


def test_bad_kiosk_input_exits_2_with_one_line(
    shell: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["kiosks", "add", "K", "--unit", "KHONG-CO"]) == 2
    assert capsys.readouterr().err.strip() == "Lỗi: Không có đơn vị mã 'KHONG-CO'."
    assert main(["kiosks", "revoke", "99"]) == 2


def test_ratings_link_prints_a_signed_url_and_writes_the_qr_png(
    shell: Engine, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = _json(capsys, ["ratings", "link", CODES[0], "--json"])
    assert doc["url"].startswith(f"http://localhost:8502/r/{CODES[0]}?t=")
    token = doc["url"].split("?t=", 1)[1]
    verify(SECRET.encode(), CODES[0], token, utcnow())
    assert Path(doc["qr"]).read_bytes()[:4] == b"\x89PNG"
    assert Path(doc["qr"]).parent == tmp_path / "data" / "qr"


def test_ratings_link_for_an_unknown_dossier_exits_2(
    shell: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["ratings", "link", "KHONG-CO"]) == 2
    assert "Không có hồ sơ mã 'KHONG-CO'" in capsys.readouterr().err


def test_ratings_web_refuses_a_worker_count_out_of_range(
    shell: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["ratings-web", "--workers", "0"]) == 2
    assert capsys.readouterr().err.strip() == "Lỗi: --workers phải từ 1 đến 64."
