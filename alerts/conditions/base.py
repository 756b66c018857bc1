"""What every condition produces (candidates: subjects that match now) and what it reads."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from alerts import texts
from alerts.rules import Rule, RuleError
from monitor.calendar import WorkCalendar
from monitor.models import Field, Unit


@dataclass(frozen=True)
class Candidate:
    """A subject matching a rule now; ``key`` identifies the alert across runs."""

    key: str
    subject_kind: str
    subject_id: str
    unit_id: int | None
    title: str
    detail: dict[str, Any]


def alert_key(rule: str, subject_kind: str, subject_id: object) -> str:
    return f"{rule}:{subject_kind}:{subject_id}"


@dataclass
class Context:
    """One evaluation: the clock (read once, by the caller), the calendar and the catalogue."""

    session: Session
    now: datetime
    calendar: WorkCalendar
    unit_ids: dict[str, int] = field(default_factory=dict)
    children: dict[int, list[int]] = field(default_factory=dict)
    field_ids: dict[str, int] = field(default_factory=dict)
    land_field_ids: list[int] = field(default_factory=list)

    @classmethod
    def load(cls, session: Session, now: datetime, calendar: WorkCalendar) -> Context:
        ctx = cls(session, now, calendar)
        for uid, code, parent in session.execute(select(Unit.id, Unit.code, Unit.parent_id)):
            ctx.unit_ids[code] = uid
            if parent is not None:
                ctx.children.setdefault(parent, []).append(uid)
        for fid, code, is_land in session.execute(select(Field.id, Field.code, Field.is_land)):
            ctx.field_ids[code] = fid
            if is_land:
                ctx.land_field_ids.append(fid)
        return ctx

    def subtree(self, rule: Rule) -> list[int]:
        """The units of the rule's scope with everything below them."""
        seen: set[int] = set()
        for code in rule.scope.units:
            if code not in self.unit_ids:
                raise RuleError(texts.rule_error(rule.name, f"không có đơn vị mã '{code}'."))
            stack = [self.unit_ids[code]]
            while stack:
                uid = stack.pop()
                if uid not in seen:
                    seen.add(uid)
                    stack.extend(self.children.get(uid, []))
        return sorted(seen)

    def fields(self, rule: Rule) -> list[int]:
        missing = [c for c in rule.scope.fields if c not in self.field_ids]
        if missing:
            raise RuleError(texts.rule_error(rule.name, f"không có lĩnh vực mã '{missing[0]}'."))
        return [self.field_ids[c] for c in rule.scope.fields]

    def check(self, rule: Rule) -> None:
        """Raise RuleError if the rule's scope names a unit or field the database lacks."""
        self.subtree(rule)
        self.fields(rule)
