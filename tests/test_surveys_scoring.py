"""Ratings taken by the service — at the kiosk, on the online form and from an imported CSV —
scored by ``motcua report satisfaction --format json``, end to end on both backends."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from surveys_helpers import CODES, SECRET, Centre, make_centre, settings_for

from monitor.calendar import VN_TZ
from monitor.cli import main
from monitor.models import utcnow
from surveys.importer import import_ratings_csv
from surveys.links import sign
from surveys.web import create_app

KIOSK = {"a": 3, "b": 3, "c": 2, "dd": 3, "e": 3}  # overall 3
ONLINE = {"a": "2", "b": "1", "c": "2", "dd": "2", "e": "1"}  # overall 1


def _rate_three_ways(client: TestClient, centre: Centre, tmp_path: Path, engine: Engine) -> None:
    auth = {"Authorization": f"Bearer {centre.token}"}
    kiosk = {"dossier_code": CODES[0], "criteria": KIOSK, "overall": 3}
    assert client.post("/kiosk/api/ratings", json=kiosk, headers=auth).status_code == 201
    # A counter rating: it counts in the rates, never in an index, whatever it answers.
    counter = {"criteria": {"a": 1, "c": 1}, "overall": 1}
    assert client.post("/kiosk/api/ratings", json=counter, headers=auth).status_code == 201
    token = sign(SECRET.encode(), CODES[1], int((utcnow() + timedelta(days=1)).timestamp()))
    page = client.get(f"/r/{CODES[1]}?t={token}")
    found = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert found is not None
    form = {f"crit_{k}": v for k, v in ONLINE.items()}
    form.update(t=token, csrf=found.group(1), overall="1")
    assert client.post(f"/r/{CODES[1]}", data=form).status_code == 200
    at = utcnow().astimezone(VN_TZ).strftime("%d/%m/%Y %H:%M")
    csv = tmp_path / "khac.csv"
    csv.write_text(
        f"Mã hồ sơ,Tiêu chí a,Tiêu chí đ,Đánh giá chung,Thời gian\n{CODES[2]},1,3,2,{at}\n",
        encoding="utf-8",
    )
    assert import_ratings_csv(engine, csv).inserted == 1


def _report(db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setenv("MOTCUA_DATABASE_URL", db_url)
    monkeypatch.setenv("MOTCUA_CONFIG", str(tmp_path / "none.toml"))
    today = utcnow().astimezone(VN_TZ).date()
    out = tmp_path / "hai-long.json"
    argv = ["report", "satisfaction", "--format", "json", "-o", str(out)]
    argv += ["--from", f"{today - timedelta(days=1):%d/%m/%Y}"]
    argv += ["--to", f"{today + timedelta(days=1):%d/%m/%Y}"]
    assert main(argv) == 0
    return json.loads(out.read_text(encoding="utf-8"))


def test_ratings_from_the_kiosk_the_form_and_an_import_are_scored_in_the_report(
    engine: Engine,
    db_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """By hand, for the agency resolving the three dossiers (points 2/1/0 for levels 3/2/1):
    index 1 (criterion a) = (2 + 1 + 0) / 3 = 1.0; index 3 (c) = (1 + 1) / 2 = 1.0;
    index 4 (b) = (2 + 0) / 2 = 1.0; index 7 (đ) = (2 + 1 + 2) / 3 = 1.67 → 1.7.
    Four indices with data: (1.0 + 1.0 + 1.0 + 1.7) × 18 / 8 = 10.575 → 10.6, Khá (9–< 12).
    The officer (on duty at the kiosk, and receiving officer of the dossiers) has the same
    indices: 4.7 × 10 / 8 = 5.875 → 5.9, ≥ 5: "Hoàn thành 100% nhiệm vụ". The counter
    rating adds nothing to either."""
    centre = make_centre(engine)
    client = TestClient(create_app(engine, settings_for(tmp_path, db_url)))
    _rate_three_ways(client, centre, tmp_path, engine)
    doc = _report(db_url, tmp_path, monkeypatch)
    units = {row["name"]: row for row in doc["tables"]["units"]["rows"]}
    agency = units["Sở Tài nguyên và Môi trường"]
    assert {k: agency[f"i{k}"] for k in range(1, 10)} == {
        1: 1.0,
        2: None,
        3: 1.0,
        4: 1.0,
        5: None,
        6: None,
        7: 1.7,
        8: None,
        9: None,
    }
    assert (agency["total"], agency["class"], agency["ratings"]) == (10.6, "Khá", 3)
    [officer] = doc["tables"]["officers"]["rows"]
    assert officer["name"] == "Trần Thị Bình"
    assert (officer["i1"], officer["i3"], officer["i4"], officer["i7"]) == (1.0, 1.0, 1.0, 1.7)
    assert (officer["total"], officer["class"]) == (5.9, "Hoàn thành 100% nhiệm vụ")
