"""The console's listing page: propose a subject for the serious-dishonesty list, notify it, take
its statement, list or drop it, and remove an entry. Every step goes through `xinyong.lists`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from xinyong.api.deps import get_session
from xinyong.api.identity import session_user
from xinyong.auth.models import User
from xinyong.db import committing
from xinyong.errors import DomainError
from xinyong.http.params import FormText, RowId
from xinyong.lists import service as lists
from xinyong.policy import load_policy
from xinyong.policy.enums import Role
from xinyong.subjects.service import resolve
from xinyong.web.pages import check_csrf, csrf_token
from xinyong.web.templating import templates

router = APIRouter(include_in_schema=False)

SessionDep = Annotated[Session, Depends(get_session)]
LISTING_ROLES = {Role.PLATFORM_ADMIN, Role.CREDIT_OFFICE, Role.DATA_PROVIDER, Role.REGULATOR}
OPEN_CASES = 200


def _page(
    request: Request,
    session: Session,
    user: User,
    message: str | None = None,
    notice: str | None = None,
    status_code: int = 200,
) -> Response:
    everyone = Role(user.role) in (Role.CREDIT_OFFICE, Role.PLATFORM_ADMIN)
    cases = lists.recent_cases(session, None if everyone else user.department_id, OPEN_CASES)
    return templates.TemplateResponse(
        request,
        "admin/lists.html",
        {
            "user": user,
            "csrf": csrf_token(request),
            "list_types": [t for t in load_policy().list_types.values() if t.procedure],
            "cases": cases,
            "message": message,
            "notice": notice,
        },
        status_code=status_code,
    )


def _user(request: Request, session: Session) -> User | Response:
    user = session_user(request, session)
    if user is None:
        return RedirectResponse("/admin/login", status_code=303)
    return user


@router.get("/admin/lists", response_class=HTMLResponse)
def lists_page(request: Request, session: SessionDep) -> Response:
    user = _user(request, session)
    return user if isinstance(user, Response) else _page(request, session, user)


@router.post("/admin/lists", response_class=HTMLResponse)
def propose(
    request: Request,
    session: SessionDep,
    list_type: FormText = "",
    uscc: FormText = "",
    document_number: FormText = "",
    reason: FormText = "",
    legal_basis: FormText = "",
    csrf: Annotated[str, Form()] = "",
) -> Response:
    user = _user(request, session)
    if isinstance(user, Response):
        return user

    def step() -> str:
        subject = resolve(session, uscc=uscc) if uscc.strip() else None
        if subject is None:
            raise DomainError(f"未找到统一社会信用代码为 {uscc} 的主体", "lists.subject")
        if user.department_id is None:
            raise DomainError("拟列入须由所属部门的账号提出", "lists.department")
        case = lists.propose(
            session,
            list_type,
            subject,
            user.department_id,
            document_number=document_number,
            reason=reason,
            legal_basis=legal_basis,
            actor=f"user:{user.id}",
        )
        return f"已登记拟列入（第 {case.id} 号）：{subject.name}"

    return _run(request, session, user, csrf, step)


@router.post("/admin/lists/{case_id}/{action}", response_class=HTMLResponse)
def case_step(
    request: Request,
    session: SessionDep,
    case_id: RowId,
    action: str,
    text: FormText = "",
    how: Annotated[str, Form()] = "decision",
    csrf: Annotated[str, Form()] = "",
) -> Response:
    user = _user(request, session)
    if isinstance(user, Response):
        return user
    actor = f"user:{user.id}"

    def step() -> str:
        case = lists.get_case(session, case_id)
        if action == "notify":
            lists.notify(session, case, actor)
            return f"第 {case.id} 号已告知，陈述申辩期至 {case.statement_due}"
        if action == "statement":
            lists.record_statement(session, case, text, actor)
            return f"第 {case.id} 号已记录陈述申辩"
        if action == "enter":
            lists.enter(session, case, actor)
            return f"第 {case.id} 号已列入并公示"
        if action == "drop":
            lists.drop(session, case, actor, text or "不予列入")
            return f"第 {case.id} 号不予列入"
        if action == "remove":
            lists.remove_case(session, case, how, actor, text)
            return f"第 {case.id} 号已移出"
        raise DomainError("无法执行该操作", "lists.action")

    return _run(request, session, user, csrf, step)


def _run(
    request: Request, session: Session, user: User, csrf: str, step: Callable[[], str]
) -> Response:
    if Role(user.role) not in LISTING_ROLES:
        return _page(request, session, user, message="您的角色不能办理列入", status_code=403)
    if not check_csrf(request, csrf):
        return _page(request, session, user, message="页面已过期，请重新提交")
    try:
        with committing(session):
            done = step()
    except DomainError as exc:
        return _page(request, session, user, message=exc.message, status_code=400)
    return _page(request, session, user, notice=done)
