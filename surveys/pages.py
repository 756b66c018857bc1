"""HTML pages: the kiosk shell and the online form behind a signed link.

The online form is protected by the link's signature (403 when forged, altered or expired),
a CSRF double-submit token, and the per-address rate limit. Its pages show the dossier's
progress but no personal data.
"""

from __future__ import annotations

from typing import Any

from anyio import to_thread
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError

from monitor.enums import RatingChannel
from monitor.models import utcnow
from surveys import csrf
from surveys import texts as T
from surveys.capture import AlreadyRated, NewRating, UnknownDossier, clean_code
from surveys.criteria import ASKED
from surveys.links import BadLink, LinkProblem, verify
from surveys.progress import Progress, dossier_progress
from surveys.schemas import RatingIn, explain
from surveys.web import Services, client_address, retry_after, services

router = APIRouter()
_NO_STORE = {"Cache-Control": "no-store"}


def message_page(
    request: Request,
    status: int,
    title: str,
    body: str,
    *,
    progress: Progress | None = None,
    headers: dict[str, str] | None = None,
) -> HTMLResponse:
    svc = services(request)
    context = {"title": title, "body": body, "progress": progress, "hint": T.BACK_HINT}
    return svc.templates.TemplateResponse(
        request,
        "message.html",
        context,
        status_code=status,
        headers={**_NO_STORE, **(headers or {})},
    )


@router.get("/kiosk", response_class=HTMLResponse, include_in_schema=False)
def kiosk(request: Request) -> HTMLResponse:
    kiosk_data = {
        "criteria": [
            {"code": c.code, "question": f"{c.letter}) {c.question}", "skippable": c.online_only}
            for c in ASKED
        ],
        "overall": {"code": "overall", "question": T.OVERALL_QUESTION, "skippable": False},
        "messages": T.KIOSK_MESSAGES,
    }
    context = {"title": T.KIOSK_TITLE, "levels": T.LEVELS, "T": T, "kiosk_data": kiosk_data}
    return services(request).templates.TemplateResponse(request, "kiosk.html", context)


def _gate(request: Request, svc: Services, code: str, token: str) -> tuple[Response | None, Any]:
    """The rate limit, the link's signature and the dossier: a refusal page, or the dossier."""
    wait = svc.address_limit.take(f"addr:{client_address(request)}")
    if wait:
        page = message_page(
            request, 429, T.RATE_LIMITED_TITLE, T.RATE_LIMITED_BODY, headers=retry_after(wait)
        )
        return page, None
    try:
        verify(svc.secret, code, token, utcnow())
    except BadLink as bad:
        if bad.problem is LinkProblem.EXPIRED:
            return message_page(request, 403, T.EXPIRED_LINK_TITLE, T.EXPIRED_LINK_BODY), None
        return message_page(request, 403, T.BAD_LINK_TITLE, T.BAD_LINK_BODY), None
    found = svc.store.find_dossier(clean_code(code) or "")
    if found is None:
        return message_page(request, 404, T.UNKNOWN_DOSSIER_TITLE, T.UNKNOWN_DOSSIER_BODY), None
    return None, found


def _form(
    request: Request,
    svc: Services,
    code: str,
    token: str,
    progress: Progress | None,
    *,
    status: int = 200,
    errors: list[str] | None = None,
    values: dict[str, str] | None = None,
) -> HTMLResponse:
    nonce = request.cookies.get(csrf.COOKIE) or csrf.new_nonce()
    context = {
        "title": T.FORM_TITLE,
        "T": T,
        "code": code,
        "token": token,
        "csrf_field": csrf.FIELD,
        "csrf_token": csrf.form_token(svc.secret, nonce, code),
        "criteria": ASKED,
        "levels": T.LEVELS,
        "progress": progress,
        "errors": errors or [],
        "values": values or {},
    }
    response = svc.templates.TemplateResponse(
        request, "form.html", context, status_code=status, headers=_NO_STORE
    )
    response.set_cookie(
        csrf.COOKIE, nonce, httponly=True, samesite="strict", path="/r", max_age=86_400
    )
    return response


@router.get("/r/{code}", response_class=HTMLResponse, include_in_schema=False)
def online_form(request: Request, code: str, t: str = "") -> Response:
    svc = services(request)
    refusal, found = _gate(request, svc, code, t)
    if refusal is not None:
        return refusal
    progress = dossier_progress(svc.engine, found.id)
    if found.rated:
        return message_page(
            request, 200, T.ALREADY_RATED_TITLE, T.ALREADY_RATED_BODY, progress=progress
        )
    return _form(request, svc, code, t, progress)


def _label(field: str) -> str:
    """A form field as the citizen reads it."""
    if field.startswith("criteria."):
        code = field.removeprefix("criteria.")
        letter = next((c.letter for c in ASKED if c.code == code), code)
        return f"Tiêu chí {letter})"
    return {"overall": T.OVERALL_LABEL, "comment": T.COMMENT_LABEL}.get(field, field)


def _levels(form: dict[str, str]) -> dict[str, Any]:
    """Form strings to the API's shape: "1".."3" become ints, blanks are omitted."""

    def level(text: str) -> Any:
        return int(text) if text in ("1", "2", "3") else text

    criteria = {c.code: level(form[f"crit_{c.code}"]) for c in ASKED if form.get(f"crit_{c.code}")}
    doc: dict[str, Any] = {"criteria": criteria, "comment": form.get("comment") or None}
    if form.get("overall"):
        doc["overall"] = level(form["overall"])
    return doc


@router.post("/r/{code}", response_class=HTMLResponse, include_in_schema=False)
async def submit_online(request: Request, code: str) -> Response:
    form = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    # The checks and the write read the database (and may wait for SQLite's lock): a thread,
    # never the event loop.
    return await to_thread.run_sync(_submit, request, code, form)


def _submit(request: Request, code: str, form: dict[str, str]) -> Response:
    svc = services(request)
    token = form.get("t") or request.query_params.get("t", "")
    refusal, found = _gate(request, svc, code, token)
    if refusal is not None:
        return refusal
    if not csrf.check(svc.secret, request.cookies.get(csrf.COOKIE), form.get(csrf.FIELD), code):
        return message_page(request, 403, T.CSRF_TITLE, T.CSRF_BODY)
    progress = dossier_progress(svc.engine, found.id)
    try:
        body = RatingIn.model_validate(_levels(form))
    except ValidationError as exc:
        errors = [f"{_label(e['field'])}: {e['message']}" for e in explain(exc.errors())]
        return _form(request, svc, code, token, progress, status=400, errors=errors, values=form)
    return _store_online(request, svc, code, body, progress)


def _store_online(
    request: Request, svc: Services, code: str, body: RatingIn, progress: Progress | None
) -> Response:
    now = utcnow()
    new = NewRating(
        channel=RatingChannel.ONLINE,
        overall=body.overall,
        criteria={str(k): v for k, v in body.criteria.items()},
        created_at=now,
        dossier_code=clean_code(code),
        comment=body.comment,
    )
    try:
        svc.store.save(new)
    except AlreadyRated:
        return message_page(
            request, 409, T.ALREADY_RATED_TITLE, T.ALREADY_RATED_BODY, progress=progress
        )
    except UnknownDossier:
        return message_page(request, 404, T.UNKNOWN_DOSSIER_TITLE, T.UNKNOWN_DOSSIER_BODY)
    return message_page(request, 200, T.THANKS_TITLE, T.THANKS_BODY, progress=progress)
