"""``motcua demo``: fill a database with the simulated province's history.

The province's units and officers are created if missing, the dossiers go through the real
ingest pipeline (source ``demo``, idempotent by dossier code), then ratings and comments are
added for returned dossiers not rated yet. Running it again adds only what is new.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Engine, insert, select

from monitor import migrate
from monitor.demo.generator import generate
from monitor.demo.install import ensure_province
from monitor.demo.ratings import RatingsResult, write_ratings
from monitor.enums import SourceKind
from monitor.ingest import ImportResult, import_records
from monitor.models import Source
from monitor.seed import load_seeds

# The same source the demo HTTP feed (motcua demo-source) delivers to: the feed serves the
# same dossiers as they progress, so the collector updates what this command imported.
DEMO_SOURCE = "demo"


@dataclass(frozen=True)
class DemoRun:
    units_created: int
    officers_created: int
    dossiers: ImportResult
    ratings: RatingsResult
    seconds: float

    def as_json(self) -> dict[str, Any]:
        return {
            "units_created": self.units_created,
            "officers_created": self.officers_created,
            "dossiers": self.dossiers.as_json(),
            "ratings": self.ratings.ratings,
            "comments": self.ratings.comments,
            "seconds": round(self.seconds, 1),
        }


def ensure_demo_source(engine: Engine, feed_url: str | None) -> None:
    """Register ``demo`` as an HTTP source (disabled until ``motcua demo-source`` enables it),
    so that the feed can later claim it; the importer would otherwise create a file source."""
    with engine.begin() as conn:
        if conn.execute(select(Source.id).where(Source.name == DEMO_SOURCE)).first():
            return
        conn.execute(
            insert(Source).values(
                name=DEMO_SOURCE, kind=SourceKind.HTTP, url=feed_url, enabled=False
            )
        )


def run_demo(
    engine: Engine,
    *,
    seed: int,
    days: int,
    end: date,
    as_of: int,
    scale: float = 1.0,
    feed_url: str | None = None,
    progress: Callable[[int], None] | None = None,
) -> DemoRun:
    started = time.monotonic()
    migrate.upgrade(engine)
    load_seeds(engine)
    ensure_demo_source(engine, feed_url)
    units, officers = ensure_province(engine)
    records = generate(seed=seed, days=days, end=end, as_of=as_of, scale=scale)
    result = import_records(
        engine,
        records,
        source=DEMO_SOURCE,
        location=f"motcua demo --seed {seed} --days {days} --end {end.isoformat()}",
        file_format="json",
        progress=progress,
    )
    ratings = write_ratings(
        engine, seed=seed, as_of=datetime.fromtimestamp(as_of, UTC), source=DEMO_SOURCE
    )
    return DemoRun(units, officers, result, ratings, time.monotonic() - started)
