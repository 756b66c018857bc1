"""`motcua alerts` as an administrator types it: list, ack, silence, resolve, rules, channels."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from alerts_helpers import MONDAY_9, add_dossier, alerts, build_org, rules, settings
from sqlalchemy import Engine, select

from alerts.service import evaluate_alerts
from monitor.audit import cli_actor
from monitor.cli import main
from monitor.db import session_scope
from monitor.models import AuditEntry

WARN = rules([{"name": "qua-han", "condition": "overdue"}])
# Command-line parsing and wording do not depend on the backend; the stages behind these
# commands run on both in the other test_alerts_* files.
pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


@pytest.fixture
def cli(db_url: str, engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("MOTCUA_DATABASE_URL", db_url)
    monkeypatch.setenv("MOTCUA_CONFIG", str(tmp_path / "motcua.toml"))
    monkeypatch.setenv("MOTCUA_DATA_DIR", str(tmp_path))
    org = build_org(engine)
    add_dossier(engine, org, "HS-1")
    add_dossier(engine, org, "HS-2", unit="XA-A")
    evaluate_alerts(engine, settings(), MONDAY_9, WARN)
    return engine


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def _audit(engine: Engine, action: str) -> AuditEntry:
    with session_scope(engine) as s:
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == action)).one()
        s.expunge(entry)
        return entry


def test_list_json_with_a_state_filter(cli: Engine, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "alerts", "list", "--state", "open", "--json")
    doc = json.loads(out)
    assert code == 0 and doc["count"] == 2
    assert {a["state"] for a in doc["alerts"]} == {"open"}
    assert {a["title"][:10] for a in doc["alerts"]} == {"Hồ sơ HS-1", "Hồ sơ HS-2"}
    code, out, _ = _run(capsys, "alerts", "list", "--state", "resolved", "--json")
    assert json.loads(out)["count"] == 0


def test_list_for_people_shows_state_and_dates_in_vietnamese(
    cli: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    _code, out, _ = _run(capsys, "alerts", "list")
    assert "Đang mở" in out and "10/03/2025 09:00" in out


def test_ack_with_a_note_is_audited_as_the_shell_user(
    cli: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    first = alerts(cli)[0].id
    code, out, _ = _run(capsys, "alerts", "ack", str(first), "--note", "Đã giao", "--json")
    doc = json.loads(out)
    assert code == 0 and doc["state"] == "acknowledged" and doc["ack_note"] == "Đã giao"
    assert doc["acknowledged_by"] == cli_actor()
    entry = _audit(cli, "alert.acknowledged")
    assert entry.actor == cli_actor() and entry.actor.startswith("cli")
    assert entry.target == f"alert:{first}"


def test_silence_until_a_vietnamese_date_and_time(
    cli: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    first = alerts(cli)[0].id
    args = ["alerts", "silence", str(first), "--until", "11/03/2035 08:00"]
    code, out, _ = _run(capsys, *args, "--reason", "Chờ đo đạc", "--json")
    assert code == 0 and json.loads(out)["state"] == "silenced"
    assert alerts(cli)[0].silenced_until == datetime(2035, 3, 11, 1, 0, tzinfo=UTC)
    assert _audit(cli, "alert.silenced").detail["reason"] == "Chờ đo đạc"
    iso = ["alerts", "silence", str(first), "--until", "2035-03-12T08:00+07:00"]
    assert _run(capsys, *iso, "--reason", "Gia hạn")[0] == 0


def test_resolve_then_resolve_again_is_refused(
    cli: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    first = alerts(cli)[0].id
    code, out, _ = _run(capsys, "alerts", "resolve", str(first))
    assert code == 0 and out.strip() == f"Cảnh báo #{first}: đã kết thúc."
    code, _out, err = _run(capsys, "alerts", "resolve", str(first))
    assert code == 2 and err.strip() == f"Lỗi: Cảnh báo số {first} đã kết thúc."


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["ack", "999", "--note", "x"], "Không có cảnh báo số 999."),
        (["silence", "1", "--until", "31/02/2035 08:00", "--reason", "x"], "không hợp lệ"),
        (["silence", "1", "--until", "01/01/2020 08:00", "--reason", "x"], "sau thời điểm"),
        (["ack", "1", "--note", "  "], "Cần ghi chú"),
    ],
)
def test_bad_input_gives_exit_2_and_one_line(
    cli: Engine, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    code, _out, err = _run(capsys, "alerts", *args)
    assert code == 2 and message in err and len(err.strip().splitlines()) == 1


def test_a_bad_rule_in_motcua_toml_stops_with_its_name(
    cli: Engine, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    (tmp_path / "motcua.toml").write_text(
        '[[alerts.rules]]\nname = "dat-dai"\ncondition = "qua_han"\n', encoding="utf-8"
    )
    code, _out, err = _run(capsys, "alerts", "evaluate")
    assert code == 2 and err.startswith("Lỗi: Quy tắc cảnh báo 'dat-dai': điều kiện 'qua_han'")
    assert _run(capsys, "alerts", "rules")[0] == 2


def test_rules_json_lists_the_effective_rules(
    cli: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = _run(capsys, "alerts", "rules", "--json")
    names = [r["name"] for r in json.loads(out)["rules"]]
    assert code == 0 and "dat-dai-qua-han" in names


def test_webhook_channels_are_added_listed_and_toggled(
    cli: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    url = "https://zalo-bridge.example/hook"
    assert _run(capsys, "alerts", "channels", "add", "zalo-oa", "--url", url)[0] == 0
    assert _run(capsys, "alerts", "channels", "add", "zalo-oa", "--url", url)[0] == 2
    assert _run(capsys, "alerts", "channels", "disable", "zalo-oa")[0] == 0
    _code, out, _ = _run(capsys, "alerts", "channels", "list", "--json")
    (channel,) = json.loads(out)["channels"]
    assert channel == channel | {"name": "zalo-oa", "url": url, "enabled": False}
    assert _run(capsys, "alerts", "channels", "enable", "nope")[0] == 2
