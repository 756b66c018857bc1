"""Alert rules: declared in motcua.toml as ``[[alerts.rules]]`` (the shipped defaults in
data/alert_rules.toml apply when there are none), validated here; a bad rule stops start-up
with a message that names it. The format is documented in docs/alerts.md."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from alerts import texts
from alerts.kinds import ChannelKind, Condition
from monitor.config import config_file_path, read_config_file
from monitor.enums import Breach, Channel, Severity

DEFAULT_RULES_PATH = Path(__file__).resolve().parent.parent / "data" / "alert_rules.toml"
NAME_RE = re.compile(r"[a-z0-9][a-z0-9_-]{0,47}")

DOSSIER_CONDITIONS = frozenset(
    {Condition.DUE_SOON, Condition.OVERDUE, Condition.BREACH, Condition.STEP_OVERDUE}
)
UNIT_SCOPED = DOSSIER_CONDITIONS | {Condition.URGENT_FEEDBACK, Condition.LOW_SATISFACTION_STREAK}
# Parameters each condition accepts, with their defaults.
PARAMS: dict[Condition, dict[str, Any]] = {
    Condition.DUE_SOON: {},
    Condition.OVERDUE: {"min_overdue_working_days": 0},
    Condition.BREACH: {"breaches": [], "max_age_days": 30},
    Condition.STEP_OVERDUE: {},
    Condition.STALE_SOURCE: {},
    Condition.URGENT_FEEDBACK: {"max_age_days": 30},
    Condition.LOW_SATISFACTION_STREAK: {"streak_count": 3, "streak_days": 7},
}
COMMON_KEYS = {
    "name",
    "label",
    "condition",
    "severity",
    "scope",
    "notify",
    "enabled",
    "escalate_after_working_hours",
}
SCOPE_KEYS = {"fields", "land", "units", "channels"}
CHANNEL_NAMES = {"in_person": Channel.IN_PERSON, "online": Channel.ONLINE, "postal": Channel.POSTAL}


class RuleError(ValueError):
    """A rule cannot be used; the message names it."""


@dataclass(frozen=True)
class Scope:
    fields: tuple[str, ...] = ()  # field codes (MaLinhVuc)
    land: bool | None = None  # only land affairs (True), everything but land (False)
    units: tuple[str, ...] = ()  # unit codes, each with its subtree
    channels: tuple[int, ...] = ()  # KenhThucHien of the dossier

    @property
    def is_empty(self) -> bool:
        return not (self.fields or self.units or self.channels) and self.land is None


@dataclass(frozen=True)
class Rule:
    name: str
    condition: Condition
    severity: Severity
    label: str = ""
    scope: Scope = Scope()
    params: Mapping[str, Any] = field(default_factory=dict)
    notify: tuple[str, ...] = ()  # channel kinds or channel names; inbox is always included
    escalate_after_working_hours: int | None = None  # None: the setting applies
    enabled: bool = True

    def param(self, key: str) -> Any:
        return self.params.get(key, PARAMS[self.condition][key])

    @property
    def breaches(self) -> tuple[Breach, ...]:
        return tuple(Breach(b) for b in self.param("breaches")) or tuple(Breach)

    def wants(self, channel_kind: str, channel_name: str) -> bool:
        """Whether this rule's alerts go out on a channel (the inbox always)."""
        if channel_kind == ChannelKind.INBOX:
            return True
        return channel_kind in self.notify or channel_name in self.notify

    def as_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "label": self.label,
            "condition": self.condition.value,
            "severity": self.severity.value,
            "scope": {
                "fields": list(self.scope.fields),
                "land": self.scope.land,
                "units": list(self.scope.units),
                "channels": list(self.scope.channels),
            },
            "params": {k: self.param(k) for k in PARAMS[self.condition]},
            "notify": list(self.notify),
            "escalate_after_working_hours": self.escalate_after_working_hours,
            "enabled": self.enabled,
        }


def default_notify(severity: Severity) -> tuple[str, ...]:
    """Information stays in the inbox and the digest; warnings and worse are pushed."""
    if severity == Severity.INFO:
        return (ChannelKind.INBOX.value,)
    return (ChannelKind.INBOX.value, ChannelKind.EMAIL.value, ChannelKind.WEBHOOK.value)


def parse_rules(raw: Any) -> list[Rule]:
    if not isinstance(raw, list) or not all(isinstance(r, dict) for r in raw):
        raise RuleError(texts.RULES_NOT_A_LIST)
    rules: list[Rule] = []
    seen: set[str] = set()
    for i, item in enumerate(raw, start=1):
        rule = parse_rule(item, f"#{i}")
        if rule.name in seen:
            raise RuleError(texts.rule_error(rule.name, "tên quy tắc bị trùng."))
        seen.add(rule.name)
        rules.append(rule)
    if not rules:
        raise RuleError(texts.RULES_EMPTY)
    return rules


def parse_rule(item: Mapping[str, Any], fallback_name: str) -> Rule:
    name = item.get("name")
    label = name if isinstance(name, str) and name else fallback_name

    def fail(message: str) -> RuleError:
        return RuleError(texts.rule_error(label, message))

    if not isinstance(name, str) or not NAME_RE.fullmatch(name):
        raise fail("cần 'name' gồm chữ thường không dấu, số, '-' hoặc '_' (tối đa 48 ký tự).")
    condition, params = _condition(item, fail)
    unknown = set(item) - COMMON_KEYS - set(PARAMS[Condition(condition)]) - {"breaches"}
    if unknown:
        raise fail(f"khóa không hợp lệ với điều kiện '{condition}': {', '.join(sorted(unknown))}.")
    for key in PARAMS[Condition(condition)]:
        if key in item and key not in params:
            params[key] = _param(key, item[key], fail)
    severity = _choice(item.get("severity", "warning"), Severity, "severity", fail)
    notify = item.get("notify", list(default_notify(Severity(severity))))
    if not isinstance(notify, list) or not all(isinstance(n, str) and n for n in notify):
        raise fail("'notify' phải là danh sách tên kênh (inbox, email, webhook hoặc tên kênh).")
    escalate = item.get("escalate_after_working_hours")
    if escalate is not None:
        escalate = _non_negative(escalate, "escalate_after_working_hours", fail)
    enabled = item.get("enabled", True)
    if not isinstance(enabled, bool):
        raise fail("'enabled' phải là true hoặc false.")
    return Rule(
        name=name,
        condition=Condition(condition),
        severity=Severity(severity),
        label=str(item.get("label", "")),
        scope=_scope(item.get("scope", {}), Condition(condition), fail),
        params=params,
        notify=tuple(notify),
        escalate_after_working_hours=escalate,
        enabled=enabled,
    )


def _condition(item: Mapping[str, Any], fail: Any) -> tuple[str, dict[str, Any]]:
    """The condition, accepting a breach name as shorthand for ``breach`` with that breach."""
    raw = item.get("condition")
    if raw in set(Breach):
        if "breaches" in item:
            raise fail("dùng 'condition = \"breach\"' khi liệt kê 'breaches'.")
        return Condition.BREACH.value, {"breaches": [raw]}
    choices = [c.value for c in Condition] + [b.value for b in Breach]
    if raw not in set(Condition):
        raise fail(f"điều kiện '{raw}' không hợp lệ; chọn một trong {', '.join(choices)}.")
    if "breaches" in item and raw != Condition.BREACH:
        raise fail("'breaches' chỉ dùng với điều kiện 'breach'.")
    return str(raw), {}


def _param(key: str, value: Any, fail: Any) -> Any:
    if key == "breaches":
        if not isinstance(value, list) or not all(v in set(Breach) for v in value):
            raise fail(f"'breaches' phải là danh sách trong: {', '.join(b.value for b in Breach)}.")
        return list(value)
    number = _non_negative(value, key, fail)
    if key in ("streak_count", "streak_days") and number < 1:
        raise fail(f"'{key}' phải lớn hơn 0.")
    return number


def _non_negative(value: Any, key: str, fail: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise fail(f"'{key}' phải là số nguyên không âm.")
    return value


def _choice(value: Any, enum: Any, key: str, fail: Any) -> str:
    if value not in set(enum):
        raise fail(f"'{key}' = '{value}' không hợp lệ; chọn một trong {', '.join(enum)}.")
    return str(value)


def _scope(raw: Any, condition: Condition, fail: Any) -> Scope:
    if not isinstance(raw, dict):
        raise fail("'scope' phải là một bảng (fields, land, units, channels).")
    unknown = set(raw) - SCOPE_KEYS
    if unknown:
        raise fail(f"khóa không hợp lệ trong 'scope': {', '.join(sorted(unknown))}.")
    if raw and condition not in UNIT_SCOPED:
        raise fail(f"điều kiện '{condition}' không có phạm vi.")
    if condition not in DOSSIER_CONDITIONS and set(raw) - {"units"}:
        raise fail(f"điều kiện '{condition}' chỉ giới hạn được theo 'units'.")
    land = raw.get("land")
    if land is not None and not isinstance(land, bool):
        raise fail("'scope.land' phải là true hoặc false.")
    return Scope(
        fields=_codes(raw.get("fields", []), "fields", fail),
        land=land,
        units=_codes(raw.get("units", []), "units", fail),
        channels=tuple(_channel(c, fail) for c in _as_list(raw.get("channels", []), fail)),
    )


def _as_list(value: Any, fail: Any) -> list[Any]:
    if not isinstance(value, list):
        raise fail("phạm vi phải là danh sách.")
    return value


def _codes(value: Any, key: str, fail: Any) -> tuple[str, ...]:
    items = _as_list(value, fail)
    if not all(isinstance(v, str) and v.strip() for v in items):
        raise fail(f"'scope.{key}' phải là danh sách mã.")
    return tuple(v.strip() for v in items)


def _channel(value: Any, fail: Any) -> int:
    if value in CHANNEL_NAMES:
        return int(CHANNEL_NAMES[value])
    if not isinstance(value, bool) and value in {int(c) for c in Channel}:
        return int(value)
    raise fail(f"kênh nộp '{value}' không hợp lệ; chọn in_person, online, postal hoặc 1, 2, 3.")


def read_rules_file(path: Path) -> Any:
    try:
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise RuleError(texts.RULES_FILE_UNREADABLE.format(path=path, error=exc)) from exc
    return doc.get("alerts", {}).get("rules", [])


def rules_from_config(doc: Mapping[str, Any], defaults: Path = DEFAULT_RULES_PATH) -> list[Rule]:
    """The rules of a parsed motcua.toml, or the shipped defaults when it declares none."""
    section = doc.get("alerts", {})
    raw = section.get("rules") if isinstance(section, dict) else None
    return parse_rules(raw if raw else read_rules_file(defaults))


def load_rules(env: Mapping[str, str] | None = None) -> list[Rule]:
    """The effective rules: motcua.toml (MOTCUA_CONFIG) or the shipped defaults."""
    return rules_from_config(read_config_file(config_file_path(env)))
