"""Start the product's processes as children, stop them together, report any that dies.

Nothing is restarted silently: a child that exits is reported on stderr with its exit code,
and ``supervise`` returns when every child has stopped or a stop was asked for.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field


@dataclass
class Child:
    name: str
    argv: Sequence[str]
    proc: subprocess.Popen[bytes] | None = field(default=None, repr=False)
    reported: bool = False


def start(children: Sequence[Child], env: dict[str, str] | None = None) -> None:
    for child in children:
        # A new process group, so Ctrl-C in the terminal reaches us alone and we stop them in order.
        child.proc = subprocess.Popen(list(child.argv), env=env, start_new_session=True)


def _report_dead(children: Sequence[Child], say: Callable[[str], None]) -> None:
    for child in children:
        if child.proc is None or child.reported:
            continue
        code = child.proc.poll()
        if code is not None:
            child.reported = True
            say(f"Tiến trình '{child.name}' đã dừng (mã thoát {code}); không tự khởi động lại.")


def stop(children: Sequence[Child], timeout: float = 10.0) -> None:
    live = [c.proc for c in children if c.proc is not None and c.proc.poll() is None]
    for proc in live:
        _signal_group(proc, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    for proc in live:
        try:
            proc.wait(max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            _signal_group(proc, signal.SIGKILL)
            proc.wait()


def _signal_group(proc: subprocess.Popen[bytes], sig: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, sig)


def supervise(
    children: Sequence[Child], say: Callable[[str], None] | None = None, poll: float = 0.5
) -> int:
    """Wait until a stop signal or until every child has exited; then stop the rest."""
    say = say or (lambda m: print(m, file=sys.stderr, flush=True))
    stopping: list[int] = []

    def _on_signal(signum: int, _frame: object) -> None:
        stopping.append(signum)

    old = {s: signal.signal(s, _on_signal) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        while not stopping:
            _report_dead(children, say)
            if all(c.reported for c in children):
                return 1
            time.sleep(poll)
        say("Đang dừng các tiến trình…")
        return 0
    finally:
        stop(children)
        for s, handler in old.items():
            signal.signal(s, handler)
