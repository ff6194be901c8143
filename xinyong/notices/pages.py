"""The notices' pages: in the console, the department's published penalties and list entries,
each with its 信用修复告知书 to issue or download, and its repair reminder list; for the
applicant, the download of its own subject's notices. Every step goes through
`xinyong.notices.service`."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from xinyong.auth.models import User
from xinyong.auth.principal import Principal
from xinyong.db import committing
from xinyong.errors import DomainError
from xinyong.http.applicant import ApplicantPrincipal, applicant_router
from xinyong.http.console import StaffUser, console_router, refuse_unless_usable
from xinyong.http.csrf import csrf_token
from xinyong.http.deps import Database
from xinyong.http.params import FormText, RowId
from xinyong.notices import service as notices
from xinyong.notices.schemas import pdf_response
from xinyong.web.templating import templates

router = console_router()
account = applicant_router()
SHOWN = 200


def _page(
    request: Request,
    session: Session,
    user: User,
    message: str | None = None,
    notice: str | None = None,
    status_code: int = 200,
) -> Response:
    lines = notices.department_lines(session, Principal.of_user(user), SHOWN)
    context = {
        "user": user,
        "csrf": csrf_token(request),
        "lines": lines,
        "message": message,
        "notice": notice,
    }
    return templates.TemplateResponse(
        request, "notices/console.html", context, status_code=status_code
    )


@router.get("/admin/notices", response_class=HTMLResponse)
def notices_page(request: Request, session: Database, user: StaffUser) -> Response:
    return _page(request, session, user)


@router.post("/admin/notices", response_class=HTMLResponse)
def issue(request: Request, session: Database, user: StaffUser, record: FormText = "") -> Response:
    principal = Principal.of_user(user)
    try:
        if not record.isdigit():
            raise DomainError("请选择要出具告知书的信息", "notices.record")
        with committing(session):
            made = notices.issue_for(session, principal, int(record))
            done = f"已出具信用修复告知书 {made.number}"
    except DomainError as exc:
        refuse_unless_usable(exc, principal, "notices.view")
        return _page(request, session, user, message=exc.message, status_code=exc.status_code)
    return _page(request, session, user, notice=done)


@router.get("/admin/notices/reminders", response_class=HTMLResponse)
def reminders_page(request: Request, session: Database, user: StaffUser) -> Response:
    lines = notices.reminder_lines(session, Principal.of_user(user), SHOWN)
    context = {"user": user, "csrf": csrf_token(request), "lines": lines}
    return templates.TemplateResponse(request, "notices/reminders.html", context)


@router.get("/admin/notices/{notice_id}.pdf")
def staff_download(session: Database, user: StaffUser, notice_id: RowId) -> Response:
    return pdf_response(notices.download(session, Principal.of_user(user), notice_id))


@account.get("/account/notices/{notice_id}.pdf")
def applicant_download(
    session: Database, applicant: ApplicantPrincipal, notice_id: RowId
) -> Response:
    """Only the applicant's own subject's notices: another's is the same 404 as a missing one."""
    return pdf_response(notices.download(session, applicant, notice_id))
