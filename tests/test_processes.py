"""`motcua up`'s supervision: a child that dies is reported, a stop ends every child."""

from __future__ import annotations

import os
import signal
import sys
import threading
import time

from monitor.processes import Child, start, supervise

SLEEPER = [sys.executable, "-c", "import time; time.sleep(60)"]


def test_a_child_that_dies_is_reported_and_not_restarted() -> None:
    children = [Child("short", [sys.executable, "-c", "raise SystemExit(3)"])]
    said: list[str] = []
    start(children)
    assert supervise(children, said.append, poll=0.05) == 1
    assert said == ["Tiến trình 'short' đã dừng (mã thoát 3); không tự khởi động lại."]


def test_sigterm_stops_every_child() -> None:
    children = [Child("a", SLEEPER), Child("b", SLEEPER)]
    start(children)
    timer = threading.Timer(0.5, lambda: os.kill(os.getpid(), signal.SIGTERM))
    timer.start()
    began = time.monotonic()
    assert supervise(children, lambda _m: None, poll=0.05) == 0
    assert time.monotonic() - began < 15
    assert all(c.proc is not None and c.proc.poll() is not None for c in children)
