"""The public progress query page: a form (case number and query code) and its answer. The
code travels in a POST body, never in an address a browser keeps or a server logs."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from xinyong.changes import progress as cases_progress
from xinyong.errors import DomainError
from xinyong.http.csrf import check_csrf, csrf_token
from xinyong.http.deps import Database, client_address
from xinyong.web.templating import templates

router = APIRouter(include_in_schema=False)

PAGE = "changes/progress.html"
FIELD_CHARS = 40


def _page(request: Request, status: int = 200, **context: Any) -> Response:
    context = {"csrf": csrf_token(request), "error": None, "found": None, **context}
    return templates.TemplateResponse(request, PAGE, context, status_code=status)


@router.get("/progress", response_class=HTMLResponse)
def progress_form(request: Request) -> Response:
    return _page(request)


@router.post("/progress", response_class=HTMLResponse)
def progress_answer(
    request: Request,
    session: Database,
    number: Annotated[str, Form()] = "",
    code: Annotated[str, Form()] = "",
    csrf: Annotated[str, Form()] = "",
) -> Response:
    kept: dict[str, Any] = {"number": number[:FIELD_CHARS]}
    if not check_csrf(request, csrf):
        return _page(request, 400, error="页面已过期，请重新提交", **kept)
    try:
        found = cases_progress.progress(
            session, number[:FIELD_CHARS], code[:FIELD_CHARS], client_address(request)
        )
    except DomainError as exc:
        return _page(request, exc.status_code, error=exc.message, **kept)
    return _page(request, found=found, **kept)
