"""The applicant's own pages: activate an account with a code, sign in and out, and its home.

The applicant's session keeps `applicant_id`, never `user_id`: the console reads only the
latter, so an applicant's cookie opens no staff page, and signing in as one clears the other."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from xinyong.applicants import service as applicants
from xinyong.applicants.models import USERNAME_LENGTH, Applicant
from xinyong.auth.principal import Principal
from xinyong.auth.service import LoginThrottled
from xinyong.db import committing
from xinyong.errors import DomainError
from xinyong.http.applicant import session_applicant
from xinyong.http.csrf import check_csrf, csrf_token
from xinyong.http.deps import Database, client_address
from xinyong.web.templating import templates

router = APIRouter(include_in_schema=False)  # before a login: these check their own token

LOGIN_PAGE = "/account/login"
STALE = "页面已过期，请重新提交"


def _sign_in(request: Request, applicant: Applicant) -> Response:
    request.session.clear()  # a staff session on this browser ends here
    request.session.update(
        applicant_id=applicant.id, applicant_generation=applicant.session_generation
    )
    return RedirectResponse("/account", status_code=303)


def _form(request: Request, page: str, status: int = 200, **context: Any) -> Response:
    context = {"csrf": csrf_token(request), "error": None, **context}
    return templates.TemplateResponse(
        request, f"applicants/{page}.html", context, status_code=status
    )


@router.get("/account/activate", response_class=HTMLResponse)
def activate_form(request: Request) -> Response:
    return _form(request, "activate")


@router.post("/account/activate", response_class=HTMLResponse)
def activate(
    request: Request,
    session: Database,
    code: Annotated[str, Form()] = "",
    username: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    csrf: Annotated[str, Form()] = "",
) -> Response:
    kept = {"code": code[:40], "username": username[:USERNAME_LENGTH]}
    if not check_csrf(request, csrf):
        return _form(request, "activate", 400, error=STALE, **kept)
    try:
        applicant = applicants.activate(session, code, username, password, client_address(request))
    except DomainError as exc:
        return _form(request, "activate", exc.status_code, error=exc.message, **kept)
    return _sign_in(request, applicant)


@router.get("/account/login", response_class=HTMLResponse)
def login_form(request: Request) -> Response:
    return _form(request, "login")


@router.post("/account/login", response_class=HTMLResponse)
def login(
    request: Request,
    session: Database,
    username: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    csrf: Annotated[str, Form()] = "",
) -> Response:
    kept = {"username": username[:USERNAME_LENGTH]}
    if not check_csrf(request, csrf):
        return _form(request, "login", 400, error=STALE, **kept)
    try:
        found = applicants.authenticate_applicant(
            session, username, password, client_address(request)
        )
    except LoginThrottled as exc:
        return _form(request, "login", exc.status_code, error=exc.message, **kept)
    if found is None:
        return _form(request, "login", 400, error="用户名或密码错误", **kept)
    return _sign_in(request, found)


@router.post("/account/logout")
def logout(request: Request, session: Database, csrf: Annotated[str, Form()] = "") -> Response:
    """Ends the session on the server too: a copy of the cookie stops working."""
    if check_csrf(request, csrf):
        found = session_applicant(request, session)
        if found is not None:
            with committing(session):
                applicants.end_sessions(session, found)
        request.session.clear()
    return RedirectResponse(LOGIN_PAGE, status_code=303)


@router.get("/account", response_class=HTMLResponse)
def account_home(request: Request, session: Database) -> Response:
    found = session_applicant(request, session)
    if found is None:
        return RedirectResponse(LOGIN_PAGE, status_code=303)
    home = applicants.home(session, Principal.of_applicant(found))
    context = {"home": home, "applicant": found, "csrf": csrf_token(request)}
    return templates.TemplateResponse(request, "applicants/home.html", context)
