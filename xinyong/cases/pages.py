"""The case pages every kind shares: the staff's work queue and case page under /admin, the
applicant's 我的申请 under /account. Each step's form is drawn from the kind's policy (the
transition's `fields`, the kind's `materials`) and taken through the kind's handler, so a new
kind needs no page of its own beyond the one that opens a case."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote

from fastapi import Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData, UploadFile

from xinyong.auth.principal import Principal
from xinyong.cases import browse, files, handlers, kinds
from xinyong.cases import service as engine
from xinyong.cases.handlers import StepIn, Upload
from xinyong.db import committing
from xinyong.errors import DomainError
from xinyong.http.applicant import ApplicantPrincipal, ApplicantUser, applicant_router
from xinyong.http.console import StaffUser, console_router
from xinyong.http.csrf import csrf_token
from xinyong.http.deps import Database
from xinyong.http.params import PageNumber, RowId
from xinyong.policy.schemas import CaseKind, Transition
from xinyong.web.templating import templates

router = console_router()
applicant = applicant_router()

CODE = r"^[a-z][a-z0-9_]{0,31}$"
STAFF, OWN = "/admin/cases", "/account/cases"


# --- the staff's queue and case page ---------------------------------------------------


@router.get("/admin/cases", response_class=HTMLResponse)
def queue(
    request: Request,
    session: Database,
    user: StaffUser,
    kind: Annotated[str | None, Query(pattern=CODE)] = None,
    state: Annotated[str | None, Query(pattern=CODE)] = None,
    overdue: bool = False,
    closed: bool = False,
    page: PageNumber = 1,
) -> Response:
    principal = Principal.of_user(user)
    found = browse.list_cases(
        session,
        principal,
        kind=kind or None,
        state=state or None,
        overdue=overdue,
        open_only=not closed,
        page=page,
    )
    filters = {"kind": kind or "", "state": state or "", "overdue": overdue, "closed": closed}
    context = {"user": user, "found": found, "filters": filters, "kinds": _kinds(principal)}
    return _render(request, "cases/queue.html", context)


@router.get("/admin/cases/{case_id}", response_class=HTMLResponse)
def staff_case(
    request: Request, session: Database, user: StaffUser, case_id: RowId, done: str = ""
) -> Response:
    return _case_page(request, session, Principal.of_user(user), case_id, user=user, done=done)


@router.post("/admin/cases/{case_id}/steps/{transition}", response_class=HTMLResponse)
async def staff_step(
    request: Request, session: Database, user: StaffUser, case_id: RowId, transition: str
) -> Response:
    principal = Principal.of_user(user)
    form = await request.form()
    return _take(request, session, principal, case_id, transition, form, STAFF, user=user)


@router.post("/admin/cases/{case_id}/deadline/{action}", response_class=HTMLResponse)
async def staff_deadline(
    request: Request, session: Database, user: StaffUser, case_id: RowId, action: str
) -> Response:
    """Stop (检验、检测、鉴定 … not counted) or restart the case's deadline."""
    principal = Principal.of_user(user)
    note = _text((await request.form()).get("note"), 2000)
    try:
        with committing(session):
            case = handlers.visible_case(session, principal, case_id)
            if action == "suspend":
                engine.suspend(session, case, principal, note or "期限中止")
            elif action == "resume":
                engine.resume(session, case, principal, note or "期限恢复")
            else:
                raise DomainError("无法执行该操作", "cases.unknown_transition")
    except DomainError as exc:
        return _case_page(request, session, principal, case_id, user=user, error=exc)
    return RedirectResponse(f"{STAFF}/{case_id}?done={action}", status_code=303)


@router.get("/admin/cases/files/{file_id}")
def staff_file(session: Database, user: StaffUser, file_id: RowId) -> Response:
    return _file(session, Principal.of_user(user), file_id)


# --- the applicant's own cases ---------------------------------------------------------


@applicant.get("/account/cases", response_class=HTMLResponse)
def my_cases(
    request: Request,
    session: Database,
    account: ApplicantUser,
    principal: ApplicantPrincipal,
    page: PageNumber = 1,
) -> Response:
    found = browse.list_cases(session, principal, page=page) if _sees_cases(principal) else None
    context = {"applicant": account, "found": found}
    return _render(request, "cases/mine.html", context)


@applicant.get("/account/cases/{case_id}", response_class=HTMLResponse)
def my_case(
    request: Request,
    session: Database,
    account: ApplicantUser,
    principal: ApplicantPrincipal,
    case_id: RowId,
    done: str = "",
) -> Response:
    return _case_page(request, session, principal, case_id, applicant=account, done=done)


@applicant.post("/account/cases/{case_id}/steps/{transition}", response_class=HTMLResponse)
async def my_step(
    request: Request,
    session: Database,
    account: ApplicantUser,
    principal: ApplicantPrincipal,
    case_id: RowId,
    transition: str,
) -> Response:
    form = await request.form()
    return _take(request, session, principal, case_id, transition, form, OWN, applicant=account)


@applicant.get("/account/cases/files/{file_id}")
def my_file(session: Database, principal: ApplicantPrincipal, file_id: RowId) -> Response:
    return _file(session, principal, file_id)


# --- shared ------------------------------------------------------------------------------


def _case_page(
    request: Request,
    session: Session,
    principal: Principal,
    case_id: int,
    *,
    error: DomainError | None = None,
    done: str = "",
    **who: Any,
) -> Response:
    view = browse.show_case(session, principal, case_id)
    case = view.row.case
    kind = kinds.kind(case.kind)
    by_applicant = "applicant" in who
    taken = kind.transition(done)
    context = {
        **who,
        "view": view,
        "kind": kind,
        "files": files.files_of(session, case),
        "steps": browse.next_steps(session, principal, case, by_applicant=by_applicant),
        "may_suspend": not by_applicant and browse.may_suspend(session, principal, case),
        "base": OWN if by_applicant else STAFF,
        "message": error.message if error else None,
        "notice": _done(done, taken),
    }
    status = error.status_code if error else 200
    return _render(request, "cases/case.html", context, status)


def _take(
    request: Request,
    session: Session,
    principal: Principal,
    case_id: int,
    transition: str,
    form: FormData,
    base: str,
    **who: Any,
) -> Response:
    try:
        case = handlers.visible_case(session, principal, case_id)
        kind = kinds.kind(case.kind)
        step = kind.transition(transition)
        if step is None:
            raise DomainError(f"{kind.noun}没有这一步骤", "cases.unknown_transition")
        asked = _step_in(kind, step, form)
        handlers.take(session, principal, case_id, asked)
    except DomainError as exc:
        session.rollback()
        return _case_page(request, session, principal, case_id, error=exc, **who)
    return RedirectResponse(f"{base}/{case_id}?done={quote(transition)}", status_code=303)


def _step_in(kind: CaseKind, step: Transition, form: FormData) -> StepIn:
    """The step's fields as its policy declares them, and the files handed in with it."""
    data: dict[str, Any] = {}
    for field in step.fields:
        value = _text(form.get(field.name), field.max_length)
        if field.type == "choice" and value and value not in {c.code for c in field.choices}:
            raise DomainError(f"“{field.label}”的选项无效", "cases.field_invalid")
        if field.required and not value:
            raise DomainError(f"请填写“{field.label}”", "cases.field_missing")
        if value:
            data[field.name] = value
    uploads = []
    if step.by_applicant or step.opens:
        for material in kind.materials:
            for item in form.getlist(f"file_{material.code}"):
                if isinstance(item, UploadFile) and item.filename:
                    content = item.file.read(material.max_bytes + 1)
                    uploads.append(Upload(material.code, item.filename, content))
    note = _text(form.get("note"), 2000) or None
    return StepIn(step.name, note, data, uploads)


def _text(value: object, limit: int) -> str:
    text = value.strip() if isinstance(value, str) else ""
    if "\x00" in text:
        raise DomainError("提交的内容含有不可见的控制字符（NUL），请删除后重试", "request.nul")
    if len(text) > limit:
        raise DomainError(f"内容超过 {limit} 个字符，请精简后重试", "cases.field_too_long")
    return text


def _done(done: str, taken: Transition | None) -> str | None:
    if taken is not None:
        return f"已办理：{taken.label}"
    return {"suspend": "期限已中止", "resume": "期限已恢复"}.get(done)


def _file(session: Session, principal: Principal, file_id: int) -> Response:
    stored = files.open_file(session, principal, file_id)
    disposition = f"attachment; filename*=UTF-8''{quote(stored.filename)}"
    headers = {"Content-Disposition": disposition, "Cache-Control": "no-store"}
    return Response(stored.content, media_type=stored.content_type, headers=headers)


def _kinds(principal: Principal) -> list[CaseKind]:
    return [k for k in kinds.all_kinds().values() if principal.may(k.view_action)]


def _sees_cases(principal: Principal) -> bool:
    return bool(_kinds(principal))


def _render(request: Request, page: str, context: dict[str, Any], status: int = 200) -> Response:
    context = {"csrf": csrf_token(request), **context}
    return templates.TemplateResponse(request, page, context, status_code=status)
