"""The alert stages as the CLI and the scheduler call them; ``now`` always comes from the
caller. Detection (evaluate) and notification (plan, dispatch) are separate stages joined by
rows: alerts with their ``next_notify_at``, then the outbox."""

from __future__ import annotations

import time
from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Engine

from alerts.conditions import Context, candidates
from alerts.grouping import PlanResult, plan
from alerts.kinds import Condition
from alerts.lifecycle import EscalationClock, Reconciled, reconcile, resolve_retired_rules
from alerts.outbox.dispatch import DispatchResult, dispatch
from alerts.rules import Rule, load_rules
from alerts.serial import write_first
from alerts.workhours import Calendars, after_working_hours, load_calendars
from monitor.config import Settings
from monitor.db import session_scope


def _escalation_clock(rule: Rule, settings: Settings, calendars: Calendars) -> EscalationClock:
    hours = rule.escalate_after_working_hours
    if hours is None:
        hours = settings.alert_escalation_working_hours

    def first_escalation(unit_id: int | None, opened: datetime) -> datetime | None:
        return after_working_hours(calendars.of(unit_id), opened, hours)

    return first_escalation


def evaluate_alerts(
    engine: Engine,
    settings: Settings,
    now: datetime,
    rules: Sequence[Rule] | None = None,
    only: Collection[Condition] | None = None,
) -> dict[str, Any]:
    """Run the enabled rules (or those of the ``only`` conditions) and reconcile their alerts,
    one transaction per rule. Bad scopes stop everything before any change (RuleError)."""
    started = time.perf_counter()
    rules = list(load_rules() if rules is None else rules)
    live = [r for r in rules if r.enabled and (only is None or r.condition in only)]
    calendars = load_calendars(engine, settings)
    with session_scope(engine) as s:
        ctx = Context.load(s, now, calendars.default)
        for rule in live:
            ctx.check(rule)
    total, per_rule = Reconciled(), {}
    for rule in live:
        with session_scope(engine) as s:
            write_first(s)
            ctx = Context.load(s, now, calendars.default)
            found = candidates(ctx, rule)
            done = reconcile(s, rule, found, now, _escalation_clock(rule, settings, calendars))
        total.add(done)
        per_rule[rule.name] = {"matching": len(found), **done.as_json()}
    retired = 0
    if only is None:
        with session_scope(engine) as s:
            write_first(s)
            retired = resolve_retired_rules(s, [r.name for r in live], now)
    return {
        **total.as_json(),
        "retired": retired,
        "rules": per_rule,
        "seconds": round(time.perf_counter() - started, 3),
    }


def plan_notifications(
    engine: Engine, settings: Settings, now: datetime, rules: Sequence[Rule] | None = None
) -> PlanResult:
    rules = list(load_rules() if rules is None else rules)
    calendars = load_calendars(engine, settings)
    with session_scope(engine) as s:
        return plan(s, {r.name: r for r in rules}, calendars, settings, now)


def dispatch_notifications(
    engine: Engine, settings: Settings, now: datetime, rules: Sequence[Rule] | None = None
) -> dict[str, Any]:
    """The every-minute job: plan what is due (reminders, escalations, ended silences, alerts
    that waited for working hours), then send the outbox."""
    planned = plan_notifications(engine, settings, now, rules)
    sent: DispatchResult = dispatch(engine, settings, now)
    return {"plan": planned.as_json(), "dispatch": sent.as_json()}


def evaluate_and_plan(
    engine: Engine,
    settings: Settings,
    now: datetime,
    only: Collection[Condition] | None = None,
) -> dict[str, Any]:
    """Detection then planning, as the scheduler runs them after each deadline evaluation."""
    rules = load_rules()
    result = evaluate_alerts(engine, settings, now, rules, only)
    result["plan"] = plan_notifications(engine, settings, now, rules).as_json()
    return result
