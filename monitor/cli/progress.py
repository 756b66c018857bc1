"""A one-line progress display on stderr for long imports (only on a terminal or on request)."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import TextIO

from monitor.vi_format import integer


class ProgressLine:
    """``progress(n)`` callback that redraws "N hồ sơ, R hồ sơ/s[, P %]" at most 5 times/s."""

    def __init__(self, total_bytes: int | None = None, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr
        self.total_bytes = total_bytes
        self.position: Callable[[], int] | None = None
        self.started = time.monotonic()
        self.last_draw = 0.0
        self.drawn = False
        self.last_n = 0
        self.finished = False

    def track(self, position: Callable[[], int]) -> None:
        self.position = position

    def __call__(self, n: int) -> None:
        self.last_n = n
        now = time.monotonic()
        if now - self.last_draw < 0.2:
            return
        self.last_draw = now
        rate = n / max(now - self.started, 1e-6)
        text = f"\rĐang nhập: {integer(n)} hồ sơ, {integer(round(rate))} hồ sơ/s"
        if self.total_bytes and (self.position is not None or self.finished):
            done = self.total_bytes if self.position is None else self.position()
            text += f", {min(done / self.total_bytes, 1.0):.0%}"
        self.stream.write(text + " " * 4)
        self.stream.flush()
        self.drawn = True

    def close(self) -> None:
        if self.drawn:
            # The file may be closed by now (its position unreadable): the import is complete.
            self.position, self.finished, self.last_draw = None, True, 0.0
            self(self.last_n)  # the final count, whatever the last redraw showed
            self.stream.write("\n")
            self.stream.flush()
