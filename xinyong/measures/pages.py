"""The console's check page for window staff: ask about a subject for a matter, see its lists
and the measures with their legal basis, record what was done, and the figures."""

from __future__ import annotations

from typing import Annotated

from fastapi import Form, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from xinyong.auth import permissions
from xinyong.auth.models import User
from xinyong.auth.principal import Principal
from xinyong.db import committing
from xinyong.errors import DomainError
from xinyong.http.console import StaffUser, console_router, refuse_unless_usable
from xinyong.http.csrf import csrf_token
from xinyong.http.deps import Database
from xinyong.http.params import FormText, RowId
from xinyong.measures import receipts
from xinyong.measures import service as checks
from xinyong.measures.identify import SubjectKey
from xinyong.measures.service import Answer
from xinyong.policy import load_policy
from xinyong.reports.schemas import pdf_response
from xinyong.web.templating import templates

router = console_router()


def _page(
    request: Request,
    session: Session,
    user: User,
    answer: Answer | None = None,
    message: str | None = None,
    notice: str | None = None,
    form: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    permissions.require(session, Principal.of_user(user), "checks.run")  # refused: a Chinese page
    policy = load_policy()
    return templates.TemplateResponse(
        request,
        "measures/checks.html",
        {
            "user": user,
            "csrf": csrf_token(request),
            "matters": list(policy.matters.values()),
            "answer": answer,
            "message": message,
            "notice": notice,
            "form": form or {},
            "figures": checks.figures(session, Principal.of_user(user)),
            "measures": policy.measures,
        },
        status_code=status_code,
    )


@router.get("/admin/checks", response_class=HTMLResponse)
def check_page(request: Request, session: Database, user: StaffUser) -> Response:
    return _page(request, session, user)


@router.post("/admin/checks", response_class=HTMLResponse)
def run_check(
    request: Request,
    session: Database,
    user: StaffUser,
    matter: FormText = "",
    uscc: FormText = "",
    id_number: FormText = "",
    name: FormText = "",
) -> Response:
    form = {"matter": matter, "uscc": uscc, "name": name}
    if name.strip() and uscc.strip():
        key = SubjectKey(name=name, code=uscc)
    else:
        key = SubjectKey(uscc=uscc.strip() or None, id_number=id_number.strip() or None)
    try:
        with committing(session):
            answer = checks.check(session, Principal.of_user(user), key, matter)
    except DomainError as exc:
        refuse_unless_usable(exc, Principal.of_user(user), "checks.run")
        return _page(request, session, user, message=exc.message, form=form, status_code=400)
    return _page(request, session, user, answer=answer, form=form)


@router.post("/admin/checks/{check_id}/feedback", response_class=HTMLResponse)
def give_feedback(
    request: Request,
    session: Database,
    user: StaffUser,
    check_id: RowId,
    measure: FormText = "",
    applied: Annotated[str, Form()] = "",
    reason: FormText = "",
) -> Response:
    if applied not in ("yes", "no"):  # nothing is preselected: the clerk says what was done
        message = "请选择是否已采取该措施后再提交反馈"
        return _page(request, session, user, message=message, status_code=400)
    try:
        with committing(session):
            checks.feedback(
                session, Principal.of_user(user), check_id, measure, applied == "yes", reason
            )
    except DomainError as exc:
        refuse_unless_usable(exc, Principal.of_user(user), "checks.run")
        return _page(request, session, user, message=exc.message, status_code=400)
    return _page(request, session, user, notice=f"已记录第 {check_id} 号核查的措施 {measure} 反馈")


@router.get("/admin/checks/{check_id}/receipt.pdf", response_class=Response)
def print_receipt(
    request: Request, session: Database, user: StaffUser, check_id: RowId
) -> Response:
    """The check's 联合奖惩核查结果, to attach to the file (the same file each time)."""
    try:
        with committing(session):
            printed = receipts.receipt(session, Principal.of_user(user), check_id)
    except DomainError as exc:
        refuse_unless_usable(exc, Principal.of_user(user), "checks.run")
        return _page(request, session, user, message=exc.message, status_code=404)
    return pdf_response(printed)
