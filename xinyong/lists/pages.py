"""The console's listing page: propose a subject for the serious-dishonesty list, notify it, take
its statement, list or drop it, and remove an entry. Every step goes through `xinyong.lists`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Form, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from xinyong.auth.models import User
from xinyong.auth.principal import Principal
from xinyong.db import committing
from xinyong.errors import DomainError
from xinyong.http.console import StaffUser, console_router, refuse_unless_usable
from xinyong.http.csrf import csrf_token
from xinyong.http.deps import Database
from xinyong.http.params import FormText, RowId
from xinyong.lists import service as lists
from xinyong.lists.models import ListCase
from xinyong.policy import load_policy
from xinyong.web.templating import templates

router = console_router()
OPEN_CASES = 200
STEPS = ("notify", "statement", "enter", "drop", "remove")


def _page(
    request: Request,
    session: Session,
    user: User,
    message: str | None = None,
    notice: str | None = None,
    status_code: int = 200,
    cases: list[tuple[ListCase, str]] | None = None,
) -> Response:
    """The page; after a step, with the cases the user may see (a refused step is audited
    once: the page does not ask again for what the role may not see)."""
    principal = Principal.of_user(user)
    if cases is None:
        shown = principal.may("lists.view")
        cases = lists.recent_cases(session, principal, OPEN_CASES) if shown else []
    return templates.TemplateResponse(
        request,
        "lists/cases.html",
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


@router.get("/admin/lists", response_class=HTMLResponse)
def lists_page(request: Request, session: Database, user: StaffUser) -> Response:
    cases = lists.recent_cases(session, Principal.of_user(user), OPEN_CASES)  # refused: a page
    return _page(request, session, user, cases=cases)


@router.post("/admin/lists", response_class=HTMLResponse)
def propose(
    request: Request,
    session: Database,
    user: StaffUser,
    list_type: FormText = "",
    uscc: FormText = "",
    document_number: FormText = "",
    reason: FormText = "",
    legal_basis: FormText = "",
) -> Response:

    def step() -> str:
        principal = Principal.of_user(user)
        subject = lists.subject_to_list(session, principal, uscc)
        case = lists.propose(
            session,
            principal,
            list_type,
            subject,
            user.department_id,
            document_number=document_number,
            reason=reason,
            legal_basis=legal_basis,
        )
        return f"已登记拟列入（第 {case.id} 号）：{subject.name}"

    return _run(request, session, user, step)


@router.post("/admin/lists/{case_id}/{action}", response_class=HTMLResponse)
def case_step(
    request: Request,
    session: Database,
    user: StaffUser,
    case_id: RowId,
    action: str,
    text: FormText = "",
    how: Annotated[str, Form()] = "decision",
) -> Response:
    principal = Principal.of_user(user)

    def step() -> str:
        if action not in STEPS:
            raise DomainError("无法执行该操作", "lists.action")
        case = lists.get_case(session, principal, case_id, f"lists.{action}")
        if action == "notify":
            lists.notify(session, principal, case)
            return f"第 {case.id} 号已告知，陈述申辩期至 {case.statement_due}"
        if action == "statement":
            lists.record_statement(session, principal, case, text)
            return f"第 {case.id} 号已记录陈述申辩"
        if action == "enter":
            lists.enter(session, principal, case)
            return f"第 {case.id} 号已列入并公示"
        if action == "drop":
            lists.drop(session, principal, case, text or "不予列入")
            return f"第 {case.id} 号不予列入"
        lists.remove_case(session, principal, case, how, text)
        return f"第 {case.id} 号已移出"

    return _run(request, session, user, step)


def _run(request: Request, session: Session, user: User, step: Callable[[], str]) -> Response:
    try:
        with committing(session):
            done = step()
    except DomainError as exc:
        refuse_unless_usable(exc, Principal.of_user(user), "lists.view")
        return _page(request, session, user, message=exc.message, status_code=exc.status_code)
    return _page(request, session, user, notice=done)
