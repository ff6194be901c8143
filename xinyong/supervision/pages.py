"""双随机抽查 pages: the console's plans (with the form that makes one), a draw with its subjects,
inspectors and the results form, the inspector pool with its 回避 links; and the public's list
of draws and each draw's page (一公开)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from xinyong.auth.models import User
from xinyong.auth.principal import Principal
from xinyong.db import committing
from xinyong.errors import DomainError, NotFound
from xinyong.http.console import StaffUser, console_router, refuse_unless_usable
from xinyong.http.csrf import csrf_token
from xinyong.http.deps import Database
from xinyong.http.params import FormText, PageNumber, RowId, Text, row_id
from xinyong.policy import load_policy
from xinyong.policy.enums import SubjectType
from xinyong.supervision import draws, inspectors, plans, results, views
from xinyong.web.templating import templates

console = console_router()
FormDate = Annotated[date, Form()]
FormNumber = Annotated[int, Form(ge=1, le=2**53)]
FormList = Annotated[list[str], Form()]
router = APIRouter(include_in_schema=False)


def _render(
    request: Request, template: str, user: User | None, status_code: int = 200, **context: Any
) -> Response:
    context = {
        "user": user,
        "csrf": csrf_token(request),
        "message": None,
        "notice": None,
        **context,
    }
    return templates.TemplateResponse(request, template, context, status_code=status_code)


def _department(text: str) -> int | None:
    """The department the chooser or a form's hidden field names (None: the principal's own);
    text that cannot be an id names no department."""
    if not text.strip():
        return None
    chosen = row_id(text)
    if chosen is None:
        raise NotFound("部门不存在", "supervision.department_not_found")
    return chosen


def _chooser(session: Session, principal: Principal, department_id: int | None) -> dict[str, Any]:
    """What the department chooser shows: the departments a principal of regional scope may
    act for (none for a department, which acts for its own) and the one acted for."""
    with committing(session):
        departments = inspectors.managed_departments(session, principal)
    acting = department_id or principal.department_id
    chosen = next((d for d in departments if d.id == acting), None)
    return {"departments": departments, "chosen": chosen, "department_id": department_id}


def _plans_page(
    request: Request,
    session: Session,
    user: User,
    department_id: int | None = None,
    status_code: int = 200,
    **context: Any,
) -> Response:
    principal = Principal.of_user(user)
    found: list[plans.PlanLine] = []
    refused = False
    try:
        with committing(session):  # a refusal is audited, then shown as a Chinese page
            found = plans.plans(session, principal, department_id)
    except DomainError as exc:  # a department it may not act for: said, and no form for it
        refuse_unless_usable(exc, principal, "supervision.view")
        context["message"] = context.get("message") or exc.message
        status_code, refused = max(status_code, exc.status_code), True
    inspectable = [SubjectType(t) for t in load_policy().supervision.inspectable]
    return _render(
        request,
        "supervision/plans.html",
        user,
        status_code,
        plans=found,
        inspectable=inspectable,
        refused=refused,
        **_chooser(session, principal, department_id),
        **context,
    )


@console.get("/admin/supervision", response_class=HTMLResponse)
def plans_page(
    request: Request, session: Database, user: StaffUser, department_id: Text = ""
) -> Response:
    try:
        chosen = _department(department_id)
    except NotFound as exc:
        return _plans_page(request, session, user, None, 404, message=exc.message)
    return _plans_page(request, session, user, chosen)


@console.post("/admin/supervision/plans", response_class=HTMLResponse)
def create_plan(
    request: Request,
    session: Database,
    user: StaffUser,
    starts_on: FormDate,
    ends_on: FormDate,
    matter: FormText = "",
    region_prefix: FormText = "",
    subject_types: FormList = [],  # noqa: B006 (FastAPI copies a default)
    name_keyword: FormText = "",
    inspectors_per_subject: FormNumber = 2,
    department_id: FormText = "",
) -> Response:
    principal = Principal.of_user(user)
    wanted = plans.PlanIn(
        matter, region_prefix.strip(), subject_types, starts_on, ends_on,
        inspectors_per_subject, name_keyword,
    )  # fmt: skip
    chosen = None
    try:
        chosen = _department(department_id)
        with committing(session):
            made = plans.create(session, principal, wanted, chosen)
    except DomainError as exc:
        refuse_unless_usable(exc, principal, "supervision.manage")
        return _plans_page(request, session, user, chosen, exc.status_code, message=exc.message)
    notice = f"已制定抽查计划 {made.id}：{made.matter}"
    return _plans_page(request, session, user, chosen, notice=notice)


@console.post("/admin/supervision/plans/{plan_id}/draw", response_class=HTMLResponse)
def draw_plan(
    request: Request,
    session: Database,
    user: StaffUser,
    plan_id: RowId,
    seed: FormText = "",
    department_id: FormText = "",
) -> Response:
    principal = Principal.of_user(user)
    chosen = None
    try:
        chosen = _department(department_id)  # the page to come back to; the plan's is checked
        with committing(session):
            made = draws.run(session, principal, plan_id, seed.strip() or None)
    except DomainError as exc:
        refuse_unless_usable(exc, principal, "supervision.manage")
        return _plans_page(request, session, user, chosen, 400, message=exc.message)
    return RedirectResponse(f"/admin/supervision/draws/{made.id}", status_code=303)


def _draw_page(
    request: Request,
    session: Session,
    user: User,
    draw_id: int,
    page: int = 1,
    status_code: int = 200,
    **context: Any,
) -> Response:
    with committing(session):  # the reading is audited
        shown = views.draw_page(session, Principal.of_user(user), draw_id, page)
    outcomes = load_policy().supervision.outcomes
    return _render(
        request,
        "supervision/draw.html",
        user,
        status_code,
        shown=shown,
        outcomes=outcomes,
        **context,
    )


@console.get("/admin/supervision/draws/{draw_id}", response_class=HTMLResponse)
def draw_page(
    request: Request, session: Database, user: StaffUser, draw_id: RowId, page: PageNumber = 1
) -> Response:
    return _draw_page(request, session, user, draw_id, page)


@console.post("/admin/supervision/draws/{draw_id}/verify", response_class=HTMLResponse)
def verify_draw(request: Request, session: Database, user: StaffUser, draw_id: RowId) -> Response:
    with committing(session):
        checked = draws.verify(session, Principal.of_user(user), draw_id)
    if checked.same_inputs and checked.same_result:
        notice = f"复核一致：以记录的种子重新抽取，{checked.drawn} 户主体及检查人员完全相同"
        return _draw_page(request, session, user, draw_id, notice=notice)
    message = "复核不一致：" + (
        "候选名单与抽取时不同（主体已变更或合并）" if not checked.same_inputs else "抽取结果不同"
    )
    return _draw_page(request, session, user, draw_id, message=message)


@console.post("/admin/supervision/draws/{draw_id}/results", response_class=HTMLResponse)
def record_result(
    request: Request,
    session: Database,
    user: StaffUser,
    draw_id: RowId,
    subject_id: FormNumber,
    inspected_on: FormDate,
    outcome: FormText = "",
    note: FormText = "",
    page: FormNumber = 1,
) -> Response:
    principal = Principal.of_user(user)
    found = results.Found(outcome, inspected_on, note)
    try:
        with committing(session):
            results.record(session, principal, draw_id, subject_id, found)
    except DomainError as exc:
        refuse_unless_usable(exc, principal, "supervision.record")
        return _draw_page(request, session, user, draw_id, page, 400, message=exc.message)
    notice = f"已录入主体 {subject_id} 的检查结果，并形成行政监督检查信息"
    return _draw_page(request, session, user, draw_id, page, notice=notice)


def _pool_page(
    request: Request,
    session: Session,
    user: User,
    department_id: int | None = None,
    status_code: int = 200,
    **context: Any,
) -> Response:
    principal = Principal.of_user(user)
    chooser = _chooser(session, principal, department_id)
    pool = None
    # Acting for the region with no department of its own, it first chooses one.
    if department_id or principal.department_id or not chooser["departments"]:
        try:
            with committing(session):  # a refusal is audited, then shown
                pool = inspectors.pool(session, principal, department_id)
        except DomainError as exc:
            refuse_unless_usable(exc, principal, "supervision.manage")
            context["message"] = context.get("message") or exc.message
            status_code = max(status_code, exc.status_code)
    return _render(
        request,
        "supervision/inspectors.html",
        user,
        status_code,
        pool=pool,
        **chooser,
        **context,
    )


@console.get("/admin/supervision/inspectors", response_class=HTMLResponse)
def pool_page(
    request: Request, session: Database, user: StaffUser, department_id: Text = ""
) -> Response:
    try:
        chosen = _department(department_id)
    except NotFound as exc:
        return _pool_page(request, session, user, None, 404, message=exc.message)
    return _pool_page(request, session, user, chosen)


PoolStep = Callable[[Principal, int | None], object]


def _pool_step(
    request: Request,
    session: Session,
    user: User,
    department_text: str,
    step: PoolStep,
    notice: str,
) -> Response:
    """One change to the pool of the department the page acts for (the form's hidden field:
    the service authorises against it), then the page again."""
    principal = Principal.of_user(user)
    chosen = None
    try:
        chosen = _department(department_text)
        with committing(session):
            step(principal, chosen)
    except DomainError as exc:
        refuse_unless_usable(exc, principal, "supervision.manage")
        return _pool_page(request, session, user, chosen, exc.status_code, message=exc.message)
    return _pool_page(request, session, user, chosen, notice=notice)


@console.post("/admin/supervision/inspectors", response_class=HTMLResponse)
def add_inspector(
    request: Request,
    session: Database,
    user: StaffUser,
    name: FormText = "",
    badge_number: FormText = "",
    department_id: FormText = "",
) -> Response:
    return _pool_step(
        request, session, user, department_id,
        lambda who, chosen: inspectors.add_inspector(session, who, name, badge_number, chosen),
        f"已登记检查人员 {name}",
    )  # fmt: skip


@console.post("/admin/supervision/inspectors/{inspector_id}/active", response_class=HTMLResponse)
def set_active(
    request: Request,
    session: Database,
    user: StaffUser,
    inspector_id: RowId,
    active: FormText = "",
    department_id: FormText = "",
) -> Response:
    on = active == "1"
    return _pool_step(
        request, session, user, department_id,
        lambda who, chosen: inspectors.set_active(session, who, inspector_id, on, chosen),
        "已恢复该检查人员" if on else "已停用该检查人员，今后不再被抽取",
    )  # fmt: skip


@console.post(
    "/admin/supervision/inspectors/{inspector_id}/avoidances", response_class=HTMLResponse
)
def add_avoidance(
    request: Request,
    session: Database,
    user: StaffUser,
    inspector_id: RowId,
    subject_id: FormNumber,
    reason: FormText = "",
    department_id: FormText = "",
) -> Response:
    return _pool_step(
        request, session, user, department_id,
        lambda who, chosen: inspectors.link(session, who, inspector_id, subject_id, reason, chosen),
        f"已登记回避：该检查人员不再被抽取检查主体 {subject_id}",
    )  # fmt: skip


@console.post("/admin/supervision/avoidances/{avoidance_id}/end", response_class=HTMLResponse)
def end_avoidance(
    request: Request,
    session: Database,
    user: StaffUser,
    avoidance_id: RowId,
    department_id: FormText = "",
) -> Response:
    return _pool_step(
        request, session, user, department_id,
        lambda who, chosen: inspectors.end_link(session, who, avoidance_id, chosen),
        "已解除回避关系",
    )  # fmt: skip


# --- 一公开 -----------------------------------------------------------------------------


@router.get("/supervision/draws", response_class=HTMLResponse)
def published_draws(request: Request, session: Database, page: PageNumber = 1) -> Response:
    with committing(session):
        found, total = views.published_draws(session, page)
    pages = max(1, -(-total // views.PAGE_SIZE))
    return _render(
        request, "supervision/public_draws.html", None, draws=found, page=page, pages=pages
    )


@router.get("/supervision/draws/{draw_id}", response_class=HTMLResponse)
def published_draw(
    request: Request, session: Database, draw_id: RowId, page: PageNumber = 1
) -> Response:
    with committing(session):
        shown = views.published_draw(session, draw_id, page)
    return _render(request, "supervision/public_draw.html", None, shown=shown)
