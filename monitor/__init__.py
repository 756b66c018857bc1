"""motcua-monitor core: settings, database, models, calendar, deadlines, ingest, metrics."""

__version__ = "0.1.0"
