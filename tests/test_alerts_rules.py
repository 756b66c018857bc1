"""Alert rules from motcua.toml: the shipped defaults, and bad rules stopped with their name."""

from __future__ import annotations

from pathlib import Path

import pytest

from alerts.kinds import ChannelKind, Condition
from alerts.rules import RuleError, load_rules, parse_rules
from monitor.enums import Breach, Severity


def _one(**kw: object) -> dict[str, object]:
    return {"name": "r", "condition": "overdue", **kw}


def test_shipped_defaults_apply_when_motcua_toml_declares_no_rules(tmp_path: Path) -> None:
    (tmp_path / "motcua.toml").write_text('smtp_host = "mail.local"\n', encoding="utf-8")
    rules = load_rules({"MOTCUA_CONFIG": str(tmp_path / "motcua.toml")})
    conditions = {r.condition for r in rules}
    assert conditions == set(Condition)
    assert {b for r in rules if r.condition == Condition.BREACH for b in r.breaches} == set(Breach)


def test_shipped_defaults_cover_land_affairs_explicitly_and_most_severely() -> None:
    rules = load_rules({"MOTCUA_CONFIG": "/nonexistent/motcua.toml"})
    land = {r.condition: r for r in rules if r.scope.land is True}
    rest = {r.condition: r for r in rules if r.scope.land is False}
    assert {Condition.OVERDUE, Condition.DUE_SOON, Condition.STEP_OVERDUE} <= set(land)
    assert land[Condition.OVERDUE].severity == Severity.CRITICAL
    assert rest[Condition.OVERDUE].severity == Severity.WARNING  # land is not counted twice


def test_rules_in_motcua_toml_replace_the_defaults(tmp_path: Path) -> None:
    path = tmp_path / "motcua.toml"
    path.write_text(
        '[[alerts.rules]]\nname = "dat-dai"\ncondition = "overdue"\nseverity = "critical"\n'
        "min_overdue_working_days = 2\n"
        '[alerts.rules.scope]\nfields = ["DD"]\nunits = ["SO-TNMT"]\nchannels = ["online", 3]\n',
        encoding="utf-8",
    )
    (rule,) = load_rules({"MOTCUA_CONFIG": str(path)})
    assert rule.name == "dat-dai" and rule.param("min_overdue_working_days") == 2
    assert rule.scope.fields == ("DD",) and rule.scope.units == ("SO-TNMT",)
    assert rule.scope.channels == (2, 3)


def test_a_breach_name_is_a_condition_of_its_own() -> None:
    (rule,) = parse_rules([{"name": "xin-loi", "condition": "late_without_apology"}])
    assert rule.condition == Condition.BREACH
    assert rule.breaches == (Breach.LATE_WITHOUT_APOLOGY,)


def test_breach_without_a_list_means_any_breach() -> None:
    (rule,) = parse_rules([{"name": "vi-pham", "condition": "breach"}])
    assert set(rule.breaches) == set(Breach)


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        (_one(condition="qua_han"), "điều kiện 'qua_han' không hợp lệ"),
        (_one(severity="urgent"), "'severity'"),
        (_one(min_overdue_working_days=-1), "min_overdue_working_days"),
        (_one(streak_count=3), "streak_count"),
        (_one(scope={"units": "SO"}), "danh sách"),
        (_one(scope={"district": ["X"]}), "district"),
        (_one(scope={"channels": ["fax"]}), "kênh nộp 'fax'"),
        (_one(notify="email"), "'notify'"),
        (_one(enabled="yes"), "'enabled'"),
        ({"name": "r", "condition": "stale_source", "scope": {"units": ["X"]}}, "phạm vi"),
        ({"name": "r", "condition": "urgent_feedback", "scope": {"land": True}}, "'units'"),
        ({"name": "r", "condition": "breach", "breaches": ["late"]}, "'breaches'"),
        ({"name": "r", "condition": "low_satisfaction_streak", "streak_days": 0}, "lớn hơn 0"),
    ],
)
def test_a_bad_rule_is_refused_with_its_name(raw: dict[str, object], fragment: str) -> None:
    with pytest.raises(RuleError) as err:
        parse_rules([raw])
    assert str(err.value).startswith("Quy tắc cảnh báo 'r':")
    assert fragment in str(err.value)


def test_a_rule_without_a_name_is_named_by_its_position() -> None:
    with pytest.raises(RuleError, match="Quy tắc cảnh báo '#2': cần 'name'"):
        parse_rules([_one(), {"condition": "overdue"}])


def test_a_name_with_capitals_or_diacritics_is_refused_as_written() -> None:
    with pytest.raises(RuleError, match="Quy tắc cảnh báo 'Đất Đai': cần 'name'"):
        parse_rules([{"name": "Đất Đai", "condition": "overdue"}])


def test_two_rules_with_one_name_are_refused() -> None:
    with pytest.raises(RuleError, match="'r': tên quy tắc bị trùng"):
        parse_rules([_one(), _one(condition="due_soon")])


def test_an_unreadable_motcua_toml_rule_section_stops_with_a_message(tmp_path: Path) -> None:
    path = tmp_path / "motcua.toml"
    path.write_text('[alerts]\nrules = "không phải danh sách"\n', encoding="utf-8")
    with pytest.raises(RuleError, match="danh sách"):
        load_rules({"MOTCUA_CONFIG": str(path)})


def test_information_stays_in_the_inbox_while_warnings_are_pushed() -> None:
    info, warning = parse_rules(
        [_one(name="a", severity="info"), _one(name="b", severity="warning")]
    )
    assert info.wants(ChannelKind.INBOX, "inbox") and not info.wants(ChannelKind.EMAIL, "email")
    assert warning.wants(ChannelKind.EMAIL, "email")
    assert warning.wants(ChannelKind.WEBHOOK, "zalo-oa")


def test_notify_can_name_one_webhook_channel() -> None:
    (rule,) = parse_rules([_one(notify=["zalo-oa"])])
    assert rule.wants(ChannelKind.WEBHOOK, "zalo-oa")
    assert not rule.wants(ChannelKind.WEBHOOK, "slack")
    assert not rule.wants(ChannelKind.EMAIL, "email")
    assert rule.wants(ChannelKind.INBOX, "inbox")  # the inbox always
