"""SQLite only: move the write-ahead log into the database on a thread of its own, so that the
thread storing ratings never waits for a checkpoint's copy and fsyncs.

By default SQLite checkpoints inside the commit that pushes the log past 1,000 pages; with
``synchronous=NORMAL`` that commit also syncs the log and the database file. A rating writes
about six pages (the row and four indexes), so every ~160th rating paid a checkpoint: measured
on the shared machine, 16 ms at p99 and up to 116 ms for one commit, against 0.1 ms for the
others. The rating connections turn automatic checkpoints off (``wal_autocheckpoint=0``) and
this thread runs a PASSIVE checkpoint, which never blocks writers, after every ``every``
commits or ``interval`` seconds. Under a long burst the log cannot be rewound while writes go
on (it is rewound only when a checkpoint has copied all of it before the next write), so when
the log has grown past ``limit`` pages — as the last checkpoint saw it, or as counted by the
writer at five pages a rating at least, should that thread be slow to run — the writer
checkpoints itself, as SQLite would have: the log stays bounded.

Durability does not change: a commit is in the log when it returns, whoever copies it later.
Other processes (the scheduler, the importer) keep SQLite's automatic checkpoints.
"""

from __future__ import annotations

import threading
from typing import Any

from sqlalchemy import Engine

AUTOCHECKPOINT_OFF = "PRAGMA wal_autocheckpoint=0"
CHECKPOINT = "PRAGMA wal_checkpoint(PASSIVE)"  # what SQLite runs automatically too
PAGES_A_RATING = 5  # at least: the row and four indexes
# Once rewound, the log file is cut back to this size instead of staying at its largest.
JOURNAL_LIMIT = f"PRAGMA journal_size_limit={48 * 1024 * 1024}"


class Checkpointer:
    def __init__(
        self,
        engine: Engine,
        *,
        every: int = 150,
        interval: float = 1.0,
        limit: int = 8_000,
        idle: float = 10.0,
    ) -> None:
        self.engine, self.every, self.interval = engine, every, interval
        self.limit, self.idle = limit, idle
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._pending = 0
        self._log_pages = 0  # the log's size at the last checkpoint, in pages
        self._since = 0  # commits since the writer last checkpointed or the log was seen small
        self._running = False

    @staticmethod
    def prepare(raw: Any) -> None:
        """Turn automatic checkpoints off on a rating connection (once per connection)."""
        if not raw.info.get("manual_checkpoints"):
            cur = raw.cursor()
            cur.execute(AUTOCHECKPOINT_OFF)
            cur.execute(JOURNAL_LIMIT)
            cur.close()
            raw.info["manual_checkpoints"] = True

    def committed(self, cur: Any) -> None:
        """After each commit on a prepared connection (the writer's cursor)."""
        with self._lock:
            self._pending += 1
            self._since += 1
            due = self._pending >= self.every
            start = not self._running
            self._running = True
            overdue = self._log_pages > self.limit or self._since * PAGES_A_RATING > self.limit
        if overdue and _checkpoint_all(cur):
            with self._lock:
                self._log_pages = self._since = 0
        if start:
            threading.Thread(target=self._work, name="rating-checkpoint", daemon=True).start()
        if due:
            self._wake.set()

    def _work(self) -> None:
        idle_for = 0.0
        while True:
            self._wake.wait(self.interval)
            self._wake.clear()
            with self._lock:
                pending, self._pending = self._pending, 0
                if not pending:
                    idle_for += self.interval
                    if idle_for >= self.idle:
                        self._running = False
                        return
                    continue
            idle_for = 0.0
            log_pages = self._checkpoint()
            with self._lock:
                self._log_pages = log_pages
                if log_pages <= self.limit:
                    self._since = 0

    def _checkpoint(self) -> int:
        """A PASSIVE checkpoint; the log's size in pages afterwards (0 if it failed)."""
        raw = self.engine.raw_connection()
        try:
            row = raw.cursor().execute(CHECKPOINT).fetchone()
            return int(row[1]) if row and row[1] > 0 else 0
        except Exception:  # a checkpoint that fails now is simply done by the next one
            return 0
        finally:
            raw.close()


def _checkpoint_all(cur: Any) -> bool:
    """The writer's own checkpoint, between its commits: True when it copied the whole log
    (the next write then rewinds it). False when another checkpoint was running or a reader
    held old pages: the writer tries again after its next commit. Never raises: the rating
    before it is committed already."""
    try:
        busy, log, copied = cur.execute(CHECKPOINT).fetchone()
    except Exception:
        return False
    return bool(busy == 0 and log == copied)
