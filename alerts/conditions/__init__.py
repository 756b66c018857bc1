"""One function per condition: given the evaluation context and a rule, the subjects that
match now. Adding a condition is adding a function and a line in CONDITIONS."""

from __future__ import annotations

from collections.abc import Callable

from alerts.conditions import dossiers, others
from alerts.conditions.base import Candidate, Context, alert_key
from alerts.kinds import Condition
from alerts.rules import Rule

Finder = Callable[[Context, Rule], list[Candidate]]

CONDITIONS: dict[Condition, Finder] = {
    Condition.DUE_SOON: dossiers.due_soon,
    Condition.OVERDUE: dossiers.overdue,
    Condition.BREACH: dossiers.breach,
    Condition.STEP_OVERDUE: dossiers.step_overdue,
    Condition.STALE_SOURCE: others.stale_source,
    Condition.URGENT_FEEDBACK: others.urgent_feedback,
    Condition.LOW_SATISFACTION_STREAK: others.low_satisfaction_streak,
}


def candidates(ctx: Context, rule: Rule) -> list[Candidate]:
    return CONDITIONS[rule.condition](ctx, rule)


__all__ = ["CONDITIONS", "Candidate", "Context", "alert_key", "candidates"]
