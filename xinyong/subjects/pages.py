"""The console's registry pages: 主体核实 (the 待核实 queue, verifying a subject against the
registration authority's data) and 主体合并 (merging subjects that are one, reversing a merge,
moving a record to the right subject)."""

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
from xinyong.subjects import merging, relinking, verification
from xinyong.subjects.service import MAX_ID_DIGITS, subject_named
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


def _merges_page(
    request: Request,
    session: Session,
    user: User,
    message: str | None = None,
    notice: str | None = None,
    status_code: int = 200,
) -> Response:
    with committing(session):
        found = merging.merges(session, Principal.of_user(user))
    return templates.TemplateResponse(
        request,
        "subjects/merges.html",
        {
            "user": user,
            "csrf": csrf_token(request),
            "merges": found,
            "message": message,
            "notice": notice,
        },
        status_code=status_code,
    )


@router.get("/admin/registry/merges", response_class=HTMLResponse)
def merges_page(request: Request, session: Database, user: StaffUser) -> Response:
    return _merges_page(request, session, user)


@router.post("/admin/registry/merges", response_class=HTMLResponse)
def merge(
    request: Request,
    session: Database,
    user: StaffUser,
    survivor: FormText = "",
    absorbed: FormText = "",
    reason: FormText = "",
) -> Response:
    principal = Principal.of_user(user)
    try:
        with committing(session):
            kept, gone = (
                subject_named(session, survivor),
                subject_named(session, absorbed),
            )
            merged = merging.merge(session, principal, kept, gone, reason)
    except DomainError as exc:
        return _failed(request, session, user, principal, exc)
    moved = merged.moved.get("records", 0)
    notice = f"已将主体 {merged.absorbed_id} 并入主体 {merged.survivor_id}，移动记录 {moved} 条"
    return _merges_page(request, session, user, notice=notice)


@router.post("/admin/registry/merges/{merge_id}/reverse", response_class=HTMLResponse)
def reverse(
    request: Request, session: Database, user: StaffUser, merge_id: RowId, reason: FormText = ""
) -> Response:
    principal = Principal.of_user(user)
    try:
        with committing(session):
            merged = merging.reverse(session, principal, merge_id, reason)
    except DomainError as exc:
        return _failed(request, session, user, principal, exc)
    notice = f"已撤销合并：主体 {merged.absorbed_id} 恢复为独立主体"
    return _merges_page(request, session, user, notice=notice)


@router.post("/admin/registry/relink", response_class=HTMLResponse)
def relink(
    request: Request,
    session: Database,
    user: StaffUser,
    record: FormText = "",
    subject: FormText = "",
    reason: FormText = "",
) -> Response:
    principal = Principal.of_user(user)
    try:
        with committing(session):
            record_id = _record_number(record)
            versions = relinking.relink(
                session, principal, record_id, subject_named(session, subject), reason
            )
    except DomainError as exc:
        return _failed(request, session, user, principal, exc)
    notice = f"已更正记录 {record_id} 关联的主体（{versions} 个版本）"
    return _merges_page(request, session, user, notice=notice)


def _failed(
    request: Request, session: Session, user: User, principal: Principal, error: DomainError
) -> Response:
    refuse_unless_usable(error, principal, "subjects.merge")
    message = error.message
    if error.code == "subject.not_found":  # one answer for codes unknown and out of region
        message = "未找到主体：请填写本地区主体的统一社会信用代码、组织机构代码或主体编号"
    return _merges_page(request, session, user, message=message, status_code=400)


def _record_number(text_: str) -> int:
    cleaned = text_.strip().removeprefix("/records/")
    if not (cleaned.isdigit() and len(cleaned) <= MAX_ID_DIGITS):
        raise DomainError("请填写记录编号（记录详情页地址 /records/ 后的数字）", "record.number")
    return int(cleaned)
