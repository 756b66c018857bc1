"""Settings: defaults, motcua.toml, environment overrides, clear errors, hidden secrets."""

from __future__ import annotations

from pathlib import Path

import pytest

from monitor.config import SECRET_MARK, SettingsError, describe, load_settings


def test_defaults_give_sqlite_in_the_data_dir(tmp_path: Path) -> None:
    s = load_settings({"MOTCUA_CONFIG": str(tmp_path / "none.toml"), "MOTCUA_DATA_DIR": "x"})
    assert s.effective_database_url == "sqlite:///x/motcua.db"
    assert s.supplement_policy == "national"


def test_environment_overrides_the_config_file(tmp_path: Path) -> None:
    cfg = tmp_path / "motcua.toml"
    cfg.write_text('console_port = 9000\nsupplement_policy = "legal"\n', encoding="utf-8")
    s = load_settings({"MOTCUA_CONFIG": str(cfg), "MOTCUA_CONSOLE_PORT": "9100"})
    assert s.console_port == 9100
    assert s.supplement_policy == "legal"


@pytest.mark.parametrize(
    ("name", "value", "named"),
    [
        ("MOTCUA_SMTP_PORT", "abc", "smtp_port"),
        ("MOTCUA_SUPPLEMENT_POLICY", "sometimes", "supplement_policy"),
        ("MOTCUA_OFFICE_HOURS", "07:00-25:00", "office_hours"),
        ("MOTCUA_OFFICE_HOURS", "13:30-17:00,07:00-11:30", "office_hours"),
        ("MOTCUA_PAPER_CUTOFF", "3pm", "paper_cutoff"),
        ("MOTCUA_DATABASE_URL", "mysql://root@localhost/x", "database_url"),
        ("MOTCUA_DUE_SOON_WORKING_DAYS", "-1", "due_soon_working_days"),
    ],
)
def test_a_bad_value_stops_with_a_message_naming_the_setting(
    tmp_path: Path, name: str, value: str, named: str
) -> None:
    with pytest.raises(SettingsError, match=named):
        load_settings({"MOTCUA_CONFIG": str(tmp_path / "none.toml"), name: value})


def test_an_unreadable_config_file_is_named(tmp_path: Path) -> None:
    cfg = tmp_path / "motcua.toml"
    cfg.write_text("console_port = = 1\n", encoding="utf-8")
    with pytest.raises(SettingsError, match=r"motcua\.toml"):
        load_settings({"MOTCUA_CONFIG": str(cfg)})


def test_secrets_are_hidden_when_shown(tmp_path: Path) -> None:
    s = load_settings(
        {
            "MOTCUA_CONFIG": str(tmp_path / "none.toml"),
            "MOTCUA_SMTP_PASSWORD": "hunter2-very-secret",
            "MOTCUA_DATABASE_URL": "postgresql+psycopg://motcua:pa55word@db.local/motcua",
            "MOTCUA_RATING_LINK_SECRET": "k3y",
        }
    )
    shown = {row["name"]: row["value"] for row in describe(s)}
    assert shown["smtp_password"] == SECRET_MARK
    assert shown["rating_link_secret"] == SECRET_MARK
    assert shown["database_url"] == f"postgresql+psycopg://motcua:{SECRET_MARK}@db.local/motcua"
    assert "pa55word" not in str(shown) and "hunter2" not in str(shown)


def test_every_setting_has_help_text() -> None:
    assert all(row["help"] for row in describe(load_settings({})))
