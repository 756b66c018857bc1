"""The simulated province as an HTTP feed (``motcua demo-source``).

Serves the demo generator's dossiers of a rolling recent window through the same feed API a
real one-stop system would offer, and registers itself as the source ``demo`` so that the
scheduler's collector pulls from it like from any other source.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from monitor.config import Settings

FEED_PATH = "/api/dossiers"  # monitor.collectors.feed_server.FEED_PATH, without importing FastAPI

DEMO_SOURCE = "demo"
WINDOW_DAYS = 14  # the feed's rolling window; older dossiers came with `motcua demo`
RELOAD_SECONDS = 60.0


class DemoSourceError(RuntimeError):
    pass


def demo_records(seed: int, days: int = WINDOW_DAYS) -> Iterable[Mapping[str, Any]]:
    """The simulated province's dossiers of the last ``days`` days, as of now."""
    try:
        from monitor.demo import generator
    except ImportError as exc:
        raise DemoSourceError(f"Chưa có bộ sinh dữ liệu mô phỏng (monitor.demo): {exc}") from exc
    return generator.recent_records(seed=seed, days=days)


def feed_url(port: int, host: str = "127.0.0.1") -> str:
    return f"http://{host}:{port}{FEED_PATH}"


def serve(s: Settings, *, host: str, port: int, register: bool, days: int = WINDOW_DAYS) -> None:
    import uvicorn

    from monitor.collectors.feed_server import Feed, create_app

    if register:
        from monitor.cli.common import engine_for
        from monitor.collectors.sources import add_http_source

        local = "127.0.0.1" if host in ("0.0.0.0", "::") else host
        add_http_source(engine_for(s), DEMO_SOURCE, feed_url(port, local), interval_minutes=5)
    feed = Feed(lambda: demo_records(s.demo_seed, days), ttl=RELOAD_SECONDS)
    feed.snapshot()  # fail now, not at the first request, if the generator is missing
    print(f"Hệ thống một cửa mô phỏng: {feed_url(port, host)}  (Ctrl-C để dừng)", flush=True)
    uvicorn.run(create_app(feed), host=host, port=port, log_level="warning")
