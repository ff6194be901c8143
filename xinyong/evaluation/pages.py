"""The 信用评价 pages: the console's (a subject's grade explained, found by its code or number;
the latest runs; a run asked for now) and the applicant's own (its grade, why, and the way to
object to each record behind it)."""

from __future__ import annotations

from fastapi import BackgroundTasks, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session, sessionmaker

from xinyong.auth import permissions
from xinyong.auth.models import User
from xinyong.auth.principal import Principal
from xinyong.db import committing
from xinyong.errors import DomainError
from xinyong.evaluation import explain, runs
from xinyong.http.applicant import ApplicantPrincipal, applicant_router
from xinyong.http.console import StaffUser, console_router, refuse_unless_usable
from xinyong.http.csrf import csrf_token
from xinyong.http.deps import Database
from xinyong.http.params import FormText, Text
from xinyong.subjects.service import subject_named
from xinyong.web.templating import templates

router = console_router()


def _page(
    request: Request,
    session: Session,
    user: User,
    subject: str = "",
    notice: str | None = None,
    status_code: int = 200,
) -> Response:
    principal = Principal.of_user(user)
    with committing(session):  # a refusal is audited, then shown as the Chinese 403 page
        permissions.require(session, principal, "evaluation.view")
    found, message = None, None
    if subject.strip():
        try:
            with committing(session):  # the look is audited
                found = explain.explain(session, principal, subject_named(session, subject))
        except DomainError as exc:
            refuse_unless_usable(exc, principal, "evaluation.view")
            message, status_code = exc.message, 404 if exc.status_code == 404 else 400
    can_run = principal.may("evaluation.run")
    with committing(session):
        recent = runs.recent(session, principal) if can_run else []
    return templates.TemplateResponse(
        request,
        "evaluation/explain.html",
        {
            "user": user,
            "csrf": csrf_token(request),
            "subject": subject,
            "found": found,
            "can_run": can_run,
            "runs": recent,
            "models": runs.models(),
            "message": message,
            "notice": notice,
        },
        status_code=status_code,
    )


@router.get("/admin/evaluation", response_class=HTMLResponse)
def evaluation_page(
    request: Request, session: Database, user: StaffUser, subject: Text = ""
) -> Response:
    return _page(request, session, user, subject[:40])


@router.post("/admin/evaluation/runs", response_class=HTMLResponse)
def run_now(
    request: Request,
    session: Database,
    user: StaffUser,
    background: BackgroundTasks,
    model: FormText = "",
) -> Response:
    principal = Principal.of_user(user)
    try:
        with committing(session):
            run_id = runs.request(session, principal, model)
    except DomainError as exc:
        refuse_unless_usable(exc, principal, "evaluation.run")
        return _page(request, session, user, notice=exc.message, status_code=400)
    background.add_task(runs.complete, sessionmaker(bind=session.get_bind()), run_id)
    return _page(request, session, user, notice=f"已发起评价（第 {run_id} 次），完成后刷新本页查看")


account = applicant_router()  # the applicant signed in, its form token checked


@account.get("/account/evaluation", response_class=HTMLResponse)
def my_evaluation(request: Request, session: Database, principal: ApplicantPrincipal) -> Response:
    """The subject's own grade and why, with a way to object to each record behind it."""
    found, message = None, None
    try:
        with committing(session):  # the look is audited
            assert principal.subject_id is not None
            found = explain.explain(session, principal, principal.subject_id)
    except DomainError as exc:
        message = exc.message
    context = {"found": found, "message": message, "csrf": csrf_token(request)}
    return templates.TemplateResponse(request, "evaluation/mine.html", context)
