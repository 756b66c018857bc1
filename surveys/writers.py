"""A few dedicated threads that store ratings for the event loop.

AnyIO's ``to_thread.run_sync`` costs about a third of a rating's CPU time on this path (a
cancel scope, a capacity limiter and a worker hand-off per call; measured 0.43 against 0.32 ms
a request). Here a request puts its work on one queue and awaits a future; the threads drain
the queue back to back while ratings keep coming, so a busy service pays one wake-up for many
ratings. On SQLite one thread is enough (the database takes one writer at a time); on
PostgreSQL several keep several round trips in flight. Each rating is still its own
transaction. Idle threads end after ``idle`` seconds and are started again on demand, so an
app that is dropped (as in tests) leaves no thread behind for long.
"""

from __future__ import annotations

import asyncio
import contextlib
import queue
import threading
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")
_Job = tuple[Callable[..., Any], tuple[Any, ...], asyncio.Future[Any], asyncio.AbstractEventLoop]


class WriterPool:
    def __init__(self, threads: int, *, idle: float = 10.0, name: str = "rating-writer") -> None:
        self.size, self.idle, self.name = threads, idle, name
        self._jobs: queue.SimpleQueue[_Job] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._alive = 0

    async def run(self, fn: Callable[..., T], *args: Any) -> T:
        """``fn(*args)`` on a writer thread; its result or its exception, here. If the caller
        is cancelled (the client went away) the work still completes: a rating that was
        being committed stays committed, and a resend finds it by its idempotency key."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[T] = loop.create_future()
        self._jobs.put((fn, args, future, loop))
        self._ensure_thread()
        return await future

    def _ensure_thread(self) -> None:
        with self._lock:
            if self._alive >= self.size:
                return
            self._alive += 1
        threading.Thread(target=self._work, name=self.name, daemon=True).start()

    def _work(self) -> None:
        while True:
            try:
                fn, args, future, loop = self._jobs.get(timeout=self.idle)
            except queue.Empty:
                with self._lock:
                    # A job put after the timeout but before this check keeps the thread:
                    # its producer saw this thread alive and started none.
                    if self._jobs.empty():
                        self._alive -= 1
                        return
                continue
            try:
                result = fn(*args)
            except BaseException as exc:  # handed to the awaiting request, never lost here
                _settle(loop, future, None, exc)
            else:
                _settle(loop, future, result, None)


def _settle(
    loop: asyncio.AbstractEventLoop,
    future: asyncio.Future[Any],
    result: Any,
    exc: BaseException | None,
) -> None:
    def done() -> None:
        if future.cancelled():
            return
        if exc is not None:
            future.set_exception(exc)
        else:
            future.set_result(result)

    with contextlib.suppress(RuntimeError):  # the loop is closed: nobody waits any more
        loop.call_soon_threadsafe(done)
