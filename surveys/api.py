"""The JSON API of kiosk devices (``/api/v1/ratings``) and of the kiosk page (``/kiosk/api``).

Both are authorised by the device's token in ``Authorization: Bearer``; the browser never
sends it by itself (no cookie), so these endpoints need no CSRF token. A rating sent with an
``idempotency_key`` that was already stored is answered 200 "duplicate" with the first
rating's id; 201 means it is committed.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse
from pydantic import ValidationError
from sqlalchemy.exc import OperationalError
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from monitor.enums import RatingChannel
from monitor.models import utcnow
from surveys.capture import (
    AlreadyRated,
    NewRating,
    StoreUnavailable,
    UnknownDossier,
    clean_code,
)
from surveys.devices import DeviceInfo
from surveys.schemas import RatingIn, explain
from surveys.web import (
    MAX_BODY,
    ApiError,
    client_address,
    error_json,
    retry_after,
    services,
    store_unavailable,
)

router = APIRouter()


async def authorised_device(request: Request) -> DeviceInfo:
    # async: a cache hit costs microseconds, not worth a thread hop on the hot path
    svc = services(request)
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    device = None
    if scheme.lower() == "bearer" and token.strip():
        device = svc.devices.lookup(token.strip())
    if device is None:
        wait = svc.auth_fail_limit.take(client_address(request))
        if wait:
            raise ApiError(429, "rate_limited", retry_after(wait))
        raise ApiError(401, "unauthorized", {"WWW-Authenticate": "Bearer"})
    if not device.active:
        raise ApiError(403, "revoked")
    return device


def _accept(request: Request, device: DeviceInfo, body: RatingIn, channel: str) -> JSONResponse:
    svc = services(request)
    wait = svc.device_limit.take(f"device:{device.id}")
    if wait:
        raise ApiError(429, "rate_limited", retry_after(wait))
    now = utcnow()
    if svc.devices.due_for_touch(device.id):
        svc.store.touch_device(device.id, now)
    key = body.idempotency_key
    new = NewRating(
        channel=channel,
        overall=body.overall,
        criteria={str(k): v for k, v in body.criteria.items()},
        created_at=body.moment(now),
        dossier_code=body.dossier_code,
        comment=body.comment,
        external_ref=None if key is None else f"{device.id}:{key}",
        device_id=device.id,
        unit_id=device.unit_id,
        counter=device.counter,
        officer_id=device.officer_id,
    )
    try:
        saved = svc.store.save(new)
    except UnknownDossier:
        raise ApiError(404, "unknown_dossier") from None
    except AlreadyRated:
        raise ApiError(409, "already_rated") from None
    status = "duplicate" if saved.duplicate else "created"
    return JSONResponse({"id": saved.rating_id, "status": status}, 200 if saved.duplicate else 201)


# The rating endpoints read and validate their body themselves (pydantic straight from the
# JSON bytes), and are served by ``fast_rating``, which ``web.Guard`` calls ahead of FastAPI's
# routing and middleware; these FastAPI routes stay for the OpenAPI description. FastAPI's own
# request handling costs about as much as the database work on this path.
_BODY_DOC = {
    "requestBody": {
        "required": True,
        "content": {"application/json": {"schema": RatingIn.model_json_schema()}},
    }
}


async def _read_body(request: Request) -> bytes:
    """The body, refused past MAX_BODY even when it comes chunked (no Content-Length)."""
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY:
            raise ApiError(413, "too_large")
        chunks.append(chunk)
    return b"".join(chunks)


async def _rating(request: Request, channel: str) -> JSONResponse:
    device = await authorised_device(request)
    try:
        body = RatingIn.model_validate_json(await _read_body(request))
    except ValidationError as exc:
        return error_json(422, "validation_error", explain(exc.errors()))
    return await services(request).writers.run(_accept, request, device, body, channel)


@router.post("/api/v1/ratings", status_code=201, openapi_extra=_BODY_DOC)
async def device_rating(request: Request) -> JSONResponse:
    """A hardware kiosk's rating (Authorization: Bearer <device token>)."""
    return await _rating(request, RatingChannel.DEVICE)


@router.post("/kiosk/api/ratings", status_code=201, openapi_extra=_BODY_DOC)
async def kiosk_rating(request: Request) -> JSONResponse:
    """A rating made on the kiosk page."""
    return await _rating(request, RatingChannel.KIOSK)


@router.get("/kiosk/api/device")
def device_info(device: DeviceInfo = Depends(authorised_device)) -> dict[str, Any]:
    """Which centre, counter and officer this kiosk stands for (shown on its screen)."""
    return device.public_json()


@router.get("/kiosk/api/dossiers/{code}")
def dossier_check(
    code: str, request: Request, device: DeviceInfo = Depends(authorised_device)
) -> dict[str, Any]:
    """Whether a dossier code exists and is rated yet; nothing else about it."""
    svc = services(request)
    wait = svc.lookup_limit.take(f"device:{device.id}")
    if wait:
        raise ApiError(429, "rate_limited", retry_after(wait))
    cleaned = clean_code(code) or ""
    found = svc.store.find_dossier(cleaned) if len(cleaned) <= 64 else None
    return {"code": cleaned, "found": found is not None, "rated": bool(found and found.rated)}


_FAST_CHANNELS = {
    "/api/v1/ratings": RatingChannel.DEVICE,
    "/kiosk/api/ratings": RatingChannel.KIOSK,
}


async def fast_rating(scope: Scope, receive: Receive, send: Send) -> None:
    """POST of a rating as a bare ASGI endpoint, called by ``web.Guard`` ahead of FastAPI's
    routing and middleware; it answers its own errors as the app's handlers would."""
    request = Request(scope, receive)
    try:
        response: Response = await _rating(request, _FAST_CHANNELS[scope["path"]])
    except ApiError as exc:
        response = error_json(exc.status, exc.code, headers=exc.headers)
    except (StoreUnavailable, OperationalError) as exc:
        response = store_unavailable(exc)
    await response(scope, receive, send)


def fast_endpoints() -> dict[tuple[str, str], ASGIApp]:
    """(method, path) → endpoint, for ``web.Guard``."""
    return {("POST", path): fast_rating for path in _FAST_CHANNELS}
