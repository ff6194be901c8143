"""The console's 主体核实 page: the 待核实 queue, and verifying a subject against the
registration authority's data."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from xinyong.auth.models import User
from xinyong.auth.principal import Principal
from xinyong.db import committing
from xinyong.errors import DomainError
from xinyong.http.console import StaffUser, console_router, refuse_unless_usable
from xinyong.http.csrf import csrf_token
from xinyong.http.deps import Database
from xinyong.http.params import FormText, PageNumber, RowId
from xinyong.subjects import verification
from xinyong.web.templating import templates

router = console_router()


def _page(
    request: Request,
    session: Session,
    user: User,
    page: int = 1,
    message: str | None = None,
    notice: str | None = None,
    status_code: int = 200,
) -> Response:
    with committing(session):  # a refusal is audited, then shown as a Chinese page
        queue = verification.unverified(session, Principal.of_user(user), page)
    return templates.TemplateResponse(
        request,
        "subjects/unverified.html",
        {
            "user": user,
            "csrf": csrf_token(request),
            "queue": queue,
            "message": message,
            "notice": notice,
        },
        status_code=status_code,
    )


@router.get("/admin/registry", response_class=HTMLResponse)
def queue_page(
    request: Request, session: Database, user: StaffUser, page: PageNumber = 1
) -> Response:
    return _page(request, session, user, page)


@router.post("/admin/registry/{subject_id}/verify", response_class=HTMLResponse)
def verify(
    request: Request, session: Database, user: StaffUser, subject_id: RowId, basis: FormText = ""
) -> Response:
    principal = Principal.of_user(user)
    try:
        with committing(session):
            subject = verification.verify(session, principal, subject_id, basis)
    except DomainError as exc:
        refuse_unless_usable(exc, principal, "subjects.review")
        return _page(request, session, user, message=exc.message, status_code=400)
    return _page(request, session, user, notice=f"已核实：{subject.name}")
