"""Dossier ingest: national-format records → dossiers, steps, supplements, apologies, events.

``import_records`` is the entry point for every producer (files, the HTTP collector, the demo);
``collect_source`` pulls one HTTP source (it lives in monitor.collectors.http_feed and is
re-exported here for the scheduler).
"""

from typing import Any

from monitor.ingest.pipeline import UnreadableInput, import_numbered, import_records
from monitor.ingest.result import ImportResult, Note, Reason

__all__ = [
    "ImportResult",
    "Note",
    "Reason",
    "UnreadableInput",
    "collect_source",
    "import_numbered",
    "import_records",
]


def __getattr__(name: str) -> Any:
    # Imported lazily: the collector itself imports this package.
    if name == "collect_source":
        from monitor.collectors.http_feed import collect_source

        return collect_source
    raise AttributeError(name)
