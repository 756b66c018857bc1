"""Where the satisfaction report's scores come from: the ratings service's scoring
(``monitor.metrics.satisfaction_data.summarise``), adapted to the report's rows. Nothing is
scored here."""

from __future__ import annotations

from sqlalchemy import Engine

from monitor.config import Settings
from monitor.metrics.satisfaction_data import Scored, summarise
from monitor.reports.period import Period, Scope
from monitor.reports.satisfaction import SatisfactionData, Score766Row, ScoreRow


def _row(s: Scored) -> ScoreRow:
    return ScoreRow(
        s.name,
        dict(s.indices),
        s.total,
        s.grade_vi or "",
        s.rates.rated,
    )


def collect(engine: Engine, settings: Settings, period: Period, scope: Scope) -> SatisfactionData:
    summary = summarise(engine, period.start, period.end, scope.unit_ids)
    return SatisfactionData(
        units=[_row(u) for u in summary.units],
        officers=[_row(o) for o in summary.officers],
        s766=[
            Score766Row(
                u.name, u.s766.late_share, u.s766.complaint_share, u.s766.rate, u.s766.points
            )
            for u in summary.units
            if u.s766 is not None
        ],
    )
