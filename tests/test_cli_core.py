"""`motcua init`, `config show` and `users` as a person runs them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from monitor.migrate import head_revision


def motcua(*args: str, env: dict[str, str], stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "monitor.cli", *args],
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _env(tmp_path: Path, db_url: str | None = None) -> dict[str, str]:
    env = dict(
        os.environ,
        MOTCUA_DATA_DIR=str(tmp_path / "data"),
        MOTCUA_CONFIG=str(tmp_path / "motcua.toml"),
    )
    if db_url:
        env["MOTCUA_DATABASE_URL"] = db_url
    return env


def test_init_twice_changes_nothing_the_second_time(tmp_path: Path) -> None:
    env = _env(tmp_path)
    first = json.loads(motcua("init", "--json", env=env).stdout)
    second = motcua("init", "--json", env=env)
    assert first["migrated"] is True and first["seeded"]["ngày lịch"] >= 4
    doc = json.loads(second.stdout)
    assert doc["migrated"] is False and not any(doc["seeded"].values())
    assert "không có thay đổi" in motcua("init", env=env).stdout


def test_init_on_postgresql_schema(db_url: str, tmp_path: Path) -> None:
    result = motcua("init", "--json", env=_env(tmp_path, db_url))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["revision"] == head_revision()


def test_unreachable_database_gives_one_clear_line(tmp_path: Path) -> None:
    env = _env(tmp_path, "postgresql+psycopg://nobody@127.0.0.1:1/none")
    result = motcua("init", env=env)
    assert result.returncode == 1
    assert result.stderr.startswith("Lỗi: Không kết nối được CSDL")
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr


def test_unsupported_database_url_is_bad_input(tmp_path: Path) -> None:
    result = motcua("init", env=_env(tmp_path, "oracle://x"))
    assert result.returncode == 2
    assert "database_url" in result.stderr and "Traceback" not in result.stderr


def test_config_show_hides_secrets(tmp_path: Path) -> None:
    env = dict(_env(tmp_path), MOTCUA_SMTP_PASSWORD="bí-mật-123")
    result = motcua("config", "show", "--json", env=env)
    doc = json.loads(result.stdout)
    assert doc["smtp_password"] == "••••••" and "bí-mật-123" not in result.stdout
    assert doc["data_dir"] == str(tmp_path / "data")


def test_users_add_list_and_bad_role(tmp_path: Path) -> None:
    env = _env(tmp_path)
    motcua("init", env=env)
    added = motcua(
        "users",
        "add",
        "thanhtra1",
        "--role",
        "inspector",
        "--password-stdin",
        env=env,
        stdin="mot-mat-khau-dai\n",
    )
    assert added.returncode == 0, added.stderr
    listed = json.loads(motcua("users", "list", "--json", env=env).stdout)
    assert [u["username"] for u in listed] == ["thanhtra1"]
    bad = motcua(
        "users",
        "add",
        "x",
        "--role",
        "supervisor",
        "--password-stdin",
        env=env,
        stdin="mot-mat-khau-dai\n",
    )
    assert bad.returncode == 2 and "đơn vị" in bad.stderr
