"""The public rating service (``motcua ratings-web``): the kiosk page, the online form behind
a signed link, and the JSON API of kiosk devices. Separate from the supervisors' console.

``create_app`` takes the engine and settings (nothing connects at import time);
``app_from_env`` builds them from the environment for ``uvicorn --factory``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from monitor.config import Settings, load_settings
from monitor.db import is_sqlite, make_engine
from surveys import texts as T
from surveys.capture import RatingStore, StoreUnavailable
from surveys.devices import DeviceCache
from surveys.links import load_secret
from surveys.ratelimit import TokenBuckets
from surveys.schemas import explain
from surveys.writers import WriterPool

HERE = Path(__file__).resolve().parent
MAX_BODY = 16 * 1024  # a rating with a 1,000-character comment is well under 8 KiB
log = logging.getLogger(__name__)
_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    # The signed token is in the URL: never let it leave in a Referer header.
    (b"referrer-policy", b"no-referrer"),
    (
        b"content-security-policy",
        b"default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'",
    ),
]


@dataclass
class Services:
    settings: Settings
    engine: Engine
    store: RatingStore
    devices: DeviceCache
    secret: bytes
    templates: Jinja2Templates
    device_limit: TokenBuckets
    lookup_limit: TokenBuckets
    address_limit: TokenBuckets
    auth_fail_limit: TokenBuckets
    writers: WriterPool


def services(request: Request) -> Services:
    found: Services = request.app.state.services
    return found


def client_address(request: Request) -> str:
    # The peer address: behind a reverse proxy, every client shares the proxy's (documented).
    return request.client.host if request.client else "-"


def error_json(status: int, code: str, details: Any = None, headers: Any = None) -> JSONResponse:
    body: dict[str, Any] = {"error": {"code": code, "message": T.API_ERRORS[code]}}
    if details is not None:
        body["error"]["details"] = details
    return JSONResponse(body, status_code=status, headers=headers)


def log_unavailable(exc: Exception) -> None:
    # One line, no statement parameters: they could carry a comment's text.
    log.error("CSDL không sẵn sàng: %s", type(exc).__name__)


def store_unavailable(exc: Exception) -> JSONResponse:
    """503 when the database cannot take a rating now; the kiosk keeps it queued."""
    log_unavailable(exc)
    return error_json(503, "server_error", headers={"Retry-After": "5"})


class ApiError(Exception):
    """Answered as {"error": {"code", "message"}} with ``status``."""

    def __init__(self, status: int, code: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(code)
        self.status, self.code, self.headers = status, code, headers


def retry_after(wait: float) -> dict[str, str]:
    return {"Retry-After": str(max(1, int(wait + 0.999)))}


class Guard:
    """Pure ASGI middleware (cheap on the hot path): refuses oversized bodies (413), adds the
    security headers to every response, and hands the rating POSTs to their bare endpoints
    (``fast``) instead of FastAPI's routing."""

    def __init__(self, app: ASGIApp, fast: dict[tuple[str, str], ASGIApp] | None = None) -> None:
        self.app = app
        self.fast = fast or {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope["headers"]:
            if name == b"content-length" and (not value.isdigit() or int(value) > MAX_BODY):
                await error_json(413, "too_large")(scope, receive, send)
                return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *_HEADERS]
            await send(message)

        endpoint = self.fast.get((scope["method"], scope["path"]), self.app)
        await endpoint(scope, receive, with_headers)


def _wants_html(request: Request) -> bool:
    return request.url.path.startswith("/r/")


def _install_handlers(app: FastAPI) -> None:
    from surveys.pages import message_page

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        if _wants_html(request):
            return message_page(request, 400, T.INVALID_TITLE, T.INVALID_TITLE)
        return error_json(422, "validation_error", explain(exc.errors()))

    @app.exception_handler(ApiError)
    async def _api(request: Request, exc: ApiError) -> Response:
        return error_json(exc.status, exc.code, headers=exc.headers)

    @app.exception_handler(OperationalError)
    @app.exception_handler(StoreUnavailable)
    async def _db_busy(request: Request, exc: Exception) -> Response:
        if _wants_html(request):
            log_unavailable(exc)
            return message_page(request, 503, T.SERVER_ERROR_TITLE, T.SERVER_ERROR_BODY)
        return store_unavailable(exc)

    @app.exception_handler(HTTPException)
    async def _http(request: Request, exc: HTTPException) -> Response:
        if exc.status_code == 404:
            return error_json(404, "not_found")
        return JSONResponse({"detail": exc.detail}, status_code=exc.status_code)


def create_app(engine: Engine, settings: Settings, *, secret: bytes | None = None) -> FastAPI:
    from surveys import api, pages

    app = FastAPI(
        title=T.SERVICE_TITLE, docs_url=None, redoc_url=None, openapi_url="/api/openapi.json"
    )
    per_device = settings.ratings_device_per_minute
    per_address = settings.ratings_address_per_minute
    app.state.services = Services(
        settings=settings,
        engine=engine,
        store=RatingStore(engine),
        devices=DeviceCache(engine),
        secret=secret if secret is not None else load_secret(settings),
        templates=Jinja2Templates(directory=str(HERE / "templates")),
        device_limit=TokenBuckets(per_device),
        lookup_limit=TokenBuckets(per_device * 2),
        address_limit=TokenBuckets(per_address),
        auth_fail_limit=TokenBuckets(10),
        # SQLite takes one writer at a time: one thread keeps its lock busy; PostgreSQL
        # overlaps round trips.
        writers=WriterPool(1 if is_sqlite(engine) else 8),
    )
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    app.include_router(api.router)
    app.include_router(pages.router)
    _install_handlers(app)

    @app.get("/", include_in_schema=False)
    def _root() -> RedirectResponse:
        return RedirectResponse("/kiosk")

    @app.get("/healthz", include_in_schema=False)
    def _health() -> dict[str, bool]:
        return {"ok": True}

    app.add_middleware(Guard, fast=api.fast_endpoints())
    return app


def app_from_env() -> FastAPI:
    settings = load_settings()
    return create_app(make_engine(settings.effective_database_url), settings)
